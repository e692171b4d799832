import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';

// Problem types in the LIFF form, in real Chromium against the real web process: the citizen tells
// what happened first, the types the words point to come first with the word that gave them away,
// and the case shows the type (icon and name) to the citizen and to the officer of the unit.
// Needs the built app (`npm run build:liff`).

const WAIT = 20_000;

let stack: Stack;
let web: Browsing;
let citizen: SimUser;
let english: SimUser;
let officer: SimUser;

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack(),
    openBrowser({ base: () => stack.web.url, prefix: 'problem-types', wait: WAIT }),
  ]);
  citizen = await stack.citizen('สมศรี ริมทาง');
  english = await stack.citizen('Jane Walker', 'en');
  officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
});

afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const phone = (user: SimUser, route: string) => web.liff(user, route);
const ready = (page: Page, name: string) => web.ready(page, name);
const shot = (page: Page, name: string, fullPage = true) => web.shot(page, name, fullPage);
const firstTile = (page: Page) => page.locator('.choices.types .choice').first();

describe('problem types in the LIFF form', () => {
  let caseId = '';

  it('a citizen describes a street light out: ไฟถนนดับ comes first with the reason, is filed, and the case shows 💡 ไฟถนนดับ', async () => {
    const page = await phone(citizen, '#/new');
    await ready(page, 'new');
    // Before any words: the most common types first, no suggestion.
    expect(await firstTile(page).getAttribute('data-type')).toBe('road');
    expect(await page.locator('#f-type-suggest').isHidden()).toBe(true);
    expect(await page.locator('.choices.types .choice').count()).toBe(20);

    await page.getByLabel('รายละเอียดเรื่อง').fill('ไฟถนนหน้าบ้านดับมา3วันแล้วค่ะ');
    await expect.poll(() => page.locator('#f-type-suggest').textContent(), { timeout: WAIT }).toContain('พบคำว่า “ไฟถนน”');
    expect(await page.locator('#f-type-suggest').textContent()).toContain('💡 ไฟถนนดับ');
    expect(await firstTile(page).getAttribute('data-type')).toBe('street_light');
    expect(await firstTile(page).locator('.choice-why').textContent()).toBe('พบคำว่า “ไฟถนน”');
    await page.locator('#f-category').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, '1-suggested', false);

    await firstTile(page).locator('label').click();
    await page.getByLabel('จังหวัด').selectOption({ label: 'เชียงใหม่' });
    await page.locator('#f-district option[value="5001"]').waitFor({ state: 'attached', timeout: WAIT });
    await page.getByLabel('อำเภอ / เขต').selectOption('5001');
    await page.locator('#f-consent').check();
    await page.click('#f-review');
    await page.locator('#f-submit').waitFor({ timeout: WAIT });
    expect(await page.locator('dl.review').textContent()).toContain('💡 ไฟถนนดับ');
    await shot(page, '2-review');
    await page.click('#f-submit');
    await ready(page, 'done');
    const trackingNo = ((await page.locator('#tracking-no').textContent()) ?? '').trim();

    // The type is recorded, and the category the tables count comes from it (help: province row 1, district row 4).
    const saved = await stack.rt.models.Case.findOne({ trackingNo }).lean();
    expect(saved).toMatchObject({ problemType: 'street_light', category: 'help', report: { provinceRow: 1, districtRow: 4 } });
    caseId = String(saved!._id);

    await page.goto(`${stack.web.url}/liff/?user=${citizen.userId}#/cases`);
    await ready(page, 'cases');
    const card = page.locator('.case-card', { hasText: trackingNo });
    await card.waitFor({ timeout: WAIT });
    expect(await card.textContent()).toContain('💡 ไฟถนนดับ');
    await card.click();
    await ready(page, 'case');
    expect(await page.locator('main').textContent()).toContain('💡 ไฟถนนดับ');
    await shot(page, '3-case');
  });

  it('the officer of the unit sees the type on the case page', async () => {
    const page = await phone(officer, `#/officer/cases/${caseId}`);
    await ready(page, 'officer-case');
    expect(await page.locator('main').textContent()).toContain('💡 ไฟถนนดับ');
    await shot(page, '4-officer-case');
  });

  it('in English: English types and the English reason', async () => {
    const page = await phone(english, '#/new');
    await ready(page, 'new');
    await page.getByLabel('Details', { exact: true }).fill('Big pothole in front of the temple, motorbikes keep falling');
    await expect.poll(() => page.locator('#f-type-suggest').textContent(), { timeout: WAIT }).toContain('Found “pothole”');
    expect(await firstTile(page).textContent()).toContain('Road, footpath or bridge damaged');
    await page.locator('#f-category').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, '5-english', false);
  });

  it('a type the server does not know is refused on its field, in Thai', async () => {
    const page = await phone(citizen, '#/new');
    await ready(page, 'new');
    await page.evaluate(([key]) => localStorage.setItem(key, JSON.stringify({
      v: 1, problemType: 'lighting', description: 'ไฟฟ้าดับทั้งหมู่บ้านตั้งแต่เมื่อคืน ไม่มีใครมาซ่อม',
      provinceCode: '50', districtCode: '5001', address: '', contactName: '', phone: '', anonymous: false, photos: [],
      clientRequestId: crypto.randomUUID(),
    })), [`rongrian.draft.citizen.${citizen.userId}`]);
    await page.reload();
    await ready(page, 'new');
    await page.locator('#f-consent').check();
    await page.click('#f-review');
    await page.click('#f-submit');
    await ready(page, 'new');
    await expect.poll(() => page.locator('#f-category-error').textContent(), { timeout: WAIT }).toContain('ไม่รู้จักประเภทปัญหานี้');
  });
});
