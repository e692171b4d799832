/**
 * What officers write and where it goes, on the real stack (app, workers, Redis, FerretDB, the LINE
 * simulator): an internal note reaches no citizen and no partner; an update's preview is the very
 * message the citizen then receives; templates come per category and action in both languages and
 * the admin CLI changes them; forward targets are found by name and never include the unit
 * complained about.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDetail, CaseTemplates, ForwardTargets, MessagePreview, OfficerCaseDetail, TemplateItem } from '../liff/api/schemas.ts';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import { DEFAULT_RESPONSE_TEMPLATES_FILE, readTemplatesFile, TEMPLATE_ACTIONS } from '../shared/templates.ts';
import { SUBJECT_CATEGORY_CODES } from '../shared/categories.ts';
import type { SimUser } from '../simulator/server.ts';
import { cli, createKey } from './helpers/exchange.ts';
import { drained, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

// The CLI edits a copy: the web process of this stack reads the same file (RESPONSE_TEMPLATES_FILE).
const TEMPLATES = join(mkdtempSync(join(tmpdir(), 'rongrian-templates-')), 'response-templates.json');
copyFileSync(DEFAULT_RESPONSE_TEMPLATES_FILE, TEMPLATES);
process.env.RESPONSE_TEMPLATES_FILE = TEMPLATES;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.rt.models.Unit.updateOne({ _id: 'DRR' }, { $set: { nameTh: 'กรมทางหลวงชนบท', nameEn: 'Department of Rural Roads', level: 'partner', parentCode: null } }, { upsert: true });
});
afterAll(async () => { await stack?.close(); });

interface Answer { status: number; json: any; text: string }
interface Person extends SimUser {
  get(path: string): Promise<Answer>;
  post(path: string, body?: unknown): Promise<Answer>;
}

async function call(token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

function asPerson(user: SimUser): Person {
  const token = stack.sim.issueIdToken(user.userId);
  return { ...user, get: (path) => call(token, 'GET', path), post: (path, body = {}) => call(token, 'POST', path, body) };
}
const citizen = async (name: string, lang = 'th') => asPerson(await stack.citizen(name, lang));
const officer = async (unitCode: string, name: string) => asPerson(await stack.officer(unitCode, 'officer', name));

async function fileCase(p: Person, over: Record<string, unknown> = {}): Promise<{ id: string; trackingNo: string }> {
  const a = await p.post('/cases', {
    category: 'help',
    description: 'ถนนในหมู่บ้านเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย ขอให้ช่วยประสานซ่อมด้วยค่ะ',
    location: { provinceCode: '50', districtCode: '5015' },
    anonymous: false, consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(),
    ...over,
  });
  expect(a.status, a.text).toBe(201);
  return a.json;
}

describe('internal note', () => {
  it('reaches no citizen: no LINE message, not on their page, not in the partner API; officers see it', async () => {
    const o = await officer('5015', 'สมศรี หางดง');
    const p = await citizen('ผู้ร้อง บันทึกภายใน');
    const { id, trackingNo } = await fileCase(p);
    expect((await o.post(`/officer/cases/${id}/accept`)).status).toBe(200);
    await waitForText(stack.sim, p.userId, `${trackingNo}: เจ้าหน้าที่รับเรื่องของท่านแล้ว`);
    await drained(stack);
    const before = textsOf(stack.sim, p.userId).length;

    const secret = 'โทรหาผู้ใหญ่บ้านแล้ว ผู้ร้องเคยมีเรื่องพิพาทกับ อบต. ให้ระวังการประสาน';
    const a = await o.post(`/officer/cases/${id}/internal-notes`, { text: secret });
    expect(a.status, a.text).toBe(200);
    // Writing a note is not "taking action" the citizen sees: the status stays as it was.
    expect(CaseDetail.parse(a.json)).toMatchObject({ status: 'assigned' });
    await drained(stack);
    expect(textsOf(stack.sim, p.userId)).toHaveLength(before);
    expect(textsOf(stack.sim, p.userId).join('\n')).not.toContain('ผู้ใหญ่บ้าน');

    const mine = await p.get(`/cases/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.text).not.toContain('ผู้ใหญ่บ้าน');
    expect(CaseDetail.parse(mine.json).timeline.map((t) => t.action)).toEqual(['opened', 'assigned']);

    const seen = OfficerCaseDetail.parse((await o.get(`/officer/cases/${id}`)).json);
    expect(seen.timeline.at(-1)).toMatchObject({ action: 'internal_note', actorName: 'สมศรี หางดง', textTh: 'บันทึกภายใน (เฉพาะเจ้าหน้าที่)', note: secret });

    // A partner agency's key for this unit reads the case without the note (not even as a step).
    const { key } = await createKey(stack.env, '5015', 'ทดสอบ บันทึกภายใน');
    const partner = await fetch(`${stack.web.url}/api/v1/cases/${trackingNo}`, { headers: { authorization: `Bearer ${key}` } });
    expect(partner.status).toBe(200);
    const body = await partner.json();
    expect(body.timeline.map((t: any) => t.action)).toEqual(['opened', 'assigned']);

    // Another unit's officer cannot write one; a closed case takes none.
    const other = await officer('5001', 'จนท. เมือง');
    expect((await other.post(`/officer/cases/${id}/internal-notes`, { text: 'แอบเขียน' })).status).toBe(404);
    expect((await o.post(`/officer/cases/${id}/close`, { summary: 'ซ่อมถนนเรียบร้อยแล้ว' })).status).toBe(200);
    const late = await o.post(`/officer/cases/${id}/internal-notes`, { text: 'หลังปิดเรื่อง' });
    expect(late.status).toBe(409);
    expect(late.json.error.message.th).toMatch(/[\u0E00-\u0E7F]/);
    const empty = await o.post(`/officer/cases/${id}/internal-notes`, { text: '   ' });
    expect(empty.status).toBe(400);
  });
});

describe('update to the citizen', () => {
  it('the preview is exactly the message the citizen then receives, in their language', async () => {
    const o = await officer('5015', 'สมชาย แจ้งผล');
    const en = await citizen('Foreign Resident', 'en');
    const { id, trackingNo } = await fileCase(en);
    const text = 'The district has asked the Rural Roads office to repair the road this week.';
    const preview = await o.post(`/officer/cases/${id}/preview`, { kind: 'update', text });
    expect(preview.status, preview.text).toBe(200);
    const pv = MessagePreview.parse(preview.json);
    expect(pv).toMatchObject({ kind: 'update', lang: 'en', toLine: true });
    expect(pv.text).toContain(trackingNo);
    // Previewing sends nothing and writes nothing.
    await drained(stack);
    expect(textsOf(stack.sim, en.userId).join('\n')).not.toContain(text);
    expect((await stack.rt.models.Case.findById(id).lean())!.timeline.map((e) => e.action)).toEqual(['opened']);

    expect((await o.post(`/officer/cases/${id}/notes`, { text })).status).toBe(200);
    const got = await waitForText(stack.sim, en.userId, text);
    expect(got).toBe(pv.text);

    // A Thai citizen, a question: the same holds.
    const th = await citizen('ผู้ร้อง ภาษาไทย', 'th');
    const c2 = await fileCase(th);
    const q = 'ขอความกรุณาส่งภาพถ่ายจุดที่ถนนชำรุดเพิ่มเติม';
    const pq = MessagePreview.parse((await o.post(`/officer/cases/${c2.id}/preview`, { kind: 'ask', text: q })).json);
    expect(pq.lang).toBe('th');
    expect(pq.text).toContain('เจ้าหน้าที่ขอข้อมูลเพิ่มเติม');
    expect((await o.post(`/officer/cases/${c2.id}/ask`, { question: q })).status).toBe(200);
    expect(await waitForText(stack.sim, th.userId, q)).toBe(pq.text);

    // Not this unit's case: 404; a kind that does not exist: 400 in Thai and English.
    expect((await (await officer('5001', 'จนท. อื่น')).post(`/officer/cases/${id}/preview`, { kind: 'update', text })).status).toBe(404);
    const bad = await o.post(`/officer/cases/${id}/preview`, { kind: 'shout', text });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields[0]).toMatchObject({ path: 'kind' });
  });
});

describe('response templates', () => {
  it('are listed per category and action in Thai and English, filled for a case, and the CLI changes them', async () => {
    const o = await officer('5015', 'สมหญิง แม่แบบ');
    const list = await o.get('/officer/templates?action=update&category=dispute');
    expect(list.status, list.text).toBe(200);
    const items = list.json.map((t: unknown) => TemplateItem.parse(t));
    // Made for the category first, then the general ones; none for another action or category.
    expect(items.map((t: any) => t.id)).toEqual(['update-site-visit', 'update-mediation', 'update-coordinating']);
    for (const t of items) {
      expect(t.th).toMatch(/[\u0E00-\u0E7F]/);
      expect(t.en).toMatch(/^[\x20-\x7E]+$/);
    }
    expect((await o.get('/officer/templates?action=close&category=official')).json.map((t: any) => t.id)).toContain('close-official-action');
    expect((await o.get('/officer/templates?action=close&category=help')).json.map((t: any) => t.id)).not.toContain('close-official-action');
    expect((await o.get('/officer/templates?action=sing')).status).toBe(400);
    expect((await (await citizen('ประชาชน อยากรู้')).get('/officer/templates')).status).toBe(404);

    const p = await citizen('ผู้ร้อง แม่แบบ');
    const { id, trackingNo } = await fileCase(p);
    const filled = CaseTemplates.parse((await o.get(`/officer/cases/${id}/templates?action=close`)).json);
    expect(filled.lang).toBe('th');
    const resolved = filled.templates.find((t) => t.id === 'close-resolved')!;
    expect(resolved.th).toContain('ศูนย์ดำรงธรรมอำเภอหางดง');
    expect(resolved.en).toContain('Damrongdhama Centre, Hang Dong District');
    expect(JSON.stringify(filled)).not.toMatch(/\{(unitName|trackingNo|categoryName)\}/);

    const set = await cli(stack.env, ['templates', 'set', 'update-road-repair', '--action', 'update', '--categories', 'help,state_project',
      '--title-th', 'แจ้งกำหนดซ่อม', '--title-en', 'Repair date',
      '--th', 'เรื่องเลขที่ {trackingNo}: หน่วยงานแจ้งกำหนดเข้าซ่อมแซมแล้ว', '--en', 'Case {trackingNo}: the agency has set a repair date.']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('added update-road-repair');
    const listed = await cli(stack.env, ['templates', 'list', '--action', 'update', '--category', 'help']);
    expect(listed.stdout).toContain('update-road-repair');
    const now = CaseTemplates.parse((await o.get(`/officer/cases/${id}/templates?action=update`)).json);
    expect(now.templates.find((t) => t.id === 'update-road-repair')?.th).toBe(`เรื่องเลขที่ ${trackingNo}: หน่วยงานแจ้งกำหนดเข้าซ่อมแซมแล้ว`);

    // A bad template is refused with the reason, and the file stays as it was.
    const file = readFileSync(TEMPLATES, 'utf8');
    const bad = await cli(stack.env, ['templates', 'set', 'update-bad', '--action', 'update', '--title-th', 'ผิด', '--title-en', 'Bad',
      '--th', 'ข้อความที่มี {citizenName} ซึ่งไม่มีให้ใช้', '--en', 'Text with {citizenName}, which does not exist']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown placeholder');
    expect(readFileSync(TEMPLATES, 'utf8')).toBe(file);

    const removed = await cli(stack.env, ['templates', 'remove', 'update-road-repair']);
    expect(removed.code).toBe(0);
    expect((await o.get('/officer/templates?action=update&category=help')).json.map((t: any) => t.id)).not.toContain('update-road-repair');
    expect((await cli(stack.env, ['templates', 'show', 'update-road-repair'])).code).toBe(1);
  });
});

describe('the template file', () => {
  it('ships a template for every action and category, and a broken file is refused naming the template and key', () => {
    const all = readTemplatesFile(DEFAULT_RESPONSE_TEMPLATES_FILE).templates;
    for (const action of TEMPLATE_ACTIONS) {
      for (const cat of SUBJECT_CATEGORY_CODES) {
        expect(all.some((t) => t.action === action && (!t.categories.length || t.categories.includes(cat))), `${action}/${cat}`).toBe(true);
      }
    }
    const broken = join(mkdtempSync(join(tmpdir(), 'rongrian-templates-bad-')), 'bad.json');
    writeFileSync(broken, JSON.stringify({ templates: [all[0], { ...all[1], categories: ['weather'] }] }));
    expect(() => readTemplatesFile(broken)).toThrow(new RegExp(`template ${all[1].id}: templates\\.1\\.categories\\.0: Invalid option`));
    writeFileSync(broken, JSON.stringify({ templates: [all[0], { ...all[1], id: all[0].id }] }));
    expect(() => readTemplatesFile(broken)).toThrow(`duplicate id ${all[0].id}`);
  });
});

describe('forward picker', () => {
  it('finds units by Thai or English name, suggests the area\'s centres and partners first, never the unit complained about', async () => {
    const province = await officer('50', 'หัวหน้า ศูนย์จังหวัด');
    const p = await citizen('ผู้ร้อง เจ้าหน้าที่');
    // About an official of Mueang Chiang Mai: held by the province, 5001 is the unit concerned.
    const official = await fileCase(p, { category: 'official', location: { provinceCode: '50', districtCode: '5001' } });
    expect(await stack.rt.models.Case.findById(official.id).lean()).toMatchObject({ unitCode: '50', concernedUnitCode: '5001' });

    const th = ForwardTargets.parse((await province.get(`/officer/cases/${official.id}/forward-targets?q=${encodeURIComponent('หางดง')}`)).json);
    expect(th[0]).toMatchObject({ code: '5015', nameTh: 'ศูนย์ดำรงธรรมอำเภอหางดง', areaTh: 'อำเภอหางดง จังหวัดเชียงใหม่' });
    const en = ForwardTargets.parse((await province.get(`/officer/cases/${official.id}/forward-targets?q=${encodeURIComponent('hang dong')}`)).json);
    expect(en[0]).toMatchObject({ code: '5015', nameEn: 'Damrongdhama Centre, Hang Dong District' });
    const mueang = ForwardTargets.parse((await province.get(`/officer/cases/${official.id}/forward-targets?q=${encodeURIComponent('เมืองเชียงใหม่')}`)).json);
    expect(mueang.map((u) => u.code)).not.toContain('5001');
    // A province's name finds its district centres too (and never the one complained about).
    const byProvince = ForwardTargets.parse((await province.get(`/officer/cases/${official.id}/forward-targets?q=${encodeURIComponent('เชียงใหม่')}`)).json);
    expect(byProvince.map((u) => u.code)).toEqual(expect.arrayContaining(['5015', '5002']));
    expect(byProvince.map((u) => u.code)).not.toContain('5001');
    expect(byProvince.map((u) => u.code)).not.toContain('50');
    const suggestions = ForwardTargets.parse((await province.get(`/officer/cases/${official.id}/forward-targets`)).json);
    expect(suggestions.map((u) => u.code)).toContain('DRR');
    expect(suggestions.map((u) => u.code)).not.toContain('5001');
    expect(suggestions.every((u) => u.suggested)).toBe(true);

    // A road in Hang Dong: the district has it; it goes to the rural roads department, whose officer
    // is offered the case's district and province centres first.
    const district = await officer('5015', 'จนท. หางดง');
    const road = await fileCase(p);
    const fromDistrict = ForwardTargets.parse((await district.get(`/officer/cases/${road.id}/forward-targets`)).json);
    expect(fromDistrict.map((u) => u.code)).toEqual(['50', 'DRR']);
    const drr = fromDistrict.find((u) => u.code === 'DRR')!;
    expect(drr).toMatchObject({ nameTh: 'กรมทางหลวงชนบท', level: 'partner', suggested: true });
    expect((await district.post(`/officer/cases/${road.id}/forward`, { unitCode: drr.code, reason: 'ถนนของกรมทางหลวงชนบท' })).status).toBe(200);
    const partnerOfficer = await officer('DRR', 'จนท. ทางหลวงชนบท');
    const fromPartner = ForwardTargets.parse((await partnerOfficer.get(`/officer/cases/${road.id}/forward-targets`)).json);
    expect(fromPartner.slice(0, 2).map((u) => u.code)).toEqual(['5015', '50']);
    expect(fromPartner.map((u) => u.code)).not.toContain('DRR');

    // Someone else's case is not found; a control character in the query is refused.
    expect((await district.get(`/officer/cases/${official.id}/forward-targets`)).status).toBe(404);
    expect((await province.get(`/officer/cases/${official.id}/forward-targets?q=%00`)).status).toBe(400);
  });
});
