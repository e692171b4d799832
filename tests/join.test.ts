/**
 * "แจ้งด้วย" on the real stack (app, worker, Redis, FerretDB, the LINE simulator): citizen A files
 * "ไฟถนนดับหน้าวัด" with a pin; B describes the same thing nearby and, before the photos, reads
 * "มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ" with the public part of A's case (nothing of A's); B joins, the
 * supporter count is 2 and the officers are told; the officer's updates reach A and B (and an
 * English follower in English), a question and the survey reach A only; "แจ้งเรื่องใหม่" files
 * anyway; "ติดตามเรื่อง" marks the joined case; "เลิกติดตาม" stops the updates. See docs/joining.md.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDetail, CaseSummary, ErrorBody } from '../liff/api/schemas.ts';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import { validateOperation } from '../simulator/validator.ts';
import type { SimUser } from '../simulator/server.ts';
import { converse, drained, quickPostback, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

const THAI = /[\u0E00-\u0E7F]/;
const WAT_KET = { address: 'ถนนโชตนา ตำบลช้างเผือก อำเภอเมืองเชียงใหม่ เชียงใหม่ 50300 ประเทศไทย', title: 'หน้าวัด' };

async function api(user: SimUser, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.sim.issueIdToken(user.userId)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

/** Chat from "file a complaint" to the answer after the area is confirmed (the offer, or the photo step). */
async function describeUntilWhere(user: SimUser, lang: 'th' | 'en', description: string, pin: { latitude: number; longitude: number }) {
  const { sim } = stack;
  const th = lang === 'th';
  await converse(sim, user.userId, () => sim.follow(user.userId));
  let m = await converse(sim, user.userId, () => sim.sendText(user.userId, th ? 'แจ้งเรื่องร้องเรียน' : 'file a complaint'));
  m = await converse(sim, user.userId, () => sim.sendPostback(user.userId, quickPostback(m, th ? '💡 ไฟถนนดับ' : '💡 Street light out')));
  m = await converse(sim, user.userId, () => sim.sendText(user.userId, description));
  m = await converse(sim, user.userId, () => sim.sendLocation(user.userId, { ...pin, ...WAT_KET }));
  return converse(sim, user.userId, () => sim.sendPostback(user.userId, quickPostback(m, th ? 'ถูกต้อง' : 'Yes')));
}

/** From the photo step to the tracking number. */
async function finishFiling(user: SimUser, m: any, lang: 'th' | 'en'): Promise<string> {
  const { sim } = stack;
  const th = lang === 'th';
  m = await converse(sim, user.userId, () => sim.sendPostback(user.userId, quickPostback(m, th ? 'ไม่มีรูป' : 'No photos')));
  m = await converse(sim, user.userId, () => sim.sendPostback(user.userId, quickPostback(m, th ? 'ยินยอม' : 'I consent')));
  m = await converse(sim, user.userId, () => sim.sendPostback(user.userId, quickPostback(m, th ? 'ยืนยันส่งเรื่อง' : 'Send complaint')));
  const no = /(\d{4}-\d{6})/.exec(m.text)?.[1];
  expect(no, m.text).toBeTruthy();
  return no!;
}

/** Every push a user received with the retry key it went with. */
function pushesTo(user: SimUser) {
  return stack.sim.requests.filter((r) => r.path === '/v2/bot/message/push' && (r.body as any).to === user.userId);
}

describe('แจ้งด้วย: joining a case about the same problem', () => {
  it('A files; B nearby is offered A\'s case (public part only), joins; updates reach both, question and survey A only; แจ้งเรื่องใหม่ files anyway', async () => {
    const { sim, rt } = stack;
    const officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
    const a = await stack.citizen('สมชาย ต้นเรื่อง');
    const b = await stack.citizen('สมหญิง ข้างบ้าน');
    const e = await stack.citizen('John Neighbour', 'en');
    const c = await stack.citizen('มานี ยืนยันแจ้งใหม่');

    // A: nothing related yet, so the usual photo step follows the area.
    let m = await describeUntilWhere(a, 'th', 'ไฟถนนดับหน้าวัดเกต ซอยมืดมากตอนกลางคืน โทร 081-234-5678', { latitude: 18.8037, longitude: 98.9823 });
    expect(m.text).not.toContain('มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ');
    const trackingNo = await finishFiling(a, m, 'th');
    const caseA = (await rt.models.Case.findOne({ trackingNo }).lean())!;
    const id = String(caseA._id);

    // B, 40 m away, the same problem in other words: offered A's case before the photos.
    m = await describeUntilWhere(b, 'th', 'ไฟทางหน้าวัดดับ กลางคืนมืดมาก เดินผ่านแล้วกลัว', { latitude: 18.8040, longitude: 98.9825 });
    expect(m.text).toContain('มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ');
    expect(m.text).toContain(`เลขที่ ${trackingNo}`);
    expect(m.text).toContain('ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    expect(m.text).toContain('รับเรื่องแล้ว รอเจ้าหน้าที่');
    expect(m.text).toContain('มีผู้แจ้งแล้ว 1 คน');
    // Nothing of A's: not their name, words, phone or pin.
    for (const secret of ['สมชาย', 'วัดเกต', 'ซอยมืด', '081', '18.80', 'ถนนโชตนา']) expect(m.text).not.toContain(secret);
    const labels = m.quickReply.items.map((i: any) => i.action.label as string);
    expect(labels).toEqual([`แจ้งด้วย ${trackingNo}`, 'แจ้งเรื่องใหม่', 'ย้อนกลับ', 'ยกเลิก']);
    for (const l of labels) expect([...l].length).toBeLessThanOrEqual(20);

    m = await converse(sim, b.userId, () => sim.sendPostback(b.userId, quickPostback(m, `แจ้งด้วย ${trackingNo}`)));
    expect(m.text).toContain(`ร่วมแจ้งเรื่องเลขที่ ${trackingNo} แล้วค่ะ`);
    expect(m.text).toContain('มีผู้แจ้งแล้ว 2 คน');
    expect(m.text).toContain('ไม่ได้ส่งไปกับเรื่องนี้');
    let saved = (await rt.models.Case.findById(id).lean())!;
    expect(saved.supporterCount).toBe(2);
    expect(saved.followers).toEqual([expect.objectContaining({ lineUserId: b.userId, lang: 'th', via: 'join' })]);
    expect(saved.timeline.at(-1)).toMatchObject({ action: 'joined', by: { kind: 'citizen' } });
    expect(saved.timeline.at(-1)!.by.id).toBeUndefined();
    expect(saved.description).not.toContain('กลัว'); // B's words stay B's
    // B's draft is gone and B is back at the menu; the officers hear the count, not who.
    expect((await rt.models.Conversation.findById(b.userId).lean())).toMatchObject({ state: 'idle', draft: {} });
    const alert = await waitForText(sim, officer.userId, `เรื่อง ${trackingNo}: มีผู้แจ้งปัญหาเดียวกันเพิ่ม 1 คน (รวม 2 คน)`);
    expect(alert).not.toContain('สมหญิง');

    // A describes it again: their own case is offered back; tapping it says so and the filing goes on.
    m = await describeUntilWhere(a, 'th', 'ไฟถนนหน้าวัดยังดับอยู่ มืดมากตอนกลางคืน', { latitude: 18.8037, longitude: 98.9823 });
    expect(m.text).toContain('มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ');
    m = await converse(sim, a.userId, () => sim.sendPostback(a.userId, quickPostback(m, `แจ้งด้วย ${trackingNo}`)));
    const ownAnswer = textsOf(sim, a.userId).at(-2)!;
    expect(ownAnswer).toContain(`เรื่องเลขที่ ${trackingNo} เป็นเรื่องที่ท่านแจ้งเองค่ะ`);
    expect(m.text).toContain('ขั้นที่ 4/6');
    await converse(sim, a.userId, () => sim.sendText(a.userId, 'ยกเลิก'));
    expect((await rt.models.Case.findById(id).lean())!.supporterCount).toBe(2);

    // An English user: the same offer in English, no Thai at all; joins too.
    m = await describeUntilWhere(e, 'en', 'street light in front of the temple is broken, very dark at night', { latitude: 18.8035, longitude: 98.9821 });
    expect(m.text).toContain('Someone near you reported a similar problem');
    expect(m.text).toContain('Chang Phueak, Mueang Chiang Mai, Chiang Mai');
    expect(m.text).toContain('Reported by 2 people');
    expect(m.text).not.toMatch(THAI);
    for (const i of m.quickReply.items) expect(i.action.label).not.toMatch(THAI);
    m = await converse(sim, e.userId, () => sim.sendPostback(e.userId, quickPostback(m, `Join ${trackingNo}`)));
    expect(m.text).toContain(`You joined case ${trackingNo}`);
    expect(m.text).not.toMatch(THAI);

    // C: offered, but files anyway: the usual steps go on and a case of C's own is opened.
    m = await describeUntilWhere(c, 'th', 'ไฟถนนหน้าวัดดับ และมีสายไฟห้อยลงมาเกือบถึงพื้น อันตรายมาก', { latitude: 18.8038, longitude: 98.9824 });
    expect(m.text).toContain('มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ');
    m = await converse(sim, c.userId, () => sim.sendPostback(c.userId, quickPostback(m, 'แจ้งเรื่องใหม่')));
    expect(m.text).toContain('ขั้นที่ 4/6');
    const ownNo = await finishFiling(c, m, 'th');
    expect(ownNo).not.toBe(trackingNo);
    expect((await rt.models.Case.findOne({ trackingNo: ownNo }).lean())!.complainant).toMatchObject({ lineUserId: c.userId });
    expect((await rt.models.Case.findById(id).lean())!.supporterCount).toBe(3);

    // "ติดตามเรื่อง": B sees the joined case, marked.
    m = await converse(sim, b.userId, () => sim.sendText(b.userId, 'ติดตามเรื่อง'));
    expect(m.text).toContain(trackingNo);
    expect(m.text).toContain('(แจ้งด้วย)');

    // The officer takes it and sends an update: A, B and E each get it, in their own language, once.
    expect((await api(officer, 'POST', `/officer/cases/${id}/accept`, {})).status).toBe(200);
    await waitForText(sim, a.userId, `เรื่องเลขที่ ${trackingNo}: เจ้าหน้าที่รับเรื่องของท่านแล้ว`);
    await waitForText(sim, b.userId, `เรื่องเลขที่ ${trackingNo}: เจ้าหน้าที่รับเรื่องของท่านแล้ว`);
    const note = 'ประสานการไฟฟ้าส่วนภูมิภาคแล้ว จะเข้าเปลี่ยนหลอดไฟภายในวันศุกร์นี้ ช่างจะโทรหาคุณที่ 081-234-5678';
    expect((await api(officer, 'POST', `/officer/cases/${id}/notes`, { text: note })).status).toBe(200);
    const toA = await waitForText(sim, a.userId, `เรื่องเลขที่ ${trackingNo}: มีความคืบหน้าค่ะ`);
    expect(toA).toContain(note);
    expect(toA).not.toContain('ความคืบหน้าของเรื่องที่ท่านแจ้งด้วย');
    const toB = await waitForText(sim, b.userId, `เรื่องเลขที่ ${trackingNo}: มีความคืบหน้าค่ะ`);
    expect(toB).toContain('📣 ความคืบหน้าของเรื่องที่ท่านแจ้งด้วย');
    // Written for the complainant: what names them is redacted for followers; the link stays whole.
    expect(toB).toContain('จะเข้าเปลี่ยนหลอดไฟภายในวันศุกร์นี้ ช่างจะโทรหาคุณที่ [เบอร์โทร]');
    expect(toB).not.toContain('081-234-5678');
    expect(toB).toContain(`/liff/#/cases/${id}`);
    const toE = await waitForText(sim, e.userId, '📣 An update on a case you joined');
    expect(toE).toContain(`Case ${trackingNo}`);

    // A question is for the complainant alone.
    expect((await api(officer, 'POST', `/officer/cases/${id}/ask`, { question: 'หลอดไฟดับกี่ดวงคะ' })).status).toBe(200);
    await waitForText(sim, a.userId, 'หลอดไฟดับกี่ดวงคะ');

    // B stops following: the closure reaches A (with the survey) and E (the result, no survey), not B.
    m = await converse(sim, b.userId, () => sim.sendText(b.userId, `เลิกติดตาม ${trackingNo}`));
    expect(m.text).toContain(`เลิกติดตามเรื่องเลขที่ ${trackingNo} แล้วค่ะ`);
    m = await converse(sim, b.userId, () => sim.sendText(b.userId, `เลิกติดตาม ${trackingNo}`));
    expect(m.text).toContain('ท่านไม่ได้ติดตามเรื่องเลขที่');
    const summary = 'เปลี่ยนหลอดไฟหน้าวัด 3 ดวงเรียบร้อยแล้ว';
    expect((await api(officer, 'POST', `/officer/cases/${id}/close`, { summary })).status).toBe(200);
    const closedA = await waitForText(sim, a.userId, `เรื่องเลขที่ ${trackingNo}: ยุติเรื่องแล้วค่ะ`);
    expect(closedA).toContain('/survey/');
    const closedE = await waitForText(sim, e.userId, `Case ${trackingNo}: closed.`);
    expect(closedE).toContain(summary);
    expect(closedE).not.toContain('/survey/');
    await drained(stack);
    expect(textsOf(sim, b.userId).filter((t) => t.includes('หลอดไฟดับกี่ดวง') || t.includes(': ยุติเรื่องแล้ว'))).toEqual([]);
    expect(textsOf(sim, e.userId).filter((t) => t.includes('กี่ดวง') || t.includes('How many'))).toEqual([]);

    // One push per event and person: every retry key distinct, and none sent twice.
    for (const who of [a, b, e]) {
      const keys = pushesTo(who).map((r) => (r as any).retryKey).filter(Boolean);
      expect(new Set(keys).size).toBe(keys.length);
    }
    // Every message the bot sent was valid against LINE's spec.
    expect(sim.requests.filter((r) => r.status >= 400)).toEqual([]);
    for (const r of sim.requests.filter((r) => r.path === '/v2/bot/message/reply' || r.path === '/v2/bot/message/push')) {
      expect(validateOperation(r.path.endsWith('reply') ? 'replyMessage' : 'pushMessage', r.body)).toEqual({ ok: true });
    }
  });

  it('LIFF API: related cases before filing, join (again: unchanged), own or closed case refused, the follower\'s view has nothing of the complainant\'s', async () => {
    const { rt } = stack;
    const officer = await stack.officer('5002', 'officer', 'จนท. สารภี');
    const a = await stack.citizen('นายก ต้นเรื่อง');
    const b = await stack.citizen('นางข ร่วมแจ้ง');
    const location = { provinceCode: '50', districtCode: '5001', subdistrictCode: '500102', lat: 18.79, lng: 98.99 };
    const filed = await api(a, 'POST', '/cases', {
      problemType: 'water_supply', category: 'help', description: 'ท่อประปาแตกน้ำไหลนองถนนหน้าตลาดมาสองวันแล้ว บ้านเลขที่ 12 ของนายก',
      location: { ...location, address: 'บ้านเลขที่ 12' }, anonymous: false, contact: { name: 'นายก ต้นเรื่อง', phone: '0812345678' },
      consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    });
    expect(filed.status, filed.text).toBe(201);
    const id = filed.json.id as string;

    const found = await api(b, 'POST', '/related', { problemType: 'water_supply', category: 'help', description: 'น้ำประปาแตกไหลนองถนนหน้าตลาด', location: { ...location, lat: 18.7902, lng: 98.9901 } });
    expect(found.status, found.text).toBe(200);
    expect(found.json).toEqual([expect.objectContaining({ id, trackingNo: filed.json.trackingNo, supporterCount: 1, areaEn: expect.stringContaining('Chiang Mai'), statusTh: 'รับเรื่องแล้ว รอเจ้าหน้าที่' })]);
    expect(found.text).not.toMatch(/นายก|ประปาแตก|0812345678|บ้านเลขที่|18\.79/);
    const bad = await api(b, 'POST', '/related', { category: 'help', description: 'x', location: { provinceCode: '50', districtCode: '9999' } });
    expect(bad.status).toBe(400);
    expect(ErrorBody.parse(bad.json).error.message.th).toMatch(THAI);

    const joined = await api(b, 'POST', `/cases/${id}/join`, {});
    expect(joined.status, joined.text).toBe(200);
    expect(joined.json).toMatchObject({ trackingNo: filed.json.trackingNo, supporterCount: 2, already: false });
    const again = await api(b, 'POST', `/cases/${id}/join`, {});
    expect(again.json).toMatchObject({ supporterCount: 2, already: true });
    expect((await rt.models.Case.findById(id).lean())!.followers).toHaveLength(1);
    const own = await api(a, 'POST', `/cases/${id}/join`, {});
    expect(own.status).toBe(409);
    expect(own.json.error.message.th).toContain('เรื่องที่ท่านแจ้งเอง');

    // The follower's page: the public part; the complainant's own page is unchanged.
    const view = CaseDetail.parse((await api(b, 'GET', `/cases/${id}`)).json);
    expect(view).toMatchObject({ following: true, description: '', canAddInfo: false, canWithdraw: false, supporterCount: 2 });
    expect(JSON.stringify(view)).not.toMatch(/นายก|0812345678|บ้านเลขที่|18\.79|ประปาแตก/);
    expect(CaseDetail.parse((await api(a, 'GET', `/cases/${id}`)).json).description).toContain('ท่อประปาแตก');
    const list = (await api(b, 'GET', '/cases')).json.map((x: unknown) => CaseSummary.parse(x));
    expect(list).toEqual([expect.objectContaining({ id, following: true })]);
    // Someone who neither filed nor joined: 404 as for an unknown id.
    const stranger = await stack.citizen('คนอื่น');
    expect((await api(stranger, 'GET', `/cases/${id}`)).status).toBe(404);

    // Closed: no more joining.
    const o = await stack.officer('5001', 'officer', 'จนท. ปิดเรื่อง');
    expect((await api(o, 'POST', `/officer/cases/${id}/close`, { summary: 'ซ่อมท่อประปาเรียบร้อยแล้ว' })).status).toBe(200);
    const late = await api(stranger, 'POST', `/cases/${id}/join`, {});
    expect(late.status).toBe(409);
    expect(late.json.error.message.en).toContain('closed');
    expect((await api(b, 'POST', `/cases/${id}/unfollow`, {})).status).toBe(200);
    expect((await api(b, 'POST', `/cases/${id}/unfollow`, {})).status).toBe(404);
    expect((await api(b, 'GET', `/cases/${id}`)).status).toBe(404);
    void officer;
  });

  it('ข้อมูลของฉัน lists what one follows; deleting one\'s data takes them off the followers, the count stays', async () => {
    const a = await stack.citizen('ผู้แจ้ง รายแรก');
    const b = await stack.citizen('ผู้ร่วม แจ้ง');
    const filed = await api(a, 'POST', '/cases', {
      problemType: 'rubbish', category: 'help', description: 'ขยะล้นถังหน้าตลาดไม่มีใครมาเก็บหนึ่งสัปดาห์แล้ว ส่งกลิ่นเหม็น',
      location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500103' }, anonymous: true,
      consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    });
    expect(filed.status, filed.text).toBe(201);
    const id = filed.json.id as string;
    expect((await api(b, 'POST', `/cases/${id}/join`, {})).status).toBe(200);
    const mine = await api(b, 'GET', '/me/data');
    expect(mine.json.following).toEqual([expect.objectContaining({ trackingNo: filed.json.trackingNo, status: 'received', via: 'join', language: 'th' })]);
    expect(mine.json.cases).toEqual([]);
    const page = await fetch(`${stack.web.url}/liff/api/me/data.html?lang=th`, { headers: { authorization: `Bearer ${stack.sim.issueIdToken(b.userId)}` } });
    expect(await page.text()).toContain(`เรื่องที่ฉันแจ้งด้วย (ติดตาม) (1)`);

    expect((await api(b, 'POST', '/me/erase', { confirm: true })).status).toBe(200);
    const after = (await stack.rt.models.Case.findById(id).lean())!;
    expect(after.followers).toEqual([]);
    expect(after.supporterCount).toBe(2);
    expect(JSON.stringify(after)).not.toContain(b.userId);
    expect((await api(b, 'GET', '/me/data')).json.following).toEqual([]);
  });
});
