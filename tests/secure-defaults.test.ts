/**
 * Secure defaults an auditor asked for, each on the real app: production refuses an open /metrics,
 * security headers on every HTML surface and no X-Powered-By anywhere, a bull-board that never
 * writes to the intake queues, Secure cookies on an https deployment, LINE's verify endpoint being
 * busy answered as "try again" (503) rather than "reopen from LINE" (401), and /api/reports under the
 * partner's per-key budget without case scans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, startWeb, type RunningWeb, type Runtime } from '../app/runtime.ts';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { createApiKey } from '../exchange/apiKeys.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { get, signIn } from './helpers/dashboard.ts';
import { openBrowser } from './helpers/browser.ts';

let stack: Stack;
/** A second web process: admin Basic sign-in, a metrics token, an https public URL, a small partner budget, a clock that stands still. */
let rt2: Runtime;
let web2: RunningWeb;
const ADMIN = { user: 'ops', password: 'รหัส-ผู้ดูแล-456' };
const basic = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;

beforeAll(async () => {
  stack = await startStack({ worker: false });
  const clock = { now: () => new Date('2026-11-20T10:00:05Z') };
  rt2 = await createRuntime(loadConfig({
    ...stack.env, METRICS_TOKEN: 'metrics-secret-1', ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password,
    PUBLIC_BASE_URL: 'https://rongrian.example.go.th', PARTNER_RATE_LIMIT_PER_MIN: '25',
  }), { clock });
  web2 = await startWeb(rt2, 0, '127.0.0.1');
}, 120_000);
afterAll(async () => {
  await web2?.close();
  await rt2?.close();
  await stack?.close();
});

describe('production configuration', () => {
  const base = {
    MONGODB_URI: 'mongodb://127.0.0.1:27017/rongrian', REDIS_URL: 'redis://127.0.0.1:6379',
    LINE_CHANNEL_SECRET: 'secret', LINE_CHANNEL_ACCESS_TOKEN: 'token', NODE_ENV: 'production',
  };

  it('refuses to start with /metrics open, naming both ways out', () => {
    let err: unknown;
    try { loadConfig(base); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/METRICS_TOKEN is required in production/);
    expect((err as Error).message).toMatch(/METRICS_PUBLIC=true/);
  });

  it('starts with a metrics token, or when /metrics is declared public; development keeps the open default', () => {
    expect(loadConfig({ ...base, METRICS_TOKEN: 't0ken' }).METRICS_TOKEN).toBe('t0ken');
    expect(loadConfig({ ...base, METRICS_PUBLIC: 'true' }).METRICS_PUBLIC).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).METRICS_TOKEN).toBe('');
  });
});

const admin = async () => {
  const user = stack.sim.addUser({ displayName: 'ผู้ดูแลระบบ', language: 'th', role: 'officer' });
  await stack.rt.models.Officer.create({ lineUserId: user.userId, unitCode: 'MOI', role: 'admin', name: 'ผู้ดูแลระบบ' });
  return (await signIn(stack, user.userId)).jar;
};

function expectPageHeaders(res: Response, what: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, `${what}: CSP`).toMatch(/default-src /);
  expect(csp, `${what}: frame-ancestors`).toMatch(/frame-ancestors 'none'/);
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
}

describe('security headers', () => {
  it('LIFF pages, dashboard pages and the queue board each carry a CSP fit for what they load', async () => {
    const liff = await fetch(`${stack.web.url}/liff/`);
    expect(liff.status).toBe(200);
    expectPageHeaders(liff, '/liff/');
    // The LIFF SDK is bundled into our own scripts: nothing is loaded from elsewhere.
    expect(liff.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);

    const jar = await admin();
    const dash = await get(stack, '/dashboard/', jar);
    expect(dash.status).toBe(200);
    expect(await dash.text()).toMatch(/<html/);
    expectPageHeaders(dash, '/dashboard/');
    const signedOut = await get(stack, '/dashboard/signed-out');
    expectPageHeaders(signedOut, '/dashboard/signed-out');

    const board = await get(stack, '/admin/queues', jar);
    expect(board.status).toBe(200);
    expectPageHeaders(board, '/admin/queues');
    // The board's page takes its fonts from Google Fonts and nothing else outside.
    expect(board.headers.get('content-security-policy')).toMatch(/style-src 'self' 'unsafe-inline' https:\/\/fonts\.googleapis\.com/);
    // Even the refusal is not frameable.
    expectPageHeaders(await fetch(`${stack.web.url}/admin/queues`), '/admin/queues refused');
  });

  it('JSON and text answers get a CSP that allows nothing, and are not frameable', async () => {
    for (const path of ['/healthz', '/nowhere', '/liff/api/me']) {
      const res = await fetch(`${stack.web.url}${path}`);
      expect(res.headers.get('content-security-policy'), path).toMatch(/^default-src 'none'; frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('no route of the web process or the simulator says it is express', async () => {
    const jar = await admin();
    const paths = ['/healthz', '/readyz', '/nowhere', '/liff/', '/liff/api/me', '/api/reports?format=province&fiscalYear=2569',
      '/dashboard/', '/dashboard/login', '/metrics', '/open311/v2/services.json', '/api/v1/me', '/admin/queues', '/admin/queues/api/queues'];
    for (const path of paths) {
      const anonymous = await fetch(`${stack.web.url}${path}`, { redirect: 'manual' });
      expect(anonymous.headers.get('x-powered-by'), path).toBeNull();
      const signed = await get(stack, path, jar);
      expect(signed.headers.get('x-powered-by'), `${path} (admin)`).toBeNull();
    }
    // The board's own express app, with its page served.
    const page = await get(stack, '/admin/queues', jar);
    const asset = /src="(static\/js\/[^"]+)"/.exec(await page.text())?.[1];
    expect(asset).toBeTruthy();
    const js = await get(stack, `/admin/queues/${asset}`, jar);
    expect(js.status).toBe(200);
    expect(js.headers.get('x-powered-by')).toBeNull();
    const webhook = await fetch(`${stack.web.url}/webhook`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(webhook.headers.get('x-powered-by')).toBeNull();
    for (const path of ['/', '/nowhere', '/v2/bot/info']) {
      expect((await fetch(`${stack.sim.url}${path}`)).headers.get('x-powered-by'), `simulator ${path}`).toBeNull();
    }
  });
});

describe('/admin/queues in Chromium under its CSP', () => {
  it('draws the board with nothing refused by the policy (fonts, styles, scripts)', async () => {
    const web = await openBrowser({ base: () => web2.url, prefix: 'secure' });
    try {
      const page = await web.page({ viewport: { width: 1280, height: 800 }, consoleErrors: 'none' });
      const refused: string[] = [];
      page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
      await page.context().setHTTPCredentials({ username: ADMIN.user, password: ADMIN.password });
      await page.goto(`${web2.url}/admin/queues`);
      await page.getByText('partner-webhooks').first().waitFor({ timeout: 20_000 });
      await web.shot(page, 'admin-queues');
      expect(refused).toEqual([]);
      expect(web.errors).toEqual([]);
    } finally {
      await web.close();
    }
  }, 60_000);
});

describe('/admin/queues writes', () => {
  // The board's own methods: adding a job is a POST, everything that changes existing jobs a PUT.
  const send = (url: string, headers: Record<string, string>, body: unknown = {}) =>
    fetch(url, { method: /\/add$/.test(url) ? 'POST' : 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('nobody, not even a signed-in admin, can add, retry or promote a job on an intake queue', async () => {
    const jar = await admin();
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const before = await stack.rt.queues.lineEvents[0].getJobCounts();
    const forged = { name: 'message', data: { destination: 'Ubot', event: { type: 'message', source: { type: 'user', userId: `U${'a'.repeat(32)}` }, message: { type: 'text', text: 'ปลอมตัว' } } } };
    for (const path of ['/api/queues/line-events-0/add', '/api/queues/line-events-0/retry/failed', '/api/queues/line-events-0/promote', '/api/queues/line-events-1/pause',
      '/API/Queues/line-events-0/add', '/api/queues/line%2Devents-0/add', '/api/queues/%E0%A4%A/add']) {
      const res = await send(`${stack.web.url}/admin/queues${path}`, { cookie }, forged);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toMatch(/read-only/);
    }
    expect(await stack.rt.queues.lineEvents[0].getJobCounts()).toEqual(before);
    // The board shows the intake queues as read-only, the others as the admin's to manage.
    const queues = ((await (await get(stack, '/admin/queues/api/queues', jar)).json()) as { queues: { name: string; readOnlyMode: boolean }[] }).queues;
    expect(queues.find((q) => q.name === 'line-events-0')?.readOnlyMode).toBe(true);
    expect(queues.find((q) => q.name === 'dead-letters')?.readOnlyMode).toBe(false);
    // A retry on a non-intake queue is the admin's call: allowed (nothing failed, so nothing moves).
    expect((await send(`${stack.web.url}/admin/queues/api/queues/dead-letters/retry/failed`, { cookie })).status).toBe(200);
  });

  it('HTTP Basic sign-in sees a read-only board: every write refused', async () => {
    const page = await fetch(`${web2.url}/admin/queues/api/queues`, { headers: { authorization: basic } });
    expect(page.status).toBe(200);
    const queues = ((await page.json()) as { queues: { name: string; readOnlyMode: boolean }[] }).queues;
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
    for (const path of ['/api/queues/dead-letters/retry/failed', '/api/queues/partner-webhooks/add', '/api/queues/line-events-0/add', '/api/queues/pause']) {
      const res = await send(`${web2.url}/admin/queues${path}`, { authorization: basic }, { name: 'x', data: {} });
      expect(res.status, path).toBe(403);
    }
  });
});

describe('cookies', () => {
  it('are Secure when PUBLIC_BASE_URL is https, even when the TLS proxy is not on loopback', async () => {
    const https = await fetch(`${web2.url}/dashboard/login`, { redirect: 'manual' });
    expect(https.status).toBe(302);
    const cookie = https.headers.getSetCookie().find((c) => c.startsWith('rg_dash_login='));
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    // A local http deployment keeps them usable over http.
    const local = await fetch(`${stack.web.url}/dashboard/login`, { redirect: 'manual' });
    expect(local.headers.getSetCookie().find((c) => c.startsWith('rg_dash_login='))).not.toMatch(/;\s*Secure/i);
  });
});

describe('LINE verify endpoint busy or failing', () => {
  const VERIFY = /^\/oauth2\/v2\.1\/verify$/;

  it('LIFF API: 429 or 5xx from LINE is a 503 with Retry-After, not "reopen from LINE"', async () => {
    const user = await stack.citizen('ผู้ใช้ ทดสอบ');
    const me = () => fetch(`${stack.web.url}/liff/api/me`, { headers: { authorization: `Bearer ${stack.sim.issueIdToken(user.userId)}` } });
    stack.sim.injectFaults({ status: 429, count: 1, retryAfterSec: 7, paths: VERIFY });
    const busy = await me();
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('7');
    const body = (await busy.json()) as { error: { message: { th: string; en: string } } };
    expect(body.error.message.th).toMatch(/ลองใหม่/);
    expect(body.error.message.en).not.toMatch(/reopen/i);
    stack.sim.injectFaults({ status: 502, count: 1, paths: VERIFY });
    const failing = await me();
    expect(failing.status).toBe(503);
    expect(Number(failing.headers.get('retry-after'))).toBeGreaterThan(0);
    // LINE is back: the same person gets in.
    expect((await me()).status).toBe(200);
    // An officer's script reading /api/reports with its LINE ID token: the same 503, not a 500.
    const officer = await stack.officer('50', 'head', 'หัวหน้า สคริปต์รายงาน');
    stack.sim.injectFaults({ status: 503, count: 1, retryAfterSec: 4, paths: VERIFY });
    const report = await fetch(`${stack.web.url}/api/reports?format=province&fiscalYear=2569`, { headers: { authorization: `Bearer ${stack.sim.issueIdToken(officer.userId)}` } });
    expect(report.status).toBe(503);
    expect(report.headers.get('retry-after')).toBe('4');
  });

  it('dashboard LINE Login: a busy verify endpoint is a 503 page asking to wait, with Retry-After', async () => {
    const officer = await stack.officer('5001', 'head', 'หัวหน้า รอ LINE');
    stack.sim.injectFaults({ status: 429, count: 1, retryAfterSec: 9, paths: VERIFY });
    const { res } = await signIn(stack, officer.userId);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('9');
    expect(await res.text()).toMatch(/LINE ไม่ว่างชั่วคราว[\s\S]*please wait and sign in again/);
    const again = await signIn(stack, officer.userId);
    expect(again.res.status).toBe(303);
  });
});

describe('/api/reports for partners', () => {
  it('spends the same per-key budget as the partner API, a report costing 10', async () => {
    const k = await createApiKey(rt2.models, { unitCode: '50', name: 'สำนักงานจังหวัดเชียงใหม่ (รายงาน)' });
    const report = () => fetch(`${web2.url}/api/reports?unit=50&format=province&month=2026-10`, { headers: { 'x-api-key': k.key } });
    expect((await report()).status).toBe(200);
    expect((await report()).status).toBe(200);
    const over = await report();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('55');
    expect(((await over.json()) as { message: string }).message).toMatch(/ถี่เกินไป.*too many requests/);
    // One budget: the partner API is out of it too for this minute.
    expect((await fetch(`${web2.url}/api/v1/me`, { headers: { 'x-api-key': k.key } })).status).toBe(429);
  });

  it('a range cut mid-month is refused with a clear message instead of scanning the cases', async () => {
    const k = await createApiKey(rt2.models, { unitCode: '50', name: 'สำนักงานจังหวัดเชียงใหม่ (ช่วงวัน)' });
    const res = await fetch(`${web2.url}/api/reports?unit=50&format=province&from=2026-10-05&to=2026-10-20`, { headers: { 'x-api-key': k.key } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/วันที่ 1.*whole months/);
    const whole = await fetch(`${web2.url}/api/reports?unit=50&format=province&from=2026-10-01&to=2026-10-31`, { headers: { 'x-api-key': k.key } });
    expect(whole.status).toBe(200);
  });
});
