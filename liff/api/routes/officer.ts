import { z } from 'zod';
import { OPEN_STATUSES } from '../../../shared/categories.ts';
import { addProgressNote } from '../../../shared/cases/commands/addProgressNote.ts';
import { askCitizen } from '../../../shared/cases/commands/askCitizen.ts';
import { assignCase } from '../../../shared/cases/commands/assignCase.ts';
import { closeCase } from '../../../shared/cases/commands/closeCase.ts';
import { publishResult, withdrawPublicResult } from '../../../shared/cases/commands/publishResult.ts';
import { forgetPublicFigures } from '../../../shared/publicResults/index.ts';
import { forwardCase } from '../../../shared/cases/commands/forwardCase.ts';
import { openCase } from '../../../shared/cases/commands/openCase.ts';
import { issueClaimCode } from '../../../shared/cases/claimCodes.ts';
import { rejectCase } from '../../../shared/cases/commands/rejectCase.ts';
import type { CaseDoc } from '../../../shared/models/index.ts';
import { normaliseThaiPhone } from '../../../shared/phone.ts';
import { conflict, notFound } from '../../../shared/http/errors.ts';
import { orThrow } from '../../../shared/http/result.ts';
import { fieldError, notOpen, validationError } from '../errors.ts';
import type { ApiRoutes } from '../registry.ts';
import {
  AskBody, PublishResultBody, CaseDetail, CaseSummary, ClaimCodeIssued, CloseBody, Created, EmptyBody, ForwardBody, IdParams, LIMITS, NoteBody, OfficerCaseDetail,
  OfficerCreateCaseBody, OfficerListQuery, RejectBody, Upload,
} from '../schemas.ts';
import { attachmentsBucket, claimUploads, officerRef, officerUploads, requireOfficer, resolveLocation, typeOrCategoryOf, type LiffApiDeps } from '../support.ts';
import { receiveImage } from '../uploads.ts';
import { toDetail, toOfficerDetail, toSummary } from '../views.ts';
import { unitNamesFor } from '../../../shared/units/names.ts';
import { isSupervisorRole, mayActOn } from '../../../shared/cases/access.ts';
import { isOpenStatus } from '../../../shared/categories.ts';
import { supervisorRoutes } from './supervisor.ts';
import { republishCase } from '../../../shared/cases/publish.ts';

const LIST_LIMIT = 500;
/** How far in the future a recorded receivedAt may be (clock skew between the officer's phone and us). */
const CLOCK_SKEW_MS = 2 * 60_000;
const OLDEST_RECEIVED_AT = Date.UTC(2000, 0, 1);

/**
 * Officer pages: their unit's cases only. A case of another unit — or any id, for someone who is not
 * an officer — is 404, never 403, so ids cannot be probed. Every action goes through a domain command.
 */
export function officerRoutes(api: ApiRoutes, deps: LiffApiDeps): void {
  const { models } = deps;
  const detail = async (c: CaseDoc) => toDetail(c, await unitNamesFor(models, [c]), 'officer');
  const tags = ['officer'];
  const action = { params: IdParams, rateLimit: 'write' as const, errors: [409], tags };
  const actionSuccess = { status: 200, description: 'The case now', schema: CaseDetail };

  api.add({
    operationId: 'listUnitCases', method: 'get', path: '/officer/cases', tags,
    summary: 'My unit\'s cases, newest first (status=open by default)',
    query: OfficerListQuery, errors: [404],
    success: { status: 200, description: 'Cases', schema: z.array(CaseSummary) },
  }, async ({ user, query }) => {
    const officer = await requireOfficer(deps, user);
    const status = query.status ?? 'open';
    const filter: Record<string, unknown> = { unitCode: officer.unitCode };
    if (status === 'open') filter.status = { $in: OPEN_STATUSES };
    if (status === 'closed') filter.status = { $in: ['closed', 'rejected'] };
    const cases = await models.Case.find(filter, { timeline: 0, pendingEvents: 0, description: 0, complainant: 0 })
      .sort({ createdAt: -1 }).limit(LIST_LIMIT).lean<CaseDoc[]>();
    const units = await unitNamesFor(models, cases);
    return cases.map((c) => toSummary(c, units, 'officer'));
  });

  api.add({
    operationId: 'getUnitCase', method: 'get', path: '/officer/cases/:id', tags,
    summary: 'A case of my unit with the complainant\'s contact (every view is audited)',
    params: IdParams,
    success: { status: 200, description: 'Case', schema: OfficerCaseDetail },
  }, async ({ user, params }) => {
    const officer = await requireOfficer(deps, user);
    const c = await models.Case.findById(params.id).lean<CaseDoc>();
    if (!c || !(await mayActOn(models, officer, c))) throw notFound();
    // PDPA: every read of personal data by an officer is recorded before it is shown.
    await models.Audit.create({ at: deps.clock.now(), officerId: String(officer._id), lineUserId: user.userId, caseId: params.id, action: 'view_case', via: 'liff' });
    const detail = toOfficerDetail(c, await unitNamesFor(models, [c]));
    // Routing's suggestion, while the case is open and not there yet: the page offers it as one tap.
    const agency = c.suggestedUnitCode && c.suggestedUnitCode !== c.unitCode && isOpenStatus(c.status)
      ? await models.Unit.findById(c.suggestedUnitCode, { nameTh: 1, nameEn: 1 }).lean() : null;
    const out = agency ? { ...detail, suggestedAgency: { code: String(agency._id), nameTh: agency.nameTh, nameEn: agency.nameEn } } : detail;
    if (!isSupervisorRole(officer.role)) return out;
    const open = isOpenStatus(c.status);
    return { ...out, supervisor: { canTakeOver: open && c.unitCode !== officer.unitCode, canAssign: open } };
  });

  api.add({
    operationId: 'recordCase', method: 'post', path: '/officer/cases', tags,
    summary: 'Record a case received by hotline, letter, walk-in, website, mobile app or mobile team',
    body: OfficerCreateCaseBody, rateLimit: 'write', errors: [404],
    success: {
      status: 201, description: 'Opened', schema: Created, alsoStatus: { status: 200, description: 'Already recorded with this clientRequestId' },
      idFor: ['getUnitCase', 'acceptCase', 'addNote', 'askCitizen', 'forwardCase', 'closeCase', 'rejectCase', 'addInternalNote', 'previewCitizenMessage', 'caseResponseTemplates', 'forwardTargets'],
    },
  }, async (ctx) => {
    const { user, body } = ctx;
    const officer = await requireOfficer(deps, user);
    const key = `officer:${String(officer._id)}:${body.clientRequestId}`;
    const existing = await models.Case.findOne({ idempotencyKey: key }, { trackingNo: 1, unitCode: 1, complainant: 1 }).lean();
    if (existing) {
      // The first try may have died before its events were queued: queue them (a no-op if they were).
      await republishCase(models, deps.publish, existing._id);
      ctx.status = 200;
      // Its answer, and so its claim code, may never have arrived: a fresh one replaces it (only a hash was kept).
      return { id: String(existing._id), trackingNo: existing.trackingNo, ...(await claimCodeFor(existing as CaseDoc)) };
    }
    const now = deps.clock.now();
    let receivedAt: Date | undefined;
    if (body.receivedAt) {
      receivedAt = new Date(body.receivedAt);
      if (receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw validationError([fieldError('receivedAt', 'received_future')]);
      if (receivedAt.getTime() < OLDEST_RECEIVED_AT) throw validationError([fieldError('receivedAt', 'received_too_old')]);
      if (receivedAt > now) receivedAt = now;
    }
    const location = resolveLocation(body.location);
    const phone = body.contact?.phone ? normaliseThaiPhone(body.contact.phone) : undefined;
    const name = body.contact?.name;
    const me = officerRef(officer, user);
    const c = await openCase(deps, {
      idempotencyKey: key,
      channel: body.channel as CaseDoc['channel'],
      ...typeOrCategoryOf(body),
      description: body.description,
      location,
      complainant: body.anonymous ? { anonymous: true, lang: 'th' } : { ...(name ? { name } : {}), ...(phone ? { phone } : {}), anonymous: false, lang: 'th' },
      ...(body.consent ? { consent: { version: body.consent.version, at: now } } : {}),
      ...(receivedAt ? { receivedAt } : {}),
      via: 'officer',
      by: { kind: 'officer', id: me.id, name: me.name },
    });
    return { id: String(c._id), trackingNo: c.trackingNo, ...(await claimCodeFor(c)) };
  });

  /** The one-time code the complainant links the case to their LINE with; none for an anonymous case or one already linked. */
  async function claimCodeFor(c: Pick<CaseDoc, '_id' | 'unitCode' | 'complainant'>): Promise<{ claimCode?: string; claimCodeExpiresAt?: string }> {
    if (c.complainant?.anonymous || c.complainant?.lineUserId) return {};
    const issued = await issueClaimCode(models, deps.clock, { caseId: String(c._id), unitCode: c.unitCode });
    return { claimCode: issued.code, claimCodeExpiresAt: issued.expiresAt.toISOString() };
  }

  api.add({
    ...action, operationId: 'reissueClaimCode', method: 'post', path: '/officer/cases/:id/claim-code',
    summary: 'A new one-time code for the complainant to link the case to LINE (the old code stops working; also lifts a lock from wrong tries)',
    body: EmptyBody, errors: [404, 409],
    success: { status: 201, description: 'The new code, shown once', schema: ClaimCodeIssued },
  }, async (ctx) => {
    const { user, params } = ctx;
    const officer = await requireOfficer(deps, user);
    const c = await models.Case.findById(params.id).lean<CaseDoc>();
    // Only the unit holding the case (or one supervising it): whoever holds the code can take the case's updates.
    if (!c || !(await mayActOn(models, officer, c))) throw notFound();
    if (c.complainant?.anonymous) throw conflict('เรื่องนี้ไม่ประสงค์ออกนาม จึงเชื่อมกับ LINE ไม่ได้', 'This case is anonymous, so it cannot be linked to LINE.');
    const issued = await issueClaimCode(models, deps.clock, { caseId: String(c._id), unitCode: c.unitCode });
    await models.Audit.create({ at: deps.clock.now(), officerId: String(officer._id), lineUserId: user.userId, caseId: params.id, action: 'claim_code_issued', via: 'liff' });
    ctx.status = 201;
    return { claimCode: issued.code, claimCodeExpiresAt: issued.expiresAt.toISOString() };
  });

  api.add({
    ...action, operationId: 'acceptCase', method: 'post', path: '/officer/cases/:id/accept',
    summary: 'รับเรื่อง: take the case (first officer wins)', body: EmptyBody, success: actionSuccess,
  }, async ({ user, params }) => {
    const officer = await requireOfficer(deps, user);
    const me = officerRef(officer, user);
    const r = await assignCase(deps, { caseId: params.id, officer: me });
    if (r.ok) return detail(r.case);
    if (r.reason === 'not_found' || r.reason === 'wrong_unit' || !r.case || !(await mayActOn(models, me, r.case))) throw notFound();
    // Pressing twice is not an error for the one who has it.
    if (r.reason === 'taken' && r.case.assignee?.officerId === me.id) return detail(r.case);
    if (r.reason === 'taken') {
      const name = r.case.assignee?.name ?? '-';
      throw conflict(`เรื่องนี้มีผู้รับเรื่องแล้ว (${name})`, `Already taken by ${name}.`);
    }
    throw notOpen();
  });

  api.add({
    ...action, operationId: 'addNote', method: 'post', path: '/officer/cases/:id/notes',
    summary: 'Add a progress note (status → in progress); the complainant is told', body: NoteBody, success: actionSuccess,
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const r = orThrow(await addProgressNote(deps, { caseId: params.id, officer: officerRef(officer, user), text: body.text }), { not_found: notFound, not_open: notOpen });
    return detail(r.case);
  });

  api.add({
    ...action, operationId: 'askCitizen', method: 'post', path: '/officer/cases/:id/ask',
    summary: 'Ask the complainant for more information (relayed by the bot)', body: AskBody, success: actionSuccess,
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const r = orThrow(await askCitizen(deps, { caseId: params.id, officer: officerRef(officer, user), question: body.question }), {
      not_found: notFound,
      not_open: notOpen,
      no_line_user: () => conflict('ผู้ร้องไม่ได้ติดต่อทาง LINE จึงส่งคำถามทาง LINE ไม่ได้ กรุณาติดต่อทางโทรศัพท์หรือหนังสือ', 'The complainant is not on LINE; contact them by phone or letter.'),
    });
    return detail(r.case);
  });

  api.add({
    ...action, operationId: 'forwardCase', method: 'post', path: '/officer/cases/:id/forward',
    summary: 'Service Link: forward to another unit or partner agency (never to the unit complained about)', body: ForwardBody, success: actionSuccess,
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const badUnit = ({ reason }: { reason: 'unknown_unit' | 'same_unit' | 'concerned_unit' }) => validationError([fieldError('unitCode', reason)]);
    const r = orThrow(await forwardCase(deps, { caseId: params.id, officer: officerRef(officer, user), toUnitCode: body.unitCode, reason: body.reason }), {
      not_found: notFound, not_open: notOpen, unknown_unit: badUnit, same_unit: badUnit, concerned_unit: badUnit,
    });
    return detail(r.case);
  });

  api.add({
    ...action, operationId: 'closeCase', method: 'post', path: '/officer/cases/:id/close',
    summary: 'ยุติเรื่อง with the result; the complainant is told and sent the survey link', body: CloseBody, success: actionSuccess,
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const photos = await officerUploads(deps, user.userId, params.id, body.photoIds ?? []);
    const publish = body.publish ? { summary: body.publicSummary ?? body.summary } : undefined;
    const r = orThrow(await closeCase(deps, { caseId: params.id, officer: officerRef(officer, user), summary: body.summary, photos, publish }), { not_found: notFound, not_open: notOpen, not_publishable: notPublishable });
    await claimUploads(deps, photos.map((p) => p.fileId), params.id);
    if (publish) await forgetPublicFigures(deps.redis, deps.config.QUEUE_PREFIX);
    return detail(r.case);
  });

  // The public figures page (figures/, PUBLIC_FIGURES=true): an approval after the close, and its withdrawal.
  const notPublishable = () => conflict('เรื่องนี้เผยแพร่ต่อสาธารณะไม่ได้: เผยแพร่ได้เฉพาะปัญหาที่เป็นสถานที่ (ถนน ไฟถนน น้ำท่วม ฯลฯ) ที่ไม่ปกปิดชื่อผู้ร้อง ไม่เกี่ยวกับเจ้าหน้าที่รัฐ และไม่ได้รวมกับเรื่องอื่น',
    'This result cannot be made public: only place-bound problems (roads, street lights, flooding…) that are not anonymous, not about officials and not merged.');
  api.add({
    ...action, operationId: 'publishResult', method: 'post', path: '/officer/cases/:id/public-result',
    summary: 'เผยแพร่ผลการแก้ไขต่อสาธารณะ: approve the result text and the first JPEG/PNG after photo of a closed case for the public figures page', body: PublishResultBody, success: actionSuccess,
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const r = orThrow(await publishResult(deps, { caseId: params.id, officer: officerRef(officer, user), summary: body.summary }), {
      not_found: notFound, not_publishable: notPublishable,
      not_closed: () => conflict('เผยแพร่ได้เมื่อยุติเรื่องแล้วเท่านั้น', 'Only a case closed with a result can be published.'),
    });
    await forgetPublicFigures(deps.redis, deps.config.QUEUE_PREFIX);
    return detail(r.case);
  });

  api.add({
    ...action, operationId: 'withdrawPublicResult', method: 'post', path: '/officer/cases/:id/public-result/withdraw',
    summary: 'ยกเลิกการเผยแพร่: take the result off the public figures page; its photo link stops working at once', body: EmptyBody, success: actionSuccess,
  }, async ({ user, params }) => {
    const officer = await requireOfficer(deps, user);
    const r = orThrow(await withdrawPublicResult(deps, { caseId: params.id, officer: officerRef(officer, user) }), {
      not_found: notFound, not_published: () => conflict('ผลของเรื่องนี้ไม่ได้เผยแพร่อยู่', 'This result is not published.'),
    });
    await forgetPublicFigures(deps.redis, deps.config.QUEUE_PREFIX);
    return detail(r.case);
  });

  api.add({
    operationId: 'uploadResultPhoto', method: 'post', path: '/officer/cases/:id/uploads', tags,
    summary: 'Upload one "after" photo of the result (raw JPEG/PNG/WebP/HEIC, ≤ 10 MB) for closing this case of my unit; name its id in the close',
    params: IdParams, imageBody: true, rateLimit: 'upload',
    success: { status: 201, description: 'Stored', schema: Upload },
  }, async ({ req, res, user, params }) => {
    res.setHeader('connection', 'close'); // as the citizen's upload: an early 413/415 must not leave the body on the socket
    const officer = await requireOfficer(deps, user);
    const c = await models.Case.findById(params.id, { unitCode: 1, concernedUnitCode: 1 }).lean();
    if (!c || !(await mayActOn(models, officer, c))) throw notFound();
    // Owned by this officer and usable only to close this case (liff/api/support.ts officerUploads).
    const stored = await receiveImage(req, {
      maxBytes: LIMITS.photoBytesMax,
      bucket: attachmentsBucket(deps),
      metadata: { uploadedBy: user.userId, source: 'liff-officer', forCaseId: params.id, uploadedAt: deps.clock.now() },
    });
    res.removeHeader('connection');
    return stored;
  });

  api.add({
    ...action, operationId: 'rejectCase', method: 'post', path: '/officer/cases/:id/reject',
    summary: 'ไม่รับเรื่อง with the reason; the complainant is told', body: RejectBody, success: actionSuccess,
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const r = orThrow(await rejectCase(deps, { caseId: params.id, officer: officerRef(officer, user), reason: body.reason }), { not_found: notFound, not_open: notOpen });
    return detail(r.case);
  });

  supervisorRoutes(api, deps);

}
