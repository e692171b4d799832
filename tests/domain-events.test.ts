/**
 * Domain events under faults, on the real Redis and FerretDB: each consumer (notify, partner
 * webhooks, SLA reschedule, report counters) runs as its own job, events stay in the case outbox until
 * every consumer is done with them, the worker's sweep queues again what Redis lost, and the report
 * counters take each event exactly once however often it is applied.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../exchange/apiKeys.ts';
import { addSubscription } from '../exchange/webhooks.ts';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import { addProgressNote } from '../shared/cases/commands/addProgressNote.ts';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { openCase, type OpenCaseProps } from '../shared/cases/commands/openCase.ts';
import type { DomainDeps } from '../shared/cases/deps.ts';
import { rejectCase } from '../shared/cases/commands/rejectCase.ts';
import type { CaseEvent } from '../shared/cases/events.ts';
import { isConsumed } from '../shared/cases/outbox.ts';
import { applyEventCounters, countsOf, reportCounterModel } from '../shared/reports/counters.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { startWorkers } from '../workers/index.ts';
import { createSlaQueue, wakeJobId } from '../workers/sla/worker.ts';
import { drained, startStack, type Stack } from './helpers/stack.ts';

let stack: Stack;
let partner: { server: Server; url: string; bodies: any[] };
beforeAll(async () => {
  stack = await startStack();
  const bodies: any[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { bodies.push(JSON.parse(body)); res.statusCode = 204; res.end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  partner = { server, bodies, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook` };
}, 120_000);
afterAll(async () => {
  stack?.sim.clearFaults();
  await stack?.close();
  partner?.server.close();
});

const officerOf = (unitCode: string) => ({ id: 'a'.repeat(24), name: 'จนท. ทดสอบ', unitCode });

function liffCase(lineUserId: string, key = `liff:${lineUserId}:${randomUUID()}`): OpenCaseProps {
  return {
    idempotencyKey: key, channel: 'line', category: 'help', via: 'liff',
    description: 'ไฟฟ้าส่องสว่างในซอยดับมาสองสัปดาห์แล้ว', location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
    complainant: { lineUserId, lang: 'th' }, by: { kind: 'citizen', id: lineUserId },
  };
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** Alert cards an officer got, for one case if given (other tests' cases alert the same unit). */
const alertsTo = (userId: string, trackingNo?: string) => stack.sim.messagesFor(userId).flatMap((r) => r.messages)
  .filter((m: any) => m.type === 'flex' && (!trackingNo || String(m.altText).includes(trackingNo)));
const pendingIds = async (caseId: unknown) => ((await stack.rt.models.Case.findById(caseId, { pendingEvents: 1 }).lean())?.pendingEvents ?? []).map((p) => p.id);
const openedEventOf = async (caseId: unknown) => (await stack.rt.models.Case.findById(caseId).lean())!.timeline[0]!.eventId!;

describe('one consumer per job', () => {
  it('LINE down: the officer alert waits, but the SLA wake-up, the partner webhook and the counters go ahead; the alert follows once, when LINE is back', async () => {
    const { models } = stack.rt;
    const officer = await stack.officer('5001');
    const citizen = await stack.citizen();
    const key = await createApiKey(models, { unitCode: '5001', name: 'หน่วยงานพันธมิตร' });
    await addSubscription(models, { apiKeyId: key.id, url: partner.url, allowHttp: true });
    stack.sim.injectFaults({ status: 500, count: 100_000 });
    const c = await openCase(stack.rt.bot, liffCase(citizen.userId));
    const eventId = await openedEventOf(c._id);

    await until('partner webhook', () => partner.bodies.some((b) => b.id === eventId));
    const sla = createSlaQueue(stack.rt.queues.connection, stack.config.QUEUE_PREFIX);
    await until('SLA wake-up scheduled', async () => (await sla.getJobState(wakeJobId(String(c._id)))) === 'delayed');
    await sla.close();
    await until('counters consumer done', () => isConsumed(models, 'counters', eventId));
    expect(await isConsumed(models, 'notify', eventId)).toBe(false);
    // Kept in the outbox while a consumer still owes it.
    expect(await pendingIds(c._id)).toEqual([eventId]);
    expect(alertsTo(officer.userId, c.trackingNo)).toHaveLength(0);

    stack.sim.clearFaults();
    await until('officer alert after LINE is back', () => alertsTo(officer.userId, c.trackingNo).length >= 1, 30_000);
    await until('outbox emptied', async () => (await pendingIds(c._id)).length === 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(alertsTo(officer.userId, c.trackingNo)).toHaveLength(1);
  }, 60_000);
});

describe('report counters: exactly once per event', () => {
  it('applying every event again — twice at once, and as a counters job retried after dying before it recorded being done — changes nothing', async () => {
    const { models } = stack.rt;
    const events: CaseEvent[] = [];
    const deps: DomainDeps = { ...stack.rt.bot, publish: async (evs) => { events.push(...evs); await stack.rt.bot.publish(evs); } };
    const cases = await Promise.all(Array.from({ length: 5 }, (_x, i) => openCase(deps, liffCase(`U${String(i).padStart(32, 'f')}`))));
    const [a, b, c, d] = cases.map((x) => String(x._id));
    expect((await closeCase(deps, { caseId: a!, officer: officerOf('5001'), summary: 'ซ่อมแล้ว' })).ok).toBe(true);
    expect((await rejectCase(deps, { caseId: b!, officer: officerOf('5001'), reason: 'ซ้ำ' })).ok).toBe(true);
    expect((await forwardCase(deps, { caseId: c!, officer: officerOf('5001'), toUnitCode: '5002', reason: 'อยู่ในพื้นที่' })).ok).toBe(true);
    expect((await closeCase(deps, { caseId: c!, officer: officerOf('5002'), summary: 'ดำเนินการแล้ว' })).ok).toBe(true);
    expect((await addProgressNote(deps, { caseId: d!, officer: officerOf('5001'), text: 'กำลังดำเนินการ' })).ok).toBe(true);
    await drained(stack);
    expect((await verifyCounters(models)).mismatches).toEqual([]);

    await Promise.all(events.flatMap((e) => [applyEventCounters(models, e), applyEventCounters(models, e)]));
    // The worker's job again, as if its first run died after counting and before recording it was done.
    await models.CaseClaim.deleteMany({ _id: { $in: events.map((e) => `ev:counters:${e.id}`) } });
    const counters = stack.workers!.events.queues.get('counters')!;
    for (const e of events) await (await counters.getJob(e.id))?.remove();
    await stack.workers!.events.enqueue(events, ['counters']);
    await drained(stack);
    await until('counters jobs re-run', async () => (await Promise.all(events.map((e) => isConsumed(models, 'counters', e.id)))).every(Boolean));
    expect((await verifyCounters(models)).mismatches).toEqual([]);
  }, 60_000);

  it('a case change whose counting never happened in the command (a crash right after the case write) is counted by the worker', async () => {
    const { models } = stack.rt;
    const deps: DomainDeps = { ...stack.rt.bot, countInline: false };
    const c = await openCase(deps, liffCase('U' + '1'.repeat(32)));
    expect((await closeCase(deps, { caseId: String(c._id), officer: officerOf('5001'), summary: 'ซ่อมแล้ว' })).ok).toBe(true);
    await drained(stack);
    await until('outbox emptied', async () => (await pendingIds(c._id)).length === 0);
    expect((await verifyCounters(models)).mismatches).toEqual([]);
  }, 60_000);
});

describe('report verify --fix while the system runs', () => {
  it('leaves a counter alone while an event for it is still on its way, instead of counting the change twice', async () => {
    const { models } = stack.rt;
    const counters = stack.workers!.events.queues.get('counters')!;
    const c = await openCase(stack.rt.bot, liffCase('U' + '2'.repeat(32)));
    await drained(stack);
    await counters.pause();
    try {
      // Closed, its counting still queued: the recount already sees it closed, the counters not yet.
      expect((await closeCase({ ...stack.rt.bot, countInline: false }, { caseId: String(c._id), officer: officerOf('5001'), summary: 'ซ่อมแล้ว' })).ok).toBe(true);
      const found = await verifyCounters(models, { fix: true });
      expect(found.mismatches.length).toBeGreaterThan(0);
      expect(found.fixed).toBe(false);
      expect(found.skipped.length).toBeGreaterThan(0);
    } finally {
      await counters.resume();
    }
    await drained(stack);
    await until('outbox emptied', async () => (await pendingIds(c._id)).length === 0);
    expect((await verifyCounters(models)).mismatches).toEqual([]);
  }, 60_000);

  it('fixes a damaged counter while cases keep changing, and never turns a concurrent change into a wrong increment', async () => {
    const { models } = stack.rt;
    const Counter = reportCounterModel(models);
    const doc = await Counter.findOne({ _id: /^o:5001:/ }).lean();
    expect(doc).not.toBeNull();
    const key = Object.keys(countsOf(doc))[0]!;
    const counts = countsOf(doc);
    counts[key] = (counts[key] ?? 0) + 7;
    await Counter.updateOne({ _id: doc!._id }, { $set: { s: JSON.stringify(counts) }, $inc: { version: 1 } });

    let busy = true;
    const work = (async () => {
      let i = 0;
      while (busy) {
        const x = await openCase(stack.rt.bot, liffCase(`U${String(++i).padStart(32, '3')}`));
        if (i % 2) await closeCase(stack.rt.bot, { caseId: String(x._id), officer: officerOf('5001'), summary: 'เสร็จ' });
      }
    })();
    try {
      for (let round = 0; round < 3; round++) await verifyCounters(models, { fix: true });
    } finally {
      busy = false;
      await work;
    }
    await drained(stack);
    // Whatever the fixes did while cases changed, they did nothing wrong: a quiet run finds at most the damage.
    const after = await verifyCounters(models);
    for (const m of after.mismatches) expect(`${m.docId} ${m.key} ${m.actual - m.expected}`).toBe(`${doc!._id} ${key} 7`);
    expect((await verifyCounters(models, { fix: true })).skipped).toEqual([]);
    expect((await verifyCounters(models)).mismatches).toEqual([]);
  }, 120_000);
});

describe('nothing lost when Redis loses the jobs', () => {
  it("a LIFF filing retried by the client after the first try died before queuing its events: the retry queues them and the alert arrives once", async () => {
    const officer = await stack.officer('5001');
    const citizen = await stack.citizen();
    const clientRequestId = randomUUID();
    const props = liffCase(citizen.userId, `liff:${citizen.userId}:${clientRequestId}`);
    // The first try: case written, then the process died before queuing.
    await expect(openCase({ ...stack.rt.bot, publish: async () => { throw new Error('killed'); } }, props)).rejects.toThrow('killed');
    const res = await fetch(`${stack.web.url}/liff/api/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.sim.issueIdToken(citizen.userId)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'help', description: props.description, anonymous: false, clientRequestId,
        location: { provinceCode: '50', districtCode: '5001' }, consent: { version: PDPA_NOTICE_VERSION, accepted: true },
      }),
    });
    expect(res.status).toBe(200);
    const { trackingNo } = await res.json() as { trackingNo: string };
    // Well before the periodic sweep (grace 30 s) would step in.
    await until('officer alert', () => alertsTo(officer.userId, trackingNo).length >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(alertsTo(officer.userId, trackingNo)).toHaveLength(1);
  }, 60_000);

  it('Redis emptied after a filing was queued and before the worker took it: the periodic outbox sweep queues it again and the alert arrives once', async () => {
    // A worker with a short sweep period, already running when the jobs are lost (not a restart).
    await stack.workers!.close();
    stack.workers = await startWorkers(stack.rt.workerDeps, {
      redisUrl: stack.config.REDIS_URL, prefix: stack.config.QUEUE_PREFIX, queues: stack.rt.queues, log: stack.rt.log,
      outboxSweepEveryMs: 500, outboxGraceMs: 1_000,
    });
    const officer = await stack.officer('5001');
    const citizen = await stack.citizen();
    await stack.rt.queues.domainEvents.pause();
    const c = await openCase(stack.rt.bot, liffCase(citizen.userId));
    expect(await stack.rt.queues.domainEvents.getJobCountByTypes('waiting')).toBe(1);
    // FLUSHALL, for this stack's keys only (other test files share the Redis).
    await stack.rt.queues.connection.eval(`for _,k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k) end`, 0, `${stack.config.QUEUE_PREFIX}:*`);
    await until('officer alert', () => alertsTo(officer.userId, c.trackingNo).length >= 1, 20_000);
    await until('outbox emptied', async () => (await pendingIds(c._id)).length === 0);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(alertsTo(officer.userId, c.trackingNo)).toHaveLength(1);
  }, 60_000);
});

describe('a close racing a note', () => {
  it('the close that loses the version race to a note is tried again on the still-open case, not refused as "not open"', async () => {
    for (let i = 0; i < 6; i++) {
      const c = await openCase(stack.rt.bot, liffCase(`U${String(i).padStart(32, '4')}`));
      const id = String(c._id);
      const [noted, closed] = await Promise.all([
        addProgressNote(stack.rt.bot, { caseId: id, officer: officerOf('5001'), text: `บันทึก ${i}` }),
        closeCase(stack.rt.bot, { caseId: id, officer: officerOf('5001'), summary: `ปิด ${i}` }),
      ]);
      expect(closed.ok, JSON.stringify(closed)).toBe(true);
      const saved = await stack.rt.models.Case.findById(id).lean();
      expect(saved!.status).toBe('closed');
      // The note either landed first, or found the case already closed.
      expect(saved!.timeline.map((t) => t.action)).toEqual(noted.ok ? ['opened', 'note', 'closed'] : ['opened', 'closed']);
    }
  }, 60_000);
});
