/** CSV and XLSX downloads of a dashboard table (headers Thai first, English in brackets). */
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { redactText } from '../shared/privacy/redact.ts';

export type Cell = string | number | Date | null | undefined;
export interface Table {
  sheet: string;
  /** What the table is, Thai then English: the first line of the CSV (and row of the sheet). */
  title: string;
  /** For which scope and period / as of when: the second line. */
  period: string;
  headers: string[];
  rows: Cell[][];
}

/** `rongrian-<kind>-<unit>-<period>`: a downloaded file says what it holds, for whom and for when. */
export function exportFileName(kind: string, unitCode: string, period: string): string {
  return [`rongrian-${kind}`, unitCode, period].filter(Boolean).join('-').replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading quote. Files leave
 * the system: any personal data in a text cell is replaced by its marker too (the tables carry none today).
 */
function safeText(s: string): string {
  const t = redactText(s);
  return /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
}

function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'number' ? String(v) : safeText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsvText(t: Table): string {
  // BOM: Excel opens UTF-8 Thai text correctly only with it.
  return '\ufeff' + [[t.title], [t.period], t.headers, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export async function toXlsxBuffer(t: Table): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rongrian';
  const ws = wb.addWorksheet(t.sheet.slice(0, 31));
  ws.addRow([safeText(t.title)]).font = { bold: true, size: 13 };
  ws.addRow([safeText(t.period)]);
  ws.addRow(t.headers).font = { bold: true };
  for (const r of t.rows) ws.addRow(r.map((v) => (typeof v === 'string' ? safeText(v) : v ?? null)));
  // Widths from the table, not the title lines (those overflow into the empty cells beside them).
  ws.columns.forEach((c, i) => { c.width = Math.min(60, Math.max(10, ...[t.headers[i], ...t.rows.map((r) => r[i])].map((v) => String(v ?? '').length + 2))); });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function sendTable(res: Response, format: 'csv' | 'xlsx', filename: string, t: Table): Promise<void> {
  res.setHeader('content-disposition', `attachment; filename="${filename}.${format}"`);
  res.setHeader('cache-control', 'no-store');
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').send(toCsvText(t));
  } else {
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsxBuffer(t));
  }
}
