/**
 * Data completeness (`/dashboard/completeness`): which required fields the cases lack, per unit; CSV/XLSX
 * export.
 */
import type { Request, Response, Router } from 'express';
import { COMPLETENESS_RULES } from '../completeness.ts';
import { completeness } from '../data.ts';
import { exportFileName, sendTable } from '../export.ts';
import { html, num } from '../html.ts';
import { fiscalYearOf } from '../../shared/reports/index.ts';
import { exportFormat, fyPicker, pageQuery, parse } from './query.ts';
import type { PageContext } from './context.ts';

export function completenessPage(r: Router, ctx: PageContext): void {
  const { deps, page, wrap, scopeOf, picker } = ctx;
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
}
