/**
 * kill -9 of the database 30–300 ms into a LIFF filing, as an operator would see it: the web, the
 * worker and the LINE simulator keep running, FerretDB (its own throwaway instance here, so other
 * test files are not hit) is killed and started again on the same files, and the citizen's app
 * retries the filing. Afterwards each filing has one case, its officer alert arrived once, no event
 * is left in an outbox, and the report counters equal a recount with no `report verify --fix`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createRuntime, prepareDatabase, startWeb, type Runtime, type RunningWeb } from '../app/runtime.ts';
import { loadConfig } from '../shared/config.ts';
import { ferretdbBinary, freePort } from '../shared/infra/launcher.ts';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { startLineSimulator, type LineSimulator } from '../simulator/server.ts';
import { startWorkers, type RunningWorkers } from '../workers/index.ts';

let dir: string;
let port: number;
let ferret: ChildProcess | undefined;
let sim: LineSimulator;
let rt: Runtime;
let web: RunningWeb;
let workers: RunningWorkers;
let prefix: string;

async function startFerret(): Promise<void> {
  ferret = spawn(ferretdbBinary(), [
    '--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, `--state-dir=${dir}`,
    '--debug-addr=-', '--telemetry=disable', '--log-level=error',
  ], { stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('FerretDB did not come up');
}

function killFerret(): Promise<void> {
  const child = ferret!;
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rongrian-kill-'));
  port = await freePort();
  await startFerret();
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(24).toString('base64url');
  sim = await startLineSimulator({ channelSecret: secret, channelAccessToken: token, loginChannelId: '1234567890', loginChannelSecret: 'test-login-channel-secret' });
  prefix = `k${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    MONGODB_URI: `mongodb://127.0.0.1:${port}`, REDIS_URL: inject('redisUrl'),
    LINE_CHANNEL_SECRET: secret, LINE_CHANNEL_ACCESS_TOKEN: token, LINE_API_BASE_URL: sim.url, LINE_DATA_API_BASE_URL: sim.url,
    LINE_LOGIN_CHANNEL_ID: '1234567890', LINE_LOGIN_CHANNEL_SECRET: 'test-login-channel-secret',
    QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', PORT: '0',
  });
  rt = await createRuntime(config, { dbName: 'rongrian_kill' });
  await prepareDatabase(rt);
  web = await startWeb(rt, 0, '127.0.0.1');
  sim.setWebhookUrl(`${web.url}/webhook`);
  workers = await startWorkers(rt.workerDeps, { redisUrl: config.REDIS_URL, prefix, queues: rt.queues, log: rt.log, outboxSweepEveryMs: 1_000, outboxGraceMs: 2_000 });
}, 120_000);

afterAll(async () => {
  await workers?.close().catch(() => undefined);
  await web?.close().catch(() => undefined);
  await rt?.queues.connection.eval(`for _,k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k) end`, 0, `${prefix}:*`).catch(() => undefined);
  await rt?.close().catch(() => undefined);
  await sim?.close();
  if (ferret) await killFerret();
  rmSync(dir, { recursive: true, force: true });
});

describe('FerretDB killed during LIFF filings', () => {
  it('every filing ends with one case, one alert, an empty outbox and counters equal to a recount, without verify --fix', async () => {
    const officer = sim.addUser({ displayName: 'จนท. 5001', language: 'th', role: 'officer' });
    await rt.models.Officer.create({ lineUserId: officer.userId, unitCode: '5001', role: 'officer', name: 'จนท. 5001' });
    const filed: { userId: string; clientRequestId: string; trackingNo?: string }[] = [];

    const file = async (userId: string, clientRequestId: string) => {
      const res = await fetch(`${web.url}/liff/api/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.issueIdToken(userId)}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          category: 'help', description: 'ไฟฟ้าส่องสว่างในซอยดับมาสองสัปดาห์แล้ว ขอให้ช่วยซ่อมด้วย', anonymous: false, clientRequestId,
          location: { provinceCode: '50', districtCode: '5001' }, consent: { version: PDPA_NOTICE_VERSION, accepted: true },
        }),
        signal: AbortSignal.timeout(60_000),
      });
      return { status: res.status, json: await res.json().catch(() => undefined) as { trackingNo?: string } | undefined };
    };

    for (let round = 0; round < 5; round++) {
      const citizen = sim.addUser({ displayName: `ผู้ร้อง ${round}`, language: 'th', role: 'citizen' });
      const f = { userId: citizen.userId, clientRequestId: randomUUID() } as (typeof filed)[number];
      filed.push(f);
      const first = file(f.userId, f.clientRequestId).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 30 + Math.random() * 270));
      await killFerret();
      await startFerret();
      await first;
      // The app retries until the filing is answered.
      const deadline = Date.now() + 90_000;
      for (;;) {
        const r = await file(f.userId, f.clientRequestId).catch(() => undefined);
        if (r && (r.status === 200 || r.status === 201)) { f.trackingNo = r.json!.trackingNo; break; }
        if (Date.now() > deadline) throw new Error(`filing ${round} never answered: ${r?.status}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }

    for (const f of filed) {
      expect(await rt.models.Case.countDocuments({ idempotencyKey: `liff:${f.userId}:${f.clientRequestId}` })).toBe(1);
    }
    const alerts = (trackingNo: string) => sim.messagesFor(officer.userId).flatMap((r) => r.messages)
      .filter((m: any) => m.type === 'flex' && String(m.altText).includes(trackingNo)).length;
    const deadline = Date.now() + 100_000;
    const settled = async () => filed.every((f) => alerts(f.trackingNo!) >= 1)
      && (await rt.models.Case.countDocuments({ 'pendingEvents.0': { $exists: true } })) === 0;
    while (!(await settled())) {
      if (Date.now() > deadline) throw new Error('alerts or outboxes never settled');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1_000));
    for (const f of filed) expect(alerts(f.trackingNo!), f.trackingNo).toBe(1);
    expect((await verifyCounters(rt.models)).mismatches).toEqual([]);
  }, 300_000);
});
