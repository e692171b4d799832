/**
 * The official table as text (to print or paste into a letter), CSV and XLSX. Thai digits (๐–๙) and
 * Buddhist-era dates on request, as official documents use them; Arabic digits otherwise.
 */
import ExcelJS from 'exceljs';
import type { ReportJson } from './build.ts';
import type { ReportPeriod } from './period.ts';
import { thaiMonth, toThaiDigits } from '../thaiDate.ts';

export interface RenderOptions {
  /** Write numbers with Thai digits ๐–๙. */
  thaiDigits?: boolean;
  /** "ข้อมูล ณ วันที่ …" line; default now. */
  asOf?: Date;
}



/** "1 ตุลาคม 2568" from a Bangkok date YYYY-MM-DD. */
export function thaiDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${thaiMonth(m)} ${y + 543}`;
}

export function periodLabel(p: ReportPeriod): string {
  if (p.kind === 'fiscalYear') return `ปีงบประมาณ พ.ศ. ${p.fiscalYear} (${thaiDate(p.from)} – ${thaiDate(p.to)})`;
  if (p.kind === 'month') {
    const [y, m] = p.month.split('-').map(Number) as [number, number];
    return `ประจำเดือน${thaiMonth(m)} พ.ศ. ${y + 543} (ปีงบประมาณ พ.ศ. ${p.fiscalYear})`;
  }
  return `ระหว่างวันที่ ${thaiDate(p.from)} ถึงวันที่ ${thaiDate(p.to)}`;
}

function bangkokIsoDate(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

const num = (n: number) => n.toLocaleString('en-US');

/** Display width in a terminal: Thai vowels above/below and tone marks take no column. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x0e31 || (c >= 0x0e34 && c <= 0x0e3a) || (c >= 0x0e47 && c <= 0x0e4e)) continue;
    w++;
  }
  return w;
}
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;

export function titleLines(r: ReportJson): string[] {
  const level = r.format === 'province' ? 'แบบรายงานระดับจังหวัด' : 'แบบรายงานระดับอำเภอ';
  return [
    `สรุปผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์ ${r.unit.nameTh}${r.unit.withChildren ? ' (รวมหน่วยงานในสังกัด)' : ''}`,
    `${level} ${periodLabel(r.period)}`,
  ];
}

export function noteLine(r: ReportJson): string {
  return `หมายเหตุ เรื่องร้องเรียนทั้งหมด ${num(r.total.total)} เรื่อง ยุติเรื่องแล้ว ${num(r.total.closed)} เรื่อง คิดเป็นร้อยละ ${r.percentClosed} อยู่ระหว่างดำเนินการ ${num(r.total.open)} เรื่อง`;
}

/** The official table as monospaced text: title, table with a รวม row, note, date of the data. */
export function renderText(r: ReportJson, opts: RenderOptions = {}): string {
  const head = ['ที่', 'ประเด็น', 'ยุติเรื่อง', 'อยู่ระหว่างดำเนินการ', 'รวม'];
  const body = r.rows.map((row, i) => [String(i + 1), row.label, num(row.closed), num(row.open), num(row.total)]);
  const foot = ['', 'รวม', num(r.total.closed), num(r.total.open), num(r.total.total)];
  const all = [head, ...body, foot];
  const w = head.map((_, c) => Math.max(...all.map((line) => width(line[c]!))));
  const line = (cells: string[]) => '| ' + cells.map((cell, c) => (c >= 2 || c === 0 ? padStart(cell, w[c]!) : padEnd(cell, w[c]!))).join(' | ') + ' |';
  const rule = '|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|';
  const out = [
    ...titleLines(r),
    '',
    rule, line(head), rule,
    ...body.map(line),
    rule, line(foot), rule,
    '',
    noteLine(r),
    `ข้อมูล ณ วันที่ ${thaiDate(bangkokIsoDate(opts.asOf ?? new Date()))}`,
  ].join('\n');
  return (opts.thaiDigits ? toThaiDigits(out) : out) + '\n';
}

function csvCell(s: string): string {
  // A leading = + - @ would be a formula in a spreadsheet: our labels never start with one, but quote anyway.
  return /[",\n\r]|^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a BOM (Excel then reads the Thai correctly): the table, the รวม row, and the note as a last line. */
export function toCsv(r: ReportJson, opts: RenderOptions = {}): string {
  const d = (n: number) => (opts.thaiDigits ? toThaiDigits(String(n)) : String(n));
  // Title and period first: a CSV opened on its own (or forwarded by mail) says what it is and for when.
  const [title, period] = titleLines(r).map((l) => (opts.thaiDigits ? toThaiDigits(l) : l));
  const lines = [
    [title!],
    [period!],
    ['ประเด็น', 'ยุติเรื่อง', 'อยู่ระหว่างดำเนินการ', 'รวม'],
    ...r.rows.map((row) => [row.label, d(row.closed), d(row.open), d(row.total)]),
    ['รวม', d(r.total.closed), d(r.total.open), d(r.total.total)],
    [],
    [opts.thaiDigits ? toThaiDigits(noteLine(r)) : noteLine(r)],
  ];
  return '\ufeff' + lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** An XLSX workbook (one sheet, ready to print on A4): title, table, note. */
export async function toXlsx(r: ReportJson, opts: RenderOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rongrian';
  const ws = wb.addWorksheet('รายงาน', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1 } });
  const t = (s: string) => (opts.thaiDigits ? toThaiDigits(s) : s);
  ws.columns = [{ width: 6 }, { width: 52 }, { width: 14 }, { width: 22 }, { width: 12 }];
  for (const l of titleLines(r)) {
    const row = ws.addRow([t(l)]);
    ws.mergeCells(row.number, 1, row.number, 5);
    row.font = { bold: true, size: 14 };
  }
  ws.addRow([]);
  const head = ws.addRow(['ที่', 'ประเด็น', 'ยุติเรื่อง', 'อยู่ระหว่างดำเนินการ', 'รวม']);
  head.font = { bold: true };
  // Thai digits are text in a spreadsheet; Arabic ones stay numbers so the sheet can still sum them.
  const v = (n: number) => (opts.thaiDigits ? toThaiDigits(num(n)) : n);
  r.rows.forEach((row, i) => ws.addRow([t(String(i + 1)), row.label, v(row.closed), v(row.open), v(row.total)]));
  const foot = ws.addRow(['', 'รวม', v(r.total.closed), v(r.total.open), v(r.total.total)]);
  foot.font = { bold: true };
  for (let i = head.number; i <= foot.number; i++) {
    ws.getRow(i).eachCell({ includeEmpty: true }, (cell) => { cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } }; });
  }
  ws.addRow([]);
  const note = ws.addRow([t(noteLine(r))]);
  ws.mergeCells(note.number, 1, note.number, 5);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `2569-11` for a month (BE), `fy2569` for a fiscal year, `2569-11-01_2569-11-15` for a range: the period in a file name. */
export function periodSlug(p: ReportPeriod): string {
  const be = (iso: string) => `${Number(iso.slice(0, 4)) + 543}${iso.slice(4)}`;
  if (p.kind === 'fiscalYear') return `fy${p.fiscalYear}`;
  if (p.kind === 'month') return be(p.month);
  return `${be(p.from)}_${be(p.to)}`;
}

/** `rongrian-report-5001-2569-11-district` (`-own` when the units below are left out): scope, period and format. */
export function reportFileName(r: ReportJson): string {
  return `rongrian-report-${r.unit.code}${r.unit.withChildren ? '' : '-own'}-${periodSlug(r.period)}-${r.format}`;
}
