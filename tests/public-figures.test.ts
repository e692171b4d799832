/**
 * The public figures page (figures/, docs/public-figures.md) on the real stack (app, worker, Redis,
 * FerretDB, the LINE simulator): off unless PUBLIC_FIGURES=true; on, the province's received and
 * closed equal the official table's, the median days to close, SLA met % and satisfaction match the
 * cases' own stored facts, small counts show as "< 5"; no personal data anywhere in the HTML; only
 * an officer-approved "after" photo is served (metadata removed), and a withdrawal takes it and its
 * result off at once; the page is cached (a new case is not visible until the cache expires, and
 * the cached answer reads nothing from the database).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb } from '../app/runtime.ts';
import { buildReport } from '../shared/reports/build.ts';
import { fiscalYearOf, fiscalYearPeriod, monthOf } from '../shared/reports/period.ts';
import { figuresGenerationKey } from '../shared/publicResults/index.ts';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import type { SimUser } from '../simulator/server.ts';
import { drained, startStack, type Stack } from './helpers/stack.ts';

const JPEG = readFileSync(new URL('./fixtures/photo-8x8.jpg', import.meta.url));
/** The fixture with an EXIF segment (a GPS position and a phone model, as a phone writes them) right after SOI. */
const EXIF_TEXT = 'Exif\0\0GPSLatitude 18.7883 GPSLongitude 98.9853 Model SM-A545';
const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([0, 0]), Buffer.from(EXIF_TEXT, 'latin1')]);
app1.writeUInt16BE(app1.length - 2, 2);
const JPEG_WITH_EXIF = Buffer.concat([JPEG.subarray(0, 2), app1, JPEG.subarray(2)]);

let stack: Stack;
let officer: SimUser;
let token: string;
const NAME = 'นางสาวพิมพ์ใจ ลับเฉพาะ';
const PHONE = '0812345678';

beforeAll(async () => {
  stack = await startStack({ env: { PUBLIC_FIGURES: 'true', PUBLIC_FIGURES_CACHE_SECONDS: '300' }, liffRateLimits: { write: { name: 'write', max: 100_000, windowSec: 60 } } });
  officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
  token = stack.sim.issueIdToken(officer.userId);
  // A partner agency under the district centre (the agencies helper adds more fields; the page reads only these).
  await stack.rt.models.Unit.create({ _id: 'PWA5001', nameTh: 'การประปาส่วนภูมิภาค สาขาเชียงใหม่ (ตัวอย่าง)', nameEn: 'PWA Chiang Mai branch (example)', level: 'partner', parentCode: '5001' });
});
afterAll(async () => { await stack?.close(); });

async function api(path: string, body?: unknown, as = token, contentType = 'application/json'): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${as}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function page(query = '', base = stack.web.url): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(`${base}/figures${query}`);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** The value shown for one figure of one unit's card. */
function figure(html: string, unit: string, key: string): string | undefined {
  const card = html.split('<article').find((a) => a.includes(`data-unit="${unit}"`));
  return card?.match(new RegExp(`data-k="${key}">([^<]*)<`))?.[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Received this long ago (never before the fiscal year began, so the year's table counts it). */
function receivedDaysAgo(days: number): string {
  const now = new Date();
  const fyStart = new Date(`${fiscalYearPeriod(fiscalYearOf(now)).from}T01:00:00+07:00`);
  return new Date(Math.max(fyStart.getTime(), now.getTime() - days * 86_400_000)).toISOString();
}

const DESCRIPTIONS: string[] = [];
/** A hotline case recorded by the officer, with the caller's name and phone. */
async function recordCase(category: string, days: number): Promise<string> {
  const description = `ผู้โทรแจ้ง ${randomUUID().slice(0, 8)} ถนนทรุดตัวหน้าบ้านเลขที่ 12 ซอยวัดเกต รถผ่านลำบาก`;
  DESCRIPTIONS.push(description);
  const r = await api('/officer/cases', {
    channel: 'hotline', category, description, location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107' },
    contact: { name: NAME, phone: PHONE }, anonymous: false, consent: { version: PDPA_NOTICE_VERSION, accepted: true },
    receivedAt: receivedDaysAgo(days), clientRequestId: randomUUID(),
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.id;
}

/** A case filed by a citizen on the LIFF form. */
async function fileCase(citizen: SimUser): Promise<string> {
  const description = `ท่อประปาแตกน้ำไหลนองถนน ${randomUUID().slice(0, 8)} มาสามวันแล้ว`;
  DESCRIPTIONS.push(description);
  const r = await api('/cases', {
    category: 'state_project', description, location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107' },
    anonymous: false, consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
  }, stack.sim.issueIdToken(citizen.userId));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.id;
}

const close = (id: string, body: Record<string, unknown> = {}) => api(`/officer/cases/${id}/close`, { summary: 'ซ่อมแซมเรียบร้อยแล้ว ตรวจสอบหน้างานเมื่อวันศุกร์', ...body });

let published: { id: string; slug: string };
let unpublishedPhotoFileId: string;
const citizens: SimUser[] = [];

describe('public figures page', () => {
  it('is off by default: without PUBLIC_FIGURES the page and the photo route are 404', async () => {
    const off = await startWeb({ ...stack.rt, config: { ...stack.rt.config, PUBLIC_FIGURES: false } }, 0, '127.0.0.1');
    try {
      expect((await page('', off.url)).status).toBe(404);
      expect((await fetch(`${off.url}/figures/photos/${'a'.repeat(22)}`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('shows each province and agency with the official table\'s received and closed, the median, SLA met and satisfaction of the known cases', async () => {
    // Six hotline cases received 1–40 days ago, all closed now: days to close and SLA differ between them.
    const recorded = [];
    for (const days of [1, 4, 9, 15, 23, 40]) recorded.push(await recordCase('state_project', days));
    for (const id of recorded.slice(1)) expect((await close(id)).status).toBe(200);
    // The first is closed with an after photo (carrying EXIF) and published; another with a photo, not published.
    const up = await api(`/officer/cases/${recorded[0]}/uploads`, JPEG_WITH_EXIF, token, 'image/jpeg');
    expect(up.status).toBe(201);
    const pub = await close(recorded[0]!, { photoIds: [up.json.id], publish: true, publicSummary: 'ปรับผิวถนนใหม่ 30 เมตร โทรสอบถาม 081-234-5678' });
    expect(pub.status, JSON.stringify(pub.json)).toBe(200);
    const other = await recordCase('state_project', 2);
    const up2 = await api(`/officer/cases/${other}/uploads`, JPEG, token, 'image/jpeg');
    expect((await close(other, { photoIds: [up2.json.id] })).status).toBe(200);
    unpublishedPhotoFileId = up2.json.id;

    // Five citizens' cases, closed and rated 5 4 4 3 5; two more left open, forwarded to the agency.
    for (let i = 0; i < 7; i++) citizens.push(await stack.citizen(`ผู้ร้องทดสอบ ${i}`));
    const filed = [];
    for (const c of citizens) filed.push(await fileCase(c));
    const scores = [5, 4, 4, 3, 5];
    for (const [i, id] of filed.slice(0, 5).entries()) {
      expect((await close(id)).status).toBe(200);
      const s = await api(`/cases/${id}/survey`, { score: scores[i], fixed: true }, stack.sim.issueIdToken(citizens[i]!.userId));
      expect(s.status, JSON.stringify(s.json)).toBe(201);
    }
    for (const id of filed.slice(5)) {
      expect((await api(`/officer/cases/${id}/forward`, { unitCode: 'PWA5001', reason: 'ท่อประปาเป็นของการประปา' })).status).toBe(200);
    }
    // Not a place (help): publishing is refused with a reason, and the case stays open.
    const help = await recordCase('help', 3);
    const refused = await close(help, { publish: true });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message.th).toContain('เผยแพร่ต่อสาธารณะไม่ได้');
    expect((await close(help)).status).toBe(200);
    await drained(stack);

    const slugOf = await stack.rt.models.Case.findById(recorded[0]).lean();
    published = { id: recorded[0]!, slug: slugOf!.publicSlug! };
    expect(published.slug).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const fy = fiscalYearOf(new Date());
    const { status, html, headers } = await page();
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('public, max-age=300');
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toContain('สถิติการแก้ไขเรื่องร้องเรียน');
    expect(html).toContain(`ปีงบประมาณ พ.ศ. ${fy}`);

    // Received and closed: exactly the official table of the province (and of the whole country).
    const table = await buildReport({ models: stack.rt.models }, { unitCode: '50', withChildren: true, format: 'province', period: fiscalYearPeriod(fy) });
    expect(table.total.total).toBe(15);
    expect(table.total.closed).toBe(13);
    expect(figure(html, '50', 'received')).toBe(String(table.total.total));
    expect(figure(html, '50', 'closed')).toBe(String(table.total.closed));
    expect(figure(html, 'MOI', 'received')).toBe('15');

    // Median and SLA met from the cases' own stored facts (frozen at close), computed here independently.
    const closedCases = await stack.rt.models.Case.find({ status: 'closed' }, { report: 1, resolveDueAt: 1 }).lean();
    expect(closedCases).toHaveLength(13);
    const days = closedCases.map((c) => c.report!.closeDays!).sort((a, b) => a - b);
    expect(new Set(days).size).toBeGreaterThan(2);
    const median = days.length % 2 ? days[(days.length - 1) / 2]! : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2;
    expect(figure(html, '50', 'median')).toBe(`${median} วันทำการ`);
    const withDeadline = closedCases.filter((c) => typeof c.report?.slaMet === 'boolean');
    const met = withDeadline.filter((c) => c.report!.slaMet).length;
    expect(figure(html, '50', 'sla')).toBe(`${Math.round((met / withDeadline.length) * 1000) / 10}%`);
    expect(figure(html, '50', 'satisfaction')).toBe('4.20/5 (5 คน)');
    // Reopen rate: nobody reopened, over 13 closed.
    expect(figure(html, '50', 'reopen')).toBe('0%');

    // The agency holds two cases: small counts are not shown as such, nor anything derived from them.
    expect(html).toContain('การประปาส่วนภูมิภาค สาขาเชียงใหม่ (ตัวอย่าง)');
    expect(figure(html, 'PWA5001', 'received')).toBe('< 5');
    expect(figure(html, 'PWA5001', 'closed')).toBe('0');
    expect(figure(html, 'PWA5001', 'median')).toBe('–');

    // The published result: its type, area, month and public summary, redacted; its photo link.
    expect(html).toContain(`id="r-${published.slug}"`);
    expect(html).toContain('ปรับผิวถนนใหม่ 30 เมตร');
    expect(html).toContain('[เบอร์โทร]');
    expect(html).toContain('ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    expect(html).toContain(`/figures/photos/${published.slug}`);

    // English on request.
    const en = await page('?lang=en');
    expect(en.html).toContain('Complaint figures');
    expect(figure(en.html, '50', 'median')).toBe(`${median} working days`);
  });

  it('carries no personal data: no names, phones, LINE ids, tracking numbers or complainants\' words', async () => {
    const { html } = await page('?period=' + `${fiscalYearOf(new Date())}`);
    const all = await stack.rt.models.Case.find({}, { trackingNo: 1 }).lean();
    expect(all.length).toBeGreaterThan(10);
    const leaks = [NAME, PHONE, '081-234-5678', officer.userId, ...citizens.map((c) => c.userId), ...citizens.map((c) => c.displayName),
      ...all.map((c) => c.trackingNo), ...DESCRIPTIONS, 'ถนนทรุดตัว', 'ท่อประปาแตก'].filter((s) => html.includes(s));
    expect(leaks).toEqual([]);
  });

  it('serves only the approved after photo, without its metadata; withdrawal takes it and the result off at once', async () => {
    const res = await fetch(`${stack.web.url}/figures/photos/${published.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
    // The image itself is untouched: the fixture had no metadata of its own.
    expect(bytes.equals(JPEG)).toBe(true);

    // The other after photo was never approved: nothing addresses it, by its id or any other handle.
    for (const guess of [unpublishedPhotoFileId, `${unpublishedPhotoFileId.slice(0, 22)}`, 'A'.repeat(22)]) {
      expect((await fetch(`${stack.web.url}/figures/photos/${guess}`)).status).toBe(404);
    }

    const w = await api(`/officer/cases/${published.id}/public-result/withdraw`, {});
    expect(w.status, JSON.stringify(w.json)).toBe(200);
    expect((await fetch(`${stack.web.url}/figures/photos/${published.slug}`)).status).toBe(404);
    const { html } = await page();
    expect(html).not.toContain(published.slug);
    expect(html).not.toContain('ปรับผิวถนนใหม่');
    expect(html).toContain('ยังไม่มีผลการแก้ไขที่เจ้าหน้าที่อนุมัติ');
    // Approved again later from the case page: back, under a new handle.
    const again = await api(`/officer/cases/${published.id}/public-result`, { summary: 'ปรับผิวถนนใหม่ 30 เมตร เรียบร้อย' });
    expect(again.status, JSON.stringify(again.json)).toBe(200);
    const slug2 = (await stack.rt.models.Case.findById(published.id).lean())!.publicSlug!;
    expect(slug2).not.toBe(published.slug);
    expect((await page()).html).toContain(`/figures/photos/${slug2}`);
    expect((await fetch(`${stack.web.url}/figures/photos/${published.slug}`)).status).toBe(404);
    expect((await fetch(`${stack.web.url}/figures/photos/${slug2}`)).status).toBe(200);
  });

  it('is cached: a new case is not visible, and nothing is read from the database, until the cache expires', async () => {
    const month = `?period=${String(monthOf(new Date())).replace(/(\d{4})(\d{2})/, '$1-$2')}`;
    const first = await page(month);
    const before = figure(first.html, '50', 'received');
    expect(before).toMatch(/^\d+$/);

    await recordCase('state_project', 0);
    await drained(stack);
    // The page's reads are the units, the report counters and the cases (published results).
    const reads: string[] = [];
    stack.rt.models.conn.set('debug', (collection: string, method: string) => {
      if (['units', 'report_counters', 'cases'].includes(collection)) reads.push(`${collection}.${method}`);
    });
    let second;
    try {
      second = await page(month);
    } finally {
      stack.rt.models.conn.set('debug', false);
    }
    expect(reads).toEqual([]);
    expect(figure(second.html, '50', 'received')).toBe(before);

    // The cached entry lives at most the configured time; once it has gone, the new case shows.
    const redis = stack.rt.queues.connection;
    const gen = (await redis.get(figuresGenerationKey(stack.config.QUEUE_PREFIX))) ?? '0';
    const keys = await redis.keys(`${stack.config.QUEUE_PREFIX}:figures:${gen}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      const ttl = await redis.ttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);
      await redis.pexpire(k, 1);
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(figure((await page(month)).html, '50', 'received')).toBe(String(Number(before) + 1));
  });

  it('refuses a bad period with a clear message', async () => {
    const r = await page('?period=2026-13');
    expect(r.status).toBe(400);
    expect(r.html).toContain('เดือนไม่ถูกต้อง');
    expect(r.html).toContain('month must be YYYY-MM');
    const future = await page(`?period=${fiscalYearOf(new Date()) + 1}`);
    expect(future.status).toBe(400);
    expect(future.html).toContain('only fiscal years');
  });
});
