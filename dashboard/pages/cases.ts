/**
 * Case search (`/dashboard/cases`) and its CSV/XLSX export, which carry no personal data.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { CASE_STATUSES, STATUS_LABELS, SUBJECT_CATEGORIES } from '../../shared/categories.ts';
import { formatDate } from '../../shared/thaiDate.ts';
import { problemTypeLabel } from '../../shared/problems/display.ts';
import { PROBLEM_TYPES, PROBLEM_TYPE_CODES } from '../../shared/problems/types.ts';
import { PAGE_SIZE, searchCases } from '../data.ts';
import { exportFileName, sendTable } from '../export.ts';
import { html, num, raw } from '../html.ts';
import { bangkokMidnight, beDate, channelLabel, common, exportFormat, isoDate, parse } from './query.ts';
import type { PageContext } from './context.ts';

const caseQuery = common.extend({
  q: z.string().max(100, 'คำค้นยาวเกิน 100 ตัวอักษร (query too long)').regex(/^[^\u0000-\u001f\u007f]*$/, 'มีอักขระควบคุม (control characters)').optional(),
  status: z.enum(CASE_STATUSES).or(z.literal('')).optional(),
  category: z.string().max(30).optional(),
  from: isoDate.or(z.literal('')).optional(),
  to: isoDate.or(z.literal('')).optional(),
  type: z.string().max(40).refine((t) => t === '' || PROBLEM_TYPE_CODES.includes(t), 'ไม่รู้จักประเภทปัญหานี้ (unknown problem type)').optional(),
  reported: z.enum(['2']).or(z.literal('')).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
}).strict();

export function casesPage(r: Router, ctx: PageContext): void {
  const { deps, page, wrap, scopeOf, picker } = ctx;
  async function caseSearch(req: Request, res: Response, limit = PAGE_SIZE) {
    const q = parse(caseQuery, req);
    const scope = await scopeOf(req, res, q.unit);
    const s = {
      ...(q.q ? { q: q.q.trim() } : {}), ...(q.status ? { status: q.status } : {}), ...(q.category ? { category: q.category } : {}),
      ...(q.from ? { from: bangkokMidnight(q.from) } : {}), ...(q.to ? { to: new Date(bangkokMidnight(q.to).getTime() + 86_400_000) } : {}),
      ...(q.type ? { problemType: q.type } : {}), ...(q.reported ? { reported: true } : {}),
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
      <label>ประเภทปัญหา <small>Problem type</small><select name="type"><option value="">ทั้งหมด · all</option>${PROBLEM_TYPES.map((t) => html`<option value="${t.code}" ${sel(q.type, t.code)}>${t.icon} ${t.th}</option>`)}</select></label>
      <label class="check"><input type="checkbox" name="reported" value="2" ${q.reported ? raw('checked') : ''}> มีผู้แจ้งหลายคน <small>Reported by 2 or more</small></label>
      <label>รับตั้งแต่ <small>From</small><input type="date" name="from" value="${q.from ?? ''}"></label>
      <label>ถึง <small>To</small><input type="date" name="to" value="${q.to ?? ''}"></label>`;
    const params = new URLSearchParams(Object.entries({ unit: scope.unit.code, q: q.q ?? '', status: q.status ?? '', category: q.category ?? '', from: q.from ?? '', to: q.to ?? '', type: q.type ?? '', reported: q.reported ?? '' }).filter(([, v]) => v)).toString();
    // Filtered by type or by "reported by many", the list knows its total only once it has read every month.
    const pages = result.totalExact ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : q.page + 1;
    await page(res, 'ค้นหาเรื่อง', 'Case search', '/dashboard/cases', html`
      ${await picker(res, scope, extra, '/dashboard/cases')}
      ${result.totalExact ? html`<p class="scope">พบ ${num(result.total)} เรื่อง · ${num(result.total)} cases${pages > 1 ? ` · หน้า ${q.page}/${pages}` : ''}</p>`
        : html`<p class="scope">พบอย่างน้อย ${num(result.total)} เรื่อง · at least ${num(result.total)} cases · หน้า ${q.page}</p>`}
      <table class="data cases">
        <thead><tr><th>เลขรับเรื่อง <small>Tracking no.</small></th><th>วันที่รับ <small>Received</small></th><th>ประเด็น <small>Category</small></th><th>ช่องทาง <small>Channel</small></th><th>สถานะ <small>Status</small></th><th class="n">ผู้แจ้ง <small>Reported by</small></th><th>หน่วยงาน <small>Unit</small></th><th>พื้นที่ <small>Area</small></th></tr></thead>
        <tbody>${result.rows.map((c) => html`<tr><td><a href="/dashboard/cases/${c.trackingNo}">${c.trackingNo}</a></td><td>${formatDate(c.receivedAt)}</td>
          <td>${problemTypeLabel(c.problemType, 'th') ?? ''}${c.problemType ? html`<br><small>` : ''}${SUBJECT_CATEGORIES.find((x) => x.code === c.category)?.short ?? c.category}${c.problemType ? html`</small>` : ''}</td><td>${channelLabel(c.channel)}</td>
          <td><span class="status ${c.status}">${STATUS_LABELS[c.status as keyof typeof STATUS_LABELS]?.th ?? c.status}</span></td><td class="n reporters">${c.supporterCount}</td><td>${c.unitName}</td><td>${c.area}</td></tr>`)}</tbody>
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
}
