/**
 * The official report tables (`/dashboard/reports`), their A4 print view and their CSV/XLSX export: the
 * same engine as the CLI.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Scope } from '../data.ts';
import { html, raw } from '../html.ts';
import { printPage, reportNote, reportTable } from '../reportView.ts';
import { fiscalYearOf, parsePeriod, periodLabel, reportFileName, toCsv, toXlsx, ReportInputError } from '../../shared/reports/index.ts';
import { BadQuery, common, exportFormat, fyPicker, isoDate, parse } from './query.ts';
import type { PageContext } from './context.ts';

const reportQuery = common.extend({
  format: z.enum(['province', 'district']).default('province'),
  withChildren: z.enum(['true', 'false']).default('true'),
  period: z.enum(['fy', 'month', 'range']).default('fy'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'เดือนต้องเป็น YYYY-MM (month must be YYYY-MM)').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
}).strict();

export function reportsPage(r: Router, ctx: PageContext): void {
  const { deps, report, page, wrap, scopeOf, picker } = ctx;
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
}
