/**
 * Operations on the real app: Prometheus metrics (webhook latency, queue depth from real Redis,
 * overdue cases by escalation level from FerretDB) behind an optional bearer token, and the
 * bull-board queue dashboard for admins only.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, startWeb, type RunningWeb, type Runtime } from '../app/runtime.ts';
import { updateCaseGuarded } from '../shared/store/guardedUpdate.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { loadConfig } from '../shared/config.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { get, signIn } from './helpers/dashboard.ts';

let stack: Stack;
/** A second web process on the same database and queues, configured with a metrics token and an admin. */
let rt2: Runtime;
let web2: RunningWeb;
const ADMIN = { user: 'admin', password: 'กุญแจ-ลับ-123' };
beforeAll(async () => {
  stack = await startStack({ worker: false });
  // Two overdue cases (received 60 days ago, nobody acted), one escalated twice; their opening events wait in the queue (no worker).
  const deps = { models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish };
  const receivedAt = new Date(Date.now() - 60 * 24 * 3600_000);
  const cases = [];
  for (const i of [1, 2]) {
    cases.push(await openCase(deps, {
      idempotencyKey: `ops-${i}`, channel: 'hotline', category: 'help', description: `เรื่องค้างนาน ${i}`, receivedAt,
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' }, complainant: {}, by: { kind: 'system' },
    }));
  }
  await updateCaseGuarded(stack.rt.models, String(cases[1]._id), {}, { $set: { escalationLevel: 2 } });
  rt2 = await createRuntime(loadConfig({ ...stack.env, METRICS_TOKEN: 'metrics-token-xyz', ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password }));
  web2 = await startWeb(rt2, 0, '127.0.0.1');
}, 120_000);
afterAll(async () => {
  await web2?.close();
  await rt2?.close();
  await stack?.close();
});

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : undefined;
}

describe('/metrics', () => {
  it('is open when no METRICS_TOKEN is set, in Prometheus text format', async () => {
    const res = await fetch(`${stack.web.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('rongrian_process_cpu_user_seconds_total');
    expect(text).toContain('# TYPE rongrian_line_webhook_duration_seconds histogram');
  });

  it('needs the bearer token when one is set', async () => {
    expect((await fetch(`${web2.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${web2.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${web2.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-xyz' } })).status).toBe(200);
  });

  it('reports webhook latency by status, queue depth per queue and overdue cases by escalation level', async () => {
    // One unsigned webhook (401) and one signed by the channel secret (200).
    expect((await fetch(`${web2.url}/webhook`, { method: 'POST', body: '{}' })).status).toBe(401);
    const body = JSON.stringify({ destination: 'Uops', events: [] });
    const signature = createHmac('sha256', stack.config.LINE_CHANNEL_SECRET).update(body).digest('base64');
    expect((await fetch(`${web2.url}/webhook`, { method: 'POST', body, headers: { 'x-line-signature': signature, 'content-type': 'application/json' } })).status).toBe(200);

    const text = await (await fetch(`${web2.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-xyz' } })).text();
    expect(sample(text, 'rongrian_line_webhook_duration_seconds_count', 'status="401"')).toBe(1);
    expect(sample(text, 'rongrian_line_webhook_duration_seconds_count', 'status="200"')).toBe(1);
    const waiting = await stack.rt.queues.domainEvents.getWaitingCount();
    expect(waiting).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'rongrian_queue_jobs', 'queue="domain-events",state="waiting"')).toBe(waiting);
    for (const q of ['line-events-0', 'partner-webhooks', 'sla']) expect(sample(text, 'rongrian_queue_jobs', `queue="${q}",state="failed"`)).toBe(0);
    expect(sample(text, 'rongrian_cases_overdue', 'level="0"')).toBe(1);
    expect(sample(text, 'rongrian_cases_overdue', 'level="2"')).toBe(1);
  });
});

describe('/admin/queues (bull-board)', () => {
  it('lets in an admin signed in to the dashboard, and nobody else', async () => {
    // No Basic credentials on this stack: only the dashboard session counts.
    const anonymous = await fetch(`${stack.web.url}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/sign in at \/dashboard/);
    const officer = await stack.officer('5001', 'head', 'หัวหน้า ไม่ใช่ผู้ดูแล');
    const head = await signIn(stack, officer.userId);
    expect((await get(stack, '/admin/queues/api/queues', head.jar)).status).toBe(401);
    const admin = stack.sim.addUser({ displayName: 'ผู้ดูแลระบบ', language: 'th', role: 'officer' });
    await stack.rt.models.Officer.create({ lineUserId: admin.userId, unitCode: 'MOI', role: 'admin', name: 'ผู้ดูแลระบบ' });
    const signed = await signIn(stack, admin.userId);
    const api = await get(stack, '/admin/queues/api/queues', signed.jar);
    expect(api.status).toBe(200);
    expect(((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toContain('partner-webhooks');
    // Basic credentials are not configured here, so a Basic header opens nothing.
    expect((await fetch(`${stack.web.url}/admin/queues`, { headers: { authorization: basic('admin', '') } })).status).toBe(401);
  });

  it('takes HTTP Basic for the configured admin only, and shows every queue', async () => {
    const none = await fetch(`${web2.url}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await fetch(`${web2.url}/admin/queues`, { headers: { authorization: basic(ADMIN.user, 'wrong') } })).status).toBe(401);
    expect((await fetch(`${web2.url}/admin/queues/api/queues`, { headers: { authorization: basic('someone', ADMIN.password) } })).status).toBe(401);
    const page = await fetch(`${web2.url}/admin/queues`, { headers: { authorization: basic(ADMIN.user, ADMIN.password) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await fetch(`${web2.url}/admin/queues/api/queues`, { headers: { authorization: basic(ADMIN.user, ADMIN.password) } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['line-events-0', 'domain-events', 'partner-webhooks', 'sla']));
    // A chat message waiting in a shard queue: the admin sees its shape, not what the person typed.
    await stack.rt.queues.lineEvents[0].add('message', { destination: 'Ubot', event: { type: 'message', webhookEventId: '01OPS', timestamp: 1, mode: 'active', source: { type: 'user', userId: 'U-secret-user' }, message: { type: 'text', id: '1', text: 'บ้านเลขที่ 99 โทร 0812345678', quoteToken: 'q' }, replyToken: 'r' } as never }, { jobId: '01OPS' });
    const shard = await fetch(`${web2.url}/admin/queues/api/queues?activeQueue=line-events-0&status=waiting&page=1`, { headers: { authorization: basic(ADMIN.user, ADMIN.password) } });
    const shardText = await shard.text();
    expect(shardText).toContain('01OPS');
    expect(shardText).not.toContain('0812345678');
    expect(shardText).not.toContain('U-secret-user');
  });

  it('renders in a browser for the admin, listing the queues', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const context = await browser.newContext({ httpCredentials: { username: ADMIN.user, password: ADMIN.password }, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${web2.url}/admin/queues`);
      await page.getByText('domain-events').first().waitFor({ timeout: 20_000 });
      await page.getByText('partner-webhooks').first().waitFor({ timeout: 20_000 });
      // The opening events of the two overdue cases wait in domain-events (no worker runs here).
      await page.getByText('domain-events').first().click();
      await page.getByText('case.opened').first().waitFor({ timeout: 20_000 });
      mkdirSync('artifacts', { recursive: true });
      await page.screenshot({ path: 'artifacts/ops-admin-queues.png' });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
