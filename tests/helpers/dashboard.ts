import { SYSTEM } from '../../shared/cases/actor.ts';
import { openCase } from '../../shared/cases/commands/openCase.ts';
import { closeCase } from '../../shared/cases/commands/closeCase.ts';
import type { ChannelCode, SubjectCategoryCode } from '../../shared/categories.ts';
import type { Stack } from './stack.ts';

/** Cookie jar for one simulated browser without a browser: name → value. */
export type Jar = Map<string, string>;

export function cookieHeader(jar: Jar): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

function keepCookies(jar: Jar, res: Response): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
    if (expired) jar.delete(name); else jar.set(name, value);
  }
}

export async function get(stack: Stack, path: string, jar: Jar = new Map(), init: RequestInit = {}): Promise<Response> {
  const res = await fetch(new URL(path, stack.web.url), { redirect: 'manual', ...init, headers: { ...(init.headers as Record<string, string> | undefined), cookie: cookieHeader(jar) } });
  keepCookies(jar, res);
  return res;
}

/**
 * Signs in to the dashboard through the simulator's LINE Login the way a browser does (redirects,
 * the authorization page's form, the callback), without a browser. Returns the jar and the last response.
 */
export async function signIn(stack: Stack, userId: string, opts: { cancel?: boolean } = {}): Promise<{ jar: Jar; res: Response }> {
  const jar: Jar = new Map();
  const login = await get(stack, '/dashboard/login', jar);
  if (login.status !== 302) throw new Error(`login answered ${login.status}`);
  const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
  const page = await authorize.text();
  const requestId = /name="request" value="([0-9a-f]+)"/.exec(page)?.[1];
  if (!requestId) throw new Error(`no authorization request on the LINE page: ${page.slice(0, 300)}`);
  const consent = await fetch(new URL('/oauth2/v2.1/authorize/consent', stack.sim.url), {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(opts.cancel ? { request: requestId, cancel: '1' } : { request: requestId, user_id: userId }),
  });
  const callback = new URL(consent.headers.get('location')!);
  const res = await get(stack, callback.pathname + callback.search, jar);
  return { jar, res };
}

let seq = 0;
/** Opens a case in an area (routed as the bot would), optionally closing it. */
export async function seedCase(stack: Stack, o: {
  provinceCode: string; districtCode: string; category?: SubjectCategoryCode; channel?: ChannelCode; description?: string;
  name?: string; phone?: string; lineUserId?: string; address?: string; receivedAt?: Date; close?: { officerId: string; name: string; unitCode: string; summary?: string };
}): Promise<{ id: string; trackingNo: string; unitCode: string }> {
  const deps = { models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish };
  const c = await openCase(deps, {
    idempotencyKey: `dash-test:${Date.now()}:${++seq}`,
    channel: o.channel ?? 'line',
    category: o.category ?? 'help',
    description: o.description ?? 'ถนนหน้าบ้านเป็นหลุมลึก น้ำขังมาสองสัปดาห์แล้ว รถจักรยานยนต์ล้มหลายคัน',
    location: { provinceCode: o.provinceCode, districtCode: o.districtCode, ...(o.address ? { address: o.address } : {}) },
    complainant: { name: o.name ?? 'สมชาย ใจดี', phone: o.phone ?? '0812345678', ...(o.lineUserId ? { lineUserId: o.lineUserId } : {}) },
    ...(o.receivedAt ? { receivedAt: o.receivedAt } : {}),
    by: SYSTEM,
  });
  if (o.close) {
    const r = await closeCase(deps, { caseId: String(c._id), officer: { id: o.close.officerId, name: o.close.name, unitCode: o.close.unitCode }, summary: o.close.summary ?? 'ประสานแขวงการทางซ่อมถนนเรียบร้อยแล้ว' });
    if (!r.ok) throw new Error(`close failed: ${r.reason}`);
  }
  return { id: String(c._id), trackingNo: c.trackingNo, unitCode: c.unitCode };
}
