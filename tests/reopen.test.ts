/**
 * Verified closure and reopen on the real stack (app, worker, Redis, FerretDB, the LINE simulator):
 * an officer closes with a result and an "after" photo, the citizen reads it in the chat, answers
 * "not yet" and reopens with their own words; the assignee and the head are told in LINE, the
 * official tables count the case open again, the SLA clock restarts from the policy's reopen target,
 * the dashboard shows the reopen for the unit; closed again and "not yet" again, it goes up to the
 * province. See docs/closure-and-reopen.md.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDetail, ErrorBody, OfficerCaseDetail } from '../liff/api/schemas.ts';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import { fiscalYearOf } from '../shared/reports/period.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { parseSlaPolicy, slaContext } from '../shared/sla/load.ts';
import { dueAt, reopenTargetFor } from '../shared/sla/policy.ts';
import type { SimUser } from '../simulator/server.ts';
import { get as dashGet, signIn } from './helpers/dashboard.ts';
import { drained, startStack, waitForText, type Stack } from './helpers/stack.ts';

const JPEG = readFileSync(new URL('./fixtures/photo-8x8.jpg', import.meta.url));

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

interface Answer { status: number; json: any; text: string }
interface Person extends SimUser {
  get(path: string): Promise<Answer>;
  post(path: string, body?: unknown): Promise<Answer>;
  upload(path: string, bytes: Buffer, contentType: string): Promise<Answer>;
}

async function call(token: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

function asPerson(user: SimUser): Person {
  const token = stack.sim.issueIdToken(user.userId);
  return {
    ...user,
    get: (path) => call(token, 'GET', path),
    post: (path, body = {}) => call(token, 'POST', path, body),
    upload: (path, bytes, contentType) => call(token, 'POST', path, bytes, contentType),
  };
}

function expectError(a: Answer, status: number, code: string) {
  expect(a.status, a.text).toBe(status);
  expect(ErrorBody.parse(a.json).error.code).toBe(code);
  expect(a.json.error.message.th).toMatch(/[\u0E00-\u0E7F]/);
  expect(a.json.error.message.en).toMatch(/[a-z]/);
}

const newCase = () => ({
  category: 'help',
  description: 'ไฟฟ้าส่องสว่างในซอยวัดเกตดับทั้งซอยมาสองสัปดาห์ กลางคืนมืดมาก เด็กนักเรียนเดินกลับบ้านลำบาก',
  location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107' },
  anonymous: false,
  consent: { version: PDPA_NOTICE_VERSION, accepted: true },
  clientRequestId: randomUUID(),
});

/** The official table of a unit (own cases), from GET /api/reports as an officer reads it. */
async function table(unit: string, user: SimUser) {
  const res = await fetch(`${stack.web.url}/api/reports?unit=${unit}&withChildren=false&format=province&fiscalYear=${fiscalYearOf(new Date())}`, {
    headers: { authorization: `Bearer ${stack.sim.issueIdToken(user.userId)}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()).total as { closed: number; open: number; total: number };
}

/** Texts a user received that contain `needle`. */
function received(user: SimUser, needle: string): string[] {
  return stack.sim.messagesFor(user.userId).flatMap((r) => r.messages).filter((m: any) => m.type === 'text' && m.text.includes(needle)).map((m: any) => m.text);
}

describe('verified closure and reopen', () => {
  it('close with an after photo → "not yet" → reopened at the unit → closed again → "not yet" → sent up to the province', async () => {
    const officer = asPerson(await stack.officer('5001', 'officer', 'จนท. สมศรี'));
    const other = asPerson(await stack.officer('5001', 'officer', 'จนท. สมปอง'));
    const head = asPerson(await stack.officer('5001', 'head', 'หัวหน้า อำเภอเมือง'));
    const provinceHead = asPerson(await stack.officer('50', 'head', 'หัวหน้า จังหวัดเชียงใหม่'));
    const citizen = asPerson(await stack.citizen('สมชาย ไฟดับ'));

    const filed = await citizen.post('/cases', newCase());
    expect(filed.status, filed.text).toBe(201);
    const id = filed.json.id as string;
    const trackingNo = filed.json.trackingNo as string;
    expect((await officer.post(`/officer/cases/${id}/accept`)).status).toBe(200);
    const before = await table('5001', head);

    // Closing needs a result the citizen will read.
    const noSummary = await officer.post(`/officer/cases/${id}/close`, {});
    expectError(noSummary, 400, 'validation_failed');
    expect(noSummary.json.error.fields).toContainEqual(expect.objectContaining({ path: 'summary', th: 'กรุณากรอกผลการดำเนินการ', en: 'Result summary is required.' }));
    expectError(await officer.post(`/officer/cases/${id}/close`, { summary: 'ok' }), 400, 'validation_failed');

    // The after photo: uploaded by the officer for this case; nobody else's upload can stand in for it.
    const photo = await officer.upload(`/officer/cases/${id}/uploads`, JPEG, 'image/jpeg');
    expect(photo.status, photo.text).toBe(201);
    const citizensOwn = await citizen.upload('/uploads', JPEG, 'image/jpeg');
    const othersPhoto = await other.upload(`/officer/cases/${id}/uploads`, JPEG, 'image/jpeg');
    for (const bad of [citizensOwn.json.id, othersPhoto.json.id]) {
      const r = await officer.post(`/officer/cases/${id}/close`, { summary: 'เปลี่ยนหลอดไฟแล้ว', photoIds: [bad] });
      expectError(r, 400, 'validation_failed');
      expect(r.json.error.fields[0]).toMatchObject({ path: 'photoIds.0' });
    }
    // An officer of another district: as if the case did not exist (the province head, above it, may).
    const stranger = asPerson(await stack.officer('5002', 'officer', 'จนท. อำเภออื่น'));
    expectError(await stranger.upload(`/officer/cases/${id}/uploads`, JPEG, 'image/jpeg'), 404, 'not_found');

    const closed = await officer.post(`/officer/cases/${id}/close`, { summary: 'เปลี่ยนหลอดไฟ 6 ดวงในซอยวัดเกตเรียบร้อยแล้ว', photoIds: [photo.json.id] });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.status).toBe('closed');

    // The citizen reads the result, the photo count with the case page link, and the survey link;
    // the yes / not-yet quick replies open the same survey.
    const told = await waitForText(stack.sim, citizen.userId, `เรื่องเลขที่ ${trackingNo}: ยุติเรื่องแล้วค่ะ`);
    expect(told).toContain('ผลการดำเนินการ: เปลี่ยนหลอดไฟ 6 ดวงในซอยวัดเกตเรียบร้อยแล้ว');
    expect(told).toContain(`ภาพผลการดำเนินการ 1 ภาพ ดูได้ที่:\nhttp://localhost:3000/liff/#/cases/${id}`);
    expect(told).toContain('ปัญหาได้รับการแก้ไขแล้วหรือยังคะ?');
    expect(told).toContain(`http://localhost:3000/liff/#/survey/${id}`);
    const closing: any = stack.sim.messagesFor(citizen.userId).flatMap((r) => r.messages).find((m: any) => m.type === 'text' && m.text === told);
    expect(closing.quickReply.items.map((i: any) => [i.action.label, i.action.uri])).toEqual([
      ['แก้ไขแล้ว', `http://localhost:3000/liff/#/survey/${id}?fixed=yes`],
      ['ยังไม่ได้แก้ไข', `http://localhost:3000/liff/#/survey/${id}?fixed=no`],
    ]);

    // The case page shows the after photo, and the citizen may open it.
    const page = CaseDetail.parse((await citizen.get(`/cases/${id}`)).json);
    expect(page.attachments).toEqual([expect.objectContaining({ id: photo.json.id, kind: 'after' })]);
    expect(page).toMatchObject({ surveyDue: true, canReopen: true, resolution: { text: 'เปลี่ยนหลอดไฟ 6 ดวงในซอยวัดเกตเรียบร้อยแล้ว' } });
    const file = await fetch(`${stack.web.url}${page.attachments[0]!.url}`, { headers: { authorization: `Bearer ${stack.sim.issueIdToken(citizen.userId)}` } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(JPEG)).toBe(true);
    await drained(stack);
    const atClose = await table('5001', head);
    expect(atClose).toEqual({ ...before, closed: before.closed + 1, open: before.open - 1 });

    // "Not yet", in their words.
    const reason = 'ไฟยังดับอยู่สามดวงท้ายซอย ใกล้ศาลาวัด';
    const reopened = await citizen.post(`/cases/${id}/reopen`, { reason });
    expect(reopened.status, reopened.text).toBe(200);
    expect(reopened.json).toMatchObject({ status: 'in_progress', canReopen: false, surveyDue: false, unitNameTh: 'ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่' });
    expect(reopened.json.timeline.at(-1)).toMatchObject({ action: 'reopened', actor: 'citizen', note: reason, textTh: 'ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข เปิดเรื่องใหม่' });
    // One reopen per closure.
    expectError(await citizen.post(`/cases/${id}/reopen`, { reason: 'กดซ้ำอีกครั้ง' }), 409, 'conflict');

    // The assignee and the head are told in LINE, with the citizen's words; the other officer is not.
    for (const who of [officer, head]) {
      const alert = await waitForText(stack.sim, who.userId, `เรื่อง ${trackingNo}: ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข จึงเปิดเรื่องใหม่`);
      expect(alert).toContain(`เหตุผลของผู้ร้อง: ${reason}`);
      expect(alert).toContain(`/officer/cases/${id}`);
    }
    await waitForText(stack.sim, citizen.userId, `เรื่องเลขที่ ${trackingNo}: เปิดเรื่องใหม่แล้วค่ะ`);
    await drained(stack);
    expect(received(other, 'เปิดเรื่องใหม่')).toEqual([]);

    // The SLA clock restarts: resolve by the policy's reopen target, counted from the reopen.
    const saved = (await stack.rt.models.Case.findById(id).lean())!;
    const sla = slaContext();
    const target = reopenTargetFor(sla.policy, ['5001', '50', 'MOI']);
    expect(target).toMatchObject({ target: { unit: 'workingDays', amount: 10 }, rule: 'default.reopen' });
    expect(new Date(saved.resolveDueAt!).toISOString()).toBe(dueAt(target.target, new Date(saved.reopens[0]!.at), sla.calendar).toISOString());
    expect(saved.escalationLevel).toBe(0);
    // The official tables count it open again, and a recount from the cases agrees.
    expect(await table('5001', head)).toEqual(before);
    expect((await verifyCounters(stack.rt.models)).mismatches).toEqual([]);

    // The dashboard shows the reopen for the unit.
    const { jar } = await signIn(stack, provinceHead.userId);
    const overview = await (await dashGet(stack, '/dashboard/?unit=50', jar)).text();
    expect(overview).toContain('เรื่องที่ผู้ร้องขอเปิดใหม่');
    expect(overview).toMatch(/<tr data-unit="5001"><td>ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่ <small class="code">5001<\/small><\/td><td class="n">1<\/td><td class="n bad">1<\/td><td class="n">100.00%<\/td><\/tr>/);

    // Closed again: the citizen may answer again; "not yet" a second time sends it up to the province.
    const again = await officer.post(`/officer/cases/${id}/close`, { summary: 'เปลี่ยนหลอดไฟท้ายซอยอีก 3 ดวงแล้ว' });
    expect(again.status, again.text).toBe(200);
    expect((await citizen.get(`/cases/${id}`)).json).toMatchObject({ surveyDue: true, canReopen: true });
    const survey = await citizen.post(`/cases/${id}/survey`, { fixed: false, score: 1, comment: 'ยังดับอยู่' });
    expect(survey.status, survey.text).toBe(201);
    expect(survey.json).toMatchObject({ survey: { score: 1, fixed: false }, canReopen: true });
    const upReason = 'ซ่อมแล้วดับอีกภายในสองวัน ขอให้จังหวัดช่วยดู';
    const up = await citizen.post(`/cases/${id}/reopen`, { reason: upReason });
    expect(up.status, up.text).toBe(200);
    expect(up.json).toMatchObject({ status: 'forwarded', unitNameTh: 'ศูนย์ดำรงธรรมจังหวัดเชียงใหม่' });
    expectError(await citizen.post(`/cases/${id}/reopen`, { reason: 'อีกครั้ง' }), 409, 'conflict');
    const upAlert = await waitForText(stack.sim, provinceHead.userId, `เรื่อง ${trackingNo}: ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข เป็นครั้งที่สอง จึงส่งขึ้นมาจากศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่`);
    expect(upAlert).toContain(`เหตุผลของผู้ร้อง: ${upReason}`);
    const atProvince = OfficerCaseDetail.parse((await provinceHead.get(`/officer/cases/${id}`)).json);
    expect(atProvince.assignee).toBeUndefined();
    expect(atProvince.reopens).toEqual([expect.objectContaining({ reason, toParent: false }), expect.objectContaining({ reason: upReason, toParent: true })]);
    expectError(await officer.get(`/officer/cases/${id}`), 404, 'not_found');
    await drained(stack);
    expect(await table('5001', head)).toEqual({ ...before, total: before.total - 1, open: before.open - 1 });
    expect((await verifyCounters(stack.rt.models)).mismatches).toEqual([]);
  }, 120_000);

  it('a citizen who says it is fixed and rates it well cannot reopen; an open or withdrawn case cannot be reopened', async () => {
    const officer = asPerson(await stack.officer('5002', 'officer', 'จนท. จอมทอง'));
    const citizen = asPerson(await stack.citizen('สมหญิง พอใจ'));
    const one = (await citizen.post('/cases', { ...newCase(), location: { provinceCode: '50', districtCode: '5002' } })).json;
    expectError(await citizen.post(`/cases/${one.id}/reopen`, { reason: 'ยังไม่ได้ปิดเลย' }), 409, 'conflict');
    expect((await officer.post(`/officer/cases/${one.id}/close`, { summary: 'ซ่อมไฟเรียบร้อยแล้ว' })).status).toBe(200);
    expectError(await citizen.post(`/cases/${one.id}/reopen`, { reason: 'สั้น' }), 400, 'validation_failed');
    const rated = await citizen.post(`/cases/${one.id}/survey`, { fixed: true, score: 5 });
    expect(rated.json).toMatchObject({ survey: { score: 5, fixed: true }, canReopen: false, surveyDue: false });
    const refused = await citizen.post(`/cases/${one.id}/reopen`, { reason: 'เปลี่ยนใจแล้ว' });
    expectError(refused, 409, 'conflict');
    expect(refused.json.error.message.th).toContain('แจ้งว่าปัญหาได้รับการแก้ไขแล้ว');

    const two = (await citizen.post('/cases', { ...newCase(), location: { provinceCode: '50', districtCode: '5002' } })).json;
    expect((await citizen.post(`/cases/${two.id}/withdraw`, { reason: 'ตกลงกันได้แล้ว' })).status).toBe(200);
    expectError(await citizen.post(`/cases/${two.id}/reopen`, { reason: 'อยากเปิดอีกครั้ง' }), 409, 'conflict');
    // Two taps at once on one closure: one reopen, the other refused.
    const three = (await citizen.post('/cases', { ...newCase(), location: { provinceCode: '50', districtCode: '5002' } })).json;
    expect((await officer.post(`/officer/cases/${three.id}/close`, { summary: 'ซ่อมไฟเรียบร้อยแล้ว' })).status).toBe(200);
    const taps = await Promise.all([citizen.post(`/cases/${three.id}/reopen`, { reason: 'ยังดับอยู่ค่ะ' }), citizen.post(`/cases/${three.id}/reopen`, { reason: 'ยังดับอยู่ค่ะ' })]);
    expect(taps.map((a) => a.status).sort()).toEqual([200, 409]);
    const tapped = (await stack.rt.models.Case.findById(three.id).lean())!;
    expect(tapped.reopens).toHaveLength(1);
    expect(tapped.timeline.filter((e) => e.action === 'reopened')).toHaveLength(1);

    // Someone else's case: not found, as for an id that does not exist.
    const stranger = asPerson(await stack.citizen('คนอื่น'));
    expectError(await stranger.post(`/cases/${one.id}/reopen`, { reason: 'ไม่ใช่เรื่องของฉัน' }), 404, 'not_found');
  }, 60_000);

  it('the reopen target is read from the policy file: a unit\'s override applies below it; a bad value names the key', () => {
    const policy = parseSlaPolicy({ default: { reopen: { unit: 'workingDays', amount: 7 } }, units: { 50: { reopen: { unit: 'workingDays', amount: 3 } } } }, 'p.json');
    expect(reopenTargetFor(policy, ['5001', '50', 'MOI'])).toEqual({ target: { unit: 'workingDays', amount: 3 }, rule: 'units.50.reopen', unitCode: '50', inherited: true });
    expect(reopenTargetFor(policy, ['5701', '57', 'MOI'])).toEqual({ target: { unit: 'workingDays', amount: 7 }, rule: 'default.reopen', inherited: false });
    // Absent from the file: the built-in 10 working days.
    expect(reopenTargetFor(parseSlaPolicy({}), ['5001'])).toMatchObject({ target: { unit: 'workingDays', amount: 10 } });
    expect(() => parseSlaPolicy({ default: { reopen: { unit: 'workingDays', amount: 0 } } }, 'p.json')).toThrow(/p\.json: default\.reopen\.amount/);
  });
});
