/**
 * The official table (PRODUCT.md "Report format") as HTML, from the report engine's JSON
 * (shared/reports/, the report contract). The numbers are the engine's; this file only lays them out —
 * on screen with Arabic digits, in the print view with Thai digits and a Buddhist-era date.
 */
import type { ReportJson } from '../shared/reports/index.ts';
import { periodLabel } from '../shared/reports/index.ts';
import { toThaiDigits } from '../shared/thaiDate.ts';
import { html, num, thaiLongDate, type Raw } from './html.ts';

export type { ReportJson };

export function reportTable(r: ReportJson, opts: { thai: boolean }): Raw {
  const n = (v: number) => (opts.thai ? toThaiDigits(num(v)) : num(v));
  return html`<table class="official">
  <thead><tr><th class="no">ลำดับ</th><th>ประเด็น</th><th>ยุติเรื่อง</th><th>อยู่ระหว่างดำเนินการ</th><th>รวม</th></tr></thead>
  <tbody>${r.rows.map((row, i) => html`<tr><td class="no">${opts.thai ? toThaiDigits(i + 1) : i + 1}</td><td>${row.label}</td><td class="n">${n(row.closed)}</td><td class="n">${n(row.open)}</td><td class="n">${n(row.total)}</td></tr>`)}</tbody>
  <tfoot><tr><td></td><th>รวม</th><td class="n">${n(r.total.closed)}</td><td class="n">${n(r.total.open)}</td><td class="n">${n(r.total.total)}</td></tr></tfoot>
</table>`;
}

/** The note under the table: total, closed and percent closed (two decimals), open. */
export function reportNote(r: ReportJson, opts: { thai: boolean }): Raw {
  const t = (s: string | number) => (opts.thai ? toThaiDigits(s) : String(s));
  return html`<p class="note"><b>หมายเหตุ</b> เรื่องร้องเรียน/ร้องทุกข์ทั้งหมด ${t(num(r.total.total))} เรื่อง
  ยุติเรื่อง ${t(num(r.total.closed))} เรื่อง คิดเป็นร้อยละ ${t(r.percentClosed)}
  อยู่ระหว่างดำเนินการ ${t(num(r.total.open))} เรื่อง</p>`;
}

/** The print view: A4 portrait, Thai digits, BE date, ready to attach to a letter. */
export function printPage(r: ReportJson, opts: { asOf: Date }): string {
  const formatName = r.format === 'district' ? 'แบบรายงานระดับอำเภอ' : 'แบบรายงานระดับจังหวัด';
  return '<!doctype html>' + html`<html lang="th"><head><meta charset="utf-8">
<title>รายงานผลการดำเนินการเรื่องร้องเรียน ${r.unit.nameTh}</title>
<link rel="stylesheet" href="/dashboard/assets/print.css">
</head><body class="print">
<div class="toolbar"><button type="button" id="print">พิมพ์ · Print</button> <button type="button" id="back">กลับ · Back</button></div>
<article class="sheet">
  <h1>สรุปผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์</h1>
  <h2>${r.unit.nameTh}${r.unit.withChildren ? ' (รวมหน่วยงานในสังกัด)' : ''}</h2>
  <h3>${formatName}</h3>
  <h3>${toThaiDigits(periodLabel(r.period))}</h3>
  ${reportTable(r, { thai: true })}
  ${reportNote(r, { thai: true })}
  <p class="asof">ข้อมูล ณ วันที่ ${toThaiDigits(thaiLongDate(opts.asOf))}</p>
</article>
<script src="/dashboard/assets/print.js" defer></script>
</body></html>`.html;
}

