/**
 * The admins' audit log on the real dashboard: officers' reads of personal data and dashboard exports
 * recorded as they happen, partner reads shown with whatever fields they carry, filters by period,
 * officer, case and action, CSV/XLSX downloads (themselves recorded), and a 404 for everyone else.
 * Screenshot: artifacts/screenshots/dashboard-audit.png
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, seedCase, signIn, type Jar } from './helpers/dashboard.ts';
import { openBrowser, type Browsing } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';

let stack: Stack;
let web: Browsing;
let adminJar: Jar;
let headJar: Jar;
let headId = '';
let tracking = '';
let otherTracking = '';

beforeAll(async () => {
  [stack, web] = await Promise.all([startStack({ worker: false }), openBrowser({ base: () => stack.web.url, prefix: 'dashboard' })]);
  const head = await stack.officer('50', 'head', 'หัวหน้า จังหวัดเชียงใหม่');
  headId = String((await stack.rt.models.Officer.findOne({ lineUserId: head.userId }).lean())!._id);
  ({ jar: headJar } = await signIn(stack, head.userId));
  const admin = stack.sim.addUser({ displayName: 'ผู้ดูแลระบบ', language: 'th', role: 'officer' });
  await stack.rt.models.Officer.create({ lineUserId: admin.userId, unitCode: 'MOI', role: 'admin', name: 'ผู้ดูแลระบบ กลาง' });
  ({ jar: adminJar } = await signIn(stack, admin.userId));
  const c1 = await seedCase(stack, { provinceCode: '50', districtCode: '5001', name: 'สมหญิง รักดี', phone: '0899999999' });
  const c2 = await seedCase(stack, { provinceCode: '50', districtCode: '5002' });
  tracking = c1.trackingNo;
  otherTracking = c2.trackingNo;
  // The head reads both cases on the dashboard and downloads the case list.
  expect((await get(stack, `/dashboard/cases/${tracking}`, headJar)).status).toBe(200);
  expect((await get(stack, `/dashboard/cases/${otherTracking}`, headJar)).status).toBe(200);
  expect((await get(stack, '/dashboard/export/cases.csv?unit=50&from=2026-11-01&to=2026-11-30', headJar)).status).toBe(200);
  // A partner's read as the data exchange records it (apiKeyId and the fields it was given).
  await stack.rt.models.Audit.collection.insertOne({ at: new Date(), action: 'partner_read', via: 'api', caseId: c1.id, apiKeyId: 'key-cm-01', fields: ['status', 'category'] });
  // The export is recorded once its response was sent.
  for (let i = 0; i < 50 && (await stack.rt.models.Audit.countDocuments({ action: 'export' })) === 0; i++) await new Promise((r) => setTimeout(r, 100));
}, 120_000);
afterAll(async () => {
  await web?.close();
  await stack?.close();
});

const text = async (path: string, jar = adminJar) => {
  const res = await get(stack, path, jar);
  return { status: res.status, body: await res.text() };
};

describe('audit log page', () => {
  it('is for admins only: a head gets the same 404 as a missing page, for the page and its export', async () => {
    expect((await text('/dashboard/audit', headJar)).status).toBe(404);
    expect((await text('/dashboard/export/audit.csv', headJar)).status).toBe(404);
    expect((await text('/dashboard/', headJar)).body).not.toContain('/dashboard/audit');
    expect((await text('/dashboard/')).body).toContain('/dashboard/audit');
  });

  it('shows who read which case, the dashboard export with its unit and period, and the partner read with its fields', async () => {
    const { status, body } = await text('/dashboard/audit');
    expect(status).toBe(200);
    expect(body).toContain('หัวหน้า จังหวัดเชียงใหม่ (50)');
    expect(body).toContain(tracking);
    expect(body).toContain(otherTracking);
    expect(body).toContain('ส่งออกข้อมูลจากแดชบอร์ด');
    expect(body).toMatch(/page: \/dashboard\/export\/cases\.csv; scope: 50; period: 2026-11-01\.\.2026-11-30/);
    expect(body).toContain('API key key-cm-01');
    expect(body).toMatch(/fields: status, category/);
    // Officers are named; the complainant never is.
    expect(body).not.toContain('สมหญิง');
    expect(body).not.toContain('0899999999');
  });

  it('filters by case, officer, action and period', async () => {
    const byCase = (await text(`/dashboard/audit?case=${tracking}`)).body;
    expect(byCase).toContain('API key key-cm-01');
    expect(byCase).not.toContain(`>${otherTracking}<`);
    const byOfficer = (await text(`/dashboard/audit?officer=${headId}`)).body;
    expect(byOfficer).toContain(otherTracking);
    expect(byOfficer).not.toContain('key-cm-01');
    const exports = (await text('/dashboard/audit?action=export')).body;
    expect(exports).toContain('page: /dashboard/export/cases.csv');
    expect(exports).not.toContain(`>${tracking}<`);
    const later = (await text('/dashboard/audit?from=2030-01-01&to=2030-01-31')).body;
    expect(later).toMatch(/0 รายการ/);
    const bad = await text('/dashboard/audit?case=abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('tracking number such as 2569-000042');
    expect((await text('/dashboard/audit?officer[$ne]=x')).status).toBe(400);
  });

  it('asks the audit collection only what an index answers: an equality on caseId, officerId or action', async () => {
    const leading = new Set(stack.rt.models.Audit.schema.indexes().map(([keys]) => Object.keys(keys)[0]!));
    expect([...leading]).toEqual(expect.arrayContaining(['caseId', 'officerId', 'action']));
    const filters: Record<string, unknown>[] = [];
    const conn = stack.rt.models.conn;
    conn.set('debug', (collection: string, method: string, filter: unknown) => {
      if (collection === 'audit' && (method === 'find' || method === 'findOne')) filters.push(filter as Record<string, unknown>);
    });
    try {
      for (const q of ['', `?case=${tracking}`, `?officer=${headId}&from=2026-01-01&to=2030-12-31`, '?action=export', '?from=2026-01-01']) {
        expect((await text(`/dashboard/audit${q}`)).status).toBe(200);
      }
    } finally {
      conn.set('debug', false);
    }
    expect(filters.length).toBeGreaterThan(5);
    const unserved = filters.filter((f) => !Object.entries(f).some(([k, v]) => leading.has(k) && typeof v === 'string'));
    expect(unserved).toEqual([]);
  });

  it('downloads as CSV and XLSX, and the download is an audit entry of its own', async () => {
    const csv = await get(stack, `/dashboard/export/audit.csv?case=${tracking}`, adminJar);
    expect(csv.status).toBe(200);
    const body = await csv.text();
    expect(body).toContain('บันทึกการเข้าถึงข้อมูลส่วนบุคคล (Audit log)');
    expect(body).toContain('partner_read');
    expect(body).toContain('view_case');
    const xlsx = await get(stack, '/dashboard/export/audit.xlsx', adminJar);
    expect(xlsx.status).toBe(200);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    await expect.poll(async () => stack.rt.models.Audit.countDocuments({ action: 'export', page: '/dashboard/export/audit.csv' })).toBe(1);
    const entry = await stack.rt.models.Audit.findOne({ action: 'export', page: '/dashboard/export/audit.csv' }).lean<Record<string, unknown>>();
    expect(entry).toMatchObject({ via: 'dashboard', scope: 'MOI' });
  });

  it('renders in Chromium for the admin (screenshot)', async () => {
    // The favicon the browser asks for is a 404 by design; anything else logged as an error (a CSP refusal) counts.
    const page: Page = await web.page({ viewport: { width: 1280, height: 860 }, timezoneId: 'Asia/Bangkok', consoleErrors: (t) => !t.startsWith('Failed to load resource') });
    await page.context().addCookies([...adminJar].map(([name, value]) => ({ name, value, url: stack.web.url })));
    await page.goto(`${stack.web.url}/dashboard/audit`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('บันทึกการเข้าถึงข้อมูล');
    await expect.poll(() => page.locator('table.audit tbody tr').count()).toBeGreaterThanOrEqual(4);
    await web.shot(page, 'audit');
    expect(web.errors).toEqual([]);
  });
});
