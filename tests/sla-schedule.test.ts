import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCaseGuarded } from '../shared/store/guardedUpdate.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { defaultCalendar as cal } from '../shared/sla/calendar.ts';
import { planCase, type SlaCase } from '../shared/sla/plan.ts';
import { runSla, type SlaDeps } from '../workers/sla/run.ts';
import { createSlaQueue, reconcileSla } from '../workers/sla/worker.ts';
import { wakeJobId } from '../workers/sla/schedule.ts';
import { startStack, textsOf, type Stack } from './helpers/stack.ts';

// Bangkok wall-clock → instant. March 2026 has no holiday between the 9th and the 24th.
const bkk = (local: string): Date => new Date(`${local}:00+07:00`);
const DIGEST = 'สรุปเรื่องร้องเรียนที่ต้องติดตาม';

// The planner alone (no services): tests/unit/sla-plan.test.ts.

describe('SLA runs on the real stack', () => {
  const clock = { t: bkk('2026-03-09T09:00'), now() { return new Date(this.t); } };
  let stack: Stack;
  let deps: SlaDeps;
  let seq = 0;
  beforeAll(async () => {
    stack = await startStack({ clock });
    deps = { models: stack.rt.models, line: stack.rt.line, log: stack.rt.log, clock, calendar: cal };
  });
  afterAll(async () => { await stack?.close(); });

  async function fileCase(citizenId: string | undefined, set: Record<string, unknown>) {
    const c = await openCase(stack.rt.bot, {
      idempotencyKey: `sla-${++seq}`, channel: 'line', category: 'help', description: 'ทดสอบนาฬิกา SLA ของเรื่องร้องเรียน',
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
      complainant: { lineUserId: citizenId, name: 'ผู้ร้อง', lang: 'th' },
      consent: { version: '2569.1', at: new Date() },
      by: { kind: 'citizen', id: citizenId ?? 'x' },
    });
    // Guarded like every case write: the case's domain events are still being consumed (and their
    // marks written) in the background, and on FerretDB a plain update could erase one or be erased.
    const moved = await updateCaseGuarded(stack.rt.models, String(c._id), {}, { $set: { receivedAt: bkk('2026-03-09T09:00'), ...set }, $unset: Object.fromEntries(['ackDueAt', 'answerDueAt', 'resolveDueAt'].filter((k) => !(k in set)).map((k) => [k, 1])) });
    expect(moved).not.toBeNull();
    return c;
  }
  /** Ends every case the test opened, so the next test's runs see only its own. */
  async function closeAll() {
    for (const c of await stack.rt.models.Case.find({ status: { $ne: 'closed' } }, { _id: 1 }).lean()) {
      await updateCaseGuarded(stack.rt.models, String(c._id), {}, { $set: { status: 'closed' } });
    }
  }
  const digests = (userId: string) => textsOf(stack.sim, userId).filter((t) => t.includes(DIGEST));

  it('one digest per officer, nudge then daily nudge, escalation recorded and never to the concerned unit, apology once', async () => {
    const { rt } = stack;
    const officer = await stack.officer('5001', 'officer', 'จนท. อำเภอ');
    const head = await stack.officer('5001', 'head', 'หัวหน้า อำเภอ');
    const provinceHead = await stack.officer('50', 'head', 'หัวหน้า จังหวัด');
    const ministryHead = await stack.officer('MOI', 'head', 'หัวหน้า กระทรวง');
    const citizen = await stack.citizen();
    const officerDoc = await rt.models.Officer.findOne({ lineUserId: officer.userId }).lean();
    const late = await fileCase(citizen.userId, { ackDueAt: bkk('2026-03-09T16:30') });
    const soon = await fileCase(undefined, { status: 'assigned', assignee: { officerId: String(officerDoc!._id), name: 'จนท. อำเภอ' }, resolveDueAt: bkk('2026-03-11T09:00') });
    const aboutProvince = await fileCase(undefined, { concernedUnitCode: '50', ackDueAt: bkk('2026-03-09T16:30') });

    // Tue 10:00: both overdue acks and the reminder of `soon` (50 % and one working day before: Tue 09:00) in ONE message to the officer.
    const r1 = await runSla(deps, bkk('2026-03-10T10:00'));
    expect(r1.messages).toBe(3); // officer, unit head, citizen: one each
    const [d1] = digests(officer.userId);
    expect(digests(officer.userId)).toHaveLength(1);
    for (const c of [late, soon, aboutProvince]) expect(d1).toContain(c.trackingNo);
    expect(digests(head.userId)).toHaveLength(1);
    expect(digests(head.userId)[0]).not.toContain(soon.trackingNo);
    expect(textsOf(stack.sim, citizen.userId).filter((t) => t.includes('ขออภัย'))).toHaveLength(1);

    // The same moment again: nothing twice.
    expect((await runSla(deps, bkk('2026-03-10T10:00'))).messages).toBe(0);
    expect((await runSla(deps, bkk('2026-03-10T12:00'))).messages).toBe(0);
    // 20:00 is quiet: nothing for officers.
    expect((await runSla(deps, bkk('2026-03-10T20:00'))).messages).toBe(0);

    // Wed 08:30: the daily nudge.
    await runSla(deps, bkk('2026-03-11T08:30'));
    expect(digests(officer.userId)).toHaveLength(2);

    // Thu 08:30 (Mon 16:30 + 2 working days = Wed 16:30, held to the morning): level 1.
    await runSla(deps, bkk('2026-03-12T08:30'));
    const saved = await rt.models.Case.findById(late._id).lean();
    expect(saved!.escalationLevel).toBe(1);
    expect(saved!.timeline.find((e) => e.action === 'escalated')).toMatchObject({ unitCode: '50', by: { kind: 'system' } });
    expect(digests(provinceHead.userId)).toHaveLength(1);
    expect(digests(provinceHead.userId)[0]).toContain(late.trackingNo);
    expect(digests(provinceHead.userId)[0]).not.toContain(aboutProvince.trackingNo);
    expect(digests(ministryHead.userId)[0]).toContain(aboutProvince.trackingNo);
    expect((await rt.models.Case.findById(aboutProvince._id).lean())!.timeline.find((e) => e.action === 'escalated')).toMatchObject({ unitCode: 'MOI' });
    expect(textsOf(stack.sim, citizen.userId).filter((t) => t.includes('ขออภัย'))).toHaveLength(1);
    await closeAll();
  });

  it('an escalation goes to someone who can act on it, with the link to act: up the ladder past a unit with only plain officers', async () => {
    const withLinks: SlaDeps = { ...deps, links: stack.rt.bot.links };
    // Province 51 (Lamphun) has a plain officer but no head or executive yet; the ministry has a head.
    const plainUpThere = await stack.officer('51', 'officer', 'จนท. จังหวัดลำพูน');
    const ministryHead = await stack.officer('MOI', 'head', 'หัวหน้า กระทรวง 2');
    await stack.officer('5101', 'officer', 'จนท. เมืองลำพูน');
    const c = await fileCase(undefined, { unitCode: '5101', ackDueAt: bkk('2026-03-23T16:30') });
    await runSla(withLinks, bkk('2026-03-26T08:30'));
    expect((await stack.rt.models.Case.findById(c._id).lean())!.escalationLevel).toBe(1);
    const mine = digests(ministryHead.userId).filter((d) => d.includes(c.trackingNo));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain('รับเรื่องไว้เอง หรือมอบหมายเจ้าหน้าที่ได้ที่:');
    expect(mine[0]).toContain('/officer/below?filter=late');
    expect(digests(plainUpThere.userId).filter((d) => d.includes(c.trackingNo))).toHaveLength(0);
    await closeAll();
  });

  it('a run that crashed after recording or half-way through sending sends nothing twice', async () => {
    const officer = await stack.officer('5002', 'officer', 'จนท. ครash');
    const c = await fileCase(undefined, { status: 'received', unitCode: '5002', ackDueAt: bkk('2026-03-16T10:00') });
    const crash = () => { throw new Error('killed'); };
    await expect(runSla(deps, bkk('2026-03-16T11:00'), { afterBatchWritten: crash })).rejects.toThrow('killed');
    expect(digests(officer.userId)).toHaveLength(0);
    const r = await runSla(deps, bkk('2026-03-16T11:05'));
    expect(r.recovered).toBe(1);
    expect(digests(officer.userId)).toHaveLength(1);
    // Crash right after the push, before the batch is marked done: the retry key stops the repeat.
    await expect(runSla(deps, bkk('2026-03-17T08:30'), { afterPush: crash })).rejects.toThrow('killed');
    expect(digests(officer.userId)).toHaveLength(2);
    expect((await runSla(deps, bkk('2026-03-17T08:31'))).recovered).toBe(1);
    expect(digests(officer.userId)).toHaveLength(2);
    expect((await stack.rt.models.Case.findById(c._id).lean())!.slaSent).toHaveLength(2);
    await closeAll();
  });

  it('every open case has a wake-up job; a wiped queue is rebuilt by the reconcile; a run goes through the worker', async () => {
    clock.t = bkk('2026-03-18T09:00');
    const officer = await stack.officer('5003', 'officer', 'จนท. คิว');
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push(await fileCase(undefined, { unitCode: '5003', resolveDueAt: bkk(`2026-03-2${i}T14:00`) }));
    const queue = createSlaQueue(stack.rt.queues.connection, stack.config.QUEUE_PREFIX);
    try {
      // The domain-event worker schedules each case (after our deadline update, so reschedule explicitly via reconcile too).
      await reconcileSla(deps, queue);
      for (const c of cases) expect(await queue.getJobState(wakeJobId(String(c._id)))).toBe('delayed');
      await queue.obliterate({ force: true });
      for (const c of cases) expect(await queue.getJobState(wakeJobId(String(c._id)))).toBe('unknown');
      const r = await reconcileSla(deps, queue);
      expect(r.scheduled).toBeGreaterThanOrEqual(3);
      for (const c of cases) {
        const job = await queue.getJob(wakeJobId(String(c._id)));
        const expected = planCase((await stack.rt.models.Case.findById(c._id).lean()) as unknown as SlaCase, cal, clock.now()).nextAt!;
        expect(job!.timestamp + job!.opts.delay!).toBeGreaterThanOrEqual(expected.getTime() - 5_000 + (Date.now() - clock.now().getTime()) * 0);
      }
      // Fast-forward: Fri 20 08:30, the wake-ups fire (here: queued by hand) → one run of the woken cases → one digest.
      clock.t = bkk('2026-03-20T08:30');
      await queue.addBulk(cases.map((c) => ({ name: 'wake', data: { caseId: String(c._id), at: clock.t.getTime() } })));
      // Usually one run takes all three; on a loaded machine a wake-up can land just after its minute's
      // run and get one more run. Either way the officer hears of each case once, none lost, none twice.
      const told = (no: string) => digests(officer.userId).filter((d) => d.includes(no)).length;
      const deadline = Date.now() + 15_000;
      while (cases.some((c) => told(c.trackingNo) < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      // Let whatever else was queued (the reschedules, a late run) finish before counting repeats.
      for (let n; (n = await queue.getJobCounts('waiting', 'active', 'prioritized')), n.waiting + n.active + n.prioritized > 0 && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(digests(officer.userId).length).toBeGreaterThanOrEqual(1);
      for (const c of cases) expect(told(c.trackingNo)).toBe(1);
    } finally {
      await queue.close();
    }
  });
});
