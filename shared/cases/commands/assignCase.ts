import type { CaseDoc } from '../../models/index.ts';
import { newEvent } from '../events.ts';
import { countEvent, updateCaseGuarded } from '../caseUpdate.ts';
import { countsChangeOf, type CaseLike } from '../../reports/counters.ts';
import { publishEvents, toStored } from '../publish.ts';
import type { DomainDeps } from './openCase.ts';

export interface AssignCaseProps {
  caseId: string;
  /** The officer taking the case; must belong to the case's unit. */
  officer: { id: string; name: string; unitCode: string };
}

export type AssignCaseResult =
  | { ok: true; case: CaseDoc }
  | { ok: false; reason: 'not_found' | 'wrong_unit' | 'taken' | 'not_open'; case?: CaseDoc };

/**
 * รับเรื่อง: the first officer of the unit to press the button gets the case. The guarded update
 * (version claim + condition, caseUpdate.ts) makes two officers pressing at once safe without a
 * transaction, on FerretDB too.
 */
export async function assignCase(deps: DomainDeps, props: AssignCaseProps): Promise<AssignCaseResult> {
  const { models, clock } = deps;
  if (!/^[0-9a-f]{24}$/.test(props.caseId)) return { ok: false, reason: 'not_found' };
  const current = await models.Case.findById(props.caseId).lean<CaseDoc>();
  if (!current) return { ok: false, reason: 'not_found' };
  if (current.unitCode !== props.officer.unitCode) return { ok: false, reason: 'wrong_unit' };
  if (current.assignee?.officerId) return { ok: false, reason: 'taken', case: current };
  if (!['received', 'forwarded'].includes(current.status)) return { ok: false, reason: 'not_open', case: current };

  const now = clock.now();
  const event = newEvent('case.assigned', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, {
    officerId: props.officer.id, officerName: props.officer.name,
  });
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
  if (deps.countInline !== false) await countEvent(models, event);
  await publishEvents(deps.publish, [event]);
  return { ok: true, case: updated };
}
