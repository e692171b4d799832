/**
 * The Messaging API (messaging-api.yml): reply, push, multicast and their validate endpoints, profile,
 * bot info, message content (api-data.line.me) and the loading animation — behind the channel access
 * token, with X-Line-Retry-Key handling and injectable faults (a 429/5xx burst, served before a
 * request is acted on).
 */
import type { Express, NextFunction, Request, Response } from 'express';
import type { ValidationDetail } from './validator.ts';
import { rawText, validBody } from './http.ts';
import { NOT_FOUND, SEND_PATHS, USER_ID, type LineSimulator, type SimState } from './state.ts';

const CHAT_ID = /^[UCR][0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RETRY_KEY_WINDOW_MS = 24 * 60 * 60 * 1000;
const AUTH_FAILED = { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' };
// Message types LINE returns a quoteToken for when sent (only quotable messages get one).
const QUOTABLE = new Set(['text', 'textV2', 'sticker', 'image', 'video']);


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

function bodyErrors(res: Response, details: ValidationDetail[]): void {
  res.status(400).json({ message: `The request body has ${details.length} error(s)`, details });
}

export function mountMessagingApi(app: Express, s: SimState): void {
  const { now, replyTtl, users, knownChats, replyTokens, retryKeys, contents, loadingUntil, faults, botUserId, record, newMessageId, newQuoteToken } = s;

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

  // -------- auth for the Messaging API
  app.use('/v2', (req: Request, res: Response, next: NextFunction) => {
    if (req.header('authorization') !== `Bearer ${s.opts.channelAccessToken}`) {
      res.status(401).json(AUTH_FAILED);
      return;
    }
    next();
  });

  // -------- injected faults: answered before the request is looked at, so nothing is sent
  // (LINE Login's /oauth2 endpoints too, when a fault names their paths: a busy verify endpoint)
  app.use(['/v2', '/oauth2'], (req: Request, res: Response, next: NextFunction) => {
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
}

/** The programmatic side of the fault injector (also `/__sim/faults`). */
export function faultControl(s: SimState): Pick<LineSimulator, 'injectFaults' | 'clearFaults' | 'pendingFaults'> {
  const { faults } = s;
  return {
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
  };
}
