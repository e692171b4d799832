import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCaseGuarded } from '../shared/store/guardedUpdate.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { defaultCalendar as cal } from '../shared/sla/calendar.ts';
import { LateTally, lateSnapshotModel, LIVE_MAX_OPEN_CASES, missedDeadline } from '../shared/supervision/lateSnapshot.ts';
import { lateUnits } from '../shared/supervision/lateUnits.ts';
import { runSla, type SlaDeps } from '../workers/sla/run.ts';
import { createSlaQueue, reconcileSla } from '../workers/sla/worker.ts';
import { startStack, textsOf, type Stack } from './helpers/stack.ts';

// What bench:sla needs at national scale, checked on the real FerretDB: the SLA's `_id`-only writes
// lose nothing to concurrent writers, and the late-units snapshot says what the live count says.
const bkk = (local: string): Date => new Date(`${local}:00+07:00`);

describe('late-units tally (pure)', () => {
  const now = bkk('2026-03-16T10:00');
  it('counts the earliest missed deadline whose promise is not kept', () => {
    expect(missedDeadline({ status: 'received', ackDueAt: bkk('2026-03-10T09:00'), resolveDueAt: bkk('2026-04-20T16:30') }, now)).toEqual(bkk('2026-03-10T09:00'));
    // Acknowledged: the ack deadline no longer counts.
    expect(missedDeadline({ status: 'assigned', ackDueAt: bkk('2026-03-10T09:00') }, now)).toBeUndefined();
    // s.38: answered (a progress note) → not late on the answer; unanswered → late.
    expect(missedDeadline({ status: 'assigned', answerDueAt: bkk('2026-03-12T09:00'), timeline: [{ action: 'opened' }, { action: 'note' }] }, now)).toBeUndefined();
    expect(missedDeadline({ status: 'assigned', answerDueAt: bkk('2026-03-12T09:00'), timeline: [{ action: 'opened' }] }, now)).toEqual(bkk('2026-03-12T09:00'));
    expect(missedDeadline({ status: 'closed', resolveDueAt: bkk('2026-03-01T09:00') }, now)).toBeUndefined();
  });
  it('keeps per unit the count and the oldest case', () => {
    const t = new LateTally(now);
    t.add({ status: 'received', unitCode: '5001', trackingNo: 'A', ackDueAt: bkk('2026-03-12T09:00') });
    t.add({ status: 'received', unitCode: '5001', trackingNo: 'B', ackDueAt: bkk('2026-03-11T09:00') });
    t.add({ status: 'received', unitCode: '5002', trackingNo: 'C', ackDueAt: bkk('2026-03-20T09:00') });
    expect(t.openCases).toBe(3);
    expect(t.result()).toEqual([{ unitCode: '5001', overdue: 2, oldestDueAt: bkk('2026-03-11T09:00'), oldestTrackingNo: 'B' }]);
  });
});

describe('SLA at scale on the real stack', () => {
  const clock = { t: bkk('2026-03-16T10:00'), now() { return new Date(this.t); } };
  let stack: Stack;
  let deps: SlaDeps;
  let seq = 0;
  beforeAll(async () => {
    // No workers: nothing else writes the cases while the test races its own writers.
    stack = await startStack({ clock, worker: false });
    deps = { models: stack.rt.models, line: stack.rt.line, log: stack.rt.log, clock, calendar: cal };
  });
  afterAll(async () => { await stack?.close(); });

  async function fileCase(set: Record<string, unknown>) {
    const c = await openCase(stack.rt.bot, {
      idempotencyKey: `scale-${++seq}`, channel: 'line', category: 'help', description: 'ทดสอบการนับหน่วยงานล่าช้า',
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
      complainant: { name: 'ผู้ร้อง', lang: 'th' }, consent: { version: '2569.1', at: new Date() }, by: { kind: 'citizen', id: 'x' },
    });
    await stack.rt.models.Case.updateOne({ _id: c._id }, { $set: { receivedAt: bkk('2026-03-02T09:00'), ...set }, $unset: Object.fromEntries(['ackDueAt', 'answerDueAt', 'resolveDueAt'].filter((k) => !(k in set)).map((k) => [k, 1])) });
    return c;
  }

  it('`_id`-only SLA writes (after the version claim) and guarded domain writes racing on one case: nothing lost', async () => {
    const c = await fileCase({ status: 'assigned' });
    const id = String(c._id);
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => updateCaseGuarded(stack.rt.models, id, {}, (cur) => ({ $addToSet: { slaSent: { $each: [`k${i}`] } }, $set: { slaNextAt: new Date(Date.UTC(2026, 3, i + 1)) } }), { byIdOnly: true })),
      ...Array.from({ length: 8 }, (_, i) => updateCaseGuarded(stack.rt.models, id, { status: 'assigned' }, { $push: { timeline: { at: new Date(), by: { kind: 'system' }, action: 'note', note: `n${i}` } } })),
    ]);
    const saved = await stack.rt.models.Case.findById(id).lean();
    expect([...saved!.slaSent].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `k${i}`));
    expect(saved!.timeline.filter((e) => e.action === 'note').map((e) => e.note).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `n${i}`));
    expect(saved!.version).toBeGreaterThanOrEqual(16);
    await stack.rt.models.Case.updateMany({}, { $set: { status: 'closed' } });
  });

  it('a run records its keys on every due case, whether the version claim is free, left by a crashed writer or raced by commands; one digest, once', async () => {
    const { models } = stack.rt;
    const officer = await stack.officer('5003', 'officer', 'จนท. ชุด');
    const cases: Awaited<ReturnType<typeof fileCase>>[] = [];
    for (let i = 0; i < 6; i++) cases.push(await fileCase({ unitCode: '5003', status: 'received', ackDueAt: bkk('2026-03-09T16:30') }));
    // A writer died holding the claim on the first case's current version: the run's batch claim
    // fails there and that case goes the one-at-a-time way, which takes the stale claim over.
    const first = await models.Case.findById(cases[0]._id).lean();
    await models.CaseClaim.create({ _id: `${cases[0]._id}:${first!.version ?? 0}:0`, at: new Date(Date.now() - 60_000) });
    const at = bkk('2026-03-10T10:00');
    // Commands write the other cases while the run reads, claims and writes them.
    const [r] = await Promise.all([
      runSla(deps, at),
      ...cases.slice(1).map((c, i) => updateCaseGuarded(models, String(c._id), { status: 'received' }, { $push: { timeline: { at: new Date(), by: { kind: 'system' }, action: 'note', note: `race${i}` } } })),
    ]);
    expect(r.notifications).toBe(6);
    // The stale claim was taken over one generation further.
    expect(await models.CaseClaim.exists({ _id: `${cases[0]._id}:${first!.version ?? 0}:1` })).toBeTruthy();
    for (const [i, c] of cases.entries()) {
      const saved = await models.Case.findById(c._id).lean();
      expect(saved!.slaSent.filter((k) => k.includes(':nudge-ack:'))).toHaveLength(1);
      expect(new Date(saved!.slaNextAt!).getTime()).toBeGreaterThan(at.getTime());
      if (i) expect(saved!.timeline.filter((e) => e.note === `race${i - 1}`)).toHaveLength(1);
    }
    const told = () => textsOf(stack.sim, officer.userId).filter((t) => cases.every((c) => t.includes(c.trackingNo)));
    expect(told()).toHaveLength(1);
    expect((await runSla(deps, at)).messages).toBe(0);
    expect(told()).toHaveLength(1);
    await models.Case.updateMany({}, { $set: { status: 'closed' } });
  });

  it('the reconcile sweep stores a per-unit tally equal to the live count; with many open cases (LIVE_MAX_OPEN_CASES) the card uses it', async () => {
    await fileCase({ unitCode: '5001', status: 'received', ackDueAt: bkk('2026-03-09T16:30') });
    await fileCase({ unitCode: '5001', status: 'received', ackDueAt: bkk('2026-03-12T16:30') });
    await fileCase({ unitCode: '5001', status: 'received', ackDueAt: bkk('2026-03-30T16:30') });
    // Answered within s.38 (a progress note): not late, although its answer date has passed.
    const answered = await fileCase({ unitCode: '5002', status: 'in_progress', answerDueAt: bkk('2026-03-13T09:00') });
    await stack.rt.models.Case.updateOne({ _id: answered._id }, { $push: { timeline: { at: new Date(), by: { kind: 'system' }, action: 'note', note: 'ตอบแล้ว' } } });
    await fileCase({ unitCode: '5101', status: 'in_progress', answerDueAt: bkk('2026-03-13T09:00') });

    const live = await lateUnits(stack.rt.models, cal, null, clock.now());
    expect(live.asOf).toBeUndefined();
    expect(live.units.map((u) => [u.unitCode, u.overdue])).toEqual([['5001', 2], ['5101', 1]]);

    const queue = createSlaQueue(stack.rt.queues.connection, stack.config.QUEUE_PREFIX);
    try { await reconcileSla(deps, queue); } finally { await queue.close(); }
    const Snap = lateSnapshotModel(stack.rt.models);
    const snap = await Snap.findById('country').lean();
    expect(snap!.openCases).toBe(5);
    expect(snap!.units.map((u) => [u.unitCode, u.overdue, u.oldestTrackingNo]).sort()).toEqual(live.units.map((u) => [u.unitCode, u.overdue, u.oldestTrackingNo]).sort());

    // A small deployment counts live, exact to the second; a big one reads the sweep's tally.
    await Snap.updateOne({ _id: 'country' }, { $set: { openCases: LIVE_MAX_OPEN_CASES + 1 } });
    const fromSnap = await lateUnits(stack.rt.models, cal, ['5001', '5002'], clock.now());
    expect(fromSnap.asOf).toEqual(clock.now());
    expect(fromSnap.units.map((u) => [u.unitCode, u.overdue, u.oldestDays])).toEqual([['5001', live.units[0].overdue, live.units[0].oldestDays]]);
    expect(fromSnap.totalCases).toBe(2);
    // Half an hour later with no sweep since: not trusted, live again.
    clock.t = bkk('2026-03-16T10:30');
    expect((await lateUnits(stack.rt.models, cal, null, clock.now())).asOf).toBeUndefined();
  });
});
