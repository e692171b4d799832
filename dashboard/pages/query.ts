/**
 * The dashboard's query checking and small formatting helpers shared by its pages: bad input becomes a
 * clear 400 (BadQuery, turned into a page or JSON by the router's error handler), never a crash.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { CHANNELS } from '../../shared/categories.ts';
import { fiscalYearOf } from '../../shared/reports/index.ts';
import { html, raw } from '../html.ts';

export const code = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'รหัสหน่วยงานไม่ถูกต้อง (bad unit code)');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'วันที่ต้องเป็น YYYY-MM-DD (date must be YYYY-MM-DD)').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00+07:00`)), 'วันที่ไม่ถูกต้อง (invalid date)');
export const common = z.object({
  unit: code.optional(),
  fy: z.coerce.number().int().min(2500, 'ปีงบประมาณ พ.ศ. 2500–2700 (fiscal year, BE)').max(2700, 'ปีงบประมาณ พ.ศ. 2500–2700 (fiscal year, BE)').optional(),
});
export const pageQuery = common.strict();

export class BadQuery extends Error { override name = 'BadQuery'; }

export function parse<S extends z.ZodObject>(schema: S, req: Request): z.infer<S> {
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

export const bangkokMidnight = (s: string) => new Date(`${s}T00:00:00+07:00`);

export const fyPicker = (fy: number, now: Date) => {
  const cur = fiscalYearOf(now);
  const years = Array.from({ length: 6 }, (_, i) => cur - i);
  return html`<label>ปีงบประมาณ <small>Fiscal year</small>
    <select name="fy">${years.map((y) => html`<option value="${y}" ${y === fy ? raw('selected') : ''}>${y}</option>`)}</select></label>`;
};

export function exportFormat(req: Request): 'csv' | 'xlsx' {
  const ext = req.params.ext;
  if (ext !== 'csv' && ext !== 'xlsx') throw new BadQuery('export: csv หรือ xlsx เท่านั้น (csv or xlsx only)');
  return ext;
}

export function channelLabel(code: string): string {
  return CHANNELS.find((c) => c.code === code)?.th ?? code;
}

/** A Bangkok date in Buddhist era, `2569-12-05`, for file names. */
export function beDate(d: Date): string {
  const iso = new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  return `${Number(iso.slice(0, 4)) + 543}${iso.slice(4)}`;
}
