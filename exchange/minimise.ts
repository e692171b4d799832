/**
 * What a partner may see of a case, decided in one place for /api/v1, Open311 and webhooks. The
 * PDPA notice promises the complainant that only the responsible unit sees their complaint, so a
 * partner gets the least that lets it follow the case:
 *
 * - `detail`: the pin and the (redacted) description — only for a place-bound problem
 *   (config/partner-disclosure.json), only to the key of the unit holding the case (a forward moves
 *   `unitCode`, so the unit it was forwarded to holds it) or the key that filed it, and never for a
 *   sensitive case;
 * - `subdistrict`: the area down to ตำบล, no text, no pin — any other case a key may read;
 * - `district`: the area down to อำเภอ only — sensitive cases (anonymous, against officials,
 *   disputes, debts) for every key, and every case for keyless GeoReport readers.
 *
 * The complainant's name, phone and LINE id are never part of any view.
 */
import { readFileSync } from 'node:fs';
import { subjectCategory, SUBJECT_CATEGORY_CODES } from '../shared/categories.ts';
import type { CaseDoc, Models } from '../shared/models/index.ts';
import { partnerIntakePrefix } from './scope.ts';

export type Disclosure = 'detail' | 'subdistrict' | 'district';

export interface DisclosureConfig { placeBound: string[]; districtOnly: string[] }

/** Reads and checks the config: an unknown category code is a typo that would silently disclose or hide. */
export function parseDisclosureConfig(raw: unknown): DisclosureConfig {
  const o = raw as Partial<DisclosureConfig> | null;
  const lists = { placeBound: o?.placeBound, districtOnly: o?.districtOnly };
  for (const [name, list] of Object.entries(lists)) {
    if (!Array.isArray(list)) throw new Error(`config/partner-disclosure.json: ${name} must be a list of category codes`);
    const bad = list.filter((c) => !(SUBJECT_CATEGORY_CODES as readonly unknown[]).includes(c));
    if (bad.length) throw new Error(`config/partner-disclosure.json: ${name} has unknown categories ${bad.join(', ')}; known: ${SUBJECT_CATEGORY_CODES.join(', ')}`);
  }
  const both = lists.placeBound!.filter((c) => lists.districtOnly!.includes(c));
  if (both.length) throw new Error(`config/partner-disclosure.json: ${both.join(', ')} is both placeBound and districtOnly`);
  return { placeBound: lists.placeBound!, districtOnly: lists.districtOnly! };
}

export const DISCLOSURE_CONFIG: DisclosureConfig = parseDisclosureConfig(
  JSON.parse(readFileSync(new URL('../config/partner-disclosure.json', import.meta.url), 'utf8')),
);

interface CaseFacts {
  category: string; unitCode: string; concernedUnitCode?: string | null; idempotencyKey?: string | null;
  complainant?: { anonymous?: boolean | null } | null;
}

/** Anonymous, about officials, between people or about debts: nobody outside the unit learns more than the district. */
export function isSensitive(c: CaseFacts, cfg: DisclosureConfig = DISCLOSURE_CONFIG): boolean {
  return Boolean(c.complainant?.anonymous) || Boolean(c.concernedUnitCode)
    || Boolean(subjectCategory(c.category)?.againstOfficials) || cfg.districtOnly.includes(c.category);
}

/** The view a reader gets: `null` is a keyless (public) reader. */
export function disclosureFor(c: CaseFacts, reader: { apiKeyId: string; unitCode: string } | null, cfg: DisclosureConfig = DISCLOSURE_CONFIG): Disclosure {
  if (!reader || isSensitive(c, cfg)) return 'district';
  const holds = reader.unitCode === c.unitCode || Boolean(c.idempotencyKey?.startsWith(partnerIntakePrefix(reader.apiKeyId)));
  return holds && cfg.placeBound.includes(c.category) ? 'detail' : 'subdistrict';
}

/** The location a view may carry: codes and names cut to its level, the pin only in `detail`. */
export function areaFor(loc: CaseDoc['location'] | null | undefined, d: Disclosure) {
  const l = loc ?? {};
  return {
    provinceCode: l.provinceCode ?? undefined, provinceName: l.provinceName ?? undefined,
    districtCode: l.districtCode ?? undefined, districtName: l.districtName ?? undefined,
    ...(d !== 'district' ? { subdistrictCode: l.subdistrictCode ?? undefined, subdistrictName: l.subdistrictName ?? undefined } : {}),
    ...(d === 'detail' && typeof l.lat === 'number' && typeof l.lng === 'number' ? { lat: l.lat, lng: l.lng } : {}),
  };
}

/** Field names of a view, nested ones as `area.lat`: what the audit entry says was disclosed. */
export function disclosedFields(view: object): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(view)) {
    if (v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) { if (v2 !== undefined) out.push(`${k}.${k2}`); }
    else out.push(k);
  }
  return out;
}

export const PARTNER_READ_ACTION = 'partner_read';

/**
 * One audit entry per case disclosed to a key, all in one insert: a page of 100 cases is one
 * round trip, not a hundred. Called before the answer goes out, so a read that could not be
 * recorded is not served.
 */
export async function auditPartnerReads(
  models: Models, apiKeyId: string, via: 'api' | 'open311' | 'webhook', at: Date,
  reads: { caseId: unknown; view: object }[],
): Promise<void> {
  if (!reads.length) return;
  await models.Audit.insertMany(reads.map((r) => ({
    at, action: PARTNER_READ_ACTION, via, apiKeyId, caseId: String(r.caseId), fields: disclosedFields(r.view),
  })), { ordered: false });
}
