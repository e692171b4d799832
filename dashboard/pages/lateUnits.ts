/**
 * Late units (`/dashboard/late-units`): units with overdue cases, worst first; supervisors nudge (กระตุ้น)
 * them from here; CSV/XLSX export.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { OPEN_STATUSES } from '../../shared/categories.ts';
import { lateUnits } from '../../shared/supervision/lateUnits.ts';
import { staffedUnits, unitsBelow, isSupervisorRole } from '../../shared/cases/access.ts';
import { formatDate, formatDateTime } from '../../shared/thaiDate.ts';
import { unitInfo, unitMarks } from '../data.ts';
import { exportFileName, sendTable } from '../export.ts';
import { errorPage, html, num, type Raw } from '../html.ts';
import { en as enCopy } from '../../shared/i18n/en.ts';
import { th as thCopy } from '../../shared/i18n/th.ts';
import { nudgeUnit } from '../../shared/supervision/nudges.ts';
import { beDate, code, common, exportFormat, parse } from './query.ts';
import type { PageContext } from './context.ts';

export function lateUnitsPage(r: Router, ctx: PageContext): void {
  const { deps, session, page, wrap, scopeOf, picker, form, checkCsrf } = ctx;
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
    const [unowned, outcome, marks] = await Promise.all([unownedIn(scope.codes, s.principal.unitCode), q.nudge ? nudgeNotice(q.nudge, q.nudged) : Promise.resolve(html``), unitMarks(deps.models, late.units.map((u) => u.unitCode))]);
    // Agencies are ranked with the centres (the worst first) and say which centre supervises them.
    const unitCell = (u: { unitCode: string; nameTh: string }) => {
      const m = marks.get(u.unitCode);
      return m?.partner
        ? html`<span class="agency">· ${u.nameTh}</span> <small class="code">${u.unitCode}</small><br><small class="supervisor">หน่วยงานภาคี ในความดูแลของ${m.supervisorName ?? ''} · partner agency</small>`
        : html`${u.nameTh} <small class="code">${u.unitCode}</small>`;
    };
    await page(res, 'หน่วยงานล่าช้า', 'Late units', '/dashboard/late-units', html`
      ${await picker(res, scope, html``, '/dashboard/late-units')}
      ${outcome}
      <p class="scope">${num(late.totalUnits)} หน่วยงานมีเรื่องเกินกำหนด รวม ${num(late.totalCases)} เรื่อง · ${num(late.totalUnits)} units with ${num(late.totalCases)} overdue cases (worst first)</p>
      ${unowned.cases ? html`<p class="notice masked unowned">เรื่องค้างในหน่วยงานที่ยังไม่มีเจ้าหน้าที่ในระบบ ${num(unowned.cases)} เรื่อง (${num(unowned.units)} หน่วยงาน) · ${num(unowned.cases)} open cases held by ${num(unowned.units)} units with no registered officer: take them over or assign them from the case page.</p>` : ''}
      ${late.units.length ? html`<table class="data">
        <thead><tr><th>#</th><th>หน่วยงาน <small>Unit</small></th><th class="n">เรื่องเกินกำหนด <small>Overdue</small></th><th class="n">ค้างนานสุด (วันทำการ) <small>Oldest, working days late</small></th><th>เรื่องที่ค้างนานสุด <small>Oldest case</small></th>${canNudge ? html`<th></th>` : ''}</tr></thead>
        <tbody>${late.units.map((u, i) => html`<tr data-unit="${u.unitCode}"><td>${i + 1}</td><td>${unitCell(u)}</td><td class="n bad">${num(u.overdue)}</td><td class="n">${u.oldestDays}</td>
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
}
