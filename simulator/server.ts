/**
 * The project's LINE platform simulator: a fake api.line.me + api-data.line.me, a LINE Login
 * ID-token verifier, and a webhook sender that signs like LINE. Tests, benchmarks and the local demo
 * talk to this instead of LINE, so it is strict where LINE is strict: every JSON request body is
 * validated against LINE's own OpenAPI spec (see validator.ts) and errors look like LINE's.
 *
 * Binds to 127.0.0.1 only. The page under GET / and its /__sim/ control API let a person play the
 * citizens and officers of the demo.
 */
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { validateOperation } from './validator.ts';
import { mountLineLogin, verifyWebLoginSignature } from './login.ts';
import type { ValidationDetail } from './validator.ts';

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

const USER_ID = /^U[0-9a-f]{32}$/;
const CHAT_ID = /^[UCR][0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RETRY_KEY_WINDOW_MS = 24 * 60 * 60 * 1000;
const WEBHOOK_TIMEOUT_MS = 30_000;
const BODY_LIMIT = '2mb'; // LINE answers 413 above 2 MB (Messaging API reference, "Status codes").
const AUTH_FAILED = { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' };
const NOT_FOUND = { message: 'Not found' };
const ID_TOKEN_ISSUER = 'https://access.line.me';
// Message types LINE returns a quoteToken for when sent (only quotable messages get one).
const QUOTABLE = new Set(['text', 'textV2', 'sticker', 'image', 'video']);
const UI_FILES: Record<string, string> = {
  '/': 'index.html',
  '/ui/app.js': 'app.js',
  '/ui/style.css': 'style.css',
};
const UI_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

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

export function randomUserId(): string {
  return 'U' + randomBytes(16).toString('hex');
}

/** "(line: L, column: C)" of offset `idx` in a raw JSON text, the way LINE points at a bad value. */
function positionAt(raw: string, idx: number): string {
  const before = raw.slice(0, Math.max(0, idx));
  return `(line: ${before.split('\n').length}, column: ${idx - before.lastIndexOf('\n')})`;
}

/**
 * LINE's error for a value that is well-formed JSON but not acceptable. Points at the value of the
 * top-level key `property`, or at the first occurrence of `value` when given (an array element).
 */
function invalidProperty(raw: string, property: string, value?: string) {
  let idx = 0;
  if (value !== undefined) {
    idx = Math.max(0, raw.indexOf(JSON.stringify(value)));
  } else {
    const m = new RegExp(`"${property}"\\s*:\\s*`).exec(raw);
    if (m) idx = m.index + m[0].length;
  }
  return { message: `The property, '${property}', in the request body is invalid ${positionAt(raw, idx)}` };
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface ReplyTokenState { chatId: string | undefined; issuedAt: number; used: boolean }
interface StoredBlob { bytes: Buffer; contentType: string }
interface UserState extends SimUser { following: boolean; everFollowed: boolean }

export async function startLineSimulator(opts: LineSimulatorOptions): Promise<LineSimulator> {
  const now = opts.now ?? Date.now;
  const replyTtl = opts.replyTokenTtlMs ?? 60_000;
  const botUserId = opts.botUserId ?? randomUserId();
  if (!USER_ID.test(botUserId)) throw new Error(`botUserId must match ${USER_ID} (got ${botUserId})`);
  const loginChannelId = opts.loginChannelId ?? '1234567890';
  const loginChannelSecret = opts.loginChannelSecret ?? 'simulator-login-secret';
  let webhookUrl = opts.webhookUrl;

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
  let defaultMenu: string | undefined;
  const requests: RecordedRequest[] = [];
  const faults: { status: number; left: number; retryAfterSec?: number; paths: RegExp }[] = [];
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let chatSeq = 0;
  // LINE message ids are decimal strings of ~18 digits; a counter keeps them unique and ordered.
  let messageSeq = 500_000_000_000_000_000n + BigInt(randomBytes(4).readUInt32BE());
  const newMessageId = () => String(++messageSeq);
  const newQuoteToken = () => randomBytes(48).toString('base64url');

  // LIFF/native-app ID tokens are ES256 JWTs (LINE Login docs, "ID tokens"); one key per simulator.
  const idKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const idKid = randomBytes(16).toString('hex');

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

  // ---------------------------------------------------------------- webhook sending

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
    if (!webhookUrl) throw new Error('LINE simulator: no webhook URL set (pass webhookUrl or call setWebhookUrl)');
    const raw = o.rawBody ?? JSON.stringify({ destination: botUserId, events });
    const signature = o.signature === undefined ? signBody(raw) : o.signature;
    remember(events);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'LineBotWebhook/2.0',
    };
    if (signature !== null) headers['x-line-signature'] = signature;
    const res = await fetch(webhookUrl, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
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

  // ---------------------------------------------------------------- HTTP API

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Request log + LINE's x-line-request-id, on the LINE paths only (not the demo page).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/' || req.path.startsWith('/__sim/') || req.path.startsWith('/ui/')) return next();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-line-request-id', requestId);
    const end = res.end.bind(res);
    // Taken now: inside a router mounted at a path (the fault injector at /v2), req.path is relative.
    const path = req.path;
    // Logged just before the response leaves, so a test that awaited the call always sees it.
    res.end = ((...args: Parameters<Response['end']>) => {
      const retryKey = req.header('x-line-retry-key');
      requests.push({
        method: req.method, path, status: res.statusCode, body: loggedBody(req), at: now(),
        ...(retryKey !== undefined ? { retryKey } : {}), ...(res.locals.fault ? { fault: true } : {}),
      });
      return end(...args);
    }) as Response['end'];
    next();
  });

  app.use(express.raw({ type: () => true, limit: BODY_LIMIT }));

  function rawText(req: Request): string {
    return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  }

  function loggedBody(req: Request): unknown {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) return undefined;
    const type = String(req.headers['content-type'] ?? '');
    if (type.includes('json')) {
      try { return JSON.parse(req.body.toString('utf8')); } catch { return req.body.toString('utf8'); }
    }
    if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
    return { bytes: req.body.length, contentType: type };
  }

  /** Parses + validates a JSON body for an operation; on failure answers like LINE and returns undefined. */
  function validBody(req: Request, res: Response, operationId: string): any {
    let body: unknown;
    try {
      body = JSON.parse(rawText(req));
    } catch {
      res.status(400).json({ message: 'The request body could not be parsed as JSON' });
      return undefined;
    }
    const result = validateOperation(operationId, body);
    if (!result.ok) {
      res.status(400).json({ message: result.message, details: result.details });
      return undefined;
    }
    return body;
  }

  function bodyErrors(res: Response, details: ValidationDetail[]): void {
    res.status(400).json({ message: `The request body has ${details.length} error(s)`, details });
  }

  function sentMessagesFor(messages: any[]): object[] {
    return messages.map((m) => (QUOTABLE.has(m.type) ? { id: newMessageId(), quoteToken: newQuoteToken() } : { id: newMessageId() }));
  }

  /** X-Line-Retry-Key handling shared by push and multicast; `ok: false` means the response was already sent. */
  function checkRetryKey(req: Request, res: Response): { ok: boolean; key?: string } {
    const key = req.header('x-line-retry-key');
    if (key === undefined) return { ok: true };
    if (!UUID.test(key)) {
      res.status(400).json({ message: 'The value of the X-Line-Retry-Key header is invalid' });
      return { ok: false };
    }
    for (const [k, v] of retryKeys) if (now() - v.at > RETRY_KEY_WINDOW_MS) retryKeys.delete(k);
    const seen = retryKeys.get(key.toLowerCase());
    if (seen) {
      res.setHeader('x-line-accepted-request-id', seen.requestId);
      res.status(409).json({ message: 'The retry key is already accepted', ...(seen.sentMessages ? { sentMessages: seen.sentMessages } : {}) });
      return { ok: false };
    }
    return { ok: true, key: key.toLowerCase() };
  }

  // The demo page and its control API have no auth. Host-check them against DNS rebinding, and let
  // only non-simple requests mutate: another site's page cannot send those cross-origin.
  function localOnly(req: Request, res: Response, next: NextFunction): void {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    if (host !== '127.0.0.1' && host !== 'localhost') { res.status(403).json({ message: 'local use only' }); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const type = String(req.headers['content-type'] ?? '');
      if (!type.startsWith('application/json') && !type.startsWith('image/')) {
        res.status(415).json({ message: 'send application/json (or image/* for images)' });
        return;
      }
    }
    next();
  }

  // -------- demo page
  app.get(['/', '/ui/app.js', '/ui/style.css'], localOnly, async (req, res) => {
    const file = UI_FILES[req.path];
    const text = await readFile(new URL(`./ui/${file}`, import.meta.url), 'utf8');
    res.setHeader('content-type', UI_TYPES[file.split('.').pop()!]);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('content-security-policy', "default-src 'self'; img-src * data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'");
    res.send(text);
  });

  // -------- auth for the Messaging API
  app.use('/v2', (req: Request, res: Response, next: NextFunction) => {
    if (req.header('authorization') !== `Bearer ${opts.channelAccessToken}`) {
      res.status(401).json(AUTH_FAILED);
      return;
    }
    next();
  });

  // -------- injected faults: answered before the request is looked at, so nothing is sent
  app.use('/v2', (req: Request, res: Response, next: NextFunction) => {
    const path = req.baseUrl + req.path;
    const rule = faults.find((f) => f.left > 0 && f.paths.test(path));
    if (!rule) return next();
    rule.left--;
    if (rule.left === 0) faults.splice(faults.indexOf(rule), 1);
    res.locals.fault = true;
    if (rule.retryAfterSec !== undefined) res.setHeader('retry-after', String(rule.retryAfterSec));
    res.status(rule.status).json(rule.status === 429
      ? { message: 'The API rate limit has been exceeded. Try again later.' }
      : { message: 'Internal Server Error' });
  });

  // -------- sending messages
  app.post('/v2/bot/message/reply', (req, res) => {
    const body = validBody(req, res, 'replyMessage');
    if (!body) return;
    const token = replyTokens.get(body.replyToken);
    if (!token || token.used || now() - token.issuedAt > replyTtl) {
      res.status(400).json({ message: 'Invalid reply token' });
      return;
    }
    token.used = true;
    const sentMessages = sentMessagesFor(body.messages);
    if (token.chatId) {
      record(token.chatId, { via: 'reply', at: now(), to: token.chatId, messages: body.messages, ...(body.notificationDisabled !== undefined ? { notificationDisabled: body.notificationDisabled } : {}) });
    }
    res.json({ sentMessages });
  });

  app.post('/v2/bot/message/push', (req, res) => {
    const retry = checkRetryKey(req, res);
    if (!retry.ok) return;
    const body = validBody(req, res, 'pushMessage');
    if (!body) return;
    const raw = rawText(req);
    if (!CHAT_ID.test(body.to)) { res.status(400).json(invalidProperty(raw, 'to')); return; }
    // A well-formed id nobody owns: LINE refuses the send (LINE FAQ, "user ID that doesn't exist").
    if (!users.has(body.to) && !knownChats.has(body.to)) { res.status(400).json({ message: 'Failed to send messages' }); return; }
    const sentMessages = sentMessagesFor(body.messages);
    if (retry.key) retryKeys.set(retry.key, { at: now(), requestId: res.locals.requestId, sentMessages });
    record(body.to, {
      via: 'push', at: now(), to: body.to, messages: body.messages,
      ...(retry.key ? { retryKey: retry.key } : {}),
      ...(body.notificationDisabled !== undefined ? { notificationDisabled: body.notificationDisabled } : {}),
    });
    res.json({ sentMessages });
  });

  app.post('/v2/bot/message/multicast', (req, res) => {
    const retry = checkRetryKey(req, res);
    if (!retry.ok) return;
    const body = validBody(req, res, 'multicast');
    if (!body) return;
    const raw = rawText(req);
    const bad = (body.to as string[]).find((id) => !USER_ID.test(id));
    if (bad !== undefined) { res.status(400).json(invalidProperty(raw, 'to', bad)); return; }
    if (retry.key) retryKeys.set(retry.key, { at: now(), requestId: res.locals.requestId });
    // Multicast does not report unknown recipients; they simply get nothing.
    for (const to of new Set(body.to as string[])) {
      if (!users.has(to)) continue;
      record(to, {
        via: 'multicast', at: now(), to, messages: body.messages,
        ...(retry.key ? { retryKey: retry.key } : {}),
        ...(body.notificationDisabled !== undefined ? { notificationDisabled: body.notificationDisabled } : {}),
      });
    }
    res.json({});
  });

  const validateOps: Record<string, string> = {
    reply: 'validateReply', push: 'validatePush', multicast: 'validateMulticast',
    narrowcast: 'validateNarrowcast', broadcast: 'validateBroadcast',
  };
  app.post('/v2/bot/message/validate/:kind', (req, res, next) => {
    const op = validateOps[req.params.kind];
    if (!op) return next();
    if (validBody(req, res, op)) res.json({});
  });

  // -------- users, bot, content
  app.get('/v2/bot/profile/:userId', (req, res) => {
    const u = users.get(req.params.userId);
    if (!u) { res.status(404).json(NOT_FOUND); return; }
    res.json({
      displayName: u.displayName, userId: u.userId,
      ...(u.pictureUrl ? { pictureUrl: u.pictureUrl } : {}),
      ...(u.language ? { language: u.language } : {}),
    });
  });

  app.get('/v2/bot/info', (_req, res) => {
    res.json({ userId: botUserId, basicId: '@rongrian', displayName: 'Rongrian (simulator)', chatMode: 'bot', markAsReadMode: 'auto' });
  });

  app.get('/v2/bot/message/:messageId/content', (req, res) => {
    const blob = contents.get(req.params.messageId);
    if (!blob) { res.status(404).json(NOT_FOUND); return; }
    res.setHeader('content-type', blob.contentType);
    res.send(blob.bytes);
  });

  // -------- loading animation
  app.post('/v2/bot/chat/loading/start', (req, res) => {
    const body = validBody(req, res, 'showLoadingAnimation');
    if (!body) return;
    // "It must be a multiple of 5": stated in the spec's description, not in its schema.
    if (body.loadingSeconds !== undefined && body.loadingSeconds % 5 !== 0) {
      bodyErrors(res, [{ message: 'must be a multiple of 5', property: 'loadingSeconds' }]);
      return;
    }
    if (!users.has(body.chatId)) { res.status(400).json(invalidProperty(rawText(req), 'chatId')); return; }
    loadingUntil.set(body.chatId, now() + (body.loadingSeconds ?? 20) * 1000);
    res.status(202).json({});
  });

  // -------- rich menus
  function richMenuView(id: string) {
    return { richMenuId: id, ...richMenus.get(id) };
  }

  app.post('/v2/bot/richmenu/validate', (req, res) => {
    if (validBody(req, res, 'validateRichMenuObject')) res.json({});
  });

  app.post('/v2/bot/richmenu/bulk/link', (req, res) => {
    const body = validBody(req, res, 'linkRichMenuIdToUsers');
    if (!body) return;
    if (!richMenus.has(body.richMenuId)) { res.status(404).json(NOT_FOUND); return; }
    for (const u of body.userIds) userMenus.set(u, body.richMenuId);
    res.status(202).json({});
  });

  app.post('/v2/bot/richmenu/bulk/unlink', (req, res) => {
    const body = validBody(req, res, 'unlinkRichMenuIdFromUsers');
    if (!body) return;
    for (const u of body.userIds) userMenus.delete(u);
    res.status(202).json({});
  });

  app.post('/v2/bot/richmenu', (req, res) => {
    const body = validBody(req, res, 'createRichMenu');
    if (!body) return;
    const id = 'richmenu-' + randomBytes(16).toString('hex');
    richMenus.set(id, body);
    res.json({ richMenuId: id });
  });

  app.get('/v2/bot/richmenu/list', (_req, res) => {
    res.json({ richmenus: [...richMenus.keys()].map(richMenuView) });
  });

  app.post('/v2/bot/richmenu/:richMenuId/content', (req, res) => {
    const id = req.params.richMenuId;
    if (!richMenus.has(id)) { res.status(404).json(NOT_FOUND); return; }
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'image/png' && type !== 'image/jpeg') { res.status(415).json({ message: 'Unsupported Media Type' }); return; }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) { res.status(400).json({ message: 'The request body is empty' }); return; }
    // The real API refuses to replace a menu's image; a new menu is needed instead.
    if (richMenuImages.has(id)) { res.status(400).json({ message: 'An image has already been uploaded to the richmenu' }); return; }
    richMenuImages.set(id, { bytes: Buffer.from(req.body), contentType: type });
    res.json({});
  });

  app.get('/v2/bot/richmenu/:richMenuId/content', (req, res) => {
    const img = richMenuImages.get(req.params.richMenuId);
    if (!img) { res.status(404).json(NOT_FOUND); return; }
    res.setHeader('content-type', img.contentType);
    res.send(img.bytes);
  });

  app.get('/v2/bot/richmenu/:richMenuId', (req, res) => {
    if (!richMenus.has(req.params.richMenuId)) { res.status(404).json(NOT_FOUND); return; }
    res.json(richMenuView(req.params.richMenuId));
  });

  app.delete('/v2/bot/richmenu/:richMenuId', (req, res) => {
    const id = req.params.richMenuId;
    if (!richMenus.delete(id)) { res.status(404).json(NOT_FOUND); return; }
    richMenuImages.delete(id);
    for (const [u, m] of userMenus) if (m === id) userMenus.delete(u);
    if (defaultMenu === id) defaultMenu = undefined;
    res.json({});
  });

  /** Linking needs an existing menu with an uploaded image, as on the real platform. */
  function linkable(res: Response, id: string): boolean {
    if (!richMenus.has(id)) { res.status(404).json(NOT_FOUND); return false; }
    if (!richMenuImages.has(id)) { res.status(400).json({ message: 'must upload richmenu image before applying it to user' }); return false; }
    return true;
  }

  app.post('/v2/bot/user/all/richmenu/:richMenuId', (req, res) => {
    if (!linkable(res, req.params.richMenuId)) return;
    defaultMenu = req.params.richMenuId;
    res.json({});
  });
  app.get('/v2/bot/user/all/richmenu', (_req, res) => {
    if (!defaultMenu) { res.status(404).json(NOT_FOUND); return; }
    res.json({ richMenuId: defaultMenu });
  });
  app.delete('/v2/bot/user/all/richmenu', (_req, res) => {
    defaultMenu = undefined;
    res.json({});
  });

  app.post('/v2/bot/user/:userId/richmenu/:richMenuId', (req, res) => {
    if (!users.has(req.params.userId)) { res.status(404).json(NOT_FOUND); return; }
    if (!linkable(res, req.params.richMenuId)) return;
    userMenus.set(req.params.userId, req.params.richMenuId);
    res.json({});
  });
  app.get('/v2/bot/user/:userId/richmenu', (req, res) => {
    // Only the per-user link, as on LINE: the default menu is not reported here.
    const id = userMenus.get(req.params.userId);
    if (!id) { res.status(404).json(NOT_FOUND); return; }
    res.json({ richMenuId: id });
  });
  app.delete('/v2/bot/user/:userId/richmenu', (req, res) => {
    userMenus.delete(req.params.userId);
    res.json({});
  });

  // -------- LINE Login ID token verification (NON-SPEC: not in line-openapi; see
  // https://developers.line.biz/en/reference/line-login/#verify-id-token)
  app.post('/oauth2/v2.1/verify', (req, res) => {
    const form = new URLSearchParams(rawText(req));
    const idToken = form.get('id_token');
    const clientId = form.get('client_id');
    const fail = (description: string) => res.status(400).json({ error: 'invalid_request', error_description: description });
    if (!idToken) return fail('id_token is required.');
    if (!clientId) return fail('client_id is required.');
    const parts = idToken.split('.');
    let payload: any;
    try {
      if (parts.length !== 3) throw new Error('shape');
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      // LIFF/native-app tokens are ES256; web-login tokens are HS256 with the channel secret.
      const ok = header.alg === 'HS256'
        ? verifyWebLoginSignature(loginChannelSecret, idToken)
        : header.alg === 'ES256' && cryptoVerify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: idKeys.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
      if (!ok) throw new Error('signature');
      payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return fail('Invalid IdToken.');
    }
    if (payload.iss !== ID_TOKEN_ISSUER) return fail('Invalid IdToken Issuer.');
    if (payload.exp * 1000 <= now()) return fail('IdToken expired.');
    if (payload.aud !== clientId) return fail('Invalid IdToken Audience.');
    const nonce = form.get('nonce');
    if (nonce !== null && payload.nonce !== nonce) return fail('Invalid IdToken Nonce.');
    const userId = form.get('user_id');
    if (userId !== null && payload.sub !== userId) return fail('Invalid IdToken Subject Identifier.');
    res.json(payload);
  });

  // -------- LINE Login web login: authorization page + token endpoint (simulator/login.ts)
  mountLineLogin(app, {
    now, channelId: loginChannelId, channelSecret: loginChannelSecret, issuer: ID_TOKEN_ISSUER, rawText,
    ...(opts.loginCallbackUrls ? { callbackUrls: opts.loginCallbackUrls } : {}),
    users: () => [...users.values()].map(({ following: _f, everFollowed: _e, ...pub }) => pub),
  });

  // -------- demo control API (no LINE equivalent)
  const sim = express.Router();
  // The demo LIFF page (another local origin, e.g. http://localhost:3000/liff/) asks the simulator
  // for the person's ID token, as the LINE app hands one to a real LIFF page: allow exactly that
  // (the user list and the token), from loopback origins only.
  sim.use((req: Request, res: Response, next: NextFunction) => {
    const origin = String(req.headers.origin ?? '');
    const liffPath = req.path === '/users' || /^\/users\/[^/]+\/id-token$/.test(req.path);
    if (!liffPath || !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin)) return next();
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'origin');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('access-control-allow-methods', 'GET, POST');
    res.setHeader('access-control-allow-headers', 'content-type');
    res.setHeader('access-control-max-age', '600');
    res.status(204).end();
  });
  sim.use(localOnly);

  const userView = (u: UserState) => ({
    userId: u.userId, displayName: u.displayName, language: u.language, pictureUrl: u.pictureUrl, role: u.role,
    following: u.following, received: received.get(u.userId)?.length ?? 0, lastSeq: chat.get(u.userId)?.at(-1)?.seq ?? 0,
  });
  const jsonBody = (req: Request): any => {
    try { return JSON.parse(rawText(req) || '{}'); } catch { return {}; }
  };
  /** Runs a user action; a bot that is down or missing is reported to the page, not thrown. */
  async function act(res: Response, run: () => Promise<SentWebhook>): Promise<void> {
    try {
      res.json(await run());
    } catch (err) {
      res.status(502).json({ message: (err as Error).message });
    }
  }
  function simUser(req: Request, res: Response): UserState | undefined {
    const u = users.get(String(req.params.userId));
    if (!u) res.status(404).json({ message: 'unknown user' });
    return u;
  }

  sim.get('/faults', (_req, res) => { res.json({ pending: api.pendingFaults() }); });
  sim.post('/faults', (req, res) => {
    const b = jsonBody(req);
    let paths: RegExp | undefined;
    try {
      paths = typeof b.paths === 'string' && b.paths ? new RegExp(b.paths) : undefined;
    } catch {
      res.status(400).json({ message: 'paths must be a regular expression' });
      return;
    }
    try {
      api.injectFaults({ status: b.status, count: b.count, ...(b.retryAfterSec !== undefined ? { retryAfterSec: b.retryAfterSec } : {}), ...(paths ? { paths } : {}) });
    } catch (err) {
      res.status(400).json({ message: (err as Error).message });
      return;
    }
    res.status(201).json({ pending: api.pendingFaults() });
  });
  sim.delete('/faults', (_req, res) => { res.json({ cleared: api.clearFaults() }); });
  sim.get('/state', (_req, res) => { res.json({ botUserId, webhookUrl: webhookUrl ?? null, loginChannelId }); });
  sim.put('/webhook', (req, res) => {
    const { url } = jsonBody(req);
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) { res.status(400).json({ message: 'url must be http(s)' }); return; }
    webhookUrl = url;
    res.json({ webhookUrl });
  });
  sim.get('/users', (_req, res) => { res.json([...users.values()].map(userView)); });
  sim.post('/users', (req, res) => {
    const b = jsonBody(req);
    if (typeof b.displayName !== 'string' || !b.displayName.trim()) { res.status(400).json({ message: 'displayName is required' }); return; }
    if (b.userId !== undefined && !USER_ID.test(b.userId)) { res.status(400).json({ message: 'userId must be U + 32 hex' }); return; }
    const u = api.addUser({
      displayName: b.displayName.trim(),
      ...(b.userId ? { userId: b.userId } : {}),
      ...(typeof b.language === 'string' && b.language ? { language: b.language } : {}),
      ...(typeof b.role === 'string' && b.role ? { role: b.role } : {}),
      ...(typeof b.pictureUrl === 'string' && b.pictureUrl ? { pictureUrl: b.pictureUrl } : {}),
    });
    res.status(201).json(userView(users.get(u.userId)!));
  });
  sim.get('/users/:userId/messages', (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const after = Number(req.query.after ?? 0) || 0;
    const until = loadingUntil.get(u.userId);
    res.json({
      entries: (chat.get(u.userId) ?? []).filter((e) => e.seq > after),
      loading: until !== undefined && until > now(),
      richMenuId: api.userRichMenu(u.userId) ?? null,
    });
  });
  sim.post('/users/:userId/text', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const { text } = jsonBody(req);
    if (typeof text !== 'string' || !text) { res.status(400).json({ message: 'text is required' }); return; }
    await act(res, () => api.sendText(u.userId, text));
  });
  sim.post('/users/:userId/postback', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const { data, params, displayText } = jsonBody(req);
    if (typeof data !== 'string') { res.status(400).json({ message: 'data is required' }); return; }
    await act(res, () => api.sendPostback(u.userId, data, params && typeof params === 'object' ? params : undefined, typeof displayText === 'string' ? { displayText } : undefined));
  });
  sim.post('/users/:userId/location', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const { latitude, longitude, title, address } = jsonBody(req);
    if (typeof latitude !== 'number' || typeof longitude !== 'number') { res.status(400).json({ message: 'latitude and longitude are required numbers' }); return; }
    await act(res, () => api.sendLocation(u.userId, {
      latitude, longitude,
      ...(typeof title === 'string' && title ? { title } : {}),
      ...(typeof address === 'string' && address ? { address } : {}),
    }));
  });
  sim.post('/users/:userId/image', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('image/') || !Buffer.isBuffer(req.body) || req.body.length === 0) { res.status(400).json({ message: 'send the image bytes with an image/* content type' }); return; }
    await act(res, () => api.sendImage(u.userId, Buffer.from(req.body), type));
  });
  sim.post('/users/:userId/sticker', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const { packageId, stickerId } = jsonBody(req);
    await act(res, () => api.sendSticker(u.userId, typeof packageId === 'string' && typeof stickerId === 'string' ? { packageId, stickerId } : undefined));
  });
  sim.post('/users/:userId/follow', async (req, res) => {
    const u = simUser(req, res);
    if (u) await act(res, () => api.follow(u.userId));
  });
  sim.post('/users/:userId/unfollow', async (req, res) => {
    const u = simUser(req, res);
    if (u) await act(res, () => api.unfollow(u.userId));
  });
  sim.post('/users/:userId/id-token', (req, res) => {
    const u = simUser(req, res);
    if (u) res.json({ idToken: api.issueIdToken(u.userId) });
  });
  sim.get('/content/:messageId', (req, res) => {
    const blob = contents.get(req.params.messageId);
    if (!blob) { res.status(404).json(NOT_FOUND); return; }
    res.setHeader('content-type', blob.contentType);
    res.send(blob.bytes);
  });
  sim.get('/richmenu/:richMenuId', (req, res) => {
    if (!richMenus.has(req.params.richMenuId)) { res.status(404).json(NOT_FOUND); return; }
    res.json({ ...richMenuView(req.params.richMenuId), hasImage: richMenuImages.has(req.params.richMenuId) });
  });
  sim.get('/richmenu/:richMenuId/image', (req, res) => {
    const img = richMenuImages.get(req.params.richMenuId);
    if (!img) { res.status(404).json(NOT_FOUND); return; }
    res.setHeader('content-type', img.contentType);
    res.send(img.bytes);
  });
  app.use('/__sim', sim);

  // -------- fallbacks
  app.use((_req: Request, res: Response) => { res.status(404).json(NOT_FOUND); });
  app.use((err: any, _req: Request, res: Response, _next: NextFunction) => {
    if (err?.type === 'entity.too.large' || err?.status === 413) { res.status(413).json({ message: 'Request Entity Too Large' }); return; }
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) { res.status(err.status).json({ message: err.message }); return; }
    res.status(500).json({ message: 'Internal Server Error (simulator)', error: String(err?.message ?? err) });
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  // ---------------------------------------------------------------- the programmatic API

  const api: LineSimulator = {
    url: `http://127.0.0.1:${port}`,
    botUserId,
    requests,
    richMenus,

    setWebhookUrl(url) { webhookUrl = url; },

    addUser(u) {
      const userId = u.userId ?? randomUserId();
      if (!USER_ID.test(userId)) throw new Error(`userId must match ${USER_ID} (got ${userId})`);
      const prev = users.get(userId);
      const user: UserState = {
        userId,
        displayName: u.displayName,
        ...(u.language ? { language: u.language } : {}),
        ...(u.pictureUrl ? { pictureUrl: u.pictureUrl } : {}),
        ...(u.role ? { role: u.role } : {}),
        following: prev?.following ?? false,
        everFollowed: prev?.everFollowed ?? false,
      };
      users.set(userId, user);
      const { following: _f, everFollowed: _e, ...pub } = user;
      return pub;
    },

    listUsers() {
      return [...users.values()].map(({ following: _f, everFollowed: _e, ...pub }) => pub);
    },

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

    messagesFor(userId) {
      return [...(received.get(userId) ?? [])];
    },

    waitForMessages(userId, count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const done = () => {
          const list = api.messagesFor(userId);
          if (list.length < count) return false;
          clearTimeout(timer);
          bus.off('received', onReceived);
          resolve(list);
          return true;
        };
        const onReceived = (to: string) => { if (to === userId) done(); };
        const timer = setTimeout(() => {
          bus.off('received', onReceived);
          const list = api.messagesFor(userId);
          const summary = list.map((m) => `${m.via}:${m.messages.map((x) => x.type === 'text' ? JSON.stringify(String(x.text).slice(0, 40)) : x.type).join('+')}`).join(', ');
          reject(new Error(`waitForMessages: ${userId} has ${list.length} of ${count} expected message batch(es) after ${timeoutMs} ms${summary ? ` [${summary}]` : ''}`));
        }, timeoutMs);
        bus.on('received', onReceived);
        done();
      });
    },

    userRichMenu(userId) {
      return userMenus.get(userId) ?? defaultMenu;
    },

    issueIdToken(userId, o) {
      const u = mustUser(userId);
      const iat = Math.floor(now() / 1000);
      const payload = {
        iss: ID_TOKEN_ISSUER, sub: userId, aud: loginChannelId,
        exp: iat + (o?.expiresInSec ?? 3600), iat,
        ...(o?.nonce ? { nonce: o.nonce } : {}),
        amr: ['linesso'], name: u.displayName,
        ...(u.pictureUrl ? { picture: u.pictureUrl } : {}),
      };
      const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', kid: idKid }))}.${b64url(JSON.stringify(payload))}`;
      const sig = cryptoSign('sha256', Buffer.from(input), { key: idKeys.privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${b64url(sig)}`;
    },

    injectFaults(spec) {
      if (![429, 500, 502, 503, 504].includes(spec.status)) throw new Error('status must be 429, 500, 502, 503 or 504');
      if (!Number.isInteger(spec.count) || spec.count < 1) throw new Error('count must be a whole number ≥ 1');
      if (spec.retryAfterSec !== undefined && !(Number.isInteger(spec.retryAfterSec) && spec.retryAfterSec >= 0)) throw new Error('retryAfterSec must be a whole number ≥ 0');
      faults.push({ status: spec.status, left: spec.count, retryAfterSec: spec.retryAfterSec, paths: spec.paths ?? SEND_PATHS });
    },

    clearFaults() {
      const left = faults.reduce((n, f) => n + f.left, 0);
      faults.length = 0;
      return left;
    },

    pendingFaults() {
      return faults.reduce((n, f) => n + f.left, 0);
    },

    close() {
      bus.removeAllListeners();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return api;
}
