/**
 * Supervisors act on the cases below them, and every case has someone who can act on it. A citizen
 * files by chat in อ.หางดง (no officer registered there): they are told honestly that the case is
 * with the province centre; the province head gets the card, looks (audited), takes it over from
 * LINE and closes it from the LIFF API, the citizen hearing of each step. Plain officers of other
 * units see nothing; the unit a complaint is about never sees it; a named officer gets an alert.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import { seedDemoOfficers } from '../app/demoOfficers.ts';
import { updateCaseGuarded } from '../shared/store/guardedUpdate.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { get as dashGet, seedCase, signIn, type Jar } from './helpers/dashboard.ts';
import type { SimUser } from '../simulator/server.ts';
import { converse, drained, quickPostback, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

const PROVINCE = 'ศูนย์ดำรงธรรมจังหวัดเชียงใหม่';
const HANG_DONG = 'ศูนย์ดำรงธรรมอำเภอหางดง';
const CITIZEN_NAME = 'สมใจ หางดง';

interface Answer { status: number; json: any }
async function liff(user: SimUser, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${stack.sim.issueIdToken(user.userId)}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${stack.web.url}/liff/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const postback = (user: SimUser, data: string) => converse(stack.sim, user.userId, () => stack.sim.sendPostback(user.userId, data));

async function fileByChat(citizen: SimUser): Promise<{ trackingNo: string; closing: string }> {
  const { sim } = stack;
  const say = (send: () => Promise<{ status: number }>) => converse(sim, citizen.userId, send);
  let m = await say(() => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
  m = await say(() => sim.sendPostback(citizen.userId, quickPostback(m, '🚰 น้ำประปา')));
  m = await say(() => sim.sendText(citizen.userId, 'น้ำประปาไม่ไหลมาสามวันแล้ว ทั้งหมู่บ้านเดือดร้อน แจ้งเทศบาลแล้วยังเงียบ'));
  m = await say(() => sim.sendLocation(citizen.userId, { latitude: 18.6866, longitude: 98.9186, title: 'บ้าน', address: 'ตำบลหางดง อำเภอหางดง เชียงใหม่ 50230 ประเทศไทย' }));
  expect(m.text).toContain('อ.หางดง');
  m = await say(() => sim.sendPostback(citizen.userId, quickPostback(m, 'ถูกต้อง')));
  m = await say(() => sim.sendPostback(citizen.userId, quickPostback(m, /ไม่มีรูป|เสร็จแล้ว/)));
  m = await say(() => sim.sendPostback(citizen.userId, quickPostback(m, 'ยินยอม')));
  m = await say(() => sim.sendPostback(citizen.userId, quickPostback(m, 'ยืนยันส่งเรื่อง')));
  const trackingNo = /เลขรับเรื่อง: (\d{4}-\d{6})/.exec(m.text)?.[1];
  expect(trackingNo).toBeTruthy();
  return { trackingNo: trackingNo!, closing: m.text };
}

describe('supervisors act on the cases below them', () => {
  const u: Record<string, SimUser> = {};
  let seq = 0;

  async function directCase(category: 'help' | 'official', location: Record<string, string>, citizen?: SimUser) {
    return openCase(stack.rt.bot, {
      idempotencyKey: `sup-${++seq}`, channel: 'line', category, description: 'ถนนในหมู่บ้านชำรุด รถผ่านไม่ได้ ขอให้ช่วยซ่อม',
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', ...location },
      complainant: { ...(citizen ? { lineUserId: citizen.userId } : {}), name: CITIZEN_NAME, phone: '0812345678', lang: 'th' },
      consent: { version: '2569.1', at: new Date() },
      by: { kind: 'citizen', id: citizen?.userId ?? 'x' },
    });
  }

  beforeAll(async () => {
    u.head50 = await stack.officer('50', 'head', 'หัวหน้า จังหวัด');
    u.officer50 = await stack.officer('50', 'officer', 'จนท. จังหวัด');
    u.officer5001 = await stack.officer('5001', 'officer', 'จนท. เมือง');
    u.head5001 = await stack.officer('5001', 'head', 'หัวหน้า เมือง');
    u.citizen = await stack.citizen(CITIZEN_NAME);
  });

  it('unowned district case: the citizen is told who holds it; the province head takes it over from LINE and closes it; others see nothing', async () => {
    const { sim, rt } = stack;
    const { trackingNo, closing } = await fileByChat(u.citizen);
    // Honest: nobody at Hang Dong, so the province centre has it; no promise of a call within a day.
    expect(closing).toContain(`${HANG_DONG}ยังไม่มีเจ้าหน้าที่ในระบบ`);
    expect(closing).toContain(PROVINCE);
    expect(closing).not.toContain('ภายใน 1 วันทำการ');
    const c = await rt.models.Case.findOne({ trackingNo }).lean();
    expect(c).toMatchObject({ unitCode: '5015', status: 'received' });
    const id = String(c!._id);

    // The province head gets the card, with a button they can use.
    const card = await waitForCard(u.head50, trackingNo);
    expect(JSON.stringify(card)).toContain('ยังไม่มีเจ้าหน้าที่ลงทะเบียน');
    expect(card.contents.footer.contents[0].action).toMatchObject({ label: 'รับเรื่องไว้เอง', data: `a=takeover&c=${id}` });
    await drained(stack);
    // Up the ladder only supervisors are alerted; a plain officer of another district gets nothing.
    expect(textsOf(sim, u.officer50.userId).some((t) => t.includes(trackingNo))).toBe(false);
    expect(textsOf(sim, u.officer5001.userId).some((t) => t.includes(trackingNo))).toBe(false);

    // A plain officer of another district cannot take, read, list or open it.
    expect((await postback(u.officer5001, `a=accept&c=${id}`)).text).toContain('ไม่อยู่ในความรับผิดชอบ');
    const peek = await postback(u.officer5001, `a=view&c=${id}`);
    expect(peek.text).not.toContain(CITIZEN_NAME);
    expect((await liff(u.officer5001, 'GET', `/officer/cases/${id}`)).status).toBe(404);
    expect((await liff(u.officer50, 'GET', `/officer/cases/${id}`)).status).toBe(404);
    expect((await liff(u.officer50, 'GET', '/officer/below/cases')).status).toBe(404);

    // The head sees it among the unowned cases below, and reads it (audited), in LINE and the LIFF page.
    const below = await liff(u.head50, 'GET', '/officer/below/cases?filter=unowned');
    expect(below.status).toBe(200);
    expect(below.json.find((x: any) => x.id === id)).toMatchObject({ trackingNo, unowned: true, unitCode: '5015', unitNameTh: HANG_DONG });
    const units = await liff(u.head50, 'GET', '/officer/below/units');
    expect(units.json.find((x: any) => x.code === '5015')).toMatchObject({ staffed: false });
    expect(units.json.find((x: any) => x.code === '5001')).toMatchObject({ staffed: true });
    const detail = await postback(u.head50, `a=view&c=${id}`);
    expect(detail.text).toContain(CITIZEN_NAME);
    const page = await liff(u.head50, 'GET', `/officer/cases/${id}`);
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ complainant: { name: CITIZEN_NAME }, supervisor: { canTakeOver: true, canAssign: true } });
    const headId = String((await rt.models.Officer.findOne({ lineUserId: u.head50.userId }).lean())!._id);
    expect(await rt.models.Audit.countDocuments({ caseId: id, officerId: headId, action: 'view_case' })).toBe(2);

    // The late-units command counts it apart: nobody below can act on it, late or not yet.
    const summary = await converse(sim, u.head50.userId, () => sim.sendText(u.head50.userId, 'หน่วยงานล่าช้า'));
    expect(summary.text).toContain('หน่วยงานที่ยังไม่มีเจ้าหน้าที่ในระบบ 1 หน่วยงาน มีเรื่องค้าง 1 เรื่อง');
    expect(summary.text).toContain('/officer/below?filter=unowned');
    const work = await converse(sim, u.head50.userId, () => sim.sendText(u.head50.userId, 'งานของฉัน'));
    expect(work.text).toContain('หน่วยงานที่ยังไม่มีเจ้าหน้าที่ในระบบ 1 หน่วยงาน มีเรื่องค้าง 1 เรื่อง');

    // Takes it over from the card.
    const took = await postback(u.head50, `a=takeover&c=${id}`);
    expect(took.text).toContain(`ท่านรับเรื่อง ${trackingNo} ไว้ดำเนินการเองแล้ว`);
    const moved = await rt.models.Case.findById(id).lean();
    expect(moved).toMatchObject({ unitCode: '50', status: 'assigned', assignee: { officerId: headId, name: 'หัวหน้า จังหวัด' } });
    expect(moved!.timeline.at(-1)).toMatchObject({ action: 'taken_over', fromUnitCode: '5015', unitCode: '50', by: { kind: 'officer', name: 'หัวหน้า จังหวัด' } });
    const told = await waitForText(sim, u.citizen.userId, 'รับเรื่องของท่านไว้ดำเนินการเองแล้ว');
    expect(told).toContain(`${trackingNo}: ${PROVINCE}`);

    // Closes it from the LIFF API; the citizen gets the result and the survey.
    const closed = await liff(u.head50, 'POST', `/officer/cases/${id}/close`, { summary: 'ประสานการประปาส่วนภูมิภาคซ่อมท่อแล้ว น้ำไหลปกติ' });
    expect(closed.status).toBe(200);
    expect(closed.json.status).toBe('closed');
    const result = await waitForText(sim, u.citizen.userId, 'ยุติเรื่องแล้ว');
    expect(result).toContain('ประสานการประปาส่วนภูมิภาคซ่อมท่อแล้ว');
  });

  it('a head assigns a case to a named officer, of the unit holding it or of their own; that officer is alerted', async () => {
    const { sim, rt } = stack;
    // Held by a staffed district: assigned in place.
    const inDistrict = await directCase('help', { districtCode: '5001', districtName: 'เมืองเชียงใหม่' }, u.citizen);
    const id1 = String(inDistrict._id);
    const choices = await liff(u.head50, 'GET', `/officer/cases/${id1}/officers`);
    expect(choices.status).toBe(200);
    expect(choices.json.map((o: any) => o.name).sort()).toEqual(['จนท. จังหวัด', 'จนท. เมือง', 'หัวหน้า จังหวัด', 'หัวหน้า เมือง'].sort());
    const o5001 = choices.json.find((o: any) => o.name === 'จนท. เมือง');
    const r1 = await liff(u.head50, 'POST', `/officer/cases/${id1}/assign`, { officerId: o5001.id });
    expect(r1.status).toBe(200);
    expect(await rt.models.Case.findById(id1).lean()).toMatchObject({ unitCode: '5001', status: 'assigned', assignee: { officerId: o5001.id, name: 'จนท. เมือง' } });
    expect(await waitForText(sim, u.officer5001.userId, `เรื่อง ${inDistrict.trackingNo}: หัวหน้า จังหวัด มอบหมายให้ท่าน`)).toContain('/officer/cases/');

    // Held by the unowned district: handed to an officer of the province, so the case moves there.
    const unowned = await directCase('help', { districtCode: '5015', districtName: 'หางดง' }, u.citizen);
    const id2 = String(unowned._id);
    const o50 = (await liff(u.head50, 'GET', `/officer/cases/${id2}/officers`)).json.find((o: any) => o.name === 'จนท. จังหวัด');
    expect(o50).toBeTruthy();
    const r2 = await liff(u.head50, 'POST', `/officer/cases/${id2}/assign`, { officerId: o50.id });
    expect(r2.status).toBe(200);
    expect(await rt.models.Case.findById(id2).lean()).toMatchObject({ unitCode: '50', assignee: { officerId: o50.id } });
    await waitForText(sim, u.officer50.userId, `เรื่อง ${unowned.trackingNo}: หัวหน้า จังหวัด มอบหมายให้ท่าน`);
    // The province officer now works it like any case of their unit.
    expect((await liff(u.officer50, 'GET', `/officer/cases/${id2}`)).status).toBe(200);

    // Forwarded to a district with nobody registered: the citizen is told who looks after it meanwhile.
    const toForward = await directCase('help', { districtCode: '5001', districtName: 'เมืองเชียงใหม่' }, u.citizen);
    const fwd = await liff(u.officer5001, 'POST', `/officer/cases/${toForward._id}/forward`, { unitCode: '5015', reason: 'เกิดเหตุในเขตอำเภอหางดง' });
    expect(fwd.status).toBe(200);
    const toldFwd = await waitForText(sim, u.citizen.userId, `เรื่องเลขที่ ${toForward.trackingNo}: ส่งต่อไปยัง${HANG_DONG}แล้ว`);
    expect(toldFwd).toContain(`เรื่องของท่านจึงอยู่ในความดูแลของ${PROVINCE}`);

    // Filed on the LIFF form in Hang Dong: the chat message is as honest as the chat intake's.
    const filed = await liff(u.citizen, 'POST', '/cases', {
      category: 'help', description: 'ไฟถนนดับทั้งซอยมาสามสัปดาห์ กลางคืนมืดมากและอันตราย',
      location: { provinceCode: '50', districtCode: '5015' }, anonymous: false,
      consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    });
    expect(filed.status).toBe(201);
    const toldLiff = await waitForText(sim, u.citizen.userId, `เลขรับเรื่อง: ${filed.json.trackingNo}`);
    expect(toldLiff).toContain(`${HANG_DONG}ยังไม่มีเจ้าหน้าที่ในระบบ เรื่องของท่านจึงแจ้งไปที่${PROVINCE}`);

    // A late press of รับเรื่องไว้เอง on a card: the case someone below has taken since stays theirs.
    // (The alerts of the cases above reach this head by push: wait for them, so the reply read next is the reply.)
    await drained(stack);
    const r3 = await postback(u.head50, `a=takeover&c=${id1}`);
    expect(r3.text).toContain(`เรื่อง ${inDistrict.trackingNo} มีผู้รับเรื่องแล้ว (จนท. เมือง)`);
    expect((await rt.models.Case.findById(id1).lean())!.unitCode).toBe('5001');

    // An officer of an unrelated unit cannot be named; a plain officer cannot assign at all.
    const outsider = await stack.officer('5101', 'officer', 'จนท. ลำพูน');
    const outsiderId = String((await rt.models.Officer.findOne({ lineUserId: outsider.userId }).lean())!._id);
    const third = await directCase('help', { districtCode: '5015', districtName: 'หางดง' });
    const bad = await liff(u.head50, 'POST', `/officer/cases/${third._id}/assign`, { officerId: outsiderId });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields[0]).toMatchObject({ path: 'officerId', th: expect.stringContaining('ไม่พบเจ้าหน้าที่') });
    expect((await liff(u.officer5001, 'POST', `/officer/cases/${third._id}/assign`, { officerId: o5001.id })).status).toBe(404);
    expect((await liff(u.officer5001, 'POST', `/officer/cases/${third._id}/takeover`, { reason: 'ขอรับไว้ดำเนินการเอง' })).status).toBe(404);
  });

  it('the unit a complaint is about never sees it, even its head; the units above do', async () => {
    const { sim, rt } = stack;
    // Against officials of อ.เมืองเชียงใหม่: held by the province centre, never shown to 5001.
    const against5001 = await directCase('official', { districtCode: '5001', districtName: 'เมืองเชียงใหม่' });
    expect(against5001).toMatchObject({ unitCode: '50', concernedUnitCode: '5001' });
    const id = String(against5001._id);
    for (const who of [u.officer5001, u.head5001]) {
      expect((await postback(who, `a=view&c=${id}`)).text).toContain('ไม่อยู่ในความรับผิดชอบ');
      expect((await liff(who, 'GET', `/officer/cases/${id}`)).status).toBe(404);
    }
    expect((await postback(u.head50, `a=view&c=${id}`)).text).toContain(CITIZEN_NAME);

    // Against officials of the province itself: held by the ministry. Sent down to Hang Dong, it is
    // below the province, yet the province head is neither alerted nor shown it.
    const exec = await stack.officer('MOI', 'head', 'ผู้บริหาร กระทรวง');
    const against50 = await directCase('official', {});
    expect(against50).toMatchObject({ unitCode: 'MOI', concernedUnitCode: '50' });
    const id50 = String(against50._id);
    await waitForCard(exec, against50.trackingNo);
    const fwd = await liff(exec, 'POST', `/officer/cases/${id50}/forward`, { unitCode: '5015', reason: 'ให้อำเภอหางดงตรวจสอบข้อเท็จจริงในพื้นที่' });
    expect(fwd.status).toBe(200);
    await drained(stack);
    expect((await rt.models.Case.findById(id50).lean())!.unitCode).toBe('5015');
    expect(JSON.stringify(sim.messagesFor(u.head50.userId))).not.toContain(against50.trackingNo);
    expect((await liff(u.head50, 'GET', `/officer/cases/${id50}`)).status).toBe(404);
    expect((await postback(u.head50, `a=view&c=${id50}`)).text).toContain('ไม่อยู่ในความรับผิดชอบ');
    expect((await postback(u.head50, `a=takeover&c=${id50}`)).text).toContain('ไม่อยู่ในความรับผิดชอบ');
    const list = await liff(u.head50, 'GET', '/officer/below/cases');
    expect(list.json.map((x: any) => x.id)).not.toContain(id50);
    // The ministry, above both, still sees it.
    expect((await liff(exec, 'GET', `/officer/cases/${id50}`)).status).toBe(200);
  });
});

async function waitForCard(user: SimUser, trackingNo: string): Promise<any> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const hit = stack.sim.messagesFor(user.userId).flatMap((r) => r.messages).find((m: any) => m.type === 'flex' && m.altText.includes(trackingNo));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no card for ${trackingNo}`);
}

describe('supervisors on the web dashboard', () => {
  const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;
  const post = (jar: Jar, path: string, body: Record<string, string>) =>
    dashGet(stack, path, jar, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

  it('a head takes over a case below from its page, then closes it; forms need the CSRF token and good input', async () => {
    const { rt, sim } = stack;
    const head = await stack.officer('50', 'head', 'หัวหน้า เว็บ');
    const citizen = await stack.citizen('ผู้ร้อง เว็บ');
    const c = await seedCase(stack, { provinceCode: '50', districtCode: '5015', lineUserId: citizen.userId, name: 'ผู้ร้อง เว็บ' });
    expect(c.unitCode).toBe('5015');
    const { jar } = await signIn(stack, head.userId);
    const pageRes = await dashGet(stack, `/dashboard/cases/${c.trackingNo}`, jar);
    expect(pageRes.status).toBe(200);
    const page = await pageRes.text();
    expect(page).toContain('รับเรื่องไว้เอง');
    expect(page).toContain('มอบหมายเจ้าหน้าที่');
    const csrf = csrfOf(page);

    expect((await post(jar, `/dashboard/cases/${c.trackingNo}/takeover`, { csrf: 'forged', reason: 'รับไว้ดำเนินการเอง' })).status).toBe(403);
    const short = await post(jar, `/dashboard/cases/${c.trackingNo}/takeover`, { csrf, reason: 'สั้น' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('เหตุผล 5–1000 ตัวอักษร');
    expect((await rt.models.Case.findById(c.id).lean())!.unitCode).toBe('5015');

    const took = await post(jar, `/dashboard/cases/${c.trackingNo}/takeover`, { csrf, reason: 'อำเภอยังไม่มีเจ้าหน้าที่ในระบบ' });
    expect(took.status).toBe(303);
    expect(took.headers.get('location')).toBe(`/dashboard/cases/${c.trackingNo}?done=takeover`);
    expect(await rt.models.Case.findById(c.id).lean()).toMatchObject({ unitCode: '50', status: 'assigned', assignee: { name: 'หัวหน้า เว็บ' } });
    const after = await (await dashGet(stack, took.headers.get('location')!, jar)).text();
    expect(after).toContain('รับเรื่องไว้ดำเนินการเองแล้ว');
    expect(after).toContain('หัวหน้าหน่วยงานรับเรื่องไว้ดำเนินการเอง');
    await waitForText(sim, citizen.userId, 'รับเรื่องของท่านไว้ดำเนินการเองแล้ว');

    const closed = await post(jar, `/dashboard/cases/${c.trackingNo}/close`, { csrf, summary: 'ประสานเทศบาลซ่อมถนนเรียบร้อยแล้ว' });
    expect(closed.status).toBe(303);
    expect((await rt.models.Case.findById(c.id).lean())!.status).toBe('closed');
    await waitForText(sim, citizen.userId, 'ประสานเทศบาลซ่อมถนนเรียบร้อยแล้ว');
    expect((await post(jar, `/dashboard/cases/${c.trackingNo}/close`, { csrf, summary: 'ปิดซ้ำอีกครั้งหนึ่ง' })).status).toBe(409);

    // A plain officer of another district: no forms, and a crafted POST is refused.
    const plain = await stack.officer('5002', 'officer', 'จนท. จอมทอง');
    const other = await signIn(stack, plain.userId);
    const c2 = await seedCase(stack, { provinceCode: '50', districtCode: '5015' });
    const otherPage = await (await dashGet(stack, '/dashboard/', other.jar)).text();
    expect((await post(other.jar, `/dashboard/cases/${c2.trackingNo}/takeover`, { csrf: csrfOf(otherPage), reason: 'ขอรับไว้เองครับ' })).status).toBe(403);
    expect((await rt.models.Case.findById(c2.id).lean())!.unitCode).toBe('5015');
  });

  it('late units: กระตุ้น from the dashboard, once per unit per 4 hours; unowned cases are counted', async () => {
    const { rt, sim } = stack;
    const head = await stack.officer('50', 'head', 'หัวหน้า กระตุ้น');
    const district = await stack.officer('5003', 'officer', 'จนท. แม่แจ่ม');
    const late = await seedCase(stack, { provinceCode: '50', districtCode: '5003' });
    const moved = await updateCaseGuarded(rt.models, late.id, {}, { $set: { ackDueAt: new Date(Date.now() - 3 * 86400_000) } });
    expect(moved).toBeTruthy();
    const { jar } = await signIn(stack, head.userId);
    const page = await (await dashGet(stack, '/dashboard/late-units?unit=50', jar)).text();
    expect(page).toContain('ศูนย์ดำรงธรรมอำเภอแม่แจ่ม');
    expect(page).toContain('กระตุ้น');
    // Hang Dong still holds open cases with nobody registered there.
    expect(page).toMatch(/เรื่องค้างในหน่วยงานที่ยังไม่มีเจ้าหน้าที่ในระบบ \d+ เรื่อง/);
    const csrf = csrfOf(page);

    const sent = await post(jar, '/dashboard/late-units/nudge', { csrf, unitCode: '5003', back: '50' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/dashboard/late-units?unit=50&nudge=sent&nudged=5003');
    const nudge = await waitForText(sim, district.userId, 'กระตุ้น');
    expect(nudge).toContain('หัวหน้า กระตุ้น');
    expect(await (await dashGet(stack, sent.headers.get('location')!, jar)).text()).toContain('ส่งการกระตุ้นถึงศูนย์ดำรงธรรมอำเภอแม่แจ่มแล้ว');
    const again = await post(jar, '/dashboard/late-units/nudge', { csrf, unitCode: '5003', back: '50' });
    expect(again.headers.get('location')).toContain('nudge=already');
    expect(await (await dashGet(stack, again.headers.get('location')!, jar)).text()).toContain('ได้รับการกระตุ้นแล้ว');
    // Out of scope: a Lamphun unit from the Chiang Mai head.
    const out = await post(jar, '/dashboard/late-units/nudge', { csrf, unitCode: '5101', back: '50' });
    expect(out.headers.get('location')).toContain('nudge=out_of_scope');

    // A plain officer sees no button and cannot nudge.
    const plain = await signIn(stack, district.userId);
    const plainPage = await (await dashGet(stack, '/dashboard/late-units', plain.jar)).text();
    expect(plainPage).not.toContain('late-units/nudge');
    expect((await post(plain.jar, '/dashboard/late-units/nudge', { csrf: csrfOf(plainPage), unitCode: '5003' })).status).toBe(403);
  });
});

describe('demo officers (npm start with the simulator)', () => {
  it('get the officers\' rich menu, the province head and the ministry the supervisors\' one', async () => {
    const ids = await seedDemoOfficers(stack.rt, stack.sim);
    const menuName = (userId: string) => (stack.sim.richMenus.get(stack.sim.userRichMenu(userId) ?? '') as { name?: string } | undefined)?.name ?? '';
    const names = ids.map(menuName);
    expect(names[0]).toMatch(/^rongrian-officer/);
    expect(names[1]).toMatch(/^rongrian-supervisor/);
    expect(names[2]).toMatch(/^rongrian-supervisor/);
  });
});
