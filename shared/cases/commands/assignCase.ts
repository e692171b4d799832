import type { CaseDoc } from '../../models/index.ts';
import { newEvent } from '../events.ts';
import { finishCaseWrite, markRelatedChange, type CommandResult } from '../caseUpdate.ts';
import { updateCaseGuarded } from '../../store/guardedUpdate.ts';
import { countsChangeOf, type CaseLike } from '../../reports/counters.ts';
import { toStored } from '../publish.ts';
import type { DomainDeps } from '../deps.ts';
import type { OfficerRef } from '../actor.ts';
import { isSupervisorRole, mayActOn } from '../access.ts';
import { isOpenStatus } from '../../categories.ts';
import { loadCase, writeCaseChange } from '../caseUpdate.ts';
import { takeOverCase } from './takeOverCase.ts';

export interface AssignCaseProps {
  caseId: string;
  /** The officer taking the case: of the case's unit, or a supervisor above it (the case then moves to their unit). */
  officer: OfficerRef;
}

export type AssignCaseResult =
  | { ok: true; case: CaseDoc }
  | { ok: false; reason: 'not_found' | 'wrong_unit' | 'taken' | 'not_open'; case?: CaseDoc };

/**
 * รับเรื่อง: the first officer of the unit to press the button gets the case. The guarded update
 * (version claim + condition, shared/store/guardedUpdate.ts) makes two officers pressing at once safe without a
 * transaction, on FerretDB too.
 */
export async function assignCase(deps: DomainDeps, props: AssignCaseProps): Promise<AssignCaseResult> {
  const { models, clock } = deps;
  if (!/^[0-9a-f]{24}$/.test(props.caseId)) return { ok: false, reason: 'not_found' };
  const current = await models.Case.findById(props.caseId).lean<CaseDoc>();
  if (!current) return { ok: false, reason: 'not_found' };
  if (!(await mayActOn(models, props.officer, current))) return { ok: false, reason: 'wrong_unit' };
  if (current.unitCode !== props.officer.unitCode) {
    // A supervisor pressing รับเรื่อง on a case of a unit below (an escalated or unowned one) takes it over.
    if (current.assignee?.officerId) return { ok: false, reason: 'taken', case: current };
    const r = await takeOverCase(deps, { caseId: props.caseId, officer: props.officer, reason: '' });
    if (r.ok) return { ok: true, case: r.case };
    return { ok: false, reason: r.reason === 'not_open' ? 'not_open' : r.reason === 'not_found' ? 'not_found' : 'wrong_unit', case: r.case };
  }
  if (current.assignee?.officerId) return { ok: false, reason: 'taken', case: current };
  if (!['received', 'forwarded'].includes(current.status)) return { ok: false, reason: 'not_open', case: current };

  const now = clock.now();
  const event = newEvent('case.assigned', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, {
    officerId: props.officer.id, officerName: props.officer.name,
  });
  markRelatedChange(event, ['status']);
  const updated = await updateCaseGuarded(
    models,
    props.caseId,
    { unitCode: props.officer.unitCode, status: current.status, 'assignee.officerId': null },
    (cur) => {
      // The status change moves the case in the case list's totals (report counters, `z` keys).
      const counts = countsChangeOf(cur as CaseLike, { ...(cur as CaseLike), status: 'assigned' }, deps.sla?.calendar);
      if (counts) event.data.counts = counts;
      else delete event.data.counts;
      return {
      $set: { status: 'assigned', assignee: { officerId: props.officer.id, name: props.officer.name }, hasOutbox: true },
      $push: {
        timeline: { at: now, by: { kind: 'officer', id: props.officer.id, name: props.officer.name }, action: 'assigned', fromStatus: current.status, toStatus: 'assigned', unitCode: current.unitCode, eventId: event.id },
        pendingEvents: toStored(event),
      },
      };
    },
  );
  if (!updated) {
    const now2 = await models.Case.findById(props.caseId).lean<CaseDoc>();
    return { ok: false, reason: 'taken', case: now2 ?? undefined };
  }
  await finishCaseWrite(deps, props.caseId, updated, event);
  return { ok: true, case: updated };
}

export interface AssignCaseToOfficerProps {
  caseId: string;
  /** The supervisor handing the case out. */
  by: OfficerRef;
  /** An active officer of the unit holding the case, or of the supervisor's own unit (the case then moves there). */
  officerId: string;
}

export type AssignToOfficerReason = 'not_found' | 'not_open' | 'not_supervisor' | 'unknown_officer';

/**
 * มอบหมายเรื่อง: a supervisor names who works a case of their unit or of a unit below. The named officer
 * gets a LINE alert (workers/notify.ts); a case already taken is handed over to them.
 */
export async function assignCaseToOfficer(deps: DomainDeps, props: AssignCaseToOfficerProps): Promise<CommandResult<AssignToOfficerReason>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await loadCase(deps, props.caseId);
    if (!current || !(await mayActOn(deps.models, props.by, current))) return { ok: false, reason: 'not_found' };
    if (!isSupervisorRole(props.by.role)) return { ok: false, reason: 'not_supervisor', case: current };
    if (!isOpenStatus(current.status)) return { ok: false, reason: 'not_open', case: current };
    const target = /^[0-9a-f]{24}$/.test(props.officerId) ? await deps.models.Officer.findOne({ _id: props.officerId, active: true }).lean() : null;
    if (!target || ![current.unitCode, props.by.unitCode].includes(target.unitCode)) return { ok: false, reason: 'unknown_officer', case: current };
    const assignee = { id: String(target._id), name: target.name || '-' };
    if (target.unitCode !== current.unitCode) {
      const r = await takeOverCase(deps, { caseId: props.caseId, officer: props.by, reason: '', assignee });
      if (r.ok || r.reason === 'not_found' || r.reason === 'not_open') return r as CommandResult<AssignToOfficerReason>;
      return { ok: false, reason: 'not_open', case: r.case };
    }
    const now = deps.clock.now();
    const status = ['received', 'forwarded'].includes(current.status) ? 'assigned' : current.status;
    const event = newEvent('case.assigned', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, {
      officerId: assignee.id, officerName: assignee.name, assignedById: props.by.id, assignedByName: props.by.name,
    });
    const updated = await writeCaseChange(deps, props.caseId, {
      guard: { unitCode: current.unitCode, status: current.status },
      set: { status, assignee: { officerId: assignee.id, name: assignee.name } },
      entry: {
        by: { kind: 'officer', id: props.by.id, name: props.by.name }, action: 'assigned', note: assignee.name,
        fromStatus: current.status, toStatus: status, unitCode: current.unitCode,
      },
      event,
    });
    if (updated) return { ok: true, case: updated };
  }
  return { ok: false, reason: 'not_open', case: (await loadCase(deps, props.caseId)) ?? undefined };
}
