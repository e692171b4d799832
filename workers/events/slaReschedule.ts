/**
 * Whatever happened to a case may move its SLA deadlines, answer the complainant or end them: every
 * domain event re-plans its wake-up (one of the triggers listed in workers/sla/schedule.ts).
 */
import type { Queue } from 'bullmq';
import type { SlaDeps } from '../sla/run.ts';
import { replanCase, type SlaJob } from '../sla/schedule.ts';
import type { EventConsumerDef } from './consumer.ts';

export function slaRescheduleConsumer(deps: SlaDeps, queue: Queue<SlaJob>): EventConsumerDef {
  return { name: 'sla', handle: async (event) => { await replanCase(deps, queue, event.caseId); } };
}
