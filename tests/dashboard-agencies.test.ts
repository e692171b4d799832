/**
 * The dashboard with partner agencies, related complaints and published results, on the real stack
 * (web process, FerretDB, Redis, the LINE simulator's LINE Login, Chromium): a district centre's head
 * picks the agency it supervises and sees its cases and late cases; the overview and late units list
 * agencies under their centre; the official tables count every agency case exactly once (equal to
 * the tables counted from the cases); the case page shows supporters, followers (a count), linked
 * and merged cases, the suggested agency and the published result, which the head withdraws there;
 * the case list filters by problem type and by "reported by two or more".
 * Screenshots: artifacts/screenshots/dashboard-agency-case.png, dashboard-agency-case-published.png, dashboard-agency-overview.png
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAgencies } from '../shared/agencies/importCsv.ts';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { joinCase } from '../shared/cases/commands/joinCase.ts';
import { linkCases } from '../shared/cases/commands/linkCases.ts';
import { mergeCases } from '../shared/cases/commands/mergeCases.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { publishResult } from '../shared/cases/commands/publishResult.ts';
import { buildReport, buildReportFromCases, fiscalYearOf, fiscalYearPeriod } from '../shared/reports/index.ts';
import type { SimUser } from '../simulator/server.ts';
import { scopeOf } from '../shared/supervision/lateUnits.ts';
import { searchCases, unitInfo } from '../dashboard/data.ts';
import { get, seedCase, signIn, type Jar } from './helpers/dashboard.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';

const DEMO = new URL('../config/agencies-demo.csv', import.meta.url).pathname;
const MUN = 'AG-CM-HANGDONG-MUN';
const HANG_DONG = { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5015', districtName: 'หางดง', subdistrictCode: '501501', subdistrictName: 'หางดง' };
const DAY = 86_400_000;

let t = Date.now();
const clock = { now: () => new Date(t) };
let stack: Stack;
let web: Browsing;
let head: SimUser; // หัวหน้า ศูนย์ดำรงธรรมอำเภอหางดง (5015), supervises the agencies
let provinceHead: SimUser; // หัวหน้า จ.เชียงใหม่ (50)
let headJar: Jar;
const cases: Record<string, { id: string; trackingNo: string; unitCode: string }> = {};

let seq = 0;
async function fileCase(problemType: string, description: string, lineUserId: string) {
  const c = await openCase(stack.rt.bot, {
    idempotencyKey: `dash-agencies-${++seq}`, channel: 'line', category: 'help', problemType, description, location: HANG_DONG,
    complainant: { lineUserId, name: 'ผู้ร้อง หางดง', phone: '0812223344', lang: 'th' }, consent: { version: '2569.1', at: new Date(t) },
    via: 'liff', by: { kind: 'citizen', id: lineUserId },
  });
  return { id: String(c._id), trackingNo: c.trackingNo, unitCode: c.unitCode };
}

const text = async (path: string, jar = headJar) => {
  const res = await get(stack, path, jar);
  expect(res.status, path).toBe(200);
  return res.text();
};

beforeAll(async () => {
  [stack, web] = await Promise.all([
    startStack({ worker: false, clock }),
    openBrowser({ base: () => stack.web.url, prefix: 'dashboard', wait: 20_000 }),
  ]);
  const imported = await importAgencies(stack.rt.models, readFileSync(DEMO, 'utf8'));
  expect(imported.errors).toEqual([]);
  head = await stack.officer('5015', 'head', 'หัวหน้า ศูนย์ดำรงธรรมอำเภอหางดง');
  provinceHead = await stack.officer('50', 'head', 'หัวหน้า จ.เชียงใหม่');
  const munOfficer = await stack.officer(MUN, 'officer', 'จนท. เทศบาลหางดง');
  const mun = (await stack.rt.models.Officer.findOne({ lineUserId: munOfficer.userId }).lean())!;
  const munRef = { id: String(mun._id), name: mun.name, unitCode: MUN, role: 'officer' as const };
  const headDoc = (await stack.rt.models.Officer.findOne({ lineUserId: head.userId }).lean())!;
  const headRef = { id: String(headDoc._id), name: headDoc.name, unitCode: '5015', role: 'head' as const };
  const deps = { models: stack.rt.models, clock, publish: stack.rt.bot.publish };
  const citizens = await Promise.all([1, 2, 3, 4].map((i) => stack.citizen(`ผู้ร้อง ${i}`)));

  t = Date.now() - 40 * DAY;
  // A street light opens at the municipality (direct); a nuisance opens at the centre with the agency suggested.
  cases.light = await fileCase('street_light', 'ไฟถนนหน้าวัดดับทั้งซอยมาหนึ่งสัปดาห์ กลางคืนมืดมาก', citizens[0]!.userId);
  cases.lightAgain = await fileCase('street_light', 'ไฟถนนหน้าวัดดับ ซอยเดียวกัน แจ้งซ้ำอีกครั้ง', citizens[1]!.userId);
  cases.road = await fileCase('road', 'ถนนหน้าตลาดเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย', citizens[2]!.userId);
  cases.noise = await fileCase('nuisance', 'โรงงานข้างบ้านส่งเสียงดังตลอดคืน นอนไม่หลับ', citizens[3]!.userId);
  cases.centre = await seedCase(stack, { provinceCode: '50', districtCode: '5015', receivedAt: new Date(t) });
  cases.mueang = await seedCase(stack, { provinceCode: '50', districtCode: '5001', receivedAt: new Date(t) });
  expect([cases.light.unitCode, cases.road.unitCode, cases.noise.unitCode, cases.centre.unitCode]).toEqual([MUN, MUN, '5015', '5015']);

  t += DAY;
  // Someone joins the light case (แจ้งด้วย); the repeat is merged into it; the centre's case is linked to it.
  expect((await joinCase(deps, { caseId: cases.light.id, lineUserId: citizens[2]!.userId, lang: 'th' })).ok).toBe(true);
  expect((await mergeCases(deps, { caseId: cases.lightAgain.id, targetCaseId: cases.light.id, officer: headRef })).ok).toBe(true);
  expect((await linkCases(deps, { caseId: cases.centre.id, otherCaseId: cases.light.id, officer: headRef, via: 'dashboard' })).ok).toBe(true);
  // The road is fixed by the municipality and its result published.
  expect((await closeCase(deps, { caseId: cases.road.id, officer: munRef, summary: 'เทศบาลซ่อมผิวถนนหน้าตลาดเรียบร้อยแล้ว' })).ok).toBe(true);
  expect((await publishResult(deps, { caseId: cases.road.id, officer: munRef, summary: 'เทศบาลซ่อมผิวถนนหน้าตลาดเรียบร้อยแล้ว โทร 089-111-2233' })).ok).toBe(true);
  // Now: the light case is weeks past its deadlines.
  t = Date.now();
  headJar = (await signIn(stack, head.userId)).jar;
}, 120_000);

afterAll(async () => {
  await web?.close();
  await stack?.close();
});

describe('partner agencies on the dashboard', () => {
  it('the centre picks the agency it supervises, right under itself, and sees its cases and its late cases', async () => {
    const overview = await text('/dashboard/');
    const options = [...overview.matchAll(/<option value="([^"]+)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
    const at = options.findIndex(([code]) => code === MUN);
    expect(at).toBeGreaterThan(options.findIndex(([code]) => code === '5015'));
    expect(options[at]![1]).toBe('· เทศบาลตำบลหางดง (ตัวอย่าง)');

    const list = await text(`/dashboard/cases?unit=${MUN}`);
    expect(list).toContain('พบ 3 เรื่อง');
    for (const c of [cases.light, cases.road, cases.lightAgain]) expect(list).toContain(`>${c.trackingNo}</a>`);
    expect(list).not.toContain(`>${cases.centre.trackingNo}</a>`);

    const late = await text(`/dashboard/late-units?unit=${MUN}`);
    expect(late).toMatch(new RegExp(`<tr data-unit="${MUN}">.*· เทศบาลตำบลหางดง \\(ตัวอย่าง\\).*หน่วยงานภาคี ในความดูแลของศูนย์ดำรงธรรมอำเภอหางดง`, 's'));
    expect(late).toContain(`>${cases.light.trackingNo}</a>`);
    // The centre's own late-units page ranks the agency with the centre itself.
    const all = await text('/dashboard/late-units');
    expect(all).toContain(`<tr data-unit="${MUN}">`);
    expect(all).toContain('<tr data-unit="5015">');
  });

  it('the overview lists the agencies under their supervising centre with their year\'s figures', async () => {
    const { jar } = await signIn(stack, provinceHead.userId);
    const fy = fiscalYearOf(new Date(Date.now() - 40 * DAY));
    const page = await text(`/dashboard/?fy=${fy}`, jar);
    const section = /<section class="agencies"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    expect(section).toMatch(/ศูนย์ดำรงธรรมอำเภอหางดง <small class="code">5015<\/small>/);
    // light + merged repeat + road: received 3, the road and the merged repeat closed.
    expect(section).toMatch(new RegExp(`<tr data-unit="${MUN}"><td><span class="agency">· เทศบาลตำบลหางดง \\(ตัวอย่าง\\)</span>.*?<td class="n">3</td><td class="n">2</td><td class="n">1</td>`));
    // The reopen rates per unit mark the agency too (its road case was closed as resolved).
    expect(/<section class="reopens"[\s\S]*?<\/section>/.exec(page)?.[0]).toContain(`<tr data-unit="${MUN}"><td><span class="agency">· เทศบาลตำบลหางดง (ตัวอย่าง)</span>`);
    // A centre with no agency under it has no such section.
    const other = await stack.officer('5001', 'head', 'หัวหน้า อ.เมือง');
    expect(await text('/dashboard/', (await signIn(stack, other.userId)).jar)).not.toContain('class="agencies"');
  });

  it('official tables count each agency case once, in the tables of its area, equal to the tables from the cases', async () => {
    const period = fiscalYearPeriod(fiscalYearOf(new Date(Date.now() - 40 * DAY)));
    const models = stack.rt.models;
    for (const format of ['province', 'district'] as const) {
      for (const [unitCode, withChildren] of [['50', true], ['5015', true], ['5015', false], [MUN, true], ['MOI', true]] as const) {
        const q = { unitCode, withChildren, format, period };
        const fromCounters = await buildReport({ models }, q);
        const fromCases = await buildReportFromCases({ models }, q);
        expect(fromCounters.rows, `${format} ${unitCode} ${withChildren}`).toEqual(fromCases.rows);
      }
      const tree = await buildReport({ models }, { unitCode: '5015', withChildren: true, format, period });
      const own = await buildReport({ models }, { unitCode: '5015', withChildren: false, format, period });
      const agencies = await models.Unit.find({ level: 'partner', parentCode: '5015' }).lean();
      const agencyTotal = (await Promise.all(agencies.map((a) => buildReport({ models }, { unitCode: String(a._id), withChildren: true, format, period })))).reduce((n, r) => n + r.total.total, 0);
      // 5015's tree = its own 2 cases + the municipality's 3: each once.
      expect(own.total.total).toBe(2);
      expect(agencyTotal).toBe(3);
      expect(tree.total.total).toBe(own.total.total + agencyTotal);
      const province = await buildReport({ models }, { unitCode: '50', withChildren: true, format, period });
      expect(province.total.total).toBe(6);
    }
  });
});

describe('the case page knows related complaints and the published result', () => {
  it('shows supporters and followers as counts, merged and linked cases as links, the suggested agency', async () => {
    const light = await text(`/dashboard/cases/${cases.light.trackingNo}`);
    // The complainant, the one who joined, and the complainant of the merged repeat.
    expect(light).toMatch(/<dd class="supporters">มีผู้แจ้ง 3 คน <small>3 people reported this<\/small> · ผู้ติดตาม 2 คน/);
    // The linked centre case and the merged repeat (a merge links both ways too).
    const related = /<dd class="related">(.*?)<\/dd>/.exec(light)?.[1] ?? '';
    expect(related).toContain(`<a href="/dashboard/cases/${cases.centre.trackingNo}">${cases.centre.trackingNo}</a>`);
    expect(related).toContain(`<a href="/dashboard/cases/${cases.lightAgain.trackingNo}">`);
    expect(light).toContain('💡 ไฟถนนดับ');
    const followerIds = ((await stack.rt.models.Case.findById(cases.light.id).lean())!.followers ?? []).map((f) => f.lineUserId);
    expect(followerIds).toHaveLength(2);
    for (const id of followerIds) expect(light).not.toContain(id);

    const repeat = await text(`/dashboard/cases/${cases.lightAgain.trackingNo}`);
    expect(repeat).toContain(`<dd class="merged"><a href="/dashboard/cases/${cases.light.trackingNo}">${cases.light.trackingNo}</a>`);
    const noise = await text(`/dashboard/cases/${cases.noise.trackingNo}`);
    expect(noise).toContain('<dd class="suggested">เทศบาลตำบลหางดง (ตัวอย่าง)');
    expect(noise).toContain('มีผู้แจ้ง 1 คน');
  });

  it('shows the published result (redacted) and the head withdraws it with a CSRF-checked, audited POST', async () => {
    const path = `/dashboard/cases/${cases.road.trackingNo}`;
    const page = await text(path);
    expect(page).toContain('ผลที่เผยแพร่ต่อสาธารณะ');
    expect(page).toContain('เทศบาลซ่อมผิวถนนหน้าตลาดเรียบร้อยแล้ว โทร [เบอร์โทร]');
    const csrf = /id="withdraw-result">\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeTruthy();
    const post = (body: Record<string, string>, jar = headJar) => get(stack, `${path}/withdraw-result`, jar, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

    const forged = await post({ csrf: 'forged' });
    expect(forged.status).toBe(403);
    // An officer of another district cannot act on it: not found, and nothing changes.
    const outsider = await stack.officer('5001', 'head', 'หัวหน้า อ.เมือง 2');
    const outJar = (await signIn(stack, outsider.userId)).jar;
    const outCsrf = /name="csrf" value="([^"]+)"/.exec(await text('/dashboard/', outJar))![1]!;
    expect((await post({ csrf: outCsrf }, outJar)).status).toBe(404);
    expect((await stack.rt.models.Case.findById(cases.road.id).lean())!.publicSlug).toBeTruthy();

    const done = await post({ csrf: csrf! });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${path}?done=withdrawn`);
    const after = await text(`${path}?done=withdrawn`);
    expect(after).toContain('ยกเลิกการเผยแพร่ผลแล้ว');
    expect(after).not.toContain('ผลที่เผยแพร่ต่อสาธารณะ');
    expect(after).toContain('ยกเลิกการเผยแพร่ผลการแก้ไข');
    const c = (await stack.rt.models.Case.findById(cases.road.id).lean())!;
    expect(c.publicSlug).toBeUndefined();
    expect(await stack.rt.models.Audit.countDocuments({ caseId: cases.road.id, action: 'withdraw_public_result', via: 'dashboard' })).toBe(1);
    // Twice: nothing is published any more.
    expect((await post({ csrf: csrf! })).status).toBe(409);
  });
});

describe('case list: problem type and reported by many', () => {
  it('filters by problem type and by two or more reporters, and refuses an unknown type', async () => {
    const lights = await text('/dashboard/cases?type=street_light');
    expect(lights).toContain('พบ 2 เรื่อง');
    expect(lights).toContain(`>${cases.light.trackingNo}</a>`);
    expect(lights).not.toContain(`>${cases.road.trackingNo}</a>`);
    const many = await text('/dashboard/cases?reported=2');
    expect(many).toContain('พบ 1 เรื่อง');
    expect(many).toMatch(new RegExp(`>${cases.light.trackingNo}</a>.*<td class="n reporters">3</td>`, 's'));
    // Paged one case at a time, the filtered list equals a plain query of the cases, newest first.
    const scope = { unit: (await unitInfo(stack.rt.models, '50'))!, codes: await scopeOf(stack.rt.models, '50') };
    const plain = (await stack.rt.models.Case.find({ unitCode: { $in: scope.codes! }, problemType: 'street_light' }).lean())
      .sort((a, b) => new Date(b.receivedAt ?? b.createdAt).getTime() - new Date(a.receivedAt ?? a.createdAt).getTime() || String(b._id).localeCompare(String(a._id)))
      .map((c) => c.trackingNo);
    const p1 = await searchCases(stack.rt.models, scope, { page: 1, problemType: 'street_light' }, 1);
    const p2 = await searchCases(stack.rt.models, scope, { page: 2, problemType: 'street_light' }, 1);
    expect([p1.totalExact, p2.totalExact, p2.total]).toEqual([false, true, 2]);
    expect([...p1.rows, ...p2.rows].map((r) => r.trackingNo)).toEqual(plain);
    const bad = await get(stack, '/dashboard/cases?type=nonsense', headJar);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('unknown problem type');
  });
});

describe('in Chromium', () => {
  it('the case page with its supporters, links, suggested agency and published result', async () => {
    const page: Page = await web.page({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Bangkok', consoleErrors: (m) => !m.startsWith('Failed to load resource') });
    await page.goto(`${stack.web.url}/dashboard/cases/${cases.light.trackingNo}`);
    await page.waitForURL(/\/oauth2\/v2\.1\/authorize/, { timeout: 20_000 });
    await page.locator('button.user', { hasText: head.displayName }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/dashboard/cases/'), { timeout: 20_000 });
    await expect.poll(() => page.locator('dd.supporters').textContent()).toContain('มีผู้แจ้ง 3 คน');
    await expect.poll(() => page.locator('dd.related').textContent()).toContain(cases.centre.trackingNo);
    await web.shot(page, 'agency-case', true);
    // Published again (after the withdrawal above): the result and its withdraw button.
    const mun = (await stack.rt.models.Officer.findOne({ unitCode: MUN }).lean())!;
    expect((await publishResult({ models: stack.rt.models, clock, publish: stack.rt.bot.publish }, { caseId: cases.road.id, officer: { id: String(mun._id), name: mun.name, unitCode: MUN, role: 'officer' }, summary: 'เทศบาลซ่อมผิวถนนหน้าตลาดเรียบร้อยแล้ว' })).ok).toBe(true);
    await page.goto(`${stack.web.url}/dashboard/cases/${cases.road.trackingNo}`);
    await expect.poll(() => page.locator('#withdraw-result button').textContent()).toContain('ยกเลิกการเผยแพร่');
    await web.shot(page, 'agency-case-published', true);
    await page.goto(`${stack.web.url}/dashboard/?fy=${fiscalYearOf(new Date(Date.now() - 40 * DAY))}`);
    await expect.poll(() => page.locator(`section.agencies tr[data-unit="${MUN}"]`).textContent()).toContain('· เทศบาลตำบลหางดง');
    await web.shot(page, 'agency-overview', true);
    expect(web.errors).toEqual([]);
  });
});

describe('forwarding to the suggested agency from the case page', () => {
  it('the centre head forwards in one POST to the agency the case names, CSRF-checked; the case then sits with the agency', async () => {
    const path = `/dashboard/cases/${cases.noise.trackingNo}`;
    const page = await text(path);
    expect(page).toContain('id="forward-agency"');
    expect(page).toContain('ส่งต่อเทศบาลตำบลหางดง (ตัวอย่าง)');
    const csrf = /id="forward-agency">\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeTruthy();
    const post = (body: Record<string, string>) => get(stack, `${path}/forward`, headJar, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
    expect((await post({ csrf: 'forged' })).status).toBe(403);
    // Extra fields (a unit of the poster's choosing) are refused: only the suggested agency is reachable.
    expect((await post({ csrf: csrf!, unitCode: '5001' })).status).toBe(400);
    expect((await stack.rt.models.Case.findById(cases.noise.id).lean())!.unitCode).toBe('5015');

    const done = await post({ csrf: csrf! });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${path}?done=forward`);
    const after = (await stack.rt.models.Case.findById(cases.noise.id).lean())!;
    expect(after.unitCode).toBe(MUN);
    expect(after.timeline.at(-1)).toMatchObject({ action: 'forwarded', unitCode: MUN, fromUnitCode: '5015' });
    // The head still sees it (the agency is below the centre), with no forward form left to press.
    const again = await text(`${path}?done=forward`);
    expect(again).toContain('ส่งต่อหน่วยงานที่แนะนำแล้ว');
    expect(again).not.toContain('id="forward-agency"');
  });
});
