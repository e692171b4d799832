/**
 * LINE Login v2.1 web login, as the simulator plays it: the authorization page (access.line.me
 * `/oauth2/v2.1/authorize`, where a person here picks which simulated LINE user they are) and the
 * token endpoint (api.line.me `/oauth2/v2.1/token`, authorization-code grant with PKCE).
 *
 * NON-SPEC: line/line-openapi has no LINE Login spec (see line-platform-facts.md §10). Behaviour follows
 * developers.line.biz "Integrating LINE Login with your web app" and the LINE Login v2.1 API reference:
 * codes live 10 minutes and work once; `redirect_uri` must match a registered callback URL exactly and
 * be sent again to the token endpoint; PKCE uses S256 (43–128 character verifier); an unknown
 * client_id or redirect_uri is shown as an error page (never redirected); other request errors and
 * a cancel are redirected back with `error` and `state`; web-login ID tokens are HS256-signed with
 * the channel secret.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import type { SimUser } from './state.ts';

export interface LineLoginContext {
  now: () => number;
  channelId: string;
  channelSecret: string;
  callbackUrls?: string[];
  users: () => SimUser[];
  rawText: (req: Request) => string;
  issuer: string;
}

const CODE_TTL_MS = 10 * 60 * 1000;
const ACCESS_TOKEN_TTL_SEC = 30 * 24 * 60 * 60;
const ID_TOKEN_TTL_SEC = 60 * 60;
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

interface PendingAuthorization {
  clientId: string; redirectUri: string; state: string; scope: string;
  nonce?: string; codeChallenge?: string; at: number;
}
interface IssuedCode extends PendingAuthorization { userId: string; used: boolean }

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** HS256 ID token, as LINE issues to web login (signed with the channel secret). */
export function signWebLoginIdToken(secret: string, payload: Record<string, unknown>): string {
  const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function verifyWebLoginSignature(secret: string, token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const want = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2], 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}

export function mountLineLogin(app: Express, ctx: LineLoginContext): void {
  const pending = new Map<string, PendingAuthorization>();
  const codes = new Map<string, IssuedCode>();

  const sweep = () => {
    const t = ctx.now();
    for (const [k, v] of pending) if (t - v.at > CODE_TTL_MS) pending.delete(k);
    for (const [k, v] of codes) if (t - v.at > CODE_TTL_MS) codes.delete(k);
  };

  const callbackAllowed = (uri: string): boolean => {
    if (ctx.callbackUrls) return ctx.callbackUrls.includes(uri);
    try {
      const u = new URL(uri);
      return (u.protocol === 'http:' || u.protocol === 'https:') && ['127.0.0.1', 'localhost'].includes(u.hostname) && !u.hash;
    } catch {
      return false;
    }
  };

  const errorPage = (res: Response, status: number, message: string) => {
    res.status(status).setHeader('content-type', 'text/html; charset=utf-8');
    res.send(page('LINE Login', `<h1>เกิดข้อผิดพลาด</h1><p class="err">${esc(message)}</p>`));
  };

  const redirectBack = (res: Response, redirectUri: string, params: Record<string, string>) => {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    res.redirect(302, u.toString());
  };

  app.get('/oauth2/v2.1/authorize', (req, res) => {
    sweep();
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const clientId = q('client_id');
    const redirectUri = q('redirect_uri');
    if (!clientId || clientId !== ctx.channelId) return errorPage(res, 400, 'Invalid client_id (ไม่พบช่องทาง LINE Login นี้)');
    if (!redirectUri || !callbackAllowed(redirectUri)) return errorPage(res, 400, 'Invalid redirect_uri: it must match a registered callback URL (redirect_uri ไม่ตรงกับที่ลงทะเบียนไว้)');
    const state = q('state');
    const fail = (description: string) => redirectBack(res, redirectUri, { error: 'invalid_request', error_description: description, ...(state ? { state } : {}) });
    if (q('response_type') !== 'code') return fail('response_type must be code');
    if (!state) return fail('state is required');
    const scope = q('scope') ?? '';
    const scopes = scope.split(/[ +]/).filter(Boolean);
    if (!scopes.length || scopes.some((s) => !['openid', 'profile', 'email'].includes(s))) return fail('invalid scope');
    const challenge = q('code_challenge');
    const method = q('code_challenge_method');
    if (challenge !== undefined && (method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge))) return fail('code_challenge must be a S256 challenge');
    const nonce = q('nonce');
    const requestId = randomBytes(16).toString('hex');
    pending.set(requestId, { clientId, redirectUri, state, scope: scopes.join(' '), ...(nonce ? { nonce } : {}), ...(challenge ? { codeChallenge: challenge } : {}), at: ctx.now() });

    const users = ctx.users();
    const list = users.length
      ? users.map((u) => `<button type="submit" name="user_id" value="${esc(u.userId)}" class="user"><b>${esc(u.displayName)}</b><small>${esc(u.role ?? 'LINE user')} · ${esc(u.userId.slice(0, 9))}…</small></button>`).join('')
      : '<p>ยังไม่มีผู้ใช้จำลอง เพิ่มได้ที่หน้าเครื่องจำลอง (no simulated users yet)</p>';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.send(page('LINE Login (จำลอง)', `
      <h1>เข้าสู่ระบบด้วย LINE <small>(เครื่องจำลอง · simulator)</small></h1>
      <p>เลือกบัญชี LINE ที่จะใช้เข้าสู่ระบบ · Choose the LINE account to sign in with</p>
      <form method="post" action="/oauth2/v2.1/authorize/consent">
        <input type="hidden" name="request" value="${requestId}">
        <div class="users">${list}</div>
        <button type="submit" name="cancel" value="1" class="cancel">ยกเลิก · Cancel</button>
      </form>`));
  });

  app.post('/oauth2/v2.1/authorize/consent', (req, res) => {
    sweep();
    const form = new URLSearchParams(ctx.rawText(req));
    const requestId = form.get('request') ?? '';
    const auth = pending.get(requestId);
    if (!auth) return errorPage(res, 400, 'This sign-in request has expired; start again (คำขอหมดอายุ กรุณาเริ่มใหม่)');
    pending.delete(requestId);
    if (form.get('cancel')) {
      return redirectBack(res, auth.redirectUri, { error: 'access_denied', error_description: 'The resource owner denied the request.', state: auth.state });
    }
    const userId = form.get('user_id') ?? '';
    if (!ctx.users().some((u) => u.userId === userId)) return errorPage(res, 400, 'Unknown user (ไม่พบผู้ใช้)');
    const code = randomBytes(15).toString('base64url');
    codes.set(code, { ...auth, userId, used: false, at: ctx.now() });
    redirectBack(res, auth.redirectUri, { code, state: auth.state });
  });

  app.post('/oauth2/v2.1/token', (req, res) => {
    sweep();
    const form = new URLSearchParams(ctx.rawText(req));
    const fail = (status: number, error: string, description: string) => res.status(status).json({ error, error_description: description });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return fail(400, 'invalid_request', 'content-type must be application/x-www-form-urlencoded');
    if (form.get('grant_type') !== 'authorization_code') return fail(400, 'unsupported_grant_type', 'unsupported grant_type');
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret') ?? '';
    if (clientId !== ctx.channelId || !safeEqual(clientSecret, ctx.channelSecret)) return fail(400, 'invalid_client', 'invalid client_id or client_secret');
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    if (!issued || issued.used || ctx.now() - issued.at > CODE_TTL_MS) {
      // A replayed code is refused (and, as on LINE, stays unusable).
      if (issued) issued.used = true;
      return fail(400, 'invalid_grant', 'invalid authorization code');
    }
    issued.used = true;
    if (issued.clientId !== clientId) return fail(400, 'invalid_grant', 'authorization code was issued to another client');
    if (form.get('redirect_uri') !== issued.redirectUri) return fail(400, 'invalid_grant', 'redirect_uri does not match');
    if (issued.codeChallenge) {
      const verifier = form.get('code_verifier') ?? '';
      if (!VERIFIER.test(verifier) || createHash('sha256').update(verifier).digest('base64url') !== issued.codeChallenge) return fail(400, 'invalid_grant', 'invalid code_verifier');
    }
    const user = ctx.users().find((u) => u.userId === issued.userId)!;
    const iat = Math.floor(ctx.now() / 1000);
    const body: Record<string, unknown> = {
      access_token: randomBytes(32).toString('base64url'),
      expires_in: ACCESS_TOKEN_TTL_SEC,
      refresh_token: randomBytes(24).toString('base64url'),
      scope: issued.scope,
      token_type: 'Bearer',
    };
    if (issued.scope.split(' ').includes('openid')) {
      body.id_token = signWebLoginIdToken(ctx.channelSecret, {
        iss: ctx.issuer, sub: user.userId, aud: ctx.channelId, exp: iat + ID_TOKEN_TTL_SEC, iat,
        ...(issued.nonce ? { nonce: issued.nonce } : {}),
        amr: ['pwd'],
        ...(issued.scope.split(' ').includes('profile') ? { name: user.displayName, ...(user.pictureUrl ? { picture: user.pictureUrl } : {}) } : {}),
      });
    }
    res.setHeader('cache-control', 'no-store');
    res.json(body);
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>
body{font-family:"Noto Sans Thai","Sarabun","Loma",sans-serif;background:#f3f5f4;margin:0;display:flex;justify-content:center}
main{background:#fff;max-width:420px;width:100%;margin:40px 12px;padding:24px;border-radius:12px;box-shadow:0 2px 8px #0002}
h1{font-size:20px;color:#06c755;margin:0 0 8px}h1 small{display:block;font-size:12px;color:#777;font-weight:normal}
.users{display:flex;flex-direction:column;gap:8px;margin:16px 0}
button{font:inherit;cursor:pointer;border-radius:8px;padding:10px 12px;text-align:left}
.user{background:#fff;border:1px solid #cfd8d3;display:flex;flex-direction:column}.user:hover{border-color:#06c755;background:#f0fbf4}
.user small{color:#777}.cancel{background:#eee;border:0;width:100%;text-align:center}.err{color:#b00020}
</style></head><body><main>${body}</main></body></html>`;
}
