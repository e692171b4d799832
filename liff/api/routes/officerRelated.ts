/**
 * "อาจเกี่ยวข้องกัน / Possibly related" on the officer's case page: open cases probably about the same
 * problem (shared/related/search.ts), and the two things an officer does with one: link it (both list
 * each other) or merge this case into it (this one closes, its people follow the other). A candidate
 * the officer may act on shows its description; any other shows only the public summary (type,
 * area, date, status, supporters), never personal data or the citizen's words.
 */
import { z } from 'zod';
import { mayActOn } from '../../../shared/cases/access.ts';
import { linkCases } from '../../../shared/cases/commands/linkCases.ts';
import { mergeCases } from '../../../shared/cases/commands/mergeCases.ts';
import { STATUS_LABELS, type CaseStatus } from '../../../shared/categories.ts';
import type { CaseDoc } from '../../../shared/models/index.ts';
import { caseKind } from '../../../shared/problems/display.ts';
import { findRelated } from '../../../shared/related/search.ts';
import { conflict, notFound } from '../../../shared/http/errors.ts';
import { orThrow } from '../../../shared/http/result.ts';
import { unitNamesFor } from '../../../shared/units/names.ts';
import type { ApiRoutes } from '../registry.ts';
import { CaseDetail, IdParams } from '../schemas.ts';
import { officerRef, requireOfficer, type LiffApiDeps } from '../support.ts';
import { toDetail } from '../views.ts';

const OBJECT_ID = /^[0-9a-f]{24}$/;

const RelatedItem = z.object({
  caseId: z.string(),
  trackingNo: z.string(),
  problemType: z.string().optional(),
  typeTh: z.string(),
  typeEn: z.string(),
  icon: z.string().optional(),
  areaTh: z.string(),
  receivedAt: z.string(),
  status: z.string(),
  statusTh: z.string(),
  statusEn: z.string(),
  supporterCount: z.number().int(),
  distanceM: z.number().optional(),
  score: z.number(),
  /** Why it is offered: same_type / related_type / same_category, within_<m>m / same_subdistrict, words:<shared words>. */
  reasons: z.array(z.string()),
  /** The officer may open it (their unit's, or below for a supervisor): then its description is shown too. */
  mayOpen: z.boolean(),
  description: z.string().optional(),
  /** Already linked with this case. */
  linked: z.boolean(),
});
const RelatedList = z.object({ candidates: z.array(RelatedItem) });
const LinkBody = z.object({ otherCaseId: z.string().regex(OBJECT_ID).describe('The related case (24 hex)') }).strict();
const MergeBody = z.object({ targetCaseId: z.string().regex(OBJECT_ID).describe('The case this one is merged into (24 hex)') }).strict();

const sameCase = () => conflict('ไม่สามารถรวมหรือเชื่อมโยงเรื่องกับตัวเองได้', 'A case cannot be linked or merged with itself.');
const targetGone = () => conflict('ไม่พบเรื่องที่เลือก', 'The case picked was not found.');
const targetClosed = () => conflict('เรื่องที่เลือกปิดแล้ว รวมเข้าได้เฉพาะเรื่องที่ยังดำเนินการอยู่', 'The case picked is closed; merge only into a case still open.');
const targetMerged = () => conflict('เรื่องที่เลือกถูกรวมเข้ากับเรื่องอื่นแล้ว กรุณารวมเข้ากับเรื่องปลายทางนั้นแทน', 'The case picked was itself merged into another; merge into that one instead.');
const mergedAlready = () => conflict('เรื่องนี้ปิดแล้วหรือถูกรวมกับเรื่องอื่นแล้ว', 'This case is closed or already merged into another.');

export function officerRelatedRoutes(api: ApiRoutes, deps: LiffApiDeps): void {
  const { models } = deps;
  const tags = ['officer'];
  const detail = async (c: CaseDoc) => toDetail(c, await unitNamesFor(models, [c]), 'officer');

  api.add({
    operationId: 'relatedCases', method: 'get', path: '/officer/cases/:id/related', tags,
    summary: 'Possibly related open cases (same or related problem type, nearby, recent, similar words), best first; others\' cases as their public summary only',
    params: IdParams,
    success: { status: 200, description: 'Candidates', schema: RelatedList },
  }, async ({ user, params }) => {
    const officer = await requireOfficer(deps, user);
    const c = await models.Case.findById(params.id, { trackingNo: 1, problemType: 1, category: 1, unitCode: 1, concernedUnitCode: 1, location: 1, description: 1, receivedAt: 1, createdAt: 1, relatedCases: 1, status: 1 }).lean<CaseDoc>();
    if (!c || !(await mayActOn(models, officer, c))) throw notFound();
    const found = await findRelated(models, {
      problemType: c.problemType, category: c.category, location: c.location ?? {}, description: c.description,
      at: deps.clock.now(),
    }, { excludeCaseId: params.id, limit: 5 });
    const linked = new Set(c.relatedCases ?? []);
    const descriptions = new Map<string, string>();
    const candidates = [];
    for (const r of found) {
      const mayOpen = await mayActOn(models, officer, { unitCode: r.unitCode, concernedUnitCode: r.concernedUnitCode });
      // From the index entry the search read (kept with every case write): no second read of the case.
      if (mayOpen && r.description) descriptions.set(r.caseId, r.description);
      // Cases from before the problem types show their subject category instead.
      const type = caseKind(r.problemType, r.category);
      const status = r.status as CaseStatus;
      candidates.push({
        caseId: r.caseId, trackingNo: r.trackingNo, problemType: r.problemType,
        typeTh: type?.th ?? '', typeEn: type?.en ?? '', icon: type?.icon,
        areaTh: [r.subdistrictName, r.districtName].filter(Boolean).join(' '),
        receivedAt: r.receivedAt.toISOString(), status: r.status, statusTh: STATUS_LABELS[status]?.th ?? r.status, statusEn: STATUS_LABELS[status]?.en ?? r.status,
        supporterCount: r.supporterCount, ...(r.distanceM !== undefined ? { distanceM: r.distanceM } : {}), score: Math.round(r.score * 100) / 100,
        // The words in common say something of what the other citizen wrote: only for cases the officer may open.
        reasons: mayOpen ? r.reasons : r.reasons.filter((x) => !x.startsWith('words:')), mayOpen, ...(descriptions.has(r.caseId) ? { description: descriptions.get(r.caseId) } : {}), linked: linked.has(r.trackingNo),
      });
    }
    // Reading the description of a case is reading what a citizen wrote: audited like any view.
    if (descriptions.size) {
      await models.Audit.insertMany([...descriptions.keys()].map((caseId) => ({ at: deps.clock.now(), officerId: String(officer._id), lineUserId: user.userId, caseId, action: 'view_related', via: 'liff' })));
    }
    return { candidates };
  });

  api.add({
    operationId: 'linkCases', method: 'post', path: '/officer/cases/:id/link', tags,
    summary: 'เชื่อมโยงเรื่อง: mark another case as related; both list each other, with a timeline entry on both',
    params: IdParams, body: LinkBody, rateLimit: 'write', errors: [409],
    success: { status: 200, description: 'This case now', schema: CaseDetail },
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const r = orThrow(await linkCases(deps, { caseId: params.id, otherCaseId: body.otherCaseId, officer: officerRef(officer, user) }), {
      not_found: notFound, other_not_found: targetGone, same_case: sameCase,
    });
    return detail(r.case);
  });

  api.add({
    operationId: 'mergeCases', method: 'post', path: '/officer/cases/:id/merge', tags,
    summary: 'รวมเรื่อง: this case is the same problem as the target; it closes with a pointer there, and its complainant and followers follow the target',
    params: IdParams, body: MergeBody, rateLimit: 'write', errors: [409],
    success: { status: 200, description: 'This case now (closed, merged)', schema: CaseDetail },
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const r = orThrow(await mergeCases(deps, { caseId: params.id, targetCaseId: body.targetCaseId, officer: officerRef(officer, user) }), {
      not_found: notFound, target_not_found: targetGone, same_case: sameCase, not_open: mergedAlready, target_closed: targetClosed, target_merged: targetMerged,
    });
    return detail(r.case);
  });
}
