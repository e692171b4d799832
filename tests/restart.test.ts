import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleLineEvent } from '../bot/handlers/index.ts';
import { converse, drained, quickPostback, startStack, textsOf, type Stack } from './helpers/stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack({ worker: false }); });
afterAll(async () => { await stack?.close(); });

/** The real `npm run worker` process, as production runs it. */
function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['app/worker.ts'], { env: { ...process.env, ...stack.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d) => { out += d; if (out.includes('worker running')) { clearTimeout(timer); resolve(child); } });
    child.stderr!.on('data', (d) => { out += d; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited ${code}: ${out}`)); });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL'); });
}

describe('worker crashes and restarts', () => {
  it('a worker killed mid-conversation loses nothing: queued messages are handled by the next one and the talk resumes', async () => {
    const { sim, rt } = stack;
    const citizen = await stack.citizen('ผู้ร้อง ต่อเนื่อง');
    let worker = await startWorkerProcess();
    let m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, '🚨 ยาเสพติด/พนัน')));
    await drained(stack);
    await kill(worker);

    // While no worker runs, LINE keeps delivering: the webhook still accepts and keeps the events.
    const before = sim.messagesFor(citizen.userId).length;
    const sent = await sim.sendText(citizen.userId, 'มีบ่อนการพนันเปิดทุกคืนหลังตลาดสด เสียงดังถึงตีสาม');
    expect(sent.status).toBe(200);
    const loc = await sim.sendText(citizen.userId, 'ลำพูน');
    expect(loc.status).toBe(200);
    expect(sim.messagesFor(citizen.userId)).toHaveLength(before);

    worker = await startWorkerProcess();
    try {
      await sim.waitForMessages(citizen.userId, before + 2, 20_000);
      m = sim.messagesFor(citizen.userId).at(-1)!.messages[0];
      expect(m.text).toContain('จังหวัดลำพูน');
      m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'เมือง'));
      m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ไม่มีรูป'));
      m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยินยอม')));
      m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยืนยันส่งเรื่อง')));
      expect(m.text).toContain('เลขรับเรื่อง');
      const c = await rt.models.Case.findOne({ 'complainant.lineUserId': citizen.userId }).lean();
      expect(c).toMatchObject({ problemType: 'safety_drugs', category: 'tipoff', unitCode: '5101', location: { provinceCode: '51', districtCode: '5101' } });
      expect(c!.description).toContain('บ่อนการพนัน');
      // Each question was asked exactly once: nothing was processed twice across the restart.
      expect(textsOf(sim, citizen.userId).filter((t) => t.includes('ขั้นที่ 3/6'))).toHaveLength(1);
    } finally {
      await kill(worker);
    }
  });

  it('npm run worker shuts down cleanly on SIGTERM', async () => {
    const worker = await startWorkerProcess();
    const code = await new Promise<number | null>((resolve) => { worker.once('exit', (c) => resolve(c)); worker.kill('SIGTERM'); });
    expect(code).toBe(0);
  });

  it('a job retried after dying between saving the turn and replying sends the replies once, and never re-applies the turn', async () => {
    const { sim, rt } = stack;
    const citizen = await stack.citizen('ผู้ร้อง ระหว่างทาง');
    const eventId = '01JRETRY00000000000000000A';
    // The state the crashed attempt left: turn applied and saved, replies not yet sent.
    await rt.models.Conversation.create({ _id: citizen.userId, state: 'askingDescription', draft: { category: 'help' }, lang: 'th', displayName: 'x', lastEventId: eventId, outbox: [{ type: 'text', text: 'ขั้นที่ 2/6 (ค้างส่ง)' }] });
    const job = {
      destination: sim.botUserId,
      event: {
        type: 'postback', mode: 'active', timestamp: Date.now(), webhookEventId: eventId, deliveryContext: { isRedelivery: false },
        source: { type: 'user', userId: citizen.userId }, replyToken: 'expired-reply-token', postback: { data: 's=askingCategory&a=cat&v=help' },
      },
    } as never;
    await handleLineEvent(rt.bot, job);
    await handleLineEvent(rt.bot, job);
    expect(textsOf(sim, citizen.userId)).toEqual(['ขั้นที่ 2/6 (ค้างส่ง)']);
    const conv = await rt.models.Conversation.findById(citizen.userId).lean();
    expect(conv).toMatchObject({ state: 'askingDescription', outbox: null });
  });
  it('a job retried after dying between replying and recording it does not answer twice', async () => {
    const { sim, rt } = stack;
    const citizen = await stack.citizen('ผู้ร้อง ตอบแล้ว');
    const before = sim.messagesFor(citizen.userId).length;
    const sent = await sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน');
    const event = sent.events[0];
    // Handled here (whether or not a worker of this stack got to it first: then this is a no-op).
    await handleLineEvent(rt.bot, { destination: sim.botUserId, event } as never);
    await sim.waitForMessages(citizen.userId, before + 1, 15_000);
    // The state a crash right after LINE accepted the reply leaves: the turn's replies still in its outbox.
    await rt.models.Conversation.updateOne({ _id: citizen.userId }, { $set: { outbox: [{ type: 'text', text: 'คำตอบเดิม (ส่งแล้ว)' }], replyAttempt: event.webhookEventId } });
    await handleLineEvent(rt.bot, { destination: sim.botUserId, event } as never);
    expect(sim.messagesFor(citizen.userId)).toHaveLength(before + 1);
    expect(textsOf(sim, citizen.userId)).not.toContain('คำตอบเดิม (ส่งแล้ว)');
    expect(await rt.models.Conversation.findById(citizen.userId).lean()).toMatchObject({ outbox: null });
  });
});
