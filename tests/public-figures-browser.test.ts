/**
 * The public figures in real Chromium on a phone (390×844) against the real app, worker, Redis and
 * FerretDB: the officer ticks "เผยแพร่ผลการแก้ไขต่อสาธารณะ" in the close panel with an after photo
 * and edits the public summary; the public page then shows the province, the agency and the result
 * with its photo, fits the phone's width, switches to English, and loses the result when the officer
 * withdraws it. Screenshots: artifacts/screenshots/public-figures-*.png.
 */
import { randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { drained, startStack, type Stack } from './helpers/stack.ts';

const WAIT = 20_000;
let stack: Stack;
let web: Browsing;
let officer: SimUser;

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack({ env: { PUBLIC_FIGURES: 'true' }, liffRateLimits: { write: { name: 'write', max: 100_000, windowSec: 60 } } }),
    openBrowser({ base: () => stack.web.url, prefix: 'public-figures', wait: WAIT }),
  ]);
  officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
  await stack.rt.models.Unit.create({ _id: 'PEA5001', nameTh: 'การไฟฟ้าส่วนภูมิภาค อ.เมืองเชียงใหม่ (ตัวอย่าง)', nameEn: 'PEA Mueang Chiang Mai (example)', level: 'partner', parentCode: '5001' });
});
afterAll(async () => {
  await web?.close();
  await stack?.close();
});

/** A gradient "after" photo, so the screenshot shows a picture where the result is. */
function makePng(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const o = y * (w * 3 + 1) + 1 + x * 3;
    raw[o] = 90; raw[o + 1] = Math.round(120 + (y * 100) / h); raw[o + 2] = Math.round((x * 255) / w);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function api(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method: 'POST', headers: { authorization: `Bearer ${stack.sim.issueIdToken(officer.userId)}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}

const recordCase = (description: string) => api('/officer/cases', {
  channel: 'hotline', category: 'state_project', description, location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107' },
  contact: { name: 'นายสมปอง ไม่เปิดเผย', phone: '0899999999' }, anonymous: false, consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
}) as Promise<{ id: string; trackingNo: string }>;

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('public figures in Chromium', () => {
  it('an officer publishes a result with its after photo; the public page shows it on a phone, in Thai and English; withdrawn, it is gone', async () => {
    // Enough cases for the province's figures to show (five or more), one forwarded to the agency.
    for (let i = 0; i < 6; i++) {
      const c = await recordCase(`ไฟฟ้าส่องสว่างดับหลายต้นในซอย ${i} ถนนมืดมาก`);
      if (i < 5) await api(`/officer/cases/${c.id}/close`, { summary: 'เปลี่ยนหลอดไฟเรียบร้อยแล้ว' });
      else await api(`/officer/cases/${c.id}/forward`, { unitCode: 'PEA5001', reason: 'เสาไฟฟ้าเป็นของการไฟฟ้า' });
    }
    const { id, trackingNo } = await recordCase('ถนนหน้าโรงเรียนเป็นหลุมลึก น้ำขังทุกครั้งที่ฝนตก');

    const page = await web.liff(officer, `#/officer/cases/${id}`);
    await web.ready(page, 'officer-case');
    await page.locator('#act-close summary').click();
    await page.locator('#close-summary').fill('ปรับผิวถนนหน้าโรงเรียนใหม่ 40 เมตร และทำทางระบายน้ำ สอบถามเพิ่มเติม 081-234-5678');
    await page.setInputFiles('#close-photos', { name: 'after.png', mimeType: 'image/png', buffer: makePng(800, 600) });
    await expect.poll(() => page.locator('#close-photos-status').textContent(), { timeout: WAIT }).toBe('1 รูป');
    // Off by default; ticked, the public summary appears, starting from the result text.
    const tick = page.locator('#close-publish');
    expect(await tick.isChecked()).toBe(false);
    expect(await page.locator('#close-public-summary').isHidden()).toBe(true);
    await page.getByLabel('เผยแพร่ผลการแก้ไขต่อสาธารณะ (รูปหลังแก้ไขและสรุปผล)').check();
    const publicBox = page.locator('#close-public-summary');
    await publicBox.waitFor({ state: 'visible' });
    expect(await publicBox.inputValue()).toContain('ปรับผิวถนนหน้าโรงเรียนใหม่ 40 เมตร');
    await publicBox.fill('ปรับผิวถนนหน้าโรงเรียนใหม่ 40 เมตร และทำทางระบายน้ำ โทร 081-234-5678');
    await page.locator('#act-close').scrollIntoViewIfNeeded();
    await web.shot(page.locator('#act-close'), '01-close-publish-checkbox');
    await page.locator('#act-close button[type=submit]').click();

    // The closed case shows what is public, redacted, with the way to withdraw it.
    const card = page.locator('#public-result');
    await card.waitFor({ timeout: WAIT });
    await expect.poll(() => page.locator('#public-summary').textContent(), { timeout: WAIT }).toContain('[เบอร์โทร]');
    await card.scrollIntoViewIfNeeded();
    await web.shot(card, '02-officer-published-card');
    await drained(stack);

    // The public page, as anyone opens it on a phone: no sign-in.
    const pub = await web.page();
    await pub.goto(`${stack.web.url}/figures`);
    expect(await pub.locator('h1').textContent()).toBe('สถิติการแก้ไขเรื่องร้องเรียน');
    expect(await pub.locator('[data-unit="50"] [data-k="received"]').textContent()).toBe('7');
    expect(await pub.locator('[data-unit="50"] [data-k="closed"]').textContent()).toBe('6');
    expect(await pub.locator('[data-unit="PEA5001"] [data-k="received"]').textContent()).toBe('< 5');
    const result = pub.locator('article.result');
    expect(await result.count()).toBe(1);
    expect(await result.textContent()).toContain('ปรับผิวถนนหน้าโรงเรียนใหม่ 40 เมตร');
    expect(await result.textContent()).toContain('[เบอร์โทร]');
    expect(await result.textContent()).toContain('ต.ช้างเผือก');
    const img = result.locator('img');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: WAIT }).toBeGreaterThan(0);
    const text = (await pub.locator('body').textContent()) ?? '';
    for (const leak of [trackingNo, 'นายสมปอง', '0899999999', '081-234-5678', 'ถนนหน้าโรงเรียนเป็นหลุมลึก', 'จนท. เมืองเชียงใหม่']) expect(text).not.toContain(leak);
    expect(await noHorizontalScroll(pub)).toBe(true);
    await web.shot(pub, '03-page-th');
    await result.scrollIntoViewIfNeeded();
    await web.shot(result, '04-result-card');

    // English, and a month from the picker.
    await pub.getByRole('link', { name: 'English' }).click();
    await pub.waitForURL(/lang=en/);
    expect(await pub.locator('h1').textContent()).toBe('Complaint figures');
    expect(await noHorizontalScroll(pub)).toBe(true);
    await web.shot(pub, '05-page-en');
    const month = await pub.locator('#period option').nth(1).getAttribute('value');
    await pub.locator('#period').selectOption(month!);
    await pub.getByRole('button', { name: 'Show' }).click();
    await pub.waitForURL(new RegExp(`period=${month}`));
    expect(await pub.locator('h1').textContent()).toBe('Complaint figures');

    // Withdrawn from the case page: off the public page at once.
    await page.locator('#public-withdraw').click();
    await expect.poll(() => page.locator('#public-result').textContent(), { timeout: WAIT }).toContain('ยังไม่ได้เผยแพร่ผลของเรื่องนี้');
    // A new visitor (a browser that kept the page may show it until its max-age runs out; the photo is 404 at once).
    const later = await web.page();
    await later.goto(`${stack.web.url}/figures`);
    expect(await later.locator('article.result').count()).toBe(0);
    expect(await later.locator('#results + p').textContent()).toContain('ยังไม่มีผลการแก้ไขที่เจ้าหน้าที่อนุมัติ');
    expect(web.errors, web.errors.join('\n')).toEqual([]);
  });
});
