/**
 * The project's LINE platform simulator: a fake api.line.me + api-data.line.me, a LINE Login
 * ID-token verifier, and a webhook sender that signs like LINE. Tests, benchmarks and the local demo
 * talk to this instead of LINE, so it is strict where LINE is strict: every JSON request body is
 * validated against LINE's own OpenAPI spec (see validator.ts) and errors look like LINE's.
 *
 * Binds to 127.0.0.1 only. The page under GET / and its /__sim/ control API let a person play the
 * citizens and officers of the demo.
 *
 * This file assembles the parts, one per LINE API area, all working on one SimState (state.ts):
 * messaging.ts (Messaging API), richMenus.ts, idTokens.ts (LIFF ID tokens + verify), login.ts (LINE
 * Login web login), webhookSender.ts (webhooks to the bot), devApi.ts (the demo page and /__sim/).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { mountDemoPage, mountDevApi } from './devApi.ts';
import { rawText, requestLog } from './http.ts';
import { createIdTokens } from './idTokens.ts';
import { mountLineLogin } from './login.ts';
import { faultControl, mountMessagingApi } from './messaging.ts';
import { mountRichMenus } from './richMenus.ts';
import { createSimState, ID_TOKEN_ISSUER, NOT_FOUND, publicUser, randomUserId, USER_ID, type LineSimulator, type LineSimulatorOptions, type UserState } from './state.ts';
import { createWebhookSender, ulid } from './webhookSender.ts';

// The simulator's public face: tests, the demo and the benchmarks import from here.
export type { ChatEntry, FaultSpec, LineSimulator, LineSimulatorOptions, ReceivedMessage, RecordedRequest, SentWebhook, SimUser } from './state.ts';
export { randomUserId, SEND_PATHS } from './state.ts';
export { ulid };

const BODY_LIMIT = '2mb'; // LINE answers 413 above 2 MB (Messaging API reference, "Status codes").

export async function startLineSimulator(opts: LineSimulatorOptions): Promise<LineSimulator> {
  const s = createSimState(opts);
  const { now, botUserId, users, received, requests, richMenus, userMenus, bus } = s;
  const idTokens = createIdTokens(s);
  let ready: LineSimulator | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(s));
  app.use(express.raw({ type: () => true, limit: BODY_LIMIT }));

  mountDemoPage(app);
  mountMessagingApi(app, s);
  mountRichMenus(app, s);
  idTokens.mountVerify(app);

  // -------- LINE Login web login: authorization page + token endpoint (simulator/login.ts)
  mountLineLogin(app, {
    now, channelId: s.loginChannelId, channelSecret: s.loginChannelSecret, issuer: ID_TOKEN_ISSUER, rawText,
    ...(opts.loginCallbackUrls ? { callbackUrls: opts.loginCallbackUrls } : {}),
    users: () => [...users.values()].map(publicUser),
  });

  // The control API acts through the programmatic API, which exists once the port is known.
  mountDevApi(app, s, () => ready!);

  // -------- fallbacks
  app.use((_req: Request, res: Response) => { res.status(404).json(NOT_FOUND); });
  app.use((err: any, _req: Request, res: Response, _next: NextFunction) => {
    if (err?.type === 'entity.too.large' || err?.status === 413) { res.status(413).json({ message: 'Request Entity Too Large' }); return; }
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) { res.status(err.status).json({ message: err.message }); return; }
    res.status(500).json({ message: 'Internal Server Error (simulator)', error: String(err?.message ?? err) });
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(opts.port ?? 0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(listening)));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  // ---------------------------------------------------------------- the programmatic API

  const api: LineSimulator = {
    url: `http://127.0.0.1:${port}`,
    botUserId,
    requests,
    richMenus,

    setWebhookUrl(url) { s.webhookUrl = url; },

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
      return publicUser(user);
    },

    listUsers() {
      return [...users.values()].map(publicUser);
    },

    ...createWebhookSender(s),

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
      return userMenus.get(userId) ?? s.defaultMenu;
    },

    issueIdToken: idTokens.issueIdToken,

    ...faultControl(s),

    close() {
      bus.removeAllListeners();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  ready = api;
  return api;
}
