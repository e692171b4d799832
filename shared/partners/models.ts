/**
 * Collections of the data exchange (partner agencies): API keys and their webhook subscriptions.
 * Bound to the same connection as the other models; kept out of shared/models/index.ts so the case
 * model stays about cases.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** Partner events a subscription can receive. */
export const PARTNER_EVENT_TYPES = ['case.created', 'case.status_changed', 'case.closed'] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

const apiKeySchema = new Schema({
  /** Public id (`ak_…`), also the first part of the key itself, so a request finds its key by `_id`. */
  _id: { type: String },
  /** The partner agency's name, as an admin typed it. */
  name: { type: String, required: true },
  /** What the key may read: this unit and the units under it. */
  unitCode: { type: String, required: true },
  /** sha256 (hex) of the whole key: a leaked database holds no usable key. */
  keyHash: { type: String, required: true },
  revokedAt: { type: Date, default: null },
  /** Updated at most once a minute, so a busy partner does not turn every read into a write. */
  lastUsedAt: { type: Date, default: null },
}, { timestamps: true, versionKey: false });

const webhookSubscriptionSchema = new Schema({
  /** `wh_…` */
  _id: { type: String },
  apiKeyId: { type: String, required: true },
  /** Where events are POSTed (https unless PARTNER_WEBHOOK_ALLOW_HTTP). */
  url: { type: String, required: true },
  /**
   * HMAC-SHA256 signing secret. Kept as is (not hashed): the sender needs it to sign every body.
   * Shown once at creation; rotate by removing and adding the subscription.
   */
  secret: { type: String, required: true },
  events: { type: [String], default: () => [...PARTNER_EVENT_TYPES] },
  active: { type: Boolean, default: true },
}, { timestamps: true, versionKey: false });
webhookSubscriptionSchema.index({ apiKeyId: 1 });

export type ApiKeyDoc = InferSchemaType<typeof apiKeySchema> & { _id: string };
export type WebhookSubscriptionDoc = InferSchemaType<typeof webhookSubscriptionSchema> & { _id: string };

function bind(conn: Connection) {
  return {
    ApiKey: conn.model('ApiKey', apiKeySchema, 'api_keys'),
    WebhookSubscription: conn.model('WebhookSubscription', webhookSubscriptionSchema, 'webhook_subscriptions'),
  };
}

export type ExchangeModels = ReturnType<typeof bind>;

const bound = new WeakMap<Connection, ExchangeModels>();

/** The exchange models of a connection, bound once per connection (mongoose refuses a second binding). */
export function exchangeModels(conn: Connection): ExchangeModels {
  let m = bound.get(conn);
  if (!m) {
    m = bind(conn);
    bound.set(conn, m);
  }
  return m;
}

/** Creates the collections' indexes; called at start-up by the web process and the CLI. */
export async function initExchangeModels(conn: Connection): Promise<ExchangeModels> {
  const m = exchangeModels(conn);
  await Promise.all([m.ApiKey.init(), m.WebhookSubscription.init()]);
  return m;
}
