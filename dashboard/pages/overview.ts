/**
 * Overview (`/dashboard/`): the year's key figures and the reopen rates per unit, in the officer's scope.
 */
import type { Router } from 'express';
import { formatDateTime } from '../../shared/thaiDate.ts';
import { agencyFigures, overview, reopenRates, unitMarks } from '../data.ts';
import { html, num } from '../html.ts';
import { fiscalYearOf } from '../../shared/reports/index.ts';
import { CLOSE_DAYS_CAP } from '../../shared/reports/counters.ts';
import { fyPicker, pageQuery, parse } from './query.ts';
import type { PageContext } from './context.ts';

export function overviewPage(r: Router, ctx: PageContext): void {
  const { deps, report, page, wrap, scopeOf, picker } = ctx;
  r.get('/', wrap(async (req, res) => {
    const q = parse(pageQuery, req);
    const now = deps.clock.now();
    const fy = q.fy ?? fiscalYearOf(now);
    const scope = await scopeOf(req, res, q.unit);
    const [o, reopens, agencies] = await Promise.all([overview(deps.models, report, scope, fy, now), reopenRates(deps.models, scope, fy), agencyFigures(deps.models, report, scope, fy)]);
    const marks = await unitMarks(deps.models, reopens.units.map((u) => u.unitCode));
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
          <tbody>${reopens.units.map((u) => html`<tr data-unit="${u.unitCode}"><td>${marks.get(u.unitCode)?.partner ? html`<span class="agency">· ${u.nameTh}</span>` : u.nameTh} <small class="code">${u.unitCode}</small></td><td class="n">${num(u.closed)}</td><td class="n ${u.reopened ? 'bad' : ''}">${num(u.reopened)}</td><td class="n">${u.percent}%</td></tr>`)}</tbody>
          <tfoot><tr><th>รวม <small>Total</small></th><td class="n">${num(reopens.total.closed)}</td><td class="n">${num(reopens.total.reopened)}</td><td class="n">${reopens.total.percent ?? '0.00'}%</td></tr></tfoot></table>`
          : html`<p class="notice">ยังไม่มีเรื่องที่ยุติในปีนี้ · no closed cases this year yet</p>`}
      </section>
      ${agencies.agencies.length ? html`<section class="agencies" id="agencies">
        <h2>หน่วยงานภาคีในความดูแล <small>Partner agencies supervised here (their cases count in the tables of the centre above them)</small></h2>
        <table class="data">
          <thead><tr><th>ศูนย์ฯ ผู้ดูแล / หน่วยงานภาคี <small>Supervising centre / agency</small></th><th class="n">รับเรื่อง <small>Received</small></th><th class="n">ยุติเรื่อง <small>Closed</small></th><th class="n">อยู่ระหว่างดำเนินการ <small>Open</small></th><th></th></tr></thead>
          <tbody>${agencies.agencies.map((a, i) => html`${i === 0 || agencies.agencies[i - 1]!.supervisorCode !== a.supervisorCode ? html`<tr class="group"><th colspan="5">${a.supervisorName} <small class="code">${a.supervisorCode}</small></th></tr>` : ''}
            <tr data-unit="${a.code}"><td><span class="agency">· ${a.nameTh}</span> <small class="code">${a.code}</small></td><td class="n">${num(a.received)}</td><td class="n">${num(a.closed)}</td><td class="n">${num(a.open)}</td>
            <td><a href="/dashboard/cases?unit=${a.code}">เรื่อง · cases</a> <a href="/dashboard/late-units?unit=${a.code}">ล่าช้า · late</a></td></tr>`)}</tbody></table>
        ${agencies.more ? html`<p class="notice">และอีก ${num(agencies.more)} หน่วยงาน เลือกศูนย์ฯ ระดับอำเภอเพื่อดูทั้งหมด · and ${num(agencies.more)} more: pick a district centre to see them all</p>` : ''}
      </section>` : ''}
      <p class="links"><a href="/dashboard/reports?unit=${scope.unit.code}&fy=${fy}">ตารางรายงานทางการ · Official tables →</a>
      <a href="/dashboard/late-units?unit=${scope.unit.code}">หน่วยงานล่าช้า · Late units →</a>
      <a href="/dashboard/trends?unit=${scope.unit.code}&fy=${fy}">แนวโน้ม · Trends →</a></p>`);
  }));
}
