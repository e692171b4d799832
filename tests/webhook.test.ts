import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from '../simulator/server.ts';
import { converse, drained, startStack, textsOf, type Stack } from './helpers/stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack({ worker: false }); });
afterAll(async () => { await stack?.close(); });

const sign = (body: string, secret = stack.config.LINE_CHANNEL_SECRET) => createHmac('sha256', secret).update(body).digest('base64');

async function jobsQueued(): Promise<number> {
  await stack.drainIntake();
  const counts = await Promise.all(stack.rt.queues.lineEvents.map((q) => q.getJobCountByTypes('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized')));
  return counts.reduce((a, b) => a + b, 0);
}

function textEvent(userId: string, text: string) {
  return {
    type: 'message', mode: 'active', timestamp: Date.now(), webhookEventId: ulid(Date.now()),
    deliveryContext: { isRedelivery: false }, source: { type: 'user', userId }, replyToken: 'r'.repeat(32),
    message: { type: 'text', id: String(Date.now()), text, quoteToken: 'q' },
  };
}

function post(body: string, headers: Record<string, string>) {
  return fetch(`${stack.web.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('POST /webhook', () => {
  it('queues signed events and answers 200', async () => {
    const before = await jobsQueued();
    const body = JSON.stringify({ destination: stack.sim.botUserId, events: [textEvent('U' + 'a'.repeat(32), 'hi'), textEvent('U' + 'b'.repeat(32), 'hello')] });
    const res = await post(body, { 'x-line-signature': sign(body) });
    expect(res.status).toBe(200);
    expect(await jobsQueued()).toBe(before + 2);
  });

  it('answers 200 to LINE’s empty connectivity check', async () => {
    const body = JSON.stringify({ destination: stack.sim.botUserId, events: [] });
    expect((await post(body, { 'x-line-signature': sign(body) })).status).toBe(200);
  });

  it('refuses a wrong or missing signature with 401 and queues nothing', async () => {
    const before = await jobsQueued();
    const body = JSON.stringify({ destination: stack.sim.botUserId, events: [textEvent('U' + 'c'.repeat(32), 'forged')] });
    const wrong = await post(body, { 'x-line-signature': sign(body, 'not-the-secret') });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).message).toMatch(/signature/i);
    const missing = await post(body, {});
    expect(missing.status).toBe(401);
    // A body changed after signing (one byte) is refused too.
    const tampered = await post(body.replace('forged', 'forgeD'), { 'x-line-signature': sign(body) });
    expect(tampered.status).toBe(401);
    expect(await jobsQueued()).toBe(before);
  });

  it('refuses a body over 1 MB with 413 and bad JSON with 400, each with a clear message', async () => {
    const big = JSON.stringify({ destination: stack.sim.botUserId, events: [textEvent('U' + 'd'.repeat(32), 'x'.repeat(1_100_000))] });
    const tooBig = await post(big, { 'x-line-signature': sign(big) });
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).message).toContain('1 MB');
    const broken = '{"destination":"U1","events":[';
    const bad = await post(broken, { 'x-line-signature': sign(broken) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/JSON/);
    const shapeless = JSON.stringify({ events: 'nope' });
    expect((await post(shapeless, { 'x-line-signature': sign(shapeless) })).status).toBe(400);
    const injected = JSON.stringify({ destination: 'U1', events: [{ type: 'message', webhookEventId: { $gt: '' } }] });
    expect((await post(injected, { 'x-line-signature': sign(injected) })).status).toBe(400);
  });

  it('keeps a redelivered event once: same webhookEventId, one job', async () => {
    const before = await jobsQueued();
    const event = textEvent('U' + 'e'.repeat(32), 'once');
    const first = JSON.stringify({ destination: stack.sim.botUserId, events: [event] });
    const again = JSON.stringify({ destination: stack.sim.botUserId, events: [{ ...event, deliveryContext: { isRedelivery: true } }] });
    expect((await post(first, { 'x-line-signature': sign(first) })).status).toBe(200);
    expect((await post(again, { 'x-line-signature': sign(again) })).status).toBe(200);
    expect(await jobsQueued()).toBe(before + 1);
  });

  it('health and readiness', async () => {
    expect((await fetch(`${stack.web.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.web.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ redis: true, db: true });
  });
});

describe('redelivery through the whole pipeline', () => {
  it('a redelivered message is answered once and applied once', async () => {
    const workers = await stack.startWorkers();
    try {
      const { sim } = stack;
      const citizen = await stack.citizen('ส่งซ้ำ');
      await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่อง'));
      const sent = await sim.sendText(citizen.userId, '1');
      await sim.waitForMessages(citizen.userId, 2);
      await sim.redeliver(sent.events[0].webhookEventId);
      await sim.redeliver(sent.events[0].webhookEventId);
      // Give a wrongly-processed duplicate every chance to show up before counting.
      await drained(stack);
      expect(textsOf(sim, citizen.userId).filter((t) => t.includes('ขั้นที่ 2/6'))).toHaveLength(1);
      const conv = await stack.rt.models.Conversation.findById(citizen.userId).lean();
      expect(conv?.state).toBe('askingDescription');
    } finally {
      await workers.close();
      stack.workers = undefined;
    }
  });
});
