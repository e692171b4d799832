import { atVersionOf } from '../../store/guardedUpdate.ts';
import { isOpenStatus, OPEN_STATUSES } from '../../categories.ts';
import type { Lang } from '../../i18n/index.ts';
import type { CaseDoc } from '../../models/index.ts';
import { loadCase, writeCaseChange } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import { forgetFollowing, noteFollowing } from '../following.ts';

export interface JoinCaseProps {
  caseId: string;
  /** The citizen who has the same problem: they follow the case from now on. */
  lineUserId: string;
  lang: Lang;
}

export type JoinResult =
  | { ok: true; case: CaseDoc; /** They already followed it: nothing changed (a second tap, a retried turn). */ already: boolean }
  | { ok: false; reason: 'not_found' | 'not_open' | 'own_case'; case?: CaseDoc };

type Follower = NonNullable<CaseDoc['followers']>[number];

/** The version the guard pins, written as FerretDB matches a case that never had one. */

/**
 * "แจ้งด้วย": a citizen with the same problem follows an open case instead of filing it twice. They
 * get its citizen updates (workers/notify.ts `citizenAudience`), its supporter count rises, and its
 * officers are told the count in a line. Only their LINE id and language are kept on the case: no
 * name, no phone, no words of theirs; the timeline says "one more person reported it" and nothing else.
 *
 * The follower list and the count are written whole, guarded by the version they were computed from:
 * two people joining at the same moment are both counted (the loser reads again and retries).
 */
export async function joinCase(deps: DomainDeps, props: JoinCaseProps): Promise<JoinResult> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await loadCase(deps, props.caseId);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.complainant?.lineUserId === props.lineUserId) return { ok: false, reason: 'own_case', case: current };
    const followers: Follower[] = current.followers ?? [];
    if (followers.some((f) => f.lineUserId === props.lineUserId)) {
      // A retried turn after a crash between the two writes completes the lookup here.
      await noteFollowing(deps.models, props.lineUserId, props.caseId, deps.clock.now());
      return { ok: true, case: current, already: true };
    }
    if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };

    const now = deps.clock.now();
    const supporterCount = (current.supporterCount ?? 1) + 1;
    const event = newEvent('case.joined', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { supporterCount });
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: { ...atVersionOf(current), status: { $in: OPEN_STATUSES } },
      set: { followers: [...followers, { lineUserId: props.lineUserId, lang: props.lang, at: now, via: 'join' }], supporterCount },
      entry: { by: { kind: 'citizen' }, action: 'joined' },
      event,
    });
    if (updated) {
      await noteFollowing(deps.models, props.lineUserId, props.caseId, now);
      return { ok: true, case: updated, already: false };
    }
  }
  const now = await loadCase(deps, props.caseId);
  return now && !isOpenStatus(now.status) ? { ok: false, reason: 'not_open', case: now } : { ok: false, reason: 'not_found' };
}

/**
 * "เลิกติดตาม": the follower stops getting the case's updates. The supporter count keeps them: they
 * did report the problem, and the count is how many people did. Not following it: `not_following`.
 */
export async function unfollowCase(deps: DomainDeps, props: { caseId: string; lineUserId: string }): Promise<{ ok: true; case: CaseDoc } | { ok: false; reason: 'not_following' }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await loadCase(deps, props.caseId);
    const followers: Follower[] = current?.followers ?? [];
    if (!current || !followers.some((f) => f.lineUserId === props.lineUserId)) {
      await forgetFollowing(deps.models, props.lineUserId, props.caseId);
      return { ok: false, reason: 'not_following' };
    }
    const event = newEvent('case.unfollowed', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, deps.clock.now());
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: atVersionOf(current),
      set: { followers: followers.filter((f) => f.lineUserId !== props.lineUserId) },
      entry: { by: { kind: 'citizen' }, action: 'unfollowed' },
      event,
    });
    if (updated) {
      await forgetFollowing(deps.models, props.lineUserId, props.caseId);
      return { ok: true, case: updated };
    }
  }
  return { ok: false, reason: 'not_following' };
}
