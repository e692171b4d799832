import type { SubjectCategoryCode } from '../../shared/categories.ts';
import type { Redis } from 'ioredis';
import { mongo } from 'mongoose';
import type { DomainDeps } from '../../shared/cases/deps.ts';
import type { Config } from '../../shared/config.ts';
import { district as districtOf, province as provinceOf, subdistrict as subdistrictOf } from '../../shared/geo/index.ts';
import { langFrom, type Lang } from '../../shared/i18n/index.ts';
import type { LineClient } from '../../shared/line/client.ts';
import type { LinkConfig } from '../../shared/links.ts';
import type { Logger } from '../../shared/logger.ts';
import type { OfficerDoc } from '../../shared/models/index.ts';
import type { OfficerRef } from '../../shared/cases/actor.ts';
import type { LiffUser } from './auth.ts';
import { notFound } from '../../shared/http/errors.ts';
import { fieldError, validationError, type FieldError } from './errors.ts';
import type { RateLimit } from './rateLimit.ts';
import type { z } from 'zod';
import type { LocationIn } from './schemas.ts';

export interface LiffApiDeps extends DomainDeps {
  log: Logger;
  /** Rate-limit counters. */
  redis: Redis;
  /** LINE profile lookups (language of someone who never chatted with the bot). */
  line: LineClient;
  config: Pick<Config, 'LINE_API_BASE_URL' | 'LINE_LOGIN_CHANNEL_ID' | 'QUEUE_PREFIX'>;
  /** Where links in citizens' messages point: the officer's preview shows the same links the notify worker sends. */
  links: LinkConfig;
  /** Override the per-user limits (defaults: writes 20/min, uploads 30/10 min). */
  limits?: Partial<Record<'write' | 'upload', RateLimit>>;
}

/** The active officer behind this LINE account, if any. */
export async function officerOf(deps: LiffApiDeps, user: LiffUser): Promise<OfficerDoc | null> {
  return deps.models.Officer.findOne({ lineUserId: user.userId, active: true }).lean<OfficerDoc>();
}

/** Officer endpoints for someone who is not an officer answer 404, like an id that is not theirs. */
export async function requireOfficer(deps: LiffApiDeps, user: LiffUser): Promise<OfficerDoc> {
  const officer = await officerOf(deps, user);
  if (!officer) throw notFound();
  return officer;
}

export function officerRef(officer: OfficerDoc, user: LiffUser): OfficerRef {
  return { id: String(officer._id), name: officer.name || user.name || 'เจ้าหน้าที่', unitCode: officer.unitCode, role: officer.role };
}

/** The person's language: what the bot knows from the chat, else their LINE profile, else Thai. */
export async function userLang(deps: LiffApiDeps, userId: string): Promise<Lang> {
  const conv = await deps.models.Conversation.findById(userId, { lang: 1 }).lean();
  if (conv?.lang === 'en' || conv?.lang === 'th') return conv.lang;
  const profile = await deps.line.api.getProfile(userId).catch(() => undefined);
  return langFrom(profile?.language);
}

export interface ResolvedLocation {
  provinceCode: string; provinceName: string;
  districtCode?: string; districtName?: string;
  subdistrictCode?: string; subdistrictName?: string;
  address?: string; lat?: number; lng?: number;
}

/** Codes → names from the administrative data; a district outside its province (etc.) is a field error. */
export function resolveLocation(loc: z.output<typeof LocationIn>, at = 'location'): ResolvedLocation {
  const errors: FieldError[] = [];
  const p = provinceOf(loc.provinceCode);
  if (!p) errors.push(fieldError(`${at}.provinceCode`, 'unknown_province'));
  const d = loc.districtCode ? districtOf(loc.districtCode) : undefined;
  if (loc.districtCode && (!d || d.provinceCode !== loc.provinceCode)) errors.push(fieldError(`${at}.districtCode`, 'unknown_district'));
  let s;
  if (loc.subdistrictCode) {
    if (!loc.districtCode) errors.push(fieldError(`${at}.subdistrictCode`, 'subdistrict_needs_district'));
    else {
      s = subdistrictOf(loc.subdistrictCode);
      if (!s || s.districtCode !== loc.districtCode) errors.push(fieldError(`${at}.subdistrictCode`, 'unknown_subdistrict'));
    }
  }
  if ((loc.lat === undefined) !== (loc.lng === undefined)) errors.push(fieldError(`${at}.${loc.lat === undefined ? 'lat' : 'lng'}`, 'lat_lng_pair'));
  if (errors.length || !p) throw validationError(errors);
  return {
    provinceCode: p.code, provinceName: p.nameTh,
    ...(d ? { districtCode: d.code, districtName: d.nameTh } : {}),
    ...(s ? { subdistrictCode: s.code, subdistrictName: s.nameTh } : {}),
    ...(loc.address ? { address: loc.address } : {}),
    ...(loc.lat !== undefined && loc.lng !== undefined ? { lat: loc.lat, lng: loc.lng } : {}),
  };
}

function filesCollection(deps: Pick<LiffApiDeps, 'models'>) {
  return deps.models.conn.db!.collection('attachments.files');
}

/**
 * The photos named by `ids`, which must be this person's own uploads from the form and not yet on
 * a case; anything else is a field error at `<at>.<index>` (someone else's file id included).
 */
export async function ownUploads(deps: LiffApiDeps, userId: string, ids: string[], at = 'photoIds') {
  if (!ids.length) return [];
  const oids = ids.map((id) => new mongo.ObjectId(id));
  // One read by _id per photo (at most five): FerretDB answers `_id: {$in: …}` by reading every file.
  const found = (await Promise.all(oids.map((_id) => filesCollection(deps).findOne({ _id })))).filter((f) => f !== null);
  const byId = new Map(found.map((f) => [String(f._id), f]));
  const errors: FieldError[] = [];
  const out = ids.map((id, i) => {
    const f = byId.get(id);
    if (!f || f.metadata?.uploadedBy !== userId || f.metadata?.source !== 'liff' || f.metadata?.caseId) {
      errors.push(fieldError(`${at}.${i}`, 'unknown_photo'));
      return undefined;
    }
    return { fileId: id, contentType: String(f.metadata.contentType), size: Number(f.length) };
  });
  if (errors.length) throw validationError(errors);
  return out as { fileId: string; contentType: string; size: number }[];
}

/**
 * An officer's "after" photos for closing one case: each must be this officer's upload for this very
 * case (POST /officer/cases/:id/uploads) and not yet on it; a citizen's upload, another officer's, or
 * one made for another case is a field error at `<at>.<index>`.
 */
export async function officerUploads(deps: LiffApiDeps, userId: string, caseId: string, ids: string[], at = 'photoIds') {
  if (!ids.length) return [];
  const found = await Promise.all(ids.map((id) => filesCollection(deps).findOne({ _id: new mongo.ObjectId(id) })));
  const errors: FieldError[] = [];
  const out = ids.map((id, i) => {
    const f = found[i];
    if (!f || f.metadata?.uploadedBy !== userId || f.metadata?.source !== 'liff-officer' || f.metadata?.forCaseId !== caseId || f.metadata?.caseId) {
      errors.push(fieldError(`${at}.${i}`, 'unknown_photo'));
      return undefined;
    }
    return { fileId: id, contentType: String(f.metadata.contentType), size: Number(f.length) };
  });
  if (errors.length) throw validationError(errors);
  return out as { fileId: string; contentType: string; size: number }[];
}

/** Marks uploads as belonging to a case, so they cannot be attached elsewhere. */
export async function claimUploads(deps: LiffApiDeps, fileIds: string[], caseId: string): Promise<void> {
  if (!fileIds.length) return;
  // By _id one at a time, not `$in`: FerretDB would read every stored file for that.
  await Promise.all(fileIds.map((id) => filesCollection(deps).updateOne({ _id: new mongo.ObjectId(id) }, { $set: { 'metadata.caseId': caseId } })));
}

/** GridFS bucket "attachments", shared with the chat's photos (bot/media.ts). */
export function attachmentsBucket(deps: Pick<LiffApiDeps, 'models'>): mongo.GridFSBucket {
  return new mongo.GridFSBucket(deps.models.conn.db!, { bucketName: 'attachments' });
}

/** The type when the form sent one (openCase records its category), else the category alone. */
export function typeOrCategoryOf(body: { problemType?: string; category?: SubjectCategoryCode }): { problemType: string; category?: SubjectCategoryCode } | { category: SubjectCategoryCode } {
  return body.problemType ? { problemType: body.problemType } : { category: body.category! };
}
