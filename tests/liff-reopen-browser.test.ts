/**
 * Verified closure and reopen in real Chromium against the real app, worker and simulator: the
 * officer's close form with an "after" photo, the citizen's case page showing it, and the survey page
 * asking "has the problem been fixed?" first, then offering the reopen. Needs the built LIFF app
 * (`npm run build:liff`). Screenshots: artifacts/screenshots/liff-reopen-*.png.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { startStack, waitForText, type Stack } from './helpers/stack.ts';

const WAIT = 20_000;
const PNG = readFileSync(new URL('./fixtures/photo-8x8.png', import.meta.url));

let stack: Stack;
let web: Browsing;

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack(),
    openBrowser({ base: () => stack.web.url, prefix: 'liff-reopen', wait: WAIT }),
  ]);
});
afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const phone = (user: SimUser, route: string) => web.liff(user, route, { consoleErrors: 'none' });
const ready = (page: Page, name: string) => web.ready(page, name);
const shot = (page: Page, name: string) => web.shot(page, name);

async function api(user: SimUser, path: string, body: unknown) {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method: 'POST', headers: { authorization: `Bearer ${stack.sim.issueIdToken(user.userId)}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json() as Promise<any>;
}

describe('closure with after photos and the citizen\'s yes / not-yet survey, in Chromium', () => {
  it('officer closes with a photo; the citizen sees it, answers "not yet" and reopens in their words', async () => {
    const citizen = await stack.citizen('สมศรี ไฟดับ');
    const officer = await stack.officer('5001', 'officer', 'จนท. สมปอง');
    const filed = await api(citizen, '/cases', {
      category: 'help', description: 'ไฟฟ้าส่องสว่างหน้าโรงเรียนบ้านช้างเผือกดับทั้งแนว กลางคืนมืดมากค่ะ',
      location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107' }, anonymous: false,
      consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    });
    await api(officer, `/officer/cases/${filed.id}/accept`, {});

    // The officer's close form: the result, and an after photo uploaded for this case.
    const op = await phone(officer, `#/officer/cases/${filed.id}`);
    await ready(op, 'officer-case');
    await op.locator('#act-close summary').click();
    await op.locator('#close-summary').fill('เปลี่ยนหลอดไฟหน้าโรงเรียน 8 ดวงเรียบร้อยแล้ว');
    await op.setInputFiles('#close-photos', { name: 'after.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => op.locator('#close-photos-status').textContent(), { timeout: WAIT }).toBe('1 รูป');
    await shot(op, '1-close-form');
    await op.locator('#act-close button[type=submit]').click();
    await op.locator('.badge.st-closed').waitFor({ timeout: WAIT });
    const closed = (await stack.rt.models.Case.findById(filed.id).lean())!;
    expect(closed.status).toBe('closed');
    expect(closed.attachments.map((a) => a.kind)).toEqual(['after']);
    await waitForText(stack.sim, citizen.userId, 'ภาพผลการดำเนินการ 1 ภาพ');

    // The citizen's case page: the result and its photo.
    const cp = await phone(citizen, `#/cases/${filed.id}`);
    await ready(cp, 'case');
    await cp.locator('#result-photos img').waitFor({ timeout: WAIT });
    expect(await cp.locator('#result-photos h2').textContent()).toBe('ภาพผลการดำเนินการ');
    expect(await cp.locator('.resolution').textContent()).toContain('เปลี่ยนหลอดไฟหน้าโรงเรียน 8 ดวงเรียบร้อยแล้ว');
    await shot(cp, '2-case-result-photo');

    // The survey, opened from the chat's "ยังไม่ได้แก้ไข" quick reply: the first question is answered already.
    const sp = await phone(citizen, `#/survey/${filed.id}?fixed=no`);
    await ready(sp, 'survey');
    expect(await sp.locator('fieldset.fixed legend').textContent()).toBe('ปัญหาได้รับการแก้ไขแล้วหรือยัง');
    expect(await sp.getByLabel('ยังไม่ได้แก้ไข').isChecked()).toBe(true);
    expect(await sp.getByLabel('แก้ไขแล้ว', { exact: true }).isChecked()).toBe(false);
    // Stars are still asked.
    await sp.locator('button[type=submit]').click();
    await expect.poll(() => sp.locator('#score-error').textContent()).toBe('โปรดเลือกระดับความพึงพอใจ');
    await sp.locator('label[for=score-2]').click();
    await sp.locator('#survey-comment').fill('หลอดไฟที่เปลี่ยนดับอีกแล้วสองดวง');
    await shot(sp, '3-survey-not-yet');
    await sp.locator('button[type=submit]').click();
    await sp.locator('#reopen').waitFor({ timeout: WAIT });
    expect(await sp.locator('#survey-state').textContent()).toContain('ขอบคุณที่ประเมิน');
    // The reopen offer, prefilled with their comment; they confirm in their own words.
    expect(await sp.locator('#reopen-reason').inputValue()).toBe('หลอดไฟที่เปลี่ยนดับอีกแล้วสองดวง');
    await sp.locator('#reopen-reason').fill('หลอดไฟที่เปลี่ยนดับอีกแล้วสองดวง หน้าประตูโรงเรียน');
    await shot(sp, '4-reopen-offer');
    await sp.locator('#reopen button[type=submit]').click();
    await ready(sp, 'reopened');
    expect(await sp.locator('#reopen-state').textContent()).toContain('เปิดเรื่องใหม่แล้ว');
    await shot(sp, '5-reopened');

    const reopened = (await stack.rt.models.Case.findById(filed.id).lean())!;
    expect(reopened.status).toBe('in_progress');
    expect(reopened.timeline.at(-1)).toMatchObject({ action: 'reopened', note: 'หลอดไฟที่เปลี่ยนดับอีกแล้วสองดวง หน้าประตูโรงเรียน' });
    expect(reopened.survey).toMatchObject({ score: 2, fixed: false });
    await waitForText(stack.sim, officer.userId, 'เหตุผลของผู้ร้อง: หลอดไฟที่เปลี่ยนดับอีกแล้วสองดวง หน้าประตูโรงเรียน');

    // The case page now says it was reopened and offers neither survey nor another reopen.
    const again = await phone(citizen, `#/cases/${filed.id}`);
    await ready(again, 'case');
    expect(await again.locator('#reopened-note').textContent()).toBe('ผู้ร้องขอเปิดเรื่องใหม่แล้ว 1 ครั้ง');
    expect(await again.locator('a[href^="#/survey/"]').count()).toBe(0);

    // The unit head's dashboard counts the reopen for the unit.
    const head = await stack.officer('5001', 'head', 'หัวหน้า อำเภอเมือง');
    const dash = await web.page({ viewport: { width: 1200, height: 900 }, consoleErrors: 'none' });
    await dash.goto(`${stack.web.url}/dashboard/`);
    await dash.waitForURL(/\/oauth2\/v2\.1\/authorize/, { timeout: WAIT });
    await dash.locator('button.user', { hasText: head.displayName }).click();
    await dash.waitForURL((u) => u.pathname.startsWith('/dashboard') && !u.pathname.includes('/auth/'), { timeout: WAIT });
    const row = dash.locator('#reopens tr[data-unit="5001"]');
    await row.waitFor({ timeout: WAIT });
    expect((await row.locator('td').allInnerTexts()).slice(1)).toEqual(['1', '1', '100.00%']);
    await web.shot(dash.locator('#reopens'), '7-dashboard');
    expect(web.errors).toEqual([]);
  }, 120_000);

  it('answering "fixed" with good stars thanks the citizen and offers no reopen', async () => {
    const citizen = await stack.citizen('สมใจ พอใจ');
    const officer = await stack.officer('5001', 'officer', 'จนท. สมหมาย');
    const filed = await api(citizen, '/cases', {
      category: 'help', description: 'ท่อระบายน้ำหน้าบ้านอุดตัน น้ำท่วมขังทุกครั้งที่ฝนตกหนัก',
      location: { provinceCode: '50', districtCode: '5001' }, anonymous: false,
      consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    });
    await api(officer, `/officer/cases/${filed.id}/close`, { summary: 'ลอกท่อระบายน้ำเรียบร้อยแล้ว' });
    const sp = await phone(citizen, `#/survey/${filed.id}`);
    await ready(sp, 'survey');
    await sp.locator('label[for=score-5]').click();
    await sp.locator('button[type=submit]').click();
    // Nothing picked for the first question: it is asked for, in Thai.
    await expect.poll(() => sp.locator('#fixed-error').textContent()).toBe('กรุณาตอบว่าปัญหาได้รับการแก้ไขแล้วหรือยัง');
    await sp.getByLabel('แก้ไขแล้ว', { exact: true }).check();
    await sp.locator('button[type=submit]').click();
    await sp.locator('#survey-state.ok').waitFor({ timeout: WAIT });
    expect(await sp.locator('#reopen').count()).toBe(0);
    await shot(sp, '6-survey-fixed');
    expect((await stack.rt.models.Case.findById(filed.id).lean())!.survey).toMatchObject({ score: 5, fixed: true });
    expect(web.errors).toEqual([]);
  }, 60_000);
});
