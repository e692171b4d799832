import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { converse, startStack, type Stack } from './helpers/stack.ts';

// The officer's side of claim codes in real Chromium: the recorded-case confirmation shows the code
// once, large, with a receipt to print; the case page issues a new one. Needs `npm run build:liff`.

const WAIT = 20_000;
let stack: Stack;
let web: Browsing;
let officer: SimUser;

beforeAll(async () => {
  [stack, web] = await Promise.all([startStack(), openBrowser({ base: () => stack.web.url, prefix: 'liff-claim', wait: WAIT })]);
  officer = await stack.officer('5001', 'officer', 'จนท. รับสาย 1567');
});
afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const ready = (page: Page, name: string) => web.ready(page, name);
const say = (user: SimUser, words: string) => converse(stack.sim, user.userId, () => stack.sim.sendText(user.userId, words)).then((m) => m.text as string);

describe('claim code in the officer LIFF', () => {
  it('recording a hotline case shows its claim code and a printable receipt; the citizen links with it; the case page re-issues', async () => {
    const page = await web.liff(officer, '#/officer/new');
    await ready(page, 'officer-new');
    await page.getByLabel('รับเรื่องทางช่องทาง').selectOption('hotline');
    await page.getByLabel('ขอความช่วยเหลือ').check();
    await page.getByLabel('รายละเอียดเรื่อง').fill('ผู้โทรแจ้งว่าน้ำประปาไม่ไหลมาสามวัน ขอให้ประสานการประปาส่วนภูมิภาค');
    await page.getByLabel('จังหวัด').selectOption('50');
    await page.locator('#f-district option[value="5001"]').waitFor({ state: 'attached', timeout: WAIT });
    await page.getByLabel('อำเภอ / เขต').selectOption('5001');
    await page.getByLabel('ชื่อ-นามสกุล').fill('นายโทร มาแจ้ง');
    await page.getByLabel('เบอร์โทรศัพท์').fill('0812345678');
    await page.click('#f-review');
    await page.click('#f-submit');
    await ready(page, 'done');
    const trackingNo = ((await page.locator('#tracking-no').textContent()) ?? '').trim();
    const code = ((await page.locator('#claim-code').textContent()) ?? '').trim();
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(await page.locator('#claim').textContent()).toContain(`เชื่อมเรื่อง ${code}`);
    await web.shot(page, '1-recorded');

    await page.click('#claim-print');
    await ready(page, 'receipt');
    const receipt = (await page.locator('#receipt').textContent()) ?? '';
    expect(receipt).toContain(trackingNo);
    expect(receipt).toContain(code);
    expect(receipt).toContain('1567');
    await web.shot(page, '2-receipt');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#receipt-print').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // The citizen sends the code in chat: linked.
    const citizen = await stack.citizen('นายโทร มาแจ้ง');
    expect(await say(citizen, `เชื่อมเรื่อง ${code}`)).toContain(`เชื่อมเรื่อง ${trackingNo} กับ LINE ของท่านแล้ว`);

    // Lost phone, new LINE account: the officer issues a new code from the case page; the old one is spent.
    await page.click('#receipt-back');
    await ready(page, 'done');
    await page.click('a.btn[href^="#/officer/cases/"]');
    await ready(page, 'officer-case');
    await page.locator('#claim-panel summary').click();
    await page.click('#claim-reissue');
    await page.locator('#claim-new').waitFor({ state: 'visible', timeout: WAIT });
    const fresh = ((await page.locator('#claim-new-code').textContent()) ?? '').trim();
    expect(fresh).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(await page.locator('#claim-new').textContent()).toContain('ใช้ได้ถึง');
    expect(fresh).not.toBe(code);
    await web.shot(page, '3-reissued');
    const newAccount = await stack.citizen('นายโทร บัญชีใหม่');
    expect(await say(newAccount, code)).toContain('ไม่ถูกต้อง'); // replaced: the old code is no code any more
    expect(await say(newAccount, fresh)).toContain('กับ LINE ของท่านแล้ว');
  });
});
