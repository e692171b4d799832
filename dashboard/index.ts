/**
 * The executive dashboard at /dashboard: LINE Login sign-in, then server-rendered pages —
 * overview, official tables (+ print view), late units, trends, data completeness, case search and
 * detail — and CSV/XLSX exports. Every page is limited to the signed-in officer's scope.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { CASE_STATUSES, CHANNELS, STATUS_LABELS, SUBJECT_CATEGORIES } from '../shared/categories.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Models } from '../shared/models/index.ts';
import type { WorkingCalendar } from '../shared/sla/calendar.ts';
import { lateUnits } from '../shared/supervision/lateUnits.ts';
import { staffedUnits, unitsBelow } from '../shared/cases/access.ts';
import { OPEN_STATUSES } from '../shared/categories.ts';
import { slaContext } from '../shared/sla/load.ts';
import { formatDate, formatDateTime } from '../shared/thaiDate.ts';
import { createDashboardSessionReader, loginRouter, type AuthConfig, type DashboardSession } from './auth.ts';
import { COMPLETENESS_RULES } from './completeness.ts';
import {
  ForbiddenScope, PAGE_SIZE, completeness, overview, reopenRates, resolveScope, searchCases, trends, unitInfo, unitOptions,
  type Scope, type UnitInfo,
} from './data.ts';
import { exportFileName, sendTable, type Table } from './export.ts';
import { errorPage, html, layout, num, plainPage, raw, type NavUser, type Raw } from './html.ts';
import { printPage, reportNote, reportTable } from './reportView.ts';
import { buildReport, fiscalYearOf, parsePeriod, periodLabel, reportFileName, toCsv, toXlsx, ReportInputError, type ReportJson, type ReportQuery } from '../shared/reports/index.ts';
import { areaOf } from './area.ts';
import { CLOSE_DAYS_CAP } from '../shared/reports/counters.ts';
import { maskAddress, maskFreeText, maskLineId, maskName, maskPhone } from './mask.ts';
import { isSupervisorRole, mayActOn } from '../shared/cases/access.ts';
import type { OfficerRef } from '../shared/cases/actor.ts';
import { assignCaseToOfficer } from '../shared/cases/commands/assignCase.ts';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { takeOverCase } from '../shared/cases/commands/takeOverCase.ts';
import type { PublishEvents } from '../shared/cases/events.ts';
import { isOpenStatus } from '../shared/categories.ts';
import { en as enCopy } from '../shared/i18n/en.ts';
import { th as thCopy } from '../shared/i18n/th.ts';
import type { LineClient } from '../shared/line/client.ts';
import { nudgeUnit } from '../shared/supervision/nudges.ts';
import { sameToken } from './session.ts';
import { thaiMonth } from '../shared/thaiDate.ts';

/** The report engine (shared/reports/ buildReport), injected so the dashboard holds no second one. */
export type BuildReport = (q: ReportQuery) => Promise<ReportJson>;

export interface DashboardDeps {
  models: Models;
  clock: Clock;
  log: Logger;
  config: AuthConfig;
  calendar: WorkingCalendar;
  /** The official tables; default: shared/reports buildReport on these models. */
  buildReport?: BuildReport;
  /**
   * What supervisors' actions need (take over, assign, close a case; กระตุ้น a late unit): the domain
   * events' queue and LINE. Absent: the dashboard only reads.
   */
  actions?: { publish: PublishEvents; line: LineClient };
}

const ASSETS = new URL('./web/', import.meta.url);
const ASSET_TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

function chartJsPath(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  } catch {
    return undefined;
  }
}

// -------- query validation: bad input → a clear 400, never a crash

const code = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'รหัสหน่วยงานไม่ถูกต้อง (bad unit code)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'วันที่ต้องเป็น YYYY-MM-DD (date must be YYYY-MM-DD)').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00+07:00`)), 'วันที่ไม่ถูกต้อง (invalid date)');
const common = z.object({
  unit: code.optional(),
  fy: z.coerce.number().int().min(2500, 'ปีงบประมาณ พ.ศ. 2500–2700 (fiscal year, BE)').max(2700, 'ปีงบประมาณ พ.ศ. 2500–2700 (fiscal year, BE)').optional(),
});
const pageQuery = common.strict();
const reportQuery = common.extend({
  format: z.enum(['province', 'district']).default('province'),
  withChildren: z.enum(['true', 'false']).default('true'),
  period: z.enum(['fy', 'month', 'range']).default('fy'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'เดือนต้องเป็น YYYY-MM (month must be YYYY-MM)').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
}).strict();
const caseQuery = common.extend({
  q: z.string().max(100, 'คำค้นยาวเกิน 100 ตัวอักษร (query too long)').regex(/^[^\u0000-\u001f\u007f]*$/, 'มีอักขระควบคุม (control characters)').optional(),
  status: z.enum(CASE_STATUSES).or(z.literal('')).optional(),
  category: z.string().max(30).optional(),
  from: isoDate.or(z.literal('')).optional(),
  to: isoDate.or(z.literal('')).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
}).strict();

class BadQuery extends Error { override name = 'BadQuery'; }

function parse<S extends z.ZodObject>(schema: S, req: Request): z.infer<S> {
  // An empty form field means "not chosen"; unknown keys (e.g. `unit[$gt]`), empty or not, are refused by the strict schemas.
  const query = Object.fromEntries(Object.entries(req.query).filter(([k, v]) => v !== '' || !(k in schema.shape)));
  const r = schema.safeParse(query);
  if (!r.success) {
    throw new BadQuery(r.error.issues.map((i) => (i.code === 'unrecognized_keys'
      ? `ไม่รู้จักตัวเลือก ${i.keys.join(', ')} (unknown parameter)`
      : `${i.path.join('.') || 'query'}: ${i.message}`)).join('; '));
  }
  return r.data;
}

const bangkokMidnight = (s: string) => new Date(`${s}T00:00:00+07:00`);

export function createDashboard(deps: DashboardDeps): Router {
  const r = express.Router();
  const readSession = createDashboardSessionReader(deps);
  const chartJs = chartJsPath();
  const report: BuildReport = deps.buildReport ?? ((q) => buildReport({ models: deps.models }, q));

  r.use((_req, res, next) => {
    res.setHeader('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    // The OAuth callback URL carries the code: never send it on as a referrer.
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });

  r.get('/assets/:file', async (req, res) => {
    const file = req.params.file;
    res.setHeader('cache-control', 'public, max-age=300');
    if (file === 'chart.umd.min.js' && chartJs) return void res.type(ASSET_TYPES.js).send(await readFile(chartJs));
    if (!/^[a-z-]+\.(css|js)$/.test(file)) return void res.status(404).end();
    try {
      res.type(ASSET_TYPES[file.split('.').pop()!]).send(await readFile(new URL(file, ASSETS)));
    } catch {
      res.status(404).end();
    }
  });

  r.get('/signed-out', (_req, res) => {
    res.type('html').send(plainPage('ออกจากระบบแล้ว', html`<h1>ออกจากระบบแล้ว</h1><p class="en">You are signed out.</p>
      <p><a class="button" href="/dashboard/login">เข้าสู่ระบบด้วย LINE <small>Sign in with LINE</small></a></p>`));
  });

  r.use(loginRouter(deps));

  // -------- everything below needs a session
  r.use(async (req, res, next) => {
    try {
      const s = await readSession(req);
      if (!s) {
        if (req.path.startsWith('/export/') || req.accepts(['html', 'json']) === 'json') {
          return void res.status(401).json({ message: 'ต้องเข้าสู่ระบบ (sign in required)' });
        }
        return void res.redirect(302, `/dashboard/login?next=${encodeURIComponent(req.originalUrl.slice(0, 500))}`);
      }
      res.locals.session = s;
      res.setHeader('cache-control', 'no-store');
      next();
    } catch (err) {
      next(err);
    }
  });

  const session = (res: Response) => res.locals.session as DashboardSession;
  const unitNames = new Map<string, string>();
  async function navUser(res: Response): Promise<NavUser> {
    const s = session(res);
    let unitName = unitNames.get(s.principal.unitCode);
    if (!unitName) {
      unitName = (await unitInfo(deps.models, s.principal.unitCode))?.nameTh ?? s.principal.unitCode;
      unitNames.set(s.principal.unitCode, unitName);
    }
    return { name: s.principal.name || 'เจ้าหน้าที่', unitName, role: s.principal.role, csrf: s.csrf };
  }
  const page = async (res: Response, title: string, titleEn: string, active: string, body: Raw, scripts?: string[]) => {
    res.type('html').send(layout({ title, titleEn, active, user: await navUser(res), body, ...(scripts ? { scripts } : {}) }));
  };
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => void fn(req, res).catch(next);

  async function scopeOf(req: Request, res: Response, unit: string | undefined): Promise<Scope> {
    return resolveScope(deps.models, session(res).principal, unit);
  }

  async function picker(res: Response, scope: Scope, extra: Raw, action: string): Promise<Raw> {
    const units = await unitOptions(deps.models, session(res).principal, scope.unit);
    return html`<form class="pickers" method="get" action="${action}">
      <label>หน่วยงาน <small>Unit</small>
        <select name="unit">${units.map((u) => html`<option value="${u.code}" ${u.code === scope.unit.code ? raw('selected') : ''}>${levelPrefix(u)}${u.nameTh}</option>`)}</select>
      </label>
      ${extra}
      <button type="submit">แสดง <small>Show</small></button>
    </form>`;
  }

  const fyPicker = (fy: number, now: Date) => {
    const cur = fiscalYearOf(now);
    const years = Array.from({ length: 6 }, (_, i) => cur - i);
    return html`<label>ปีงบประมาณ <small>Fiscal year</small>
      <select name="fy">${years.map((y) => html`<option value="${y}" ${y === fy ? raw('selected') : ''}>${y}</option>`)}</select></label>`;
  };

  // -------- overview
  r.get('/', wrap(async (req, res) => {
    const q = parse(pageQuery, req);
    const now = deps.clock.now();
    const fy = q.fy ?? fiscalYearOf(now);
    const scope = await scopeOf(req, res, q.unit);
    const [o, reopens] = await Promise.all([overview(deps.models, report, scope, fy, now), reopenRates(deps.models, scope, fy)]);
    const card = (th: string, en: string, value: string, sub?: string, tone = '') => html`<div class="kpi ${tone}"><div class="label">${th}<small>${en}</small></div><div class="value">${value}</div>${sub ? html`<div class="sub">${sub}</div>` : ''}</div>`;
    await page(res, 'ภาพรวม', 'Overview', '/dashboard/', html`
      ${await picker(res, scope, fyPicker(fy, now), '/dashboard/')}
      <p class="scope">${scope.unit.nameTh}${scope.codes === null || (scope.codes?.length ?? 0) > 1 ? ' และหน่วยงานในสังกัด' : ''} · ปีงบประมาณ ${fy} (1 ต.ค. ${fy - 1} – 30 ก.ย. ${fy})</p>
      <section class="kpis">
        ${card('รับเรื่อง', 'Received', num(o.received))}
        ${card('ยุติเรื่อง', 'Closed', num(o.closed), `ร้อยละ ${o.percentClosed} ของเรื่องที่รับ · of received`, 'good')}
        ${card('อยู่ระหว่างดำเนินการ', 'Open', num(o.open), 'ตามตารางรายงานทางการ · as in the official table')}
        ${card('ทันตามกำหนด (SLA)', 'SLA met', o.slaMet.percent === null ? '–' : `${o.slaMet.percent}%`, `${num(o.slaMet.met)} จาก ${num(o.slaMet.of)} เรื่องที่ยุติในปีนี้ · of cases closed this year with a deadline`)}
        ${card('เกินกำหนด (ขณะนี้)', 'Overdue now', num(o.overdue), `เรื่องค้างที่เลยกำหนดแล้ว · open cases past a deadline${o.overdueAsOf ? ` (ข้อมูล ณ ${formatDateTime(o.overdueAsOf)} จากการตรวจนับรอบล่าสุด · as of the last SLA sweep)` : ''}`, o.overdue ? 'bad' : '')}
        ${card('ระยะเวลายุติเรื่อง (มัธยฐาน)', 'Median time to close', o.medianDaysToClose === null ? '–' : `${o.medianDaysToClose}${o.medianDaysToClose >= CLOSE_DAYS_CAP ? '+' : ''} วันทำการ`, 'วันทำการเต็มวัน รับเรื่อง → ยุติเรื่อง · whole working days, receipt → ยุติเรื่อง')}
        ${card('ความพึงพอใจ', 'Satisfaction', o.satisfaction.mean === null ? '–' : `${o.satisfaction.mean} / 5`, o.satisfaction.responses ? `พึงพอใจมาก–มากที่สุด ${o.satisfaction.percentSatisfied}% · ${num(o.satisfaction.responses)} ผู้ตอบ (responses)` : 'ยังไม่มีผู้ตอบแบบประเมิน · no responses yet')}
      </section>
      <section class="reopens" id="reopens">
        <h2>เรื่องที่ผู้ร้องขอเปิดใหม่ <small>Reopened by the complainant (problem not fixed)</small></h2>
        ${reopens.units.length ? html`<table class="data">
          <thead><tr><th>หน่วยงาน <small>Unit</small></th><th class="n">ยุติเรื่อง <small>Closed</small></th><th class="n">เปิดใหม่ <small>Reopened</small></th><th class="n">ร้อยละ <small>Rate</small></th></tr></thead>
          <tbody>${reopens.units.map((u) => html`<tr data-unit="${u.unitCode}"><td>${u.nameTh} <small class="code">${u.unitCode}</small></td><td class="n">${num(u.closed)}</td><td class="n ${u.reopened ? 'bad' : ''}">${num(u.reopened)}</td><td class="n">${u.percent}%</td></tr>`)}</tbody>
          <tfoot><tr><th>รวม <small>Total</small></th><td class="n">${num(reopens.total.closed)}</td><td class="n">${num(reopens.total.reopened)}</td><td class="n">${reopens.total.percent ?? '0.00'}%</td></tr></tfoot></table>`
          : html`<p class="notice">ยังไม่มีเรื่องที่ยุติในปีนี้ · no closed cases this year yet</p>`}
      </section>
      <p class="links"><a href="/dashboard/reports?unit=${scope.unit.code}&fy=${fy}">ตารางรายงานทางการ · Official tables →</a>
      <a href="/dashboard/late-units?unit=${scope.unit.code}">หน่วยงานล่าช้า · Late units →</a>
      <a href="/dashboard/trends?unit=${scope.unit.code}&fy=${fy}">แนวโน้ม · Trends →</a></p>`);
  }));

  // -------- official tables
  function reportPeriod(q: z.infer<typeof reportQuery>, now: Date) {
    try {
      if (q.period === 'month') {
        if (!q.month) throw new BadQuery('month: เลือกเดือน (pick a month, YYYY-MM)');
        return parsePeriod({ month: q.month });
      }
      if (q.period === 'range') {
        if (!q.from || !q.to) throw new BadQuery('from/to: เลือกช่วงวันที่ (pick both dates)');
        return parsePeriod({ from: q.from, to: q.to });
      }
      return parsePeriod({ fiscalYear: q.fy ?? fiscalYearOf(now) });
    } catch (err) {
      if (err instanceof ReportInputError) throw new BadQuery(err.message);
      throw err;
    }
  }

  async function loadReport(req: Request, res: Response) {
    const q = parse(reportQuery, req);
    const now = deps.clock.now();
    const scope = await scopeOf(req, res, q.unit);
    const period = reportPeriod(q, now);
    const withChildren = q.withChildren === 'true';
    return { q, now, scope, withChildren, report: await report({ unitCode: scope.unit.code, withChildren, format: q.format, period }) };
  }

  const reportParams = (scope: Scope, q: z.infer<typeof reportQuery>) => new URLSearchParams(Object.entries({
    unit: scope.unit.code, format: q.format, withChildren: q.withChildren, period: q.period,
    ...(q.fy ? { fy: String(q.fy) } : {}), ...(q.month ? { month: q.month } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}),
  })).toString();

  r.get('/reports', wrap(async (req, res) => {
    const { q, now, scope, withChildren, report } = await loadReport(req, res);
    const fy = q.fy ?? fiscalYearOf(now);
    const sel = (a: string, b: string) => (a === b ? raw('selected') : '');
    const extra = html`
      <label>รูปแบบ <small>Format</small><select name="format">
        <option value="province" ${sel(q.format, 'province')}>ระดับจังหวัด (13 ประเด็น) · province</option>
        <option value="district" ${sel(q.format, 'district')}>ระดับอำเภอ (5 ประเด็น) · district</option></select></label>
      <label>ขอบเขต <small>Scope</small><select name="withChildren">
        <option value="true" ${sel(q.withChildren, 'true')}>รวมหน่วยงานในสังกัด · with units below</option>
        <option value="false" ${sel(q.withChildren, 'false')}>เฉพาะหน่วยงานนี้ · this unit only</option></select></label>
      <label>ช่วงเวลา <small>Period</small><select name="period">
        <option value="fy" ${sel(q.period, 'fy')}>ปีงบประมาณ · fiscal year</option>
        <option value="month" ${sel(q.period, 'month')}>เดือน · month</option>
        <option value="range" ${sel(q.period, 'range')}>ช่วงวันที่ · date range</option></select></label>
      ${fyPicker(fy, now)}
      <label>เดือน <small>Month</small><input type="month" name="month" value="${q.month ?? ''}"></label>
      <label>ตั้งแต่ <small>From</small><input type="date" name="from" value="${q.from ?? ''}"></label>
      <label>ถึง <small>To</small><input type="date" name="to" value="${q.to ?? ''}"></label>`;
    const params = reportParams(scope, q);
    const body = html`<section class="report">
          <h2>${report.unit.nameTh}${withChildren ? ' (รวมหน่วยงานในสังกัด)' : ''} · ${report.format === 'district' ? 'แบบรายงานระดับอำเภอ' : 'แบบรายงานระดับจังหวัด'}</h2>
          <p class="scope">${periodLabel(report.period)}</p>
          ${reportTable(report, { thai: false })}
          ${reportNote(report, { thai: false })}
          <p class="actions">
            <a class="button" href="/dashboard/reports/print?${params}">พิมพ์ (A4 เลขไทย) <small>Print view</small></a>
            <a class="button ghost" href="/dashboard/export/report.csv?${params}">CSV</a>
            <a class="button ghost" href="/dashboard/export/report.xlsx?${params}">XLSX</a>
          </p></section>`;
    await page(res, 'รายงานทางการ', 'Official report tables', '/dashboard/reports', html`${await picker(res, scope, extra, '/dashboard/reports')}${body}`);
  }));

  r.get('/reports/print', wrap(async (req, res) => {
    const { now, report } = await loadReport(req, res);
    res.type('html').send(printPage(report, { asOf: now }));
  }));

  r.get('/export/report.:ext', wrap(async (req, res) => {
    const ext = exportFormat(req);
    const { now, scope, report } = await loadReport(req, res);
    // The engine's own CSV/XLSX: the same layout as `npm run cli -- report --output csv|xlsx`.
    res.setHeader('cache-control', 'no-store');
    res.attachment(`${reportFileName(report)}.${ext}`);
    if (ext === 'csv') return void res.type('text/csv; charset=utf-8').send(toCsv(report, { asOf: now }));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(report, { asOf: now }));
  }));

  // -------- late units
  const NUDGE_OUTCOMES = ['sent', 'already', 'not_late', 'nobody', 'out_of_scope'] as const;
  const lateQuery = common.extend({ nudge: z.enum(NUDGE_OUTCOMES).optional(), nudged: code.optional() }).strict();
  async function lateTable(req: Request, res: Response) {
    const q = parse(lateQuery, req);
    const scope = await scopeOf(req, res, q.unit);
    const now = deps.clock.now();
    return { q, scope, now, late: await lateUnits(deps.models, deps.calendar, scope.codes, now, 100) };
  }
  r.get('/late-units', wrap(async (req, res) => {
    const { q, scope, late } = await lateTable(req, res);
    const s = session(res);
    // กระตุ้น: as in LINE (shared/supervision/nudges.ts): heads and executives, units in scope, once per unit per 4 h.
    const canNudge = !!deps.actions && isSupervisorRole(s.principal.role);
    const nudgeForm = (unitCode: string) => html`<form method="post" action="/dashboard/late-units/nudge" class="inline">
      <input type="hidden" name="csrf" value="${s.csrf}"><input type="hidden" name="unitCode" value="${unitCode}"><input type="hidden" name="back" value="${scope.unit.code}">
      <button type="submit" class="nudge">กระตุ้น <small>Nudge</small></button></form>`;
    const [unowned, outcome] = await Promise.all([unownedIn(scope.codes, s.principal.unitCode), q.nudge ? nudgeNotice(q.nudge, q.nudged) : Promise.resolve(html``)]);
    await page(res, 'หน่วยงานล่าช้า', 'Late units', '/dashboard/late-units', html`
      ${await picker(res, scope, html``, '/dashboard/late-units')}
      ${outcome}
      <p class="scope">${num(late.totalUnits)} หน่วยงานมีเรื่องเกินกำหนด รวม ${num(late.totalCases)} เรื่อง · ${num(late.totalUnits)} units with ${num(late.totalCases)} overdue cases (worst first)</p>
      ${unowned.cases ? html`<p class="notice masked unowned">เรื่องค้างในหน่วยงานที่ยังไม่มีเจ้าหน้าที่ในระบบ ${num(unowned.cases)} เรื่อง (${num(unowned.units)} หน่วยงาน) · ${num(unowned.cases)} open cases held by ${num(unowned.units)} units with no registered officer: take them over or assign them from the case page.</p>` : ''}
      ${late.units.length ? html`<table class="data">
        <thead><tr><th>#</th><th>หน่วยงาน <small>Unit</small></th><th class="n">เรื่องเกินกำหนด <small>Overdue</small></th><th class="n">ค้างนานสุด (วันทำการ) <small>Oldest, working days late</small></th><th>เรื่องที่ค้างนานสุด <small>Oldest case</small></th>${canNudge ? html`<th></th>` : ''}</tr></thead>
        <tbody>${late.units.map((u, i) => html`<tr><td>${i + 1}</td><td>${u.nameTh} <small class="code">${u.unitCode}</small></td><td class="n bad">${num(u.overdue)}</td><td class="n">${u.oldestDays}</td>
          <td>${u.oldestTrackingNo ? html`<a href="/dashboard/cases/${u.oldestTrackingNo}">${u.oldestTrackingNo}</a> <small>${u.oldestDueAt ? `กำหนด ${formatDate(u.oldestDueAt)}` : ''}</small>` : '–'}</td>${canNudge ? html`<td>${nudgeForm(u.unitCode)}</td>` : ''}</tr>`)}</tbody></table>`
        : html`<p class="notice good">ไม่มีหน่วยงานล่าช้า · No late units in this scope.</p>`}
      <p class="actions"><a class="button ghost" href="/dashboard/export/late-units.csv?unit=${scope.unit.code}">CSV</a> <a class="button ghost" href="/dashboard/export/late-units.xlsx?unit=${scope.unit.code}">XLSX</a></p>`);
  }));

  /** Open cases of the units in scope that have no active registered officer (the supervisor's own unit excluded: they are there). */
  async function unownedIn(codes: string[] | null, own: string): Promise<{ units: number; cases: number }> {
    const inScope = codes ?? [own, ...(await unitsBelow(deps.models, own))];
    const staffed = await staffedUnits(deps.models, inScope);
    const empty = inScope.filter((c) => c !== own && !staffed.has(c));
    let units = 0;
    let cases = 0;
    for (const code of empty) {
      // Equality on unitCode (indexed); at most a handful of units have nobody yet.
      const n = await deps.models.Case.countDocuments({ unitCode: code, status: { $in: OPEN_STATUSES } });
      if (n) { units++; cases += n; }
    }
    return { units, cases };
  }

  async function nudgeNotice(outcome: (typeof NUDGE_OUTCOMES)[number], unitCode: string | undefined): Promise<Raw> {
    const name = unitCode ? (await unitInfo(deps.models, unitCode))?.nameTh ?? unitCode : '';
    const nameEn = unitCode ? (await deps.models.Unit.findById(unitCode, { nameEn: 1 }).lean())?.nameEn ?? unitCode : '';
    const [t, e, tone] = outcome === 'sent' ? [`ส่งการกระตุ้นถึง${name}แล้ว`, `Nudge sent to ${nameEn}.`, 'good']
      : outcome === 'already' ? [`${name}ได้รับการกระตุ้นแล้วภายใน 4 ชั่วโมงที่ผ่านมา`, `${nameEn} was nudged in the last 4 hours.`, 'masked']
      : outcome === 'not_late' ? [thCopy.nudgeNotLate(name), enCopy.nudgeNotLate(nameEn), 'masked']
      : outcome === 'nobody' ? [thCopy.nudgeNobody(name), enCopy.nudgeNobody(nameEn), 'masked']
      : [thCopy.nudgeOutOfScope, enCopy.nudgeOutOfScope, 'masked'];
    return html`<p class="notice ${tone}" role="status">${t} · ${e}</p>`;
  }

  const form = express.urlencoded({ extended: false, limit: '8kb' });
  /** A POST from a dashboard page: the session's CSRF token must come with it. */
  function checkCsrf(req: Request, res: Response): boolean {
    const token = typeof req.body?.csrf === 'string' ? req.body.csrf : '';
    if (sameToken(token, session(res).csrf)) return true;
    errorPage(res, 403, 'คำขอไม่ถูกต้อง (CSRF)', 'The request did not come from the dashboard page.');
    return false;
  }

  r.post('/late-units/nudge', form, wrap(async (req, res) => {
    if (!checkCsrf(req, res)) return;
    const s = session(res);
    if (!deps.actions) return errorPage(res, 404, 'ไม่พบหน้านี้', 'Not found.');
    if (!isSupervisorRole(s.principal.role)) return errorPage(res, 403, thCopy.supervisorsOnly, enCopy.supervisorsOnly);
    const body = z.object({ unitCode: code, back: code.optional(), csrf: z.string() }).strict().safeParse(req.body);
    if (!body.success) return errorPage(res, 400, 'ค่าที่ส่งมาไม่ถูกต้อง', 'unitCode: a unit code is required.');
    const sup = await deps.models.Officer.findOne({ _id: s.principal.officerId, active: true }).lean();
    if (!sup) return errorPage(res, 403, thCopy.supervisorsOnly, enCopy.supervisorsOnly);
    const r2 = await nudgeUnit({ models: deps.models, line: deps.actions.line, clock: deps.clock, calendar: deps.calendar }, sup, body.data.unitCode);
    const outcome = r2.ok ? 'sent' : r2.reason === 'not_supervisor' ? 'out_of_scope' : r2.reason;
    const back = new URLSearchParams({ ...(body.data.back ? { unit: body.data.back } : {}), nudge: outcome, nudged: body.data.unitCode });
    res.redirect(303, `/dashboard/late-units?${back}`);
  }));

  r.get('/export/late-units.:ext', wrap(async (req, res) => {
    const ext = exportFormat(req);
    const { scope, late, now } = await lateTable(req, res);
    await sendTable(res, ext, exportFileName('late-units', scope.unit.code, beDate(now)), {
      sheet: 'หน่วยงานล่าช้า',
      title: `หน่วยงานล่าช้า (Late units) · ${scope.unit.nameTh}${scope.codes === null || (scope.codes?.length ?? 0) > 1 ? ' และหน่วยงานในสังกัด (and units below)' : ''}`,
      period: `ข้อมูล ณ ${formatDateTime(now)} (as of this time: cases open and past a deadline)`,
      headers: ['หน่วยงาน (Unit)', 'รหัส (Code)', 'เรื่องเกินกำหนด (Overdue)', 'ค้างนานสุด วันทำการ (Oldest, working days)', 'เลขรับเรื่องที่ค้างนานสุด (Oldest case)', 'กำหนด (Due)'],
      rows: late.units.map((u) => [u.nameTh, u.unitCode, u.overdue, u.oldestDays, u.oldestTrackingNo, u.oldestDueAt]),
    });
  }));

  // -------- trends (chart.js)
  r.get('/trends', wrap(async (req, res) => {
    const q = parse(pageQuery, req);
    const now = deps.clock.now();
    const fy = q.fy ?? fiscalYearOf(now);
    const scope = await scopeOf(req, res, q.unit);
    const t = await trends(report, scope, fy);
    const data = {
      months: t.months.map((m) => `${thaiMonth(m.m, true)} ${String(m.y + 543).slice(2)}`),
      received: t.months.map((m) => m.received),
      closed: t.months.map((m) => m.closed),
      province: { labels: t.province.map((r) => r.label), closed: t.province.map((r) => r.closed), open: t.province.map((r) => r.open) },
      district: { labels: t.district.map((r) => r.label), closed: t.district.map((r) => r.closed), open: t.district.map((r) => r.open) },
    };
    await page(res, 'แนวโน้ม', 'Trends', '/dashboard/trends', html`
      ${await picker(res, scope, fyPicker(fy, now), '/dashboard/trends')}
      <p class="scope">${scope.unit.nameTh}${scope.codes === null || (scope.codes?.length ?? 0) > 1 ? ' และหน่วยงานในสังกัด' : ''} · ปีงบประมาณ ${fy} · ตัวเลขเดียวกับตารางรายงานทางการ (same figures as the official tables)</p>
      <script type="application/json" id="trend-data">${raw(JSON.stringify(data).replace(/</g, '\\u003c'))}</script>
      <section class="charts">
        <figure><figcaption>รับเรื่องและยุติเรื่องรายเดือน <small>Received per month, and this year's cases closed (ยุติเรื่อง) in each month</small></figcaption><canvas id="chart-months" height="220"></canvas></figure>
        <figure><figcaption>ตามประเด็น (แบบรายงานระดับอำเภอ) <small>By category, district format</small></figcaption><canvas id="chart-district" height="220"></canvas></figure>
        <figure class="wide"><figcaption>ตามประเด็น (แบบรายงานระดับจังหวัด) <small>By category, province format (rows 8–12 are channels)</small></figcaption><canvas id="chart-province" height="150"></canvas></figure>
      </section>
      <details><summary>ตัวเลข · Figures</summary><table class="data"><thead><tr><th>เดือน <small>Month</small></th><th class="n">รับเรื่อง <small>Received</small></th><th class="n">ยุติเรื่อง <small>Closed</small></th></tr></thead>
      <tbody>${t.months.map((m, i) => html`<tr><td>${data.months[i]}</td><td class="n">${num(m.received)}</td><td class="n">${num(m.closed)}</td></tr>`)}</tbody></table></details>`,
    ['/dashboard/assets/chart.umd.min.js', '/dashboard/assets/charts.js']);
  }));

  // -------- data completeness
  async function completenessData(req: Request, res: Response) {
    const q = parse(pageQuery, req);
    const now = deps.clock.now();
    const fy = q.fy ?? fiscalYearOf(now);
    const scope = await scopeOf(req, res, q.unit);
    return { fy, now, scope, c: await completeness(deps.models, scope, fy) };
  }
  r.get('/completeness', wrap(async (req, res) => {
    const { fy, now, scope, c } = await completenessData(req, res);
    await page(res, 'ความครบถ้วนของข้อมูล', 'Data completeness', '/dashboard/completeness', html`
      ${await picker(res, scope, fyPicker(fy, now), '/dashboard/completeness')}
      <p class="scope">ครบถ้วน ${c.total.percent}% (${num(c.total.complete)} จาก ${num(c.total.cases)} เรื่อง) · ${c.total.percent}% of cases have every required field</p>
      <details class="rules"><summary>ข้อมูลที่ต้องมี · Required fields</summary><ol>${COMPLETENESS_RULES.map((rule) => html`<li>${rule.th} <small>${rule.en} — ${rule.why}</small></li>`)}</ol></details>
      <table class="data">
        <thead><tr><th>หน่วยงาน <small>Unit</small></th><th class="n">เรื่อง <small>Cases</small></th><th class="n">ครบ <small>Complete</small></th><th>คะแนน <small>Score</small></th>
          ${COMPLETENESS_RULES.map((rule) => html`<th class="n">ขาด<br><span class="nw">${rule.short}</span> <small>no ${rule.shortEn.toLowerCase()}</small></th>`)}</tr></thead>
        <tbody>${c.units.map((u) => html`<tr><td>${u.nameTh} <small class="code">${u.unitCode}</small></td><td class="n">${num(u.cases)}</td><td class="n">${num(u.complete)}</td>
          <td class="score"><span class="bar"><span data-w="${u.percent}"></span></span> ${u.percent}%</td>
          ${COMPLETENESS_RULES.map((rule) => html`<td class="n ${u.missing[rule.key] ? 'bad' : ''}">${num(u.missing[rule.key])}</td>`)}</tr>`)}</tbody>
      </table>
      <p class="actions"><a class="button ghost" href="/dashboard/export/completeness.csv?unit=${scope.unit.code}&fy=${fy}">CSV</a> <a class="button ghost" href="/dashboard/export/completeness.xlsx?unit=${scope.unit.code}&fy=${fy}">XLSX</a></p>`,
    ['/dashboard/assets/bars.js']);
  }));
  r.get('/export/completeness.:ext', wrap(async (req, res) => {
    const ext = exportFormat(req);
    const { scope, fy, c } = await completenessData(req, res);
    await sendTable(res, ext, exportFileName('completeness', scope.unit.code, `fy${fy}`), {
      sheet: 'ความครบถ้วน',
      title: `ความครบถ้วนของข้อมูล (Data completeness) · ${scope.unit.nameTh}`,
      period: `ปีงบประมาณ ${fy} (1 ต.ค. ${fy - 1} – 30 ก.ย. ${fy}) · fiscal year ${fy} BE (cases by date received)`,
      headers: ['หน่วยงาน (Unit)', 'รหัส (Code)', 'เรื่อง (Cases)', 'ครบถ้วน (Complete)', 'ร้อยละ (Percent)', ...COMPLETENESS_RULES.map((rule) => `ขาด: ${rule.th} (missing: ${rule.en})`)],
      rows: c.units.map((u) => [u.nameTh, u.unitCode, u.cases, u.complete, u.percent, ...COMPLETENESS_RULES.map((rule) => u.missing[rule.key])]),
    });
  }));

  // -------- case search and detail
  async function caseSearch(req: Request, res: Response, limit = PAGE_SIZE) {
    const q = parse(caseQuery, req);
    const scope = await scopeOf(req, res, q.unit);
    const s = {
      ...(q.q ? { q: q.q.trim() } : {}), ...(q.status ? { status: q.status } : {}), ...(q.category ? { category: q.category } : {}),
      ...(q.from ? { from: bangkokMidnight(q.from) } : {}), ...(q.to ? { to: new Date(bangkokMidnight(q.to).getTime() + 86_400_000) } : {}),
      page: q.page,
    };
    return { q, scope, result: await searchCases(deps.models, scope, s, limit) };
  }
  r.get('/cases', wrap(async (req, res) => {
    const { q, scope, result } = await caseSearch(req, res);
    const sel = (a: string | undefined, b: string) => (a === b ? raw('selected') : '');
    const extra = html`
      <label>คำค้น <small>Tracking no. or text</small><input type="search" name="q" value="${q.q ?? ''}" maxlength="100" placeholder="2569-000042"></label>
      <label>สถานะ <small>Status</small><select name="status"><option value="">ทั้งหมด · all</option>${CASE_STATUSES.map((st) => html`<option value="${st}" ${sel(q.status, st)}>${STATUS_LABELS[st].th}</option>`)}</select></label>
      <label>ประเด็น <small>Category</small><select name="category"><option value="">ทั้งหมด · all</option>${SUBJECT_CATEGORIES.map((c) => html`<option value="${c.code}" ${sel(q.category, c.code)}>${c.short}</option>`)}</select></label>
      <label>รับตั้งแต่ <small>From</small><input type="date" name="from" value="${q.from ?? ''}"></label>
      <label>ถึง <small>To</small><input type="date" name="to" value="${q.to ?? ''}"></label>`;
    const params = new URLSearchParams(Object.entries({ unit: scope.unit.code, q: q.q ?? '', status: q.status ?? '', category: q.category ?? '', from: q.from ?? '', to: q.to ?? '' }).filter(([, v]) => v)).toString();
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    await page(res, 'ค้นหาเรื่อง', 'Case search', '/dashboard/cases', html`
      ${await picker(res, scope, extra, '/dashboard/cases')}
      <p class="scope">พบ ${num(result.total)} เรื่อง · ${num(result.total)} cases${pages > 1 ? ` · หน้า ${q.page}/${pages}` : ''}</p>
      <table class="data cases">
        <thead><tr><th>เลขรับเรื่อง <small>Tracking no.</small></th><th>วันที่รับ <small>Received</small></th><th>ประเด็น <small>Category</small></th><th>ช่องทาง <small>Channel</small></th><th>สถานะ <small>Status</small></th><th>หน่วยงาน <small>Unit</small></th><th>พื้นที่ <small>Area</small></th></tr></thead>
        <tbody>${result.rows.map((c) => html`<tr><td><a href="/dashboard/cases/${c.trackingNo}">${c.trackingNo}</a></td><td>${formatDate(c.receivedAt)}</td>
          <td>${SUBJECT_CATEGORIES.find((x) => x.code === c.category)?.short ?? c.category}</td><td>${channelLabel(c.channel)}</td>
          <td><span class="status ${c.status}">${STATUS_LABELS[c.status as keyof typeof STATUS_LABELS]?.th ?? c.status}</span></td><td>${c.unitName}</td><td>${c.area}</td></tr>`)}</tbody>
      </table>
      <p class="actions">
        ${q.page > 1 ? html`<a class="button ghost" href="/dashboard/cases?${params}&page=${q.page - 1}">← ก่อนหน้า</a>` : ''}
        ${q.page < pages ? html`<a class="button ghost" href="/dashboard/cases?${params}&page=${q.page + 1}">ถัดไป →</a>` : ''}
        <a class="button ghost" href="/dashboard/export/cases.csv?${params}">CSV</a> <a class="button ghost" href="/dashboard/export/cases.xlsx?${params}">XLSX</a>
        <small>ไฟล์ส่งออกไม่มีข้อมูลส่วนบุคคล (สูงสุด 10,000 แถว) · exports carry no personal data (up to 10,000 rows)</small>
      </p>`);
  }));
  r.get('/export/cases.:ext', wrap(async (req, res) => {
    const ext = exportFormat(req);
    const { q, scope, result } = await caseSearch(req, res, 10_000);
    const span = q.from || q.to ? `${q.from ? beDate(bangkokMidnight(q.from)) : 'start'}_${q.to ? beDate(bangkokMidnight(q.to)) : 'now'}` : 'all';
    await sendTable(res, ext, exportFileName('cases', scope.unit.code, span), {
      sheet: 'เรื่องร้องเรียน',
      title: `เรื่องร้องเรียน (Cases) · ${scope.unit.nameTh}`,
      period: q.from || q.to
        ? `รับเรื่องตั้งแต่ ${q.from ? formatDate(bangkokMidnight(q.from)) : 'เริ่มต้น'} ถึง ${q.to ? formatDate(bangkokMidnight(q.to)) : 'ปัจจุบัน'} (received ${q.from ?? '…'} to ${q.to ?? '…'})`
        : 'รับเรื่องทุกช่วงเวลา (received: all dates)',
      headers: ['เลขรับเรื่อง (Tracking no.)', 'วันที่รับ (Received)', 'ประเด็น (Category)', 'ช่องทาง (Channel)', 'สถานะ (Status)', 'หน่วยงาน (Unit)', 'รหัสหน่วยงาน (Unit code)', 'พื้นที่ (Area)', 'กำหนดแล้วเสร็จ (Resolve by)'],
      rows: result.rows.map((c) => [c.trackingNo, c.receivedAt, SUBJECT_CATEGORIES.find((x) => x.code === c.category)?.th ?? c.category, channelLabel(c.channel),
        STATUS_LABELS[c.status as keyof typeof STATUS_LABELS]?.th ?? c.status, c.unitName, c.unitCode, c.area, c.resolveDueAt]),
    });
  }));

  r.get('/cases/:trackingNo', wrap(async (req, res) => {
    const trackingNo = String(req.params.trackingNo);
    const notFound = () => errorPage(res, 404, 'ไม่พบเรื่องนี้ในขอบเขตของท่าน', 'No such case in your scope.');
    if (!/^\d{4}-\d{1,8}$/.test(trackingNo)) return notFound();
    const s = session(res);
    const c = await deps.models.Case.findOne({ trackingNo }).lean();
    // Outside the scope answers as "not found": a district officer learns nothing about another province's cases.
    if (!c) return notFound();
    // Nobody sees a complaint about their own unit's officials, not even masked.
    if (c.concernedUnitCode && c.concernedUnitCode === s.principal.unitCode) return notFound();
    try { await resolveScope(deps.models, s.principal, c.unitCode); } catch { return notFound(); }
    const assigned = s.principal.unitCode === c.unitCode;
    await deps.models.Audit.create({
      at: deps.clock.now(), officerId: s.principal.officerId, lineUserId: s.principal.lineUserId, caseId: String(c._id),
      action: assigned ? 'view_case' : 'view_case_masked', via: 'dashboard',
    });
    const unit = await unitInfo(deps.models, c.unitCode);
    const cp: { anonymous?: boolean | null; name?: string | null; phone?: string | null; lineUserId?: string | null } = c.complainant ?? {};
    const loc = c.location ?? {};
    const areaName = areaOf(loc);
    const address = [loc.address, loc.subdistrictName].filter(Boolean).join(' ');
    const person = cp.anonymous
      ? html`<dd>ไม่ประสงค์ออกนาม <small>anonymous</small></dd>`
      : html`
        <dt>ชื่อ <small>Name</small></dt><dd>${assigned ? cp.name || '–' : maskName(cp.name)}</dd>
        <dt>โทรศัพท์ <small>Phone</small></dt><dd>${assigned ? cp.phone || '–' : maskPhone(cp.phone)}</dd>
        <dt>LINE</dt><dd>${assigned ? cp.lineUserId || '–' : maskLineId(cp.lineUserId)}</dd>`;
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    const forms = await supervisorForms(s, c);
    await page(res, `เรื่อง ${c.trackingNo}`, 'Case detail', '/dashboard/cases', html`
      ${done ? html`<p class="notice good" role="status">${done}</p>` : ''}
      ${assigned ? html`<p class="notice">ท่านเป็นหน่วยงานผู้รับผิดชอบ จึงเห็นข้อมูลส่วนบุคคล การเปิดดูนี้ถูกบันทึกไว้ · You are the assigned unit: personal data is shown and this view is audited.</p>`
        : html`<p class="notice masked">ข้อมูลส่วนบุคคลถูกปิดบัง (เฉพาะหน่วยงานผู้รับผิดชอบเห็นได้) การเปิดดูนี้ถูกบันทึกไว้ · Personal data is masked (only the assigned unit sees it); this view is audited.</p>`}
      <section class="detail">
        <dl>
          <dt>สถานะ <small>Status</small></dt><dd><span class="status ${c.status}">${STATUS_LABELS[c.status].th}</span> <small>${STATUS_LABELS[c.status].en}</small></dd>
          <dt>ประเด็น <small>Category</small></dt><dd>${SUBJECT_CATEGORIES.find((x) => x.code === c.category)?.th ?? c.category}</dd>
          <dt>ช่องทาง <small>Channel</small></dt><dd>${channelLabel(c.channel)}</dd>
          <dt>วันที่รับ <small>Received</small></dt><dd>${formatDateTime(new Date(c.receivedAt ?? c.createdAt))}</dd>
          <dt>หน่วยงานผู้รับผิดชอบ <small>Assigned unit</small></dt><dd>${unit?.nameTh ?? c.unitCode}</dd>
          ${c.assignee?.name ? html`<dt>เจ้าหน้าที่ <small>Officer</small></dt><dd>${c.assignee.name}</dd>` : ''}
          <dt>กำหนด <small>Deadlines</small></dt><dd>${c.ackDueAt ? `รับเรื่อง ${formatDateTime(new Date(c.ackDueAt))}` : ''}${c.answerDueAt ? ` · ตอบผู้ร้อง ${formatDate(new Date(c.answerDueAt))}` : ''}${c.resolveDueAt ? ` · แล้วเสร็จ ${formatDate(new Date(c.resolveDueAt))}` : ''}</dd>
          <dt>พื้นที่ <small>Area</small></dt><dd>${areaName || '–'}</dd>
          <dt>ที่อยู่ / พิกัด <small>Address</small></dt><dd>${assigned ? address || '–' : maskAddress(address)}${assigned && typeof loc.lat === 'number' ? ` (${loc.lat.toFixed(5)}, ${loc.lng?.toFixed(5)})` : ''}</dd>
          ${person}
          ${c.attachments?.length ? html`<dt>ภาพถ่าย <small>Photos</small></dt><dd>${c.attachments.length} ภาพ</dd>` : ''}
        </dl>
        <h2>รายละเอียด <small>What happened</small></h2>
        <p class="desc">${assigned ? c.description : maskFreeText(c.description)}</p>
        ${c.resolution?.text ? html`<h2>ผลการดำเนินการ <small>Result</small></h2><p class="desc">${assigned ? c.resolution.text : maskFreeText(c.resolution.text)}</p>` : ''}
        ${c.survey?.score ? html`<p>ความพึงพอใจ ${c.survey.score}/5</p>` : ''}
        <h2>ลำดับเหตุการณ์ <small>Timeline</small></h2>
        <ol class="timeline">${(c.timeline ?? []).map((t) => html`<li><time>${formatDateTime(new Date(t.at))}</time> <b>${ACTION_TH[t.action] ?? t.action}</b> ${t.by?.kind === 'officer' ? t.by.name ?? '' : t.by?.kind === 'citizen' ? (assigned ? 'ผู้ร้อง' : 'ผู้ร้อง') : 'ระบบ'}${t.note ? html` — ${assigned ? t.note : maskFreeText(t.note)}` : ''}</li>`)}</ol>
      </section>
      ${forms}`);
  }));

  // -------- supervisors act on a case from its page: take over, assign to a named officer, close
  const refOf = (s: DashboardSession): OfficerRef => ({ id: s.principal.officerId, name: s.principal.name || 'เจ้าหน้าที่', unitCode: s.principal.unitCode, role: s.principal.role });

  async function supervisorForms(s: DashboardSession, c: { _id: unknown; trackingNo: string; unitCode: string; status: string; concernedUnitCode?: string | null }): Promise<Raw> {
    if (!deps.actions || !isSupervisorRole(s.principal.role) || !isOpenStatus(c.status) || !(await mayActOn(deps.models, s.principal, c))) return html``;
    const units = [...new Set([c.unitCode, s.principal.unitCode])];
    const officers = (await Promise.all(units.map((u) => deps.models.Officer.find({ unitCode: u, active: true }, { name: 1, unitCode: 1 }).lean()))).flat();
    const unitName = async (u: string) => (await unitInfo(deps.models, u))?.nameTh ?? u;
    const names = new Map(await Promise.all(units.map(async (u) => [u, await unitName(u)] as const)));
    const csrf = html`<input type="hidden" name="csrf" value="${s.csrf}">`;
    const base = `/dashboard/cases/${c.trackingNo}`;
    return html`<section class="supervise" aria-labelledby="sup-h">
      <h2 id="sup-h">การดำเนินการของหัวหน้าหน่วยงาน <small>Supervisor actions</small></h2>
      ${c.unitCode !== s.principal.unitCode ? html`<form method="post" action="${base}/takeover" class="action" id="takeover">${csrf}
        <h3>รับเรื่องไว้เอง <small>Take over</small></h3>
        <p>เรื่องจะย้ายมาที่${names.get(s.principal.unitCode)} โดยท่านเป็นผู้รับผิดชอบ ผู้ร้องจะได้รับแจ้ง · The case moves to your unit with you as its handler; the complainant is told.</p>
        <label>เหตุผล <small>Reason</small><textarea name="reason" required minlength="5" maxlength="1000" rows="2"></textarea></label>
        <button type="submit">รับเรื่องไว้เอง <small>Take over</small></button></form>` : ''}
      <form method="post" action="${base}/assign" class="action" id="assign">${csrf}
        <h3>มอบหมายเจ้าหน้าที่ <small>Assign an officer</small></h3>
        <label>เจ้าหน้าที่ <small>Officer</small><select name="officerId" required><option value="">—</option>${officers.map((o) => html`<option value="${String(o._id)}">${o.name || '-'} · ${names.get(o.unitCode) ?? o.unitCode}</option>`)}</select></label>
        <button type="submit">มอบหมาย <small>Assign</small></button></form>
      <form method="post" action="${base}/close" class="action" id="close">${csrf}
        <h3>ยุติเรื่อง <small>Close</small></h3>
        <label>ผลการดำเนินการ (แจ้งผู้ร้อง) <small>Result, told to the complainant</small><textarea name="summary" required minlength="5" maxlength="2000" rows="2"></textarea></label>
        <button type="submit">ยุติเรื่อง <small>Close</small></button></form>
    </section>`;
  }

  const ACTION_BODIES = {
    takeover: z.object({ csrf: z.string(), reason: z.string().trim().min(5, 'เหตุผล 5–1000 ตัวอักษร (reason: 5–1000 characters)').max(1000, 'เหตุผล 5–1000 ตัวอักษร (reason: 5–1000 characters)') }).strict(),
    assign: z.object({ csrf: z.string(), officerId: z.string().regex(/^[0-9a-f]{24}$/, 'กรุณาเลือกเจ้าหน้าที่ (choose an officer)') }).strict(),
    close: z.object({ csrf: z.string(), summary: z.string().trim().min(5, 'ผลการดำเนินการ 5–2000 ตัวอักษร (result: 5–2000 characters)').max(2000, 'ผลการดำเนินการ 5–2000 ตัวอักษร (result: 5–2000 characters)') }).strict(),
  };
  r.post('/cases/:trackingNo/:action', form, wrap(async (req, res) => {
    const action = String(req.params.action) as keyof typeof ACTION_BODIES;
    const trackingNo = String(req.params.trackingNo);
    const notFound = () => errorPage(res, 404, 'ไม่พบเรื่องนี้ในขอบเขตของท่าน', 'No such case in your scope.');
    if (!(action in ACTION_BODIES) || !deps.actions || !/^\d{4}-\d{1,8}$/.test(trackingNo)) return notFound();
    if (!checkCsrf(req, res)) return;
    const s = session(res);
    if (!isSupervisorRole(s.principal.role)) return errorPage(res, 403, thCopy.supervisorsOnly, enCopy.supervisorsOnly);
    const c = await deps.models.Case.findOne({ trackingNo }, { unitCode: 1, concernedUnitCode: 1 }).lean();
    if (!c || !(await mayActOn(deps.models, s.principal, c))) return notFound();
    const body = ACTION_BODIES[action].safeParse(req.body);
    if (!body.success) return errorPage(res, 400, 'ค่าที่ส่งมาไม่ถูกต้อง', body.error.issues.map((i) => i.message).join('; '));
    const cmd = { models: deps.models, clock: deps.clock, publish: deps.actions.publish, sla: slaContext() };
    const me = refOf(s);
    const caseId = String(c._id);
    const b = body.data as Record<string, string>;
    const r2 = action === 'takeover' ? await takeOverCase(cmd, { caseId, officer: me, reason: b.reason! })
      : action === 'assign' ? await assignCaseToOfficer(cmd, { caseId, by: me, officerId: b.officerId! })
      : await closeCase(cmd, { caseId, officer: me, summary: b.summary! });
    if (r2.ok) return void res.redirect(303, `/dashboard/cases/${trackingNo}?done=${action}`);
    if (r2.reason === 'not_found') return notFound();
    if (r2.reason === 'unknown_officer') return errorPage(res, 400, 'ไม่พบเจ้าหน้าที่นี้ในหน่วยงานของเรื่องหรือหน่วยงานของท่าน', 'No such officer in the case\'s unit or yours.');
    if (r2.reason === 'same_unit') return errorPage(res, 400, 'เรื่องนี้อยู่ที่หน่วยงานของท่านแล้ว', 'The case is already with your unit.');
    return errorPage(res, 409, 'เรื่องนี้ปิดแล้ว หรือไม่อยู่ในสถานะที่ทำรายการนี้ได้', 'This case is closed or not in a state that allows this.');
  }));

  // -------- errors of this router: the officer sees a page, not a stack
  r.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof BadQuery) {
      if (req.path.startsWith('/export/')) return void res.status(400).json({ message: err.message });
      return errorPage(res, 400, 'ค่าที่เลือกไม่ถูกต้อง', err.message);
    }
    if (err instanceof ForbiddenScope) {
      if (req.path.startsWith('/export/')) return void res.status(403).json({ message: 'อยู่นอกขอบเขตหน่วยงานของท่าน (outside your scope)' });
      return errorPage(res, 403, 'หน่วยงานนี้อยู่นอกขอบเขตของท่าน', 'That unit is outside your scope: you see your unit and the units under it.');
    }
    next(err);
  });

  return r;
}

function exportFormat(req: Request): 'csv' | 'xlsx' {
  const ext = req.params.ext;
  if (ext !== 'csv' && ext !== 'xlsx') throw new BadQuery('export: csv หรือ xlsx เท่านั้น (csv or xlsx only)');
  return ext;
}

function levelPrefix(u: UnitInfo): string {
  return u.level === 'district' ? '— ' : u.level === 'partner' ? '· ' : '';
}


/** What the case page says after a supervisor's action (`?done=`). */
const DONE: Record<string, string> = {
  takeover: 'รับเรื่องไว้ดำเนินการเองแล้ว ผู้ร้องได้รับแจ้งแล้ว · Taken over; the complainant has been told.',
  assign: 'มอบหมายเจ้าหน้าที่แล้ว เจ้าหน้าที่ได้รับแจ้งทาง LINE · Assigned; the officer was alerted on LINE.',
  close: 'ยุติเรื่องแล้ว ผู้ร้องได้รับแจ้งผลและแบบประเมิน · Closed; the complainant got the result and the survey.',
};

/** Timeline steps as officers say them. */
const ACTION_TH: Record<string, string> = {
  taken_over: 'หัวหน้าหน่วยงานรับเรื่องไว้ดำเนินการเอง',
  opened: 'รับเรื่อง', assigned: 'เจ้าหน้าที่รับเรื่อง', note: 'บันทึกความคืบหน้า', internal_note: 'บันทึกภายใน (เฉพาะเจ้าหน้าที่)', asked: 'ขอข้อมูลเพิ่มจากผู้ร้อง', info_added: 'ผู้ร้องเพิ่มข้อมูล',
  forwarded: 'ส่งต่อหน่วยงาน', escalated: 'แจ้งหน่วยงานระดับสูงขึ้น (ล่าช้า)', closed: 'ยุติเรื่อง', rejected: 'ไม่รับเรื่อง', withdrawn: 'ผู้ร้องถอนเรื่อง',
  survey: 'ผู้ร้องประเมินความพึงพอใจ', line_linked: 'เชื่อมกับบัญชี LINE ของผู้ร้อง',
  reopened: 'ผู้ร้องแจ้งว่ายังไม่ได้แก้ไข เปิดเรื่องใหม่',
};

function channelLabel(code: string): string {
  return CHANNELS.find((c) => c.code === code)?.th ?? code;
}

/** A Bangkok date in Buddhist era, `2569-12-05`, for file names. */
function beDate(d: Date): string {
  const iso = new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  return `${Number(iso.slice(0, 4)) + 543}${iso.slice(4)}`;
}
