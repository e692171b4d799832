import { pipeline } from 'node:stream/promises';
import { mongo } from 'mongoose';
import { z } from 'zod';
import { problemType } from '../../../shared/problems/types.ts';
import { addCaseInfo } from '../../../shared/cases/commands/addCaseInfo.ts';
import { openCase } from '../../../shared/cases/commands/openCase.ts';
import { submitSurvey } from '../../../shared/cases/commands/submitSurvey.ts';
import { reopenCase } from '../../../shared/cases/commands/reopenCase.ts';
import { withdrawCase } from '../../../shared/cases/commands/withdrawCase.ts';
import { loadCase } from '../../../shared/cases/caseUpdate.ts';
import type { CaseDoc } from '../../../shared/models/index.ts';
import { normaliseThaiPhone } from '../../../shared/phone.ts';
import { conflict, notFound } from '../../../shared/http/errors.ts';
import { orThrow } from '../../../shared/http/result.ts';
import { notOpen } from '../errors.ts';
import type { ApiRoutes } from '../registry.ts';
import {
  CaseDetail, CaseSummary, Created, CreateCaseBody, IdParams, InfoBody, LIMITS, ReopenBody, SurveyBody, Upload, WithdrawBody,
} from '../schemas.ts';
import { attachmentsBucket, claimUploads, officerOf, ownUploads, resolveLocation, typeOrCategoryOf, userLang, type LiffApiDeps } from '../support.ts';
import { receiveImage } from '../uploads.ts';
import { toDetail, toSummary } from '../views.ts';
import { unitNamesFor } from '../../../shared/units/names.ts';
import { republishCase } from '../../../shared/cases/publish.ts';
import { isSupervisorRole, mayActOn } from '../../../shared/cases/access.ts';
import { citizenCases, followedCases } from '../../../shared/cases/citizenCases.ts';
import { joinCase, unfollowCase } from '../../../shared/cases/commands/joinCase.ts';
import { offerArea, offerStatus, offerType, relatedOffers } from '../../../shared/cases/relatedOffer.ts';
import { STATUS_LABELS, type CaseStatus } from '../../../shared/categories.ts';
import { EmptyBody, JoinedOut, RelatedBody, RelatedOfferOut } from '../schemas.ts';
import { toFollowerDetail } from '../views.ts';

const LIST_LIMIT = 200;
const SERVED_TYPES = /^image\/(jpeg|png|webp|heic|heif|gif)$/;

/** The complainant's side: file, upload photos, track, add information, withdraw, rate. */
export function citizenRoutes(api: ApiRoutes, deps: LiffApiDeps): void {
  const { models } = deps;
  const detail = async (c: CaseDoc) => toDetail(c, await unitNamesFor(models, [c]), 'citizen');
  /** The case if it is this person's; otherwise 404, exactly as for an id that does not exist. */
  const ownCase = async (id: string, userId: string) => {
    const c = await loadCase(deps, id);
    if (!c || !c.complainant?.lineUserId || c.complainant.lineUserId !== userId) throw notFound();
    return c;
  };

  api.add({
    operationId: 'uploadPhoto', method: 'post', path: '/uploads', tags: ['citizen'],
    summary: 'Upload one photo (raw JPEG/PNG/WebP/HEIC bytes, ≤ 10 MB), then name its id in a case or added information',
    imageBody: true, rateLimit: 'upload',
    success: { status: 201, description: 'Stored', schema: Upload, idFor: ['getFile'] },
  }, async ({ req, res, user }) => {
    res.setHeader('connection', 'close'); // an early 413/415 must not leave the rest of the body on a kept-alive socket
    const stored = await receiveImage(req, {
      maxBytes: LIMITS.photoBytesMax,
      bucket: attachmentsBucket(deps),
      metadata: { uploadedBy: user.userId, source: 'liff', uploadedAt: deps.clock.now() },
    });
    res.removeHeader('connection');
    return stored;
  });

  api.add({
    operationId: 'createCase', method: 'post', path: '/cases', tags: ['citizen'],
    summary: 'File a complaint; the tracking number is also sent into the LINE chat',
    body: CreateCaseBody, rateLimit: 'write',
    success: {
      status: 201, description: 'Opened', schema: Created, alsoStatus: { status: 200, description: 'Already opened with this clientRequestId' },
      idFor: ['getMyCase', 'addInfo', 'withdrawCase', 'submitSurvey'],
    },
  }, async (ctx) => {
    const { user, body } = ctx;
    const key = `liff:${user.userId}:${body.clientRequestId}`;
    const existing = await models.Case.findOne({ idempotencyKey: key }, { trackingNo: 1 }).lean();
    if (existing) {
      // The first try may have died before its events were queued: queue them (a no-op if they were).
      await republishCase(models, deps.publish, existing._id);
      ctx.status = 200;
      return { id: String(existing._id), trackingNo: existing.trackingNo };
    }
    const location = resolveLocation(body.location);
    const photos = await ownUploads(deps, user.userId, body.photoIds ?? []);
    const lang = await userLang(deps, user.userId);
    const phone = body.contact?.phone ? normaliseThaiPhone(body.contact.phone) : undefined;
    const name = body.contact?.name || user.name;
    const c = await openCase(deps, {
      idempotencyKey: key,
      channel: 'line',
      ...typeOrCategoryOf(body),
      description: body.description,
      location,
      attachments: photos,
      // Anonymous: nothing that names the person is kept; the LINE id only lets them follow the case.
      complainant: body.anonymous
        ? { lineUserId: user.userId, anonymous: true, lang }
        : { lineUserId: user.userId, ...(name ? { name } : {}), ...(phone ? { phone } : {}), anonymous: false, lang },
      consent: { version: body.consent.version, at: deps.clock.now() },
      via: 'liff',
      by: { kind: 'citizen', id: user.userId },
    });
    await claimUploads(deps, photos.map((p) => p.fileId), String(c._id));
    return { id: String(c._id), trackingNo: c.trackingNo };
  });

  api.add({
    operationId: 'listMyCases', method: 'get', path: '/cases', tags: ['citizen'],
    summary: 'My cases, newest first',
    success: { status: 200, description: 'Cases', schema: z.array(CaseSummary) },
  }, async ({ user }) => {
    const cases = await citizenCases(models, user.userId, { timeline: 0, pendingEvents: 0, description: 0 }, LIST_LIMIT);
    // Cases they joined ("แจ้งด้วย") are listed too, marked, with nothing of the complainant's.
    const followed = await followedCases(models, user.userId, { timeline: 0, pendingEvents: 0, description: 0, complainant: 0, attachments: 0 }, LIST_LIMIT);
    const units = await unitNamesFor(models, [...cases, ...followed]);
    return [
      ...cases.map((c) => toSummary(c, units, 'citizen')),
      ...followed.map((c) => ({ ...toSummary(c, units, 'citizen'), canAddInfo: false, canWithdraw: false, surveyDue: false, following: true })),
    ].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, LIST_LIMIT);
  });

  api.add({
    operationId: 'getMyCase', method: 'get', path: '/cases/:id', tags: ['citizen'],
    summary: 'One of my cases with its timeline',
    params: IdParams,
    success: { status: 200, description: 'Case', schema: CaseDetail },
  }, async ({ user, params }) => {
    const c = await loadCase(deps, params.id);
    if (c && c.complainant?.lineUserId === user.userId) return detail(c);
    // Someone who joined it sees its public part (views.ts toFollowerDetail); anyone else: 404.
    if (c && (c.followers ?? []).some((f) => f.lineUserId === user.userId)) return toFollowerDetail(c, await unitNamesFor(models, [c]));
    throw notFound();
  });

  api.add({
    operationId: 'findRelatedCases', method: 'post', path: '/related', tags: ['citizen'],
    summary: 'Before filing: open cases nearby that look like the same problem (public part only: type, area, date, status, how many reported it)',
    body: RelatedBody, rateLimit: 'write',
    success: { status: 200, description: 'Up to 3, best first', schema: z.array(RelatedOfferOut) },
  }, async ({ body }) => {
    const location = resolveLocation(body.location);
    const offers = await relatedOffers(models, {
      problemType: body.problemType ?? null, category: problemType(body.problemType)?.category ?? body.category!, description: body.description, at: deps.clock.now(),
      location: { provinceCode: location.provinceCode, districtCode: location.districtCode ?? null, subdistrictCode: location.subdistrictCode ?? null, lat: location.lat ?? null, lng: location.lng ?? null },
    });
    return offers.map((o) => ({
      id: o.id, trackingNo: o.trackingNo,
      typeTh: offerType(o, 'th'), typeEn: offerType(o, 'en'), areaTh: offerArea(o, 'th'), areaEn: offerArea(o, 'en'),
      receivedAt: o.receivedAt, status: o.status, statusTh: offerStatus(o, 'th'), statusEn: offerStatus(o, 'en'), supporterCount: o.supporters,
    }));
  });

  api.add({
    operationId: 'joinCase', method: 'post', path: '/cases/:id/join', tags: ['citizen'],
    summary: '"แจ้งด้วย": follow an open case about the same problem (its updates come to me in LINE; its supporter count rises). Again: nothing changes',
    params: IdParams, body: EmptyBody, rateLimit: 'write', errors: [409],
    success: { status: 200, description: 'Following it', schema: JoinedOut },
  }, async ({ user, params }) => {
    const lang = await userLang(deps, user.userId);
    const r = orThrow(await joinCase(deps, { caseId: params.id, lineUserId: user.userId, lang }), {
      own_case: () => conflict('เรื่องนี้เป็นเรื่องที่ท่านแจ้งเอง ท่านได้รับความคืบหน้าอยู่แล้ว', 'This is your own complaint; you already get its updates.'),
      not_open: () => conflict('เรื่องนี้ยุติแล้ว จึงร่วมแจ้งไม่ได้ หากปัญหายังอยู่ กรุณาแจ้งเป็นเรื่องใหม่', 'This case is closed and cannot be joined. If the problem is still there, please file a new complaint.'),
      not_found: notFound,
    });
    const status = r.case.status as CaseStatus;
    return { id: String(r.case._id), trackingNo: r.case.trackingNo, status, statusTh: STATUS_LABELS[status].th, statusEn: STATUS_LABELS[status].en, supporterCount: r.case.supporterCount ?? 1, already: r.already };
  });

  api.add({
    operationId: 'unfollowCase', method: 'post', path: '/cases/:id/unfollow', tags: ['citizen'],
    summary: '"เลิกติดตาม": stop getting the updates of a case I joined',
    params: IdParams, body: EmptyBody, rateLimit: 'write',
    success: { status: 200, description: 'No longer following', schema: z.object({ ok: z.literal(true) }) },
  }, async ({ user, params }) => {
    const r = await unfollowCase(deps, { caseId: params.id, lineUserId: user.userId });
    if (!r.ok) throw notFound();
    return { ok: true as const };
  });

  api.add({
    operationId: 'getFile', method: 'get', path: '/files/:id', tags: ['citizen', 'officer'],
    summary: 'A photo of one of my cases (officers: of their unit\'s cases), or my own upload',
    params: IdParams,
    success: { status: 200, description: 'Image bytes', image: true },
  }, async ({ res, user, params }) => {
    const oid = new mongo.ObjectId(params.id);
    const file = await models.conn.db!.collection('attachments.files').findOne({ _id: oid });
    if (!file) throw notFound();
    let allowed = file.metadata?.uploadedBy === user.userId
      || (await citizenCases<Pick<CaseDoc, 'attachments'>>(models, user.userId, { attachments: 1 }, Infinity))
        .some((c) => c.attachments?.some((a) => oid.equals(a.fileId)))
      // Someone who joined a case may see the officer's photos of the result, nothing else of it.
      || (await followedCases<Pick<CaseDoc, 'attachments'>>(models, user.userId, { attachments: 1 }, Infinity))
        .some((c) => c.attachments?.some((a) => a.kind === 'after' && oid.equals(a.fileId)));
    if (!allowed) {
      const officer = await officerOf(deps, user);
      let c: { _id: unknown } | null = officer ? await models.Case.findOne({ 'attachments.fileId': oid, unitCode: officer.unitCode }, { _id: 1 }).lean() : null;
      if (officer && !c && isSupervisorRole(officer.role)) {
        // A supervisor looking at a case below: found through the uploader's cases (indexed), then the one access rule.
        const uploader = typeof file.metadata?.uploadedBy === 'string' ? file.metadata.uploadedBy : '';
        const theirs = uploader ? await citizenCases<Pick<CaseDoc, '_id' | 'attachments' | 'unitCode' | 'concernedUnitCode'>>(models, uploader, { attachments: 1, unitCode: 1, concernedUnitCode: 1 }, Infinity) : [];
        const holding = theirs.find((x) => x.attachments?.some((a) => oid.equals(a.fileId)));
        if (holding && (await mayActOn(models, officer, holding))) c = holding;
      }
      if (officer && c) {
        // A photo may show the complainant or their home: an officer's look is audited like the case itself.
        await models.Audit.create({ at: deps.clock.now(), officerId: String(officer._id), lineUserId: user.userId, caseId: String(c._id), action: 'view_file', via: 'liff', fileId: params.id });
        allowed = true;
      }
    }
    if (!allowed) throw notFound();
    const type = String(file.metadata?.contentType ?? '');
    res.status(200);
    res.setHeader('content-type', SERVED_TYPES.test(type) ? type : 'application/octet-stream');
    res.setHeader('content-length', String(file.length));
    res.setHeader('content-disposition', 'inline');
    res.setHeader('cache-control', 'private, max-age=3600');
    res.setHeader('content-security-policy', "default-src 'none'");
    await pipeline(attachmentsBucket(deps).openDownloadStream(oid), res);
    return undefined;
  });

  api.add({
    operationId: 'addInfo', method: 'post', path: '/cases/:id/info', tags: ['citizen'],
    summary: 'Add information or photos to my open case',
    params: IdParams, body: InfoBody, rateLimit: 'write', errors: [409],
    success: { status: 200, description: 'The case now', schema: CaseDetail },
  }, async ({ user, params, body }) => {
    await ownCase(params.id, user.userId);
    const photos = await ownUploads(deps, user.userId, body.photoIds ?? []);
    const r = orThrow(await addCaseInfo(deps, { caseId: params.id, lineUserId: user.userId, text: body.text, attachments: photos }), { not_found: notFound, not_open: notOpen });
    await claimUploads(deps, photos.map((p) => p.fileId), params.id);
    return detail(r.case);
  });

  api.add({
    operationId: 'withdrawCase', method: 'post', path: '/cases/:id/withdraw', tags: ['citizen'],
    summary: 'Withdraw my open case (it is closed as withdrawn)',
    params: IdParams, body: WithdrawBody, rateLimit: 'write', errors: [409],
    success: { status: 200, description: 'The case now', schema: CaseDetail },
  }, async ({ user, params, body }) => {
    const r = orThrow(await withdrawCase(deps, { caseId: params.id, lineUserId: user.userId, reason: body.reason }), { not_found: notFound, not_open: notOpen });
    return detail(r.case);
  });

  api.add({
    operationId: 'submitSurvey', method: 'post', path: '/cases/:id/survey', tags: ['citizen'],
    summary: 'Rate the service once my case is closed (one answer per case)',
    params: IdParams, body: SurveyBody, rateLimit: 'write', errors: [409],
    success: { status: 201, description: 'Recorded; the case now', schema: CaseDetail },
  }, async ({ user, params, body }) => {
    const r = orThrow(await submitSurvey(deps, { caseId: params.id, lineUserId: user.userId, score: body.score, ...(body.comment ? { comment: body.comment } : {}), ...(typeof body.fixed === 'boolean' ? { fixed: body.fixed } : {}) }), {
      not_found: notFound,
      already_answered: () => conflict('ท่านประเมินเรื่องนี้ไปแล้ว ขอบคุณค่ะ', 'You have already rated this case. Thank you.'),
      not_closed: () => conflict('ประเมินความพึงพอใจได้เมื่อยุติเรื่องแล้ว', 'You can rate the service once the case is closed.'),
    });
    return detail(r.case);
  });

  api.add({
    operationId: 'reopenCase', method: 'post', path: '/cases/:id/reopen', tags: ['citizen'],
    summary: 'My closed case was not really fixed: reopen it with my words why (once per closure; from the second time it goes to the parent unit)',
    params: IdParams, body: ReopenBody, rateLimit: 'write', errors: [409],
    success: { status: 200, description: 'Reopened; the case now', schema: CaseDetail },
  }, async ({ user, params, body }) => {
    const r = orThrow(await reopenCase(deps, { caseId: params.id, lineUserId: user.userId, reason: body.reason }), {
      not_found: notFound,
      already_reopened: () => conflict('เรื่องนี้เปิดใหม่แล้ว เจ้าหน้าที่กำลังดำเนินการ ท่านติดตามได้ที่หน้าเรื่องของท่าน', 'This case has already been reopened and is being worked on; follow it on your case page.'),
      satisfied: () => conflict('ท่านแจ้งว่าปัญหาได้รับการแก้ไขแล้ว หากมีปัญหาใหม่ กรุณาแจ้งเรื่องใหม่', 'You said the problem was fixed; for a new problem, please file a new complaint.'),
      not_closed: () => conflict('เปิดเรื่องใหม่ได้เฉพาะเรื่องที่ยุติแล้ว', 'Only a closed case can be reopened.'),
    });
    return detail(r.case);
  });
}
