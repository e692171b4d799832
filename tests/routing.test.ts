import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCase } from '../shared/cases/routing.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { createOfficerInvite, redeemOfficerInvite } from '../shared/officers/invites.ts';
import { converse, drained, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

describe('routing rules', () => {
  it('sends a case to the district centre of its area, or the province centre', () => {
    expect(routeCase({ category: 'help', area: { provinceCode: '50', districtCode: '5001' } })).toEqual({ unitCode: '5001' });
    expect(routeCase({ category: 'help', area: { provinceCode: '50' } })).toEqual({ unitCode: '50' });
    // Bangkok's khet have no centre of their own: the Bangkok centre handles them.
    expect(routeCase({ category: 'help', area: { provinceCode: '10', districtCode: '1039' } })).toEqual({ unitCode: '10' });
  });

  it('never sends a complaint against officials to the unit concerned, but to its parent', () => {
    expect(routeCase({ category: 'official', area: { provinceCode: '50', districtCode: '5001' } })).toEqual({ unitCode: '50', concernedUnitCode: '5001' });
    expect(routeCase({ category: 'corruption', area: { provinceCode: '40', districtCode: '4001' } })).toEqual({ unitCode: '40', concernedUnitCode: '4001' });
    expect(routeCase({ category: 'corruption', area: { provinceCode: '50' } })).toEqual({ unitCode: 'MOI', concernedUnitCode: '50' });
  });
});

describe('officer alert and รับเรื่อง', () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  async function fileCase(category: 'help' | 'official', citizenId: string, key: string, name = 'ผู้ร้อง') {
    return openCase(stack.rt.bot, {
      idempotencyKey: key, channel: 'line', category, description: 'ทดสอบการส่งเรื่องไปยังหน่วยงาน',
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
      complainant: { lineUserId: citizenId, name, lang: 'th' },
      consent: { version: '2569.1', at: new Date() },
      by: { kind: 'citizen', id: citizenId },
    });
  }

  it('a complaint against officials reaches the province centre and nobody at the district concerned', async () => {
    const { sim } = stack;
    const district = await stack.officer('5001', 'officer', 'จนท. อำเภอ');
    const province = await stack.officer('50', 'head', 'หัวหน้า จังหวัด');
    const citizen = await stack.citizen();
    const c = await fileCase('official', citizen.userId, 'routing-1');
    expect(c.unitCode).toBe('50');
    expect(c.concernedUnitCode).toBe('5001');
    const [alert] = await sim.waitForMessages(province.userId, 1);
    expect(alert.messages[0].altText).toContain(c.trackingNo);
    await drained(stack);
    expect(sim.messagesFor(district.userId)).toHaveLength(0);
    await stack.rt.models.Officer.deleteMany({});
  });

  it('the first officer to press รับเรื่อง gets the case; the others and the citizen are told', async () => {
    const { sim, rt } = stack;
    const a = await stack.officer('5001', 'officer', 'สมศรี');
    const b = await stack.officer('5001', 'officer', 'สมปอง');
    const citizen = await stack.citizen('ผู้ร้อง ทดสอบ');
    const c = await fileCase('help', citizen.userId, 'routing-2', 'ผู้ร้อง ทดสอบ');
    const [cardA] = await sim.waitForMessages(a.userId, 1);
    await sim.waitForMessages(b.userId, 1);
    const buttons = cardA.messages[0].contents.footer.contents.map((x: any) => x.action);
    const acceptData = buttons.find((x: any) => x.label === 'รับเรื่อง').data;

    const mine = await converse(sim, a.userId, () => sim.sendPostback(a.userId, acceptData));
    expect(mine.text).toContain(`ท่านรับเรื่อง ${c.trackingNo} แล้ว`);
    await sim.sendPostback(b.userId, acceptData);
    await waitForText(sim, b.userId, `${c.trackingNo} มีผู้รับเรื่องแล้ว (สมศรี)`);

    const saved = await rt.models.Case.findById(c._id).lean();
    expect(saved).toMatchObject({ status: 'assigned', assignee: { name: 'สมศรี' } });
    expect(saved!.timeline.map((t) => t.action)).toEqual(['opened', 'assigned']);
    await sim.waitForMessages(citizen.userId, 1);
    expect(textsOf(sim, citizen.userId).join('\n')).toContain(`${c.trackingNo}: เจ้าหน้าที่รับเรื่องของท่านแล้ว`);
    await drained(stack);
    expect(textsOf(sim, b.userId).join('\n')).toContain('สมศรี รับเรื่องแล้ว');
    expect(textsOf(sim, a.userId).join('\n')).not.toContain('สมศรี รับเรื่องแล้ว ไม่ต้อง');

    // ดูรายละเอียด shows the case (with the complainant's name) and is audited.
    const viewData = buttons.find((x: any) => x.label === 'ดูรายละเอียด').data;
    const details = await converse(sim, a.userId, () => sim.sendPostback(a.userId, viewData));
    expect(details.text).toContain('ผู้ร้อง ทดสอบ');
    expect(await rt.models.Audit.countDocuments({ caseId: String(c._id), action: 'view_case' })).toBe(1);
    await rt.models.Officer.deleteMany({});
  });

  it('an officer of another unit cannot take or read the case', async () => {
    const { sim } = stack;
    const mine = await stack.officer('5001', 'officer', 'เจ้าของเรื่อง');
    const other = await stack.officer('4001', 'officer', 'คนนอก');
    const citizen = await stack.citizen('ลับเฉพาะ');
    const c = await fileCase('help', citizen.userId, 'routing-3');
    await sim.waitForMessages(mine.userId, 1);
    const take = await converse(sim, other.userId, () => sim.sendPostback(other.userId, `a=accept&c=${c._id}`));
    expect(take.text).toContain('ไม่อยู่ในความรับผิดชอบ');
    const peek = await converse(sim, other.userId, () => sim.sendPostback(other.userId, `a=view&c=${c._id}`));
    expect(peek.text).not.toContain('ลับเฉพาะ');
    expect((await stack.rt.models.Case.findById(c._id).lean())?.status).toBe('received');
    await stack.rt.models.Officer.deleteMany({});
  });

  it('with nobody registered at the unit, the alert climbs the ladder to a supervisor who can take it over', async () => {
    const { sim } = stack;
    const ministry = await stack.officer('MOI', 'head', 'ส่วนกลาง');
    const citizen = await stack.citizen();
    const c = await fileCase('help', citizen.userId, 'routing-4');
    const [alert] = await sim.waitForMessages(ministry.userId, 1);
    expect(JSON.stringify(alert.messages[0])).toContain('ยังไม่มีเจ้าหน้าที่ลงทะเบียน');
    expect(alert.messages[0].altText).toContain(c.trackingNo);
    expect(alert.messages[0].contents.footer.contents[0].action).toMatchObject({ label: 'รับเรื่องไว้เอง', data: `a=takeover&c=${c._id}` });
    await stack.rt.models.Officer.deleteMany({});
  });
});

describe('officer registration with a one-time code', () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  it('ลงทะเบียน <code> links the LINE account once; the code cannot be reused', async () => {
    const { sim, rt } = stack;
    const { code } = await createOfficerInvite(rt.models, rt.clock, { unitCode: '5001', role: 'officer' });
    const person = sim.addUser({ displayName: 'นายทะเบียน', language: 'th' });
    const ok = await converse(sim, person.userId, () => sim.sendText(person.userId, `ลงทะเบียน ${code.toLowerCase()}`));
    expect(ok.text).toContain('ลงทะเบียนเจ้าหน้าที่สำเร็จ');
    expect(ok.text).toContain('ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่');
    expect(await rt.models.Officer.findOne({ lineUserId: person.userId }).lean()).toMatchObject({ unitCode: '5001', role: 'officer' });
    const thief = sim.addUser({ displayName: 'คนอื่น' });
    const again = await converse(sim, thief.userId, () => sim.sendText(thief.userId, `ลงทะเบียน ${code}`));
    expect(again.text).toContain('ไม่ถูกต้อง');
    expect(await rt.models.Officer.countDocuments({ lineUserId: thief.userId })).toBe(0);
    // The database keeps only a hash of the code.
    expect(JSON.stringify(await rt.models.OfficerInvite.find().lean())).not.toContain(code);
  });

  it('two people racing with one code: exactly one becomes an officer', async () => {
    const { rt } = stack;
    const { code } = await createOfficerInvite(rt.models, rt.clock, { unitCode: '5001', role: 'officer' });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => redeemOfficerInvite(rt.models, rt.clock, { code, lineUserId: `U${String(i).repeat(32)}`, name: `คนที่ ${i}` })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await rt.models.Officer.countDocuments({ lineUserId: { $in: Array.from({ length: 6 }, (_, i) => `U${String(i).repeat(32)}`) } })).toBe(1);
  });

  it('an expired code is refused', async () => {
    const { sim, rt } = stack;
    const { code } = await createOfficerInvite(rt.models, rt.clock, { unitCode: '50', role: 'head', validDays: -1 });
    const person = sim.addUser({ displayName: 'มาช้า' });
    const m = await converse(sim, person.userId, () => sim.sendText(person.userId, `ลงทะเบียน ${code}`));
    expect(m.text).toContain('หมดอายุ');
  });
});
