/**
 * Serves the built LIFF mini-app (`liff/web/dist`, `npm run build:liff`) at `/liff/`.
 *
 * - `/liff/assets/*` have content hashes in their names: cached for a year, `immutable`.
 * - `/liff/` (index.html) is `no-cache`, so a new deploy is picked up on the next open, and carries
 *   this deployment's settings (LIFF id; the simulator's URL when the process talks to the local
 *   LINE simulator) as a JSON island, so the page needs no extra round trip on a slow connection.
 * - Everything else under `/liff/` (the API at `/liff/api`) is left to the next router.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

export interface LiffPagesOptions {
  /** LIFF app id given to `liff.init` (empty: the page runs only in demo mode). */
  liffId: string;
  /** The LINE simulator's base URL: set only when this process talks to the local simulator. */
  simulatorUrl?: string;
  /** Built app; default `liff/web/dist`. */
  distDir?: string;
}

const DEFAULT_DIST = fileURLToPath(new URL('./web/dist/', import.meta.url));
const CONFIG_SLOT = '<!--rongrian-config-->';

/** True when the LINE API base URL is this machine, i.e. the built-in LINE simulator (never in production). */
export function simulatorUrlOf(lineApiBaseUrl: string): string | undefined {
  try {
    const u = new URL(lineApiBaseUrl);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`, no U+2028/9 surprises). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Whether an Accept-Encoding header allows `encoding` (present, and not `;q=0`). */
export function acceptsEncoding(header: string, encoding: string): boolean {
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== encoding) return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

export function liffPages(opts: LiffPagesOptions): Router {
  const dist = opts.distDir ?? DEFAULT_DIST;
  const router = express.Router();
  let cached: { mtimeMs: number; html: string } | undefined;

  // Re-read only when the file changed (a rebuild while the server runs), else from memory.
  const indexHtml = (): string | undefined => {
    const file = `${dist.replace(/\/?$/, '/')}index.html`;
    let mtimeMs: number;
    try { mtimeMs = statSync(file).mtimeMs; } catch { return undefined; }
    if (cached?.mtimeMs === mtimeMs) return cached.html;
    const config = { liffId: opts.liffId, ...(opts.simulatorUrl ? { simulatorUrl: opts.simulatorUrl } : {}) };
    const html = readFileSync(file, 'utf8').replace(CONFIG_SLOT, `<script id="rongrian-config" type="application/json">${scriptJson(config)}</script>`);
    cached = { mtimeMs, html };
    return html;
  };

  const sendIndex: express.RequestHandler = (_req, res) => {
    const page = indexHtml();
    if (!page) {
      res.status(503).type('text/plain; charset=utf-8').send('The LIFF app is not built: run `npm run build:liff` (ยังไม่ได้สร้างหน้า LIFF)');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    // The simulator is another local origin in the demo; in production only LINE's own hosts are contacted.
    const connect = ["'self'", 'https://*.line.me', 'https://*.line-scdn.net', opts.simulatorUrl].filter(Boolean).join(' ');
    res.setHeader('content-security-policy', `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data: https://profile.line-scdn.net; connect-src ${connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`);
    res.type('text/html; charset=utf-8').send(page);
  };

  router.get('/', (req, res, next) => {
    // `/liff` without the slash: relative asset URLs need it.
    if (req.originalUrl.split('?')[0] === '/liff') return res.redirect(301, `/liff/${req.originalUrl.slice(5)}`);
    sendIndex(req, res, next);
  });
  router.get('/index.html', sendIndex);
  // Pre-compressed copies written by the build (vite.config.ts): brotli, else gzip, else as is.
  const assetsDir = `${dist.replace(/\/?$/, '/')}assets/`;
  router.get('/assets/:file', (req, res, next) => {
    const file = String(req.params.file);
    const kind = /^[\w.-]+\.(js|css)$/.exec(file)?.[1];
    if (!kind) return next();
    res.setHeader('vary', 'accept-encoding');
    const accepted = String(req.headers['accept-encoding'] ?? '');
    for (const [encoding, ext] of [['br', '.br'], ['gzip', '.gz']] as const) {
      if (!acceptsEncoding(accepted, encoding) || !existsSync(assetsDir + file + ext)) continue;
      res.setHeader('content-encoding', encoding);
      res.setHeader('x-content-type-options', 'nosniff');
      res.type(kind === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      return res.sendFile(assetsDir + file + ext, { maxAge: '365d', immutable: true });
    }
    next();
  });
  router.use('/assets', express.static(`${dist.replace(/\/?$/, '/')}assets`, {
    immutable: true,
    maxAge: '365d',
    index: false,
    fallthrough: false, // a missing hashed file is a 404 here, not a trip through the API router
    setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
  }));
  return router;
}
