import { createHash } from 'node:crypto';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { Config } from '../config.ts';

export type Message = messagingApi.Message;

/**
 * A deterministic UUID for `X-Line-Retry-Key`: the same notification (same seed) always carries the
 * same key, so a job retried after a crash is answered 409 by LINE instead of being delivered twice.
 */
export function retryKeyFor(seed: string): string {
  const h = createHash('sha1').update(seed).digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5 (name-based, SHA-1)
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export interface LineClient {
  api: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
  /** Reply if the token still works, else push with the retry key (a reply token is single-use and short-lived). */
  /**
   * `resend`: these replies may already have gone out (a turn retried after a crash between sending
   * and recording it). A still-fresh token LINE then calls invalid was spent by that first send, so
   * nothing is pushed: a push would show the citizen the same answer twice.
   */
  replyOrPush(to: string, replyToken: string | undefined, messages: Message[], retrySeed: string, opts?: { resend?: boolean; onReplyRefused?: () => Promise<void> }): Promise<void>;
  /** Push with a retry key; a 409 means LINE already accepted this very push, which is success. */
  push(to: string, messages: Message[], retrySeed: string): Promise<void>;
  multicast(to: string[], messages: Message[], retrySeed: string): Promise<void>;
  getContent(messageId: string): Promise<{ data: Buffer; contentType: string }>;
}

/**
 * How long LINE may keep a reply token usable is not published (the simulator uses one minute): past
 * this age, from the event's timestamp, a turn is pushed with its retry key instead of replied.
 */
export const REPLY_TOKEN_USABLE_MS = 50_000;

/** `Retry-After` (seconds, or an HTTP date) in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * What a failed LINE call means for trying again: 429 (rate limit) and 5xx pass with time, honouring
 * `Retry-After` when LINE sends it; any other status will not change by retrying. Undefined: not an
 * answer from LINE (network and the like).
 */
export function lineFailure(err: unknown): { status: number; retryable: boolean; retryAfterMs?: number } | undefined {
  if (!(err instanceof HTTPFetchError)) return undefined;
  const retryable = err.status === 429 || err.status >= 500;
  const retryAfterMs = parseRetryAfter(err.headers?.get?.('retry-after'));
  return { status: err.status, retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

function isConflict(err: unknown): boolean {
  return err instanceof HTTPFetchError && err.status === 409;
}

export function createLineClient(config: Pick<Config, 'LINE_CHANNEL_ACCESS_TOKEN' | 'LINE_API_BASE_URL' | 'LINE_DATA_API_BASE_URL'>): LineClient {
  const api = new messagingApi.MessagingApiClient({ channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN, baseURL: config.LINE_API_BASE_URL });
  const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN, baseURL: config.LINE_DATA_API_BASE_URL });

  async function push(to: string, messages: Message[], retrySeed: string): Promise<void> {
    try {
      await api.pushMessage({ to, messages }, retryKeyFor(retrySeed));
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }

  return {
    api,
    blob,
    push,
    async multicast(to, messages, retrySeed) {
      // LINE takes at most 500 recipients per multicast; each chunk gets its own stable key.
      for (let i = 0; i < to.length; i += 500) {
        try {
          await api.multicast({ to: to.slice(i, i + 500), messages }, retryKeyFor(`${retrySeed}#${i}`));
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
      }
    },
    async replyOrPush(to, replyToken, messages, retrySeed, opts = {}) {
      if (replyToken) {
        try {
          await api.replyMessage({ replyToken, messages });
          return;
        } catch (err) {
          if (!(err instanceof HTTPFetchError && err.status === 400)) throw err;
          if (opts.resend && /invalid reply token/i.test(String(err.body ?? ''))) return;
          // Refused: the token was not spent, so a later resend must not take a refusal for delivery.
          await opts.onReplyRefused?.();
        }
      }
      await push(to, messages, retrySeed);
    },
    async getContent(messageId) {
      const res = await blob.getMessageContentWithHttpInfo(messageId);
      const chunks: Buffer[] = [];
      for await (const c of res.body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
      return { data: Buffer.concat(chunks), contentType: res.httpResponse.headers.get('content-type') ?? 'application/octet-stream' };
    },
  };
}
