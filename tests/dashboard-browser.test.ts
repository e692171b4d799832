import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSurvey } from '../shared/cases/commands/submitSurvey.ts';
import type { ChannelCode, SubjectCategoryCode } from '../shared/categories.ts';
import type { SimUser } from '../simulator/server.ts';
import { seedCase } from './helpers/dashboard.ts';
import { openBrowser, screenshotPath, type Browsing } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';

// The dashboard in real Chromium: sign-in through the simulator's LINE Login page, every page of a
// province head, the A4 print view, and a district officer kept out of another province.
// Screenshots: artifacts/screenshots/dashboard-*.png

const WAIT = 20_000;

// A clock the seeding moves through the past year, then leaves at the real time.
let t = Date.now();
const clock = { now: () => new Date(t) };

let stack: Stack;
let web: Browsing;
let head: SimUser; // หัวหน้า จ.เชียงใหม่ (50)
let district: SimUser; // จนท. อ.เมืองเชียงใหม่ (5001)
let cmTracking = '';
let bkkTracking = '';

const DAY = 86_400_000;
const CATS: SubjectCategoryCode[] = ['help', 'tipoff', 'dispute', 'official', 'state_project', 'informal_debt', 'petition', 'corruption'];
const CHANNELS: ChannelCode[] = ['line', 'hotline', 'letter', 'website', 'walk_in'];

async function seed() {
  const realNow = Date.now();
  const districtOfficer = (await stack.rt.models.Officer.findOne({ lineUserId: district.userId }).lean())!;
  const other = await stack.officer('5002', 'officer', 'จนท. อ.จอมทอง');
  const otherOfficer = (await stack.rt.models.Officer.findOne({ lineUserId: other.userId }).lean())!;
  // ~60 cases over the last 13 months in two Chiang Mai districts, some closed a few days after receipt.
  for (let i = 0; i < 60; i++) {
    const received = realNow - (395 - i * 6.5) * DAY;
    t = received;
    const inMueang = i % 3 !== 0;
    const citizen = i % 4 === 0 ? await stack.citizen(`ผู้ร้อง ${i}`) : undefined;
    const c = await seedCase(stack, {
      provinceCode: '50', districtCode: inMueang ? '5001' : '5002',
      category: CATS[i % CATS.length], channel: CHANNELS[i % CHANNELS.length],
      description: i % 5 === 0 ? 'ไฟดับ' : `ไฟฟ้าส่องสว่างในซอย ${i} ดับมาหลายวัน กลางคืนมืดมากและไม่ปลอดภัย${i === 1 ? ' ลูกบ้านโทรแจ้ง 089-555-1212' : ''}`,
      name: `ผู้ร้อง ทดสอบ${i}`, phone: i % 7 === 0 ? '' : `08${String(10000000 + i).slice(0, 8)}`,
      ...(citizen ? { lineUserId: citizen.userId } : {}),
      receivedAt: new Date(received),
    });
    if (i % 5 !== 4 && i < 52) {
      t = received + ((i % 9) + 1) * DAY;
      const officer = inMueang ? districtOfficer : otherOfficer;
      const { closeCase } = await import('../shared/cases/commands/closeCase.ts');
      await closeCase({ models: stack.rt.models, clock, publish: stack.rt.bot.publish }, { caseId: c.id, officer: { id: String(officer._id), name: officer.name, unitCode: officer.unitCode }, summary: 'ประสานการไฟฟ้าส่วนภูมิภาคซ่อมแล้ว' });
      if (citizen) await submitSurvey({ models: stack.rt.models, clock, publish: stack.rt.bot.publish }, { caseId: c.id, lineUserId: citizen.userId, score: 3 + (i % 3) });
    }
    if (inMueang && !cmTracking) cmTracking = c.trackingNo;
  }
  t = realNow - 40 * DAY;
  bkkTracking = (await seedCase(stack, { provinceCode: '10', districtCode: '1001', name: 'มานี มีนา', receivedAt: new Date(t) })).trackingNo;
  t = realNow;
}

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack({ worker: false, clock }),
    openBrowser({ base: () => stack.web.url, prefix: 'dashboard', wait: WAIT }),
  ]);
  head = await stack.officer('50', 'head', 'นายสมศักดิ์ ผู้ตรวจ (หัวหน้าศูนย์ฯ จ.เชียงใหม่)');
  district = await stack.officer('5001', 'officer', 'นางสาวใจดี ทำงาน (จนท. อ.เมืองเชียงใหม่)');
  await seed();
}, 120_000);

afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const shot = (page: Page, name: string, fullPage = true) => web.shot(page, name, fullPage);

// 403/404 pages are meant (scope tests); everything else logged as an error (CSP refusals, script errors) is not.
const desktop = () => web.page({ viewport: { width: 1280, height: 860 }, timezoneId: 'Asia/Bangkok', consoleErrors: (text) => !text.startsWith('Failed to load resource') });

/** Opens the dashboard and signs in on the simulator's LINE Login page as `user`. */
async function signIn(page: Page, user: SimUser, path = '/dashboard/', screenshot?: string): Promise<void> {
  await page.goto(`${stack.web.url}${path}`);
  await page.waitForURL(/\/oauth2\/v2\.1\/authorize/, { timeout: WAIT });
  await expect.poll(() => page.locator('h1').textContent()).toContain('เข้าสู่ระบบด้วย LINE');
  if (screenshot) await shot(page, screenshot);
  await page.locator('button.user', { hasText: user.displayName }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/dashboard') && !u.pathname.includes('/auth/'), { timeout: WAIT });
}

const FY = (() => { const d = new Date(Date.now() + 7 * 3600_000); return d.getUTCFullYear() + 543 + (d.getUTCMonth() >= 9 ? 1 : 0); })();
const lastFY = FY - 1;

describe('dashboard in Chromium (real app, simulator LINE Login)', () => {
  let page: Page;

  it('a province head signs in with LINE and sees the overview of the province', async () => {
    page = await desktop();
    await signIn(page, head, `/dashboard/?fy=${lastFY}`, 'login-line');
    expect(new URL(page.url()).pathname).toBe('/dashboard/');
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('ภาพรวม');
    const text = await page.locator('main').innerText();
    expect(text).toContain('เชียงใหม่');
    for (const label of ['รับเรื่อง', 'ยุติเรื่อง', 'อยู่ระหว่างดำเนินการ', 'ทันตามกำหนด', 'เกินกำหนด', 'ระยะเวลายุติเรื่อง', 'ความพึงพอใจ']) expect(text).toContain(label);
    expect(await page.locator('header .who').innerText()).toContain('นายสมศักดิ์ ผู้ตรวจ');
    const received = Number((await page.locator('.kpi').first().locator('.value').innerText()).replace(/,/g, ''));
    expect(received).toBeGreaterThan(30);
    await shot(page, 'overview');
    // Executives often open it on a phone (LINE's in-app browser): same page, one column.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'overview-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('shows the official tables in both formats, the same totals, and exports', async () => {
    await page.goto(`${stack.web.url}/dashboard/reports?unit=50&fy=${lastFY}&format=province&withChildren=true&period=fy`);
    await expect.poll(() => page.locator('table.official tbody tr').count(), { timeout: WAIT }).toBe(13);
    const provinceTotal = await page.locator('table.official tfoot td.n').last().innerText();
    expect(await page.locator('.note').innerText()).toMatch(/ร้อยละ \d+\.\d\d/);
    await shot(page, 'reports-province');
    await page.locator('select[name="format"]').selectOption('district');
    await page.locator('form.pickers button[type="submit"]').click();
    await expect.poll(() => page.locator('table.official tbody tr').count(), { timeout: WAIT }).toBe(5);
    expect(await page.locator('table.official tfoot td.n').last().innerText()).toBe(provinceTotal);
    await shot(page, 'reports-district');
    // The same table as the report API gives to this session, and as CSV.
    const api = await page.evaluate(async (fy) => (await fetch(`/api/reports?unit=50&withChildren=true&format=district&fiscalYear=${fy}`)).json(), lastFY);
    expect(String(api.total.total)).toBe(provinceTotal.replace(/,/g, ''));
    const csv = await page.evaluate(async (fy) => (await fetch(`/dashboard/export/report.csv?unit=50&fy=${fy}&format=district&withChildren=true&period=fy`)).text(), lastFY);
    expect(csv).toContain('ยุติเรื่อง');
    expect(csv).toContain('หมายเหตุ');
  });

  it('prints the table on A4 with Thai digits and a Buddhist-era date', async () => {
    const print = await page.context().newPage();
    await print.setViewportSize({ width: 900, height: 1200 });
    await print.goto(`${stack.web.url}/dashboard/reports/print?unit=50&fy=${lastFY}&format=province&withChildren=true&period=fy`);
    const sheet = await print.locator('.sheet').innerText();
    expect(sheet).toContain('สรุปผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์');
    expect(sheet).toMatch(/ปีงบประมาณ พ\.ศ\. [๐-๙]{4}/);
    expect(sheet).toMatch(/ร้อยละ [๐-๙]+\.[๐-๙]{2}/);
    expect(sheet).toMatch(/ข้อมูล ณ วันที่ [๐-๙]+ \S+ [๐-๙]{4}/);
    expect(sheet).not.toMatch(/[0-9]/);
    await shot(print, 'report-print');
    // The print stylesheet lays it on one A4 page.
    await print.emulateMedia({ media: 'print' });
    const pdf = await print.pdf({ format: 'A4', preferCSSPageSize: true });
    await (await import('node:fs/promises')).writeFile(screenshotPath('dashboard-report-print.pdf'), pdf);
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1);
    await print.close();
  });

  it('ranks late units, draws the trend charts and scores data completeness', async () => {
    await page.goto(`${stack.web.url}/dashboard/late-units?unit=50`);
    const rows = page.locator('table.data tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(await page.locator('table.data').innerText()).toContain('เมืองเชียงใหม่');
    await shot(page, 'late-units');

    await page.goto(`${stack.web.url}/dashboard/trends?unit=50&fy=${lastFY}`);
    // chart.js has drawn on each canvas (non-blank pixels).
    await expect.poll(() => page.evaluate(() => [...document.querySelectorAll('canvas')].every((c) => {
      const ctx = (c as HTMLCanvasElement).getContext('2d')!;
      const d = ctx.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i]) return true;
      return false;
    })), { timeout: WAIT }).toBe(true);
    await shot(page, 'trends');

    await page.goto(`${stack.web.url}/dashboard/completeness?unit=50&fy=${lastFY}`);
    const first = page.locator('table.data tbody tr').first();
    await expect.poll(() => first.innerText()).toMatch(/\d+\.\d\d%/);
    // Cases with neither a phone nor a LINE account show up as missing a contact.
    const noContact = (await page.locator('table.data tbody tr td:nth-child(9)').allInnerTexts()).map(Number);
    expect(await page.locator('table.data thead th:nth-child(9)').innerText()).toContain('ติดต่อผู้ร้อง');
    expect(noContact.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await page.locator('details.rules').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await shot(page, 'completeness');
  });

  it('finds cases, and masks personal data of a case the head\'s unit is not assigned', async () => {
    await page.goto(`${stack.web.url}/dashboard/cases?unit=50`);
    await expect.poll(() => page.locator('table.cases tbody tr').count()).toBe(50);
    expect(await page.locator('main').innerText()).toContain('พบ 60 เรื่อง');
    await shot(page, 'cases');
    await page.locator('input[name="q"]').fill(cmTracking);
    await page.locator('form.pickers button[type="submit"]').click();
    await expect.poll(() => page.locator('table.cases tbody tr').count()).toBe(1);
    await page.locator(`a:text("${cmTracking}")`).click();
    await page.waitForURL(new RegExp(`/dashboard/cases/${cmTracking}$`));
    const detail = await page.locator('main').innerText();
    expect(detail).toContain('ข้อมูลส่วนบุคคลถูกปิดบัง');
    expect(detail).not.toContain('ผู้ร้อง ทดสอบ1');
    expect(detail).toMatch(/ผ••• ท•••/);
    expect(detail).toMatch(/08•-•••-••\d\d/);
    // The phone written into the description is replaced for a unit above too.
    expect(detail).toContain('ไฟฟ้าส่องสว่างในซอย 1 ดับมาหลายวัน กลางคืนมืดมากและไม่ปลอดภัย ลูกบ้านโทรแจ้ง [เบอร์โทร]');
    expect(detail).not.toContain('089-555-1212');
    await shot(page, 'case-masked');
    expect(await stack.rt.models.Audit.countDocuments({ lineUserId: head.userId, action: 'view_case_masked', via: 'dashboard' })).toBe(1);
  });

  it('keeps a district officer inside the district, and shows them their own case in full', async () => {
    const p = await desktop();
    await signIn(p, district, '/dashboard/');
    await p.goto(`${stack.web.url}/dashboard/?unit=10`);
    expect(await p.locator('h1').innerText()).toContain('นอกขอบเขต');
    await shot(p, 'scope-denied');
    await p.goto(`${stack.web.url}/dashboard/cases/${bkkTracking}`);
    expect(await p.locator('h1').innerText()).toContain('ไม่พบเรื่องนี้');
    const apiStatus = await p.evaluate(async () => (await fetch('/api/reports?unit=10&format=province&fiscalYear=2569')).status);
    expect(apiStatus).toBe(403);
    // The unit picker offers nothing outside the district.
    await p.goto(`${stack.web.url}/dashboard/cases`);
    const options = await p.locator('select[name="unit"] option').allInnerTexts();
    expect(options).toHaveLength(1);
    expect(options[0]).toContain('เมืองเชียงใหม่');
    await p.goto(`${stack.web.url}/dashboard/cases/${cmTracking}`);
    const detail = await p.locator('main').innerText();
    expect(detail).toContain('ท่านเป็นหน่วยงานผู้รับผิดชอบ');
    expect(detail).toMatch(/ผู้ร้อง ทดสอบ\d+/);
    await shot(p, 'case-own');
    // Sign out with the page's button.
    await p.locator('header form button').click();
    await p.waitForURL(/\/dashboard\/signed-out$/);
    await p.goto(`${stack.web.url}/dashboard/`);
    await p.waitForURL(/\/oauth2\/v2\.1\/authorize/, { timeout: WAIT });
  });

  it('had no script errors or CSP violations in any page', () => {
    expect(web.errors, web.errors.join('\n')).toEqual([]);
  });
});
