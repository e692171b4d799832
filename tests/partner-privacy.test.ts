/**
 * What partners see of a complaint, on the real app (real Redis, FerretDB): the pin and the text
 * only for a place-bound problem and only to the unit holding it; anonymous complaints, complaints
 * about officials, disputes and debts at district level for everyone; a keyless GeoReport client
 * gets the public view; every keyed read is on the audit log with the fields it was given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, startWeb } from '../app/runtime.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { loadConfig } from '../shared/config.ts';
import type { CaseDoc } from '../shared/models/index.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { createKey } from './helpers/exchange.ts';

let stack: Stack;
let district: { key: string; id: string }; // อ.เมืองเชียงใหม่ (5001): holds the cases opened there
let province: { key: string; id: string }; // จ.เชียงใหม่ (50): sees them in its scope, holds complaints about 5001's officials
const cases: Record<string, CaseDoc> = {};

const PERSON = { name: 'นางสาวผู้ร้อง ทดสอบ', phone: '0861112233', lineUserId: 'U0123456789abcdef0123456789abcdef' };
const WHERE = { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่', subdistrictCode: '500103', subdistrictName: 'ช้างเผือก', address: '99/1 ซอยวัดเจ็ดยอด', lat: 18.8053, lng: 98.9716 };
const TEXT: Record<string, string> = {
  road: 'ถนนหน้าวัดเจ็ดยอดเป็นหลุมใหญ่ รถจักรยานยนต์ล้มทุกวัน',
  anonymousRoad: 'สะพานไม้ข้ามคลองผุพัง ไม่ประสงค์ออกนาม',
  official: 'เจ้าหน้าที่ที่ว่าการอำเภอเรียกเงินใต้โต๊ะ',
  dispute: 'เพื่อนบ้านรุกล้ำที่ดินของข้าพเจ้า',
  debt: 'ถูกเจ้าหนี้นอกระบบข่มขู่ ดอกเบี้ยร้อยละยี่สิบต่อเดือน',
};
const PUBLIC_FIELDS = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'agency_responsible', 'requested_datetime', 'updated_datetime', 'address'];

beforeAll(async () => {
  stack = await startStack({ worker: false });
  [district, province] = await Promise.all([
    createKey(stack.env, '5001', 'สำนักงานทางหลวงชนบท อ.เมืองเชียงใหม่'),
    createKey(stack.env, '50', 'สำนักงานโยธาธิการและผังเมืองจังหวัดเชียงใหม่'),
  ]);
  const deps = { models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish };
  const open = async (name: string, category: string, complainant: Record<string, unknown>) => {
    cases[name] = await openCase(deps, {
      idempotencyKey: `privacy-${name}`, channel: 'line', category: category as never, description: TEXT[name],
      location: WHERE, complainant, by: { kind: 'citizen' },
    }) as CaseDoc;
  };
  await open('road', 'state_project', PERSON);
  await open('anonymousRoad', 'state_project', { lineUserId: PERSON.lineUserId, anonymous: true });
  await open('official', 'official', PERSON);
  await open('dispute', 'dispute', PERSON);
  await open('debt', 'informal_debt', PERSON);
}, 120_000);
afterAll(async () => { await stack?.close(); });

async function get(key: string | null, path: string): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${stack.web.url}${path}`, { headers: key ? { 'x-api-key': key } : {} });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}
const noPerson = (text: string) => {
  for (const p of [PERSON.name, PERSON.phone, PERSON.lineUserId, '99/1 ซอยวัดเจ็ดยอด', 'complainant', 'media_url', 'attachments']) expect(text).not.toContain(p);
};

describe('sensitive complaints: district level, no text, no pin, for every key', () => {
  it.each(['anonymousRoad', 'official', 'dispute', 'debt'])('%s', async (name) => {
    const c = cases[name];
    // The key of the unit holding it (5001, or 50 for a complaint about 5001's officials) and the province above.
    for (const key of [district.key, province.key]) {
      const v1 = await get(key, `/api/v1/cases/${c.trackingNo}`);
      if (key === district.key && c.unitCode !== '5001') { expect(v1.status).toBe(404); continue; }
      expect(v1.status).toBe(200);
      expect(v1.json.description).toBeUndefined();
      expect(v1.json.area).toEqual({ provinceCode: '50', districtCode: '5001', th: 'อ.เมืองเชียงใหม่ จ.เชียงใหม่', en: 'เมืองเชียงใหม่, เชียงใหม่' });
      const o = await get(key, `/open311/v2/requests/${c.trackingNo}.json`);
      expect(o.json[0].address).toBe('อ.เมืองเชียงใหม่ จ.เชียงใหม่');
      expect(o.json[0]).not.toHaveProperty('description');
      expect(o.json[0]).not.toHaveProperty('lat');
      for (const t of [v1.text, o.text]) {
        expect(t).not.toContain(TEXT[name]);
        expect(t).not.toContain('ช้างเผือก');
        expect(t).not.toContain('18.8053');
        noPerson(t);
      }
    }
  });
});

describe('a place-bound problem: pin and text only for the unit holding it', () => {
  it('the holding unit sees the pin, the subdistrict and the text; the province above sees neither pin nor text', async () => {
    const { trackingNo } = cases.road;
    const holder = await get(district.key, `/api/v1/cases/${trackingNo}`);
    expect(holder.json).toMatchObject({ description: TEXT.road, area: { subdistrictCode: '500103', lat: 18.8053, lng: 98.9716 } });
    expect(holder.json.area.th).toBe('ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    const holder311 = await get(district.key, `/open311/v2/requests.json?service_code=state_project`);
    expect(holder311.json.find((r: any) => r.service_request_id === trackingNo)).toMatchObject({ description: TEXT.road, lat: 18.8053, long: 98.9716 });
    noPerson(holder.text);
    noPerson(holder311.text);

    const other = await get(province.key, `/api/v1/cases/${trackingNo}`);
    expect(other.status).toBe(200);
    expect(other.json.description).toBeUndefined();
    expect(other.json.area).toEqual({ provinceCode: '50', districtCode: '5001', subdistrictCode: '500103', th: 'ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่', en: 'ช้างเผือก, เมืองเชียงใหม่, เชียงใหม่' });
    const other311 = await get(province.key, `/open311/v2/requests.json?service_code=state_project`);
    const row = other311.json.find((r: any) => r.service_request_id === trackingNo);
    expect(row).not.toHaveProperty('description');
    expect(row).not.toHaveProperty('lat');
    expect(other311.text).not.toContain(TEXT.road);
  });

  it('after a forward the unit it went to holds it and sees the pin; the unit it left no longer reads it', async () => {
    const deps = { models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish };
    const c = await openCase(deps, {
      idempotencyKey: 'privacy-forwarded', channel: 'line', category: 'state_project', description: 'ท่อระบายน้ำอุดตันหน้าตลาด', location: WHERE, complainant: PERSON, by: { kind: 'citizen' },
    });
    const r = await forwardCase(deps, { caseId: String(c._id), officer: { id: 'off-p', name: 'จนท.', unitCode: '5001' }, toUnitCode: '5002', reason: 'อยู่ในความรับผิดชอบของอำเภอจอมทอง' });
    expect(r.ok).toBe(true);
    const jomthong = await createKey(stack.env, '5002', 'เทศบาลจอมทอง');
    expect((await get(jomthong.key, `/api/v1/cases/${c.trackingNo}`)).json).toMatchObject({ description: 'ท่อระบายน้ำอุดตันหน้าตลาด', area: { lat: 18.8053 } });
    expect((await get(district.key, `/api/v1/cases/${c.trackingNo}`)).status).toBe(404);
    const prov = await get(province.key, `/api/v1/cases/${c.trackingNo}`);
    expect(prov.json.description).toBeUndefined();
  });
});

describe('GeoReport v2 without a key: the public view', () => {
  it('a published client\'s request shape answers 200 with exactly the public fields', async () => {
    const list = await get(null, '/open311/v2/requests.json?service_code=state_project');
    expect(list.status).toBe(200);
    const ids = list.json.map((r: any) => r.service_request_id);
    expect(ids).toEqual(expect.arrayContaining([cases.road.trackingNo, cases.anonymousRoad.trackingNo]));
    expect(ids).not.toContain(cases.dispute.trackingNo);
    for (const r of list.json) expect(Object.keys(r).sort()).toEqual([...PUBLIC_FIELDS].sort());
    const road = list.json.find((r: any) => r.service_request_id === cases.road.trackingNo);
    expect(road).toMatchObject({ status: 'open', service_code: 'state_project', address: 'อ.เมืองเชียงใหม่ จ.เชียงใหม่' });
    expect(road.status_notes).toContain('รับเรื่องแล้ว');
    expect(list.text).not.toContain(TEXT.road);
    expect(list.text).not.toContain('ช้างเผือก');
    noPerson(list.text);

    const one = await get(null, `/open311/v2/requests/${cases.dispute.trackingNo}.json`);
    expect(one.status).toBe(200);
    expect(Object.keys(one.json[0]).sort()).toEqual([...PUBLIC_FIELDS].sort());
    expect(one.text).not.toContain(TEXT.dispute);
    expect((await get(null, '/open311/v2/requests/2569-999999.json')).status).toBe(404);
    // Keyless reads are not personal data: nothing on the audit log for them, a counter in /metrics instead.
    expect(await stack.rt.models.Audit.countDocuments({ caseId: String(cases.dispute._id), action: 'partner_read', apiKeyId: null })).toBe(0);
    const metrics = await (await fetch(`${stack.web.url}/metrics`)).text();
    expect(Number(/^rongrian_open311_public_reads_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
  });

  it('keyless reads are rate-limited per IP with a clear 429; a key is not charged for them', async () => {
    const clock = { now: () => new Date('2026-11-21T03:00:05Z') };
    const rt = await createRuntime(loadConfig({ ...stack.env }), { clock });
    const web = await startWeb(rt, 0, '127.0.0.1');
    try {
      const read = (h: Record<string, string> = {}) => fetch(`${web.url}/open311/v2/requests.json?service_code=state_project`, { headers: h });
      for (let i = 0; i < 30; i++) expect((await read()).status).toBe(200);
      const over = await read();
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('55');
      const body = (await over.json()) as any;
      expect(body[0].description).toMatch(/without an API key from this address/);
      expect((await read({ 'x-api-key': district.key })).status).toBe(200);
    } finally {
      await web.close();
      await rt.close();
    }
  });
});

describe('every keyed read is audited', () => {
  it('a list writes one entry per case disclosed, with the key and the fields given', async () => {
    const since = new Date(Date.now() - 1000);
    const list = await get(district.key, '/api/v1/cases?pageSize=50');
    expect(list.status).toBe(200);
    const entries = await stack.rt.models.Audit.find({ action: 'partner_read', apiKeyId: district.id, via: 'api', at: { $gte: since } }).lean();
    const shown = list.json.items.map((i: any) => i.trackingNo);
    expect(entries).toHaveLength(shown.length);
    const byCase = new Map(entries.map((e) => [e.caseId, e.fields]));
    expect(byCase.get(String(cases.road._id))).toEqual(expect.arrayContaining(['trackingNo', 'status', 'description', 'area.lat', 'area.lng', 'area.subdistrictCode']));
    const dispute = byCase.get(String(cases.dispute._id))!;
    expect(dispute).toEqual(expect.arrayContaining(['trackingNo', 'area.districtCode']));
    for (const f of ['description', 'area.lat', 'area.subdistrictCode']) expect(dispute).not.toContain(f);

    await get(province.key, `/open311/v2/requests/${cases.official.trackingNo}.json`);
    const one = await stack.rt.models.Audit.findOne({ action: 'partner_read', apiKeyId: province.id, via: 'open311', caseId: String(cases.official._id) }).lean();
    expect(one?.fields).toEqual(expect.arrayContaining(['service_request_id', 'address']));
    expect(one?.fields).not.toContain('description');
    expect(one?.at).toBeInstanceOf(Date);
  });
});
