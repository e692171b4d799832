/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), JSON only: discovery, services (our
 * subject categories), requests (list, one, create). A request is a case; its id is the tracking
 * number. Creating one runs the same domain command as every other intake (openCase).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SUBJECT_CATEGORIES } from '../shared/categories.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import type { DomainDeps } from '../shared/cases/deps.ts';
import { district as districtOf, province as provinceOf, resolveAddress } from '../shared/geo/index.ts';
import type { CaseDoc, Models } from '../shared/models/index.ts';
import { normaliseThaiPhone } from '../shared/phone.ts';
import { conflict, notFound } from '../shared/http/errors.ts';
import { badRequest } from './errors.ts';
import type { ExchangeRoutes } from './registry.ts';
import {
  Discovery, IdParams, Open311CreateBody, Open311Created, Open311GetQuery, Open311ListQuery, PARTNER_REQUEST_ID, PublicQuery, Service,
} from './schemas.ts';
import { andOf, caseScopeFilter, mayReadCase, partnerIntakePrefix } from './scope.ts';
import { Open311Request, toOpen311 } from './views.ts';
import { auditPartnerReads } from './minimise.ts';

type Partner = Parameters<typeof mayReadCase>[1];
/** On a keyOptional route the registry gives null for a keyless caller (exchange/registry.ts). */
const readerOf = (p: Partner | null | undefined): Partner | null => p ?? null;
import { unitNamesFor } from '../shared/units/names.ts';
import { OPEN_STATUSES } from '../shared/categories.ts';
import { republishCase } from '../shared/cases/publish.ts';

export const OPEN311_BASE = '/open311/v2';
const CHANGESET = '2026-11-22T00:00:00Z';
const DEFAULT_WINDOW_MS = 90 * 24 * 3600_000;

export interface Open311Deps extends DomainDeps {
  publicBaseUrl: string;
}

type Location = Parameters<typeof openCase>[1]['location'];

/** Where the complaint is: read from the address if it names a place, else the key's own area (so the case lands in its scope). */
async function locationFor(models: Models, body: z.output<typeof Open311CreateBody>, keyUnitCode: string): Promise<Location> {
  const loc: Location = {};
  if (body.address_string) {
    loc.address = body.address_string;
    const r = resolveAddress(body.address_string);
    if (r.province) { loc.provinceCode = r.province.code; loc.provinceName = r.province.nameTh; }
    if (r.district) { loc.districtCode = r.district.code; loc.districtName = r.district.nameTh; }
    if (r.subdistrict) { loc.subdistrictCode = r.subdistrict.code; loc.subdistrictName = r.subdistrict.nameTh; }
  }
  if (!loc.provinceCode) {
    const unit = await models.Unit.findById(keyUnitCode, { level: 1, provinceCode: 1 }).lean();
    const p = unit?.provinceCode ? provinceOf(unit.provinceCode) : undefined;
    if (p) { loc.provinceCode = p.code; loc.provinceName = p.nameTh; }
    const d = unit?.level === 'district' ? districtOf(keyUnitCode) : undefined;
    if (d) { loc.districtCode = d.code; loc.districtName = d.nameTh; }
  }
  if (body.lat !== undefined && body.long !== undefined) { loc.lat = body.lat; loc.lng = body.long; }
  return loc;
}

export function open311Routes(api: ExchangeRoutes, deps: Open311Deps): void {
  const { models } = deps;

  api.add({
    operationId: 'open311Discovery', method: 'get', path: `${OPEN311_BASE}/discovery.json`, tags: ['open311'], public: true,
    summary: 'GeoReport v2 discovery', query: PublicQuery,
    success: { status: 200, description: 'Endpoints of this server', schema: Discovery },
  }, async () => ({
    changeset: CHANGESET,
    contact: 'ศูนย์ดำรงธรรม — ask the centre that gave you your API key',
    key_service: 'API keys are issued by a centre administrator (npm run cli -- apikey create)',
    endpoints: [{
      specification: 'http://wiki.open311.org/GeoReport_v2', url: `${deps.publicBaseUrl.replace(/\/+$/, '')}${OPEN311_BASE}`,
      changeset: CHANGESET, type: 'production', formats: ['application/json'],
    }],
  }));

  api.add({
    operationId: 'open311Services', method: 'get', path: `${OPEN311_BASE}/services.json`, tags: ['open311'], public: true,
    summary: 'Service list: our subject categories (Thai names, English beside)', query: PublicQuery,
    success: { status: 200, description: 'Services', schema: z.array(Service) },
  }, async () => SUBJECT_CATEGORIES.map((c) => ({
    service_code: c.code,
    service_name: c.th,
    service_name_en: c.en,
    description: `${c.hintTh} / ${c.hintEn}`,
    metadata: false,
    type: 'realtime' as const,
    keywords: [c.short, c.en].join(','),
    group: c.againstOfficials ? 'ร้องเรียนเจ้าหน้าที่ / Complaints about officials' : 'เรื่องร้องเรียนทั่วไป / General',
  })));

  api.add({
    operationId: 'open311ListRequests', method: 'get', path: `${OPEN311_BASE}/requests.json`, tags: ['open311'],
    summary: 'Requests (cases), newest first: without a key every case in the public view, with a key those of its units',
    description: 'Without a key: every case, public view only (id, service, status and notes, dates, agency, area to the district), rate-limited per IP. With a key: only cases of the key\'s unit and the units under it (and those it filed), each in the view its scope allows (see description, lat, long); each case given is audited. No personal data of the complainant. Paged with page/page_size; X-Total-Count gives the total.',
    query: Open311ListQuery, keyOptional: true,
    success: { status: 200, description: 'Requests', schema: z.array(Open311Request) },
  }, async ({ query, principal, res }) => {
    const reader = readerOf(principal);
    const filter: Record<string, unknown>[] = [reader ? await caseScopeFilter(models, reader) : {}];
    if (query.service_request_id) {
      filter.push({ trackingNo: { $in: query.service_request_id } });
    } else {
      const end = query.end_date ? new Date(query.end_date) : deps.clock.now();
      const start = query.start_date ? new Date(query.start_date) : new Date(end.getTime() - DEFAULT_WINDOW_MS);
      if (start > end) throw badRequest([{ path: 'start_date', message: 'must not be after end_date (วันเริ่มต้องไม่หลังวันสิ้นสุด)' }]);
      filter.push({ receivedAt: { $gte: start, $lt: end } });
      if (query.service_code) filter.push({ category: { $in: query.service_code } });
      if (query.status && query.status.length === 1) {
        filter.push(query.status[0] === 'open' ? { status: { $in: OPEN_STATUSES } } : { status: { $nin: OPEN_STATUSES } });
      }
    }
    const where = andOf(filter);
    const [total, cases] = await Promise.all([
      models.Case.countDocuments(where),
      models.Case.find(where).sort({ receivedAt: -1, _id: -1 }).skip((query.page - 1) * query.page_size).limit(query.page_size).lean<CaseDoc[]>(),
    ]);
    res.setHeader('X-Total-Count', String(total));
    const units = await unitNamesFor(models, cases);
    const views = cases.map((c) => toOpen311(c, units, reader));
    if (reader) await auditPartnerReads(models, reader.apiKeyId, 'open311', deps.clock.now(), cases.map((c, i) => ({ caseId: c._id, view: views[i] })));
    return views;
  });

  api.add({
    operationId: 'open311GetRequest', method: 'get', path: `${OPEN311_BASE}/requests/:id.json`, tags: ['open311'],
    summary: 'One request by its id (our tracking number); without a key in the public view',
    description: 'Without a key: the public view of any case. With a key: cases in its scope only (else 404), in the view its scope allows; the read is audited.',
    params: IdParams, query: Open311GetQuery, keyOptional: true,
    success: { status: 200, description: 'A one-element array, as GeoReport v2 answers', schema: z.array(Open311Request) },
  }, async ({ params, principal }) => {
    const reader = readerOf(principal);
    const c = await models.Case.findOne({ trackingNo: params.id }).lean<CaseDoc>();
    if (!c || (reader && !(await mayReadCase(models, reader, c)))) throw notFound();
    const view = toOpen311(c, await unitNamesFor(models, [c]), reader);
    if (reader) await auditPartnerReads(models, reader.apiKeyId, 'open311', deps.clock.now(), [{ caseId: c._id, view }]);
    return [view];
  });

  api.add({
    operationId: 'open311CreateRequest', method: 'post', path: `${OPEN311_BASE}/requests.json`, tags: ['open311'],
    summary: 'File a complaint (a new case, routed like any other)',
    description: 'Form-encoded (GeoReport v2) or JSON. Idempotent when you send an Idempotency-Key header or partner_request_id: a retry returns the same service_request_id (200). The complainant\'s name and phone are kept for the centre only and never returned to partners; email is not stored.',
    body: Open311CreateBody,
    success: {
      status: 201, description: 'Created', schema: Open311Created, alsoStatus: { status: 200, description: 'Already created by an earlier try with the same idempotency key' },
      links: {
        open311GetRequest: { operationId: 'open311GetRequest', parameters: { id: '$response.body#/0/service_request_id' } },
        partnerGetCase: { operationId: 'partnerGetCase', parameters: { trackingNo: '$response.body#/0/service_request_id' } },
      },
    },
    errors: [409],
    headers: [{ name: 'Idempotency-Key', description: 'Your id for this request: a retry with the same key returns the same case', pattern: PARTNER_REQUEST_ID.source }],
  }, async (ctx) => {
    const { body, principal, req } = ctx;
    const header = req.get('idempotency-key');
    if (header !== undefined && !PARTNER_REQUEST_ID.test(header)) throw badRequest([{ path: 'Idempotency-Key', message: '1–100 of A-Z a-z 0-9 . _ : - (รูปแบบไม่ถูกต้อง)' }]);
    const retryId = header ?? body.partner_request_id;
    const idempotencyKey = `${partnerIntakePrefix(principal.apiKeyId)}${retryId ?? randomUUID()}`;
    if (retryId) {
      const earlier = await models.Case.findOne({ idempotencyKey }, { trackingNo: 1, category: 1, description: 1 }).lean<CaseDoc>();
      if (earlier) {
        if (earlier.category !== body.service_code || earlier.description !== body.description) {
          throw conflict('รหัสคำขอนี้ใช้กับเรื่องอื่นไปแล้ว', 'This idempotency key was already used for a different request.');
        }
        // The first try may have died before its events were queued: queue them (a no-op if they were).
        await republishCase(models, deps.publish, earlier._id);
        ctx.status = 200;
        return [{ service_request_id: earlier.trackingNo, service_notice: 'รับเรื่องแล้ว (ส่งซ้ำ) / Already received (retry)' }];
      }
    }
    const name = [body.first_name, body.last_name].filter(Boolean).join(' ').trim();
    const phone = body.phone ? normaliseThaiPhone(body.phone) : undefined;
    const c = await openCase(deps, {
      idempotencyKey,
      channel: body.channel ?? 'website',
      category: body.service_code,
      description: body.description,
      location: await locationFor(models, body, principal.unitCode),
      complainant: { ...(name ? { name } : {}), ...(phone ? { phone } : {}), anonymous: !name && !phone, lang: 'th' },
      by: { kind: 'system', id: `apikey:${principal.apiKeyId}`, name: principal.name },
    });
    return [{ service_request_id: c.trackingNo, service_notice: 'รับเรื่องแล้ว ติดตามได้ด้วยเลขรับเรื่องนี้ / Received; follow it with this id' }];
  });
}
