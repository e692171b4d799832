/**
 * Citizen rights on the real stack (Redis, FerretDB, the LINE simulator): seeing and downloading
 * "ข้อมูลของฉัน", asking deletion in the chat (the case stays in the official tables without naming
 * anyone; the unit's officer is told), and the retention run (preview, then run).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue, type ConnectionOptions } from 'bullmq';
import { mongo } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import { buildReportFromCases } from '../shared/reports/build.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { loadRetentionPolicy, planRetention, runRetention } from '../shared/privacy/retention.ts';
import { retentionCommand } from '../shared/privacy/retentionCli.ts';
import type { SimUser } from '../simulator/server.ts';
import { converse, drained, quickPostback, startStack, waitForText, type Stack } from './helpers/stack.ts';

const PNG = readFileSync(new URL('./fixtures/photo-8x8.png', import.meta.url));
const DAY = 86_400_000;

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

async function call(user: SimUser, method: string, path: string, body?: unknown, contentType?: string) {
  const token = stack.sim.issueIdToken(user.userId);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  const payload = Buffer.isBuffer(body) ? new Uint8Array(body) : body === undefined ? undefined : JSON.stringify(body);
  const res = await fetch(`${stack.web.url}/liff/api${path}`, { method, headers, body: payload });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, text, json, type: res.headers.get('content-type') ?? '' };
}

async function fileCase(user: SimUser, phone = '081-234-5678') {
  const up = await call(user, 'POST', '/uploads', PNG, 'image/png');
  expect(up.status, up.text).toBe(201);
  const r = await call(user, 'POST', '/cases', {
    category: 'state_project',
    description: 'ถนนหน้าบ้านเป็นหลุมลึก ติดต่อกลับ 081-234-5678',
    location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107', address: '12/3 หน้าโรงเรียน', lat: 18.7883, lng: 98.9853 },
    anonymous: false,
    contact: { name: 'สมหญิง รักษ์ถนน', phone },
    photoIds: [up.json.id],
    consent: { version: PDPA_NOTICE_VERSION, accepted: true },
    clientRequestId: randomUUID(),
  });
  expect(r.status, r.text).toBe(201);
  return { id: r.json.id as string, trackingNo: r.json.trackingNo as string, photoId: up.json.id as string };
}

const fileExists = async (id: string) => !!(await stack.rt.models.conn.db!.collection('attachments.files').findOne({ _id: new mongo.ObjectId(id) }));

describe('ข้อมูลของฉัน / my data', () => {
  it('shows the citizen everything held about them, as JSON and as a readable Thai or English page', async () => {
    const me = await stack.citizen('สมหญิง รักษ์ถนน');
    const { trackingNo } = await fileCase(me);
    const data = await call(me, 'GET', '/me/data');
    expect(data.status, data.text).toBe(200);
    expect(data.json.lineUserId).toBe(me.userId);
    expect(data.json.cases).toEqual([expect.objectContaining({
      trackingNo, name: 'สมหญิง รักษ์ถนน', phone: '0812345678', address: '12/3 หน้าโรงเรียน', photos: 1,
      consent: { version: PDPA_NOTICE_VERSION, at: expect.any(String) },
    })]);

    const th = await call(me, 'GET', '/me/data.html');
    expect(th.status).toBe(200);
    expect(th.type).toMatch(/text\/html/);
    expect(th.text).toContain('ข้อมูลของฉัน');
    expect(th.text).toContain(trackingNo);
    expect(th.text).toContain('0812345678');
    expect(th.text).toContain('ร้องเรียนโครงการของรัฐ');
    const en = await call(me, 'GET', '/me/data.html?lang=en');
    expect(en.text).toContain('My data');
    expect(en.text).toContain('Complaint about a state project');

    // Somebody else's token sees none of it.
    const other = await stack.citizen('คนอื่น');
    expect((await call(other, 'GET', '/me/data')).json.cases).toEqual([]);
  });

  it('refuses a deletion that was not confirmed, with a Thai and English message', async () => {
    const me = await stack.citizen();
    const r = await call(me, 'POST', '/me/erase', {});
    expect(r.status).toBe(400);
    expect(r.json.error.fields).toEqual([expect.objectContaining({ path: 'confirm', th: expect.stringMatching(/[\u0E00-\u0E7F]/), en: expect.stringMatching(/true/) })]);
  });
});

describe('deletion asked in the chat', () => {
  it('anonymises the case: it stays in the official tables, without name, phone, LINE id or photos; the unit is told', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. ถนน');
    const me = await stack.citizen('สมหญิง รักษ์ถนน');
    const { id, trackingNo, photoId } = await fileCase(me);
    await drained(stack);
    const period = { kind: 'range' as const, from: '2020-01-01', to: '2035-12-31' };
    const before = await buildReportFromCases({ models: stack.rt.models }, { unitCode: '5001', withChildren: false, format: 'district', period });
    expect(await fileExists(photoId)).toBe(true);

    const asked = await converse(stack.sim, me.userId, () => stack.sim.sendText(me.userId, 'ลบข้อมูลของฉัน'));
    expect(asked.text).toContain('1 เรื่อง');
    expect(asked.text).toMatch(/ยังดำเนินการอยู่.*หน่วยงานจะติดต่อคุณไม่ได้อีก/s);
    const done = await converse(stack.sim, me.userId, () => stack.sim.sendPostback(me.userId, quickPostback(asked, 'ยืนยันลบข้อมูล')));
    expect(done.text).toContain('ลบข้อมูลส่วนบุคคลของคุณแล้ว');

    const c = await stack.rt.models.Case.findById(id).lean();
    expect(c).toMatchObject({ trackingNo, category: 'state_project', unitCode: '5001', status: 'received', location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107' } });
    expect(c!.complainant?.name).toBeUndefined();
    expect(c!.complainant?.phone).toBeUndefined();
    expect(c!.complainant?.lineUserId).toBeUndefined();
    expect(c!.location?.address).toBeUndefined();
    expect(c!.location?.lat).toBeUndefined();
    expect(c!.attachments).toEqual([]);
    expect(c!.description).not.toContain('081-234-5678');
    expect(c!.description).toContain('[ปกปิดข้อมูลส่วนบุคคล');
    expect(JSON.stringify(c!.timeline)).not.toContain(me.userId);
    expect(c!.timeline.at(-1)).toMatchObject({ action: 'anonymised' });
    expect(await fileExists(photoId)).toBe(false);
    expect(await stack.rt.models.Conversation.findById(me.userId, { displayName: 1 }).lean()).not.toMatchObject({ displayName: 'สมหญิง รักษ์ถนน' });

    expect(await waitForText(stack.sim, officer.userId, `เรื่อง ${trackingNo}: ผู้ร้องถอนความยินยอมและขอลบข้อมูลส่วนบุคคล`)).toBeTruthy();
    await drained(stack);
    const after = await buildReportFromCases({ models: stack.rt.models }, { unitCode: '5001', withChildren: false, format: 'district', period });
    expect(after.total).toEqual(before.total);
    expect((await verifyCounters(stack.rt.models)).mismatches).toEqual([]);

    // Nothing about them is left to show.
    const data = await call(me, 'GET', '/me/data');
    expect(data.json.cases).toEqual([]);
  });

  it('keeps everything when the citizen says no', async () => {
    const me = await stack.citizen('สมชาย ลังเล');
    const { id } = await fileCase(me, '0899999999');
    await drained(stack); // the tracking number pushed into the chat comes first
    const asked = await converse(stack.sim, me.userId, () => stack.sim.sendText(me.userId, 'ลบข้อมูลของฉัน'));
    const kept = await converse(stack.sim, me.userId, () => stack.sim.sendPostback(me.userId, quickPostback(asked, 'ไม่ลบ')));
    expect(kept.text).toContain('ไม่ได้ลบข้อมูล');
    expect((await stack.rt.models.Case.findById(id).lean())!.complainant).toMatchObject({ phone: '0899999999', lineUserId: me.userId });
  });

  it('answers ข้อมูลของฉัน with the link to the page', async () => {
    const me = await stack.citizen();
    const r = await converse(stack.sim, me.userId, () => stack.sim.sendText(me.userId, 'ข้อมูลของฉัน'));
    expect(r.text).toMatch(/#\/me\/data/);
  });
});

describe('unfollow', () => {
  it('deletes the draft in progress and its photos, and keeps the cases', async () => {
    const me = await stack.citizen('คนบล็อกบอท');
    // A photo held by the draft, as the chat stores one (GridFS, referenced from the draft only).
    const bucket = new mongo.GridFSBucket(stack.rt.models.conn.db!, { bucketName: 'attachments' });
    const upload = bucket.openUploadStream('line-test', { metadata: { contentType: 'image/png', uploadedBy: me.userId } });
    await new Promise<void>((resolve, reject) => { upload.on('finish', () => resolve()).on('error', reject); upload.end(PNG); });
    const photoId = String(upload.id);
    const { id } = await fileCase(me);
    await converse(stack.sim, me.userId, () => stack.sim.sendText(me.userId, 'แจ้งเรื่อง'));
    await drained(stack);
    await stack.rt.models.Conversation.updateOne({ _id: me.userId }, { $set: { draft: { category: 'help', photos: [{ fileId: photoId, contentType: 'image/png', size: PNG.length }] } } });

    expect(await fileExists(photoId)).toBe(true);
    expect((await stack.sim.unfollow(me.userId)).status).toBe(200);
    await stack.drainIntake();
    await drained(stack);
    await expect.poll(async () => (await stack.rt.models.Conversation.findById(me.userId).lean())?.state).toBe('idle');
    expect((await stack.rt.models.Conversation.findById(me.userId).lean())!.draft).toEqual({});
    expect(await fileExists(photoId)).toBe(false);
    expect((await stack.rt.models.Case.findById(id).lean())!.complainant).toMatchObject({ lineUserId: me.userId, phone: '0812345678' });
  });
});

describe('retention', () => {
  it('previews, then removes an old draft, an old unattached upload and anonymises an old closed case, each audited', async () => {
    const { models } = stack.rt;
    const me = await stack.citizen('ผู้ร้องเก่า');
    const closed = await fileCase(me);
    expect((await call(me, 'POST', `/cases/${closed.id}/withdraw`, { reason: 'ตกลงกันได้แล้วค่ะ' })).status).toBe(200);
    const stray = await call(me, 'POST', '/uploads', PNG, 'image/png');
    const drafter = await stack.citizen('คนร่างเรื่อง');
    await converse(stack.sim, drafter.userId, () => stack.sim.sendText(drafter.userId, 'แจ้งเรื่อง'));
    expect((await models.Conversation.findById(drafter.userId).lean())!.state).toBe('askingCategory');
    await drained(stack);

    const policy = loadRetentionPolicy();
    // Nothing is old enough yet.
    const now = await planRetention({ models }, policy, new Date());
    expect(now.cases.map((c) => c.trackingNo)).not.toContain(closed.trackingNo);
    expect(now.uploads.map((u) => u.fileId)).not.toContain(stray.json.id);

    const later = new Date(Date.now() + 400 * DAY);
    const plan = await planRetention({ models }, policy, later);
    expect(plan.cases.map((c) => c.trackingNo)).toContain(closed.trackingNo);
    expect(plan.drafts.map((d) => d.userId)).toContain(drafter.userId);
    expect(plan.uploads.map((u) => u.fileId)).toContain(stray.json.id);

    const lines: string[] = [];
    expect(await retentionCommand(async () => models, ['preview'], { now: () => later }, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain(closed.trackingNo);
    expect(await fileExists(stray.json.id)).toBe(true);

    const r = await runRetention({ models, clock: { now: () => later }, publish: async () => undefined }, policy);
    expect(r.cases).toBeGreaterThanOrEqual(1);
    expect(r.drafts).toBeGreaterThanOrEqual(1);
    expect(r.uploads).toBeGreaterThanOrEqual(1);
    const c = await models.Case.findById(closed.id).lean();
    expect(c).toMatchObject({ trackingNo: closed.trackingNo, status: 'closed', resolution: { kind: 'withdrawn' } });
    expect(c!.complainant?.phone).toBeUndefined();
    expect(c!.complainant?.lineUserId).toBeUndefined();
    expect(await fileExists(closed.photoId)).toBe(false);
    expect(await fileExists(stray.json.id)).toBe(false);
    expect((await models.Conversation.findById(drafter.userId).lean())).toMatchObject({ state: 'idle', draft: {} });

    const audit = await models.Audit.find({ via: 'retention' }).lean();
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'retention_case_anonymised', caseId: closed.id, count: 1 }),
      expect.objectContaining({ action: 'retention_drafts_deleted', count: r.drafts }),
      expect.objectContaining({ action: 'retention_uploads_deleted', count: r.uploads }),
    ]));
    // A second run finds nothing left to do.
    expect(await runRetention({ models, clock: { now: () => later }, publish: async () => undefined }, policy)).toMatchObject({ cases: 0, drafts: 0, uploads: 0 });
  });

  it('runs nightly at the policy time (Bangkok), and the schedule comes back if Redis loses it', async () => {
    const q = new Queue('retention', { connection: stack.rt.queues.connection as unknown as ConnectionOptions, prefix: stack.config.QUEUE_PREFIX });
    try {
      expect(await q.getJobScheduler('retention-nightly')).toMatchObject({ pattern: '30 2 * * *', tz: 'Asia/Bangkok' });
      await q.removeJobScheduler('retention-nightly');
      expect(await q.getJobScheduler('retention-nightly')).toBeFalsy();
      await stack.workers!.heal();
      expect(await q.getJobScheduler('retention-nightly')).toMatchObject({ pattern: '30 2 * * *' });
    } finally {
      await q.close();
    }
  });
});
