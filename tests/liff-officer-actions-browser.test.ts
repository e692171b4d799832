/**
 * The officer's writing panels in real Chromium against the real app, worker, Redis and FerretDB,
 * signed in through the LINE simulator: an internal note that the complainant never hears of; an
 * update started from a template, edited, previewed and sent (the complainant's LINE chat gets the
 * very text of the preview); a close template; the forward picker (search by name, confirm with the
 * full name). Screenshots: artifacts/screenshots/liff-actions-*.png.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { drained, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

const WAIT = 20_000;

let stack: Stack;
let web: Browsing;
let officer: SimUser;

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack(),
    openBrowser({ base: () => stack.web.url, prefix: 'liff-actions', wait: WAIT }),
  ]);
  await stack.rt.models.Unit.updateOne({ _id: 'DRR' }, { $set: { nameTh: 'กรมทางหลวงชนบท', nameEn: 'Department of Rural Roads', level: 'partner', parentCode: null } }, { upsert: true });
  officer = await stack.officer('5015', 'officer', 'จนท. หางดง');
});

afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const phone = (user: SimUser, route: string) => web.liff(user, route);

const ready = (page: Page, name: string) => web.ready(page, name);
const shot = (page: Page, name: string, locator?: string) => web.shot(locator ? page.locator(locator) : page, name, false);

/** A complaint filed by `citizen` through the API (the form itself has its own browser test). */
async function fileCase(citizen: SimUser): Promise<{ id: string; trackingNo: string }> {
  const res = await fetch(`${stack.web.url}/liff/api/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.sim.issueIdToken(citizen.userId)}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      category: 'help', description: 'ถนนเข้าหมู่บ้านเป็นหลุมลึกหลายจุด รถจักรยานยนต์ล้มบ่อย ขอให้ช่วยประสานซ่อม',
      location: { provinceCode: '50', districtCode: '5015' }, anonymous: false,
      consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    }),
  });
  expect(res.status).toBe(201);
  return res.json() as Promise<{ id: string; trackingNo: string }>;
}

describe('officer writing panels in Chromium', () => {
  it('internal note stays inside; an update is picked from a template, edited, previewed and sent as previewed', async () => {
    const citizen = await stack.citizen('สมหญิง ถนนพัง');
    const { id, trackingNo } = await fileCase(citizen);
    await waitForText(stack.sim, citizen.userId, trackingNo);
    await drained(stack);
    const before = textsOf(stack.sim, citizen.userId).length;

    const page = await phone(officer, `#/officer/cases/${id}`);
    await ready(page, 'officer-case');

    // Internal note: saved on the timeline for officers, nothing reaches the complainant.
    await page.locator('#act-internal summary').click();
    expect(await page.locator('#act-internal').textContent()).toContain('ผู้ร้องและหน่วยงานภาคีไม่เห็น');
    await page.getByLabel('บันทึกสำหรับเจ้าหน้าที่').fill('โทรคุยกับนายช่าง อบต. แล้ว รอใบเสนอราคา อย่าเพิ่งแจ้งกำหนดวันแก่ผู้ร้อง');
    await page.locator('#act-internal button[type=submit]').click();
    await expect.poll(() => page.locator('ol.timeline').textContent(), { timeout: WAIT }).toContain('รอใบเสนอราคา');
    expect(await page.locator('ol.timeline').textContent()).toContain('บันทึกภายใน (เฉพาะเจ้าหน้าที่)');
    await drained(stack);
    expect(textsOf(stack.sim, citizen.userId)).toHaveLength(before);

    // Update: template → edit → preview → send.
    await page.locator('#act-note summary').click();
    const select = page.locator('#note-template');
    await expect.poll(() => select.isDisabled(), { timeout: WAIT }).toBe(false);
    await select.selectOption({ label: 'ลงพื้นที่ตรวจสอบ' });
    const box = page.getByLabel('ข้อความถึงผู้ร้อง');
    expect(await box.inputValue()).toContain('เจ้าหน้าที่ได้ลงพื้นที่ตรวจสอบ');
    await box.fill(`${await box.inputValue()} คาดว่าจะเข้าซ่อมภายในวันที่ 15 ธันวาคมนี้`);
    await page.locator('#note-preview').click();
    const preview = page.locator('#note-preview-text');
    await preview.waitFor({ timeout: WAIT });
    const shown = (await preview.textContent()) ?? '';
    expect(shown).toContain(`เรื่องเลขที่ ${trackingNo}`);
    expect(shown).toContain('ภายในวันที่ 15 ธันวาคมนี้');
    expect(await page.locator('#note-preview-box h3').textContent()).toContain('ข้อความที่ผู้ร้องจะได้รับทาง LINE');
    await page.locator('#act-note').scrollIntoViewIfNeeded();
    await shot(page, '01-update-preview', '#act-note');

    // Editing after the preview hides it: only a previewed text can be sent.
    await box.press('End');
    await box.type(' ค่ะ');
    expect(await page.locator('#note-preview-box').isHidden()).toBe(true);
    await page.locator('#note-preview').click();
    await expect.poll(() => preview.textContent(), { timeout: WAIT }).toContain('15 ธันวาคมนี้ ค่ะ');
    const final = (await preview.textContent()) ?? '';
    await page.locator('#note-send').click();
    const got = await waitForText(stack.sim, citizen.userId, 'ธันวาคมนี้ ค่ะ');
    expect(got).toBe(final);
    // The page is drawn again with the update on its timeline.
    await expect.poll(() => page.locator('ol.timeline').textContent(), { timeout: WAIT }).toContain('ธันวาคมนี้ ค่ะ');
    // The complainant's chat never carried the internal note.
    expect(textsOf(stack.sim, citizen.userId).join('\n')).not.toContain('ใบเสนอราคา');

    // Close: a template fills the result box, for editing (not sent here).
    await page.locator('#act-close summary').click();
    const closeTpl = page.locator('#close-template');
    await expect.poll(() => closeTpl.isDisabled(), { timeout: WAIT }).toBe(false);
    await closeTpl.selectOption({ label: 'แก้ไขเรียบร้อย' });
    expect(await page.locator('#close-summary').inputValue()).toContain('ศูนย์ดำรงธรรมอำเภอหางดง จึงขอยุติเรื่อง');
    await shot(page, '02-close-template', '#act-close');
    expect(web.errors).toEqual([]);
  });

  it('forwards by picking a unit found by name, confirmed with its full name', async () => {
    const citizen = await stack.citizen('สมชาย ทางหลวง');
    const { id } = await fileCase(citizen);
    const page = await phone(officer, `#/officer/cases/${id}`);
    await ready(page, 'officer-case');
    await page.locator('#act-forward summary').click();
    // Suggestions first: the province centre of the case's area and the partner agencies; never this unit.
    const units = page.locator('#fwd-units');
    await expect.poll(() => units.textContent(), { timeout: WAIT }).toContain('ศูนย์ดำรงธรรมจังหวัดเชียงใหม่');
    expect(await units.textContent()).toContain('กรมทางหลวงชนบท');
    expect(await units.textContent()).not.toContain('ศูนย์ดำรงธรรมอำเภอหางดง');
    expect(await page.locator('#act-forward input[type=text]').count()).toBe(0); // no code box
    await shot(page, '03-forward-suggestions', '#act-forward');

    // Search by an English name finds the district centre with its full name and area.
    await page.getByLabel('ค้นหาหน่วยงานปลายทาง').fill('samoeng');
    await expect.poll(() => units.textContent(), { timeout: WAIT }).toContain('ศูนย์ดำรงธรรมอำเภอสะเมิง');
    expect(await page.locator('#act-forward legend').textContent()).toBe('ผลการค้นหา');
    // Nothing picked yet: the page says so.
    await page.getByLabel('เหตุผลที่ส่งต่อ').fill('ถนนสายนี้อยู่ในความรับผิดชอบของกรมทางหลวงชนบท');
    await page.locator('#fwd-next').click();
    expect(await page.locator('#fwd-unit-error').textContent()).toContain('โปรดเลือกหน่วยงานปลายทาง');

    await page.getByLabel('ค้นหาหน่วยงานปลายทาง').fill('ทางหลวง');
    await expect.poll(() => units.textContent(), { timeout: WAIT }).toContain('กรมทางหลวงชนบท');
    await page.getByLabel('กรมทางหลวงชนบท').check();
    await page.locator('#fwd-next').click();
    expect(await page.locator('#fwd-confirm-name').textContent()).toBe('กรมทางหลวงชนบท');
    expect(await page.locator('#fwd-confirm-box').textContent()).toContain('Department of Rural Roads');
    await shot(page, '04-forward-confirm', '#act-forward');
    await page.locator('#fwd-confirm').click();
    await ready(page, 'officer');
    await expect.poll(async () => (await stack.rt.models.Case.findById(id).lean())?.unitCode, { timeout: WAIT }).toBe('DRR');
    await waitForText(stack.sim, citizen.userId, 'ส่งต่อไปยังกรมทางหลวงชนบท');
    expect(web.errors).toEqual([]);
  });
});
