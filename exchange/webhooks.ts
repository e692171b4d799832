/**
 * Outgoing webhooks to partner agencies. A subscription belongs to an API key and receives the
 * events of the cases that key may read: `case.created`, `case.status_changed`, `case.closed`
 * (closed and rejected; the body's `change.toStatus` says which). Bodies are signed with
 * HMAC-SHA256 over `<timestamp>.<body>` (header `X-Rongrian-Signature: t=<unix s>,v1=<hex>`), so a
 * receiver can check both who sent it and that it is fresh; `X-Rongrian-Delivery` (the event id)
 * lets it drop a retry it already handled.
 */
import { randomBytes } from 'node:crypto';
import type { JobsOptions, Queue } from 'bullmq';
import type { Principal } from '../shared/auth/principal.ts';
import type { CaseEvent } from '../shared/cases/events.ts';
import type { CaseDoc, Models } from '../shared/models/index.ts';
import type { PartnerWebhookJob } from '../shared/queues.ts';
import { exchangeModels, PARTNER_EVENT_TYPES, type PartnerEventType, type WebhookSubscriptionDoc } from '../shared/partners/models.ts';
import { mayReadCase } from './scope.ts';
import { toPartnerCase } from './views.ts';
import { disclosedFields, PARTNER_READ_ACTION } from './minimise.ts';
import { unitNamesFor } from '../shared/units/names.ts';
import { mayRead } from '../shared/auth/principal.ts';

export class WebhookError extends Error {
  override name = 'WebhookError';
}

export function checkWebhookUrl(raw: string, allowHttp: boolean): string {
  let url: URL;
  try { url = new URL(raw); } catch { throw new WebhookError(`--url: not a URL: ${JSON.stringify(raw)} / URL ไม่ถูกต้อง`); }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new WebhookError('--url must be https:// (set PARTNER_WEBHOOK_ALLOW_HTTP=true only for local testing) / ต้องเป็น https');
  }
  if (url.username || url.password) throw new WebhookError('--url must not carry credentials / ห้ามใส่รหัสผ่านใน URL');
  if (raw.length > 2000) throw new WebhookError('--url is too long');
  return url.toString();
}

export interface CreatedSubscription { id: string; secret: string; url: string; events: PartnerEventType[] }

export async function addSubscription(models: Models, props: { apiKeyId: string; url: string; events?: string[]; allowHttp: boolean }): Promise<CreatedSubscription> {
  const { ApiKey, WebhookSubscription } = exchangeModels(models.conn);
  const key = await ApiKey.findById(props.apiKeyId).lean();
  if (!key || key.revokedAt) throw new WebhookError(`--key: no live API key ${JSON.stringify(props.apiKeyId)} (see apikey list) / ไม่พบ API key`);
  const url = checkWebhookUrl(props.url, props.allowHttp);
  const events = (props.events?.length ? props.events : [...PARTNER_EVENT_TYPES]);
  const bad = events.filter((e) => !(PARTNER_EVENT_TYPES as readonly string[]).includes(e));
  if (bad.length) throw new WebhookError(`--events: unknown ${bad.join(', ')}; choose from ${PARTNER_EVENT_TYPES.join(', ')}`);
  const id = `wh_${randomBytes(6).toString('hex')}`;
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  await WebhookSubscription.create({ _id: id, apiKeyId: props.apiKeyId, url, secret, events });
  return { id, secret, url, events: events as PartnerEventType[] };
}

export async function listSubscriptions(models: Models, apiKeyId?: string): Promise<Omit<WebhookSubscriptionDoc, 'secret'>[]> {
  return exchangeModels(models.conn).WebhookSubscription.find(apiKeyId ? { apiKeyId } : {}, { secret: 0 }).sort({ createdAt: 1 }).lean<WebhookSubscriptionDoc[]>();
}

export async function removeSubscription(models: Models, id: string): Promise<boolean> {
  if (!/^wh_[0-9a-f]{12}$/.test(id)) return false;
  const r = await exchangeModels(models.conn).WebhookSubscription.deleteOne({ _id: id });
  return r.deletedCount === 1;
}

// ------------------------------------------------------------------------------------- fan-out

/** The partner event a domain event amounts to, from the timeline entry it wrote (null: none). */
export function partnerEventOf(event: CaseEvent, c: CaseDoc): { type: PartnerEventType; fromStatus?: string; toStatus: string } | null {
  if (event.type === 'case.opened') return { type: 'case.created', toStatus: 'received' };
  const entry = (c.timeline ?? []).find((e) => e.eventId === event.id);
  // A second forward keeps the status but moves the case to another unit: partners hear of it too.
  if (!entry?.toStatus || (entry.toStatus === entry.fromStatus && entry.action !== 'forwarded')) return null;
  const closed = entry.toStatus === 'closed' || entry.toStatus === 'rejected';
  return { type: closed ? 'case.closed' : 'case.status_changed', ...(entry.fromStatus ? { fromStatus: entry.fromStatus } : {}), toStatus: entry.toStatus };
}

export interface PartnerWebhookBody {
  id: string;
  type: PartnerEventType;
  occurredAt: string;
  change: { fromStatus?: string; toStatus: string; fromUnitCode?: string };
  case: ReturnType<typeof toPartnerCase>;
}

export interface FanOutDeps {
  models: Models;
  queue: Queue<PartnerWebhookJob>;
  /** Retry backoff base (ms) of delivery jobs. */
  backoffMs?: number;
}

/** 12 attempts, 10 s doubling: the last try comes about 5.7 h after the first, enough for a partner's bad afternoon. */
export const PARTNER_WEBHOOK_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * Queues one delivery per subscription that wants this event and whose key may read the case (or,
 * for a forward, the unit it came from). Job id = subscription + event id, so a domain-event job
 * that runs again queues nothing twice. Returns the number of deliveries queued.
 */
export async function fanOutPartnerEvent(deps: FanOutDeps, event: CaseEvent): Promise<number> {
  const { models } = deps;
  const { WebhookSubscription, ApiKey } = exchangeModels(models.conn);
  const subs = await WebhookSubscription.find({ active: true }).lean<WebhookSubscriptionDoc[]>();
  if (!subs.length) return 0;
  const c = await models.Case.findById(event.caseId).lean<CaseDoc>();
  if (!c) return 0;
  const pe = partnerEventOf(event, c);
  if (!pe) return 0;
  const keys = new Map((await ApiKey.find({ _id: { $in: [...new Set(subs.map((s) => s.apiKeyId))] }, revokedAt: null }).lean()).map((k) => [String(k._id), k]));
  const fromUnitCode = typeof event.data.fromUnitCode === 'string' ? event.data.fromUnitCode : undefined;
  const jobs: { name: string; data: PartnerWebhookJob; opts: JobsOptions }[] = [];
  const units = await unitNamesFor(models, [c]);
  const reads: { apiKeyId: string; view: object }[] = [];
  for (const s of subs) {
    if (!(s.events ?? []).includes(pe.type)) continue;
    const key = keys.get(s.apiKeyId);
    if (!key) continue;
    const p: Extract<Principal, { kind: 'partner' }> = { kind: 'partner', apiKeyId: String(key._id), name: key.name, unitCode: key.unitCode };
    const readable = (await mayReadCase(models, p, c)) || (fromUnitCode !== undefined && (await mayRead(models, p, fromUnitCode)));
    if (!readable) continue;
    // Each key gets the view its own scope allows (the holding unit may see the pin, others not).
    const view = toPartnerCase(c, units, p);
    reads.push({ apiKeyId: p.apiKeyId, view });
    const body = JSON.stringify({
      id: event.id, type: pe.type, occurredAt: event.at,
      change: { ...(pe.fromStatus ? { fromStatus: pe.fromStatus } : {}), toStatus: pe.toStatus, ...(fromUnitCode ? { fromUnitCode } : {}) },
      case: view,
    } satisfies PartnerWebhookBody);
    jobs.push({
      name: pe.type,
      data: { subscriptionId: String(s._id), eventId: event.id, type: pe.type, body },
      opts: { ...PARTNER_WEBHOOK_JOB_OPTIONS, ...(deps.backoffMs ? { backoff: { type: 'exponential', delay: deps.backoffMs } } : {}), jobId: `${s._id}.${event.id}` },
    });
  }
  if (jobs.length) {
    // Recorded when the body is built (a delivery retried later carries the same fields); a
    // domain-event job that runs again may record a delivery twice, never miss one.
    await models.Audit.insertMany(reads.map((r) => ({
      at: new Date(), action: PARTNER_READ_ACTION, via: 'webhook', apiKeyId: r.apiKeyId, caseId: String(c._id), fields: disclosedFields(r.view),
    })), { ordered: false });
    await deps.queue.addBulk(jobs);
  }
  return jobs.length;
}
