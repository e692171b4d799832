/**
 * The one-tap forward to the suggested agency on the officer's LIFF case page, in real Chromium
 * against the real app, worker, Redis and FerretDB: a stray-dog case in ต.หางดง opens at the centre,
 * the page offers "ส่งต่อ เทศบาลตำบลหางดง (ตัวอย่าง)", one tap moves it there and the agency's officer
 * gets the alert. Screenshots: artifacts/screenshots/agency-forward-*.png.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAgencies } from '../shared/agencies/importCsv.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { drained, startStack, waitForText, type Stack } from './helpers/stack.ts';

const WAIT = 20_000;
const MUN = 'AG-CM-HANGDONG-MUN';

let stack: Stack;
let web: Browsing;
let centreOfficer: SimUser;
let agencyOfficer: SimUser;

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack(),
    openBrowser({ base: () => stack.web.url, prefix: 'agency-forward', wait: WAIT }),
  ]);
  await importAgencies(stack.rt.models, readFileSync(new URL('../config/agencies-demo.csv', import.meta.url), 'utf8'));
  centreOfficer = await stack.officer('5015', 'officer', 'จนท. ศูนย์ดำรงธรรมอำเภอหางดง');
  agencyOfficer = await stack.officer(MUN, 'officer', 'จนท. เทศบาลหางดง');
});

afterAll(async () => {
  await web?.close();
  await stack?.close();
});

describe('forward to the suggested agency in Chromium', () => {
  it('the centre officer sees the agency on the case page and forwards with one tap', async () => {
    const citizen = await stack.citizen('ผู้ร้อง สุนัขจรจัด');
    const c = await openCase(stack.rt.bot, {
      idempotencyKey: 'agency-browser-1', channel: 'line', category: 'help', problemType: 'stray_animals',
      description: 'สุนัขจรจัดฝูงใหญ่ไล่กัดเด็กนักเรียนหน้าโรงเรียนทุกเช้า',
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5015', districtName: 'หางดง', subdistrictCode: '501501', subdistrictName: 'หางดง' },
      complainant: { lineUserId: citizen.userId, name: 'ผู้ร้อง สุนัขจรจัด', lang: 'th' }, by: { kind: 'citizen', id: citizen.userId },
    });
    expect(c.unitCode).toBe('5015');
    await drained(stack);

    const page = await web.liff(centreOfficer, `#/officer/cases/${c._id}`);
    await web.ready(page, 'officer-case');
    const offer = page.locator('#suggested-agency');
    expect(await offer.textContent()).toContain('เทศบาลตำบลหางดง (ตัวอย่าง) รับผิดชอบปัญหาประเภทนี้ในพื้นที่');
    const button = page.locator('#act-forward-agency');
    expect(await button.textContent()).toBe('ส่งต่อ เทศบาลตำบลหางดง (ตัวอย่าง)');
    await offer.scrollIntoViewIfNeeded();
    await web.shot(page, 'offer', false);

    await button.click();
    // Forwarded: the case is the agency's now, and the page goes back to the unit's list.
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: WAIT }).toBe('#/officer');
    await expect.poll(async () => (await stack.rt.models.Case.findById(c._id).lean())?.unitCode, { timeout: WAIT }).toBe(MUN);
    await waitForText(stack.sim, agencyOfficer.userId, `[flex] เรื่องใหม่ ${c.trackingNo}`);
    await waitForText(stack.sim, citizen.userId, 'เทศบาลตำบลหางดง (ตัวอย่าง)');
    await web.ready(page, 'officer');
    await web.shot(page, 'done', false);
  });
});
