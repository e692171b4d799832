/**
 * The LIFF "ข้อมูลของฉัน" page in real Chromium against the real stack: the citizen sees their case
 * with the phone and address they gave, downloads it, and deletes it after the confirmation.
 * Screenshots: artifacts/screenshots/liff-mydata-*.png.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { drained, startStack, type Stack } from './helpers/stack.ts';

const PNG = readFileSync(new URL('./fixtures/photo-8x8.png', import.meta.url));
const WAIT = 20_000;

let stack: Stack;
let web: Browsing;
beforeAll(async () => {
  [stack, web] = await Promise.all([startStack(), openBrowser({ base: () => stack.web.url, prefix: 'liff-mydata', wait: WAIT })]);
});
afterAll(async () => {
  await web?.close();
  await stack?.close();
});

async function api(user: SimUser, method: string, path: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method, headers: { authorization: `Bearer ${stack.sim.issueIdToken(user.userId)}`, 'content-type': contentType },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });
  return res.json() as Promise<any>;
}

describe('LIFF ข้อมูลของฉัน', () => {
  it('shows my case with what it holds about me, downloads it, and deletes it after I confirm', async () => {
    const me = await stack.citizen('สมหญิง รักษ์ถนน');
    const up = await api(me, 'POST', '/uploads', PNG, 'image/png');
    const { id, trackingNo } = await api(me, 'POST', '/cases', {
      category: 'state_project', description: 'ถนนหน้าบ้านเป็นหลุมลึก รถล้มทุกวัน ขอให้ช่วยซ่อม',
      location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107', address: '12/3 หน้าโรงเรียน' },
      anonymous: false, contact: { name: 'สมหญิง รักษ์ถนน', phone: '0812345678' }, photoIds: [up.id],
      consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    });
    await drained(stack);

    const page = await web.liff(me, '#/me/data');
    await web.ready(page, 'mydata');
    const main = page.locator('main');
    await expect.poll(() => main.innerText()).toContain(trackingNo);
    const text = await main.innerText();
    expect(text).toContain('ข้อมูลของฉัน');
    expect(text).toContain('0812345678');
    expect(text).toContain('12/3 หน้าโรงเรียน');
    expect(text).toContain(PDPA_NOTICE_VERSION);
    await web.shot(page, 'page');

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ดาวน์โหลด (JSON)' }).click()]);
    const saved = JSON.parse(readFileSync(await file.path(), 'utf8'));
    expect(saved.cases[0]).toMatchObject({ trackingNo, phone: '0812345678' });
    const [html] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ดาวน์โหลดเป็นหน้าเว็บ' }).click()]);
    const page2 = readFileSync(await html.path(), 'utf8');
    expect(page2).toContain(trackingNo);
    expect(page2).toContain('0812345678');

    await page.locator('#erase summary').click();
    const erase = page.locator('#erase');
    await expect.poll(() => erase.innerText()).toContain('หน่วยงานจะติดต่อท่านไม่ได้อีก');
    await web.shot(page, 'erase');
    // Not without the tick.
    await page.getByRole('button', { name: 'ลบข้อมูลของฉัน' }).click();
    await expect.poll(() => erase.innerText()).toContain('กรุณาติ๊กยืนยันก่อน');
    expect((await stack.rt.models.Case.findById(id).lean())!.complainant?.phone).toBe('0812345678');

    await page.getByLabel('ข้าพเจ้าเข้าใจและต้องการลบข้อมูล').check();
    await page.getByRole('button', { name: 'ลบข้อมูลของฉัน' }).click();
    await expect.poll(() => main.innerText(), { timeout: WAIT }).toContain('ลบข้อมูลส่วนบุคคลของท่านแล้ว (1 เรื่อง)');
    await web.ready(page, 'mydata');
    expect(await main.innerText()).not.toContain('0812345678');
    await web.shot(page, 'erased');
    const c = await stack.rt.models.Case.findById(id).lean();
    expect(c).toMatchObject({ trackingNo });
    expect(c!.complainant?.phone).toBeUndefined();
    expect(web.errors).toEqual([]);
  });

  it('a chat draft and a case filed by type show the type\'s icon and name, not the category', async () => {
    const me = await stack.citizen('ประเภท ทดสอบ');
    const { trackingNo } = await api(me, 'POST', '/cases', {
      problemType: 'street_light', description: 'ไฟถนนหน้าบ้านดับมาสามวันแล้วค่ะ',
      location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107', address: 'ปากซอย 4' },
      anonymous: true, photoIds: [], consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    });
    await drained(stack);
    // Half-way through a second complaint in the chat: the type is chosen, the description typed.
    await stack.rt.models.Conversation.replaceOne({ _id: me.userId }, {
      _id: me.userId, state: 'askingLocation', lang: 'th', displayName: 'ประเภท ทดสอบ',
      draft: { problemType: 'stray_animals', category: 'help', description: 'หมาจรไล่กัดเด็กหน้าโรงเรียน' },
    }, { upsert: true });

    const page = await web.liff(me, '#/me/data');
    await web.ready(page, 'mydata');
    const main = page.locator('main');
    await expect.poll(() => main.innerText()).toContain(trackingNo);
    const text = await main.innerText();
    expect(text).toContain('🐕 สัตว์จรจัด สัตว์มีพิษ');
    expect(text).toContain('💡 ไฟถนนดับ');
    expect(text).not.toContain('ขอความช่วยเหลือ');
    await web.shot(page, 'types');
    expect(web.errors).toEqual([]);
  });
});
