/**
 * The admins' audit log (`/dashboard/audit`): who read whose personal data (officers' case and file
 * views in the chat, the LIFF pages and the dashboard), dashboard exports, partner reads and retention
 * actions — filterable by period, officer, case and action, and downloadable as CSV/XLSX. Admins only;
 * anyone else gets the same 404 as a page that does not exist.
 *
 * Every query has an equality on an indexed field (caseId, officerId or action, each indexed with
 * `at`), so FerretDB answers it from an index: without a case or officer, the page asks once per
 * known action and merges the answers.
 *
 * Also here: every dashboard export is itself recorded (action 'export', which download, unit, period).
 */
import type { Request, Response, Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { formatDate } from '../../shared/thaiDate.ts';
import { exportFileName, sendTable, type Cell } from '../export.ts';
import { errorPage, html, num, raw } from '../html.ts';
import { bangkokMidnight, exportFormat, isoDate, parse } from './query.ts';
import type { PageContext } from './context.ts';

/** Actions the page knows by name; others (written by newer code) still show, and can be filtered by typing them. */
export const AUDIT_ACTIONS: Record<string, [string, string]> = {
  view_case: ['ดูเรื่องพร้อมข้อมูลส่วนบุคคล', 'viewed a case with personal data'],
  view_case_masked: ['ดูเรื่อง (ปิดบังข้อมูลส่วนบุคคล)', 'viewed a case, personal data masked'],
  view_file: ['เปิดไฟล์แนบ', 'opened an attachment'],
  export: ['ส่งออกข้อมูลจากแดชบอร์ด', 'exported from the dashboard'],
  partner_read: ['หน่วยงานภาคีอ่านข้อมูลผ่าน API', 'partner read through the API'],
  claim_code_issued: ['ออกรหัสเชื่อมเรื่องกับ LINE', 'issued a LINE link code'],
  retention_case_anonymised: ['ลบข้อมูลส่วนบุคคลของเรื่องที่ยุติเกินระยะเก็บรักษา', 'retention: a closed case anonymised'],
  retention_drafts_deleted: ['ลบร่างเรื่องที่ไม่ได้ยินยอมเกินระยะเก็บรักษา', 'retention: drafts deleted'],
  retention_uploads_deleted: ['ลบรูปที่อัปโหลดแต่ไม่ได้แนบกับเรื่อง', 'retention: unattached uploads deleted'],
  retention_run: ['รอบการลบข้อมูลตามระยะเก็บรักษา', 'retention run'],
};

/** Fields shown in their own columns; anything else an entry carries is listed under "details". */
const KNOWN_FIELDS = new Set(['_id', '__v', 'at', 'officerId', 'lineUserId', 'caseId', 'action', 'via']);

const MAX_ROWS = 200;
const MAX_EXPORT_ROWS = 10_000;

const auditQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  officer: z.string().regex(/^[0-9a-f]{24}$/, 'officer: รหัสเจ้าหน้าที่ไม่ถูกต้อง (bad officer id)').optional(),
  case: z.string().regex(/^\d{4}-\d{1,8}$/, 'case: เลขรับเรื่องเช่น 2569-000042 (tracking number such as 2569-000042)').optional(),
  action: z.string().regex(/^[a-z_]{1,40}$/, 'action: ชื่อการกระทำไม่ถูกต้อง (bad action name)').optional(),
}).strict();

type AuditRow = Record<string, unknown> & { _id: unknown; at: Date; officerId?: string; lineUserId?: string; caseId?: string; action: string; via?: string };

interface Found { rows: AuditRow[]; officers: Map<string, { name: string; unitCode: string }>; cases: Map<string, string>; truncated: boolean }

export function auditPage(r: Router, ctx: PageContext): void {
  const { deps, page, wrap, session } = ctx;
  const adminOnly = (res: Response): boolean => {
    if (session(res).principal.role === 'admin') return true;
    errorPage(res, 404, 'ไม่พบหน้านี้', 'Not found.');
    return false;
  };

  // Downloads leave the system: each one is an audit entry of its own, written once it was sent.
  r.use('/export', (req, res, next) => {
    // Taken now: by the time the response has finished, the router has rewritten req.url.
    const download = (req.baseUrl + req.path).slice(0, 100);
    res.on('finish', () => {
      if (res.statusCode !== 200) return;
      const s = session(res);
      const q = req.query as Record<string, unknown>;
      const str = (k: string) => (typeof q[k] === 'string' && q[k] ? String(q[k]).slice(0, 40) : undefined);
      const period = str('from') || str('to') ? `${str('from') ?? '…'}..${str('to') ?? '…'}` : str('month') ?? (str('fy') ? `fy${str('fy')}` : str('period') ?? 'all');
      deps.models.Audit.create({
        at: deps.clock.now(), officerId: s.principal.officerId, lineUserId: s.principal.lineUserId, action: 'export', via: 'dashboard',
        page: download, scope: str('unit') ?? s.principal.unitCode, period,
      }).catch((err: Error) => deps.log.error({ err: err.message }, 'audit: export not recorded'));
    });
    next();
  });

  async function find(req: Request, limit: number): Promise<Found & { q: z.infer<typeof auditQuery> }> {
    const q = parse(auditQuery, req);
    const at: Record<string, Date> = {};
    if (q.from) at.$gte = bangkokMidnight(q.from);
    if (q.to) at.$lt = new Date(bangkokMidnight(q.to).getTime() + 86_400_000);
    const base: Record<string, unknown> = Object.keys(at).length ? { at } : {};
    if (q.officer) base.officerId = q.officer;
    if (q.action) base.action = q.action;
    let filters: Record<string, unknown>[];
    if (q.case) {
      const c = await deps.models.Case.findOne({ trackingNo: q.case }, { _id: 1 }).lean();
      filters = c ? [{ ...base, caseId: String(c._id) }] : [];
    } else if (q.officer || q.action) {
      filters = [base];
    } else {
      filters = Object.keys(AUDIT_ACTIONS).map((action) => ({ ...base, action }));
    }
    const parts = await Promise.all(filters.map((f) => deps.models.Audit.find(f).sort({ at: -1 }).limit(limit + 1).lean<AuditRow[]>()));
    const all = parts.flat().sort((a, b) => b.at.getTime() - a.at.getTime());
    const rows = all.slice(0, limit);
    const officerIds = [...new Set(rows.map((x) => x.officerId).filter((x): x is string => !!x && Types.ObjectId.isValid(x)))];
    const caseIds = [...new Set(rows.map((x) => x.caseId).filter((x): x is string => !!x && Types.ObjectId.isValid(x)))];
    // By _id one at a time: each is an index read, and there are at most a few hundred.
    const officers = new Map((await Promise.all(officerIds.map((id) => deps.models.Officer.findById(id, { name: 1, unitCode: 1 }).lean())))
      .filter((o) => !!o).map((o) => [String(o!._id), { name: o!.name ?? '', unitCode: o!.unitCode }]));
    const cases = new Map((await Promise.all(caseIds.map((id) => deps.models.Case.findById(id, { trackingNo: 1 }).lean())))
      .filter((c) => !!c).map((c) => [String(c!._id), c!.trackingNo]));
    return { q, rows, officers, cases, truncated: all.length > limit };
  }

  const who = (f: Found, x: AuditRow) => {
    const o = x.officerId ? f.officers.get(x.officerId) : undefined;
    if (o) return `${o.name || 'เจ้าหน้าที่'} (${o.unitCode})`;
    if (typeof x.apiKeyId === 'string') return `API key ${x.apiKeyId}`;
    return x.officerId ? `officer ${x.officerId}` : 'ระบบ (system)';
  };
  const actionLabel = (a: string) => (AUDIT_ACTIONS[a] ? `${AUDIT_ACTIONS[a]![0]} (${AUDIT_ACTIONS[a]![1]})` : a);
  const details = (x: AuditRow) => Object.entries(x).filter(([k, v]) => !KNOWN_FIELDS.has(k) && v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('; ');

  r.get('/audit', wrap(async (req, res) => {
    if (!adminOnly(res)) return;
    const f = await find(req, MAX_ROWS);
    const { q } = f;
    const officerList = await deps.models.Officer.find({}, { name: 1, unitCode: 1 }).sort({ unitCode: 1, name: 1 }).limit(2000).lean();
    const sel = (a: string | undefined, b: string) => (a === b ? raw('selected') : '');
    const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v) as [string, string][]).toString();
    await page(res, 'บันทึกการเข้าถึงข้อมูล', 'Audit log', '/dashboard/audit', html`
      <form class="pickers" method="get" action="/dashboard/audit">
        <label>ตั้งแต่ <small>From</small><input type="date" name="from" value="${q.from ?? ''}"></label>
        <label>ถึง <small>To</small><input type="date" name="to" value="${q.to ?? ''}"></label>
        <label>เจ้าหน้าที่ <small>Officer</small><select name="officer"><option value="">ทั้งหมด · all</option>
          ${officerList.map((o) => html`<option value="${String(o._id)}" ${sel(q.officer, String(o._id))}>${o.name || 'เจ้าหน้าที่'} · ${o.unitCode}</option>`)}</select></label>
        <label>เลขรับเรื่อง <small>Tracking no.</small><input type="search" name="case" value="${q.case ?? ''}" maxlength="13" placeholder="2569-000042"></label>
        <label>การกระทำ <small>Action</small><select name="action"><option value="">ทั้งหมด · all</option>
          ${Object.entries(AUDIT_ACTIONS).map(([a, [th]]) => html`<option value="${a}" ${sel(q.action, a)}>${th}</option>`)}
          ${q.action && !AUDIT_ACTIONS[q.action] ? html`<option value="${q.action}" selected>${q.action}</option>` : ''}</select></label>
        <button type="submit">แสดง <small>Show</small></button>
      </form>
      <p class="scope">${num(f.rows.length)} รายการ${f.truncated ? ` (ล่าสุด ${MAX_ROWS} รายการ · newest ${MAX_ROWS} shown)` : ''} · ${num(f.rows.length)} entries</p>
      <table class="data audit">
        <thead><tr><th>เวลา <small>When</small></th><th>ผู้เข้าถึง <small>Who</small></th><th>การกระทำ <small>Action</small></th><th>ช่องทาง <small>Via</small></th><th>เรื่อง <small>Case</small></th><th>รายละเอียด <small>Details</small></th></tr></thead>
        <tbody>${f.rows.map((x) => {
          const tracking = x.caseId ? f.cases.get(x.caseId) : undefined;
          return html`<tr><td>${formatDate(x.at)} ${bangkokTime(x.at)}</td><td>${who(f, x)}</td><td>${actionLabel(x.action)}</td><td>${x.via ?? '–'}</td>
            <td>${tracking ? html`<a href="/dashboard/cases/${tracking}">${tracking}</a>` : x.caseId ?? '–'}</td><td>${details(x) || '–'}</td></tr>`;
        })}</tbody>
      </table>
      <p class="actions">
        <a class="button ghost" href="/dashboard/export/audit.csv?${params}">CSV</a> <a class="button ghost" href="/dashboard/export/audit.xlsx?${params}">XLSX</a>
        <small>ไฟล์มีชื่อเจ้าหน้าที่ผู้เข้าถึง ไม่มีข้อมูลผู้ร้องเรียน (สูงสุด 10,000 แถว) · names the officers, never the complainants (up to 10,000 rows)</small>
      </p>`);
  }));

  r.get('/export/audit.:ext', wrap(async (req, res) => {
    if (!adminOnly(res)) return;
    const ext = exportFormat(req);
    const f = await find(req, MAX_EXPORT_ROWS);
    const { q } = f;
    const rows: Cell[][] = f.rows.map((x) => [x.at, who(f, x), x.officerId, x.action, AUDIT_ACTIONS[x.action]?.[0] ?? '', x.via, x.caseId ? f.cases.get(x.caseId) ?? x.caseId : '', details(x)]);
    await sendTable(res, ext, exportFileName('audit', q.case ?? q.officer ?? 'all', `${q.from ?? 'start'}_${q.to ?? 'now'}`), {
      sheet: 'บันทึกการเข้าถึง',
      title: 'บันทึกการเข้าถึงข้อมูลส่วนบุคคล (Audit log)',
      period: `ตั้งแต่ ${q.from ?? 'เริ่มต้น'} ถึง ${q.to ?? 'ปัจจุบัน'} (from ${q.from ?? '…'} to ${q.to ?? '…'})${q.action ? ` · ${q.action}` : ''}${q.case ? ` · ${q.case}` : ''}`,
      headers: ['เวลา (When)', 'ผู้เข้าถึง (Who)', 'รหัสเจ้าหน้าที่ (Officer id)', 'การกระทำ (Action)', 'คำอธิบาย (Meaning)', 'ช่องทาง (Via)', 'เลขรับเรื่อง (Case)', 'รายละเอียด (Details)'],
      rows,
    });
  }));
}

function bangkokTime(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
}
