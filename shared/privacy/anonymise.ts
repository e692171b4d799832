/**
 * Anonymising a case: the complainant's personal data goes, the case stays in the official tables
 * (tracking number, category, channel, area codes, status, dates, SLA and report fields are kept).
 * Used when a citizen withdraws consent / asks deletion (chat and LIFF "ข้อมูลของฉัน") and by the
 * retention run for cases closed long ago (shared/privacy/retention.ts). docs/privacy.md says what
 * is removed and what stays.
 */
import { atVersionOf } from '../store/guardedUpdate.ts';
import { isOpenStatus } from '../categories.ts';
import type { Actor } from '../cases/actor.ts';
import { loadCase, writeCaseChange } from '../cases/caseUpdate.ts';
import { citizenCases, followedCases } from '../cases/citizenCases.ts';
import { unfollowCase } from '../cases/commands/joinCase.ts';
import { forgetFollowing } from '../cases/following.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { newEvent } from '../cases/events.ts';
import type { CaseDoc, TimelineEntry } from '../models/index.ts';
import { updateCaseGuarded } from '../store/guardedUpdate.ts';
import { deleteFiles } from './files.ts';
import { redactText } from './redact.ts';

/** Put before the complainant's own words once they have gone through the redaction. */
export const ANONYMISED_MARK = '[ปกปิดข้อมูลส่วนบุคคล / personal data removed]';
const DESCRIPTION_MAX = 5000;

export type AnonymiseReason = 'request' | 'retention';

export interface Anonymisation {
  set: Record<string, unknown>;
  unset: string[];
  /** GridFS files of the complainant's photos (officers' "after" photos stay). */
  deleteFileIds: string[];
}

const marked = (text: string) => {
  const t = `${ANONYMISED_MARK} ${redactText(text)}`;
  return t.length > DESCRIPTION_MAX ? t.slice(0, DESCRIPTION_MAX) : t;
};

/**
 * What anonymising does to the case fields (everything but the timeline, see `cleanTimeline`). Pure:
 * tests/unit/anonymise.test.ts checks it field by field.
 */
export function anonymisationOf(c: CaseDoc, now: Date): Anonymisation {
  const set: Record<string, unknown> = { anonymisedAt: now };
  const unset = ['complainant.name', 'complainant.phone', 'complainant.lineUserId', 'location.address', 'location.lat', 'location.lng'];
  if (c.description && !c.description.startsWith(ANONYMISED_MARK)) set.description = marked(c.description);
  const mine = (c.attachments ?? []).filter((a) => a.kind !== 'after');
  if (mine.length) set.attachments = (c.attachments ?? []).filter((a) => a.kind === 'after');
  if (c.survey?.comment) set['survey.comment'] = redactText(c.survey.comment);
  if (c.resolution?.text) set['resolution.text'] = redactText(c.resolution.text);
  if (c.reopens?.length) set.reopens = c.reopens.map((r) => ({ ...r, ...(r.reason ? { reason: redactText(r.reason) } : {}) }));
  if (c.imported?.subject) set['imported.subject'] = redactText(c.imported.subject);
  // People who joined a closed case have nothing more to hear of it: their LINE ids go too. While it
  // is open they keep following (the complainant's erasure is theirs, not the followers').
  if (c.followers?.length && !isOpenStatus(c.status)) set.followers = [];
  return { set, unset, deleteFileIds: mine.map((a) => String(a.fileId)) };
}

/** The timeline without the complainant's LINE id and name, notes redacted. */
export function cleanTimeline(timeline: CaseDoc['timeline']): TimelineEntry[] {
  return (timeline as TimelineEntry[]).map((e) => {
    const by = e.by.kind === 'citizen' ? { kind: 'citizen' as const } : e.by;
    return { ...e, by, ...(e.note ? { note: redactText(e.note) } : {}) };
  });
}

const hasPersonal = (e: CaseDoc['timeline'][number]) => e.by.kind === 'citizen' && (e.by.id || e.by.name);

export interface AnonymiseResult { ok: boolean; trackingNo?: string; wasOpen?: boolean; photosDeleted: number; already?: boolean }

/**
 * Anonymises one case through the version-claimed write, with a timeline entry 'anonymised' (no
 * personal data in it) and the event 'case.anonymised' (its unit is told in LINE while the case is
 * open). Safe to repeat: a second run finishes what a crash left (timeline, files) and adds nothing.
 */
export async function anonymiseCase(deps: DomainDeps, caseId: string, opts: { reason: AnonymiseReason; by?: Actor }): Promise<AnonymiseResult> {
  let result: AnonymiseResult | undefined;
  for (let attempt = 0; attempt < 5 && !result; attempt++) {
    const cur = await loadCase(deps, caseId);
    if (!cur) return { ok: false, photosDeleted: 0 };
    if (cur.anonymisedAt) {
      result = { ok: true, trackingNo: cur.trackingNo, wasOpen: isOpenStatus(cur.status), photosDeleted: 0, already: true };
      break;
    }
    const now = deps.clock.now();
    const a = anonymisationOf(cur, now);
    const wasOpen = isOpenStatus(cur.status);
    const event = newEvent('case.anonymised', { caseId, trackingNo: cur.trackingNo, unitCode: cur.unitCode }, now, { open: wasOpen, reason: opts.reason });
    const updated = await writeCaseChange(deps, caseId, {
      // The fields above were computed from this version: anything newer is read again.
      guard: atVersionOf(cur),
      set: a.set,
      unset: a.unset,
      entry: { by: opts.by ?? { kind: 'system' }, action: 'anonymised', note: opts.reason === 'request' ? 'ผู้ร้องขอลบข้อมูลส่วนบุคคล / the complainant asked deletion' : 'ครบระยะเวลาเก็บรักษาข้อมูล / retention period over' },
      event,
    });
    if (!updated) continue;
    if (a.set.followers) for (const f of cur.followers ?? []) await forgetFollowing(deps.models, f.lineUserId, caseId);
    // Files after the case no longer points at them: a crash in between leaves orphans the retention run does not see, never a broken link.
    result = { ok: true, trackingNo: cur.trackingNo, wasOpen, photosDeleted: await deleteFiles(deps.models, a.deleteFileIds) };
  }
  if (!result) return { ok: false, photosDeleted: 0 };
  const now = await loadCase(deps, caseId);
  if (now && now.timeline.some(hasPersonal)) {
    await updateCaseGuarded(deps.models, caseId, {}, (c) => ({ $set: { timeline: cleanTimeline(c.timeline) } }));
  }
  return result;
}

export interface ErasureResult { cases: { trackingNo: string; wasOpen: boolean }[]; photosDeleted: number; conversationDeleted: boolean; /** Cases they had joined ("แจ้งด้วย") and no longer follow. */ unfollowed?: number }

/**
 * A citizen's "delete my data": every case of theirs anonymised, and the bot's record of them (the
 * draft in progress with its photos, display name, language) deleted.
 */
export async function eraseCitizen(deps: DomainDeps, lineUserId: string): Promise<ErasureResult> {
  const mine = await citizenCases<{ _id: unknown }>(deps.models, lineUserId, { _id: 1 }, 10_000);
  const out: ErasureResult = { cases: [], photosDeleted: 0, conversationDeleted: false };
  for (const c of mine) {
    const r = await anonymiseCase(deps, String(c._id), { reason: 'request', by: { kind: 'citizen' } });
    if (r.ok && r.trackingNo) out.cases.push({ trackingNo: r.trackingNo, wasOpen: !!r.wasOpen });
    out.photosDeleted += r.photosDeleted;
  }
  // Cases they joined: off the follower list (the supporter count keeps them, as a number).
  out.unfollowed = 0;
  for (const c of await followedCases<{ _id: unknown }>(deps.models, lineUserId, { _id: 1 }, 10_000)) {
    if ((await unfollowCase(deps, { caseId: String(c._id), lineUserId })).ok) out.unfollowed++;
  }
  await forgetFollowing(deps.models, lineUserId);
  const conv = await deps.models.Conversation.findById(lineUserId, { draft: 1 }).lean();
  if (conv) {
    out.photosDeleted += await deleteFiles(deps.models, draftPhotoIds(conv.draft));
    out.conversationDeleted = (await deps.models.Conversation.deleteOne({ _id: lineUserId })).deletedCount > 0;
  }
  return out;
}

/** The photo files a chat draft holds (the complaint's and an answer's awaiting its case). */
export function draftPhotoIds(draft: unknown): string[] {
  const d = (draft ?? {}) as { photos?: { fileId?: unknown }[]; pendingInfo?: { photos?: { fileId?: unknown }[] } };
  return [...(d.photos ?? []), ...(d.pendingInfo?.photos ?? [])].map((p) => String(p?.fileId ?? '')).filter(Boolean);
}
