import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCaseGuarded } from '../shared/store/guardedUpdate.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { createOfficerInvite } from '../shared/officers/invites.ts';
import { converse, drained, startStack, type Stack } from './helpers/stack.ts';

/** Width and height from a PNG's IHDR chunk (and that it is a PNG at all). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('officers get their own rich menu', () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.close(); });

  const menuOf = (userId: string): any => {
    const id = stack.sim.userRichMenu(userId);
    return id ? { richMenuId: id, ...stack.sim.richMenus.get(id) } : undefined;
  };
  const labels = (menu: any) => menu.areas.map((a: any) => a.action.label);
  async function imageOf(richMenuId: string): Promise<Buffer> {
    const res = await fetch(`${stack.sim.url}/v2/bot/richmenu/${richMenuId}/content`, { headers: { authorization: `Bearer ${stack.config.LINE_CHANNEL_ACCESS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/png');
    return Buffer.from(await res.arrayBuffer());
  }

  it('ลงทะเบียน <code> swaps the citizen menu for the officer menu; a head gets หน่วยงานล่าช้า too', async () => {
    const { sim, rt } = stack;
    const person = sim.addUser({ displayName: 'จนท. ใหม่', language: 'th' });
    await converse(sim, person.userId, () => sim.follow(person.userId));
    const citizenMenu = menuOf(person.userId);
    expect(labels(citizenMenu)).toContain('แจ้งเรื่องร้องเรียน');

    const { code } = await createOfficerInvite(rt.models, rt.clock, { unitCode: '5001', role: 'officer' });
    const ok = await converse(sim, person.userId, () => sim.sendText(person.userId, `ลงทะเบียน ${code}`));
    expect(ok.text).toContain('ลงทะเบียนเจ้าหน้าที่สำเร็จ');
    const officerMenu = menuOf(person.userId);
    expect(officerMenu.richMenuId).not.toBe(citizenMenu.richMenuId);
    expect(labels(officerMenu)).toEqual(['งานของฉัน', 'หน้าเจ้าหน้าที่', 'วิธีใช้']);
    expect(officerMenu.areas[1].action).toMatchObject({ type: 'uri', uri: expect.stringContaining('/liff/#/officer') });
    // The areas tile the whole image, and the image is a PNG of exactly the menu's size.
    expect(officerMenu.areas.reduce((w: number, a: any) => w + a.bounds.width, 0)).toBe(officerMenu.size.width);
    expect(pngSize(await imageOf(officerMenu.richMenuId))).toEqual(officerMenu.size);

    const { code: headCode } = await createOfficerInvite(rt.models, rt.clock, { unitCode: '50', role: 'head' });
    const head = sim.addUser({ displayName: 'หัวหน้า ใหม่', language: 'th' });
    await converse(sim, head.userId, () => sim.sendText(head.userId, `ลงทะเบียน ${headCode}`));
    const headMenu = menuOf(head.userId);
    expect(labels(headMenu)).toEqual(['งานของฉัน', 'หน่วยงานล่าช้า', 'หน้าเจ้าหน้าที่', 'วิธีใช้']);
    expect(pngSize(await imageOf(headMenu.richMenuId))).toEqual(headMenu.size);
    // The second officer of a kind reuses the menu instead of creating another.
    const { code: code2 } = await createOfficerInvite(rt.models, rt.clock, { unitCode: '5002', role: 'officer' });
    const second = sim.addUser({ displayName: 'จนท. จอมทอง', language: 'th' });
    await converse(sim, second.userId, () => sim.sendText(second.userId, `ลงทะเบียน ${code2}`));
    expect(menuOf(second.userId).richMenuId).toBe(officerMenu.richMenuId);
    expect([...sim.richMenus.values()].filter((m: any) => /^rongrian-officer-/.test(m.name))).toHaveLength(1);

    // Blocking and re-adding the bot: the officer keeps the officer menu, not the citizen's.
    await sim.unfollow(person.userId);
    await converse(sim, person.userId, () => sim.follow(person.userId));
    expect(menuOf(person.userId).richMenuId).toBe(officerMenu.richMenuId);
  });

  it('the menu buttons answer: งานของฉัน lists my open cases, วิธีใช้ the officer commands; citizens are told it is for officers', async () => {
    const { sim, rt } = stack;
    const officer = await stack.officer('5003', 'officer', 'จนท. สันป่าตอง');
    const doc = await rt.models.Officer.findOne({ lineUserId: officer.userId }).lean();
    const open = (n: number) => openCase(rt.bot, {
      idempotencyKey: `menu-${n}`, channel: 'line', category: 'help', description: 'ไฟฟ้าส่องสว่างในซอยดับมาหลายวันแล้ว',
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5003', districtName: 'จอมทอง' },
      complainant: { name: 'ผู้ร้อง', lang: 'th' }, consent: { version: '2569.1', at: new Date() }, by: { kind: 'citizen', id: 'x' },
    });
    const mine = await open(1);
    const untaken = await open(2);
    // Through the version claim, as every case write: the worker plans and counts the new cases at
    // this moment, and on FerretDB a plain update racing those writes (read → replace) can be erased.
    await updateCaseGuarded(rt.models, String(mine._id), {}, { $set: { unitCode: '5003', status: 'assigned', assignee: { officerId: String(doc!._id), name: 'จนท. สันป่าตอง' } } });
    await updateCaseGuarded(rt.models, String(untaken._id), {}, { $set: { unitCode: '5003' } });
    // The new-case alerts go out first: the reply awaited below must not be taken for one of them.
    await drained(stack);

    const work = await converse(sim, officer.userId, () => sim.sendText(officer.userId, 'งานของฉัน'));
    expect(work.text).toContain('เรื่องที่ท่านรับผิดชอบ ยังไม่ยุติ: 1 เรื่อง');
    expect(work.text).toContain(mine.trackingNo);
    expect(work.text).not.toContain(untaken.trackingNo);
    expect(work.text).toContain('ยังไม่มีผู้รับ: 1 เรื่อง');
    expect(work.text).toContain('/liff/#/officer');

    const help = await converse(sim, officer.userId, () => sim.sendText(officer.userId, 'วิธีใช้'));
    expect(help.text).toContain('งานของฉัน');
    expect(help.text).not.toContain('หน่วยงานล่าช้า');

    const citizen = await stack.citizen();
    expect((await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'งานของฉัน'))).text).toContain('สำหรับเจ้าหน้าที่ที่ลงทะเบียนแล้ว');
    // วิธีใช้ from a citizen is the citizen's help, not the officers'.
    expect((await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'วิธีใช้'))).text).not.toContain('สำหรับเจ้าหน้าที่');
  });
});
