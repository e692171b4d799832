/**
 * The simulator's own page and control API (no LINE equivalent): the demo chat page at `/`, and
 * `/__sim/*` — users, their transcripts and actions, ID tokens for the demo LIFF page, faults, the
 * webhook URL, content and rich-menu images. Local use only (host-checked, JSON-only writes).
 */
import { readFile } from 'node:fs/promises';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { rawText } from './http.ts';
import { richMenuView } from './richMenus.ts';
import { NOT_FOUND, USER_ID, type LineSimulator, type SentWebhook, type SimState, type UserState } from './state.ts';

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

export function mountDemoPage(app: Express): void {
  app.get(['/', '/ui/app.js', '/ui/style.css'], localOnly, async (req, res) => {
    const file = UI_FILES[req.path];
    const text = await readFile(new URL(`./ui/${file}`, import.meta.url), 'utf8');
    res.setHeader('content-type', UI_TYPES[file.split('.').pop()!]);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('content-security-policy', "default-src 'self'; img-src * data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'");
    res.send(text);
  });
}

export function mountDevApi(app: Express, s: SimState, api: () => LineSimulator): void {
  const { now, botUserId, loginChannelId, users, received, chat, loadingUntil, contents, richMenus, richMenuImages } = s;

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

  sim.get('/faults', (_req, res) => { res.json({ pending: api().pendingFaults() }); });
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
      api().injectFaults({ status: b.status, count: b.count, ...(b.retryAfterSec !== undefined ? { retryAfterSec: b.retryAfterSec } : {}), ...(paths ? { paths } : {}) });
    } catch (err) {
      res.status(400).json({ message: (err as Error).message });
      return;
    }
    res.status(201).json({ pending: api().pendingFaults() });
  });
  sim.delete('/faults', (_req, res) => { res.json({ cleared: api().clearFaults() }); });
  sim.get('/state', (_req, res) => { res.json({ botUserId, webhookUrl: s.webhookUrl ?? null, loginChannelId }); });
  sim.put('/webhook', (req, res) => {
    const { url } = jsonBody(req);
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) { res.status(400).json({ message: 'url must be http(s)' }); return; }
    s.webhookUrl = url;
    res.json({ webhookUrl: url });
  });
  sim.get('/users', (_req, res) => { res.json([...users.values()].map(userView)); });
  sim.post('/users', (req, res) => {
    const b = jsonBody(req);
    if (typeof b.displayName !== 'string' || !b.displayName.trim()) { res.status(400).json({ message: 'displayName is required' }); return; }
    if (b.userId !== undefined && !USER_ID.test(b.userId)) { res.status(400).json({ message: 'userId must be U + 32 hex' }); return; }
    const u = api().addUser({
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
      richMenuId: api().userRichMenu(u.userId) ?? null,
    });
  });
  sim.post('/users/:userId/text', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const { text } = jsonBody(req);
    if (typeof text !== 'string' || !text) { res.status(400).json({ message: 'text is required' }); return; }
    await act(res, () => api().sendText(u.userId, text));
  });
  sim.post('/users/:userId/postback', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const { data, params, displayText } = jsonBody(req);
    if (typeof data !== 'string') { res.status(400).json({ message: 'data is required' }); return; }
    await act(res, () => api().sendPostback(u.userId, data, params && typeof params === 'object' ? params : undefined, typeof displayText === 'string' ? { displayText } : undefined));
  });
  sim.post('/users/:userId/location', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const { latitude, longitude, title, address } = jsonBody(req);
    if (typeof latitude !== 'number' || typeof longitude !== 'number') { res.status(400).json({ message: 'latitude and longitude are required numbers' }); return; }
    await act(res, () => api().sendLocation(u.userId, {
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
    await act(res, () => api().sendImage(u.userId, Buffer.from(req.body), type));
  });
  sim.post('/users/:userId/sticker', async (req, res) => {
    const u = simUser(req, res);
    if (!u) return;
    const { packageId, stickerId } = jsonBody(req);
    await act(res, () => api().sendSticker(u.userId, typeof packageId === 'string' && typeof stickerId === 'string' ? { packageId, stickerId } : undefined));
  });
  sim.post('/users/:userId/follow', async (req, res) => {
    const u = simUser(req, res);
    if (u) await act(res, () => api().follow(u.userId));
  });
  sim.post('/users/:userId/unfollow', async (req, res) => {
    const u = simUser(req, res);
    if (u) await act(res, () => api().unfollow(u.userId));
  });
  sim.post('/users/:userId/id-token', (req, res) => {
    const u = simUser(req, res);
    if (u) res.json({ idToken: api().issueIdToken(u.userId) });
  });
  sim.get('/content/:messageId', (req, res) => {
    const blob = contents.get(req.params.messageId);
    if (!blob) { res.status(404).json(NOT_FOUND); return; }
    res.setHeader('content-type', blob.contentType);
    res.send(blob.bytes);
  });
  sim.get('/richmenu/:richMenuId', (req, res) => {
    if (!richMenus.has(req.params.richMenuId)) { res.status(404).json(NOT_FOUND); return; }
    res.json({ ...richMenuView(s, req.params.richMenuId), hasImage: richMenuImages.has(req.params.richMenuId) });
  });
  sim.get('/richmenu/:richMenuId/image', (req, res) => {
    const img = richMenuImages.get(req.params.richMenuId);
    if (!img) { res.status(404).json(NOT_FOUND); return; }
    res.setHeader('content-type', img.contentType);
    res.send(img.bytes);
  });
  app.use('/__sim', sim);
}
