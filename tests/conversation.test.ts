import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../bot/conversation/types.ts';
import { CITIZEN_MENU_NAME_EN } from '../bot/richMenu.ts';
import type { SimUser } from '../simulator/server.ts';
import { validateOperation } from '../simulator/validator.ts';
import { openBrowser } from './helpers/browser.ts';
import { converse, quickPostback, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

// The LINE chat as people actually use it: they start with a sentence, a photo or a pin, go back,
// change their mind, answer an officer's question in the chat, send stickers and long texts.
// Real app, worker, Redis and FerretDB; only LINE is the simulator.

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const PIN = {
  latitude: 18.8037, longitude: 98.9823, title: 'ศาลากลางจังหวัดเชียงใหม่',
  address: 'ถนนโชตนา ตำบลช้างเผือก อำเภอเมืองเชียงใหม่ เชียงใหม่ 50300 ประเทศไทย',
};
const THAI = /[\u0E00-\u0E7F]/;

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

const say = (u: SimUser, text: string) => converse(stack.sim, u.userId, () => stack.sim.sendText(u.userId, text));
const tap = async (u: SimUser, msg: any, label: string | RegExp): Promise<any> => {
  const m = await converse(stack.sim, u.userId, () => stack.sim.sendPostback(u.userId, quickPostback(msg, label)));
  // These chats file in one place again and again: when the related cases are offered after the
  // area (tests/join.test.ts is about that), they file anyway.
  return label === 'ถูกต้อง' && typeof m?.text === 'string' && m.text.startsWith('มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ') ? tap(u, m, 'แจ้งเรื่องใหม่') : m;
};
/** A problem type: tapped at once when it is among the common ones shown, else after "other / see all". */
async function tapType(u: SimUser, msg: any, label: string) {
  const shown = (msg.quickReply?.items ?? []).some((i: any) => i.action?.label === label);
  return tap(u, shown ? msg : await tap(u, msg, /^(เรื่องอื่นๆ\/ทั้งหมด|Other \/ see all)$/), label);
}
const photo = (u: SimUser) => converse(stack.sim, u.userId, () => stack.sim.sendImage(u.userId, PNG, 'image/png'));
const pin = (u: SimUser) => converse(stack.sim, u.userId, () => stack.sim.sendLocation(u.userId, PIN));
const labels = (msg: any): string[] => (msg?.quickReply?.items ?? []).map((i: any) => i.action.label);
/** Every message the user got, as LINE would show them. */
const received = (u: SimUser): any[] => stack.sim.messagesFor(u.userId).flatMap((r) => r.messages);
const storedPhotos = (u: SimUser) => stack.rt.models.conn.db!.collection('attachments.files').countDocuments({ 'metadata.uploadedBy': u.userId });

const sticker = (u: SimUser) => converse(stack.sim, u.userId, () => stack.sim.sendSticker(u.userId));

function expectAllRequestsValid(): void {
  expect(stack.sim.requests.filter((r) => r.status >= 400)).toEqual([]);
  for (const r of stack.sim.requests.filter((r) => r.path === '/v2/bot/message/reply' || r.path === '/v2/bot/message/push')) {
    expect(validateOperation(r.path.endsWith('reply') ? 'replyMessage' : 'pushMessage', r.body)).toEqual({ ok: true });
  }
}

/** Finishes an intake whose review is `m`; returns the tracking number. */
async function send(u: SimUser, m: any): Promise<string> {
  const done = await tap(u, m, /^(ยืนยันส่งเรื่อง|Send complaint)$/);
  const no = /(?:เลขรับเรื่อง|Tracking number): (\d{4}-\d{6})/.exec(done.text)?.[1];
  if (!no) throw new Error(`no tracking number in ${done.text}`);
  return no;
}

describe('the chat starts a complaint from whatever the citizen sends first', () => {
  it('a sentence becomes the description: it is not asked for again and the case keeps it', async () => {
    const u = await stack.citizen('สมศักดิ์ พิมพ์เลย');
    const story = 'ไฟถนนหน้าโรงเรียนบ้านหนองบัวดับมาสามสัปดาห์แล้ว กลางคืนมืดมาก เด็กกลับบ้านอันตราย';
    let m = await say(u, story);
    expect(textsOf(stack.sim, u.userId).some((t) => t.includes('ไม่ต้องพิมพ์ซ้ำ'))).toBe(true);
    expect(m.text).toContain('ขั้นที่ 1/6 — พบคำว่า “ไฟถนน” — ใช่เรื่อง ไฟถนนดับ ไหมคะ');
    expect(labels(m)[0]).toBe('💡 ไฟถนนดับ');
    m = await tapType(u, m, '💡 ไฟถนนดับ');
    expect(m.text).toContain('ขั้นที่ 3/6'); // straight to "where": the story was already told
    m = await pin(u);
    m = await tap(u, m, 'ถูกต้อง');
    m = await tap(u, m, 'ไม่มีรูป');
    m = await tap(u, m, 'ยินยอม');
    expect(m.text).toContain('ขั้นที่ 6/6');
    expect(m.text).toContain(story);
    const trackingNo = await send(u, m);
    const saved = await stack.rt.models.Case.findOne({ trackingNo }).lean();
    expect(saved).toMatchObject({ description: story, problemType: 'street_light', category: 'help', unitCode: '5001', complainant: { lineUserId: u.userId } });
  });

  it('a photo first: kept as the first photo; a pin first: the area is confirmed, then only what is missing is asked', async () => {
    const u = await stack.citizen('สมใจ ถ่ายรูป');
    let m = await photo(u);
    expect(textsOf(stack.sim, u.userId).some((t) => t.includes('ได้รับรูปแล้ว'))).toBe(true);
    expect(m.text).toContain('ขั้นที่ 1/6');
    m = await tapType(u, m, '🏗️ โครงการของรัฐ');
    m = await say(u, 'สะพานข้ามคลองชำรุด ราวสะพานหัก เดินผ่านไม่ได้');
    m = await pin(u);
    m = await tap(u, m, 'ถูกต้อง');
    expect(m.text).toContain('1/5'); // the photo sent first is already there
    m = await tap(u, m, 'เสร็จแล้ว');
    m = await tap(u, m, 'ยินยอม');
    expect(m.text).toContain('รูปภาพ: 1 รูป');
    const trackingNo = await send(u, m);
    expect((await stack.rt.models.Case.findOne({ trackingNo }).lean())!.attachments).toHaveLength(1);

    const v = await stack.citizen('สมปอง ปักหมุด');
    m = await pin(v);
    expect(textsOf(stack.sim, v.userId).some((t) => t.includes('ได้รับตำแหน่งแล้ว'))).toBe(true);
    expect(m.text).toContain('ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    m = await tap(v, m, 'ถูกต้อง');
    expect(m.text).toContain('ขั้นที่ 1/6');
    m = await tapType(v, m, '🚨 ยาเสพติด/พนัน');
    m = await say(v, 'มีบ่อนการพนันเปิดทุกคืนหลังตลาด');
    expect(m.text).toContain('ขั้นที่ 4/6'); // the area is not asked again

    // A pin whose address names no province: the province is asked by name, the pin is kept.
    const w = await stack.citizen('สมคิด กลางทุ่ง');
    m = await converse(stack.sim, w.userId, () => stack.sim.sendLocation(w.userId, { latitude: 18.58, longitude: 99.0, title: 'กลางทุ่งนา' }));
    expect(textsOf(stack.sim, w.userId).some((t) => t.includes('ระบุพื้นที่จากตำแหน่งนี้ไม่ได้'))).toBe(true);
    m = await say(w, 'ลำพูน');
    expect(m.text).toContain('จังหวัดลำพูน');
    expect((await stack.rt.models.Conversation.findById(w.userId).lean())!.draft.location).toMatchObject({ provinceCode: '51', lat: 18.58, lng: 99.0 });
  });

  it('a greeting or a single word gets the menu, the word offered rather than lost; a sticker gets a friendly line', async () => {
    const u = await stack.citizen('สมพร ทักทาย');
    let m = await say(u, 'สวัสดีค่ะ');
    expect(m.text).toContain('สวัสดีค่ะ คุณสมพร');
    expect(labels(m)).toEqual(['แจ้งเรื่องร้องเรียน', 'ติดตามเรื่อง', 'ติดต่อเจ้าหน้าที่']);
    m = await sticker(u);
    expect(m.text).toContain('สติกเกอร์');
    m = await say(u, 'น้ำท่วม');
    expect(m.text).toContain('“น้ำท่วม”');
    expect(m.text).not.toContain('ไม่เข้าใจ');
    m = await tap(u, m, 'แจ้งเรื่องนี้');
    expect(m.text).toContain('ขั้นที่ 1/6');
    m = await tapType(u, m, '🌊 น้ำท่วม/ท่อตัน');
    expect(m.text).toContain('“น้ำท่วม”'); // the description step starts from it
    m = await say(u, 'ซอยบ้านท่วมสูงครึ่งเมตรมาสองวันแล้ว');
    expect(m.text).toContain('ขั้นที่ 3/6');
    // A sticker in the middle: a friendly line, and the same question again.
    const before = stack.sim.messagesFor(u.userId).length;
    m = await sticker(u);
    expect(stack.sim.messagesFor(u.userId).at(-1)!.messages.map((x: any) => x.text)).toEqual([expect.stringContaining('สติกเกอร์'), expect.stringContaining('ขั้นที่ 3/6')]);
    expect(stack.sim.messagesFor(u.userId).length).toBe(before + 1);
    const conv = await stack.rt.models.Conversation.findById(u.userId).lean();
    expect(conv!.draft).toMatchObject({ category: 'help', description: 'น้ำท่วม\nซอยบ้านท่วมสูงครึ่งเมตรมาสองวันแล้ว' });
  });
});

describe('back, edit and declining consent', () => {
  it('ย้อนกลับ keeps the draft; แก้ไข on the review picks the part to change', async () => {
    const u = await stack.citizen('สมหมาย เปลี่ยนใจ');
    let m = await say(u, 'แจ้งเรื่องร้องเรียน');
    m = await tapType(u, m, '💸 หนี้นอกระบบ');
    expect(labels(m)).toContain('ย้อนกลับ');
    m = await tap(u, m, 'ย้อนกลับ');
    expect(m.text).toContain('ขั้นที่ 1/6');
    m = await tapType(u, m, '🗑️ ขยะ');
    expect(m.text).toContain('ประเภท: 🗑️ ขยะ ความสะอาด');
    m = await say(u, 'มีการลักลอบทิ้งขยะอุตสาหกรรมริมคลองทุกคืน');
    m = await say(u, 'เชียงใหม่');
    m = await say(u, 'ย้อนกลับ'); // typed works too
    expect(m.text).toContain('ขั้นที่ 3/6');
    m = await pin(u);
    m = await tap(u, m, 'ถูกต้อง');
    m = await tap(u, m, 'ไม่มีรูป');
    m = await tap(u, m, 'ยินยอม');
    expect(m.text).toContain('ลักลอบทิ้งขยะ');
    m = await tap(u, m, 'แก้ไข');
    expect(labels(m)).toEqual(['ประเภท', 'รายละเอียด', 'พื้นที่', 'รูปภาพ', 'ย้อนกลับ', 'ยกเลิก']);
    m = await tap(u, m, 'รายละเอียด');
    expect(m.text).toContain('ขั้นที่ 2/6');
    m = await say(u, 'มีการลักลอบทิ้งสารเคมีริมคลองแม่ข่าทุกคืนวันศุกร์');
    expect(m.text).toContain('ขั้นที่ 6/6'); // back to the review, nothing else asked again
    expect(m.text).toContain('สารเคมีริมคลองแม่ข่า');
    expect(m.text).toContain('ต.ช้างเผือก');
    const trackingNo = await send(u, m);
    expect((await stack.rt.models.Case.findOne({ trackingNo }).lean())!.description).toBe('มีการลักลอบทิ้งสารเคมีริมคลองแม่ข่าทุกคืนวันศุกร์');
  });

  it('a sentence typed at a later step is added to the story; consent and send work typed as well', async () => {
    const u = await stack.citizen('สมชาติ ลืมบอก');
    let m = await say(u, 'มีคนลักลอบตัดไม้ในป่าชุมชนทุกคืน');
    m = await tapType(u, m, '🗺️ ที่ดิน/บุกรุก');
    m = await pin(u);
    m = await tap(u, m, 'ถูกต้อง');
    m = await say(u, 'อ้อ ลืมบอกว่ารถกระบะสีดำมาตอนตีสอง');
    expect(textsOf(stack.sim, u.userId).at(-2)).toContain('เพิ่มข้อความนี้ในรายละเอียดเรื่องแล้ว');
    expect(m.text).toContain('ขั้นที่ 4/6'); // still the photo step
    m = await say(u, 'ไม่มีรูป');
    m = await say(u, 'ยินยอม');
    expect(m.text).toContain('ขั้นที่ 6/6');
    expect(m.text).toContain('รถกระบะสีดำ');
    m = await say(u, 'ยืนยัน');
    const trackingNo = /เลขรับเรื่อง: (\d{4}-\d{6})/.exec(m.text)![1];
    expect((await stack.rt.models.Case.findOne({ trackingNo }).lean())!.description).toBe('มีคนลักลอบตัดไม้ในป่าชุมชนทุกคืน\nอ้อ ลืมบอกว่ารถกระบะสีดำมาตอนตีสอง');
  });

  it('declining consent asks first; confirmed, the draft and its stored photos are deleted', async () => {
    const u = await stack.citizen('สมนึก ไม่ยินยอม');
    let m = await photo(u);
    m = await tapType(u, m, '🤲 ขอความช่วยเหลือ');
    m = await say(u, 'บ้านถูกน้ำป่าพัดเสียหายทั้งหลัง');
    m = await pin(u);
    m = await tap(u, m, 'ถูกต้อง');
    m = await photo(u);
    expect(m.text).toContain('2/5');
    m = await tap(u, m, 'เสร็จแล้ว');
    expect(await storedPhotos(u)).toBe(2);
    m = await tap(u, m, 'ไม่ยินยอม');
    expect(m.text).toContain('ยืนยันไม่ยินยอม');
    m = await tap(u, m, 'ย้อนกลับ'); // changed their mind: nothing lost
    expect(m.text).toContain('PDPA');
    expect(await storedPhotos(u)).toBe(2);
    m = await tap(u, m, 'ไม่ยินยอม');
    m = await tap(u, m, 'ยืนยัน ลบข้อมูล');
    expect(m.text).toContain('ข้อมูลที่กรอกไว้ถูกลบแล้ว');
    expect(await storedPhotos(u)).toBe(0);
    expect((await stack.rt.models.Conversation.findById(u.userId).lean())!.draft).toEqual({});
  });
});

describe('tracking numbers and long texts', () => {
  it('the citizen’s own tracking number gives its status; someone else’s gets the same answer as an unknown one', async () => {
    const u = await stack.citizen('สมทรง ติดตาม');
    let m = await say(u, 'รถบรรทุกวิ่งส่งเสียงดังทั้งคืนในหมู่บ้าน');
    m = await tapType(u, m, '🔊 เสียง กลิ่น ควัน');
    m = await pin(u);
    m = await tap(u, m, 'ถูกต้อง');
    m = await tap(u, m, 'ไม่มีรูป');
    m = await tap(u, m, 'ยินยอม');
    const mine = await send(u, m);
    m = await say(u, mine);
    expect(m.text).toContain(mine);
    expect(m.text).toContain('รับเรื่องแล้ว รอเจ้าหน้าที่');

    const other = await stack.citizen('คนอื่น');
    const theirs = await say(other, mine);
    const [year] = mine.split('-');
    const unknown = await say(other, `${year}-999999`);
    expect(theirs.text).toBe(unknown.text);
    expect(theirs.text).not.toContain('สถานะ');
  });

  it('over 5,000 characters is refused with its length; a long description is previewed at a word boundary and kept whole', async () => {
    const u = await stack.citizen('สมจิต เล่ายาว');
    const sentence = 'น้ำเสียจากโรงงานไหลลงคลองทุกวัน ปลาตายจำนวนมาก ชาวบ้านได้กลิ่นเหม็นทั้งหมู่บ้าน ';
    const tooLong = sentence.repeat(Math.ceil(5200 / sentence.length));
    let m = await say(u, tooLong);
    const refusal = textsOf(stack.sim, u.userId).find((t) => t.includes('เกินที่รับได้ 5,000'))!;
    expect(refusal).toContain(`${[...tooLong.trim()].length.toLocaleString('en-US')} ตัวอักษร`);
    m = await tapType(u, m, '🤲 ขอความช่วยเหลือ');
    expect(m.text).toContain('ขั้นที่ 2/6'); // asked for again: not silently cut
    const long = sentence.repeat(Math.floor(4900 / sentence.length)).trim();
    m = await say(u, long);
    m = await pin(u);
    m = await tap(u, m, 'ถูกต้อง');
    m = await tap(u, m, 'ไม่มีรูป');
    m = await tap(u, m, 'ยินยอม');
    expect(m.text).toContain('แสดงบางส่วน');
    expect(m.text.length).toBeLessThan(1200);
    // Cut between words: the preview ends on a whole word of the description.
    const preview = /รายละเอียด: ([^]*?)…/.exec(m.text)![1];
    expect(long.startsWith(preview)).toBe(true);
    const boundaries = new Set([...new Intl.Segmenter('th', { granularity: 'word' }).segment(long)].map((x) => x.index));
    expect(boundaries.has(preview.length)).toBe(true);
    expect(preview.length).toBeGreaterThan(200);
    const trackingNo = await send(u, m);
    expect((await stack.rt.models.Case.findOne({ trackingNo }).lean())!.description).toBe(long);
    // What the simulator would refuse (so the checks below can fail): a longer text, a longer label.
    expect(validateOperation('pushMessage', { to: u.userId, messages: [{ type: 'text', text: 'ก'.repeat(5001) }] }).ok).toBe(false);
    expect(validateOperation('pushMessage', { to: u.userId, messages: [{ type: 'text', text: 'x', quickReply: { items: [{ type: 'action', action: { type: 'message', label: 'x'.repeat(21), text: 'x' } }] } }] }).ok).toBe(false);
    for (const msg of received(u)) {
      if (msg.type === 'text') expect(msg.text.length).toBeLessThanOrEqual(5000);
      for (const l of labels(msg)) expect(l.length).toBeLessThanOrEqual(20);
      expect((msg.quickReply?.items ?? []).length).toBeLessThanOrEqual(13);
    }
    expectAllRequestsValid();
  });
});

/** Files a case through the chat the short way (a sentence first, a pin); returns its id and tracking number. */
async function fileCase(u: SimUser, story: string): Promise<{ id: string; trackingNo: string }> {
  let m = await say(u, story);
  m = await tapType(u, m, '🤲 ขอความช่วยเหลือ');
  m = await pin(u);
  m = await tap(u, m, 'ถูกต้อง');
  m = await tap(u, m, 'ไม่มีรูป');
  m = await tap(u, m, 'ยินยอม');
  const trackingNo = await send(u, m);
  const c = await stack.rt.models.Case.findOne({ trackingNo }, { _id: 1 }).lean();
  return { id: String(c!._id), trackingNo };
}

async function officerApi(o: SimUser, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.sim.issueIdToken(o.userId)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('answering an officer in the chat', () => {
  it('text and a photo sent after an officer’s question are attached to that case; the officer is alerted and sees both in LIFF', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. ถามกลับ');
    const u = await stack.citizen('สมบัติ ตอบคำถาม');
    const { id, trackingNo } = await fileCase(u, 'ท่อระบายน้ำหน้าตลาดอุดตัน น้ำเน่าเหม็นไหลเข้าบ้าน');
    await officerApi(officer, 'POST', `/officer/cases/${id}/ask`, { question: 'ขอรูปถ่ายท่อที่อุดตันและบ้านเลขที่ด้วยค่ะ' });
    await waitForText(stack.sim, u.userId, 'ขอรูปถ่ายท่อที่อุดตัน');

    let m = await say(u, 'บ้านเลขที่ 45/2 ซอยตลาดเก่า');
    expect(m.text).toContain(`แนบกับเรื่อง ${trackingNo} แล้วค่ะ`);
    const JPEG = await readFile(new URL('./fixtures/photo-8x8.jpg', import.meta.url));
    m = await converse(stack.sim, u.userId, () => stack.sim.sendImage(u.userId, JPEG, 'image/jpeg'));
    expect(m.text).toContain(`แนบกับเรื่อง ${trackingNo} แล้วค่ะ`);
    await waitForText(stack.sim, officer.userId, `เรื่อง ${trackingNo}: ผู้ร้องเพิ่มข้อมูลแล้ว`);

    const detail = await officerApi(officer, 'GET', `/officer/cases/${id}`);
    const added = detail.timeline.filter((e: any) => e.action === 'info_added');
    expect(added.map((e: any) => e.note ?? '')).toContain('บ้านเลขที่ 45/2 ซอยตลาดเก่า');
    expect(added.map((e: any) => e.textTh)).toContain('ผู้ร้องเพิ่มข้อมูล (รูปภาพ 1 รูป)');
    expect(detail.attachments).toHaveLength(1);
    const file = await fetch(`${stack.web.url}${detail.attachments[0].url}`, { headers: { authorization: `Bearer ${stack.sim.issueIdToken(officer.userId)}` } });
    expect(Buffer.from(await file.arrayBuffer())).toEqual(JPEG);
    // The case is no new complaint: nothing else was opened for this citizen.
    expect(await stack.rt.models.Case.countDocuments({ 'complainant.lineUserId': u.userId })).toBe(1);

    // An answer over 5,000 characters is refused plainly, not attached in part.
    m = await say(u, 'ท่อ'.repeat(2600));
    expect(m.text).toContain('7,800 ตัวอักษร'); // ท่อ is three characters (ท, the tone mark, อ)
    expect((await officerApi(officer, 'GET', `/officer/cases/${id}`)).timeline.filter((e: any) => e.action === 'info_added')).toHaveLength(2);

    // The case closes: what the citizen sends next is no longer taken for an answer to it.
    await officerApi(officer, 'POST', `/officer/cases/${id}/close`, { summary: 'ล้างท่อระบายน้ำเรียบร้อยแล้ว' });
    await waitForText(stack.sim, u.userId, 'ล้างท่อระบายน้ำเรียบร้อยแล้ว');
    m = await say(u, 'ไฟทางในซอยเดียวกันก็ดับด้วยค่ะ ช่วยดูให้หน่อย');
    expect(m.text).toContain('ขั้นที่ 1/6');
    expect(textsOf(stack.sim, u.userId).some((t) => t.includes('ไม่ต้องพิมพ์ซ้ำ'))).toBe(true);

    // The officer's page in the mini-app shows the answer and the photo.
    const web = await openBrowser({ base: () => stack.web.url, prefix: 'chat' });
    try {
      const page = await web.liff(officer, `#/officer/cases/${id}`);
      await web.ready(page, 'officer-case');
      await page.locator('.gallery img').first().waitFor({ timeout: 20_000 });
      const timeline = await page.locator('.timeline').innerText();
      expect(timeline).toContain('บ้านเลขที่ 45/2 ซอยตลาดเก่า');
      expect(timeline).toContain('ผู้ร้องเพิ่มข้อมูล (รูปภาพ 1 รูป)');
      expect(await page.locator('.gallery img').count()).toBe(1);
      await web.shot(page, 'answer-officer-case');
    } finally {
      await web.close();
    }
  });

  it('two cases awaiting an answer: the chat asks which, with the tracking numbers as buttons', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. สองเรื่อง');
    const u = await stack.citizen('สมรักษ์ สองเรื่อง');
    const a = await fileCase(u, 'ไฟฟ้าดับทั้งซอยทุกคืนมาหนึ่งสัปดาห์แล้ว');
    const b = await fileCase(u, 'สุนัขจรจัดไล่กัดเด็กนักเรียนหน้าโรงเรียน');
    await officerApi(officer, 'POST', `/officer/cases/${a.id}/ask`, { question: 'ดับช่วงกี่โมงคะ' });
    await officerApi(officer, 'POST', `/officer/cases/${b.id}/ask`, { question: 'ประมาณกี่ตัวคะ' });
    await waitForText(stack.sim, u.userId, 'ดับช่วงกี่โมงคะ');
    await waitForText(stack.sim, u.userId, 'ประมาณกี่ตัวคะ');

    let m = await say(u, 'ประมาณห้าตัว ออกมาตอนเช้า');
    expect(m.text).toContain('เรื่องไหน');
    expect(labels(m)).toEqual(expect.arrayContaining([a.trackingNo, b.trackingNo]));
    m = await tap(u, m, b.trackingNo);
    expect(m.text).toContain(`แนบกับเรื่อง ${b.trackingNo} แล้วค่ะ`);
    const notes = async (id: string) => ((await officerApi(officer, 'GET', `/officer/cases/${id}`)).timeline as any[]).filter((e) => e.action === 'info_added').map((e) => e.note);
    expect(await notes(b.id)).toEqual(['ประมาณห้าตัว ออกมาตอนเช้า']);
    expect(await notes(a.id)).toEqual([]);
    expectAllRequestsValid();
  });
});

describe('an English-speaking citizen', () => {
  it('meets no Thai-only text or button in the whole chat intake, and gets the English rich menu', async () => {
    const u = await stack.citizen('Jane', 'en');
    let m = await converse(stack.sim, u.userId, () => stack.sim.follow(u.userId));
    expect(m.text).toContain('Hello Jane');
    const menuId = stack.sim.userRichMenu(u.userId)!;
    expect((stack.sim.richMenus.get(menuId) as any).name).toBe(CITIZEN_MENU_NAME_EN);
    expect(JSON.stringify(stack.sim.richMenus.get(menuId))).not.toMatch(THAI);

    const story = 'The street lights on my road have been broken for two weeks';
    m = await say(u, story);
    expect(m.text).toContain('Step 1/6');
    m = await tapType(u, m, '💡 Street light out');
    m = await say(u, 'back');
    expect(m.text).toContain('Step 2/6');
    m = await tap(u, m, 'Back');
    expect(m.text).toContain('Step 1/6');
    m = await tapType(u, m, '⚖️ Corruption');
    expect(m.text).toContain('Step 3/6'); // the story is kept
    m = await pin(u);
    expect(m.text).toContain('Chang Phueak, Mueang Chiang Mai, Chiang Mai');
    m = await tap(u, m, 'Choose myself');
    m = await say(u, 'Chiang Mai');
    expect(m.text).toContain('which district');
    m = await tap(u, m, 'More ▶');
    m = await say(u, 'Mueang Chiang Mai');
    expect(m.text).toContain('Step 4/6');
    m = await photo(u);
    m = await sticker(u);
    m = await tap(u, m, 'Done');
    m = await tap(u, m, 'I do not consent');
    m = await tap(u, m, 'Back');
    m = await tap(u, m, 'I consent');
    expect(m.text).toContain('Step 6/6');
    m = await tap(u, m, 'Edit');
    m = await tap(u, m, 'Category');
    m = await tapType(u, m, '🏗️ State project');
    expect(m.text).toContain('🏗️ State projects');
    const trackingNo = await send(u, m);
    m = await say(u, trackingNo);
    expect(m.text).toContain('Status:');
    m = await say(u, 'Track my case');
    m = await say(u, 'hello');

    for (const msg of received(u)) {
      const shown = JSON.stringify(msg).replaceAll(JSON.stringify(story).slice(1, -1), '');
      expect(shown, JSON.stringify(msg)).not.toMatch(THAI);
    }
    // Officers still read Thai area names on the case.
    const saved = await stack.rt.models.Case.findOne({ trackingNo }).lean();
    expect(saved!.location).toMatchObject({ provinceName: 'เชียงใหม่', districtName: 'เมืองเชียงใหม่' });
    expectAllRequestsValid();
  });
});

describe('the demo chat page', () => {
  it('a citizen starts with a sentence and a sticker in the simulator page; the chats above are shown as people see them', async () => {
    const web = await openBrowser({ base: () => stack.web.url, prefix: 'chat' });
    try {
      const page = await web.page({ viewport: { width: 1280, height: 1000 } });
      await page.goto(stack.sim.url);
      const open = async (name: string) => {
        await page.locator('#user-list button.user', { hasText: name }).click();
        await page.locator('#chat-title', { hasText: name }).waitFor();
      };
      const botSays = (text: string) => page.locator('#chat .entry.left', { hasText: text }).last().waitFor({ timeout: 15_000 });

      await stack.citizen('สมศรี หน้าเว็บ');
      await page.reload();
      await open('สมศรี หน้าเว็บ');
      await page.fill('#text', 'ขยะไม่มีคนเก็บมาสองอาทิตย์แล้ว ส่งกลิ่นเหม็นทั้งซอย');
      await page.press('#text', 'Enter');
      await botSays('ไม่ต้องพิมพ์ซ้ำ');
      await page.click('#btn-sticker');
      await botSays('สติกเกอร์');
      await web.shot(page, 'free-text-start', false);

      for (const [name, file] of [['สมบัติ ตอบคำถาม', 'answer-officer'], ['สมรักษ์ สองเรื่อง', 'which-case'], ['Jane', 'english'], ['สมหมาย เปลี่ยนใจ', 'back-edit']] as const) {
        await open(name);
        await page.waitForTimeout(300);
        await web.shot(page, file, false);
      }
    } finally {
      await web.close();
    }
  });
});
