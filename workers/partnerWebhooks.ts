/**
 * Delivers partner webhooks (the exchange's fan-out queues them): POST the fixed body, signed with the
 * subscription's secret at send time, to its URL. Anything but a 2xx answer fails the job and
 * BullMQ retries it with exponential backoff; redirects are not followed.
 */
import { Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { exchangeModels } from '../shared/partners/models.ts';
import { SIGNATURE_HEADER, signBody } from '../shared/partners/signing.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Models } from '../shared/models/index.ts';
import { QUEUE_NAMES, type PartnerWebhookJob } from '../shared/queues.ts';

export const DELIVERY_TIMEOUT_MS = 10_000;

export interface PartnerWebhookDeps {
  models: Models;
  clock: Clock;
  log: Logger;
}

export type DeliveryOutcome = 'delivered' | 'skipped';

/** One delivery attempt; throws (→ retry) unless the receiver answered 2xx. */
export async function deliverPartnerWebhook(deps: PartnerWebhookDeps, job: PartnerWebhookJob): Promise<DeliveryOutcome> {
  const { WebhookSubscription, ApiKey } = exchangeModels(deps.models.conn);
  const sub = await WebhookSubscription.findById(job.subscriptionId).lean();
  // Removed, paused, or its key revoked since the event: nothing is owed any more.
  if (!sub || sub.active === false) return 'skipped';
  const key = await ApiKey.findById(sub.apiKeyId, { revokedAt: 1 }).lean();
  if (!key || key.revokedAt) return 'skipped';
  const url = new URL(sub.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'skipped';
  const t = Math.floor(deps.clock.now().getTime() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Rongrian-Webhooks/1.0',
      [SIGNATURE_HEADER]: signBody(sub.secret, job.body, t),
      'X-Rongrian-Event': job.type,
      'X-Rongrian-Delivery': job.eventId,
    },
    body: job.body,
  });
  // The answer's body is of no use to us; drain it so the connection is freed.
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status > 299) throw new Error(`partner webhook answered HTTP ${res.status}`);
  return 'delivered';
}

export function startPartnerWebhookWorker(deps: PartnerWebhookDeps, opts: { connection: Redis; prefix: string; concurrency?: number }): Worker<PartnerWebhookJob> {
  const worker = new Worker<PartnerWebhookJob>(
    QUEUE_NAMES.partnerWebhooks,
    async (job) => deliverPartnerWebhook(deps, job.data),
    { connection: opts.connection as ConnectionOptions, prefix: opts.prefix, concurrency: opts.concurrency ?? 4 },
  );
  // The URL is the partner's; the secret and body are never logged.
  worker.on('failed', (job, err) => deps.log.warn({ queue: QUEUE_NAMES.partnerWebhooks, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'partner webhook delivery failed'));
  worker.on('error', (err) => deps.log.error({ queue: QUEUE_NAMES.partnerWebhooks, err: err.message }, 'partner webhook worker error'));
  return worker;
}
