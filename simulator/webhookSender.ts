/**
 * Webhook delivery to the bot (webhook.yml): events as LINE sends them — ULID webhookEventIds, reply
 * tokens, quote tokens, `x-line-signature` over the raw body with the channel secret — for what a
 * simulated user does (follow, text, postback, location, image, sticker), hand-made events, and
 * redeliveries.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ChatEntry, LineSimulator, SentWebhook, SimState } from './state.ts';

const WEBHOOK_TIMEOUT_MS = 30_000;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** ULID (48-bit ms time + 80 random bits, Crockford base32), the format of LINE's webhookEventId. */
export function ulid(timeMs: number): string {
  let time = '';
  let t = Math.max(0, Math.floor(timeMs));
  for (let i = 0; i < 10; i++) { time = CROCKFORD[t % 32] + time; t = Math.floor(t / 32); }
  const rnd = randomBytes(16);
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[rnd[i] % 32];
  return time + tail;
}

type UserActions = Pick<LineSimulator, 'follow' | 'unfollow' | 'sendText' | 'sendPostback' | 'sendLocation' | 'sendImage' | 'sendSticker' | 'sendEvents' | 'redeliver'>;

export function createWebhookSender(s: SimState): UserActions {
  const { opts, now, botUserId, knownChats, replyTokens, sentEvents, contents, mustUser, addChat, newMessageId, newQuoteToken } = s;

  function signBody(raw: string): string {
    return createHmac('sha256', opts.channelSecret).update(Buffer.from(raw, 'utf8')).digest('base64');
  }

  function chatIdOf(source: any): string | undefined {
    if (!source || typeof source !== 'object') return undefined;
    return source.type === 'group' ? source.groupId : source.type === 'room' ? source.roomId : source.userId;
  }

  /** Remembers what is needed later: reply tokens (so the bot can reply) and events (for redelivery). */
  function remember(events: any[]): void {
    for (const e of events) {
      if (!e || typeof e !== 'object') continue;
      if (typeof e.webhookEventId === 'string' && !e.deliveryContext?.isRedelivery) sentEvents.set(e.webhookEventId, e);
      const chatId = chatIdOf(e.source);
      if (chatId && /^[CR]/.test(chatId)) knownChats.add(chatId);
      if (typeof e.replyToken === 'string' && !replyTokens.has(e.replyToken)) {
        replyTokens.set(e.replyToken, { chatId, issuedAt: now(), used: false });
      }
    }
  }

  async function post(events: any[], o: { signature?: string | null; rawBody?: string } = {}): Promise<SentWebhook> {
    if (!s.webhookUrl) throw new Error('LINE simulator: no webhook URL set (pass s.webhookUrl or call setWebhookUrl)');
    const raw = o.rawBody ?? JSON.stringify({ destination: botUserId, events });
    const signature = o.signature === undefined ? signBody(raw) : o.signature;
    remember(events);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'LineBotWebhook/2.0',
    };
    if (signature !== null) headers['x-line-signature'] = signature;
    const res = await fetch(s.webhookUrl, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    return { status: res.status, body: await res.text(), events };
  }

  function baseEvent(type: string, userId: string, withReplyToken: boolean): any {
    mustUser(userId);
    return {
      type,
      timestamp: now(),
      mode: 'active',
      webhookEventId: ulid(now()),
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId },
      ...(withReplyToken ? { replyToken: randomBytes(16).toString('hex') } : {}),
    };
  }

  /** Sends one user-originated event and keeps the demo transcript in step with it. */
  async function userEvent(userId: string, event: any, chatEntry: Omit<Extract<ChatEntry, { from: 'user' }>, 'seq' | 'at' | 'from'>): Promise<SentWebhook> {
    const entry = addChat(userId, { ...chatEntry, at: event.timestamp, from: 'user' }) as Extract<ChatEntry, { from: 'user' }>;
    try {
      const sent = await post([event]);
      entry.webhookStatus = sent.status;
      return sent;
    } catch (err) {
      entry.error = (err as Error).message;
      throw err;
    }
  }

  const actions: UserActions = {
    async follow(userId) {
      const u = mustUser(userId);
      // isUnblocked: true when a user who had added the account before unblocks it again.
      const event = { ...baseEvent('follow', userId, true), follow: { isUnblocked: u.everFollowed && !u.following } };
      u.following = true;
      u.everFollowed = true;
      return userEvent(userId, event, { kind: 'follow' });
    },

    async unfollow(userId) {
      const u = mustUser(userId);
      u.following = false;
      return userEvent(userId, baseEvent('unfollow', userId, false), { kind: 'unfollow' });
    },

    async sendText(userId, text) {
      const event = { ...baseEvent('message', userId, true), message: { type: 'text', id: newMessageId(), quoteToken: newQuoteToken(), text } };
      return userEvent(userId, event, { kind: 'text', text, messageId: event.message.id });
    },

    async sendPostback(userId, data, params, o) {
      const postback = params && Object.keys(params).length ? { data, params } : { data };
      const event = { ...baseEvent('postback', userId, true), postback };
      return userEvent(userId, event, { kind: 'postback', data, ...(o?.displayText ? { displayText: o.displayText } : {}) });
    },

    async sendLocation(userId, loc) {
      const message = {
        type: 'location', id: newMessageId(),
        ...(loc.title !== undefined ? { title: loc.title } : {}),
        ...(loc.address !== undefined ? { address: loc.address } : {}),
        latitude: loc.latitude, longitude: loc.longitude,
      };
      return userEvent(userId, { ...baseEvent('message', userId, true), message }, { kind: 'location', location: loc, messageId: message.id });
    },

    async sendImage(userId, bytes, contentType = 'image/jpeg') {
      const id = newMessageId();
      contents.set(id, { bytes, contentType });
      const message = { type: 'image', id, quoteToken: newQuoteToken(), contentProvider: { type: 'line' } };
      return userEvent(userId, { ...baseEvent('message', userId, true), message }, { kind: 'image', messageId: id });
    },

    async sendSticker(userId, sticker = { packageId: '446', stickerId: '1988' }) {
      const message = {
        type: 'sticker', id: newMessageId(), quoteToken: newQuoteToken(),
        packageId: sticker.packageId, stickerId: sticker.stickerId, stickerResourceType: 'STATIC',
      };
      return userEvent(userId, { ...baseEvent('message', userId, true), message }, { kind: 'sticker', messageId: message.id });
    },

    sendEvents(events, o) {
      return post(events as any[], o);
    },

    async redeliver(webhookEventId) {
      const original = sentEvents.get(webhookEventId);
      if (!original) throw new Error(`LINE simulator: no sent event with webhookEventId ${webhookEventId}`);
      return post([{ ...structuredClone(original), deliveryContext: { isRedelivery: true } }]);
    },
  };
  return actions;
}
