import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';

const valid = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/rongrian',
  REDIS_URL: 'redis://127.0.0.1:6379',
  LINE_CHANNEL_SECRET: 'secret',
  LINE_CHANNEL_ACCESS_TOKEN: 'token',
};

describe('configuration', () => {
  it('fills documented defaults', () => {
    const c = loadConfig(valid);
    expect(c).toMatchObject({ PORT: 3000, LINE_API_BASE_URL: 'https://api.line.me', LINE_DATA_API_BASE_URL: 'https://api-data.line.me', QUEUE_PREFIX: 'rongrian', EVENT_SHARDS: 4 });
  });

  it('names every missing or invalid variable in one message, and never echoes a secret', () => {
    const env = { ...valid, LINE_CHANNEL_SECRET: '', REDIS_URL: 'localhost:6379', PORT: 'eighty', LINE_CHANNEL_ACCESS_TOKEN: 'super-secret-token', LINE_API_BASE_URL: 'not a url' };
    let err: unknown;
    try { loadConfig(env); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('LINE_CHANNEL_SECRET is required');
    expect(msg).toContain('REDIS_URL must start with redis://');
    expect(msg).toContain('PORT');
    expect(msg).toContain('LINE_API_BASE_URL');
    expect(msg).not.toContain('super-secret-token');
  });

  it('npm run web stops at start-up with one clear line when a variable is missing', () => {
    const env = { ...process.env, ...valid, LINE_CHANNEL_SECRET: '' };
    const r = spawnSync(process.execPath, ['app/web.ts'], { env, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.includes('ExperimentalWarning') && !l.includes('--trace-warnings'));
    expect(lines).toEqual(['rongrian: Invalid configuration: LINE_CHANNEL_SECRET is required']);
  });
});

describe('logs', () => {
  it('never carry secrets, tokens or what citizens wrote, even when a whole event is logged', () => {
    const lines: string[] = [];
    const log = createLogger('info', 'test', { write: (l: string) => void lines.push(l) });
    log.info({ event: { replyToken: 'reply-token-123', message: { text: 'บ้านเลขที่ 99 โทร 0812345678' } }, config: { LINE_CHANNEL_SECRET: 'shh-secret', LINE_CHANNEL_ACCESS_TOKEN: 'tok-456' }, req: { headers: { authorization: 'Bearer abc' } } }, 'handled');
    log.info({ complainant: { phone: '0812345678', displayName: 'สมชาย' } }, 'case');
    log.info({ config: { LINE_LOGIN_CHANNEL_SECRET: 'login-sec', DASHBOARD_SESSION_SECRET: 'sess-sec', ADMIN_PASSWORD: 'adm-pw', METRICS_TOKEN: 'met-tok' }, webhook: { secret: 'whsec-1' }, partner: { apiKey: 'ak_1.zzz' }, headers: { 'x-api-key': 'ak_2.yyy', cookie: 'rg_dash=abc' } }, 'config loaded');
    const out = () => lines.join('\n');
    expect(out()).toContain('handled');
    // Free text under any other name, in an error, or in the message itself.
    log.warn({ job: { reason: 'ผู้ร้องโทร 081-999-8888 เลขบัตร 1103700123458' }, err: new Error('push failed for somchai@example.com') }, 'retry for 089 765 4321');
    expect(out()).toContain('[เบอร์โทร]');
    expect(out()).toContain('[เลขบัตรประชาชน]');
    expect(out()).toContain('[อีเมล]');
    expect(out()).toContain('push failed for');
    for (const secret of ['081-999-8888', '1103700123458', 'somchai@example.com', '089 765 4321']) expect(out()).not.toContain(secret);
    for (const secret of ['reply-token-123', '0812345678', 'shh-secret', 'tok-456', 'Bearer abc', 'สมชาย', 'login-sec', 'sess-sec', 'adm-pw', 'met-tok', 'whsec-1', 'ak_1.zzz', 'ak_2.yyy', 'rg_dash=abc']) expect(out()).not.toContain(secret);
  });
});
