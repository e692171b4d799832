/**
 * Partner webhooks, fan-out step: one delivery job per subscription that wants the event (the
 * exchange decides who may see which case, so app/ hands its fan-out in; delivered by
 * workers/partnerWebhooks.ts with its own retries). Needs no LINE, so a LINE outage does not hold
 * partners back.
 */
import type { Queue } from 'bullmq';
import type { CaseEvent } from '../../shared/cases/events.ts';
import type { Models } from '../../shared/models/index.ts';
import type { PartnerWebhookJob } from '../../shared/queues.ts';
import type { EventConsumerDef } from './consumer.ts';

export interface PartnerFanOutDeps { models: Models; queue: Queue<PartnerWebhookJob>; backoffMs?: number }
/** Queues the deliveries one domain event owes partners; returns how many. */
export type PartnerFanOut = (deps: PartnerFanOutDeps, event: CaseEvent) => Promise<number>;

export function partnerWebhooksConsumer(fanOut: PartnerFanOut, deps: PartnerFanOutDeps): EventConsumerDef {
  return { name: 'partners', handle: async (event) => { await fanOut(deps, event); } };
}
