/**
 * A chat's turns stay in order when LINE fails: a turn whose reply failed is retried before the
 * chat's next turn runs; 429s are retried no sooner than LINE's Retry-After; a reply token too old
 * to work is not tried, the turn is pushed with its retry key, and a retried push sends once.
 * Faults come from the LINE simulator (injectFaults), everything else is real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryKeyFor } from '../shared/line/client.ts';
import { ulid } from '../simulator/server.ts';
import { converse, drained, quickPostback, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

/** A citizen at step 2/6 (asked what happened). */
async function atDescription(name: string) {
  const { sim } = stack;
  const citizen = await stack.citizen(name);
  const m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
  const asked = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, '🚨 ยาเสพติด/พนัน')));
  expect(asked.text).toContain('ขั้นที่ 2/6');
  return citizen;
}

const replyCalls = (from: number) => stack.sim.requests.slice(from).filter((r) => r.path === '/v2/bot/message/reply');

describe('per-chat order under LINE failures', () => {
  it('a 500 on a turn’s reply holds the chat’s next turn: both answered, in order, each applied once', async () => {
    const { sim, rt } = stack;
    const citizen = await atDescription('ผู้ร้อง ลำดับ');
    const before = textsOf(sim, citizen.userId).length;
    sim.injectFaults({ status: 500, count: 1, paths: /\/reply$/ });
    // Two turns back to back, as a person typing fast: the second arrives while the first is failing.
    expect((await sim.sendText(citizen.userId, 'มีบ่อนการพนันเปิดทุกคืนหลังตลาดสด เสียงดังถึงตีสาม')).status).toBe(200);
    expect((await sim.sendText(citizen.userId, 'ลำพูน')).status).toBe(200);
    await waitForText(sim, citizen.userId, 'จังหวัดลำพูน', 20_000);
    const after = textsOf(sim, citizen.userId).slice(before);
    expect(after[0]).toContain('ขั้นที่ 3/6');
    expect(after[1]).toContain('จังหวัดลำพูน');
    expect(after).toHaveLength(2);
    const conv = await rt.models.Conversation.findById(citizen.userId).lean();
    // The description is the first turn's text, not "ลำพูน" (which a reordered chat took for it).
    expect((conv!.draft as { description?: string }).description).toContain('บ่อนการพนัน');
  });

  it('a 429 is retried no sooner than its Retry-After, and the reply still goes out once', async () => {
    const { sim } = stack;
    const citizen = await atDescription('ผู้ร้อง รอคิว');
    const from = sim.requests.length;
    sim.injectFaults({ status: 429, count: 2, retryAfterSec: 2, paths: /\/reply$/ });
    expect((await sim.sendText(citizen.userId, 'ถนนหน้าบ้านเป็นหลุมลึก รถล้มทุกวัน')).status).toBe(200);
    await waitForText(sim, citizen.userId, 'ขั้นที่ 3/6', 20_000);
    const calls = replyCalls(from);
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    for (let i = 1; i < calls.length; i++) expect(calls[i].at - calls[i - 1].at).toBeGreaterThanOrEqual(1_900);
    expect(textsOf(sim, citizen.userId).filter((t) => t.includes('ขั้นที่ 3/6'))).toHaveLength(1);
  });

  it('a worker shut down while a turn waits out a Retry-After stops at once and hands the turn back: the next worker sends it', async () => {
    const { sim, rt } = stack;
    const citizen = await stack.citizen('ผู้ร้อง ปิดระบบ');
    const from = sim.requests.length;
    sim.injectFaults({ status: 429, count: 1, retryAfterSec: 60, paths: /\/reply$/ });
    const sent = await sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน');
    const deadline = Date.now() + 15_000;
    while (!replyCalls(from).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await stack.workers!.close();
    expect(Date.now() - t0).toBeLessThan(10_000);
    const states = await Promise.all(rt.queues.lineEvents.map((q) => q.getJobState(sent.events[0].webhookEventId)));
    expect(states.filter((s) => s !== 'unknown')).toEqual(['waiting']);
    await stack.startWorkers();
    await waitForText(sim, citizen.userId, 'ขั้นที่ 1/6', 20_000);
    expect(textsOf(sim, citizen.userId)).toHaveLength(1);
  });

  it('a reply token too old to work is not tried: the turn is pushed with its retry key, and a failed push is retried with the same key, delivered once', async () => {
    const { sim } = stack;
    const citizen = await stack.citizen('ผู้ร้อง มาช้า');
    const from = sim.requests.length;
    const webhookEventId = ulid(Date.now());
    const event = {
      type: 'message', mode: 'active', timestamp: Date.now() - 120_000, webhookEventId, deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId: citizen.userId }, replyToken: 'f'.repeat(32),
      message: { type: 'text', id: '123456789012345678', quoteToken: 'q'.repeat(20), text: 'แจ้งเรื่องร้องเรียน' },
    };
    sim.injectFaults({ status: 500, count: 1, paths: /\/push$/ });
    expect((await sim.sendEvents([event])).status).toBe(200);
    await waitForText(sim, citizen.userId, 'ขั้นที่ 1/6', 20_000);
    await drained(stack);
    const calls = sim.requests.slice(from).filter((r) => /\/message\/(reply|push)$/.test(r.path));
    expect(calls.map((c) => [c.path, c.status])).toEqual([['/v2/bot/message/push', 500], ['/v2/bot/message/push', 200]]);
    expect(calls.every((c) => c.retryKey === retryKeyFor(`reply:${webhookEventId}`))).toBe(true);
    expect(sim.messagesFor(citizen.userId)).toHaveLength(1);
  });
});
