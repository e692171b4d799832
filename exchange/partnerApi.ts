/**
 * Our own JSON API for partners (`/api/v1`): richer than GeoReport v2 — our statuses, deadlines,
 * escalation level, unit and a timeline — and, like it, free of the complainant's personal data.
 */
import { z } from 'zod';
import { OPEN_STATUSES } from '../shared/categories.ts';
import { unitAndDescendants, seesWholeCountry } from '../shared/auth/principal.ts';
import type { CaseDoc, Models } from '../shared/models/index.ts';
import { conflict, notFound } from '../shared/http/errors.ts';
import { createHash } from 'node:crypto';
import { addProgressNote } from '../shared/cases/commands/addProgressNote.ts';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import type { DomainDeps } from '../shared/cases/deps.ts';
import { exchangeModels, PARTNER_EVENT_TYPES } from '../shared/partners/models.ts';
import type { ExchangeRoutes } from './registry.ts';
import { ApiKeyOnlyQuery, CaseListQuery, PartnerUpdateBody, TrackingNoParams } from './schemas.ts';
import { andOf, caseScopeFilter, mayReadCase } from './scope.ts';
import { PartnerCase, PartnerCaseDetail, toPartnerCase, toPartnerCaseDetail } from './views.ts';
import { unitNamesFor } from '../shared/units/names.ts';
import type { Clock } from '../shared/clock.ts';
import { auditPartnerReads } from './minimise.ts';

export const PARTNER_API_BASE = '/api/v1';

const Me = z.object({ apiKeyId: z.string(), name: z.string(), unitCode: z.string(), unitNameTh: z.string(), unitNameEn: z.string(), wholeCountry: z.boolean() });
const CasePage = z.object({ items: z.array(PartnerCase), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });
const Subscription = z.object({ id: z.string(), url: z.string(), events: z.array(z.enum(PARTNER_EVENT_TYPES)), active: z.boolean(), createdAt: z.string() });

export function partnerApiRoutes(api: ExchangeRoutes, deps: DomainDeps & { models: Models; clock: Clock }): void {
  const { models } = deps;

  api.add({
    operationId: 'partnerMe', method: 'get', path: `${PARTNER_API_BASE}/me`, tags: ['partner'],
    summary: 'The key in use: agency, unit and scope', query: ApiKeyOnlyQuery,
    success: { status: 200, description: 'Key', schema: Me },
  }, async ({ principal }) => {
    const unit = await models.Unit.findById(principal.unitCode, { nameTh: 1, nameEn: 1 }).lean();
    return {
      apiKeyId: principal.apiKeyId, name: principal.name, unitCode: principal.unitCode,
      unitNameTh: unit?.nameTh ?? principal.unitCode, unitNameEn: unit?.nameEn ?? principal.unitCode, wholeCountry: seesWholeCountry(principal),
    };
  });

  api.add({
    operationId: 'partnerListCases', method: 'get', path: `${PARTNER_API_BASE}/cases`, tags: ['partner'],
    summary: 'Cases of the key\'s units (and those it filed), newest first, paged; each case given is audited',
    query: CaseListQuery,
    success: { status: 200, description: 'A page of cases', schema: CasePage },
  }, async ({ query, principal }) => {
    const and: Record<string, unknown>[] = [await caseScopeFilter(models, principal)];
    if (query.status) and.push({ status: query.status });
    if (query.open) and.push({ status: query.open === 'true' ? { $in: OPEN_STATUSES } : { $nin: OPEN_STATUSES } });
    if (query.category) and.push({ category: query.category });
    if (query.unitCode) {
      // A unit outside the scope simply has no cases here (not an error that reveals it exists).
      const inScope = seesWholeCountry(principal) || (await unitAndDescendants(models, principal.unitCode)).includes(query.unitCode);
      and.push({ unitCode: inScope ? query.unitCode : { $in: [] } });
    }
    if (query.from || query.to) {
      and.push({ receivedAt: { ...(query.from ? { $gte: new Date(query.from) } : {}), ...(query.to ? { $lt: new Date(query.to) } : {}) } });
    }
    const where = andOf(and);
    const [total, cases] = await Promise.all([
      models.Case.countDocuments(where),
      models.Case.find(where).sort({ receivedAt: -1, _id: -1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean<CaseDoc[]>(),
    ]);
    const units = await unitNamesFor(models, cases);
    const items = cases.map((c) => toPartnerCase(c, units, principal));
    await auditPartnerReads(models, principal.apiKeyId, 'api', deps.clock.now(), cases.map((c, i) => ({ caseId: c._id, view: items[i] })));
    return { items, page: query.page, pageSize: query.pageSize, total };
  });

  api.add({
    operationId: 'partnerGetCase', method: 'get', path: `${PARTNER_API_BASE}/cases/:trackingNo`, tags: ['partner'],
    summary: 'One case with its timeline (no personal data, no free-text notes); the read is audited', params: TrackingNoParams, query: ApiKeyOnlyQuery,
    success: { status: 200, description: 'Case', schema: PartnerCaseDetail },
  }, async ({ params, principal }) => {
    const c = await models.Case.findOne({ trackingNo: params.trackingNo }).lean<CaseDoc>();
    if (!c || !(await mayReadCase(models, principal, c))) throw notFound();
    const view = toPartnerCaseDetail(c, await unitNamesFor(models, [c]), principal);
    await auditPartnerReads(models, principal.apiKeyId, 'api', deps.clock.now(), [{ caseId: c._id, view }]);
    return view;
  });

  // An agency that receives cases by API reports back the same way an officer does on LIFF: the same
  // domain commands, so the complainant is told in the same words. Only the key of the unit holding the
  // case may write (a province's key reads the cases below it, it does not work them).
  api.add({
    operationId: 'partnerPostUpdate', method: 'post', path: `${PARTNER_API_BASE}/cases/:trackingNo/updates`, tags: ['partner'],
    summary: 'Report progress on a case your unit holds, or its result (which closes it); the complainant is told',
    description: 'Only the key of the unit holding the case may write. Send update_id so a retry writes nothing twice.',
    params: TrackingNoParams, body: PartnerUpdateBody,
    success: { status: 201, description: 'Recorded', schema: z.object({ trackingNo: z.string(), status: z.string() }) },
    errors: [409],
  }, async ({ params, body, principal }) => {
    const c = await models.Case.findOne({ trackingNo: params.trackingNo }, { _id: 1, unitCode: 1, idempotencyKey: 1 }).lean<CaseDoc>();
    if (!c || !(await mayReadCase(models, principal, c))) throw notFound();
    if (c.unitCode !== principal.unitCode) throw conflict('หน่วยงานของท่านไม่ได้เป็นผู้รับผิดชอบเรื่องนี้ จึงบันทึกผลไม่ได้', 'Your unit does not hold this case, so it cannot report on it');
    const officer = { id: `api:${principal.apiKeyId}`, name: principal.name, unitCode: principal.unitCode, role: 'officer' as const };
    // Hashed: the partner's id may hold characters a queue job id may not.
    const eventId = body.update_id ? `pu-${createHash('sha256').update(`${principal.apiKeyId}\n${body.update_id}`).digest('hex').slice(0, 32)}` : undefined;
    const caseId = String(c._id);
    const r = body.kind === 'progress'
      ? await addProgressNote(deps, { caseId, officer, text: body.text, eventId })
      : await closeCase(deps, { caseId, officer, summary: body.text, eventId });
    if (!r.ok) {
      if (r.reason === 'not_found') throw notFound();
      const done = eventId && r.case?.timeline?.some((e) => e.eventId === eventId);
      if (!done) throw conflict('เรื่องนี้ยุติแล้ว จึงบันทึกเพิ่มไม่ได้', 'This case is already closed, so nothing more can be recorded');
    }
    return { trackingNo: params.trackingNo, status: r.case?.status ?? 'closed' };
  });

  api.add({
    operationId: 'partnerListWebhooks', method: 'get', path: `${PARTNER_API_BASE}/webhooks`, tags: ['partner'],
    summary: 'This key\'s webhook subscriptions (secrets are never shown again)', query: ApiKeyOnlyQuery,
    success: { status: 200, description: 'Subscriptions', schema: z.array(Subscription) },
  }, async ({ principal }) => {
    const subs = await exchangeModels(models.conn).WebhookSubscription.find({ apiKeyId: principal.apiKeyId }, { secret: 0 }).sort({ createdAt: 1 }).lean();
    return subs.map((s) => ({
      id: String(s._id), url: s.url, events: (s.events ?? []).filter((e): e is (typeof PARTNER_EVENT_TYPES)[number] => (PARTNER_EVENT_TYPES as readonly string[]).includes(e)),
      active: s.active ?? true, createdAt: new Date(s.createdAt as unknown as string).toISOString(),
    }));
  });
}
