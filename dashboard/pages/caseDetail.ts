/**
 * One case (`/dashboard/cases/:trackingNo`): personal data only for the assigned unit, every view audited;
 * supervisors' take over / assign / close forms and their POSTs.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { STATUS_LABELS, SUBJECT_CATEGORIES, isOpenStatus } from '../../shared/categories.ts';
import { isSupervisorRole, mayActOn } from '../../shared/cases/access.ts';
import { slaContext } from '../../shared/sla/load.ts';
import { formatDate, formatDateTime } from '../../shared/thaiDate.ts';
import { problemTypeLabel } from '../../shared/problems/display.ts';
import type { DashboardSession } from '../auth.ts';
import { resolveScope, unitInfo } from '../data.ts';
import { errorPage, html, type Raw } from '../html.ts';
import { areaOf } from '../area.ts';
import { maskAddress, maskFreeText, maskLineId, maskName, maskPhone } from '../mask.ts';
import type { OfficerRef } from '../../shared/cases/actor.ts';
import { assignCaseToOfficer } from '../../shared/cases/commands/assignCase.ts';
import { closeCase } from '../../shared/cases/commands/closeCase.ts';
import { takeOverCase } from '../../shared/cases/commands/takeOverCase.ts';
import { forwardCase } from '../../shared/cases/commands/forwardCase.ts';
import { withdrawPublicResult } from '../../shared/cases/commands/publishResult.ts';
import { en as enCopy } from '../../shared/i18n/en.ts';
import { th as thCopy } from '../../shared/i18n/th.ts';
import { channelLabel } from './query.ts';
import type { PageContext } from './context.ts';

/** What the case page says after a supervisor's action (`?done=`). */
const DONE: Record<string, string> = {
  takeover: 'รับเรื่องไว้ดำเนินการเองแล้ว ผู้ร้องได้รับแจ้งแล้ว · Taken over; the complainant has been told.',
  forward: 'ส่งต่อหน่วยงานที่แนะนำแล้ว ผู้ร้องได้รับแจ้งแล้ว · Forwarded to the suggested agency; the complainant has been told.',
  assign: 'มอบหมายเจ้าหน้าที่แล้ว เจ้าหน้าที่ได้รับแจ้งทาง LINE · Assigned; the officer was alerted on LINE.',
  close: 'ยุติเรื่องแล้ว ผู้ร้องได้รับแจ้งผลและแบบประเมิน · Closed; the complainant got the result and the survey.',
  withdrawn: 'ยกเลิกการเผยแพร่ผลแล้ว ผลและภาพไม่แสดงในหน้าสาธารณะอีก · The result is no longer public; its page entry and photo are gone.',
};

/** Timeline steps as officers say them. */
const ACTION_TH: Record<string, string> = {
  taken_over: 'หัวหน้าหน่วยงานรับเรื่องไว้ดำเนินการเอง',
  opened: 'รับเรื่อง', assigned: 'เจ้าหน้าที่รับเรื่อง', note: 'บันทึกความคืบหน้า', internal_note: 'บันทึกภายใน (เฉพาะเจ้าหน้าที่)', asked: 'ขอข้อมูลเพิ่มจากผู้ร้อง', info_added: 'ผู้ร้องเพิ่มข้อมูล',
  forwarded: 'ส่งต่อหน่วยงาน', escalated: 'แจ้งหน่วยงานระดับสูงขึ้น (ล่าช้า)', closed: 'ยุติเรื่อง', rejected: 'ไม่รับเรื่อง', withdrawn: 'ผู้ร้องถอนเรื่อง',
  survey: 'ผู้ร้องประเมินความพึงพอใจ', line_linked: 'เชื่อมกับบัญชี LINE ของผู้ร้อง', line_relinked: 'ย้ายไปเชื่อมกับบัญชี LINE อื่นด้วยรหัสเชื่อมเรื่องใหม่',
  reopened: 'ผู้ร้องแจ้งว่ายังไม่ได้แก้ไข เปิดเรื่องใหม่',
  result_published: 'เผยแพร่ผลการแก้ไขต่อสาธารณะ', result_withdrawn: 'ยกเลิกการเผยแพร่ผลการแก้ไข',
  joined: 'มีผู้แจ้งปัญหาเดียวกันเพิ่ม 1 คน (แจ้งด้วย)', unfollowed: 'ผู้ติดตาม 1 คนเลิกติดตาม',
  linked: 'เชื่อมโยงกับเรื่องที่เกี่ยวข้อง', merged: 'รวมเข้ากับเรื่องอื่น (ปัญหาเดียวกัน)', merged_in: 'รวมเรื่องอื่นเข้ามาในเรื่องนี้',
};

export function caseDetailPage(r: Router, ctx: PageContext): void {
  const { deps, session, page, wrap, form, checkCsrf } = ctx;
  r.get('/cases/:trackingNo', wrap(async (req, res) => {
    const trackingNo = String(req.params.trackingNo);
    const notFound = () => errorPage(res, 404, 'ไม่พบเรื่องนี้ในขอบเขตของท่าน', 'No such case in your scope.');
    if (!/^\d{4}-\d{1,8}$/.test(trackingNo)) return notFound();
    const s = session(res);
    const c = await deps.models.Case.findOne({ trackingNo }).lean();
    // Outside the scope answers as "not found": a district officer learns nothing about another province's cases.
    if (!c) return notFound();
    // Nobody sees a complaint about their own unit's officials, not even masked.
    if (c.concernedUnitCode && c.concernedUnitCode === s.principal.unitCode) return notFound();
    try { await resolveScope(deps.models, s.principal, c.unitCode); } catch { return notFound(); }
    const assigned = s.principal.unitCode === c.unitCode;
    await deps.models.Audit.create({
      at: deps.clock.now(), officerId: s.principal.officerId, lineUserId: s.principal.lineUserId, caseId: String(c._id),
      action: assigned ? 'view_case' : 'view_case_masked', via: 'dashboard',
    });
    const unit = await unitInfo(deps.models, c.unitCode);
    const cp: { anonymous?: boolean | null; name?: string | null; phone?: string | null; lineUserId?: string | null } = c.complainant ?? {};
    const loc = c.location ?? {};
    const areaName = areaOf(loc);
    const address = [loc.address, loc.subdistrictName].filter(Boolean).join(' ');
    const person = cp.anonymous
      ? html`<dd>ไม่ประสงค์ออกนาม <small>anonymous</small></dd>`
      : html`
        <dt>ชื่อ <small>Name</small></dt><dd>${assigned ? cp.name || '–' : maskName(cp.name)}</dd>
        <dt>โทรศัพท์ <small>Phone</small></dt><dd>${assigned ? cp.phone || '–' : maskPhone(cp.phone)}</dd>
        <dt>LINE</dt><dd>${assigned ? cp.lineUserId || '–' : maskLineId(cp.lineUserId)}</dd>`;
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    const forms = await supervisorForms(s, c);
    const mayAct = await mayActOn(deps.models, s.principal, c);
    const links = await relatedParts(c, s.csrf, mayAct);
    await page(res, `เรื่อง ${c.trackingNo}`, 'Case detail', '/dashboard/cases', html`
      ${done ? html`<p class="notice good" role="status">${done}</p>` : ''}
      ${assigned ? html`<p class="notice">ท่านเป็นหน่วยงานผู้รับผิดชอบ จึงเห็นข้อมูลส่วนบุคคล การเปิดดูนี้ถูกบันทึกไว้ · You are the assigned unit: personal data is shown and this view is audited.</p>`
        : html`<p class="notice masked">ข้อมูลส่วนบุคคลถูกปิดบัง (เฉพาะหน่วยงานผู้รับผิดชอบเห็นได้) การเปิดดูนี้ถูกบันทึกไว้ · Personal data is masked (only the assigned unit sees it); this view is audited.</p>`}
      <section class="detail">
        <dl>
          <dt>สถานะ <small>Status</small></dt><dd><span class="status ${c.status}">${STATUS_LABELS[c.status].th}</span> <small>${STATUS_LABELS[c.status].en}</small></dd>
          ${c.problemType ? html`<dt>ประเภทปัญหา <small>Problem type</small></dt><dd>${problemTypeLabel(c.problemType, 'th') ?? c.problemType} <small>${problemTypeLabel(c.problemType, 'en') ?? ''}</small></dd>` : ''}
          <dt>ประเด็น <small>Category</small></dt><dd>${SUBJECT_CATEGORIES.find((x) => x.code === c.category)?.th ?? c.category}</dd>
          <dt>ช่องทาง <small>Channel</small></dt><dd>${channelLabel(c.channel)}</dd>
          <dt>วันที่รับ <small>Received</small></dt><dd>${formatDateTime(new Date(c.receivedAt ?? c.createdAt))}</dd>
          <dt>หน่วยงานผู้รับผิดชอบ <small>Assigned unit</small></dt><dd>${unit?.nameTh ?? c.unitCode}</dd>
          ${c.assignee?.name ? html`<dt>เจ้าหน้าที่ <small>Officer</small></dt><dd>${c.assignee.name}</dd>` : ''}
          <dt>กำหนด <small>Deadlines</small></dt><dd>${c.ackDueAt ? `รับเรื่อง ${formatDateTime(new Date(c.ackDueAt))}` : ''}${c.answerDueAt ? ` · ตอบผู้ร้อง ${formatDate(new Date(c.answerDueAt))}` : ''}${c.resolveDueAt ? ` · แล้วเสร็จ ${formatDate(new Date(c.resolveDueAt))}` : ''}</dd>
          <dt>พื้นที่ <small>Area</small></dt><dd>${areaName || '–'}</dd>
          <dt>ที่อยู่ / พิกัด <small>Address</small></dt><dd>${assigned ? address || '–' : maskAddress(address)}${assigned && typeof loc.lat === 'number' ? ` (${loc.lat.toFixed(5)}, ${loc.lng?.toFixed(5)})` : ''}</dd>
          ${person}
          ${c.attachments?.length ? html`<dt>ภาพถ่าย <small>Photos</small></dt><dd>${c.attachments.length} ภาพ</dd>` : ''}
          ${links.facts}
        </dl>
        <h2>รายละเอียด <small>What happened</small></h2>
        <p class="desc">${assigned ? c.description : maskFreeText(c.description)}</p>
        ${c.resolution?.text ? html`<h2>ผลการดำเนินการ <small>Result</small></h2><p class="desc">${assigned ? c.resolution.text : maskFreeText(c.resolution.text)}</p>` : ''}
        ${c.survey?.score ? html`<p>ความพึงพอใจ ${c.survey.score}/5</p>` : ''}
        ${links.published}
        <h2>ลำดับเหตุการณ์ <small>Timeline</small></h2>
        <ol class="timeline">${(c.timeline ?? []).map((t) => html`<li><time>${formatDateTime(new Date(t.at))}</time> <b>${ACTION_TH[t.action] ?? t.action}</b> ${t.by?.kind === 'officer' ? t.by.name ?? '' : t.by?.kind === 'citizen' ? 'ผู้ร้อง' : 'ระบบ'}${t.note ? html` — ${assigned ? t.note : maskFreeText(t.note)}` : ''}</li>`)}</ol>
      </section>
      ${forms}`);
  }));

  /**
   * How the case stands among others (people who reported it too, linked and merged cases, the
   * agency suggested for it) and its published result. Followers are a count: their LINE ids never show.
   */
  async function relatedParts(c: {
    trackingNo: string; supporterCount?: number | null; followers?: unknown[] | null; relatedCases?: string[] | null; mergedInto?: string | null; suggestedUnitCode?: string | null;
    publicResult?: { approvedAt?: Date | null; by?: { name?: string | null } | null; summary?: string | null } | null; publicSlug?: string | null;
  }, csrf: string, mayAct: boolean): Promise<{ facts: Raw; published: Raw }> {
    const caseLink = (t: string) => html`<a href="/dashboard/cases/${t}">${t}</a>`;
    const supporters = c.supporterCount ?? 1;
    const followers = c.followers?.length ?? 0;
    const agency = c.suggestedUnitCode ? await unitInfo(deps.models, c.suggestedUnitCode) : null;
    const facts = html`
      <dt>ผู้แจ้ง <small>Reported by</small></dt><dd class="supporters">มีผู้แจ้ง ${supporters} คน <small>${supporters} ${supporters === 1 ? 'person' : 'people'} reported this</small>${followers ? html` · ผู้ติดตาม ${followers} คน <small>${followers} following its updates</small>` : ''}</dd>
      ${c.mergedInto ? html`<dt>รวมเข้ากับ <small>Merged into</small></dt><dd class="merged">${caseLink(c.mergedInto)} <small>เรื่องนี้ยุติโดยรวมกับเรื่องดังกล่าว · this case was closed into that one</small></dd>` : ''}
      ${c.relatedCases?.length ? html`<dt>เรื่องที่เกี่ยวข้อง <small>Related cases</small></dt><dd class="related">${c.relatedCases.map((t, i) => html`${i ? ', ' : ''}${caseLink(t)}`)}</dd>` : ''}
      ${c.suggestedUnitCode ? html`<dt>หน่วยงานที่แนะนำ <small>Suggested agency</small></dt><dd class="suggested">${agency?.nameTh ?? c.suggestedUnitCode} <small>${agency?.nameEn ?? ''} · หน่วยงานที่แก้ปัญหาประเภทนี้ในพื้นที่ · fixes this kind of problem here</small></dd>` : ''}`;
    const p = c.publicResult;
    const published = c.publicSlug && p ? html`<section class="published" id="published">
        <h2>ผลที่เผยแพร่ต่อสาธารณะ <small>Published result</small></h2>
        <p class="desc">${p.summary ?? ''}</p>
        <p><small>อนุมัติโดย ${p.by?.name ?? '–'}${p.approvedAt ? ` เมื่อ ${formatDateTime(new Date(p.approvedAt))}` : ''} · approved for the public figures page</small></p>
        ${mayAct && deps.actions ? html`<form method="post" action="/dashboard/cases/${c.trackingNo}/withdraw-result" class="action" id="withdraw-result">
          <input type="hidden" name="csrf" value="${csrf}">
          <button type="submit" class="danger">ยกเลิกการเผยแพร่ <small>Withdraw from the public page</small></button></form>` : ''}
      </section>` : html``;
    return { facts, published };
  }

  // ยกเลิกการเผยแพร่: the LIFF case page's command, for any officer who may act on the case.
  r.post('/cases/:trackingNo/withdraw-result', form, wrap(async (req, res) => {
    const trackingNo = String(req.params.trackingNo);
    const notFound = () => errorPage(res, 404, 'ไม่พบเรื่องนี้ในขอบเขตของท่าน', 'No such case in your scope.');
    if (!deps.actions || !/^\d{4}-\d{1,8}$/.test(trackingNo)) return notFound();
    if (!checkCsrf(req, res)) return;
    const s = session(res);
    const c = await deps.models.Case.findOne({ trackingNo }, { unitCode: 1, concernedUnitCode: 1 }).lean();
    if (!c || !(await mayActOn(deps.models, s.principal, c))) return notFound();
    const r2 = await withdrawPublicResult({ models: deps.models, clock: deps.clock, publish: deps.actions.publish }, { caseId: String(c._id), officer: refOf(s) });
    if (!r2.ok && r2.reason === 'not_found') return notFound();
    if (!r2.ok) return errorPage(res, 409, 'ผลของเรื่องนี้ไม่ได้เผยแพร่อยู่', 'This result is not published.');
    await deps.models.Audit.create({ at: deps.clock.now(), officerId: s.principal.officerId, lineUserId: s.principal.lineUserId, caseId: String(c._id), action: 'withdraw_public_result', via: 'dashboard' });
    // The public page is cached: without this the withdrawn result would stay until the cache expires.
    await deps.actions.forgetPublicFigures?.();
    res.redirect(303, `/dashboard/cases/${trackingNo}?done=withdrawn`);
  }));

  // -------- supervisors act on a case from its page: take over, assign to a named officer, close
  const refOf = (s: DashboardSession): OfficerRef => ({ id: s.principal.officerId, name: s.principal.name || 'เจ้าหน้าที่', unitCode: s.principal.unitCode, role: s.principal.role });

  async function supervisorForms(s: DashboardSession, c: { _id: unknown; trackingNo: string; unitCode: string; status: string; concernedUnitCode?: string | null; suggestedUnitCode?: string | null }): Promise<Raw> {
    if (!deps.actions || !isSupervisorRole(s.principal.role) || !isOpenStatus(c.status) || !(await mayActOn(deps.models, s.principal, c))) return html``;
    const units = [...new Set([c.unitCode, s.principal.unitCode])];
    const officers = (await Promise.all(units.map((u) => deps.models.Officer.find({ unitCode: u, active: true }, { name: 1, unitCode: 1 }).lean()))).flat();
    const unitName = async (u: string) => (await unitInfo(deps.models, u))?.nameTh ?? u;
    const names = new Map(await Promise.all(units.map(async (u) => [u, await unitName(u)] as const)));
    const csrf = html`<input type="hidden" name="csrf" value="${s.csrf}">`;
    const base = `/dashboard/cases/${c.trackingNo}`;
    // The agency routing suggested for this type and place (the LINE card and the LIFF page offer the same, in one tap).
    const agency = c.suggestedUnitCode && c.suggestedUnitCode !== c.unitCode ? await unitInfo(deps.models, c.suggestedUnitCode) : null;
    return html`<section class="supervise" aria-labelledby="sup-h">
      <h2 id="sup-h">การดำเนินการของหัวหน้าหน่วยงาน <small>Supervisor actions</small></h2>
      ${agency ? html`<form method="post" action="${base}/forward" class="action" id="forward-agency">${csrf}
        <h3>ส่งต่อ${agency.nameTh} <small>Forward to ${agency.nameEn}</small></h3>
        <p>หน่วยงานนี้รับผิดชอบปัญหาประเภทนี้ในพื้นที่ ศูนย์ฯ ยังติดตามเรื่องและกำหนดเวลาได้ตามเดิม ผู้ร้องจะได้รับแจ้ง · It fixes this kind of problem here; the centre still follows the case; the complainant is told.</p>
        <button type="submit">ส่งต่อ${agency.nameTh} <small>Forward</small></button></form>` : ''}
      ${c.unitCode !== s.principal.unitCode ? html`<form method="post" action="${base}/takeover" class="action" id="takeover">${csrf}
        <h3>รับเรื่องไว้เอง <small>Take over</small></h3>
        <p>เรื่องจะย้ายมาที่${names.get(s.principal.unitCode)} โดยท่านเป็นผู้รับผิดชอบ ผู้ร้องจะได้รับแจ้ง · The case moves to your unit with you as its handler; the complainant is told.</p>
        <label>เหตุผล <small>Reason</small><textarea name="reason" required minlength="5" maxlength="1000" rows="2"></textarea></label>
        <button type="submit">รับเรื่องไว้เอง <small>Take over</small></button></form>` : ''}
      <form method="post" action="${base}/assign" class="action" id="assign">${csrf}
        <h3>มอบหมายเจ้าหน้าที่ <small>Assign an officer</small></h3>
        <label>เจ้าหน้าที่ <small>Officer</small><select name="officerId" required><option value="">—</option>${officers.map((o) => html`<option value="${String(o._id)}">${o.name || '-'} · ${names.get(o.unitCode) ?? o.unitCode}</option>`)}</select></label>
        <button type="submit">มอบหมาย <small>Assign</small></button></form>
      <form method="post" action="${base}/close" class="action" id="close">${csrf}
        <h3>ยุติเรื่อง <small>Close</small></h3>
        <label>ผลการดำเนินการ (แจ้งผู้ร้อง) <small>Result, told to the complainant</small><textarea name="summary" required minlength="5" maxlength="2000" rows="2"></textarea></label>
        <button type="submit">ยุติเรื่อง <small>Close</small></button></form>
    </section>`;
  }

  const ACTION_BODIES = {
    takeover: z.object({ csrf: z.string(), reason: z.string().trim().min(5, 'เหตุผล 5–1000 ตัวอักษร (reason: 5–1000 characters)').max(1000, 'เหตุผล 5–1000 ตัวอักษร (reason: 5–1000 characters)') }).strict(),
    assign: z.object({ csrf: z.string(), officerId: z.string().regex(/^[0-9a-f]{24}$/, 'กรุณาเลือกเจ้าหน้าที่ (choose an officer)') }).strict(),
    forward: z.object({ csrf: z.string() }).strict(),
    close: z.object({ csrf: z.string(), summary: z.string().trim().min(5, 'ผลการดำเนินการ 5–2000 ตัวอักษร (result: 5–2000 characters)').max(2000, 'ผลการดำเนินการ 5–2000 ตัวอักษร (result: 5–2000 characters)') }).strict(),
  };
  r.post('/cases/:trackingNo/:action', form, wrap(async (req, res) => {
    const action = String(req.params.action) as keyof typeof ACTION_BODIES;
    const trackingNo = String(req.params.trackingNo);
    const notFound = () => errorPage(res, 404, 'ไม่พบเรื่องนี้ในขอบเขตของท่าน', 'No such case in your scope.');
    if (!(action in ACTION_BODIES) || !deps.actions || !/^\d{4}-\d{1,8}$/.test(trackingNo)) return notFound();
    if (!checkCsrf(req, res)) return;
    const s = session(res);
    if (!isSupervisorRole(s.principal.role)) return errorPage(res, 403, thCopy.supervisorsOnly, enCopy.supervisorsOnly);
    const c = await deps.models.Case.findOne({ trackingNo }, { unitCode: 1, concernedUnitCode: 1, suggestedUnitCode: 1 }).lean();
    if (!c || !(await mayActOn(deps.models, s.principal, c))) return notFound();
    const body = ACTION_BODIES[action].safeParse(req.body);
    if (!body.success) return errorPage(res, 400, 'ค่าที่ส่งมาไม่ถูกต้อง', body.error.issues.map((i) => i.message).join('; '));
    const cmd = { models: deps.models, clock: deps.clock, publish: deps.actions.publish, sla: slaContext() };
    const me = refOf(s);
    const caseId = String(c._id);
    const b = body.data as Record<string, string>;
    if (action === 'forward') {
      // Only to the agency the case itself names: the form carries no unit a forged post could change.
      const agency = c.suggestedUnitCode ? await unitInfo(deps.models, c.suggestedUnitCode) : null;
      if (!agency || c.suggestedUnitCode === c.unitCode) return errorPage(res, 409, 'เรื่องนี้ไม่มีหน่วยงานที่แนะนำให้ส่งต่อ', 'This case has no suggested agency to forward to.');
      const f = await forwardCase(cmd, { caseId, officer: me, toUnitCode: c.suggestedUnitCode!, reason: thCopy.forwardToAgencyReason(agency.nameTh) });
      if (f.ok) return void res.redirect(303, `/dashboard/cases/${trackingNo}?done=forward`);
      if (f.reason === 'not_found') return notFound();
      return errorPage(res, 409, 'เรื่องนี้ปิดแล้ว หรือส่งต่อไปยังหน่วยงานนี้ไม่ได้', 'This case is closed or cannot go to that agency.');
    }
    const r2 = action === 'takeover' ? await takeOverCase(cmd, { caseId, officer: me, reason: b.reason! })
      : action === 'assign' ? await assignCaseToOfficer(cmd, { caseId, by: me, officerId: b.officerId! })
      : await closeCase(cmd, { caseId, officer: me, summary: b.summary! });
    if (r2.ok) return void res.redirect(303, `/dashboard/cases/${trackingNo}?done=${action}`);
    if (r2.reason === 'not_found') return notFound();
    if (r2.reason === 'unknown_officer') return errorPage(res, 400, 'ไม่พบเจ้าหน้าที่นี้ในหน่วยงานของเรื่องหรือหน่วยงานของท่าน', 'No such officer in the case\'s unit or yours.');
    if (r2.reason === 'same_unit') return errorPage(res, 400, 'เรื่องนี้อยู่ที่หน่วยงานของท่านแล้ว', 'The case is already with your unit.');
    return errorPage(res, 409, 'เรื่องนี้ปิดแล้ว หรือไม่อยู่ในสถานะที่ทำรายการนี้ได้', 'This case is closed or not in a state that allows this.');
  }));
}
