import { CHANNELS, SUBJECT_CATEGORIES } from '../../../shared/categories.ts';
import { PROBLEM_TYPES } from '../../../shared/problems/types.ts';
import { district, districtsOf, province, provinces, subdistrictsOf } from '../../../shared/geo/index.ts';
import { PDPA_NOTICE, PDPA_NOTICE_VERSION } from '../../../shared/pdpa.ts';
import { notFound } from '../../../shared/http/errors.ts';
import type { ApiRoutes } from '../registry.ts';
import { AreaList, DistrictParams, LIMITS, Me, Meta, ProvinceParams } from '../schemas.ts';
import { officerOf, userLang, type LiffApiDeps } from '../support.ts';

const byThai = new Intl.Collator('th');

/** Who am I, what the form offers, and the administrative areas for the cascading pickers. */
export function referenceRoutes(api: ApiRoutes, deps: LiffApiDeps): void {
  api.add({
    operationId: 'getMe', method: 'get', path: '/me', tags: ['citizen'],
    summary: 'The signed-in person: name, language, role and (officers) unit',
    success: { status: 200, description: 'The caller', schema: Me },
  }, async ({ user }) => {
    const [officer, lang, conv] = await Promise.all([
      officerOf(deps, user),
      userLang(deps, user.userId),
      deps.models.Conversation.findById(user.userId, { displayName: 1 }).lean(),
    ]);
    const unit = officer ? await deps.models.Unit.findById(officer.unitCode).lean() : null;
    return {
      displayName: user.name ?? conv?.displayName ?? '',
      lang,
      role: officer?.role ?? 'citizen',
      ...(officer ? { unit: { code: officer.unitCode, nameTh: unit?.nameTh ?? officer.unitCode, nameEn: unit?.nameEn ?? officer.unitCode } } : {}),
    };
  });

  api.add({
    operationId: 'getMeta', method: 'get', path: '/meta', tags: ['citizen'],
    summary: 'Categories, channels, the PDPA notice and the form limits',
    success: { status: 200, description: 'Form metadata', schema: Meta },
  }, async () => ({
    categories: SUBJECT_CATEGORIES.map((c) => ({ code: c.code, th: c.th, en: c.en, hintTh: c.hintTh, hintEn: c.hintEn })),
    problemTypes: PROBLEM_TYPES.map((t) => ({ code: t.code, th: t.th, en: t.en, icon: t.icon, hintTh: t.hintTh, hintEn: t.hintEn, category: t.category, keywords: t.keywords })),
    channels: CHANNELS.map((c) => ({ code: c.code, th: c.th, en: c.en })),
    pdpa: { version: PDPA_NOTICE_VERSION, textTh: PDPA_NOTICE.th, textEn: PDPA_NOTICE.en },
    limits: { ...LIMITS },
  }));

  api.add({
    operationId: 'listProvinces', method: 'get', path: '/geo/provinces', tags: ['geo'],
    summary: 'Provinces (Thai alphabetical order)',
    success: { status: 200, description: 'Provinces', schema: AreaList },
  }, async () => provinces().sort((a, b) => byThai.compare(a.nameTh, b.nameTh)).map((p) => ({ code: p.code, nameTh: p.nameTh, nameEn: p.nameEn })));

  api.add({
    operationId: 'listDistricts', method: 'get', path: '/geo/provinces/:code/districts', tags: ['geo'],
    summary: 'Districts (อำเภอ/เขต) of a province',
    params: ProvinceParams,
    success: { status: 200, description: 'Districts', schema: AreaList },
  }, async ({ params }) => {
    if (!province(params.code)) throw notFound();
    return districtsOf(params.code).map((d) => ({ code: d.code, nameTh: d.nameTh, nameEn: d.nameEn }));
  });

  api.add({
    operationId: 'listSubdistricts', method: 'get', path: '/geo/districts/:code/subdistricts', tags: ['geo'],
    summary: 'Subdistricts (ตำบล/แขวง) of a district, with postal codes',
    params: DistrictParams,
    success: { status: 200, description: 'Subdistricts', schema: AreaList },
  }, async ({ params }) => {
    if (!district(params.code)) throw notFound();
    return subdistrictsOf(params.code).map((s) => ({ code: s.code, nameTh: s.nameTh, nameEn: s.nameEn, postalCode: s.postalCode }));
  });
}
