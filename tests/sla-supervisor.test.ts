import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCaseGuarded } from '../shared/store/guardedUpdate.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { defaultCalendar as cal } from '../shared/sla/calendar.ts';
import { unitGroupModel } from '../shared/supervision/groups.ts';
import { nudgeModel } from '../shared/supervision/nudges.ts';
import { ulid, type SimUser } from '../simulator/server.ts';
import { lateSnapshotModel, LIVE_MAX_OPEN_CASES } from '../shared/supervision/lateSnapshot.ts';
import { runSla, type SlaDeps } from '../workers/sla/run.ts';
import { createSlaQueue, reconcileSla } from '../workers/sla/worker.ts';
import { converse, drained, startStack, textsOf, type Stack } from './helpers/stack.ts';

// Bangkok wall-clock → instant. Sat 14 Mar 2026: no office hours, so the background SLA runs send officers nothing.
const bkk = (local: string): Date => new Date(`${local}:00+07:00`);
const CITIZEN_NAME = 'สมหญิง ลับเฉพาะ';
const CITIZEN_PHONE = '0812345678';
const SECRET_TEXT = 'น้ำท่วมหน้าบ้านเลขที่ 99 ซอยลับเฉพาะ';
const NUDGE = 'มีเรื่องเกินกำหนด';

describe('supervisors in LINE: late units, กระตุ้น, unit groups', () => {
  const clock = { t: bkk('2026-03-14T10:00'), now() { return new Date(this.t); } };
  let stack: Stack;
  let deps: SlaDeps;
  let seq = 0;
  const u: Record<string, SimUser> = {};
  const tn: Record<string, string> = {};
  const groupId = `C${randomBytes(16).toString('hex')}`;
  const otherGroup = `C${randomBytes(16).toString('hex')}`;

  async function fileCase(unitCode: string, ackDueAt: Date) {
    const c = await openCase(stack.rt.bot, {
      idempotencyKey: `sup-${++seq}`, channel: 'line', category: 'help', description: SECRET_TEXT,
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
      complainant: { name: CITIZEN_NAME, phone: CITIZEN_PHONE, lang: 'th' },
      consent: { version: '2569.1', at: new Date() },
      by: { kind: 'citizen', id: 'x' },
    });
    // Through the version claim, as every case write: the worker's first SLA run re-plans the new case
    // (its slaNextAt is "plan me") at about this moment, and FerretDB runs an update as read → replace,
    // so a plain updateOne racing that run's write can be erased by it (two updates of one document
    // sent together: 66 of 200 lost on the PostgreSQL handler, 198 of 200 on SQLite); the case then
    // keeps its future deadlines and the late-units card misses it.
    const moved = await updateCaseGuarded(stack.rt.models, String(c._id), {}, { $set: { unitCode, receivedAt: bkk('2026-03-02T09:00'), ackDueAt }, $unset: { answerDueAt: 1, resolveDueAt: 1 } });
    expect(moved).toMatchObject({ unitCode, ackDueAt });
    return c.trackingNo;
  }
  async function supervisor(unitCode: string, role: 'head' | 'executive', name: string) {
    const user = stack.sim.addUser({ displayName: name, language: 'th' });
    await stack.rt.models.Officer.create({ lineUserId: user.userId, unitCode, role, name });
    return user;
  }
  const groupEvent = (type: string, extra: object = {}, withReply = true) => ({
    type, timestamp: clock.now().getTime(), mode: 'active', webhookEventId: ulid(Date.now()), deliveryContext: { isRedelivery: false },
    source: { type: 'group', groupId }, ...(withReply ? { replyToken: randomBytes(16).toString('hex') } : {}), ...extra,
  });
  async function inGroup(event: object, gid = groupId): Promise<string> {
    const before = stack.sim.messagesFor(gid).length;
    const e = { ...event, source: { ...(event as any).source, groupId: gid } };
    expect((await stack.sim.sendEvents([e])).status).toBe(200);
    await stack.sim.waitForMessages(gid, before + 1, 15_000);
    return textsOf(stack.sim, gid).at(-1)!;
  }
  const card = async (user: SimUser, text = 'หน่วยงานล่าช้า') => {
    const before = stack.sim.messagesFor(user.userId).length;
    await stack.sim.sendText(user.userId, text);
    const [batch] = (await stack.sim.waitForMessages(user.userId, before + 1, 15_000)).slice(before);
    return batch.messages;
  };
  const bubblesOf = (flex: any) => (flex.contents.type === 'carousel' ? flex.contents.contents : [flex.contents]);
  const unitsOn = (flex: any) => bubblesOf(flex).map((b: any) => b.header.contents[1].text);
  const nudgeButton = (flex: any, unitName: string) => bubblesOf(flex).find((b: any) => b.header.contents[1].text === unitName).footer.contents[0].action.data;
  const nudgesOf = (user: SimUser) => textsOf(stack.sim, user.userId).filter((t) => t.includes(NUDGE));

  beforeAll(async () => {
    stack = await startStack({ clock });
    deps = { models: stack.rt.models, line: stack.rt.line, log: stack.rt.log, clock, calendar: cal };
    u.officer5001 = await stack.officer('5001', 'officer', 'จนท. เมือง');
    u.head5001 = await stack.officer('5001', 'head', 'หัวหน้า เมือง');
    u.officer5002 = await stack.officer('5002', 'officer', 'จนท. จอมทอง');
    u.officer5101 = await stack.officer('5101', 'officer', 'จนท. ลำพูน');
    u.head50 = await supervisor('50', 'head', 'หัวหน้า จังหวัด');
    u.execMoi = await supervisor('MOI', 'executive', 'ผู้บริหาร กระทรวง');
    u.citizen = await stack.citizen();
    // 5001: two overdue (the oldest due Fri 6 Mar 16:30) and one not yet due; 5002 and 5101 (Lamphun): one each.
    tn.old5001 = await fileCase('5001', bkk('2026-03-06T16:30'));
    tn.new5001 = await fileCase('5001', bkk('2026-03-09T16:30'));
    tn.future5001 = await fileCase('5001', bkk('2026-03-20T16:30'));
    tn.late5002 = await fileCase('5002', bkk('2026-03-12T16:30'));
    tn.late5101 = await fileCase('5101', bkk('2026-03-11T16:30'));
    // The new-case alerts go out through their own queue: let them arrive before the card is asked
    // for, so the card is the next message each head receives.
    await drained(stack);
  });
  afterAll(async () => { await stack?.close(); });

  it('late units in scope: district head sees their unit, province head its districts, the ministry all; worst first', async () => {
    const [summary, flex] = await card(u.head5001);
    expect(summary.text).toContain('เกินกำหนดรวม 2 เรื่อง');
    expect(flex.type).toBe('flex');
    expect(unitsOn(flex)).toEqual(['ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่']);
    const body = JSON.stringify(bubblesOf(flex)[0].body);
    expect(body).toContain('เกินกำหนด 2 เรื่อง');
    // Fri 6 Mar 16:30 → Sat 14 Mar: the five working days 9–13 Mar.
    expect(body).toContain(`ค้างนานที่สุด ${tn.old5001} เกินกำหนด 5 วันทำการ`);
    expect(JSON.stringify(flex)).not.toContain(CITIZEN_NAME);

    const [, province] = await card(u.head50);
    expect(unitsOn(province)).toEqual(['ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่', 'ศูนย์ดำรงธรรมอำเภอจอมทอง']);
    expect(province.contents.type).toBe('carousel');

    const [moiSummary, moi] = await card(u.execMoi, 'late units');
    expect(moiSummary.text).toContain('3 หน่วยงาน');
    // Same count (1): the older deadline (Lamphun, 11 Mar) before Chom Thong (12 Mar).
    expect(unitsOn(moi)).toEqual(['ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่', 'ศูนย์ดำรงธรรมอำเภอเมืองลำพูน', 'ศูนย์ดำรงธรรมอำเภอจอมทอง']);
    for (const b of bubblesOf(moi)) expect(b.footer.contents[0].action).toMatchObject({ type: 'postback', label: 'กระตุ้น' });
  });

  it('with many open cases the card reads the sweep\'s tally and says how fresh it is', async () => {
    const queue = createSlaQueue(stack.rt.queues.connection, stack.config.QUEUE_PREFIX);
    try { await reconcileSla(deps, queue); } finally { await queue.close(); }
    const Snap = lateSnapshotModel(stack.rt.models);
    const [liveSummary] = await card(u.head50);
    expect(liveSummary.text).not.toContain('ข้อมูล ณ เวลา');
    await Snap.updateOne({ _id: 'country' }, { $set: { openCases: LIVE_MAX_OPEN_CASES + 1 } });
    try {
      const [summary, flex] = await card(u.head50);
      expect(summary.text).toContain('(ข้อมูล ณ เวลา 10:00 น. จากการตรวจนับรอบล่าสุด)');
      expect(unitsOn(flex)).toEqual(['ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่', 'ศูนย์ดำรงธรรมอำเภอจอมทอง']);
    } finally {
      await Snap.deleteOne({ _id: 'country' });
    }
  });

  it('officers and citizens are told the command is for heads only', async () => {
    for (const user of [u.officer5001, u.citizen]) {
      const [reply] = await card(user);
      expect(reply.text).toContain('สำหรับหัวหน้าหน่วยงานและผู้บริหาร');
    }
    // A crafted กระตุ้น postback from an officer: refused, nobody nudged.
    const reply = await converse(stack.sim, u.officer5001.userId, () => stack.sim.sendPostback(u.officer5001.userId, 'a=nudgeUnit&v=5001'));
    expect(reply.text).toContain('สำหรับหัวหน้าหน่วยงานและผู้บริหาร');
  });

  it('a head links the unit LINE group with a one-time code; the code works once', async () => {
    const joined = await inGroup(groupEvent('join'));
    expect(joined).toContain('เชื่อมกลุ่ม <รหัส>');
    const codeMsg = await converse(stack.sim, u.head5001.userId, () => stack.sim.sendText(u.head5001.userId, 'ขอรหัสเชื่อมกลุ่ม'));
    const code = /([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(codeMsg.text)![1];
    expect(codeMsg.text).toContain('อำเภอเมืองเชียงใหม่');
    // Officers cannot ask for one.
    expect((await converse(stack.sim, u.officer5001.userId, () => stack.sim.sendText(u.officer5001.userId, 'ขอรหัสเชื่อมกลุ่ม'))).text).toContain('สำหรับหัวหน้า');

    const msg = (text: string) => groupEvent('message', { message: { type: 'text', id: String(Date.now()), quoteToken: 'q', text }, source: { type: 'group', groupId, userId: u.head5001.userId } });
    expect(await inGroup(msg('เชื่อมกลุ่ม WRNG-CODE'))).toContain('ไม่ถูกต้อง');
    expect(await inGroup(msg(`เชื่อมกลุ่ม ${code}`))).toContain('เชื่อมกลุ่มนี้กับศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่แล้ว');
    expect(await unitGroupModel(stack.rt.models).findById(groupId).lean()).toMatchObject({ unitCode: '5001' });
    // The same code from another group: spent.
    expect(await inGroup(msg(`เชื่อมกลุ่ม ${code}`), otherGroup)).toContain('ไม่ถูกต้อง');
    expect(await unitGroupModel(stack.rt.models).countDocuments({})).toBe(1);
  });

  it('กระตุ้น pushes to the unit officers and group, records who; again within 4 hours is refused, after is allowed', async () => {
    const [, province] = await card(u.head50);
    const data = nudgeButton(province, 'ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่');
    const groupBefore = stack.sim.messagesFor(groupId).length;
    const reply = await converse(stack.sim, u.head50.userId, () => stack.sim.sendPostback(u.head50.userId, data));
    expect(reply.text).toContain('ส่งการกระตุ้นถึงศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่แล้ว');
    expect(reply.text).toContain('เจ้าหน้าที่ 2 คน และกลุ่ม LINE 1 กลุ่ม');
    for (const user of [u.officer5001, u.head5001]) {
      expect(nudgesOf(user)).toHaveLength(1);
      expect(nudgesOf(user)[0]).toContain(`เรื่องเกินกำหนด 2 เรื่อง`);
      expect(nudgesOf(user)[0]).toContain(`${tn.old5001} เกินกำหนด 5 วันทำการ`);
      expect(nudgesOf(user)[0]).toContain('หัวหน้า จังหวัด');
    }
    expect(nudgesOf(u.officer5002)).toHaveLength(0);
    const inGroupNow = textsOf(stack.sim, groupId).slice(groupBefore);
    expect(inGroupNow).toHaveLength(1);
    expect(inGroupNow[0]).toContain(NUDGE);
    const recorded = await nudgeModel(stack.rt.models).find({ unitCode: '5001' }).lean();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ by: { name: 'หัวหน้า จังหวัด', unitCode: '50' }, overdue: 2 });
    expect(recorded[0].at).toEqual(bkk('2026-03-14T10:00'));

    // 13:30, another supervisor: politely refused, naming who and when.
    clock.t = bkk('2026-03-14T13:30');
    const again = await converse(stack.sim, u.execMoi.userId, () => stack.sim.sendPostback(u.execMoi.userId, data));
    expect(again.text).toContain('ได้รับการกระตุ้นแล้วเมื่อเวลา 10:00 น. โดย หัวหน้า จังหวัด');
    expect(nudgesOf(u.officer5001)).toHaveLength(1);

    // 14:01: the four hours are over (the 12:00 slot boundary changed nothing).
    clock.t = bkk('2026-03-14T14:01');
    const later = await converse(stack.sim, u.execMoi.userId, () => stack.sim.sendPostback(u.execMoi.userId, data));
    expect(later.text).toContain('ส่งการกระตุ้นถึง');
    expect(nudgesOf(u.officer5001)).toHaveLength(2);
    expect(await nudgeModel(stack.rt.models).countDocuments({ unitCode: '5001' })).toBe(2);
  });

  it('a crafted postback for a unit outside the scope is refused', async () => {
    const district = await converse(stack.sim, u.head5001.userId, () => stack.sim.sendPostback(u.head5001.userId, 'a=nudgeUnit&v=5002'));
    expect(district.text).toContain('ไม่อยู่ในความดูแลของท่าน');
    const province = await converse(stack.sim, u.head50.userId, () => stack.sim.sendPostback(u.head50.userId, 'a=nudgeUnit&v=5101'));
    expect(province.text).toContain('ไม่อยู่ในความดูแลของท่าน');
    const bogus = await converse(stack.sim, u.head50.userId, () => stack.sim.sendPostback(u.head50.userId, 'a=nudgeUnit&v=%24gt'));
    expect(bogus.text).toContain('ไม่อยู่ในความดูแลของท่าน');
    expect(nudgesOf(u.officer5002)).toHaveLength(0);
    expect(nudgesOf(u.officer5101)).toHaveLength(0);
  });

  it('the group gets one digest per run without personal data; after the bot leaves, nothing', async () => {
    const before = textsOf(stack.sim, groupId).length;
    const r = await runSla(deps, bkk('2026-03-16T08:30'));
    expect(r.messages).toBeGreaterThan(0);
    const got = textsOf(stack.sim, groupId).slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]).toContain('📋 ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่');
    expect(got[0]).toContain(tn.old5001);
    expect(got[0]).toContain(tn.new5001);
    expect(got[0]).not.toContain(tn.late5002);
    for (const secret of [CITIZEN_NAME, CITIZEN_PHONE, SECRET_TEXT]) expect(got[0]).not.toContain(secret);
    // Officers still get their own digest; nothing twice for the same run.
    expect(textsOf(stack.sim, u.officer5001.userId).some((t) => t.includes('สรุปเรื่องร้องเรียนที่ต้องติดตาม'))).toBe(true);
    await runSla(deps, bkk('2026-03-16T08:30'));
    expect(textsOf(stack.sim, groupId).slice(before)).toHaveLength(1);

    // The bot is removed from the group: unlinked, and the next run sends there nothing.
    expect((await stack.sim.sendEvents([groupEvent('leave', {}, false)])).status).toBe(200);
    const deadline = Date.now() + 15_000;
    while ((await unitGroupModel(stack.rt.models).countDocuments({ _id: groupId })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await unitGroupModel(stack.rt.models).countDocuments({ _id: groupId })).toBe(0);
    await runSla(deps, bkk('2026-03-17T08:30'));
    expect(textsOf(stack.sim, u.officer5001.userId).filter((t) => t.includes('สรุปเรื่องร้องเรียนที่ต้องติดตาม')).length).toBeGreaterThanOrEqual(2);
    expect(textsOf(stack.sim, groupId).slice(before)).toHaveLength(1);
  });
});
