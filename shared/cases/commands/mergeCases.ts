import { atVersionOf } from '../../store/guardedUpdate.ts';
import type { OfficerRef } from '../actor.ts';
import { mayActOn } from '../access.ts';
import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { noteFollowing } from '../following.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import type { CaseDoc } from '../../models/index.ts';
import { closureReportFields } from './closeCase.ts';

export interface MergeCasesProps {
  /** The case that closes (the officer may act on it). */
  caseId: string;
  /** The open case it is the same problem as, which carries on (any unit's). */
  targetCaseId: string;
  officer: OfficerRef;
  via?: string;
}

export type MergeCasesReason =
  | 'not_found'
  | 'target_not_found'
  /** Merging a case into itself. */
  | 'same_case'
  /** This case is closed, rejected or already merged elsewhere. */
  | 'not_open'
  /** The target is closed or rejected: nothing would carry the problem on. */
  | 'target_closed'
  /** The target was itself merged into another case: merge into that one instead (no chains). */
  | 'target_merged';

type Follower = { lineUserId: string; lang?: string | null; at?: Date | null; via?: string | null; trackingNo?: string | null };

/**
 * รวมเรื่อง: this case is the same problem as `target`. It closes with `mergedInto` = the target's
 * tracking number and a pointer in its resolution; its complainant and followers become followers of
 * the target (via 'merge'), whose supporter count rises by this case's. Everyone of both cases is told
 * (case.merged, workers/notify.ts) and from then on gets the target's updates. Merging again is a no-op
 * that completes a half-done merge (a crash between the two writes).
 */
export async function mergeCases(deps: DomainDeps, props: MergeCasesProps): Promise<CommandResult<MergeCasesReason>> {
  if (props.caseId === props.targetCaseId) return { ok: false, reason: 'same_case' };
  const by = { kind: 'officer' as const, id: props.officer.id, name: props.officer.name };
  for (let attempt = 0; attempt < 5; attempt++) {
    const src = await loadCase(deps, props.caseId);
    if (!src || !(await mayActOn(deps.models, props.officer, src))) return { ok: false, reason: 'not_found' };
    const target = await loadCase(deps, props.targetCaseId);
    if (!target) return { ok: false, reason: 'target_not_found', case: src };
    if (target.trackingNo === src.trackingNo) return { ok: false, reason: 'same_case', case: src };
    if (src.mergedInto === target.trackingNo) {
      // Done before (or half-done): make sure the target has this case's people.
      const t = await receiveMerge(deps, props.targetCaseId, src, by);
      return t ? { ok: true, case: src } : { ok: false, reason: 'target_closed', case: src };
    }
    if (!isOpenStatus(src.status)) return { ok: false, reason: 'not_open', case: src };
    if (target.mergedInto) return { ok: false, reason: 'target_merged', case: src };
    if (!isOpenStatus(target.status)) return { ok: false, reason: 'target_closed', case: src };

    const closed = await closeAsMerged(deps, src, target, props);
    if (!closed) continue;
    await receiveMerge(deps, props.targetCaseId, closed, by);
    await deps.models.Audit.create({ at: deps.clock.now(), officerId: props.officer.id, caseId: props.caseId, action: 'merge_cases', via: props.via ?? 'liff', page: target.trackingNo });
    return { ok: true, case: closed };
  }
  const now2 = await loadCase(deps, props.caseId);
  return now2 && (await mayActOn(deps.models, props.officer, now2)) ? { ok: false, reason: 'not_open', case: now2 } : { ok: false, reason: 'not_found' };
}

/**
 * The first of merge's two writes: the source closes, pointing at the target, with the `case.merged`
 * event in its outbox. Exported so a test can stop here, as a crash would (completeMerge heals it).
 */
export async function closeAsMerged(deps: DomainDeps, src: CaseDoc, target: CaseDoc, props: MergeCasesProps): Promise<CaseDoc | null> {
  const by = { kind: 'officer' as const, id: props.officer.id, name: props.officer.name };
  const now = deps.clock.now();
  const pointer = `รวมกับเรื่องเลขที่ ${target.trackingNo} (ปัญหาเดียวกัน) / Merged into ${target.trackingNo} (the same problem)`;
  const event = newEvent('case.merged', { caseId: props.caseId, trackingNo: src.trackingNo, unitCode: src.unitCode }, now, {
    targetTrackingNo: target.trackingNo, targetCaseId: props.targetCaseId, officerId: props.officer.id, officerName: props.officer.name,
  });
  return writeCaseChange(deps, props.caseId, {
    // The status it was read at: a close or a merge landing first makes this match nothing.
    guard: { status: src.status, unitCode: src.unitCode, mergedInto: { $exists: false } },
    set: {
      status: 'closed', mergedInto: target.trackingNo, resolution: { kind: 'resolved', text: pointer, at: now },
      relatedCases: [...new Set([...(src.relatedCases ?? []), target.trackingNo])],
      ...closureReportFields(deps, src, now),
    },
    entry: { by, action: 'merged', note: target.trackingNo, fromStatus: src.status, toStatus: 'closed', unitCode: src.unitCode },
    event,
  });
}

/** The people of a merged case as followers of the target (each LINE user once), and its supporters counted there. */
function followersAfterMerge(target: Pick<CaseDoc, 'followers' | 'complainant'>, src: Pick<CaseDoc, 'followers' | 'complainant' | 'trackingNo'>, at: Date): Follower[] {
  const out: Follower[] = [...((target.followers ?? []) as Follower[])];
  const have = new Set([target.complainant?.lineUserId, ...out.map((f) => f.lineUserId)].filter(Boolean));
  const incoming: Follower[] = [
    ...(src.complainant?.lineUserId ? [{ lineUserId: src.complainant.lineUserId, lang: src.complainant.lang ?? 'th' }] : []),
    ...((src.followers ?? []) as Follower[]).map((f) => ({ lineUserId: f.lineUserId, lang: f.lang ?? 'th' })),
  ];
  for (const f of incoming) {
    if (have.has(f.lineUserId)) continue;
    have.add(f.lineUserId);
    out.push({ lineUserId: f.lineUserId, lang: f.lang, at, via: 'merge', trackingNo: src.trackingNo });
  }
  return out;
}

/**
 * The target's half again, from the `case.merged` event (workers/notify.ts runs it before telling
 * anyone): merge is two writes, and a process that dies between them leaves the source closed and
 * the target without its people. The event is in the source's outbox from the first write on, so its
 * consumer always comes, and this makes the target whole (a no-op when the command got there first).
 * Null when there is nothing to complete (not merged into that case, or the target no longer open).
 */
export async function completeMerge(deps: DomainDeps, src: CaseDoc, event: { data: Record<string, unknown> }): Promise<CaseDoc | null> {
  const targetId = typeof event.data.targetCaseId === 'string' ? event.data.targetCaseId : '';
  if (!src.mergedInto || src.mergedInto !== event.data.targetTrackingNo || !/^[0-9a-f]{24}$/.test(targetId)) return null;
  const by = { kind: 'officer' as const, id: String(event.data.officerId ?? ''), name: String(event.data.officerName ?? '') };
  return receiveMerge(deps, targetId, src, by);
}

/** The target's half: followers, supporter count, the link back, a timeline entry. Null if the target is no longer open. */
async function receiveMerge(deps: DomainDeps, targetId: string, src: CaseDoc, by: { kind: 'officer'; id: string; name: string }): Promise<CaseDoc | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const target = await loadCase(deps, targetId);
    if (!target || !isOpenStatus(target.status)) return null;
    if ((target.relatedCases ?? []).includes(src.trackingNo) && target.timeline.some((e) => e.action === 'merged_in' && e.note === src.trackingNo)) return target;
    const now = deps.clock.now();
    const followers = followersAfterMerge(target, src, now);
    const event = newEvent('case.merge_received', { caseId: targetId, trackingNo: target.trackingNo, unitCode: target.unitCode }, now, { sourceTrackingNo: src.trackingNo, officerId: by.id });
    const updated = await writeCaseChange(deps, targetId, {
      guard: { ...atVersionOf(target), status: target.status },
      set: {
        followers,
        // Everyone who reported it there (its complainant and its followers) now counts here.
        supporterCount: (target.supporterCount ?? 1) + (src.supporterCount ?? 1),
        relatedCases: [...new Set([...(target.relatedCases ?? []), src.trackingNo])],
      },
      entry: { by, action: 'merged_in', note: src.trackingNo, unitCode: target.unitCode },
      event,
    });
    if (updated) {
      // The lookup behind each newcomer's "my cases" (shared/cases/following.ts).
      for (const f of followers) if (f.via === 'merge' && f.trackingNo === src.trackingNo) await noteFollowing(deps.models, f.lineUserId, targetId, now);
      return updated;
    }
  }
  return null;
}
