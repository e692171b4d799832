/**
 * What the LINE simulator remembers — users, what the bot sent them, each user's chat transcript for
 * the demo page, reply tokens, retry keys, uploaded content, rich menus, the requests made and the
 * faults to serve — and the public types of its programmatic API. Every API area (messaging.ts,
 * richMenus.ts, idTokens.ts, login.ts, webhookSender.ts, devApi.ts) works on one shared SimState.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

export interface SimUser {
  userId: string;
  displayName: string;
  language?: string;
  pictureUrl?: string;
  /** Free label for the demo page only (e.g. 'citizen', 'officer'); LINE knows no such thing. */
  role?: string;
}
export interface ReceivedMessage {
  via: 'reply' | 'push' | 'multicast';
  at: number;
  to: string;
  messages: any[];
  retryKey?: string;
  notificationDisabled?: boolean;
}
export interface LineSimulatorOptions {
  channelSecret: string;
  channelAccessToken: string;
  /** Where to POST webhooks (settable later). */
  webhookUrl?: string;
  /** Default 0 = a free port; the host is always 127.0.0.1. */
  port?: number;
  /** Default 60_000. LINE does not publish the lifetime; one minute is the conservative choice. */
  replyTokenTtlMs?: number;
  /** Webhook `destination`: `U` + 32 hex. Generated if absent. */
  botUserId?: string;
  /** Audience of issued ID tokens (the LINE Login channel id). Default '1234567890'. */
  loginChannelId?: string;
  /** LINE Login channel secret: the token endpoint's `client_secret`, and the HS256 key of web-login ID tokens. Default 'simulator-login-secret'. */
  loginChannelSecret?: string;
  /**
   * Callback URLs registered for the LINE Login channel (exact match, as the console's list). Absent:
   * any http(s) URL on 127.0.0.1/localhost, so tests and the demo need not know their port up front.
   */
  loginCallbackUrls?: string[];
  /** Injectable clock (ms). Default Date.now. Drives timestamps, token expiry and retry-key windows. */
  now?: () => number;
}
export interface SentWebhook { status: number; body: string; events: any[] }
/**
 * Every call the bot made, when it was answered (`at`, the simulator's clock), how, and with which
 * X-Line-Retry-Key; `fault` marks an answer forced by `injectFaults` (the request was not acted on).
 */
export interface RecordedRequest { method: string; path: string; status: number; body: unknown; at: number; retryKey?: string; fault?: boolean }

/**
 * A burst of failures the Messaging API answers with instead of acting (LINE's rate limit, an outage):
 * the next `count` requests whose path matches `paths` (default: the message-sending endpoints) get
 * `status`, with `Retry-After: retryAfterSec` when given. Several rules queue up: the first one with
 * failures left applies.
 */
export interface FaultSpec { status: 429 | 500 | 502 | 503 | 504; count: number; retryAfterSec?: number; paths?: RegExp }
/** The message-sending endpoints (reply, push, multicast, narrowcast, broadcast). */
export const SEND_PATHS = /^\/v2\/bot\/message\/(reply|push|multicast|narrowcast|broadcast)$/;

/** One line of a user's conversation as the demo page shows it (both directions). */
export type ChatEntry =
  | { seq: number; at: number; from: 'bot'; via: ReceivedMessage['via']; messages: any[] }
  | {
      seq: number; at: number; from: 'user';
      kind: 'text' | 'postback' | 'location' | 'image' | 'sticker' | 'follow' | 'unfollow';
      text?: string; data?: string; displayText?: string; messageId?: string;
      location?: { latitude: number; longitude: number; title?: string; address?: string };
      webhookStatus?: number; error?: string;
    };

export interface LineSimulator {
  /** Base URL serving both the Messaging API (api.line.me) and data API (api-data.line.me) paths. */
  url: string;
  botUserId: string;
  setWebhookUrl(url: string): void;
  addUser(u: Partial<SimUser> & { displayName: string }): SimUser;
  listUsers(): SimUser[];
  follow(userId: string): Promise<SentWebhook>;
  unfollow(userId: string): Promise<SentWebhook>;
  sendText(userId: string, text: string): Promise<SentWebhook>;
  sendPostback(userId: string, data: string, params?: Record<string, string>, opts?: { displayText?: string }): Promise<SentWebhook>;
  sendLocation(userId: string, loc: { latitude: number; longitude: number; title?: string; address?: string }): Promise<SentWebhook>;
  sendImage(userId: string, bytes: Buffer, contentType?: string): Promise<SentWebhook>;
  /** A LINE sticker (package and sticker ids as LINE's sticker list numbers them). */
  sendSticker(userId: string, sticker?: { packageId: string; stickerId: string }): Promise<SentWebhook>;
  sendEvents(events: object[], opts?: { signature?: string | null; rawBody?: string }): Promise<SentWebhook>;
  redeliver(webhookEventId: string): Promise<SentWebhook>;
  messagesFor(userId: string): ReceivedMessage[];
  waitForMessages(userId: string, count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  requests: RecordedRequest[];
  richMenus: Map<string, object>;
  /** The menu this user sees: the per-user link, else the default menu. */
  userRichMenu(userId: string): string | undefined;
  issueIdToken(userId: string, opts?: { expiresInSec?: number; nonce?: string }): string;
  /** Makes the Messaging API fail the next matching requests (also `POST /__sim/faults`). */
  injectFaults(spec: FaultSpec): void;
  /** Drops every fault still pending (also `DELETE /__sim/faults`). Returns how many failures were left. */
  clearFaults(): number;
  /** How many failures are still to be served. */
  pendingFaults(): number;
  close(): Promise<void>;
}

export const USER_ID = /^U[0-9a-f]{32}$/;
export const NOT_FOUND = { message: 'Not found' };
export const ID_TOKEN_ISSUER = 'https://access.line.me';

export function randomUserId(): string {
  return 'U' + randomBytes(16).toString('hex');
}

export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface ReplyTokenState { chatId: string | undefined; issuedAt: number; used: boolean }
export interface StoredBlob { bytes: Buffer; contentType: string }
export interface UserState extends SimUser { following: boolean; everFollowed: boolean }
/** A pending burst of failures (FaultSpec as stored: `left` counts down). */
export interface Fault { status: number; left: number; retryAfterSec?: number; paths: RegExp }

export interface SimState {
  opts: LineSimulatorOptions;
  now: () => number;
  replyTtl: number;
  botUserId: string;
  loginChannelId: string;
  loginChannelSecret: string;
  /** Where webhooks go; set by the options, `setWebhookUrl` or `PUT /__sim/webhook`. */
  webhookUrl: string | undefined;
  users: Map<string, UserState>;
  /** Group/room ids seen in events sent via sendEvents. */
  knownChats: Set<string>;
  received: Map<string, ReceivedMessage[]>;
  chat: Map<string, ChatEntry[]>;
  loadingUntil: Map<string, number>;
  replyTokens: Map<string, ReplyTokenState>;
  retryKeys: Map<string, { at: number; requestId: string; sentMessages?: object[] }>;
  contents: Map<string, StoredBlob>;
  sentEvents: Map<string, any>;
  richMenus: Map<string, object>;
  richMenuImages: Map<string, StoredBlob>;
  userMenus: Map<string, string>;
  defaultMenu: string | undefined;
  requests: RecordedRequest[];
  faults: Fault[];
  bus: EventEmitter;
  newMessageId: () => string;
  newQuoteToken: () => string;
  mustUser(userId: string): UserState;
  addChat(userId: string, entry: DistributiveOmit<ChatEntry, 'seq'>): ChatEntry;
  /** Files a message the bot sent (reply, push, multicast) for the user and their transcript. */
  record(to: string, entry: ReceivedMessage): void;
}

export function createSimState(opts: LineSimulatorOptions): SimState {
  const now = opts.now ?? Date.now;
  const replyTtl = opts.replyTokenTtlMs ?? 60_000;
  const botUserId = opts.botUserId ?? randomUserId();
  if (!USER_ID.test(botUserId)) throw new Error(`botUserId must match ${USER_ID} (got ${botUserId})`);
  const loginChannelId = opts.loginChannelId ?? '1234567890';
  const loginChannelSecret = opts.loginChannelSecret ?? 'simulator-login-secret';

  const users = new Map<string, UserState>();
  const knownChats = new Set<string>(); // group/room ids seen in events sent via sendEvents
  const received = new Map<string, ReceivedMessage[]>();
  const chat = new Map<string, ChatEntry[]>();
  const loadingUntil = new Map<string, number>();
  const replyTokens = new Map<string, ReplyTokenState>();
  const retryKeys = new Map<string, { at: number; requestId: string; sentMessages?: object[] }>();
  const contents = new Map<string, StoredBlob>();
  const sentEvents = new Map<string, any>();
  const richMenus = new Map<string, object>();
  const richMenuImages = new Map<string, StoredBlob>();
  const userMenus = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let chatSeq = 0;
  // LINE message ids are decimal strings of ~18 digits; a counter keeps them unique and ordered.
  let messageSeq = 500_000_000_000_000_000n + BigInt(randomBytes(4).readUInt32BE());
  const newMessageId = () => String(++messageSeq);
  const newQuoteToken = () => randomBytes(48).toString('base64url');

  function mustUser(userId: string): UserState {
    const u = users.get(userId);
    if (!u) throw new Error(`LINE simulator: unknown user ${userId} (addUser first)`);
    return u;
  }

  function addChat(userId: string, entry: DistributiveOmit<ChatEntry, 'seq'>): ChatEntry {
    const full = { ...entry, seq: ++chatSeq } as ChatEntry;
    let list = chat.get(userId);
    if (!list) chat.set(userId, (list = []));
    list.push(full);
    return full;
  }

  function record(to: string, entry: ReceivedMessage): void {
    let list = received.get(to);
    if (!list) received.set(to, (list = []));
    list.push(entry);
    loadingUntil.delete(to); // a message ends LINE's loading animation
    addChat(to, { at: entry.at, from: 'bot', via: entry.via, messages: entry.messages });
    bus.emit('received', to);
  }

  return {
    opts, now, replyTtl, botUserId, loginChannelId, loginChannelSecret, webhookUrl: opts.webhookUrl,
    users, knownChats, received, chat, loadingUntil, replyTokens, retryKeys, contents, sentEvents,
    richMenus, richMenuImages, userMenus, defaultMenu: undefined, requests, faults, bus,
    newMessageId, newQuoteToken, mustUser, addChat, record,
  };
}

/** A user as the API hands it out (without the follow bookkeeping). */
export function publicUser({ following: _f, everFollowed: _e, ...pub }: UserState): SimUser {
  return pub;
}
