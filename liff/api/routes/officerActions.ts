/**
 * What an officer writes and to whom: internal notes (officers only), a preview of the exact LINE
 * message a complainant would receive, response templates to start from, and the forward picker
 * (units by name, never by typed code). Same rule as the other officer routes: a case of another
 * unit is 404.
 */
import { mayActOn, type AccessOfficer } from '../../../shared/cases/access.ts';
import { addInternalNote } from '../../../shared/cases/commands/addInternalNote.ts';
import { citizenLangOf, citizenMessage } from '../../../shared/cases/citizenMessages.ts';
import { subjectCategory } from '../../../shared/categories.ts';
import type { CaseDoc } from '../../../shared/models/index.ts';
import { fillTemplate, responseTemplates, templatesFor, TEMPLATE_ACTIONS, type ResponseTemplate } from '../../../shared/templates.ts';
import { searchForwardTargets, type UnitEntry } from '../../../shared/units/search.ts';
import { unitNamesFor } from '../../../shared/units/names.ts';
import { notFound } from '../../../shared/http/errors.ts';
import { orThrow } from '../../../shared/http/result.ts';
import { notOpen } from '../errors.ts';
import type { ApiRoutes } from '../registry.ts';
import {
  CaseDetail, CaseTemplateQuery, CaseTemplates, ForwardTargets, ForwardTargetsQuery, IdParams, MessagePreview, NoteBody, PreviewBody,
  TemplateItem, TemplateQuery,
} from '../schemas.ts';
import { officerRef, requireOfficer, type LiffApiDeps } from '../support.ts';
import { toDetail } from '../views.ts';
import { z } from 'zod';

/** No personal data in here: these reads need no audit entry. */
const CASE_FIELDS = { trackingNo: 1, category: 1, unitCode: 1, concernedUnitCode: 1, status: 1, location: 1, 'complainant.lang': 1, 'complainant.lineUserId': 1 };

const item = (t: ResponseTemplate, th = t.th, en = t.en) => ({ id: t.id, action: t.action, categories: t.categories, titleTh: t.titleTh, titleEn: t.titleEn, th, en });

export function officerActionRoutes(api: ApiRoutes, deps: LiffApiDeps): void {
  const { models } = deps;
  const tags = ['officer'];

  /** A case this officer may act on (their unit's, or a unit's below for a supervisor), else 404. */
  const myCase = async (officer: AccessOfficer, id: string) => {
    const c = /^[0-9a-f]{24}$/.test(id) ? await models.Case.findById(id, CASE_FIELDS).lean<CaseDoc>() : null;
    if (!c || !(await mayActOn(models, officer, c))) throw notFound();
    return c;
  };

  api.add({
    operationId: 'addInternalNote', method: 'post', path: '/officer/cases/:id/internal-notes', tags,
    summary: 'บันทึกภายใน: a note for officers only; the complainant is not told and never sees it',
    params: IdParams, body: NoteBody, rateLimit: 'write', errors: [409],
    success: { status: 200, description: 'The case now (officer view)', schema: CaseDetail },
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const r = orThrow(await addInternalNote(deps, { caseId: params.id, officer: officerRef(officer, user), text: body.text }), { not_found: notFound, not_open: notOpen });
    return toDetail(r.case, await unitNamesFor(models, [r.case]), 'officer');
  });

  api.add({
    operationId: 'previewCitizenMessage', method: 'post', path: '/officer/cases/:id/preview', tags,
    summary: 'The LINE message the complainant would receive for this text (update, question, result, refusal), in their language; nothing is sent',
    params: IdParams, body: PreviewBody, rateLimit: 'write',
    success: { status: 200, description: 'The message', schema: MessagePreview },
  }, async ({ user, params, body }) => {
    const officer = await requireOfficer(deps, user);
    const c = await myCase(officer, params.id);
    const lang = citizenLangOf(c);
    return { kind: body.kind, lang, text: citizenMessage(body.kind, c, body.text, deps.links, lang), toLine: Boolean(c.complainant?.lineUserId) };
  });

  api.add({
    operationId: 'listResponseTemplates', method: 'get', path: '/officer/templates', tags,
    summary: 'Response templates (config/response-templates.json), Thai and English, optionally for one action and category',
    query: TemplateQuery, errors: [404],
    success: { status: 200, description: 'Templates, those made for the category first', schema: z.array(TemplateItem) },
  }, async ({ user, query }) => {
    await requireOfficer(deps, user);
    const all = responseTemplates();
    const actions = query.action ? [query.action] : TEMPLATE_ACTIONS;
    return actions.flatMap((a) => templatesFor(all, a, query.category)).map((t) => item(t));
  });

  api.add({
    operationId: 'caseResponseTemplates', method: 'get', path: '/officer/cases/:id/templates', tags,
    summary: 'Templates for this case\'s category and the action, placeholders filled ({trackingNo} {unitName} {categoryName})',
    params: IdParams, query: CaseTemplateQuery,
    success: { status: 200, description: 'Templates and the complainant\'s language', schema: CaseTemplates },
  }, async ({ user, params, query }) => {
    const officer = await requireOfficer(deps, user);
    const c = await myCase(officer, params.id);
    const unit = await models.Unit.findById(c.unitCode, { nameTh: 1, nameEn: 1 }).lean();
    const cat = subjectCategory(c.category);
    const values = (lang: 'th' | 'en') => ({
      trackingNo: c.trackingNo,
      unitName: (lang === 'en' ? unit?.nameEn : unit?.nameTh) ?? c.unitCode,
      categoryName: (lang === 'en' ? cat?.en : cat?.th) ?? c.category,
    });
    return {
      lang: citizenLangOf(c),
      templates: templatesFor(responseTemplates(), query.action, c.category).map((t) => item(t, fillTemplate(t.th, values('th')), fillTemplate(t.en, values('en')))),
    };
  });

  api.add({
    operationId: 'forwardTargets', method: 'get', path: '/officer/cases/:id/forward-targets', tags,
    summary: 'Units this case may be forwarded to, by name (Thai/English) or area; without q, the suggestions: the area\'s district and province centres and partner agencies. Never the unit holding it nor the unit complained about',
    params: IdParams, query: ForwardTargetsQuery,
    success: { status: 200, description: 'Units, suggestions first', schema: ForwardTargets },
  }, async ({ user, params, query }) => {
    const officer = await requireOfficer(deps, user);
    const c = await myCase(officer, params.id);
    // About a thousand small documents that change rarely; read whole rather than by pattern (FerretDB scans either way).
    const units = await models.Unit.find({}, { nameTh: 1, nameEn: 1, level: 1, provinceCode: 1 }).lean();
    const entries: UnitEntry[] = units.map((u) => ({ code: String(u._id), nameTh: u.nameTh, nameEn: u.nameEn, level: u.level, provinceCode: u.provinceCode }));
    return searchForwardTargets(entries, {
      q: query.q, provinceCode: c.location?.provinceCode ?? undefined, districtCode: c.location?.districtCode ?? undefined,
      exclude: [c.unitCode, c.concernedUnitCode],
    });
  });
}
