/**
 * The data exchange as a partner agency meets it: a key from the administrator's CLI, Open311
 * GeoReport v2 and /api/v1 on the real app (real Redis, FerretDB), scope by unit, no personal data,
 * injection refused, revocation at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, startWeb } from '../app/runtime.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { loadConfig } from '../shared/config.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { cli, createKey } from './helpers/exchange.ts';

let stack: Stack;
let cm: { key: string; id: string };
let bkk: { key: string; id: string };
beforeAll(async () => {
  stack = await startStack({ worker: false });
  // Chiang Mai province (50) and its districts; Bangkok (10) for the scope checks.
  [cm, bkk] = await Promise.all([
    createKey(stack.env, '50', 'สำนักงานโยธาธิการและผังเมืองจังหวัดเชียงใหม่'),
    createKey(stack.env, '10', 'กรุงเทพมหานคร'),
  ]);
}, 120_000);
afterAll(async () => { await stack?.close(); });

interface Answer { status: number; json: any; text: string; headers: Headers }
async function call(key: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const h: Record<string, string> = { ...headers };
  if (key) h['x-api-key'] = key;
  let payload: string | undefined;
  if (typeof body === 'string') payload = body;
  else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
  const res = await fetch(`${stack.web.url}${path}`, { method, headers: h, body: payload });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers };
}
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('API keys (CLI)', () => {
  it('prints the key once, lists it without the key, stores only a hash', async () => {
    expect(cm.key).toMatch(/^ak_[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$/);
    const list = await cli(stack.env, ['apikey', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(cm.id);
    expect(list.stdout).toContain('สำนักงานโยธาธิการและผังเมืองจังหวัดเชียงใหม่');
    expect(list.stdout).not.toContain(cm.key.split('.')[1]);
    const stored = await stack.rt.models.conn.db!.collection('api_keys').findOne({ _id: cm.id as any });
    expect(JSON.stringify(stored)).not.toContain(cm.key.split('.')[1]);
    expect(stored!.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an unknown unit and a missing name with one clear line', async () => {
    const r = await cli(stack.env, ['apikey', 'create', '--unit', 'XX99', '--name', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--unit: no unit "XX99"/);
    const r2 = await cli(stack.env, ['apikey', 'create', '--unit', '50']);
    expect(r2.stderr).toMatch(/--name is required/);
  });
});

describe('Open311 GeoReport v2', () => {
  it('discovery and services are public; services are our categories in Thai with English', async () => {
    const d = await call(null, 'GET', '/open311/v2/discovery.json');
    expect(d.status).toBe(200);
    expect(d.json.endpoints[0].specification).toBe('http://wiki.open311.org/GeoReport_v2');
    const s = await call(null, 'GET', '/open311/v2/services.json');
    expect(s.status).toBe(200);
    expect(s.json.map((x: any) => x.service_code)).toEqual(['help', 'tipoff', 'dispute', 'official', 'state_project', 'informal_debt', 'petition', 'corruption']);
    expect(s.json[0]).toMatchObject({ service_name: 'ขอความช่วยเหลือ', service_name_en: 'Request for help', metadata: false, type: 'realtime' });
  });

  it('answers .xml with a clear 406 in the GeoReport error shape', async () => {
    const r = await call(cm.key, 'GET', '/open311/v2/services.xml');
    expect(r.status).toBe(406);
    expect(r.json[0].description).toMatch(/Only the JSON format/);
  });

  it('a wrong or malformed key → 401 (no key at all reads the public view); filing always needs a key', async () => {
    expect((await call(`${cm.id}.${'A'.repeat(43)}`, 'GET', '/open311/v2/requests.json')).status).toBe(401);
    expect((await call('nonsense', 'GET', '/open311/v2/requests.json')).status).toBe(401);
    const r = await call(null, 'POST', '/open311/v2/requests.json', form({ service_code: 'help', description: 'x'.repeat(30), address_string: 'เชียงใหม่' }), FORM);
    expect(r.status).toBe(401);
    expect(await stack.rt.models.Case.countDocuments()).toBe(0);
  });

  let trackingNo: string;
  it('creates a case from a form post (api_key as a field), routed by the address, without exposing the complainant', async () => {
    const r = await call(null, 'POST', '/open311/v2/requests.json', form({
      api_key: cm.key, service_code: 'state_project', description: 'ถนนหน้าโรงเรียนเป็นหลุมลึก น้ำขังทุกครั้งที่ฝนตก <b>อันตราย</b>',
      address_string: 'ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่', lat: '18.8', long: '98.98',
      first_name: 'สมหญิง', last_name: 'ใจงาม', phone: '081-234-5678', email: 'somying@example.com',
    }), FORM);
    expect(r.status, r.text).toBe(201);
    trackingNo = r.json[0].service_request_id;
    expect(trackingNo).toMatch(/^\d{4}-\d{6}$/);
    const c = await stack.rt.models.Case.findOne({ trackingNo }).lean();
    expect(c).toMatchObject({ channel: 'website', category: 'state_project', unitCode: '5001', status: 'received' });
    expect(c!.complainant).toMatchObject({ name: 'สมหญิง ใจงาม', phone: '0812345678', anonymous: false });
    expect(JSON.stringify(c)).not.toContain('somying@example.com');
    expect(c!.timeline[0].by).toMatchObject({ kind: 'system', id: `apikey:${cm.id}` });

    const one = await call(cm.key, 'GET', `/open311/v2/requests/${trackingNo}.json`);
    expect(one.status).toBe(200);
    expect(one.json[0]).toMatchObject({ service_request_id: trackingNo, status: 'open', service_code: 'state_project', lat: 18.8, long: 98.98 });
    expect(one.json[0].address).toContain('อ.เมืองเชียงใหม่');
    expect(one.json[0].agency_responsible).toContain('เมืองเชียงใหม่');
    // Inert in any page that might render it; the personal data is nowhere.
    expect(one.text).not.toContain('<b>');
    expect(one.text).toContain('\\u003cb\\u003e');
    for (const secret of ['สมหญิง', 'ใจงาม', '0812345678', '081-234-5678', 'somying']) expect(one.text).not.toContain(secret);
  });

  it('is idempotent by Idempotency-Key or partner_request_id; a reused key with another body is a 409', async () => {
    const body = { service_code: 'help', description: 'ขอความช่วยเหลือเรื่องน้ำท่วมบ้าน', lat: 18.79, long: 98.99 };
    const first = await call(cm.key, 'POST', '/open311/v2/requests.json', body, { 'idempotency-key': 'cm-req-001' });
    expect(first.status).toBe(201);
    const again = await call(cm.key, 'POST', '/open311/v2/requests.json', body, { 'idempotency-key': 'cm-req-001' });
    expect(again.status).toBe(200);
    expect(again.json[0].service_request_id).toBe(first.json[0].service_request_id);
    const other = await call(cm.key, 'POST', '/open311/v2/requests.json', { ...body, description: 'เรื่องอื่นโดยสิ้นเชิง ไม่ใช่เรื่องเดิม' }, { 'idempotency-key': 'cm-req-001' });
    expect(other.status).toBe(409);
    const viaField = await call(cm.key, 'POST', '/open311/v2/requests.json', { ...body, partner_request_id: 'cm-req-002' });
    const viaField2 = await call(cm.key, 'POST', '/open311/v2/requests.json', { ...body, partner_request_id: 'cm-req-002' });
    expect(viaField2.json[0].service_request_id).toBe(viaField.json[0].service_request_id);
    // Without an address the case lands in the key's own area (lat/long are kept as given).
    const c = await stack.rt.models.Case.findOne({ trackingNo: first.json[0].service_request_id }).lean();
    expect(c!.unitCode).toBe('50');
    expect(c!.complainant?.anonymous).toBe(true);
    expect(await stack.rt.models.Case.countDocuments({ idempotencyKey: { $regex: `^partner:${cm.id}:cm-req` } })).toBe(2);
  });

  it('lists only the key\'s units, filters by status, code and dates, pages', async () => {
    // A hotline case recorded by an officer in a Chiang Mai district, with the caller's name and phone.
    const deps = { models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish };
    const hotline = await openCase(deps, {
      idempotencyKey: `test:${Date.now()}`, channel: 'hotline', category: 'dispute', description: 'ข้อพิพาทเรื่องที่ดินกับเพื่อนบ้าน โทรมาแจ้งทางสายด่วน ติดต่อกลับ 081-777-6655 เลขบัตร 1-1037-00123-45-8',
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5002', districtName: 'จอมทอง' },
      complainant: { name: 'นายทดสอบ โทรมา', phone: '0899999999' }, via: 'officer', by: { kind: 'officer', id: 'x', name: 'จนท.' },
    });
    // And one in Bangkok that Chiang Mai must not see.
    const bkkCase = await openCase(deps, {
      idempotencyKey: `test-bkk:${Date.now()}`, channel: 'hotline', category: 'help', description: 'ขอความช่วยเหลือในกรุงเทพมหานคร',
      location: { provinceCode: '10', provinceName: 'กรุงเทพมหานคร' }, complainant: {}, by: { kind: 'system' },
    });
    const all = await call(cm.key, 'GET', '/open311/v2/requests.json');
    expect(all.status).toBe(200);
    const ids = all.json.map((r: any) => r.service_request_id);
    expect(ids).toContain(hotline.trackingNo);
    expect(ids).toContain(trackingNo);
    expect(ids).not.toContain(bkkCase.trackingNo);
    expect(all.headers.get('x-total-count')).toBe(String(ids.length));
    expect(all.text).not.toContain('0899999999');
    expect(all.text).not.toContain('นายทดสอบ');
    // A dispute between people: no partner gets what the caller said (tests/partner-privacy.test.ts has the rules).
    expect(all.json.find((r: any) => r.service_request_id === hotline.trackingNo).description).toBeUndefined();
    for (const pii of ['081-777-6655', '1-1037-00123-45-8', 'ข้อพิพาทเรื่องที่ดิน']) expect(all.text).not.toContain(pii);
    const detail = await call(cm.key, 'GET', `/api/v1/cases/${hotline.trackingNo}`);
    expect(detail.status).toBe(200);
    expect(detail.json.description).toBeUndefined();
    expect((await stack.rt.models.Case.findOne({ trackingNo: hotline.trackingNo }).lean())!.description).toContain('081-777-6655');

    // A ministry key sees the whole country.
    const moi = await createKey(stack.env, 'MOI', 'กระทรวงมหาดไทย');
    const national = (await call(moi.key, 'GET', '/open311/v2/requests.json?page_size=200')).json.map((r: any) => r.service_request_id);
    expect(national).toEqual(expect.arrayContaining([hotline.trackingNo, bkkCase.trackingNo, trackingNo]));
    expect((await call(moi.key, 'GET', '/api/v1/cases?unitCode=10')).json.total).toBe(1);

    const bkkView = await call(bkk.key, 'GET', '/open311/v2/requests.json');
    expect(bkkView.json.map((r: any) => r.service_request_id)).toEqual([bkkCase.trackingNo]);
    expect((await call(bkk.key, 'GET', `/open311/v2/requests/${hotline.trackingNo}.json`)).status).toBe(404);

    const disputes = await call(cm.key, 'GET', '/open311/v2/requests.json?service_code=dispute,official');
    expect(disputes.json.map((r: any) => r.service_request_id)).toEqual([hotline.trackingNo]);
    expect((await call(cm.key, 'GET', '/open311/v2/requests.json?status=closed')).json).toEqual([]);
    const page = await call(cm.key, 'GET', '/open311/v2/requests.json?page=2&page_size=1');
    expect(page.json).toHaveLength(1);
    expect(page.json[0].service_request_id).toBe(ids[1]);
    const picked = await call(cm.key, `GET`, `/open311/v2/requests.json?service_request_id=${trackingNo},${bkkCase.trackingNo}`);
    expect(picked.json.map((r: any) => r.service_request_id)).toEqual([trackingNo]);
    const future = await call(cm.key, 'GET', `/open311/v2/requests.json?start_date=${encodeURIComponent('2099-01-01T00:00:00+07:00')}&end_date=${encodeURIComponent('2099-02-01T00:00:00+07:00')}`);
    expect(future.json).toEqual([]);
  });

  it('refuses injection and bad input with a 400 naming the parameter', async () => {
    const q = await call(cm.key, 'GET', '/open311/v2/requests.json?service_code[$gt]=');
    expect(q.status).toBe(400);
    expect(q.json[0].description).toMatch(/service_code\[\$gt\]/);
    const q2 = await call(cm.key, 'GET', '/open311/v2/requests.json?status=open&status=closed');
    expect(q2.status).toBe(400);
    const b = await call(cm.key, 'POST', '/open311/v2/requests.json', { service_code: { $gt: '' }, description: 'ทดสอบการโจมตี', address_string: 'เชียงใหม่' });
    expect(b.status).toBe(400);
    expect(b.json[0].description).toMatch(/service_code/);
    const b2 = await call(cm.key, 'POST', '/open311/v2/requests.json', { service_code: 'help', description: 'มีอักขระ\u0000ควบคุม', address_string: 'เชียงใหม่' });
    expect(b2.status).toBe(400);
    const b3 = await call(cm.key, 'POST', '/open311/v2/requests.json', { service_code: 'help', description: 'ไม่มีตำแหน่งที่ตั้งเลย' });
    expect(b3.status).toBe(400);
    expect(b3.json[0].description).toMatch(/location is required/);
    const b4 = await call(cm.key, 'POST', '/open311/v2/requests.json', '{"service_code":', { 'content-type': 'application/json' });
    expect(b4.status).toBe(400);
    expect((await call(cm.key, 'GET', '/open311/v2/requests/%7B%22%24gt%22%3A%22%22%7D.json')).status).toBe(404);
    expect((await call(cm.key, 'POST', '/open311/v2/requests.json', { service_code: 'help', description: 'x'.repeat(10), lat: 18.7 }, {})).status).toBe(400);
  });
});

describe('/api/v1 for partners', () => {
  it('shows a case with its timeline, without personal data or free-text notes', async () => {
    const list = await call(cm.key, 'GET', '/api/v1/cases?category=dispute');
    expect(list.status).toBe(200);
    expect(list.json.total).toBe(1);
    const t = list.json.items[0].trackingNo;
    const one = await call(cm.key, 'GET', `/api/v1/cases/${t}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ trackingNo: t, channel: 'hotline', status: 'received', open: true, unitCode: '5002' });
    expect(one.json.timeline[0]).toMatchObject({ action: 'opened', by: 'officer', toStatus: 'received' });
    expect(one.text).not.toMatch(/0899999999|นายทดสอบ|จนท\./);
    expect((await call(bkk.key, 'GET', `/api/v1/cases/${t}`)).status).toBe(404);
    const me = await call(cm.key, 'GET', '/api/v1/me');
    expect(me.json).toMatchObject({ apiKeyId: cm.id, unitCode: '50', wholeCountry: false });
    const outside = await call(cm.key, 'GET', '/api/v1/cases?unitCode=10');
    expect(outside.json.total).toBe(0);
    expect((await call(cm.key, 'GET', '/api/v1/cases?status[$ne]=x')).status).toBe(400);
    expect((await call(cm.key, 'GET', '/api/v1/cases?status=nope')).json.error.code).toBe('validation_failed');
  });

  it('serves one OpenAPI 3.1 document for both APIs', async () => {
    const doc = await call(null, 'GET', '/open311/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining([
      '/open311/v2/discovery.json', '/open311/v2/services.json', '/open311/v2/requests.json', '/open311/v2/requests/{id}.json', '/api/v1/cases', '/api/v1/cases/{trackingNo}',
    ]));
    expect(Object.keys(doc.json.paths['/open311/v2/requests.json'].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    // Each disclosed field says to whom it is given (exchange/minimise.ts).
    const item = doc.json.paths['/open311/v2/requests.json'].get.responses['200'].content['application/json'].schema.items;
    expect(item.properties.description.description).toMatch(/place-bound.*holding the case.*never without a key/s);
    expect(item.properties.address.description).toMatch(/district/);
    const detail = doc.json.paths['/api/v1/cases/{trackingNo}'].get.responses['200'].content['application/json'].schema;
    expect(detail.properties.area.properties.lat.description).toMatch(/same rule as description/);
  });
});

describe('revocation', () => {
  it('a revoked key is refused on the very next request', async () => {
    const k = await createKey(stack.env, '5001', 'หน่วยงานทดลอง');
    expect((await call(k.key, 'GET', '/api/v1/me')).status).toBe(200);
    const r = await cli(stack.env, ['apikey', 'revoke', k.id]);
    expect(r.code, r.stderr).toBe(0);
    const after = await call(k.key, 'GET', '/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('unauthorized');
    expect((await cli(stack.env, ['apikey', 'list'])).stdout).toMatch(new RegExp(`${k.id}.*REVOKED`));
  });
});

describe('rate limit', () => {
  it('a key over its budget gets 429 with Retry-After; other keys are unaffected', async () => {
    // Another web process on the same database and Redis, with a budget of 3 requests a minute and
    // a clock that stands still (so the minute cannot roll over mid-test).
    const clock = { now: () => new Date('2026-11-20T10:00:05Z') };
    const rt = await createRuntime(loadConfig({ ...stack.env, PARTNER_RATE_LIMIT_PER_MIN: '3' }), { clock });
    const web = await startWeb(rt, 0, '127.0.0.1');
    try {
      const k = await createKey(stack.env, '5001', 'หน่วยงานที่เรียกถี่');
      const me = (key: string) => fetch(`${web.url}/api/v1/me`, { headers: { 'x-api-key': key } });
      for (let i = 0; i < 3; i++) expect((await me(k.key)).status).toBe(200);
      const over = await me(k.key);
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('55');
      expect(((await over.json()) as any).error.code).toBe('rate_limited');
      const open311 = await fetch(`${web.url}/open311/v2/requests.json`, { headers: { 'x-api-key': k.key } });
      expect(open311.status).toBe(429);
      expect(((await open311.json()) as any)[0].code).toBe(429);
      // Filing a case costs 10: a fresh key with a budget of 3 cannot file at all.
      const k2 = await createKey(stack.env, '5001', 'หน่วยงานอื่น');
      const post = await fetch(`${web.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'x-api-key': k2.key, 'content-type': 'application/json' }, body: JSON.stringify({ service_code: 'help', description: 'ทดสอบงบคำขอ', lat: 18.7, long: 98.9 }) });
      expect(post.status).toBe(429);
      expect((await me(cm.key)).status).toBe(200);
    } finally {
      await web.close();
      await rt.close();
    }
  });
});
