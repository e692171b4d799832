/**
 * Partner agencies on the real stack (app, workers, Redis, FerretDB, the LINE simulator): the CSV
 * import from the command line (dry run, idempotent, rejects with reasons, writes nothing on error),
 * a street light in the demo subdistrict opening at the municipality with the centre's head copied
 * and the citizen told of the agency's result, a `suggest` type opening at the centre whose alert card
 * forwards it in one tap, and an agency that receives by API reading its case with its own key.
 * Escalation of a late agency: tests/agencies-sla.test.ts. The pure parts: tests/unit/agencies-routing.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAgencies } from '../shared/agencies/importCsv.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import type { SimUser } from '../simulator/server.ts';
import { cli, createKey } from './helpers/exchange.ts';
import { drained, lastMessage, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

const DEMO = new URL('../config/agencies-demo.csv', import.meta.url).pathname;
const MUN = 'AG-CM-HANGDONG-MUN';
const HANG_DONG = { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5015', districtName: 'หางดง', subdistrictCode: '501501', subdistrictName: 'หางดง' };

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

let seq = 0;
function fileCase(citizen: SimUser, problemType: string, description: string, category: 'help' | 'tipoff' = 'help') {
  return openCase(stack.rt.bot, {
    idempotencyKey: `agencies-${++seq}`, channel: 'line', category, problemType, description, location: HANG_DONG,
    complainant: { lineUserId: citizen.userId, name: 'ผู้ร้อง หางดง', lang: 'th' }, consent: { version: '2569.1', at: new Date() },
    via: 'liff', by: { kind: 'citizen', id: citizen.userId },
  });
}

async function liff(user: SimUser, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method, headers: { authorization: `Bearer ${stack.sim.issueIdToken(user.userId)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

const flexButtons = (msg: any): { label: string; data: string }[] => {
  const out: { label: string; data: string }[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (n.type === 'button' && n.action?.type === 'postback') out.push({ label: n.action.label, data: n.action.data });
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  walk(msg?.contents);
  return out;
};

describe('npm run cli -- agencies', () => {
  it('dry run writes nothing; import creates; re-import changes nothing; a changed line updates; a bad file is refused whole', async () => {
    const dry = await cli(stack.env, ['agencies', 'import', DEMO, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('5 would be created');
    expect(await stack.rt.models.Unit.countDocuments({ level: 'partner' })).toBe(0);

    const first = await cli(stack.env, ['agencies', 'import', DEMO]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('สร้าง 5 แก้ไข 0 ไม่เปลี่ยน 0 / 5 created, 0 updated, 0 unchanged');
    const mun = await stack.rt.models.Unit.findById(MUN).lean();
    expect(mun).toMatchObject({ level: 'partner', parentCode: '5015', agencyType: 'local_admin', receives: 'line', serviceArea: { subdistrictCodes: ['501501', '501502', '501503'] } });

    const again = await cli(stack.env, ['agencies', 'import', DEMO]);
    expect(again.stdout).toContain('0 created, 0 updated, 5 unchanged');

    const dir = mkdtempSync(join(tmpdir(), 'agencies-'));
    const changed = join(dir, 'changed.csv');
    writeFileSync(changed, readFileSync(DEMO, 'utf8').replace('traffic;safety_drugs,line', 'traffic;safety_drugs,api'));
    const upd = await cli(stack.env, ['agencies', 'import', changed]);
    expect(upd.stdout).toContain('0 created, 1 updated, 4 unchanged');
    expect(upd.stdout).toContain('~ AG-CM-HANGDONG-POLICE');
    expect((await stack.rt.models.Unit.findById('AG-CM-HANGDONG-POLICE').lean())!.receives).toBe('api');

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${readFileSync(DEMO, 'utf8').replace('ตำรวจหางดง', 'ตำรวจหางดงใหม่')}AG-NEW,ใหม่,New,utility,5015,50,5015,501599,water_supply,line\n`);
    const refused = await cli(stack.env, ['agencies', 'import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('บรรทัด 7 / line 7: ไม่รู้จักรหัสตำบล 501599 / unknown subdistrict code 501599');
    expect(refused.stderr).toContain('nothing imported');
    // The good line before it was not applied either.
    expect((await stack.rt.models.Unit.findById('AG-CM-HANGDONG-POLICE').lean())!.nameTh).toBe('สถานีตำรวจหางดง (ตัวอย่าง)');
    expect(await stack.rt.models.Unit.countDocuments({ level: 'partner' })).toBe(5);

    const list = await cli(stack.env, ['agencies', 'list']);
    expect(list.stdout).toMatch(/AG-CM-HANGDONG-MUN\tเทศบาลตำบลหางดง \(ตัวอย่าง\).*supervised by 5015\tsubdistricts 501501;501502;501503/);
    // Back to the demo file for the journeys below (and the cache of this process forgets the old list).
    await importAgencies(stack.rt.models, readFileSync(DEMO, 'utf8'));
  });
});

describe('a direct type: the agency gets it, the centre is copied, the agency\'s result reaches the citizen', () => {
  it('street light in ต.หางดง opens at the municipality; its officer closes it from LIFF and the citizen is told', async () => {
    const agencyOfficer = await stack.officer(MUN, 'officer', 'จนท. เทศบาลหางดง');
    const centreHead = await stack.officer('5015', 'head', 'หัวหน้า ศูนย์ดำรงธรรมอำเภอหางดง');
    const citizen = await stack.citizen('ผู้ร้อง ไฟถนน');
    const c = await fileCase(citizen, 'street_light', 'ไฟถนนหน้าวัดหางดงดับมาสองสัปดาห์แล้ว มืดมาก');
    expect(c.unitCode).toBe(MUN);

    // The citizen is told honestly who holds it; the agency's officer gets the alert card.
    await waitForText(stack.sim, citizen.userId, 'เทศบาลตำบลหางดง (ตัวอย่าง)');
    await waitForText(stack.sim, agencyOfficer.userId, `[flex] `);
    expect(textsOf(stack.sim, agencyOfficer.userId).join('\n')).toContain(c.trackingNo);
    // The supervising centre's head is copied, with the link to follow it.
    const copyText = await waitForText(stack.sim, centreHead.userId, 'สำเนาเพื่อทราบ');
    expect(copyText).toContain(c.trackingNo);
    expect(copyText).toContain('เทศบาลตำบลหางดง (ตัวอย่าง)');
    // …and that head may open it (the agency is below the centre); another district's head may not.
    expect((await liff(centreHead, 'GET', `/officer/cases/${c._id}`)).status).toBe(200);
    const otherHead = await stack.officer('5001', 'head', 'หัวหน้า เมืองเชียงใหม่');
    expect((await liff(otherHead, 'GET', `/officer/cases/${c._id}`)).status).toBe(404);

    expect((await liff(agencyOfficer, 'POST', `/officer/cases/${c._id}/accept`, {})).status).toBe(200);
    const closed = await liff(agencyOfficer, 'POST', `/officer/cases/${c._id}/close`, { summary: 'เปลี่ยนหลอดไฟถนนหน้าวัดเรียบร้อยแล้ว' });
    expect(closed.status).toBe(200);
    const told = await waitForText(stack.sim, citizen.userId, 'เปลี่ยนหลอดไฟถนนหน้าวัดเรียบร้อยแล้ว');
    expect(told).toContain(c.trackingNo);
    await drained(stack);
  });

  it('an agency with nobody registered: the alert climbs to its supervising centre', async () => {
    const citizen = await stack.citizen('ผู้ร้อง น้ำประปา');
    const centreOfficer = await stack.officer('5015', 'officer', 'จนท. ศูนย์ดำรงธรรมอำเภอหางดง');
    const c = await fileCase(citizen, 'water_supply', 'น้ำประปาไม่ไหลมาสามวันแล้วทั้งซอย');
    expect(c.unitCode).toBe('AG-CM-HANGDONG-WATER');
    // Up the ladder only supervisors (who may act on the agency's case): the head of 5015 from the test above.
    const head = await stack.rt.models.Officer.findOne({ unitCode: '5015', role: 'head' }).lean();
    await waitForText(stack.sim, head!.lineUserId, `[flex] `);
    const card = stack.sim.messagesFor(head!.lineUserId).flatMap((r) => r.messages).filter((m: any) => m.type === 'flex').at(-1) as any;
    expect(JSON.stringify(card)).toContain(c.trackingNo);
    expect(JSON.stringify(card)).toContain('การประปาสาขาหางดง (ตัวอย่าง)');
    expect(flexButtons(card).map((b) => b.data)).toContain(`a=takeover&c=${c._id}`);
    await drained(stack);
    expect(textsOf(stack.sim, centreOfficer.userId).join('\n')).not.toContain(c.trackingNo);
    // The citizen hears who holds it in practice.
    await waitForText(stack.sim, citizen.userId, 'ยังไม่มีเจ้าหน้าที่');
  });
});

describe('a suggest type: the centre forwards it to the agency in one tap', () => {
  it('stray dogs in ต.หางดง open at the centre with the municipality offered; ส่งต่อหน่วยงาน forwards it', async () => {
    const centreOfficer = await stack.officer('5015', 'officer', 'จนท. ศูนย์ฯ หางดง 2');
    const agencyOfficer = await stack.rt.models.Officer.findOne({ unitCode: MUN }).lean();
    const citizen = await stack.citizen('ผู้ร้อง สุนัขจรจัด');
    const c = await fileCase(citizen, 'stray_animals', 'สุนัขจรจัดฝูงใหญ่ไล่กัดเด็กนักเรียนหน้าโรงเรียน');
    expect(c).toMatchObject({ unitCode: '5015', suggestedUnitCode: MUN });

    await waitForText(stack.sim, centreOfficer.userId, '[flex] ');
    const card = lastMessage(stack.sim, centreOfficer.userId);
    expect(JSON.stringify(card.contents)).toContain('หน่วยงานที่แก้ปัญหานี้ในพื้นที่: เทศบาลตำบลหางดง (ตัวอย่าง)');
    const forward = flexButtons(card).find((b) => b.label === 'ส่งต่อหน่วยงาน');
    expect(forward?.data).toBe(`a=fwdAgency&c=${c._id}`);

    const before = stack.sim.messagesFor(centreOfficer.userId).length;
    await stack.sim.sendPostback(centreOfficer.userId, forward!.data);
    await stack.sim.waitForMessages(centreOfficer.userId, before + 1, 15_000);
    expect(lastMessage(stack.sim, centreOfficer.userId).text).toBe(`ส่งเรื่อง ${c.trackingNo} ต่อไปยังเทศบาลตำบลหางดง (ตัวอย่าง)แล้วค่ะ ศูนย์ฯ ยังติดตามเรื่องและกำหนดเวลาได้ตามเดิม`);
    const saved = await stack.rt.models.Case.findById(c._id).lean();
    expect(saved).toMatchObject({ unitCode: MUN, status: 'forwarded' });
    // The agency gets the card as for a new case; the citizen is told where it went.
    await waitForText(stack.sim, agencyOfficer!.lineUserId, `[flex] เรื่องใหม่ ${c.trackingNo}`);
    const agencyCard = stack.sim.messagesFor(agencyOfficer!.lineUserId).flatMap((r) => r.messages).find((m: any) => m.type === 'flex' && m.altText.includes(c.trackingNo));
    expect(JSON.stringify(agencyCard)).toContain('ส่งต่อจากศูนย์ดำรงธรรมอำเภอหางดง: ส่งต่อเทศบาลตำบลหางดง (ตัวอย่าง) ซึ่งรับผิดชอบปัญหาประเภทนี้ในพื้นที่');
    await waitForText(stack.sim, citizen.userId, 'เทศบาลตำบลหางดง (ตัวอย่าง)');

    // Pressed again (or late): the case is the agency's now, not the centre officer's.
    const n = stack.sim.messagesFor(centreOfficer.userId).length;
    await stack.sim.sendPostback(centreOfficer.userId, forward!.data);
    await stack.sim.waitForMessages(centreOfficer.userId, n + 1, 15_000);
    expect(lastMessage(stack.sim, centreOfficer.userId).text).toBe('เรื่องนี้ไม่อยู่ในความรับผิดชอบของหน่วยงานท่าน หรือท่านยังไม่ได้ลงทะเบียนเป็นเจ้าหน้าที่');
    expect((await stack.rt.models.Case.findById(c._id).lean())!.timeline.filter((e) => e.action === 'forwarded')).toHaveLength(1);
    await drained(stack);
  });

  it('the LIFF case page data offers the agency while the case is at the centre, and never for a case about officials', async () => {
    const centreOfficer = await stack.officer('5015', 'officer', 'จนท. ศูนย์ฯ หางดง 3');
    const citizen = await stack.citizen('ผู้ร้อง เสียงดัง');
    const c = await fileCase(citizen, 'nuisance', 'ร้านคาราโอเกะเปิดเสียงดังถึงตีสามทุกคืน');
    const page = await liff(centreOfficer, 'GET', `/officer/cases/${c._id}`);
    expect(page.json.suggestedAgency).toEqual({ code: MUN, nameTh: 'เทศบาลตำบลหางดง (ตัวอย่าง)', nameEn: 'Hang Dong Subdistrict Municipality (example)' });
    const aboutOfficials = await openCase(stack.rt.bot, {
      idempotencyKey: `agencies-${++seq}`, channel: 'line', category: 'official', problemType: 'official', description: 'เจ้าหน้าที่เทศบาลพูดจาไม่สุภาพกับผู้มาติดต่อ',
      location: HANG_DONG, complainant: { lineUserId: citizen.userId, lang: 'th' }, by: { kind: 'citizen', id: citizen.userId },
    });
    expect(aboutOfficials).toMatchObject({ unitCode: '50', concernedUnitCode: '5015' });
    expect(aboutOfficials.suggestedUnitCode).toBeUndefined();
    await drained(stack);
  });
});

describe('an agency that receives by API', () => {
  it('its key reads the case routed to it, without the complainant\'s personal data', async () => {
    const citizen = await stack.citizen('ผู้ร้อง ไฟฟ้าดับ');
    const c = await fileCase(citizen, 'electricity', 'ไฟฟ้าดับทั้งหมู่บ้านตั้งแต่เมื่อคืน สายไฟขาดพาดถนน');
    expect(c.unitCode).toBe('AG-CM-HANGDONG-POWER');
    const { key } = await createKey(stack.env, 'AG-CM-HANGDONG-POWER', 'PEA Hang Dong (test)');
    const get = await fetch(`${stack.web.url}/api/v1/cases/${c.trackingNo}`, { headers: { 'x-api-key': key } });
    expect(get.status, await get.clone().text()).toBe(200);
    const body = JSON.stringify(await get.json());
    expect(body).toContain(c.trackingNo);
    expect(body).not.toContain('ผู้ร้อง หางดง');
    expect(body).not.toContain(citizen.userId);
  });

  it('reports progress and the result through the API; the citizen is told each once, and only the holding unit may write', async () => {
    const { key } = await createKey(stack.env, 'AG-CM-HANGDONG-POWER', 'PEA Hang Dong (updates)');
    const citizen = await stack.citizen('ผู้ร้อง ไฟตก');
    const c = await fileCase(citizen, 'electricity', 'ไฟตกทุกเย็น หลอดไฟในบ้านกะพริบ ตู้เย็นเสียไปแล้วหนึ่งเครื่อง');
    expect(c.unitCode).toBe('AG-CM-HANGDONG-POWER');
    // It takes its cases by API: the citizen is not told that nobody there is registered.
    const filed = await waitForText(stack.sim, citizen.userId, c.trackingNo);
    expect(filed).toContain('การไฟฟ้าอำเภอหางดง (ตัวอย่าง)');
    expect(filed).not.toContain('ยังไม่มีเจ้าหน้าที่');
    const post = (body: unknown, k = key) => fetch(`${stack.web.url}/api/v1/cases/${c.trackingNo}/updates`, {
      method: 'POST', headers: { 'x-api-key': k, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });

    const progress = await post({ kind: 'progress', text: 'ส่งช่างตรวจหม้อแปลงแล้ว จะเปลี่ยนให้ภายในวันพรุ่งนี้', update_id: 'pea-1' });
    expect(progress.status, await progress.clone().text()).toBe(201);
    expect((await progress.json()).status).toBe('in_progress');
    await waitForText(stack.sim, citizen.userId, 'ส่งช่างตรวจหม้อแปลงแล้ว');
    // A retry of the same update writes nothing and tells nobody again.
    expect((await post({ kind: 'progress', text: 'ส่งช่างตรวจหม้อแปลงแล้ว จะเปลี่ยนให้ภายในวันพรุ่งนี้', update_id: 'pea-1' })).status).toBe(201);

    // A key of the province above reads the case but does not work it.
    const { key: provinceKey } = await createKey(stack.env, '50', 'Chiang Mai (read only)');
    const refused = await post({ kind: 'result', text: 'ปิดเรื่องแทน' }, provinceKey);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message.th).toContain('ไม่ได้เป็นผู้รับผิดชอบ');

    expect((await post({ kind: 'done', text: 'x' })).status).toBe(400);

    const result = await post({ kind: 'result', text: 'เปลี่ยนหม้อแปลงขนาดใหญ่ขึ้นแล้ว แรงดันไฟปกติ', update_id: 'pea-2' });
    expect(result.status, await result.clone().text()).toBe(201);
    expect((await result.json()).status).toBe('closed');
    await waitForText(stack.sim, citizen.userId, 'เปลี่ยนหม้อแปลงขนาดใหญ่ขึ้นแล้ว');
    expect((await post({ kind: 'result', text: 'เปลี่ยนหม้อแปลงขนาดใหญ่ขึ้นแล้ว แรงดันไฟปกติ', update_id: 'pea-2' })).status).toBe(201);
    const late = await post({ kind: 'progress', text: 'อีกเรื่องหนึ่ง', update_id: 'pea-3' });
    expect(late.status).toBe(409);

    await drained(stack);
    const texts = textsOf(stack.sim, citizen.userId);
    expect(texts.filter((t) => t.includes('ส่งช่างตรวจหม้อแปลงแล้ว'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('เปลี่ยนหม้อแปลงขนาดใหญ่ขึ้นแล้ว'))).toHaveLength(1);
    const stored = await stack.rt.models.Case.findById(c._id).lean();
    expect(stored!.timeline.filter((e) => e.action === 'note')).toHaveLength(1);
    expect(stored!.timeline.at(-1)!.by.name).toBe('PEA Hang Dong (updates)');
  });
});
