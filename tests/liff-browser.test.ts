import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { startStack, waitForText, type Stack } from './helpers/stack.ts';

// The LIFF mini-app in real Chromium against the real web process, worker, Redis and
// MongoDB-compatible store. The page runs outside LINE with @line/liff-mock, but its ID token is a
// real one issued by the LINE simulator (POST /__sim/users/:id/id-token) and verified by the API.
// Needs the built app (`npm run build:liff`, run by `pretest`).

const WAIT = 20_000;

let stack: Stack;
let web: Browsing;
let citizen: SimUser;
let officer: SimUser;

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack(),
    openBrowser({ base: () => stack.web.url, prefix: 'liff', wait: WAIT }),
  ]);
  citizen = await stack.citizen('สมหญิง รักถิ่น');
  officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
});

afterAll(async () => {
  await web?.close();
  await stack?.close();
});

/** A phone-sized page signed in (through the simulator) as `user`. */
const phone = (user: SimUser, route: string, geolocation?: { latitude: number; longitude: number }) => web.liff(user, route, { geolocation });

const ready = (page: Page, name: string) => web.ready(page, name);
const shot = (page: Page, name: string, fullPage = true) => web.shot(page, name, fullPage);

/** A small, valid PNG (a colour gradient) made here, so the upload path sees real image bytes. */
function makePng(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const o = y * (w * 3 + 1) + 1 + x * 3;
    raw[o] = Math.round((x * 255) / w); raw[o + 1] = Math.round((y * 255) / h); raw[o + 2] = 140;
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const description = 'ถนนหน้าวัดเป็นหลุมลึก รถจักรยานยนต์ล้มเกือบทุกวัน แจ้งเทศบาลแล้วยังไม่ซ่อม';
let caseId = '';
let trackingNo = '';

describe('LIFF mini-app in Chromium (real app, worker, simulator)', () => {
  it('a citizen files a complaint through the form: draft kept, cascading area pickers, photo, review, tracking number', async () => {
    const page = await phone(citizen, '#/new');
    await ready(page, 'new');
    await page.getByLabel('ขอความช่วยเหลือ').check();
    await page.getByLabel('รายละเอียดเรื่อง').fill(description);
    await page.getByLabel('จังหวัด').selectOption({ label: 'เชียงใหม่' });
    await page.locator('#f-district option[value="5001"]').waitFor({ state: 'attached', timeout: WAIT });
    await page.getByLabel('อำเภอ / เขต').selectOption('5001');
    await page.locator('#f-subdistrict option[value="500101"]').waitFor({ state: 'attached', timeout: WAIT });

    // Closing the LIFF window keeps the draft: a fresh load of the page has everything back.
    await page.waitForTimeout(400); // the description is saved 300 ms after the last keystroke
    await page.reload();
    await ready(page, 'new');
    expect(await page.getByLabel('รายละเอียดเรื่อง').inputValue()).toBe(description);
    expect(await page.getByLabel('ขอความช่วยเหลือ').isChecked()).toBe(true);
    expect(await page.getByLabel('จังหวัด').inputValue()).toBe('50');
    await expect.poll(() => page.getByLabel('อำเภอ / เขต').inputValue(), { timeout: WAIT }).toBe('5001');
    await page.locator('#f-subdistrict option[value="500101"]').waitFor({ state: 'attached', timeout: WAIT });
    await page.getByLabel('ตำบล / แขวง').selectOption('500101');
    await page.getByLabel('ที่ตั้ง/จุดสังเกต').fill('หน้าวัดพระสิงห์ ถนนสามล้าน');

    // A photo: checked by its bytes, shrunk in the page, uploaded at once.
    await page.setInputFiles('#f-photos', { name: 'pothole.png', mimeType: 'image/png', buffer: makePng(640, 400) });
    await page.locator('.photos li img').waitFor({ timeout: WAIT });
    // A file that only claims to be an image is refused in the page, by content.
    await page.setInputFiles('#f-photos', { name: 'not-a-photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.7 definitely not a jpeg') });
    await expect.poll(() => page.locator('#f-photos-error').textContent(), { timeout: WAIT }).toContain('ไม่ใช่รูปภาพที่รองรับ');
    expect(await page.locator('.photos li').count()).toBe(1);

    await page.getByLabel('ชื่อ-นามสกุล').fill('สมหญิง รักถิ่น');
    await page.getByLabel('เบอร์โทรศัพท์').fill('08l-234-5678'); // a typo: letter l
    // Reviewing without consent and with a bad phone: both fields are flagged, in Thai.
    await page.click('#f-review');
    await expect.poll(() => page.locator('#f-phone-error').textContent()).toContain('เบอร์โทรศัพท์ไม่ถูกต้อง');
    expect(await page.locator('#f-consent-error').textContent()).toContain('ยินยอม');
    expect(await page.getByLabel('เบอร์โทรศัพท์').getAttribute('aria-invalid')).toBe('true');
    await shot(page, '1-new-errors', false);
    await page.getByLabel('เบอร์โทรศัพท์').fill('081-234-5678');
    await page.locator('#f-consent').check();
    await shot(page, '2-new-form');

    await page.click('#f-review');
    await page.locator('#f-submit').waitFor({ timeout: WAIT });
    const review = (await page.locator('dl.review').textContent()) ?? '';
    expect(review).toContain(description);
    expect(review).toContain('ต.ศรีภูมิ อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    expect(review).toContain('0812345678');
    await shot(page, '3-review');

    await page.click('#f-submit');
    await ready(page, 'done');
    trackingNo = ((await page.locator('#tracking-no').textContent()) ?? '').trim();
    expect(trackingNo).toMatch(/^25\d\d-\d{6}$/);
    await shot(page, '4-done', false);

    const saved = await stack.rt.models.Case.findOne({ trackingNo }).lean();
    expect(saved).toMatchObject({
      channel: 'line', category: 'help', description, status: 'received', unitCode: '5001',
      location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500101', address: 'หน้าวัดพระสิงห์ ถนนสามล้าน' },
      complainant: { lineUserId: citizen.userId, name: 'สมหญิง รักถิ่น', phone: '0812345678', anonymous: false },
    });
    expect(saved!.consent?.version).toBeTruthy();
    expect(saved!.attachments).toHaveLength(1);
    expect(saved!.attachments[0].contentType).toBe('image/jpeg'); // shrunk and re-encoded in the page
    caseId = String(saved!._id);
    // The tracking number also reached the chat; the draft is gone.
    await waitForText(stack.sim, citizen.userId, trackingNo);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('rongrian.draft.citizen')))).toEqual([]);
  });

  it('my cases lists it; the detail shows the plain-Thai timeline with Buddhist-era dates and the photo', async () => {
    const page = await phone(citizen, '#/cases');
    await ready(page, 'cases');
    const card = page.locator('.case-card', { hasText: trackingNo });
    await card.waitFor({ timeout: WAIT });
    expect(await card.textContent()).toContain('ขอความช่วยเหลือ');
    await shot(page, '5-cases', false);
    await card.click();
    await ready(page, 'case');
    expect(await page.locator('h1').textContent()).toContain(trackingNo);
    const beYear = String(new Date().getFullYear() + 543);
    await expect.poll(() => page.locator('ol.timeline').textContent()).toContain(beYear);
    await page.locator('.gallery img').waitFor({ timeout: WAIT });
    await shot(page, '6-case');
  });

  it('an officer of the unit sees it, accepts it and closes it with a summary', async () => {
    const page = await phone(officer, '#/officer');
    await ready(page, 'officer');
    const card = page.locator('.case-card', { hasText: trackingNo });
    await card.waitFor({ timeout: WAIT });
    await shot(page, '7-officer-list', false);
    await card.click();
    await ready(page, 'officer-case');
    const who = (await page.locator('section.card', { hasText: 'ผู้ร้อง' }).textContent()) ?? '';
    expect(who).toContain('สมหญิง รักถิ่น'); // personal data for the case's own unit …
    expect(await page.content()).not.toContain(citizen.userId); // … but never the LINE id
    await page.locator('.gallery img').waitFor({ timeout: WAIT }); // the unit's officers see the photo too
    await shot(page, '8-officer-case');

    await page.click('#act-accept');
    await page.locator('#act-accept').waitFor({ state: 'detached', timeout: WAIT });
    await ready(page, 'officer-case');
    await expect.poll(async () => (await stack.rt.models.Case.findById(caseId).lean())?.status, { timeout: WAIT }).toBe('assigned');

    await page.locator('#act-close summary').click();
    await page.getByLabel('สรุปผลการดำเนินการ').fill('เทศบาลนครเชียงใหม่ซ่อมผิวถนนเรียบร้อยแล้ว');
    await page.locator('#act-close button[type=submit]').click();
    await page.locator('.resolution').waitFor({ timeout: WAIT });
    const closed = await stack.rt.models.Case.findById(caseId).lean();
    expect(closed).toMatchObject({ status: 'closed', resolution: { kind: 'resolved', text: 'เทศบาลนครเชียงใหม่ซ่อมผิวถนนเรียบร้อยแล้ว' } });
    await shot(page, '9-officer-closed');
  });

  it('the citizen rates the closed case once; a second answer is refused', async () => {
    const page = await phone(citizen, `#/survey/${caseId}`);
    await ready(page, 'survey');
    // First: has the problem been fixed?
    await page.getByLabel('แก้ไขแล้ว', { exact: true }).check();
    await page.getByLabel(/4 \/ 5/).check();
    await page.getByLabel('ข้อเสนอแนะ').fill('ซ่อมเร็ว ขอบคุณค่ะ');
    await shot(page, '10-survey');
    await page.getByRole('button', { name: 'ส่งแบบประเมิน' }).click();
    await expect.poll(() => page.locator('#survey-state').textContent(), { timeout: WAIT }).toContain('ขอบคุณ');
    await expect.poll(async () => (await stack.rt.models.Case.findById(caseId).lean())?.survey?.score, { timeout: WAIT }).toBe(4);
    expect((await stack.rt.models.Case.findById(caseId).lean())?.survey?.fixed).toBe(true);

    // Opening the survey again shows the answer, not the form …
    await page.reload();
    await ready(page, 'survey');
    expect(await page.locator('#survey-state').textContent()).toContain('ท่านประเมินเรื่องนี้แล้ว');
    expect(await page.locator('input[name=score]').count()).toBe(0);
    await shot(page, '11-survey-answered', false);
    // … and the API refuses a second answer.
    const res = await fetch(`${stack.web.url}/liff/api/cases/${caseId}/survey`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.sim.issueIdToken(citizen.userId)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ score: 1 }),
    });
    expect(res.status).toBe(409);
    expect((await stack.rt.models.Case.findById(caseId).lean())?.survey?.score).toBe(4);
  });

  it('an officer records a hotline case; the page follows the English toggle', async () => {
    const page = await phone(officer, '#/officer/new');
    await ready(page, 'officer-new');
    await page.getByLabel('รับเรื่องทางช่องทาง').selectOption('hotline');
    await page.getByLabel('รายละเอียดเรื่อง').fill('ผู้โทรแจ้งว่ามีการลักลอบทิ้งขยะอุตสาหกรรมริมคลองทุกคืนวันศุกร์');
    // The officer's form offers the same types; the words suggest rubbish first.
    await expect.poll(() => page.locator('.choices.types .choice').first().getAttribute('data-type'), { timeout: WAIT }).toBe('rubbish');
    await page.getByLabel('ขยะ ความสะอาด').check();
    await page.getByLabel('จังหวัด').selectOption('50');
    await page.locator('#f-district option[value="5001"]').waitFor({ state: 'attached', timeout: WAIT });
    await page.getByLabel('อำเภอ / เขต').selectOption('5001');
    await page.getByLabel('ผู้ร้องขอไม่เปิดเผยชื่อ').check();
    await shot(page, '12-officer-new');
    await page.click('#f-review');
    await page.click('#f-submit');
    await ready(page, 'done');
    const no = ((await page.locator('#tracking-no').textContent()) ?? '').trim();
    const rec = await stack.rt.models.Case.findOne({ trackingNo: no }).lean();
    expect(rec).toMatchObject({ channel: 'hotline', problemType: 'rubbish', category: 'help', unitCode: '5001', complainant: { anonymous: true } });
    expect(rec!.complainant?.lineUserId).toBeFalsy();

    // Its detail: no LINE account behind it, so no "ask the complainant"; a progress note, then
    // forwarded (Service Link) to the province centre, after which it is no longer this unit's.
    await page.click('a.btn[href^="#/officer/cases/"]');
    await ready(page, 'officer-case');
    expect(await page.locator('#act-ask').count()).toBe(0);
    await page.locator('#act-note summary').click();
    await page.getByLabel('ข้อความถึงผู้ร้อง').fill('ประสานกองสาธารณสุขและสิ่งแวดล้อมให้ตรวจพื้นที่');
    await page.locator('#note-preview').click();
    await page.locator('#note-send').click();
    await expect.poll(() => page.locator('ol.timeline').textContent(), { timeout: WAIT }).toContain('ประสานกองสาธารณสุข');
    // Forwarded to the province centre, picked by name from the suggestions (no unit code typed).
    await page.locator('#act-forward summary').click();
    await page.getByLabel('ศูนย์ดำรงธรรมจังหวัดเชียงใหม่').check();
    await page.getByLabel('เหตุผลที่ส่งต่อ').fill('เป็นพื้นที่รอยต่อหลายอำเภอ ต้องให้จังหวัดประสาน');
    await page.locator('#fwd-next').click();
    expect(await page.locator('#fwd-confirm-name').textContent()).toBe('ศูนย์ดำรงธรรมจังหวัดเชียงใหม่');
    await page.locator('#fwd-confirm').click();
    await ready(page, 'officer');
    await expect.poll(async () => (await stack.rt.models.Case.findOne({ trackingNo: no }).lean())?.unitCode, { timeout: WAIT }).toBe('50');

    await page.click('#lang-toggle');
    await page.goto(`${stack.web.url}/liff/?user=${officer.userId}#/officer?status=all`);
    await ready(page, 'officer');
    expect(await page.locator('h1').textContent()).toBe('Cases of my unit');
    await shot(page, '13-officer-list-en', false);
  });

  it('adds information with a photo (a HEIC the browser cannot decode goes up as it is), then withdraws the case', async () => {
    const token = stack.sim.issueIdToken(citizen.userId);
    const api = (path: string, body?: unknown) => fetch(`${stack.web.url}/liff/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const meta = await (await api('/meta')).json();
    const made = await api('/cases', {
      category: 'dispute', description: 'เพื่อนบ้านเปิดเพลงเสียงดังหลังเที่ยงคืนทุกคืน ขอให้ช่วยไกล่เกลี่ย',
      location: { provinceCode: '50', districtCode: '5001' }, anonymous: false,
      consent: { version: meta.pdpa.version, accepted: true }, clientRequestId: crypto.randomUUID(),
    });
    expect(made.status).toBe(201);
    const { id } = await made.json();

    const page = await phone(citizen, `#/cases/${id}`);
    await ready(page, 'case');
    await page.locator('details', { hasText: 'เพิ่มข้อมูลหรือรูปภาพ' }).locator('summary').click();
    // An iPhone photo: HEIC by its bytes (ftyp box, brand heic); Chromium cannot decode it.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic'), Buffer.alloc(2048, 7)]);
    await page.setInputFiles('#info-photos', { name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: heic });
    await expect.poll(() => page.locator('#info-photos ~ p[role=status]').textContent(), { timeout: WAIT }).toContain('1 รูป');
    await page.getByLabel('ข้อมูลเพิ่มเติม').fill('เสียงดังตั้งแต่ 23.00 น. ถึงตี 3 มีคลิปเสียงแนบ');
    await page.getByRole('button', { name: 'ส่งข้อมูลเพิ่มเติม' }).click();
    await expect.poll(() => page.locator('ol.timeline').textContent(), { timeout: WAIT }).toContain('เสียงดังตั้งแต่ 23.00 น.');
    const withInfo = await stack.rt.models.Case.findById(id).lean();
    expect(withInfo!.attachments.map((a) => a.contentType)).toEqual(['image/heic']);

    await page.locator('details', { hasText: 'ถอนเรื่อง' }).locator('summary').click();
    await page.getByRole('button', { name: 'ยืนยันถอนเรื่อง' }).click(); // no reason yet: refused in the page
    expect(await page.locator('#withdraw-reason-error').textContent()).toContain('5–500');
    await page.getByLabel('เหตุผลที่ถอนเรื่อง').fill('ตกลงกับเพื่อนบ้านได้แล้ว');
    await page.getByRole('button', { name: 'ยืนยันถอนเรื่อง' }).click();
    await page.locator('.resolution', { hasText: 'ถอนเรื่อง' }).waitFor({ timeout: WAIT });
    expect(await stack.rt.models.Case.findById(id).lean()).toMatchObject({ status: 'closed', resolution: { kind: 'withdrawn', text: 'ตกลงกับเพื่อนบ้านได้แล้ว' } });
    expect(await page.locator('details', { hasText: 'ถอนเรื่อง' }).count()).toBe(0); // nothing more to do on it
    await shot(page, '14-withdrawn');
  });

  it('shows the server\'s validation errors on their fields (a draft naming a photo that is not the person\'s)', async () => {
    const page = await phone(citizen, '#/cases', { latitude: 18.78838, longitude: 98.98532 });
    await ready(page, 'cases');
    // A draft as the form saves it, but with a photo id the server never gave this person.
    await page.evaluate(([key]) => localStorage.setItem(key, JSON.stringify({
      v: 1, category: 'state_project', description: 'สะพานไม้ข้ามคลองผุพัง เด็กนักเรียนใช้ทุกวัน เกรงจะเกิดอุบัติเหตุ',
      provinceCode: '50', districtCode: '5001', address: '', contactName: '', phone: '', anonymous: false,
      photos: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', contentType: 'image/jpeg', size: 1000, name: 'old.jpg' }],
      clientRequestId: crypto.randomUUID(),
    })), [`rongrian.draft.citizen.${citizen.userId}`]);
    await page.goto(`${stack.web.url}/liff/?user=${citizen.userId}#/new`);
    await ready(page, 'new');
    expect(await page.locator('.notice', { hasText: 'กู้คืนร่าง' }).count()).toBe(1);
    await page.locator('#f-consent').check();
    await page.click('#f-review');
    await page.click('#f-submit');
    await ready(page, 'new'); // back on the form, with the server's message on the photos field
    const msg = (await page.locator('#f-photos-error').textContent()) ?? '';
    expect(msg.length).toBeGreaterThan(3);
    expect(msg).toMatch(/[ก-๙]/); // in Thai
    expect(await page.locator('.error-summary').textContent()).toContain(msg);
    await shot(page, '15-server-errors', false);
    // Removing the photo fixes it. The phone's position is added; the area stays the one picked.
    await page.getByRole('button', { name: 'ลบรูปที่ 1' }).click();
    await page.getByRole('button', { name: 'ใช้ตำแหน่งปัจจุบันของฉัน' }).click();
    await expect.poll(() => page.locator('#f-location').textContent(), { timeout: WAIT }).toContain('18.78838, 98.98532');
    expect(await page.locator('#f-location').textContent()).toContain('ระบบไม่สามารถแปลงพิกัดเป็นชื่อตำบล/อำเภอได้');
    await shot(page, '16-location', false);
    await page.click('#f-review');
    await page.click('#f-submit');
    await ready(page, 'done');
    const no = ((await page.locator('#tracking-no').textContent()) ?? '').trim();
    expect((await stack.rt.models.Case.findOne({ trackingNo: no }).lean())?.location).toMatchObject({ provinceCode: '50', districtCode: '5001', lat: 18.78838, lng: 98.98532 });
  });

  it('is usable without a mouse: every control labelled, visible focus, skip link first', async () => {
    const page = await phone(citizen, '#/new');
    await ready(page, 'new');
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const e = el as HTMLInputElement;
        if (e.type === 'hidden') return false;
        const name = (e.labels?.length ? [...e.labels].map((l) => l.textContent).join(' ') : '') || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' ? e.textContent : '');
        return !name?.trim();
      })
      .map((el) => el.outerHTML.slice(0, 80)));
    expect(unlabelled).toEqual([]);
    // A new page puts focus on its heading (screen readers start there); Tab goes on to the form,
    // whose first question is what happened.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    // From the top of the document, the skip link comes first.
    expect(await page.evaluate(() => document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')?.className)).toBe('skip');
    // Every tab stop of the form, in reading order, shows a focus ring (the file input's is on its label button).
    const stops: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const ringOn = el.classList.contains('file-input') ? (el.nextElementSibling as HTMLElement) : el;
        const st = getComputedStyle(ringOn);
        return { id: el.id || el.tagName, ring: st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2 };
      });
      if (focus.id === 'BODY') break;
      stops.push(focus.id);
      expect(focus.ring, `focus ring on ${focus.id}`).toBe(true);
    }
    // After the description (focused above): one stop for the whole group of problem-type radios.
    expect(stops).toEqual([expect.stringMatching(/^type-/), 'f-province', 'f-address', expect.any(String), 'f-photos', 'f-anonymous', 'f-name', 'f-phone', 'f-pdpa-text', 'f-consent', 'f-review']);
  });

  it('a case of another person is "not found", and the page never threw', async () => {
    const other = await stack.citizen('คนอื่น');
    const page = await phone(other, `#/cases/${caseId}`);
    await page.locator('h1', { hasText: 'ไม่พบหน้านี้' }).waitFor({ timeout: WAIT });
    expect(await page.content()).not.toContain(description);
    // (The browser logs the 4xx answers the tests provoke on purpose; nothing else may appear.)
    expect(web.errors.filter((e) => !/^Failed to load resource: the server responded with a status of (400|404)\b/.test(e))).toEqual([]);
  });
});
