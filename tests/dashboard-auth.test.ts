import { createHash, createHmac } from 'node:crypto';
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimUser } from '../simulator/server.ts';
import { importRecords } from '../shared/import/legacy.ts';
import { addInternalNote } from '../shared/cases/commands/addInternalNote.ts';
import { cookieHeader, get, seedCase, signIn, type Jar } from './helpers/dashboard.ts';
import { SIM_LOGIN_CHANNEL_ID, SIM_LOGIN_CHANNEL_SECRET, startStack, type Stack } from './helpers/stack.ts';

// The dashboard's sign-in (LINE Login through the simulator), its session cookie, scope, masking and
// audit, at the HTTP level against the real web process, FerretDB and Redis.

let stack: Stack;
let district: SimUser; // อ.เมืองเชียงใหม่ (5001)
let province: SimUser; // จ.เชียงใหม่ (50)
let ministry: SimUser; // MOI executive
let bangkokOfficer: SimUser;
let cmCase: { id: string; trackingNo: string; unitCode: string };
let bkkCase: { id: string; trackingNo: string; unitCode: string };

beforeAll(async () => {
  stack = await startStack({ worker: false });
  district = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
  province = await stack.officer('50', 'head', 'หัวหน้า จ.เชียงใหม่');
  ministry = await stack.officer('MOI', 'officer', 'ผู้บริหาร มท.');
  await stack.rt.models.Officer.updateOne({ lineUserId: ministry.userId }, { $set: { role: 'executive' } });
  bangkokOfficer = await stack.officer('1001', 'officer', 'จนท. พระนคร');
  cmCase = await seedCase(stack, { provinceCode: '50', districtCode: '5001', name: 'สมชาย ใจดี', phone: '0812345678', address: '99 ถ.นิมมานเหมินท์', description: 'ถนนหน้าบ้านเป็นหลุมลึก ลูกสาวโทร 089-111-2233 แจ้งแทน เลขบัตร 1-1037-00123-45-8' });
  bkkCase = await seedCase(stack, { provinceCode: '10', districtCode: '1001', name: 'มานี มีนา', phone: '0898765432', description: 'ร้านค้าตั้งวางของบนทางเท้า คนเดินผ่านไม่ได้ <script>alert(1)</script>' });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('signing in with LINE Login (simulator)', () => {
  it('sends an anonymous visitor to LINE Login and protects every page and export', async () => {
    const page = await get(stack, '/dashboard/');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/dashboard/login?next=%2Fdashboard%2F');
    const exp = await get(stack, '/dashboard/export/cases.csv');
    expect(exp.status).toBe(401);
    expect((await exp.json()).message).toMatch(/sign in required/);

    const login = await get(stack, '/dashboard/login');
    expect(login.status).toBe(302);
    const to = new URL(login.headers.get('location')!);
    expect(to.origin + to.pathname).toBe(`${stack.sim.url}/oauth2/v2.1/authorize`);
    expect(to.searchParams.get('response_type')).toBe('code');
    expect(to.searchParams.get('client_id')).toBe(SIM_LOGIN_CHANNEL_ID);
    expect(to.searchParams.get('scope')).toBe('openid profile');
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(to.searchParams.get('nonce')!.length).toBeGreaterThanOrEqual(32);
    const loginCookie = login.headers.getSetCookie().find((c) => c.startsWith('rg_dash_login='))!;
    expect(loginCookie).toMatch(/HttpOnly/i);
    expect(loginCookie).toMatch(/SameSite=Lax/i);
  });

  it('lets an active officer in with an HttpOnly, SameSite=Lax session cookie and shows their unit', async () => {
    const { jar, res } = await signIn(stack, district.userId);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/');
    const set = res.headers.getSetCookie().find((c) => c.startsWith('rg_dash='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\//);
    const page = await get(stack, '/dashboard/', jar);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('จนท. เมืองเชียงใหม่');
    expect(text).toContain('รับเรื่อง');
    // The session names nobody's personal data: ids and an expiry only.
    expect(Buffer.from(jar.get('rg_dash')!.split('.')[0], 'base64url').toString()).not.toContain('เมือง');
  });

  it('refuses a LINE user who is not an officer, and an officer who was deactivated', async () => {
    const citizen = await stack.citizen('ประชาชน ทั่วไป');
    const { jar, res } = await signIn(stack, citizen.userId);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('ไม่ใช่เจ้าหน้าที่ที่ลงทะเบียนไว้');
    expect(jar.has('rg_dash')).toBe(false);

    const leaver = await stack.officer('5001', 'officer', 'จนท. ลาออก');
    const signed = await signIn(stack, leaver.userId);
    expect((await get(stack, '/dashboard/', signed.jar)).status).toBe(200);
    await stack.rt.models.Officer.updateOne({ lineUserId: leaver.userId }, { $set: { active: false } });
    expect((await get(stack, '/dashboard/', signed.jar)).status).toBe(302);
  });

  it('refuses forged, re-signed and tampered session cookies', async () => {
    const { jar } = await signIn(stack, district.userId);
    const real = jar.get('rg_dash')!;
    const [body] = real.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const provinceOfficer = await stack.rt.models.Officer.findOne({ lineUserId: province.userId }).lean();
    const forgedBody = Buffer.from(JSON.stringify({ ...payload, o: String(provinceOfficer!._id), u: province.userId })).toString('base64url');
    const attempts = [
      `${forgedBody}.${real.split('.')[1]}`, // someone else's ids under my signature
      `${forgedBody}.${createHmac('sha256', 'guessed-secret').update(forgedBody).digest('base64url')}`, // signed with a guessed key
      `${body}.`, // no signature
      'not-a-cookie',
      `${Buffer.from(JSON.stringify({ ...payload, exp: Date.now() + 1e12 })).toString('base64url')}.${real.split('.')[1]}`, // longer life
    ];
    for (const value of attempts) {
      const res = await get(stack, '/dashboard/', new Map([['rg_dash', value]]));
      expect(res.status, value).toBe(302);
      const exp = await get(stack, '/dashboard/export/cases.csv', new Map([['rg_dash', value]]));
      expect(exp.status).toBe(401);
    }
  });

  it('refuses a callback whose state does not match this browser, and a cancelled sign-in', async () => {
    const jar: Jar = new Map();
    await get(stack, '/dashboard/login', jar);
    const res = await get(stack, '/dashboard/auth/callback?code=abc&state=forged', jar);
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('rg_dash='))).toBe(false);
    const noCookie = await get(stack, '/dashboard/auth/callback?code=abc&state=abc');
    expect(noCookie.status).toBe(400);

    const cancelled = await signIn(stack, district.userId, { cancel: true });
    expect(cancelled.res.status).toBe(401);
    expect(await cancelled.res.text()).toContain('ยกเลิกการเข้าสู่ระบบ');
  });

  it('does not follow a `next` that leaves the dashboard (no open redirect)', async () => {
    const jar: Jar = new Map();
    const login = await get(stack, '/dashboard/login?next=https://evil.example/', jar);
    const authorize = await fetch(login.headers.get('location')!);
    const requestId = /name="request" value="([0-9a-f]+)"/.exec(await authorize.text())![1];
    const consent = await fetch(new URL('/oauth2/v2.1/authorize/consent', stack.sim.url), {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, user_id: district.userId }),
    });
    const cb = new URL(consent.headers.get('location')!);
    const res = await get(stack, cb.pathname + cb.search, jar);
    expect(res.headers.get('location')).toBe('/dashboard/');
  });

  it('signs out only with the page\'s CSRF token', async () => {
    const { jar } = await signIn(stack, district.userId);
    const page = await (await get(stack, '/dashboard/', jar)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const forged = await get(stack, '/dashboard/logout', jar, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=nope' });
    expect(forged.status).toBe(403);
    expect((await get(stack, '/dashboard/', jar)).status).toBe(200);
    const copied = new Map(jar); // the same cookie in another tab, or in someone else's hands
    const ok = await get(stack, '/dashboard/logout', jar, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(csrf)}` });
    expect(ok.status).toBe(303);
    expect(jar.has('rg_dash')).toBe(false);
    // Signed out means signed out: the copy no longer opens pages, exports or the reports API.
    expect((await get(stack, '/dashboard/', copied)).status).toBe(302);
    expect((await get(stack, '/dashboard/export/cases.csv', copied)).status).toBe(401);
    expect((await get(stack, '/api/reports?unit=5001&format=district&fiscalYear=2569', copied)).status).toBe(401);
    // Signing in again gives a new session that works.
    const again = await signIn(stack, district.userId);
    expect((await get(stack, '/dashboard/', again.jar)).status).toBe(200);
  });

  it('names the callback by an https PUBLIC_BASE_URL (a deployment behind a proxy), else by the host used', async () => {
    const express = (await import('express')).default;
    const { loginRouter } = await import('../dashboard/auth.ts');
    const app = express();
    app.use('/dashboard', loginRouter({ models: stack.rt.models, clock: stack.rt.clock, log: stack.rt.log, config: { ...stack.config, PUBLIC_BASE_URL: 'https://rongrian.example.go.th/' } }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/dashboard/login`, { redirect: 'manual', headers: { host: 'evil.example' } });
      expect(new URL(res.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://rongrian.example.go.th/dashboard/auth/callback');
    } finally {
      server.close();
    }
    const local = await get(stack, '/dashboard/login');
    expect(new URL(local.headers.get('location')!).searchParams.get('redirect_uri')).toBe(`${stack.web.url}/dashboard/auth/callback`);
  });

  it('gives other routers the caller as a Principal (rt.dashboardAuthenticate)', async () => {
    const { jar } = await signIn(stack, province.userId);
    const p = await stack.rt.dashboardAuthenticate({ headers: { cookie: cookieHeader(jar) } } as unknown as Request);
    expect(p).toMatchObject({ kind: 'officer', lineUserId: province.userId, unitCode: '50', role: 'head', name: 'หัวหน้า จ.เชียงใหม่' });
    expect(await stack.rt.dashboardAuthenticate({ headers: {} } as unknown as Request)).toBeNull();
  });
});

describe('the simulator plays LINE Login strictly', () => {
  async function codeFor(userId: string, verifier: string, redirectUri = 'http://127.0.0.1:9/cb') {
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = new URLSearchParams({ response_type: 'code', client_id: SIM_LOGIN_CHANNEL_ID, redirect_uri: redirectUri, state: 's1', scope: 'openid profile', nonce: 'n1', code_challenge: challenge, code_challenge_method: 'S256' });
    const page = await (await fetch(`${stack.sim.url}/oauth2/v2.1/authorize?${q}`)).text();
    const requestId = /name="request" value="([0-9a-f]+)"/.exec(page)![1];
    const res = await fetch(`${stack.sim.url}/oauth2/v2.1/authorize/consent`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request: requestId, user_id: userId }) });
    return new URL(res.headers.get('location')!).searchParams.get('code')!;
  }
  const token = (form: Record<string, string>) => fetch(`${stack.sim.url}/oauth2/v2.1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  const verifier = 'v'.repeat(50);

  it('issues an HS256 ID token once per code, only with the right secret, redirect_uri and PKCE verifier', async () => {
    const base = { grant_type: 'authorization_code', redirect_uri: 'http://127.0.0.1:9/cb', client_id: SIM_LOGIN_CHANNEL_ID, client_secret: SIM_LOGIN_CHANNEL_SECRET, code_verifier: verifier };
    expect((await (await token({ ...base, code: await codeFor(district.userId, verifier), client_secret: 'wrong' })).json()).error).toBe('invalid_client');
    expect((await (await token({ ...base, code: await codeFor(district.userId, verifier), code_verifier: 'w'.repeat(50) })).json()).error).toBe('invalid_grant');
    expect((await (await token({ ...base, code: await codeFor(district.userId, verifier), redirect_uri: 'http://127.0.0.1:9/other' })).json()).error).toBe('invalid_grant');
    const code = await codeFor(district.userId, verifier);
    const ok = await token({ ...base, code });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile', expires_in: 2592000 });
    expect(JSON.parse(Buffer.from(body.id_token.split('.')[0], 'base64url').toString()).alg).toBe('HS256');
    const verified = await fetch(`${stack.sim.url}/oauth2/v2.1/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ id_token: body.id_token, client_id: SIM_LOGIN_CHANNEL_ID, nonce: 'n1' }) });
    expect(await verified.json()).toMatchObject({ iss: 'https://access.line.me', sub: district.userId, aud: SIM_LOGIN_CHANNEL_ID, nonce: 'n1', name: 'จนท. เมืองเชียงใหม่' });
    const wrongNonce = await fetch(`${stack.sim.url}/oauth2/v2.1/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ id_token: body.id_token, client_id: SIM_LOGIN_CHANNEL_ID, nonce: 'other' }) });
    expect(wrongNonce.status).toBe(400);
    // A code works once.
    expect((await (await token({ ...base, code })).json()).error).toBe('invalid_grant');
  });

  it('shows an error page (no redirect) for an unknown client or an unregistered callback', async () => {
    const bad = await fetch(`${stack.sim.url}/oauth2/v2.1/authorize?response_type=code&client_id=999&redirect_uri=http://127.0.0.1:9/cb&state=s&scope=openid`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    const foreign = await fetch(`${stack.sim.url}/oauth2/v2.1/authorize?response_type=code&client_id=${SIM_LOGIN_CHANNEL_ID}&redirect_uri=https://evil.example/cb&state=s&scope=openid`, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();
  });
});

describe('scope, masking and audit', () => {
  let districtJar: Jar;
  let provinceJar: Jar;
  let ministryJar: Jar;
  beforeAll(async () => {
    [districtJar, provinceJar, ministryJar] = (await Promise.all([signIn(stack, district.userId), signIn(stack, province.userId), signIn(stack, ministry.userId)])).map((s) => s.jar);
  });

  it('keeps a district officer inside their district', async () => {
    for (const path of ['/dashboard/?unit=10', '/dashboard/?unit=50', '/dashboard/cases?unit=1001', '/dashboard/late-units?unit=MOI', '/dashboard/trends?unit=10', '/dashboard/completeness?unit=10']) {
      const res = await get(stack, path, districtJar);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain('นอกขอบเขต');
    }
    expect((await get(stack, '/dashboard/export/cases.csv?unit=10', districtJar)).status).toBe(403);
    const other = await get(stack, `/dashboard/cases/${bkkCase.trackingNo}`, districtJar);
    expect(other.status).toBe(404);
    const list = await (await get(stack, '/dashboard/cases', districtJar)).text();
    expect(list).toContain(cmCase.trackingNo);
    expect(list).not.toContain(bkkCase.trackingNo);
    const csv = await (await get(stack, '/dashboard/export/cases.csv', districtJar)).text();
    expect(csv).toContain(cmCase.trackingNo);
    expect(csv).not.toContain(bkkCase.trackingNo);
    // Nobody's personal data in an export.
    expect(csv).not.toContain('สมชาย');
    expect(csv).not.toContain('0812345678');
  });

  it('lets the province see its districts, and the ministry everything', async () => {
    expect((await get(stack, '/dashboard/?unit=5001', provinceJar)).status).toBe(200);
    expect((await get(stack, '/dashboard/?unit=10', provinceJar)).status).toBe(403);
    const all = await (await get(stack, '/dashboard/cases?unit=MOI', ministryJar)).text();
    expect(all).toContain(cmCase.trackingNo);
    expect(all).toContain(bkkCase.trackingNo);
  });

  it('finds an imported case by its tracking number (IMP-<externalId>)', async () => {
    async function* one() {
      yield { line: 1, raw: JSON.stringify({ externalId: 'CM-2562-77', receivedAt: '2019-03-01T10:00:00+07:00', unitCode: '50', reportFormat: 'province', reportRow: 'ขอความช่วยเหลือ', status: 'closed', closedAt: '2019-04-01T10:00:00+07:00', description: 'เรื่องเก่าจากระบบเดิม' }) };
    }
    const stats = await importRecords(stack.rt.models, one(), { source: 'test' });
    expect(stats.imported).toBe(1);
    const found = await (await get(stack, '/dashboard/cases?unit=50&q=IMP-CM-2562-77', provinceJar)).text();
    expect(found).toContain('href="/dashboard/cases/IMP-CM-2562-77"');
    const other = await (await get(stack, '/dashboard/cases?unit=50&q=IMP-CM-2562-78', provinceJar)).text();
    expect(other).not.toContain('href="/dashboard/cases/IMP-');
  });

  it('shows personal data to the assigned unit only, and audits every view', async () => {
    const noter = await stack.rt.models.Officer.findOne({ lineUserId: district.userId }).lean();
    const noted = await addInternalNote({ models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish }, {
      caseId: cmCase.id, officer: { id: String(noter!._id), name: 'จนท. เมืองเชียงใหม่', unitCode: '5001', role: 'officer' }, text: 'คุยกับลูกสาวทางไลน์ไอดี daughter_99 แล้ว',
    });
    expect(noted.ok).toBe(true);
    const before = await stack.rt.models.Audit.countDocuments({ caseId: cmCase.id });
    const own = await (await get(stack, `/dashboard/cases/${cmCase.trackingNo}`, districtJar)).text();
    expect(own).toContain('สมชาย ใจดี');
    expect(own).toContain('0812345678');
    expect(own).toContain('99 ถ.นิมมานเหมินท์');
    expect(own).toContain('ลูกสาวโทร 089-111-2233 แจ้งแทน เลขบัตร 1-1037-00123-45-8');
    expect(own).toContain('คุยกับลูกสาวทางไลน์ไอดี daughter_99 แล้ว');

    const masked = await (await get(stack, `/dashboard/cases/${cmCase.trackingNo}`, provinceJar)).text();
    expect(masked).not.toContain('สมชาย ใจดี');
    expect(masked).not.toContain('0812345678');
    expect(masked).not.toContain('นิมมานเหมินท์');
    expect(masked).toContain('08•-•••-••78');
    expect(masked).toContain('ข้อมูลส่วนบุคคลถูกปิดบัง');
    // The story is readable above the unit; the phone and ID written into it are not.
    expect(masked).toContain('ลูกสาวโทร [เบอร์โทร] แจ้งแทน เลขบัตร [เลขบัตรประชาชน]');
    expect(masked).not.toContain('089-111-2233');
    expect(masked).not.toContain('1-1037-00123-45-8');
    expect(masked).toContain('คุยกับลูกสาวทางไลน์ไอดี [LINE ID] แล้ว');
    expect(masked).not.toContain('daughter_99');

    const audits = await stack.rt.models.Audit.find({ caseId: cmCase.id }).sort({ at: 1 }).lean();
    expect(audits.length).toBe(before + 2);
    const districtOfficer = await stack.rt.models.Officer.findOne({ lineUserId: district.userId }).lean();
    expect(audits.at(-2)).toMatchObject({ action: 'view_case', via: 'dashboard', officerId: String(districtOfficer!._id), lineUserId: district.userId });
    expect(audits.at(-1)).toMatchObject({ action: 'view_case_masked', via: 'dashboard', lineUserId: province.userId });
  });

  it('escapes case text and answers bad input with a clear 400', async () => {
    const page = await (await get(stack, `/dashboard/cases/${bkkCase.trackingNo}`, ministryJar)).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const path of ['/dashboard/?fy=abc', '/dashboard/?unit[$gt]=', '/dashboard/?unit=5001&unit=10', '/dashboard/cases?from=2026-13-45', '/dashboard/cases?q=%00x', '/dashboard/reports?period=month']) {
      const res = await get(stack, path, ministryJar);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toMatch(/ค่าที่เลือกไม่ถูกต้อง/);
    }
    const search = await (await get(stack, `/dashboard/cases?unit=MOI&q=${encodeURIComponent('.*')}`, ministryJar)).text();
    expect(search).toContain('พบ 0 เรื่อง');
    expect((await get(stack, '/dashboard/export/cases.pdf', ministryJar)).status).toBe(400);
  });

  it('exports the case list as a real XLSX workbook', async () => {
    const res = await get(stack, '/dashboard/export/cases.xlsx?unit=MOI', ministryJar);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const values = wb.worksheets[0].getColumn(1).values.filter(Boolean).map(String);
    expect(values).toContain(cmCase.trackingNo);
    expect(values).toContain(bkkCase.trackingNo);
  });
});

describe('dashboard configuration', () => {
  const base = { MONGODB_URI: 'mongodb://x/y', REDIS_URL: 'redis://x', LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' };

  it('sends people to access.line.me for the real platform, and to the simulator otherwise', async () => {
    const { loadConfig } = await import('../shared/config.ts');
    const { authorizeUrlOf } = await import('../dashboard/auth.ts');
    expect(authorizeUrlOf(loadConfig(base))).toBe('https://access.line.me/oauth2/v2.1/authorize');
    expect(authorizeUrlOf(loadConfig({ ...base, LINE_API_BASE_URL: 'http://127.0.0.1:4567' }))).toBe('http://127.0.0.1:4567/oauth2/v2.1/authorize');
    expect(authorizeUrlOf(loadConfig({ ...base, LINE_LOGIN_BASE_URL: 'https://login.example' }))).toBe('https://login.example/oauth2/v2.1/authorize');
  });

  it('refuses a short session secret with a message naming it', async () => {
    const { loadConfig } = await import('../shared/config.ts');
    expect(() => loadConfig({ ...base, DASHBOARD_SESSION_SECRET: 'short' })).toThrow(/DASHBOARD_SESSION_SECRET must be at least 32 characters/);
    expect(loadConfig({ ...base, DASHBOARD_SESSION_SECRET: 'x'.repeat(32) }).DASHBOARD_SESSION_SECRET).toHaveLength(32);
  });
});
