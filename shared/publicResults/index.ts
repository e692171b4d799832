/**
 * What of a closed case the public may see (the figures page, figures/): the officer-approved result
 * summary and one "after" photo of a place-bound problem, never the complainant's words, photos,
 * name or tracking number. The rules live here because both the close command (which records the
 * approval) and the public page (which reads it) apply them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { subjectCategory } from '../categories.ts';
import { PROBLEM_TYPE_CODES } from '../problems/types.ts';
import { redactText } from '../privacy/redact.ts';

interface DisclosureLists { placeBound: string[]; districtOnly: string[] }
interface PublicFiguresConfig { placeBoundProblemTypes: string[] }

const disclosure = JSON.parse(readFileSync(new URL('../../config/partner-disclosure.json', import.meta.url), 'utf8')) as DisclosureLists;

export function parsePublicFiguresConfig(raw: unknown): PublicFiguresConfig {
  const list = (raw as Partial<PublicFiguresConfig> | null)?.placeBoundProblemTypes;
  if (!Array.isArray(list)) throw new Error('config/public-figures.json: placeBoundProblemTypes must be a list of problem type codes');
  const bad = list.filter((c) => !PROBLEM_TYPE_CODES.includes(c));
  if (bad.length) throw new Error(`config/public-figures.json: unknown problem types ${bad.join(', ')}; known: ${PROBLEM_TYPE_CODES.join(', ')}`);
  return { placeBoundProblemTypes: list };
}

export const PUBLIC_FIGURES_CONFIG = parsePublicFiguresConfig(JSON.parse(readFileSync(new URL('../../config/public-figures.json', import.meta.url), 'utf8')));

/** Photo types the public route serves: it can strip their metadata (figures/strip.ts); HEIC and WebP are not published. */
export const PUBLIC_PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;

export interface PublishableFacts {
  category: string;
  problemType?: string | null;
  concernedUnitCode?: string | null;
  mergedInto?: string | null;
  complainant?: { anonymous?: boolean | null } | null;
}

/**
 * Why a case's result may not be published, or null when it may. Anonymous cases, cases about
 * officials and problems between people stay out: where and what could point to who complained.
 */
export function publishRefusal(c: PublishableFacts): 'not_place_bound' | 'sensitive' | 'merged' | null {
  if (c.mergedInto) return 'merged';
  if (c.complainant?.anonymous || c.concernedUnitCode || subjectCategory(c.category)?.againstOfficials || disclosure.districtOnly.includes(c.category)) return 'sensitive';
  const placeBound = disclosure.placeBound.includes(c.category) || (!!c.problemType && PUBLIC_FIGURES_CONFIG.placeBoundProblemTypes.includes(c.problemType));
  return placeBound ? null : 'not_place_bound';
}

/** Whether a case's approved result may be on the public page now: closed as resolved, and not refused (reopened, merged or made sensitive since, it leaves the page). */
export function isShownPublicly(c: PublishableFacts & { status: string; resolution?: { kind?: string | null } | null }): boolean {
  return c.status === 'closed' && c.resolution?.kind === 'resolved' && !publishRefusal(c);
}

/** The case fields of a published result, all cleared together when it is withdrawn. */
export const PUBLIC_RESULT_FIELDS = ['publicResult', 'publicSlug', 'publicMonth'] as const;

/**
 * The fields an officer's approval writes: the redacted summary, the first publishable "after" photo,
 * the month it counts under, and a new handle every time (links to a withdrawn result stay dead).
 */
export function approvedResult(officer: { id: string; name: string }, summary: string, photo: unknown, now: Date, month: number): Record<string, unknown> {
  return {
    publicResult: { approvedAt: now, by: { id: officer.id, name: officer.name }, summary: publicSummaryOf(summary), ...(photo ? { photoFileId: photo } : {}) },
    publicSlug: newPublicSlug(),
    publicMonth: month,
  };
}

/** The public text: the officer's words with ID numbers, phones, e-mails, LINE ids and bank accounts replaced by markers. */
export function publicSummaryOf(text: string): string {
  return redactText(text.trim()).slice(0, 2000);
}

/** An unguessable handle for the public page and photo URL (a tracking number would lead back to the case). */
export function newPublicSlug(): string {
  return randomBytes(16).toString('base64url');
}

/** The first "after" photo the public route can serve cleanly, if any. */
export function publicPhotoOf(attachments: readonly { fileId: unknown; contentType?: string | null; kind?: string | null }[] | null | undefined): unknown {
  return (attachments ?? []).find((a) => a.kind === 'after' && (PUBLIC_PHOTO_TYPES as readonly string[]).includes(a.contentType ?? ''))?.fileId;
}

/**
 * The public page is cached in Redis (figures/cache.ts) under a generation: an approval or a
 * withdrawal bumps it, so a withdrawn result leaves the page at once rather than at expiry.
 */
export function figuresGenerationKey(prefix: string): string {
  return `${prefix}:figures:gen`;
}

export async function forgetPublicFigures(redis: Pick<Redis, 'incr'>, prefix: string): Promise<void> {
  await redis.incr(figuresGenerationKey(prefix));
}
