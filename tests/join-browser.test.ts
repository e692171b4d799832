/**
 * "แจ้งด้วย" in the LIFF form, in real Chromium against the real app, worker and simulator: a second
 * citizen describing the same problem in the same place sees, on the review page, the box
 * "มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ" with the public part of the first case only; "แจ้งด้วย" shows the
 * tracking number and public status; the case page and "my cases" mark it as joined. Needs the built
 * LIFF app (`npm run build:liff`). Screenshots: artifacts/screenshots/join-*.png. See docs/joining.md.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { startStack, waitForText, type Stack } from './helpers/stack.ts';

const WAIT = 20_000;
let stack: Stack;
let web: Browsing;

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack(),
    openBrowser({ base: () => stack.web.url, prefix: 'join', wait: WAIT }),
  ]);
});
afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const phone = (user: SimUser, route: string) => web.liff(user, route, { consoleErrors: 'none' });
const ready = (page: Page, name: string) => web.ready(page, name);
const shot = (page: Page, name: string) => web.shot(page, name);

describe('LIFF: the related-cases box and joining', () => {
  it('B fills the form for the same street light: the review offers A\'s case (no personal data), แจ้งด้วย shows its number and status', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
    const a = await stack.citizen('สมศักดิ์ ต้นเรื่อง');
    const b = await stack.citizen('สมใจ ร่วมแจ้ง');
    const filed = await fetch(`${stack.web.url}/liff/api/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.sim.issueIdToken(a.userId)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        problemType: 'street_light', description: 'ไฟถนนดับหน้าวัดพระสิงห์ทั้งแถว กลางคืนมืดมาก บ้านเลขที่ 99 ของผม',
        location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500101', address: 'บ้านเลขที่ 99 ถนนสามล้าน' },
        anonymous: false, contact: { name: 'สมศักดิ์ ต้นเรื่อง', phone: '0891112222' },
        consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
      }),
    });
    expect(filed.status).toBe(201);
    const { id, trackingNo } = await filed.json() as { id: string; trackingNo: string };

    const page = await phone(b, '#/new');
    await ready(page, 'new');
    await page.getByLabel('รายละเอียดเรื่อง').fill('ไฟทางหน้าวัดพระสิงห์ดับหลายดวง กลางคืนมืดมาก เดินผ่านไม่ปลอดภัย');
    await page.locator('[data-type="street_light"] label').click();
    await page.getByLabel('จังหวัด').selectOption({ label: 'เชียงใหม่' });
    await page.locator('#f-district option[value="5001"]').waitFor({ state: 'attached', timeout: WAIT });
    await page.getByLabel('อำเภอ / เขต').selectOption('5001');
    await page.locator('#f-subdistrict option[value="500101"]').waitFor({ state: 'attached', timeout: WAIT });
    await page.getByLabel('ตำบล / แขวง').selectOption('500101');
    await page.locator('#f-consent').check();
    await page.click('#f-review');
    await page.locator('#related:not([hidden])').waitFor({ timeout: WAIT });
    const box = (await page.locator('#related').textContent()) ?? '';
    expect(box).toContain('มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ');
    expect(box).toContain(trackingNo);
    expect(box).toContain('ต.ศรีภูมิ อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    expect(box).toContain('รับเรื่องแล้ว รอเจ้าหน้าที่');
    expect(box).toContain('มีผู้แจ้งแล้ว 1 คน');
    for (const secret of ['สมศักดิ์', '0891112222', 'บ้านเลขที่', 'ทั้งแถว', 'ถนนสามล้าน']) expect(box).not.toContain(secret);
    await shot(page, '1-review-related');

    await page.click(`#join-${trackingNo}`);
    await ready(page, 'joined');
    expect(await page.locator('#tracking-no').textContent()).toBe(trackingNo);
    expect(await page.locator('#joined-status').textContent()).toBe('รับเรื่องแล้ว รอเจ้าหน้าที่');
    expect(await page.locator('#joined-supporters').textContent()).toBe('มีผู้แจ้งแล้ว 2 คน');
    await shot(page, '2-joined');
    const saved = (await stack.rt.models.Case.findById(id).lean())!;
    expect(saved.supporterCount).toBe(2);
    expect(saved.followers?.map((f) => f.lineUserId)).toEqual([b.userId]);
    await waitForText(stack.sim, officer.userId, `เรื่อง ${trackingNo}: มีผู้แจ้งปัญหาเดียวกันเพิ่ม 1 คน (รวม 2 คน)`);

    // The case page: the public part, marked as joined, with "เลิกติดตาม"; nothing of A's.
    await page.click(`a[href="#/cases/${id}"]`);
    await ready(page, 'case');
    const caseText = (await page.locator('main').textContent()) ?? '';
    expect(caseText).toContain('ท่านร่วมแจ้งเรื่องนี้');
    for (const secret of ['สมศักดิ์', '0891112222', 'บ้านเลขที่', 'ทั้งแถว']) expect(caseText).not.toContain(secret);
    await shot(page, '3-case-follower');

    // My cases: the joined case, marked "แจ้งด้วย".
    const list = await phone(b, '#/cases');
    await ready(list, 'cases');
    const card = list.locator('.case-card', { hasText: trackingNo });
    expect(await card.locator('.badge.following').textContent()).toBe('แจ้งด้วย');
    await shot(list, '4-my-cases');

    // "เลิกติดตาม": gone from their list.
    await page.click('#unfollow');
    await ready(page, 'cases');
    expect(await page.locator('.case-card', { hasText: trackingNo }).count()).toBe(0);
    expect((await stack.rt.models.Case.findById(id).lean())!.followers).toEqual([]);
  });
});
