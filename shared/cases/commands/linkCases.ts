import { atVersionOf } from '../../store/guardedUpdate.ts';
import type { OfficerRef } from '../actor.ts';
import { mayActOn } from '../access.ts';
import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';
import type { CaseDoc } from '../../models/index.ts';

export interface LinkCasesProps {
  /** The officer's own case (they may act on it). */
  caseId: string;
  /** The case it is related to: any case, of any unit (an officer may only see its public summary). */
  otherCaseId: string;
  officer: OfficerRef;
  /** How the officer came to it (audit). */
  via?: string;
}

export type LinkCasesReason = 'not_found' | 'other_not_found' | 'same_case';

/**
 * เชื่อมโยงเรื่อง: marks two cases as the same or a related problem. Both list each other in
 * `relatedCases` and get a timeline entry, so whoever works on either sees the other. Linking again is
 * a no-op; a half-done link (a crash between the two writes) is completed by linking again.
 */
export async function linkCases(deps: DomainDeps, props: LinkCasesProps): Promise<CommandResult<LinkCasesReason>> {
  if (props.caseId === props.otherCaseId) return { ok: false, reason: 'same_case' };
  const first = await loadCase(deps, props.caseId);
  if (!first || !(await mayActOn(deps.models, props.officer, first))) return { ok: false, reason: 'not_found' };
  const other = await loadCase(deps, props.otherCaseId);
  if (!other) return { ok: false, reason: 'other_not_found', case: first };
  if (first.trackingNo === other.trackingNo) return { ok: false, reason: 'same_case', case: first };
  const by = { kind: 'officer' as const, id: props.officer.id, name: props.officer.name };

  const mine = await addLink(deps, props.caseId, other.trackingNo, by);
  if (!mine) return { ok: false, reason: 'not_found' };
  await addLink(deps, props.otherCaseId, first.trackingNo, by);
  await deps.models.Audit.create({ at: deps.clock.now(), officerId: props.officer.id, caseId: props.caseId, action: 'link_cases', via: props.via ?? 'liff', page: other.trackingNo });
  return { ok: true, case: mine };
}

/** Adds `trackingNo` to the case's `relatedCases` (with its timeline entry), unless already there. */
async function addLink(deps: DomainDeps, caseId: string, trackingNo: string, by: { kind: 'officer'; id: string; name: string }): Promise<CaseDoc | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await loadCase(deps, caseId);
    if (!cur) return null;
    if ((cur.relatedCases ?? []).includes(trackingNo)) return cur;
    const now = deps.clock.now();
    const event = newEvent('case.linked', { caseId, trackingNo: cur.trackingNo, unitCode: cur.unitCode }, now, { otherTrackingNo: trackingNo, officerId: by.id });
    // The version it was read at: another link landing first changes the list this write extends.
    const updated = await writeCaseChange(deps, caseId, {
      guard: atVersionOf(cur),
      set: { relatedCases: [...(cur.relatedCases ?? []), trackingNo] },
      entry: { by, action: 'linked', note: trackingNo, unitCode: cur.unitCode },
      event,
    });
    if (updated) return updated;
  }
  return null;
}
