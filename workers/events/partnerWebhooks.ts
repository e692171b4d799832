/**
 * Partner webhooks, fan-out step: one delivery job per subscription that wants the event
 * (exchange/webhooks.ts; delivered by workers/partnerWebhooks.ts with its own retries). Needs no
 * LINE, so a LINE outage does not hold partners back.
 */
import type { Queue } from 'bullmq';
import { fanOutPartnerEvent } from '../../exchange/webhooks.ts';
import type { Models } from '../../shared/models/index.ts';
import type { PartnerWebhookJob } from '../../shared/queues.ts';
import type { EventConsumerDef } from './consumer.ts';

export function partnerWebhooksConsumer(deps: { models: Models; queue: Queue<PartnerWebhookJob>; backoffMs?: number }): EventConsumerDef {
  return { name: 'partners', handle: async (event) => { await fanOutPartnerEvent(deps, event); } };
}
