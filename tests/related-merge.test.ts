/**
 * Officers linking and merging related complaints, on the real stack (FerretDB, Redis, the workers,
 * the LINE simulator): the merged case closes with a pointer, everyone of both cases is told in their
 * language, and the target's later updates reach the merged case's complainant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { addProgressNote } from '../shared/cases/commands/addProgressNote.ts';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { linkCases } from '../shared/cases/commands/linkCases.ts';
import { mergeCases } from '../shared/cases/commands/mergeCases.ts';
import { findRelated } from '../shared/related/search.ts';
import { relatedIndexModel } from '../shared/related/openIndex.ts';
import { drained, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

let stack: Stack;
let officer: { id: string; name: string; unitCode: string };
beforeAll(async () => {
  stack = await startStack();
  const user = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
  const doc = await stack.rt.models.Officer.findOne({ lineUserId: user.userId }).lean();
  officer = { id: String(doc!._id), name: doc!.name, unitCode: '5001' };
});
afterAll(async () => { await stack?.close(); });

let n = 0;
const NIMMAN = { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่', subdistrictCode: '500108', subdistrictName: 'สุเทพ' };
function open(lineUserId: string, description: string, lang: 'th' | 'en' = 'th', at = { lat: 18.7985, lng: 98.9672 }) {
  return openCase(stack.rt.bot, {
    idempotencyKey: `merge-test:${++n}:${Math.random()}`, channel: 'line', category: 'help', description,
    location: { ...NIMMAN, ...at }, complainant: { lineUserId, lang }, by: { kind: 'citizen', id: lineUserId },
  });
}

describe('link and merge related complaints', () => {
  it('link: both cases list each other, with a timeline entry on both; linking again changes nothing', async () => {
    const a = await open('U' + 'a1'.repeat(16), 'ไฟถนนดับทั้งซอย 7 นิมมาน มืดมาก');
    const b = await open('U' + 'b1'.repeat(16), 'ไฟทางดับ ซอย7นิมมาน มืดตึ๊บ กลัวโจร');
    const r = await linkCases(stack.rt.bot, { caseId: String(b._id), otherCaseId: String(a._id), officer });
    expect(r.ok).toBe(true);
    const again = await linkCases(stack.rt.bot, { caseId: String(b._id), otherCaseId: String(a._id), officer });
    expect(again.ok).toBe(true);
    const [sa, sb] = await Promise.all([a, b].map((c) => stack.rt.models.Case.findById(c._id).lean()));
    expect(sa!.relatedCases).toEqual([b.trackingNo]);
    expect(sb!.relatedCases).toEqual([a.trackingNo]);
    expect(sa!.timeline.filter((e) => e.action === 'linked').map((e) => e.note)).toEqual([b.trackingNo]);
    expect(sb!.timeline.filter((e) => e.action === 'linked').map((e) => e.note)).toEqual([a.trackingNo]);
    expect(await stack.rt.models.Audit.countDocuments({ caseId: String(b._id), action: 'link_cases' })).toBe(2);
    const self = await linkCases(stack.rt.bot, { caseId: String(b._id), otherCaseId: String(b._id), officer });
    expect(self).toMatchObject({ ok: false, reason: 'same_case' });
  });

  it('merge: the merged case closes with the pointer, both complainants are told in their language, and the target\'s next update reaches both', async () => {
    const thai = (await stack.citizen('สมหญิง รักถิ่น')).userId;
    const english = (await stack.citizen('John Smith', 'en')).userId;
    const follower = (await stack.citizen('สมศักดิ์ ใจดี')).userId;
    const target = await open(thai, 'ถนนหน้าซอย 7 นิมมานเป็นหลุมลึกมาก รถจักรยานยนต์ล้มบ่อย');
    const source = await open(english, 'pothole ใหญ่ถนนหน้าซอย 7 นิมมาน มอไซค์ล้มบ่อยมาก', 'en', { lat: 18.7989, lng: 98.9675 });
    // Someone already followed the source (joined it): they come along.
    const { updateCaseGuarded } = await import('../shared/store/guardedUpdate.ts');
    await updateCaseGuarded(stack.rt.models, String(source._id), {}, { $set: { followers: [{ lineUserId: follower, lang: 'th', at: new Date(), via: 'join', trackingNo: source.trackingNo }], supporterCount: 2 } });
    await drained(stack);

    // The officer finds it on the source's page as possibly related.
    const related = await findRelated(stack.rt.models, { category: 'help', location: { ...NIMMAN, lat: 18.7989, lng: 98.9675 }, description: source.description, at: new Date() }, { excludeCaseId: String(source._id) });
    expect(related.map((c) => c.trackingNo)).toContain(target.trackingNo);

    const r = await mergeCases(stack.rt.bot, { caseId: String(source._id), targetCaseId: String(target._id), officer });
    expect(r.ok).toBe(true);
    const [s, t] = await Promise.all([source, target].map((c) => stack.rt.models.Case.findById(c._id).lean()));
    expect(s!.status).toBe('closed');
    expect(s!.mergedInto).toBe(target.trackingNo);
    expect(s!.resolution!.text).toContain(target.trackingNo);
    expect(await relatedIndexModel(stack.rt.models).countDocuments({ _id: String(source._id) })).toBe(0); // out of the search
    expect(t!.supporterCount).toBe(3);
    expect(t!.followers.map((f) => [f.lineUserId, f.via, f.trackingNo])).toEqual([[english, 'merge', source.trackingNo], [follower, 'merge', source.trackingNo]]);
    expect(t!.timeline.some((e) => e.action === 'merged_in' && e.note === source.trackingNo)).toBe(true);

    // Everyone is told, in their own language, with the tracking number that carries on.
    expect(await waitForText(stack.sim, english, `Your case ${source.trackingNo} is the same problem as case ${target.trackingNo}`)).toContain('updates');
    expect(await waitForText(stack.sim, follower, `เป็นปัญหาเดียวกับเรื่องเลขที่ ${target.trackingNo}`)).toBeTruthy();
    expect(await waitForText(stack.sim, thai, `เรื่องเลขที่ ${target.trackingNo}: มีผู้แจ้งปัญหาเดียวกันเพิ่ม`)).toContain('3 คน');
    await waitForText(stack.sim, (await stack.rt.models.Officer.findById(officer.id).lean())!.lineUserId, `รวมเรื่อง ${source.trackingNo}`);

    // Merging again is a no-op: nobody is counted or told twice.
    expect((await mergeCases(stack.rt.bot, { caseId: String(source._id), targetCaseId: String(target._id), officer })).ok).toBe(true);
    expect((await stack.rt.models.Case.findById(target._id).lean())!.supporterCount).toBe(3);

    // The target's next update reaches the merged case's complainant and follower too.
    expect((await addProgressNote(stack.rt.bot, { caseId: String(target._id), officer, text: 'ส่งทีมช่างไปซ่อมถนนแล้ว คาดว่าเสร็จภายในสัปดาห์นี้' })).ok).toBe(true);
    await waitForText(stack.sim, thai, 'ส่งทีมช่างไปซ่อมถนนแล้ว');
    expect(await waitForText(stack.sim, english, 'ส่งทีมช่างไปซ่อมถนนแล้ว')).toContain(`Case ${target.trackingNo}`);
    expect(await waitForText(stack.sim, follower, 'ส่งทีมช่างไปซ่อมถนนแล้ว')).toContain(target.trackingNo);
    await drained(stack);
    expect(textsOf(stack.sim, english).filter((x) => x.includes('is the same problem as'))).toHaveLength(1);
  });

  it('refuses a merge into itself, into a closed case, into a case already merged (no chains), and by an officer of another unit', async () => {
    const a = await open('U' + 'f1'.repeat(16), 'ขยะกองหน้าซอย 7 นิมมาน ไม่มีรถมาเก็บ');
    const b = await open('U' + 'f2'.repeat(16), 'รถขยะไม่มาเก็บซอย 7 นิมมาน ขยะล้นถัง');
    const c = await open('U' + 'f3'.repeat(16), 'ขยะเกลื่อนซอย 7 นิมมาน เหม็นมาก');
    const d = await open('U' + 'f4'.repeat(16), 'ขยะล้นถังซอย 7 นิมมาน');
    const id = (x: { _id: unknown }) => String(x._id);
    expect(await mergeCases(stack.rt.bot, { caseId: id(a), targetCaseId: id(a), officer })).toMatchObject({ ok: false, reason: 'same_case' });
    expect((await mergeCases(stack.rt.bot, { caseId: id(b), targetCaseId: id(a), officer })).ok).toBe(true);
    expect(await mergeCases(stack.rt.bot, { caseId: id(c), targetCaseId: id(b), officer })).toMatchObject({ ok: false, reason: 'target_merged' });
    expect(await mergeCases(stack.rt.bot, { caseId: id(b), targetCaseId: id(c), officer })).toMatchObject({ ok: false, reason: 'not_open' });
    expect((await closeCase(stack.rt.bot, { caseId: id(d), officer, summary: 'เก็บขยะเรียบร้อยแล้ว' })).ok).toBe(true);
    expect(await mergeCases(stack.rt.bot, { caseId: id(c), targetCaseId: id(d), officer })).toMatchObject({ ok: false, reason: 'target_closed' });
    const stranger = { id: '0'.repeat(23) + '9', name: 'จนท. อื่น', unitCode: '1004' };
    expect(await mergeCases(stack.rt.bot, { caseId: id(c), targetCaseId: id(a), officer: stranger })).toMatchObject({ ok: false, reason: 'not_found' });
    expect((await stack.rt.models.Case.findById(c._id).lean())!.status).toBe('received');
  });

  it('the LIFF API: candidates for the officer\'s case, a refused merge says why in Thai and English, bad input is 400, another unit\'s case 404', async () => {
    const user = (await stack.rt.models.Officer.findById(officer.id).lean())!.lineUserId;
    const call = async (method: string, path: string, body?: unknown, as = user) => {
      const res = await fetch(`${stack.web.url}/liff/api${path}`, {
        method, headers: { authorization: `Bearer ${stack.sim.issueIdToken(as)}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, json: await res.json() as any };
    };
    const a = await open('U' + 'g1'.repeat(16), 'น้ำประปาไม่ไหลมาสามวันแล้ว ซอย 7 นิมมาน ไม่มีน้ำใช้เลย');
    const b = await open('U' + 'g2'.repeat(16), 'ประปาไม่ไหล ซอย7นิมมาน 3 วันแล้ว ไม่มีน้ำอาบ');
    const related = await call('GET', `/officer/cases/${b._id}/related`);
    expect(related.status).toBe(200);
    const hit = related.json.candidates.find((c: { trackingNo: string }) => c.trackingNo === a.trackingNo);
    expect(hit).toMatchObject({ mayOpen: true, description: a.description, supporterCount: 1, linked: false });
    expect(hit.reasons[0]).toBe('same_category'); // cases without a problem type compare by category
    expect((await call('POST', `/officer/cases/${b._id}/merge`, { targetCaseId: 'not-an-id' })).status).toBe(400);
    const self = await call('POST', `/officer/cases/${b._id}/merge`, { targetCaseId: String(b._id) });
    expect(self.status).toBe(409);
    expect(self.json.error.message).toEqual({ th: 'ไม่สามารถรวมหรือเชื่อมโยงเรื่องกับตัวเองได้', en: 'A case cannot be linked or merged with itself.' });
    const stranger = await stack.officer('1004', 'officer', 'จนท. บางรัก');
    expect((await call('GET', `/officer/cases/${b._id}/related`, undefined, stranger.userId)).status).toBe(404);
    expect((await call('POST', `/officer/cases/${b._id}/merge`, { targetCaseId: String(a._id) }, stranger.userId)).status).toBe(404);
    const merged = await call('POST', `/officer/cases/${b._id}/merge`, { targetCaseId: String(a._id) });
    expect(merged.status).toBe(200);
    expect(merged.json.status).toBe('closed');
    expect(merged.json.resolution.text).toContain(a.trackingNo);
  });
});
