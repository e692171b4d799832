/**
 * One bad event never stops intake: the webhook refuses what the worker could not route; whatever
 * still cannot be routed or handled after its retries goes to the dead-letter store with its reason
 * (visible in /metrics and /admin/queues), and `npm run cli -- deadletter redrive <id>` puts it back.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deadLetterCommand } from '../app/deadLetterCli.ts';
import { createRuntime, startWeb, type RunningWeb, type Runtime } from '../app/runtime.ts';
import { loadConfig } from '../shared/config.ts';
import { listDeadLetters } from '../shared/deadLetters.ts';
import { appendIntake } from '../shared/intake.ts';
import { ulid } from '../simulator/server.ts';
import { converse, drained, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

const run = promisify(execFile);
const ADMIN = { user: 'ops', password: 'poison-board-pw' };

let stack: Stack;
let rt2: Runtime;
let web2: RunningWeb;
beforeAll(async () => {
  // Short retry budgets, so giving up takes seconds here (minutes in production).
  stack = await startStack({ workerOptions: { lineEventRetry: { attempts: 3, budgetMs: 1_500, baseDelayMs: 100, maxDelayMs: 500 } } });
  rt2 = await createRuntime(loadConfig({ ...stack.env, ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password }));
  web2 = await startWeb(rt2, 0, '127.0.0.1');
});
afterAll(async () => {
  await web2?.close();
  await rt2?.close();
  await stack?.close();
});

const sign = (body: string) => createHmac('sha256', stack.config.LINE_CHANNEL_SECRET).update(body).digest('base64');
const post = (body: string) => fetch(`${stack.web.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': sign(body) }, body });

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function event(source: unknown, extra: object = {}) {
  return { type: 'message', mode: 'active', timestamp: Date.now(), webhookEventId: ulid(Date.now()), deliveryContext: { isRedelivery: false }, source, replyToken: 'r'.repeat(32), message: { type: 'text', id: '1', quoteToken: 'q', text: 'hi' }, ...extra };
}

describe('poison events', () => {
  it('the webhook refuses an event the worker could not route (a group source without groupId), and keeps taking the rest', async () => {
    for (const source of [{ type: 'group' }, { type: 'room', userId: 'U' + '1'.repeat(32) }, { type: 'group', groupId: { $ne: 1 } }, 'user', { type: 'channel' }]) {
      const body = JSON.stringify({ destination: stack.sim.botUserId, events: [event(source)] });
      const res = await post(body);
      expect(res.status, JSON.stringify(source)).toBe(400);
      expect((await res.json()).message).toMatch(/source/);
    }
    const citizen = await stack.citizen('ผู้ร้อง หลังเหตุ');
    const m = await converse(stack.sim, citizen.userId, () => stack.sim.sendText(citizen.userId, 'สวัสดี'));
    expect(m).toBeTruthy();
  });

  it('an unroutable body already in the intake stream is dead-lettered and the pump carries on', async () => {
    const { sim, rt } = stack;
    const citizen = await stack.citizen('ผู้ร้อง ตามมา');
    // Bodies an older web process could have taken in: the pump must not wedge on them.
    const groupless = { destination: sim.botUserId, events: [event({ type: 'group' })] };
    await appendIntake(rt.queues.intake, stack.config.QUEUE_PREFIX, JSON.stringify(groupless));
    await appendIntake(rt.queues.intake, stack.config.QUEUE_PREFIX, '{"destination":"U1","events":[');
    await appendIntake(rt.queues.intake, stack.config.QUEUE_PREFIX, JSON.stringify({ destination: sim.botUserId, events: [{ type: 'message' }] }));
    await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
    expect(textsOf(sim, citizen.userId)[0]).toContain('ขั้นที่ 1/6');
    const dead = await until(async () => { const all = await listDeadLetters(rt.models); return all.length >= 3 ? all : undefined; });
    expect(dead.filter((d) => d.kind === 'intake-entry')).toHaveLength(1);
    expect(dead.find((d) => d.kind === 'intake-entry')!.reason).toMatch(/unreadable/);
    expect(dead.find((d) => d._id === `line:${groupless.events[0].webhookEventId}`)?.reason).toMatch(/not routable: source.groupId is missing/);
    expect(dead.some((d) => d.kind === 'line-event' && /without a type or webhookEventId/.test(d.reason))).toBe(true);
  });

  it('an event the worker cannot handle is dead-lettered with its reason after its retries; the chat’s next turn is answered', async () => {
    const { sim, rt } = stack;
    const citizen = await stack.citizen('ผู้ร้อง ข้อมูลเสีย');
    // A postback with no postback: the handler throws on it every time.
    const bad = { ...event({ type: 'user', userId: citizen.userId }), type: 'postback', message: undefined };
    expect((await sim.sendEvents([bad])).status).toBe(200);
    await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
    const dl = (await listDeadLetters(rt.models)).find((d) => d._id === `line:${bad.webhookEventId}`);
    expect(dl).toMatchObject({ kind: 'line-event', attempts: 3, summary: 'postback from user' });
    expect(dl!.reason).toMatch(/failed 3 times/);
    // Visible to operators: /metrics and the queue board (reason and shape, not content).
    const metrics = await (await fetch(`${stack.web.url}/metrics`)).text();
    expect(metrics).toMatch(/rongrian_dead_letters\{kind="line-event"\} [1-9]/);
    const auth = { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}` };
    const board = await (await fetch(`${web2.url}/admin/queues/api/queues?activeQueue=dead-letters&status=waiting&page=1`, { headers: auth })).json();
    const q = board.queues.find((x: { name: string }) => x.name === 'dead-letters');
    const shown = q.jobs.find((j: { data: { id: string } }) => j.data.id === `line:${bad.webhookEventId}`);
    expect(shown.data).toMatchObject({ kind: 'line-event', summary: 'postback from user', attempts: 3 });
    expect(JSON.stringify(shown)).not.toContain(citizen.userId);
  });

  it('a turn LINE keeps failing past its budget is dead-lettered and the chat moves on; a redrive after that replays nothing', async () => {
    const { sim, rt } = stack;
    const citizen = await stack.citizen('ผู้ร้อง ส่งใหม่');
    sim.injectFaults({ status: 503, count: 1_000, paths: /\/(reply|push)$/ });
    const sent = await sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน');
    const id = `line:${sent.events[0].webhookEventId}`;
    await until(async () => (await listDeadLetters(rt.models)).find((d) => d._id === id));
    sim.clearFaults();
    // The turn was applied (state saved) before the send failed: the next turn continues from it.
    const next = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ยกเลิก'));
    expect(next).toBeTruthy();
    // The CLI command in this process (one real `node app/cli.ts` run is below: they are slow to start).
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await deadLetterCommand(['list'], stack.env)).toBe(0);
      const listed = out.mock.calls.flat().join('\n');
      expect(listed).toContain(id);
      expect(listed).toMatch(/still failing after \d+ s/);
      expect(await deadLetterCommand(['redrive', 'line:nope'], stack.env)).toBe(1);
      expect(err.mock.calls.flat().join('\n')).toContain('no dead letter');
      expect(await deadLetterCommand(['nonsense'], stack.env)).toBe(2);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const count = sim.messagesFor(citizen.userId).length;
    const redo = await run(process.execPath, ['app/cli.ts', 'deadletter', 'redrive', id], { env: { ...process.env, ...stack.env } });
    expect(redo.stdout).toContain('redriven');
    // Its chat moved on (the later turn was applied): the stale turn is not replayed into it.
    await drained(stack);
    expect(sim.messagesFor(citizen.userId)).toHaveLength(count);
    const after = (await listDeadLetters(rt.models, { all: true })).find((d) => d._id === id);
    expect(after?.redrivenAt).toBeTruthy();
    expect((await listDeadLetters(rt.models)).some((d) => d._id === id)).toBe(false);
  }, 60_000);

  it('a redriven turn that is still its chat’s last is sent (applied once)', async () => {
    const { sim, rt } = stack;
    const citizen = await stack.citizen('ผู้ร้อง รอส่ง');
    sim.injectFaults({ status: 500, count: 1_000, paths: /\/(reply|push)$/ });
    const sent = await sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน');
    const id = `line:${sent.events[0].webhookEventId}`;
    await until(async () => (await listDeadLetters(rt.models)).find((d) => d._id === id));
    sim.clearFaults();
    expect(sim.messagesFor(citizen.userId)).toHaveLength(0);
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await deadLetterCommand(['redrive', id], stack.env)).toBe(0);
    } finally {
      out.mockRestore();
    }
    await waitForText(sim, citizen.userId, 'ขั้นที่ 1/6');
    expect(textsOf(sim, citizen.userId)).toHaveLength(1);
    expect((await rt.models.Conversation.findById(citizen.userId).lean())?.state).toBe('askingCategory');
  }, 60_000);
});
