import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';

// The acceptance check of the local demo: a person, clicking and typing in the simulator's chat
// page only, files a complaint and sees the officer's alert card; the officer takes it from the card.

const BOT_WAIT = 15_000;

let stack: Stack;
let web: Browsing;
let page: Page;

beforeAll(async () => {
  // Settled, not Promise.all: whichever started is closed in afterAll even if the other failed.
  const started = await Promise.allSettled([
    startStack().then((s) => { stack = s; }),
    openBrowser({ base: () => stack.web.url, prefix: 'demo', wait: BOT_WAIT }).then((b) => { web = b; }),
  ]);
  for (const r of started) if (r.status === 'rejected') throw r.reason;
  page = await web.page({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await web?.close();
  await stack?.close();
});

/** Waits until the open chat shows a bot message containing `text`; returns that message's text. */
async function botSays(text: string): Promise<string> {
  const msg = page.locator('#chat .entry.left', { hasText: text }).last();
  await msg.waitFor({ timeout: BOT_WAIT });
  return (await msg.textContent()) ?? '';
}

/** Presses the quick-reply button with exactly this label (e.g. not ไม่ยินยอม for ยินยอม). */
async function quickReply(label: string): Promise<void> {
  await page.locator('#quick-replies').getByRole('button', { name: label, exact: true }).click({ timeout: BOT_WAIT });
}

async function type(text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

async function pickUser(displayName: string): Promise<void> {
  await page.locator('#user-list button.user', { hasText: displayName }).click();
  await page.locator('#chat-title', { hasText: displayName }).waitFor();
}

/** Screenshot once the chat pane shows the end of its newest message (it follows the conversation down). */
async function shot(name: string): Promise<void> {
  await expect.poll(() => page.evaluate(() => {
    const chat = document.getElementById('chat')!;
    const last = chat.lastElementChild?.getBoundingClientRect();
    const pane = chat.getBoundingClientRect();
    return !!last && last.bottom <= pane.bottom + 1 && last.bottom > pane.top;
  }), { timeout: 5_000 }).toBe(true);
  await web.shot(page, name, false);
}

describe('local demo page (simulator UI in Chromium)', () => {
  it('a citizen files a complaint in the chat page and the officer takes it from the alert card', async () => {
    await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
    await page.goto(stack.sim.url);

    // The officer registered above is listed; the citizen is created through the form.
    await page.locator('#user-list button.user', { hasText: 'จนท. เมืองเชียงใหม่' }).waitFor();
    await page.fill('#user-name', 'สมหญิง รักถิ่น');
    await page.selectOption('#user-role', 'citizen');
    await page.selectOption('#user-lang', 'th');
    await page.click('#user-form button[type=submit]');
    await page.locator('#chat-title', { hasText: 'สมหญิง รักถิ่น' }).waitFor();

    await page.click('#btn-follow');
    expect(await botSays('สวัสดีค่ะ คุณสมหญิง')).toContain('ศูนย์ดำรงธรรม');

    // The rich menu the bot linked on follow starts the intake, as on a phone.
    await page.locator('#richmenu').getByRole('button', { name: 'แจ้งเรื่องร้องเรียน', exact: true }).click({ timeout: BOT_WAIT });
    await botSays('ขั้นที่ 1/6');
    await shot('0-citizen-categories');
    await quickReply('🛣️ ถนน/ทางเท้าชำรุด');
    await botSays('ขั้นที่ 2/6');
    const description = 'ถนนหน้าบ้านเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน แจ้ง อบต. แล้วยังไม่ซ่อม';
    await type(description);
    await botSays('ขั้นที่ 3/6');

    // Location: the quick reply opens the pin form; the Chiang Mai city hall preset is sent.
    await quickReply('ส่งตำแหน่ง');
    await page.locator('#location-form').waitFor();
    await page.selectOption('#loc-preset', '0');
    expect(await page.inputValue('#loc-title')).toBe('ศาลากลางจังหวัดเชียงใหม่');
    await page.click('#location-form button[type=submit]');
    expect(await botSays('พื้นที่เกิดเหตุ')).toContain('อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    await quickReply('ถูกต้อง');

    // A photo through the 📷 file picker, then เสร็จแล้ว.
    await botSays('ขั้นที่ 4/6');
    const photo = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 160, height: 120 } });
    await page.setInputFiles('#file', { name: 'pothole.png', mimeType: 'image/png', buffer: photo });
    await botSays('ได้รับรูปที่ 1/5');
    await expect.poll(() => page.locator('#chat img.bubble-img.me').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
    await quickReply('เสร็จแล้ว');

    await botSays('PDPA');
    await quickReply('ยินยอม');
    const summary = await botSays('ขั้นที่ 6/6');
    expect(summary).toContain(description);
    expect(summary).toContain('รูปภาพ: 1 รูป');
    await quickReply('ยืนยันส่งเรื่อง');

    const receipt = await botSays('เลขรับเรื่อง:');
    const trackingNo = /เลขรับเรื่อง: (\d{4}-\d{6})/.exec(receipt)?.[1];
    expect(trackingNo).toMatch(/^25\d\d-\d{6}$/);
    expect(receipt).toContain('ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่');
    await shot('1-citizen-filed');

    const saved = await stack.rt.models.Case.findOne({ trackingNo }).lean();
    expect(saved).toMatchObject({ unitCode: '5001', category: 'help', status: 'received', description, complainant: { name: 'สมหญิง รักถิ่น' } });
    expect(saved!.attachments).toHaveLength(1);

    // The officer of อ.เมืองเชียงใหม่ sees the alert card in their chat.
    await pickUser('จนท. เมืองเชียงใหม่');
    const card = page.locator('#chat .fx-bubble', { hasText: trackingNo! });
    await card.waitFor({ timeout: BOT_WAIT });
    await expect.poll(() => card.textContent()).toContain('เรื่องร้องเรียนใหม่');
    expect(await card.textContent()).toContain('หลุมลึก');
    expect(await card.textContent()).not.toContain('สมหญิง'); // no personal data on the card
    await shot('2-officer-card');

    await card.getByRole('button', { name: 'รับเรื่อง', exact: true }).click();
    await botSays(`ท่านรับเรื่อง ${trackingNo} แล้ว`);
    await shot('3-officer-accepted');
    await expect.poll(async () => (await stack.rt.models.Case.findOne({ trackingNo }).lean())?.status, { timeout: BOT_WAIT }).toBe('assigned');

    // Back in the citizen's chat: the officer has taken the case.
    await pickUser('สมหญิง รักถิ่น');
    await botSays(`เรื่องเลขที่ ${trackingNo}: เจ้าหน้าที่รับเรื่องของท่านแล้ว`);
    await shot('4-citizen-notified');

    // Every webhook the page sent was answered 200, and the page itself never threw.
    expect(await page.locator('#chat .note.error').count()).toBe(0);
    expect(web.errors).toEqual([]);
  });
});
