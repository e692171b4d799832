/**
 * The officer's "อาจเกี่ยวข้องกัน / Possibly related" panel in real Chromium against the real app,
 * worker, Redis and FerretDB: the same pothole reported twice near ซอย 7 นิมมาน, and a third report
 * that another unit now holds. The officer sees both candidates (the other unit's as its public
 * summary only), links one, merges into the other; the page then shows the case closed with the
 * pointer, and both complainants hear of it in LINE. Screenshots: artifacts/screenshots/related-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import type { SimUser } from '../simulator/server.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { startStack, waitForText, type Stack } from './helpers/stack.ts';

const WAIT = 20_000;
let stack: Stack;
let web: Browsing;
let officer: SimUser;

beforeAll(async () => {
  [stack, web] = await Promise.all([startStack(), openBrowser({ base: () => stack.web.url, prefix: 'related', wait: WAIT })]);
  officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
});
afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const NIMMAN = { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่', subdistrictCode: '500108', subdistrictName: 'สุเทพ' };
let n = 0;
const open = (citizen: SimUser, description: string, lat: number, lng: number, lang: 'th' | 'en' = 'th') => openCase(stack.rt.bot, {
  idempotencyKey: `related-browser:${++n}`, channel: 'line', category: 'help', description,
  location: { ...NIMMAN, lat, lng }, complainant: { lineUserId: citizen.userId, lang, name: citizen.displayName }, by: { kind: 'citizen', id: citizen.userId },
});

describe('possibly related cases on the officer case page', () => {
  it('shows the candidates (another unit\'s as public summary only), links one and merges into the other', async () => {
    const first = await stack.citizen('สมหญิง รักถิ่น');
    const second = await stack.citizen('Jane Doe', 'en');
    const third = await stack.citizen('สมปอง ส่วนตัวมาก');
    const target = await open(first, 'ถนนหน้าซอย 7 นิมมานเป็นหลุมลึกมาก รถจักรยานยนต์ตกหลุมล้มบ่อย', 18.7985, 98.9672);
    const elsewhere = await open(third, 'หลุมบนถนนซอย 7 นิมมาน ใหญ่มาก มอไซค์ล้ม บ้านเลขที่ 12/3 โทร 0812345678', 18.7990, 98.9669);
    const me = await stack.rt.models.Officer.findOne({ lineUserId: officer.userId }).lean();
    const ref = { id: String(me!._id), name: me!.name, unitCode: '5001' };
    expect((await forwardCase(stack.rt.bot, { caseId: String(elsewhere._id), officer: ref, toUnitCode: '5015', reason: 'อยู่ในความรับผิดชอบของ อบต.' })).ok).toBe(true);
    const source = await open(second, 'pothole ใหญ่ถนนหน้าซอย 7 นิมมาน มอไซค์ล้มบ่อยมาก', 18.7988, 98.9676, 'en');

    const page: Page = await web.liff(officer, `#/officer/cases/${source._id}`);
    await web.ready(page, 'officer-case');
    const items = page.locator('#related-list .related-item');
    await expect.poll(() => items.count(), { timeout: WAIT }).toBe(2);
    const mine = page.locator(`.related-item[data-tracking="${target.trackingNo}"]`);
    const theirs = page.locator(`.related-item[data-tracking="${elsewhere.trackingNo}"]`);
    expect(await mine.textContent()).toContain('รถจักรยานยนต์ตกหลุมล้มบ่อย');
    // The other unit's case: type, area, date, status, supporters; not the citizen's words (a phone number in them).
    const publicText = (await theirs.textContent())!;
    expect(publicText).toContain('แสดงเฉพาะข้อมูลสาธารณะ');
    expect(publicText).toContain('ผู้แจ้ง 1 คน');
    expect(publicText).not.toContain('0812345678');
    expect(publicText).not.toContain('12/3');
    await page.locator('#related').scrollIntoViewIfNeeded();
    await web.shot(page.locator('#related'), 'panel', false);

    await theirs.locator('[data-action=link]').click();
    await expect.poll(() => theirs.locator('[data-action=link]').textContent(), { timeout: WAIT }).toBe('เชื่อมโยงแล้ว');
    expect((await stack.rt.models.Case.findById(elsewhere._id).lean())!.relatedCases).toEqual([source.trackingNo]);

    await mine.locator('[data-action=merge]').click();
    expect(await mine.locator('[data-role=merge-confirm]').textContent()).toContain(`รวมเรื่องนี้เข้ากับเรื่อง ${target.trackingNo}?`);
    await web.shot(page.locator('#related'), 'merge-confirm', false);
    await mine.locator('[data-action=merge-yes]').click();
    await web.ready(page, 'officer-case');
    await expect.poll(() => page.locator('main').textContent(), { timeout: WAIT }).toContain(`Merged into ${target.trackingNo}`);
    expect(await page.locator('#related').count()).toBe(0); // closed: nothing left to link or merge
    await web.shot(page, 'merged', true);

    await waitForText(stack.sim, second.userId, `Your case ${source.trackingNo} is the same problem as case ${target.trackingNo}`);
    await waitForText(stack.sim, first.userId, `มีผู้แจ้งปัญหาเดียวกันเพิ่ม (เรื่องเลขที่ ${source.trackingNo})`);

    // The case merged into now has a second person to tell: the officer writing an update is warned before the preview.
    const targetPage: Page = await web.liff(officer, `#/officer/cases/${target._id}`);
    await web.ready(targetPage, 'officer-case');
    await targetPage.locator('#act-note summary').click();
    expect(await targetPage.locator('#act-note').textContent()).toContain('ข้อความนี้ส่งถึงผู้ที่แจ้งปัญหาเดียวกันอีก 1 คนด้วย');
    await targetPage.locator('#note-text').fill('ช่างจะเข้าซ่อมถนนพรุ่งนี้');
    await targetPage.locator('#note-preview').click();
    await expect.poll(() => targetPage.locator('#note-followers').isVisible(), { timeout: WAIT }).toBe(true);
    await web.shot(targetPage.locator('#act-note'), 'update-followers', false);
    expect(web.errors).toEqual([]);
  });
});
