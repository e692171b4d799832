import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCaseGuarded } from '../shared/store/guardedUpdate.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, screenshotPath, type Browsing } from './helpers/browser.ts';
import { startStack, waitForText, type Stack } from './helpers/stack.ts';

// The province head in the LIFF officer pages (real Chromium, real app): หน่วยงานในสังกัด lists the
// case of อ.หางดง, where nobody is registered; filtered to the unowned ones, the head opens it and
// takes it over. Needs the built app (`npm run build:liff`).

const WAIT = 10_000;

let stack: Stack;
let web: Browsing;
let head: SimUser;
let citizen: SimUser;

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack(),
    openBrowser({ base: () => stack.web.url, prefix: 'liff-supervisor', wait: WAIT }),
  ]);
  head = await stack.officer('50', 'head', 'หัวหน้า จังหวัดเชียงใหม่');
  await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
  citizen = await stack.citizen('สมใจ หางดง');
});

afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const phone = (user: SimUser, route: string) => web.liff(user, route);
const ready = (page: Page, name: string) => web.ready(page, name);
const shot = (page: Page, name: string, fullPage = true) => web.shot(page, name, fullPage);

let seq = 0;
async function fileIn(districtCode: string, districtName: string, description: string) {
  return openCase(stack.rt.bot, {
    idempotencyKey: `sup-browser-${++seq}`, channel: 'line', category: 'help', description,
    location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode, districtName },
    complainant: { lineUserId: citizen.userId, name: 'สมใจ หางดง', lang: 'th' },
    consent: { version: '2569.1', at: new Date() },
    by: { kind: 'citizen', id: citizen.userId },
  });
}

describe('a province head in the LIFF officer pages', () => {
  it('opens หน่วยงานในสังกัด, filters the unowned cases, opens the Hang Dong case and takes it over', async () => {
    const hangDong = await fileIn('5015', 'หางดง', 'น้ำประปาไม่ไหลมาสามวันแล้ว ทั้งหมู่บ้านเดือดร้อน');
    const muang = await fileIn('5001', 'เมืองเชียงใหม่', 'ไฟถนนดับทั้งซอย กลางคืนมืดมาก อันตราย');

    // The default stays "my unit": the province's own cases (none yet), with the tab to the units below.
    const page = await phone(head, '#/officer');
    await ready(page, 'officer');
    expect(await page.locator('.case-card').count()).toBe(0);
    await page.click('#scope-below');
    await ready(page, 'officer-below');
    await page.locator('.case-card', { hasText: muang.trackingNo }).waitFor({ timeout: WAIT });
    const hd = page.locator('.case-card', { hasText: hangDong.trackingNo });
    await expect.poll(() => hd.locator('.badge.unowned').textContent()).toBe('ยังไม่มีเจ้าหน้าที่');
    expect(await page.locator('#below-unit option', { hasText: 'ศูนย์ดำรงธรรมอำเภอหางดง (ยังไม่มีเจ้าหน้าที่)' }).count()).toBe(1);
    await shot(page, '1-below', false);

    await page.click('#below-unowned');
    await ready(page, 'officer-below');
    await expect.poll(() => page.locator('.case-card').count(), { timeout: WAIT }).toBe(1);
    await expect.poll(() => page.locator('.case-card').first().textContent()).toContain(hangDong.trackingNo);
    await shot(page, '2-unowned', false);

    // One unit only, from the picker.
    await page.goto(`${stack.web.url}/liff/?user=${head.userId}#/officer/below`);
    await ready(page, 'officer-below');
    await page.selectOption('#below-unit', '5001');
    await expect.poll(() => page.url()).toContain('unit=5001');
    await ready(page, 'officer-below');
    await expect.poll(async () => (await page.locator('.case-card').allTextContents()).join('|'), { timeout: WAIT }).toContain(muang.trackingNo);
    expect(await page.locator('.case-card', { hasText: hangDong.trackingNo }).count()).toBe(0);

    await page.goto(`${stack.web.url}/liff/?user=${head.userId}#/officer/below?filter=unowned`);
    await ready(page, 'officer-below');
    await page.locator('.case-card', { hasText: hangDong.trackingNo }).click();
    await ready(page, 'officer-case');
    expect(await page.locator('section.card', { hasText: 'ผู้ร้อง' }).textContent()).toContain('สมใจ หางดง');
    await page.locator('#act-takeover').waitFor({ timeout: WAIT });
    await shot(page, '3-case');

    await page.fill('#takeover-reason', 'อำเภอหางดงยังไม่มีเจ้าหน้าที่ในระบบ จังหวัดรับไว้ดำเนินการเอง');
    await page.locator('#act-takeover button[type=submit]').click();
    await page.locator('#act-takeover').waitFor({ state: 'detached', timeout: WAIT });
    await ready(page, 'officer-case');
    const c = await stack.rt.models.Case.findById(hangDong._id).lean();
    expect(c).toMatchObject({ unitCode: '50', status: 'assigned', assignee: { name: 'หัวหน้า จังหวัดเชียงใหม่' } });
    expect(await page.locator('section.card', { hasText: 'ผู้ร้อง' }).textContent()).toContain('หัวหน้า จังหวัดเชียงใหม่');
    expect(await page.textContent('body')).toContain('ศูนย์ดำรงธรรมจังหวัดเชียงใหม่');
    await shot(page, '4-taken-over');
    await waitForText(stack.sim, citizen.userId, 'รับเรื่องของท่านไว้ดำเนินการเองแล้ว');

    // Now the province's own case: on the default "my unit" list.
    await page.goto(`${stack.web.url}/liff/?user=${head.userId}#/officer`);
    await ready(page, 'officer');
    await page.locator('.case-card', { hasText: hangDong.trackingNo }).waitFor({ timeout: WAIT });
    expect(web.errors).toEqual([]);
  }, 120_000);
});

describe('the same head on the web dashboard', () => {
  const desktop = () => web.page({ viewport: { width: 1280, height: 860 }, timezoneId: 'Asia/Bangkok', consoleErrors: 'none' });
  const dashShot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(`dashboard-supervisor-${name}.png`), fullPage: true });

  it('assigns a case below to a named officer from its page, and nudges a late unit', async () => {
    const c = await fileIn('5001', 'เมืองเชียงใหม่', 'ถนนเป็นหลุมลึกหน้าโรงเรียน เด็กนักเรียนเดินลำบาก');
    await updateCaseGuarded(stack.rt.models, String(c._id), {}, { $set: { ackDueAt: new Date(Date.now() - 2 * 86400_000), resolveDueAt: new Date(Date.now() - 86400_000) } });
    const page = await desktop();
    await page.goto(`${stack.web.url}/dashboard/cases/${c.trackingNo}`);
    await page.waitForURL(/\/oauth2\/v2\.1\/authorize/, { timeout: WAIT });
    await page.locator('button.user', { hasText: head.displayName }).click();
    await page.waitForURL((u) => u.pathname === `/dashboard/cases/${c.trackingNo}`, { timeout: WAIT });
    await page.locator('#assign').waitFor({ timeout: WAIT });
    await dashShot(page, '1-case');

    await page.selectOption('#assign select[name=officerId]', { label: 'จนท. เมืองเชียงใหม่ · ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่' });
    await page.locator('#assign button[type=submit]').click();
    await page.waitForURL(/done=assign/, { timeout: WAIT });
    expect(await page.textContent('body')).toContain('มอบหมายเจ้าหน้าที่แล้ว');
    expect(await stack.rt.models.Case.findById(c._id).lean()).toMatchObject({ unitCode: '5001', assignee: { name: 'จนท. เมืองเชียงใหม่' } });

    await page.goto(`${stack.web.url}/dashboard/late-units?unit=50`);
    const row = page.locator('tr', { hasText: 'ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่' });
    await row.locator('button.nudge').waitFor({ timeout: WAIT });
    await dashShot(page, '2-late-units');
    await row.locator('button.nudge').click();
    await page.waitForURL(/nudge=sent/, { timeout: WAIT });
    expect(await page.textContent('body')).toContain('ส่งการกระตุ้นถึงศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่แล้ว');
    await dashShot(page, '3-nudged');
    expect(web.errors).toEqual([]);
  }, 120_000);
});
