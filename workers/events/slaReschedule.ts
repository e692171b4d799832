/** Whatever happened to a case may move its SLA deadlines or end them: its wake-up is planned again. */
import type { Queue } from 'bullmq';
import type { SlaDeps } from '../sla/run.ts';
import { scheduleCaseById, type SlaJob } from '../sla/worker.ts';
import type { EventConsumerDef } from './consumer.ts';

export function slaRescheduleConsumer(deps: SlaDeps, queue: Queue<SlaJob>): EventConsumerDef {
  return { name: 'sla', handle: (event) => scheduleCaseById(deps, queue, event.caseId) };
}
