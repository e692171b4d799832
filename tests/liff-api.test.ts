/**
 * The LIFF API (liff/API.md) on the real app, real Redis and FerretDB, with the LINE simulator
 * issuing and verifying ID tokens and receiving every push. Each test checks what the person on
 * the other end would notice: the answer, what lands in their LINE chat, what is in the database.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDetail, CaseSummary, ErrorBody, OfficerCaseDetail } from '../liff/api/schemas.ts';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import type { SimUser } from '../simulator/server.ts';
import { drained, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

const PNG = readFileSync(new URL('./fixtures/photo-8x8.png', import.meta.url));
const JPEG = readFileSync(new URL('./fixtures/photo-8x8.jpg', import.meta.url));

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

interface Answer { status: number; json: any; text: string; headers: Headers }

async function call(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (Buffer.isBuffer(body)) payload = new Uint8Array(body);
  else if (typeof body === 'string') payload = body;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (body !== undefined && !Buffer.isBuffer(body)) h['content-type'] ??= 'application/json';
  const res = await fetch(`${stack.web.url}/liff/api${path}`, { method, headers: h, body: payload });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers };
}

interface Person extends SimUser {
  token: string;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  upload(bytes: Buffer, contentType: string): Promise<Answer>;
}

function asPerson(user: SimUser): Person {
  const token = stack.sim.issueIdToken(user.userId);
  return {
    ...user, token,
    get: (path, headers) => call(token, 'GET', path, undefined, headers),
    post: (path, body = {}, headers) => call(token, 'POST', path, body, headers),
    upload: (bytes, contentType) => call(token, 'POST', '/uploads', bytes, { 'content-type': contentType }),
  };
}

const citizen = async (name = 'สมหญิง ทดสอบ', lang = 'th') => asPerson(await stack.citizen(name, lang));
const officer = async (unitCode: string, name: string, role: 'officer' | 'head' = 'officer') => asPerson(await stack.officer(unitCode, role, name));

function newCase(over: Record<string, unknown> = {}) {
  return {
    category: 'help',
    description: 'ถนนหน้าบ้านเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน ขอให้ช่วยซ่อมด้วยค่ะ',
    location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107', address: 'หน้าโรงเรียน' },
    anonymous: false,
    consent: { version: PDPA_NOTICE_VERSION, accepted: true },
    clientRequestId: randomUUID(),
    ...over,
  };
}

function fieldsOf(a: Answer): Record<string, { th: string; en: string }> {
  return Object.fromEntries((a.json?.error?.fields ?? []).map((f: any) => [f.path, { th: f.th, en: f.en }]));
}

/** The contract's error shape, with Thai and English. */
function expectError(a: Answer, status: number, code: string) {
  expect(a.status, a.text).toBe(status);
  expect(ErrorBody.parse(a.json).error.code).toBe(code);
  expect(a.json.error.message.th).toMatch(/[\u0E00-\u0E7F]/);
  expect(a.json.error.message.en).toMatch(/[a-z]/);
}

async function fileCase(p: Person, over: Record<string, unknown> = {}) {
  const a = await p.post('/cases', newCase(over));
  expect(a.status, a.text).toBe(201);
  return a.json as { id: string; trackingNo: string };
}

const caseCount = () => stack.rt.models.Case.countDocuments();

describe('authentication', () => {
  it('refuses a missing, malformed, forged or expired ID token with 401 and the contract error', async () => {
    const me = await stack.citizen('ผู้ใช้ หมดอายุ');
    expectError(await call(null, 'GET', '/me'), 401, 'unauthorized');
    expect((await call(null, 'GET', '/me')).headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectError(await call('not-a-token', 'GET', '/cases'), 401, 'unauthorized');
    expectError(await call(null, 'GET', '/cases', undefined, { authorization: 'Basic dXNlcjpwYXNz' }), 401, 'unauthorized');
    // A token whose payload was edited (someone else's user id): the signature no longer matches.
    const good = stack.sim.issueIdToken(me.userId);
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...payload, sub: 'U' + 'a'.repeat(32) })).toString('base64url'), s].join('.');
    expectError(await call(forged, 'GET', '/me'), 401, 'unauthorized');
    expectError(await call(stack.sim.issueIdToken(me.userId, { expiresInSec: -5 }), 'GET', '/me'), 401, 'unauthorized');
    expectError(await call(null, 'POST', '/cases', newCase(), { authorization: 'Bearer ' }), 401, 'unauthorized');
    // Writes without a token change nothing.
    const before = await caseCount();
    expectError(await call(null, 'POST', '/cases', newCase()), 401, 'unauthorized');
    expect(await caseCount()).toBe(before);
  });

  it('a verified token is cached briefly but never past its expiry', async () => {
    const me = await stack.citizen('ผู้ใช้ โทเคนสั้น');
    const token = stack.sim.issueIdToken(me.userId, { expiresInSec: 2 });
    const first = await call(token, 'GET', '/me');
    expect(first.status).toBe(200);
    expect(first.json.displayName).toBe('ผู้ใช้ โทเคนสั้น');
    expect((await call(token, 'GET', '/me')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expectError(await call(token, 'GET', '/me'), 401, 'unauthorized');
  });

  it('the user is the token\'s subject only: a spoofed user id in a header, the query or the body is ignored or refused', async () => {
    const alice = await citizen('อลิส');
    const bob = await citizen('บ็อบ');
    const spoof = { 'x-line-userid': bob.userId, 'x-user-id': bob.userId };
    const created = await call(alice.token, 'POST', `/cases?userId=${bob.userId}&lineUserId=${bob.userId}`, newCase(), spoof);
    expect(created.status).toBe(201);
    const saved = await stack.rt.models.Case.findById(created.json.id).lean();
    expect(saved!.complainant!.lineUserId).toBe(alice.userId);
    expect((await bob.get('/cases')).json.map((c: any) => c.id)).not.toContain(created.json.id);
    const inBody = await alice.post('/cases', { ...newCase(), lineUserId: bob.userId });
    expectError(inBody, 400, 'validation_failed');
    expect(fieldsOf(inBody).lineUserId.en).toContain('Unknown field');
    expect((await alice.get('/me', spoof)).json.displayName).toBe('อลิส');
  });
});

describe('a token for another LINE Login channel', () => {
  let other: Stack;
  beforeAll(async () => { other = await startStack({ worker: false, loginChannelId: '2000000001' }); });
  afterAll(async () => { await other?.close(); });

  it('is refused (wrong audience) even though LINE signed it', async () => {
    const u = other.sim.addUser({ displayName: 'ช่องอื่น' });
    const res = await fetch(`${other.web.url}/liff/api/me`, { headers: { authorization: `Bearer ${other.sim.issueIdToken(u.userId)}` } });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });
});

describe('reference data', () => {
  it('me, meta and the cascading area pickers', async () => {
    const p = await citizen('นักอ่าน', 'en');
    const me = await p.get('/me');
    expect(me.json).toEqual({ displayName: 'นักอ่าน', lang: 'en', role: 'citizen' });
    const o = await officer('5001', 'จนท. ดูข้อมูล');
    expect((await o.get('/me')).json).toMatchObject({ role: 'officer', unit: { code: '5001', nameTh: 'ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่' } });

    const meta = (await p.get('/meta')).json;
    expect(meta.categories.map((c: any) => c.th)).toContain('ร้องเรียนเจ้าหน้าที่รัฐ');
    expect(meta.pdpa.version).toBe(PDPA_NOTICE_VERSION);
    expect(meta.pdpa.textTh).toContain('ไม่ประสงค์ออกนาม');
    expect(meta.limits).toEqual({ descriptionMin: 20, descriptionMax: 5000, photosMax: 5, photoBytesMax: 10485760 });

    const provinces = (await p.get('/geo/provinces')).json;
    expect(provinces).toHaveLength(77);
    expect(provinces.find((x: any) => x.code === '50')).toEqual({ code: '50', nameTh: 'เชียงใหม่', nameEn: 'Chiang Mai' });
    const districts = (await p.get('/geo/provinces/50/districts')).json;
    expect(districts.map((d: any) => d.code)).toContain('5001');
    const subs = (await p.get('/geo/districts/5001/subdistricts')).json;
    expect(subs.find((s: any) => s.code === '500107')).toMatchObject({ nameTh: 'ช้างเผือก', postalCode: '50300' });
    expectError(await p.get('/geo/provinces/99/districts'), 404, 'not_found');
    expectError(await p.get('/geo/provinces/abc/districts'), 404, 'not_found');
    expectError(await p.get('/geo/districts/9999/subdistricts'), 404, 'not_found');
  });
});

describe('validation: per-field messages in Thai and English', () => {
  it('an empty form names every missing field', async () => {
    const p = await citizen();
    const a = await p.post('/cases', {});
    expectError(a, 400, 'validation_failed');
    const f = fieldsOf(a);
    for (const k of ['problemType', 'description', 'location', 'anonymous', 'consent', 'clientRequestId']) expect(f[k], k).toBeDefined();
    expect(f.problemType).toEqual({ th: 'กรุณาเลือกประเภทปัญหา', en: 'Choose the kind of problem.' });
    expect(f.description).toEqual({ th: 'กรุณากรอกรายละเอียดเหตุการณ์', en: 'Description is required.' });
  });

  it('too short, bad phone, no consent, an outdated notice, a district outside the province', async () => {
    const p = await citizen();
    const a = await p.post('/cases', newCase({
      description: '  สั้นไป  ',
      contact: { name: 'สมหญิง', phone: '12345' },
      consent: { version: PDPA_NOTICE_VERSION, accepted: false },
    }));
    expectError(a, 400, 'validation_failed');
    const f = fieldsOf(a);
    expect(f.description.th).toBe('รายละเอียดเหตุการณ์ต้องมีอย่างน้อย 20 ตัวอักษร');
    expect(f.description.en).toBe('Description must be at least 20 characters.');
    expect(f['contact.phone'].th).toContain('เบอร์โทรศัพท์ไม่ถูกต้อง');
    expect(f['contact.phone'].en).toContain('Thai phone');
    expect(f['consent.accepted'].th).toContain('ยินยอม');

    const old = await p.post('/cases', newCase({ consent: { version: '2560.1', accepted: true } }));
    expect(fieldsOf(old)['consent.version'].en).toContain('notice has changed');
    const area = await p.post('/cases', newCase({ location: { provinceCode: '50', districtCode: '4001', subdistrictCode: '500107' } }));
    expectError(area, 400, 'validation_failed');
    expect(fieldsOf(area)['location.districtCode']).toEqual({ th: 'ไม่พบอำเภอ/เขตนี้ในจังหวัดที่เลือก', en: 'This district is not in the chosen province.' });
    const long = await p.post('/cases', newCase({ description: 'ก'.repeat(5001) }));
    expect(fieldsOf(long).description.en).toBe('Description must be at most 5,000 characters.');
    const pin = await p.post('/cases', newCase({ location: { provinceCode: '50', lat: 18.79 } }));
    expect(fieldsOf(pin)['location.lng'].th).toContain('คู่กัน');
  });

  it('a body that is not JSON, or too big, gets the contract error, never a crash', async () => {
    const p = await citizen();
    expectError(await p.post('/cases', '{"category": "help",'), 400, 'validation_failed');
    expectError(await p.post('/cases', '"just a string"'), 400, 'validation_failed');
    expectError(await p.post('/cases', '[1,2,3]'), 400, 'validation_failed');
    expectError(await p.post('/cases', { description: 'x'.repeat(200_000) }), 413, 'payload_too_large');
    expectError(await p.post('/cases', 'category=help', { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'validation_failed');
    expectError(await p.post('/cases', newCase({ score: 1e400 })), 400, 'validation_failed');
  });
});

describe('problem types', () => {
  it('the case records the type\'s category, whatever category is sent beside it; an unknown type is refused on its field', async () => {
    const p = await citizen();
    const meta = await p.get('/meta');
    expect(meta.json.problemTypes[1]).toMatchObject({ code: 'street_light', th: 'ไฟถนนดับ', icon: '💡', category: 'help' });
    expect(meta.json.problemTypes[1].keywords).toContain('ไฟถนน^2');
    // A corruption complaint sent with the category "help" beside it still counts under corruption (province row 13).
    const a = await p.post('/cases', newCase({ problemType: 'corruption', category: 'help', description: 'เจ้าหน้าที่เรียกเงินใต้โต๊ะ 5,000 บาท ไม่งั้นไม่ออกใบอนุญาตให้' }));
    expect(a.status).toBe(201);
    const saved = await stack.rt.models.Case.findById(a.json.id).lean();
    expect(saved).toMatchObject({ problemType: 'corruption', category: 'corruption', report: { provinceRow: 13, districtRow: 3 } });
    const mine = await p.get(`/cases/${a.json.id}`);
    expect(mine.json.problemType).toBe('corruption');

    const bad = await p.post('/cases', newCase({ problemType: 'lighting', category: undefined }));
    expectError(bad, 400, 'validation_failed');
    expect(fieldsOf(bad).problemType).toEqual({ th: 'ไม่รู้จักประเภทปัญหานี้ กรุณาเลือกจากรายการ', en: 'Unknown problem type; choose one from the list.' });
  });
});

describe('injection attempts', () => {
  it('query operators in fields are refused as wrong types, and nothing is stored', async () => {
    const p = await citizen();
    const before = await caseCount();
    const a = await p.post('/cases', newCase({ description: { $gt: '' }, category: { $ne: null } }));
    expectError(a, 400, 'validation_failed');
    expect(fieldsOf(a).description.en).toBe('Description must be a string.');
    expect(fieldsOf(a).category).toBeDefined();
    const loc = await p.post('/cases', newCase({ location: { provinceCode: { $gt: '' } } }));
    expect(fieldsOf(loc)['location.provinceCode']).toBeDefined();
    const where = await p.post('/cases', { ...newCase(), $where: 'sleep(1000)', 'a.b': 1 });
    expect(Object.keys(fieldsOf(where))).toEqual(expect.arrayContaining(['$where', 'a.b']));
    // An id that is an operator or not an id at all is simply not found.
    expectError(await p.get('/cases/%7B%22%24ne%22%3Anull%7D'), 404, 'not_found');
    expectError(await p.get('/cases/' + 'f'.repeat(25)), 404, 'not_found');
    // Repeated or bracketed query keys are not operators either.
    expectError(await p.get('/officer/cases?status=open&status=closed'), 400, 'validation_failed');
    expectError(await p.get('/officer/cases?status[$ne]=x'), 404, 'not_found'); // a citizen has no officer pages at all
    expect(await caseCount()).toBe(before);
  });

  it('prototype keys are unknown fields, and do not pollute anything', async () => {
    const p = await citizen();
    for (const raw of [
      `{"__proto__": {"admin": true}, ${JSON.stringify(newCase()).slice(1)}`,
      `{"constructor": {"prototype": {"admin": true}}, ${JSON.stringify(newCase()).slice(1)}`,
      `${JSON.stringify(newCase()).slice(0, -1)}, "contact": {"__proto__": {"x": 1}}}`,
    ]) {
      const a = await p.post('/cases', raw);
      expectError(a, 400, 'validation_failed');
      expect(a.json.error.fields.some((f: any) => /__proto__|constructor/.test(f.path))).toBe(true);
    }
    expect(({} as any).admin).toBeUndefined();
  });

  it('NUL and other control characters are refused (FerretDB cannot store NUL) with a field message', async () => {
    const p = await citizen();
    const a = await p.post('/cases', newCase({ description: 'เรื่องนี้มีอักขระ\u0000ซ่อนอยู่ในข้อความยาวพอสมควร' }));
    expectError(a, 400, 'validation_failed');
    expect(fieldsOf(a).description.th).toContain('อักขระ');
    const b = await p.post('/cases', newCase({ contact: { name: 'ชื่อ\u0007' } }));
    expect(fieldsOf(b)['contact.name']).toBeDefined();
  });

  it('HTML is stored exactly as typed and comes back as a plain string, escaped in the raw JSON', async () => {
    const p = await citizen();
    const html = '<script>alert("xss")</script><img src=x onerror=alert(1)> ถนนพังมาก & อันตราย';
    const { id } = await fileCase(p, { description: html });
    expect((await stack.rt.models.Case.findById(id).lean())!.description).toBe(html);
    const d = await p.get(`/cases/${id}`);
    expect(d.json.description).toBe(html);
    expect(d.text).not.toContain('<script>');
    expect(d.text).toContain('\\u003cscript\\u003e');
    expect(d.headers.get('content-type')).toMatch(/^application\/json/);
    expect(d.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('photo uploads', () => {
  const storedFiles = async () => ({
    files: await stack.rt.models.conn.db!.collection('attachments.files').countDocuments(),
    chunks: await stack.rt.models.conn.db!.collection('attachments.chunks').countDocuments(),
  });

  it('accepts a real PNG and JPEG; the photo can then be attached and viewed by its owner only', async () => {
    const p = await citizen('เจ้าของรูป');
    const png = await p.upload(PNG, 'image/png');
    expect(png.status, png.text).toBe(201);
    expect(png.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), contentType: 'image/png', size: PNG.length });
    const jpeg = await p.upload(JPEG, 'image/jpeg');
    expect(jpeg.json).toMatchObject({ contentType: 'image/jpeg', size: JPEG.length });

    const { id } = await fileCase(p, { photoIds: [png.json.id, jpeg.json.id] });
    const d = (await p.get(`/cases/${id}`)).json;
    expect(d.attachments.map((x: any) => x.contentType)).toEqual(['image/png', 'image/jpeg']);
    const file = await fetch(`${stack.web.url}${d.attachments[0].url}`, { headers: { authorization: `Bearer ${p.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);

    // Someone else can neither see it nor attach it to their own case; and it cannot go on a second case.
    const other = await citizen('คนอื่น');
    expectError(await other.get(`/files/${png.json.id}`), 404, 'not_found');
    const stolen = await other.post('/cases', newCase({ photoIds: [png.json.id] }));
    expectError(stolen, 400, 'validation_failed');
    expect(fieldsOf(stolen)['photoIds.0'].en).toContain('not one you uploaded');
    expectError(await p.post('/cases', newCase({ photoIds: [png.json.id] })), 400, 'validation_failed');
  });

  it('refuses what is not an image, or lies about its type, with 415 and stores nothing', async () => {
    const p = await citizen();
    const before = await storedFiles();
    expectError(await p.upload(Buffer.from('just some text, not a picture'), 'text/plain'), 415, 'unsupported_media_type');
    // "photo.jpg" that is really a PDF, or an HTML page: the bytes decide, not the name or header.
    expectError(await p.upload(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), 'image/jpeg'), 415, 'unsupported_media_type');
    expectError(await p.upload(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png'), 415, 'unsupported_media_type');
    // A real PNG sent as image/jpeg: the header lies.
    expectError(await p.upload(PNG, 'image/jpeg'), 415, 'unsupported_media_type');
    expectError(await p.upload(Buffer.from([0xff, 0xd8]), 'image/jpeg'), 415, 'unsupported_media_type');
    expect(await storedFiles()).toEqual(before);
  });

  it('stops an upload over 10 MB with 413 and keeps no part of it', async () => {
    const p = await citizen();
    const before = await storedFiles();
    const big = Buffer.concat([JPEG.subarray(0, 64), Buffer.alloc(10 * 1024 * 1024 + 1 - 64, 7)]);
    expectError(await p.upload(big, 'image/jpeg'), 413, 'payload_too_large');
    // The same without a Content-Length (chunked stream): aborted while streaming.
    const chunked = await fetch(`${stack.web.url}/liff/api/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.token}`, 'content-type': 'image/jpeg' },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 11; i++) c.enqueue(i === 0 ? new Uint8Array(Buffer.concat([JPEG.subarray(0, 64), Buffer.alloc(1024 * 1024 - 64)])) : new Uint8Array(1024 * 1024));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    await new Promise((r) => setTimeout(r, 200)); // the aborted GridFS upload deletes its chunks
    expect(await storedFiles()).toEqual(before);
    // Exactly at the limit is fine.
    const atLimit = await p.upload(Buffer.concat([JPEG.subarray(0, 64), Buffer.alloc(10 * 1024 * 1024 - 64, 7)]), 'image/jpeg');
    expect(atLimit.status).toBe(201);
    expect(atLimit.json.size).toBe(10 * 1024 * 1024);
  });
});

describe('citizen: file, track, add information, withdraw, rate', () => {
  it('files a complaint end to end: the case in the DB, the tracking number in the chat, the officer alerted', async () => {
    const officerA = await officer('5001', 'จนท. เมืองเชียงใหม่');
    const p = await citizen('สมหญิง ใจงาม');
    const body = newCase({ contact: { name: 'สมหญิง ใจงาม', phone: '+66 81-234-5678' } });
    const a = await p.post('/cases', body);
    expect(a.status).toBe(201);
    expect(a.json.trackingNo).toMatch(/^25\d{2}-\d{6}$/);
    const c = await stack.rt.models.Case.findById(a.json.id).lean();
    expect(c).toMatchObject({
      trackingNo: a.json.trackingNo, channel: 'line', category: 'help', status: 'received', unitCode: '5001',
      description: body.description,
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่', subdistrictCode: '500107', subdistrictName: 'ช้างเผือก', address: 'หน้าโรงเรียน' },
      complainant: { lineUserId: p.userId, name: 'สมหญิง ใจงาม', phone: '0812345678', anonymous: false, lang: 'th' },
      consent: { version: PDPA_NOTICE_VERSION },
    });
    expect(c!.timeline.map((t) => t.action)).toEqual(['opened']);

    const chat = await waitForText(stack.sim, p.userId, a.json.trackingNo);
    expect(chat).toContain('ได้รับเรื่องของท่านแล้ว');
    expect(chat).toContain(`http://localhost:3000/liff/#/cases/${a.json.id}`);
    const [card] = await stack.sim.waitForMessages(officerA.userId, 1, 10_000);
    expect(card.messages[0].altText).toContain(a.json.trackingNo);

    // The same submission again (a retry on a bad connection): the same case, no second one, no second push.
    const again = await p.post('/cases', body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(a.json);
    expect(await stack.rt.models.Case.countDocuments({ 'complainant.lineUserId': p.userId })).toBe(1);
    await drained(stack);
    expect(textsOf(stack.sim, p.userId).filter((t) => t.includes(a.json.trackingNo))).toHaveLength(1);

    const list = await p.get('/cases');
    expect(list.json).toHaveLength(1);
    const summary = CaseSummary.parse(list.json[0]);
    expect(summary).toMatchObject({ id: a.json.id, status: 'received', statusTh: 'รับเรื่องแล้ว รอเจ้าหน้าที่', unitNameTh: 'ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่', areaTh: 'ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่', canAddInfo: true, canWithdraw: true, surveyDue: false });
    const detail = CaseDetail.parse((await p.get(`/cases/${a.json.id}`)).json);
    expect(detail.timeline).toEqual([expect.objectContaining({ action: 'opened', actor: 'citizen', textTh: 'รับเรื่องร้องเรียน' })]);
    expect(JSON.stringify(detail)).not.toContain(p.userId);
    await stack.rt.models.Officer.deleteMany({});
  });

  it('an English speaker gets the tracking number in English', async () => {
    const p = await citizen('Jane Doe', 'en');
    const { trackingNo } = await fileCase(p);
    expect(await waitForText(stack.sim, p.userId, trackingNo)).toContain('We have received your complaint');
  });

  it('an anonymous tip-off keeps no name or phone, and officers see only that it is anonymous', async () => {
    const o = await officer('5001', 'จนท. ทดสอบนิรนาม');
    const p = await citizen('ไม่อยากให้รู้ชื่อ');
    const { id } = await fileCase(p, { category: 'tipoff', anonymous: true, contact: { name: 'ชื่อจริง', phone: '0899999999' } });
    const c = await stack.rt.models.Case.findById(id).lean();
    expect(c!.complainant).toMatchObject({ anonymous: true, lineUserId: p.userId });
    expect(c!.complainant!.name).toBeUndefined();
    expect(c!.complainant!.phone).toBeUndefined();
    const seen = OfficerCaseDetail.parse((await o.get(`/officer/cases/${id}`)).json);
    expect(seen.complainant).toEqual({ anonymous: true, hasLine: true });
    expect(JSON.stringify(seen)).not.toContain('ไม่อยากให้รู้ชื่อ');
    await stack.rt.models.Officer.deleteMany({});
  });

  it('adds information and a photo to an open case; the officer who has it is told', async () => {
    const o = await officer('5001', 'จนท. รับข้อมูลเพิ่ม');
    const p = await citizen();
    const { id, trackingNo } = await fileCase(p);
    expect((await o.post(`/officer/cases/${id}/accept`)).status).toBe(200);
    const photo = await p.upload(JPEG, 'image/jpeg');
    const a = await p.post(`/cases/${id}/info`, { text: 'เพิ่มเติม: หลุมอยู่ก่อนถึงสี่แยก 50 เมตร', photoIds: [photo.json.id] });
    expect(a.status, a.text).toBe(200);
    const d = CaseDetail.parse(a.json);
    expect(d.attachments).toHaveLength(1);
    expect(d.timeline.at(-1)).toMatchObject({ action: 'info_added', actor: 'citizen', textTh: 'ผู้ร้องเพิ่มข้อมูล', note: 'เพิ่มเติม: หลุมอยู่ก่อนถึงสี่แยก 50 เมตร' });
    expect(await waitForText(stack.sim, o.userId, `${trackingNo}: ผู้ร้องเพิ่มข้อมูลแล้ว`)).toContain(`/liff/#/officer/cases/${id}`);
    // The officer can see the added photo (audited), like the case.
    const file = await fetch(`${stack.web.url}/liff/api/files/${photo.json.id}`, { headers: { authorization: `Bearer ${o.token}` } });
    expect(file.status).toBe(200);
    expect(await stack.rt.models.Audit.countDocuments({ caseId: id, action: 'view_file' })).toBe(1);
    expectError(await p.post(`/cases/${id}/info`, { text: '' }), 400, 'validation_failed');
    await stack.rt.models.Officer.deleteMany({});
  });

  it('withdraws a case with a reason: closed as withdrawn, told in the chat, nothing more can be added', async () => {
    const p = await citizen();
    const { id, trackingNo } = await fileCase(p);
    expectError(await p.post(`/cases/${id}/withdraw`, { reason: 'ไม่' }), 400, 'validation_failed');
    const a = await p.post(`/cases/${id}/withdraw`, { reason: 'ตกลงกับเพื่อนบ้านได้แล้ว' });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ status: 'closed', statusTh: 'ยุติเรื่อง', canAddInfo: false, canWithdraw: false, surveyDue: false, resolution: { kind: 'withdrawn', text: 'ตกลงกับเพื่อนบ้านได้แล้ว' } });
    expect(await waitForText(stack.sim, p.userId, `${trackingNo}: ถอนเรื่องเรียบร้อยแล้ว`)).toBeTruthy();
    expectError(await p.post(`/cases/${id}/withdraw`, { reason: 'อีกครั้งหนึ่ง' }), 409, 'conflict');
    expectError(await p.post(`/cases/${id}/info`, { text: 'ข้อมูลเพิ่ม' }), 409, 'conflict');
  });

  it('rates the service once, only after the case is closed', async () => {
    const o = await officer('5001', 'จนท. ปิดเรื่อง');
    const p = await citizen();
    const { id } = await fileCase(p);
    expectError(await p.post(`/cases/${id}/survey`, { score: 5 }), 409, 'conflict');
    expect((await o.post(`/officer/cases/${id}/close`, { summary: 'ซ่อมถนนเรียบร้อยแล้ว' })).status).toBe(200);
    expect((await p.get(`/cases/${id}`)).json.surveyDue).toBe(true);
    for (const bad of [{ score: 0 }, { score: 6 }, { score: 4.5 }, { score: '5' }, { score: 5, comment: 'x'.repeat(1001) }]) {
      expectError(await p.post(`/cases/${id}/survey`, bad), 400, 'validation_failed');
    }
    const [first, second] = await Promise.all([
      p.post(`/cases/${id}/survey`, { score: 4, comment: 'รวดเร็วดีมาก' }),
      p.post(`/cases/${id}/survey`, { score: 1 }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const c = await stack.rt.models.Case.findById(id).lean();
    expect([1, 4]).toContain(c!.survey!.score);
    expect((await p.get(`/cases/${id}`)).json.surveyDue).toBe(false);
    expectError(await p.post(`/cases/${id}/survey`, { score: 3 }), 409, 'conflict');
    await stack.rt.models.Officer.deleteMany({});
  });
});

describe('officer: record, accept, note, ask, forward, close, reject', () => {
  it('records a hotline case: the channel and time received are kept, no LINE user, phone normalised', async () => {
    const o = await officer('5001', 'จนท. รับสาย 1567');
    const receivedAt = new Date(Date.now() - 3600_000).toISOString();
    const body = {
      channel: 'hotline', category: 'dispute', description: 'ผู้ร้องโทรแจ้งว่าเพื่อนบ้านปล่อยน้ำเสียเข้าที่ดิน',
      location: { provinceCode: '50', districtCode: '5001' }, contact: { name: 'นายโทร มาแจ้ง', phone: '02-123-4567' },
      anonymous: false, receivedAt, clientRequestId: randomUUID(),
    };
    const a = await o.post('/officer/cases', body);
    expect(a.status, a.text).toBe(201);
    const c = await stack.rt.models.Case.findById(a.json.id).lean();
    expect(c).toMatchObject({ channel: 'hotline', category: 'dispute', unitCode: '5001', complainant: { name: 'นายโทร มาแจ้ง', phone: '021234567', anonymous: false } });
    expect(c!.complainant!.lineUserId).toBeUndefined();
    expect(c!.receivedAt!.toISOString()).toBe(receivedAt);
    expect(c!.timeline[0]).toMatchObject({ action: 'opened', by: { kind: 'officer', name: 'จนท. รับสาย 1567' } });
    // A retry gets the same case, with a fresh claim code (the first answer, and its code, may never have arrived).
    const retry = await o.post('/officer/cases', body);
    expect(retry.json).toMatchObject({ id: a.json.id, trackingNo: a.json.trackingNo });
    expect(retry.json.claimCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(retry.json.claimCode).not.toBe(a.json.claimCode);

    const line = await o.post('/officer/cases', { ...body, channel: 'line', clientRequestId: randomUUID() });
    expect(fieldsOf(line).channel.th).toContain('LINE');
    const future = await o.post('/officer/cases', { ...body, receivedAt: new Date(Date.now() + 86400_000).toISOString(), clientRequestId: randomUUID() });
    expect(fieldsOf(future).receivedAt.en).toContain('future');
    // Nobody on LINE to ask.
    const ask = await o.post(`/officer/cases/${a.json.id}/ask`, { question: 'ขอเบอร์ติดต่อสำรอง' });
    expectError(ask, 409, 'conflict');
    // A citizen cannot record cases.
    expectError(await (await citizen()).post('/officer/cases', body), 404, 'not_found');
    await stack.rt.models.Officer.deleteMany({});
  });

  it('accepts, notes progress and asks; the citizen hears each in the chat; every detail view is audited', async () => {
    const a = await officer('5001', 'สมศรี ขยันงาน');
    const b = await officer('5001', 'สมปอง มาช้า');
    const p = await citizen('ผู้ร้อง ติดตาม', 'th');
    const { id, trackingNo } = await fileCase(p, { contact: { phone: '0812345678' } });

    const taken = await a.post(`/officer/cases/${id}/accept`, {});
    expect(taken.status).toBe(200);
    expect(taken.json).toMatchObject({ status: 'assigned', statusTh: 'เจ้าหน้าที่รับเรื่องแล้ว' });
    expect((await a.post(`/officer/cases/${id}/accept`)).status).toBe(200); // pressing twice is fine for the one who has it
    const late = await b.post(`/officer/cases/${id}/accept`);
    expectError(late, 409, 'conflict');
    expect(late.json.error.message.th).toContain('สมศรี ขยันงาน');
    await waitForText(stack.sim, p.userId, `${trackingNo}: เจ้าหน้าที่รับเรื่องของท่านแล้ว`);

    const note = await a.post(`/officer/cases/${id}/notes`, { text: 'ประสานกรมทางหลวงชนบทแล้ว จะเข้าซ่อมภายในสัปดาห์นี้' });
    expect(note.json).toMatchObject({ status: 'in_progress' });
    const progress = await waitForText(stack.sim, p.userId, 'ประสานกรมทางหลวงชนบทแล้ว');
    expect(progress).toContain(`${trackingNo}: มีความคืบหน้า`);
    expect(progress).toContain(`/liff/#/cases/${id}`);

    const asked = await a.post(`/officer/cases/${id}/ask`, { question: 'ขอรูปถ่ายหลุมเพิ่มอีก 1 รูป' });
    expect(asked.status).toBe(200);
    const q = await waitForText(stack.sim, p.userId, 'ขอรูปถ่ายหลุมเพิ่มอีก 1 รูป');
    expect(q).toContain('เจ้าหน้าที่ขอข้อมูลเพิ่มเติม');
    expect(q).toContain(`/liff/#/cases/${id}`);

    const seen = OfficerCaseDetail.parse((await b.get(`/officer/cases/${id}`)).json);
    expect(seen).toMatchObject({ complainant: { name: 'ผู้ร้อง ติดตาม', phone: '0812345678', anonymous: false, hasLine: true }, assignee: { name: 'สมศรี ขยันงาน' } });
    expect(seen.timeline.map((t) => t.action)).toEqual(['opened', 'assigned', 'note', 'asked']);
    expect(seen.timeline[2]).toMatchObject({ actor: 'officer', actorName: 'สมศรี ขยันงาน', textTh: 'ความคืบหน้า' });
    expect(JSON.stringify(seen)).not.toContain(p.userId);
    await a.get(`/officer/cases/${id}`);
    expect(await stack.rt.models.Audit.countDocuments({ caseId: id, action: 'view_case', via: 'liff' })).toBe(2);

    // The citizen sees the same steps on their page.
    const mine = CaseDetail.parse((await p.get(`/cases/${id}`)).json);
    expect(mine.timeline.map((t) => t.textTh)).toEqual(['รับเรื่องร้องเรียน', 'เจ้าหน้าที่รับเรื่องแล้ว', 'ความคืบหน้า', 'เจ้าหน้าที่ขอข้อมูลเพิ่มเติม']);
    const list = (await a.get('/officer/cases')).json;
    expect(list.map((c: any) => c.id)).toContain(id);
    expect((await a.get('/officer/cases?status=closed')).json.map((c: any) => c.id)).not.toContain(id);
    expectError(await a.get('/officer/cases?status=everything'), 400, 'validation_failed');
    await stack.rt.models.Officer.deleteMany({});
  });

  it('forwards (Service Link) to a partner agency, never to the unit complained about; the new unit gets the card', async () => {
    await stack.rt.models.Unit.updateOne({ _id: 'DRR' }, { $set: { nameTh: 'กรมทางหลวงชนบท', nameEn: 'Department of Rural Roads', level: 'partner', parentCode: null } }, { upsert: true });
    const province = await officer('50', 'หัวหน้า จังหวัด', 'head');
    const district = await officer('5001', 'จนท. อำเภอ ถูกร้อง');
    const partner = await officer('DRR', 'จนท. ทางหลวงชนบท');
    const p = await citizen('ผู้ร้อง เจ้าหน้าที่');
    const { id, trackingNo } = await fileCase(p, { category: 'official' });
    expect((await stack.rt.models.Case.findById(id).lean())).toMatchObject({ unitCode: '50', concernedUnitCode: '5001' });
    await stack.sim.waitForMessages(province.userId, 1, 10_000);

    const toConcerned = await province.post(`/officer/cases/${id}/forward`, { unitCode: '5001', reason: 'อยู่ในพื้นที่อำเภอ' });
    expectError(toConcerned, 400, 'validation_failed');
    expect(fieldsOf(toConcerned).unitCode.th).toContain('หน่วยงานที่ถูกร้องเรียน');
    expect(fieldsOf(await province.post(`/officer/cases/${id}/forward`, { unitCode: 'NOPE', reason: 'ไม่มีหน่วยนี้' })).unitCode.en).toBe('Unknown unit.');
    expect(fieldsOf(await province.post(`/officer/cases/${id}/forward`, { unitCode: '50', reason: 'ที่เดิม ๆ' })).unitCode).toBeDefined();

    const fwd = await province.post(`/officer/cases/${id}/forward`, { unitCode: 'DRR', reason: 'ถนนในความรับผิดชอบของกรมทางหลวงชนบท' });
    expect(fwd.status, fwd.text).toBe(200);
    expect(fwd.json).toMatchObject({ status: 'forwarded', unitNameTh: 'กรมทางหลวงชนบท' });
    expect(fwd.json.timeline.at(-1)).toMatchObject({ action: 'forwarded', textTh: 'ส่งต่อไปยังกรมทางหลวงชนบท', textEn: 'Forwarded to Department of Rural Roads' });
    const [card] = await stack.sim.waitForMessages(partner.userId, 1, 10_000);
    expect(card.messages[0].altText).toContain(trackingNo);
    expect(JSON.stringify(card.messages[0])).toContain('ส่งต่อจากศูนย์ดำรงธรรมจังหวัดเชียงใหม่: ถนนในความรับผิดชอบของกรมทางหลวงชนบท');
    expect(await waitForText(stack.sim, p.userId, `${trackingNo}: ส่งต่อไปยังกรมทางหลวงชนบท`)).toContain('เลขรับเรื่องเดิม');
    const c = await stack.rt.models.Case.findById(id).lean();
    expect(c).toMatchObject({ unitCode: 'DRR', status: 'forwarded', trackingNo });
    expect(c!.assignee?.officerId).toBeFalsy();
    await drained(stack);
    expect(stack.sim.messagesFor(district.userId)).toHaveLength(0);
    // It is no longer the province's: 404 there; the partner can take it.
    expectError(await province.get(`/officer/cases/${id}`), 404, 'not_found');
    expect((await partner.post(`/officer/cases/${id}/accept`)).json.status).toBe('assigned');
    await stack.rt.models.Officer.deleteMany({});
  });

  it('closes with a result (the citizen gets it with the survey link) and rejects with a reason', async () => {
    const o = await officer('5001', 'จนท. ยุติเรื่อง');
    const p = await citizen('ผู้ร้อง ปิดเรื่อง', 'en');
    const one = await fileCase(p);
    const closed = await o.post(`/officer/cases/${one.id}/close`, { summary: 'The road was repaired on 20 Nov.' });
    expect(closed.json).toMatchObject({ status: 'closed', resolution: { kind: 'resolved', text: 'The road was repaired on 20 Nov.' } });
    const told = await waitForText(stack.sim, p.userId, `Case ${one.trackingNo} is closed`);
    expect(told).toContain('The road was repaired on 20 Nov.');
    expect(told).toContain(`http://localhost:3000/liff/#/survey/${one.id}`);
    expectError(await o.post(`/officer/cases/${one.id}/close`, { summary: 'อีกครั้ง' }), 409, 'conflict');
    expectError(await o.post(`/officer/cases/${one.id}/notes`, { text: 'หลังปิด' }), 409, 'conflict');

    const th = await citizen('ผู้ร้อง ไม่รับ');
    const two = await fileCase(th);
    const rejected = await o.post(`/officer/cases/${two.id}/reject`, { reason: 'เป็นคดีที่อยู่ระหว่างการพิจารณาของศาล' });
    expect(rejected.json).toMatchObject({ status: 'rejected', statusTh: 'ไม่รับเรื่อง', resolution: { kind: 'rejected' } });
    const msg = await waitForText(stack.sim, th.userId, `${two.trackingNo}: ศูนย์ดำรงธรรมไม่สามารถรับเรื่องนี้`);
    expect(msg).toContain('เป็นคดีที่อยู่ระหว่างการพิจารณาของศาล');
    expectError(await th.post(`/cases/${two.id}/survey`, { score: 2 }), 409, 'conflict');
    await stack.rt.models.Officer.deleteMany({});
  });
});

describe('IDOR: other people\'s cases are 404, never 403', () => {
  it('citizen B can neither read nor act on citizen A\'s case', async () => {
    const a = await citizen('เอ');
    const b = await citizen('บี');
    const { id } = await fileCase(a);
    expectError(await b.get(`/cases/${id}`), 404, 'not_found');
    expect((await b.get('/cases')).json).toEqual([]);
    expectError(await b.post(`/cases/${id}/info`, { text: 'แทรกข้อมูล' }), 404, 'not_found');
    expectError(await b.post(`/cases/${id}/withdraw`, { reason: 'ถอนแทนคนอื่น' }), 404, 'not_found');
    expectError(await b.post(`/cases/${id}/survey`, { score: 1 }), 404, 'not_found');
    // Not found looks exactly like a case that does not exist.
    const missing = await b.get(`/cases/${'0'.repeat(24)}`);
    expect(missing.json).toEqual((await b.get(`/cases/${id}`)).json);
    // Citizens have no officer pages.
    expectError(await b.get(`/officer/cases/${id}`), 404, 'not_found');
    expectError(await b.post(`/officer/cases/${id}/close`, { summary: 'ปิดเองเลย' }), 404, 'not_found');
    const c = await stack.rt.models.Case.findById(id).lean();
    expect(c!.status).toBe('received');
    expect(c!.timeline).toHaveLength(1);
  });

  it('an officer of another unit gets 404 on the detail and on every action, and nothing changes', async () => {
    const mine = await officer('5001', 'จนท. เจ้าของ');
    const stranger = await officer('4001', 'จนท. ขอนแก่น');
    const p = await citizen('ความลับ ส่วนตัว');
    const { id } = await fileCase(p);
    expectError(await stranger.get(`/officer/cases/${id}`), 404, 'not_found');
    expect((await stranger.get('/officer/cases')).json.map((c: any) => c.id)).not.toContain(id);
    const actions: [string, unknown][] = [
      ['accept', {}], ['notes', { text: 'แอบเขียน' }], ['ask', { question: 'ขอข้อมูลหน่อย' }],
      ['forward', { unitCode: '4001', reason: 'เอามาทำเอง' }], ['close', { summary: 'ปิดให้แล้ว' }], ['reject', { reason: 'ไม่รับเรื่องนี้' }],
    ];
    for (const [action, body] of actions) expectError(await stranger.post(`/officer/cases/${id}/${action}`, body), 404, 'not_found');
    expectError(await stranger.get(`/files/${'a'.repeat(24)}`), 404, 'not_found');
    const c = await stack.rt.models.Case.findById(id).lean();
    expect(c).toMatchObject({ status: 'received', unitCode: '5001' });
    expect(c!.timeline).toHaveLength(1);
    expect(await stack.rt.models.Audit.countDocuments({ caseId: id })).toBe(0);
    expect((await mine.get(`/officer/cases/${id}`)).json.complainant.name).toBe('ความลับ ส่วนตัว');
    await stack.rt.models.Officer.deleteMany({});
  });
});

describe('rate limits', () => {
  it('more than 20 writes a minute from one person get 429 with Retry-After; reads and other people are unaffected', async () => {
    const p = await citizen('กดรัว');
    const ghost = '0'.repeat(24);
    for (let i = 0; i < 20; i++) expect((await p.post(`/cases/${ghost}/withdraw`, { reason: 'ทดสอบการจำกัด' })).status).toBe(404);
    const limited = await p.post('/cases', newCase());
    expectError(limited, 429, 'rate_limited');
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect((await p.get('/cases')).status).toBe(200);
    expect((await (await citizen('คนอื่น ไม่เกี่ยว')).post('/cases', newCase())).status).toBe(201);
  });
});

describe('OpenAPI document', () => {
  it('is public, valid JSON (OpenAPI 3.1), and lists every path of the contract with its errors', async () => {
    const a = await call(null, 'GET', '/openapi.json');
    expect(a.status).toBe(200);
    const doc = a.json;
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, m]) => Object.keys(m).map((method) => `${method.toUpperCase()} ${path}`));
    expect(ops.sort()).toEqual([
      'GET /liff/api/cases', 'GET /liff/api/cases/{id}', 'GET /liff/api/files/{id}',
      'GET /liff/api/geo/districts/{code}/subdistricts', 'GET /liff/api/geo/provinces', 'GET /liff/api/geo/provinces/{code}/districts',
      'GET /liff/api/me', 'GET /liff/api/me/data', 'GET /liff/api/me/data.html', 'GET /liff/api/me/erase', 'POST /liff/api/me/erase', 'GET /liff/api/meta', 'GET /liff/api/officer/cases', 'GET /liff/api/officer/cases/{id}', 'GET /liff/api/openapi.json',
      'POST /liff/api/cases', 'POST /liff/api/cases/{id}/info', 'POST /liff/api/cases/{id}/reopen', 'POST /liff/api/cases/{id}/survey', 'POST /liff/api/cases/{id}/withdraw',
      // "แจ้งด้วย": docs/joining.md
      'POST /liff/api/related', 'POST /liff/api/cases/{id}/join', 'POST /liff/api/cases/{id}/unfollow',
      'POST /liff/api/officer/cases', 'POST /liff/api/officer/cases/{id}/accept', 'POST /liff/api/officer/cases/{id}/ask',
      'POST /liff/api/officer/cases/{id}/close', 'POST /liff/api/officer/cases/{id}/forward', 'POST /liff/api/officer/cases/{id}/notes',
      'POST /liff/api/officer/cases/{id}/reject', 'POST /liff/api/officer/cases/{id}/uploads', 'POST /liff/api/uploads',
      'POST /liff/api/officer/cases/{id}/internal-notes', 'POST /liff/api/officer/cases/{id}/preview', 'GET /liff/api/officer/templates',
      'GET /liff/api/officer/cases/{id}/templates', 'GET /liff/api/officer/cases/{id}/forward-targets',
      // Supervisors (the units below): docs/supervisors.md
      'GET /liff/api/officer/below/units', 'GET /liff/api/officer/below/cases', 'GET /liff/api/officer/cases/{id}/officers',
      'POST /liff/api/officer/cases/{id}/takeover', 'POST /liff/api/officer/cases/{id}/assign',
      // Claim codes (docs/claim-codes.md)
      'POST /liff/api/officer/cases/{id}/claim-code',
      // The public figures page: approving and withdrawing a published result (docs/public-figures.md)
      'POST /liff/api/officer/cases/{id}/public-result', 'POST /liff/api/officer/cases/{id}/public-result/withdraw',
      // Related complaints (docs/related-complaints.md)
      'GET /liff/api/officer/cases/{id}/related', 'POST /liff/api/officer/cases/{id}/link', 'POST /liff/api/officer/cases/{id}/merge',
    ].sort());
    const create = doc.paths['/liff/api/cases'].post;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '413', '429']));
    expect(create.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(create.responses['201'].links.getMyCase).toEqual({ operationId: 'getMyCase', parameters: { id: '$response.body#/id' } });
    expect(create.requestBody.content['application/json'].schema.properties.location.properties.provinceCode.enum).toHaveLength(77);
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['description', 'consent']));
    expect(create.requestBody.content['application/json'].schema.properties.problemType.enum).toHaveLength(20);
    expect(doc.paths['/liff/api/cases/{id}'].get.responses['404']).toBeDefined();
    expect(doc.paths['/liff/api/cases/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(doc.paths['/liff/api/uploads'].post.responses['415']).toBeDefined();
    // Officer pages answer 404 to anyone who is not an officer: documented, so a fuzzer expects it.
    expect(doc.paths['/liff/api/officer/cases'].get.responses['404']).toBeDefined();
    expect(doc.paths['/liff/api/officer/cases'].post.responses['404']).toBeDefined();
    expect(doc.paths['/liff/api/uploads'].post.requestBody.content['image/heic']).toBeDefined();
    expect(doc.paths['/liff/api/openapi.json'].get.security).toEqual([]);
    expect(doc.components.securitySchemes.lineIdToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [m, op] of Object.entries(methods)) {
        if (path.endsWith('openapi.json')) continue;
        expect(op.responses['401'], `${m} ${path}`).toBeDefined();
        if (m === 'post') expect(op.responses['429'], `${m} ${path}`).toBeDefined();
      }
    }
    expect(a.text).not.toMatch(/"\$schema"/);
  });

  it('unknown paths and methods under /liff/api answer the contract 404', async () => {
    const p = await citizen();
    expectError(await p.get('/nothing-here'), 404, 'not_found');
    expectError(await call(p.token, 'DELETE', '/cases'), 404, 'not_found');
    expectError(await call(null, 'GET', '/nothing-here'), 404, 'not_found');
  });
});
