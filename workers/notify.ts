import type { Logger } from '../shared/logger.ts';
import type { CaseEvent } from '../shared/cases/events.ts';
import { parentUnitCode } from '../shared/cases/routing.ts';
import { copy, type Lang } from '../shared/i18n/index.ts';
import { th } from '../shared/i18n/th.ts';
import type { LineClient } from '../shared/line/client.ts';
import type { CaseDoc, Models } from '../shared/models/index.ts';
import { ackDueAt } from '../shared/sla/policy.ts';
import { MINISTRY_UNIT_CODE } from '../shared/units/catalog.ts';
import { caseAlertCard } from './messages/caseAlert.ts';

export interface NotifyDeps {
  models: Models;
  line: LineClient;
  log: Logger;
}

/**
 * Officers to alert for a unit. If nobody there has registered yet, the alert goes up the ladder
 * rather than into the void — a case nobody hears about is a lost case.
 */
async function recipientsFor(models: Models, unitCode: string): Promise<{ unitCode: string; lineUserIds: string[] }> {
  let code = unitCode;
  for (let hops = 0; hops < 4; hops++) {
    const officers = await models.Officer.find({ unitCode: code, active: true, role: { $in: ['officer', 'head'] } }, { lineUserId: 1 }).lean();
    if (officers.length) return { unitCode: code, lineUserIds: officers.map((o) => o.lineUserId) };
    if (code === MINISTRY_UNIT_CODE) break;
    code = parentUnitCode(code);
  }
  return { unitCode: code, lineUserIds: [] };
}

/**
 * Tells people what happened to a case. Each LINE call carries a retry key seeded by the event id,
 * so a job that crashed half-way and runs again delivers nothing twice.
 */
export async function processDomainEvent(deps: NotifyDeps, event: CaseEvent): Promise<void> {
  const c = await deps.models.Case.findById(event.caseId).lean<CaseDoc>();
  if (!c) return;
  if (event.type === 'case.opened') {
    const to = await recipientsFor(deps.models, c.unitCode);
    if (!to.lineUserIds.length) {
      deps.log.warn({ case: c.trackingNo, unit: c.unitCode }, 'no registered officer anywhere up the ladder');
      return;
    }
    let note: string | undefined;
    if (to.unitCode !== c.unitCode) {
      const unit = await deps.models.Unit.findById(c.unitCode).lean();
      note = th.escalatedNoOfficer(unit?.nameTh ?? c.unitCode);
    }
    const card = caseAlertCard(c, { ackDueAt: ackDueAt(c.channel, c.createdAt as Date), note });
    await deps.line.multicast(to.lineUserIds, [card], `${event.id}:officers`);
    return;
  }
  if (event.type === 'case.assigned') {
    const officerName = String(event.data.officerName ?? '');
    const officerId = String(event.data.officerId ?? '');
    const officers = await deps.models.Officer.find({ unitCode: c.unitCode, active: true }, { lineUserId: 1 }).lean();
    const others = officers.filter((o) => String(o._id) !== officerId).map((o) => o.lineUserId);
    if (others.length) await deps.line.multicast(others, [{ type: 'text', text: th.takenNotice(c.trackingNo, officerName) }], `${event.id}:others`);
    if (c.complainant?.lineUserId) {
      const t = copy((c.complainant.lang as Lang) ?? 'th');
      await deps.line.push(c.complainant.lineUserId, [{ type: 'text', text: t.caseAssignedToCitizen(c.trackingNo) }], `${event.id}:citizen`);
    }
  }
}
