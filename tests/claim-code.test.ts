/**
 * Linking a case recorded from another channel (hotline, letter, walk-in) to the complainant's LINE
 * with the unit's one-time claim code; the old "tracking number + phone" no longer links anything.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueClaimCode } from '../shared/cases/claimCodes.ts';
import type { SimUser } from '../simulator/server.ts';
import { converse, drained, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

async function api(user: SimUser, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method, headers: { authorization: `Bearer ${stack.sim.issueIdToken(user.userId)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

/** An officer records a hotline call in LIFF, as on the "new case" page. */
async function recordHotlineCase(officer: SimUser, phone = '081-234-5678') {
  const r = await api(officer, 'POST', '/officer/cases', {
    channel: 'hotline', category: 'help', description: 'โทรแจ้งว่าน้ำประปาไม่ไหลมาสามวันแล้ว ขอให้ช่วยประสานการประปา',
    location: { provinceCode: '50', districtCode: '5001' }, contact: { name: 'นายโทร มาแจ้ง', phone },
    anonymous: false, clientRequestId: randomUUID(),
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; trackingNo: string; claimCode: string; claimCodeExpiresAt: string };
}

const say = (user: SimUser, words: string) => converse(stack.sim, user.userId, () => stack.sim.sendText(user.userId, words)).then((m) => m.text as string);

describe('claim codes', () => {
  it('the officer gets a code once; the citizen sends it in chat and then hears of the case in LINE; the code works once', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. รับสาย 1567');
    const c = await recordHotlineCase(officer);
    expect(c.claimCode).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    const days = (new Date(c.claimCodeExpiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31);
    // Only its hash is kept.
    const stored = await stack.rt.models.ClaimCode.findById(c.id).lean();
    expect(JSON.stringify(stored)).not.toContain(c.claimCode.replace('-', ''));

    const citizen = await stack.citizen('ผู้โทร มาทาง LINE');
    expect(await say(citizen, `เชื่อมเรื่อง ${c.claimCode.toLowerCase()}`)).toContain(`เชื่อมเรื่อง ${c.trackingNo} กับ LINE ของท่านแล้ว`);
    const saved = await stack.rt.models.Case.findById(c.id).lean();
    expect(saved?.complainant?.lineUserId).toBe(citizen.userId);
    expect(saved?.timeline.map((t) => t.action)).toContain('line_linked');
    expect(await say(citizen, 'ติดตามเรื่อง')).toContain(c.trackingNo);

    // The case's updates now reach them in LINE.
    expect((await api(officer, 'POST', `/officer/cases/${c.id}/accept`, {})).status).toBe(200);
    await waitForText(stack.sim, citizen.userId, `${c.trackingNo}: เจ้าหน้าที่รับเรื่องของท่านแล้ว`);

    // Once only: the same code from anyone else links nothing.
    const other = await stack.citizen('คนอื่น');
    expect(await say(other, c.claimCode)).toContain('ใช้ไปแล้ว');
    expect((await stack.rt.models.Case.findById(c.id).lean())?.complainant?.lineUserId).toBe(citizen.userId);
    await stack.rt.models.Officer.deleteMany({});
  });

  it('an expired code is refused, and a re-issued one replaces the old', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. เคาน์เตอร์');
    const c = await recordHotlineCase(officer, '0811111111');
    const { code: old } = await issueClaimCode(stack.rt.models, stack.rt.clock, { caseId: c.id, unitCode: '5001', validDays: -1 });
    const citizen = await stack.citizen('มาช้า');
    expect(await say(citizen, old)).toContain('หมดอายุ');

    const again = await api(officer, 'POST', `/officer/cases/${c.id}/claim-code`, {});
    expect(again.status).toBe(201);
    expect(again.json.claimCode).not.toBe(old);
    expect(await say(citizen, old)).toContain('ไม่ถูกต้อง');
    expect(await say(citizen, `เชื่อมเรื่อง ${again.json.claimCode}`)).toContain('กับ LINE ของท่านแล้ว');
    // Another unit's officer cannot issue codes for it.
    const stranger = await stack.officer('4001', 'officer', 'จนท. ขอนแก่น');
    expect((await api(stranger, 'POST', `/officer/cases/${c.id}/claim-code`, {})).status).toBe(404);
    await stack.rt.models.Officer.deleteMany({});
  });

  it('wrong codes are limited per LINE account and per case, until the unit issues a new code', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. สายด่วน');
    const c = await recordHotlineCase(officer, '0822222222');
    // Five people each try one wrong code against the case: it locks, even for the right code.
    for (let i = 0; i < 5; i++) {
      const guesser = await stack.citizen(`คนเดา ${i}`);
      expect(await say(guesser, `เชื่อมเรื่อง ${c.trackingNo} WXYZ-${2345 + i}`)).toContain(i < 4 ? 'ไม่ถูกต้อง' : 'ระงับการเชื่อมเรื่อง');
    }
    const owner = await stack.citizen('เจ้าของเรื่อง');
    expect(await say(owner, `เชื่อมเรื่อง ${c.trackingNo} ${c.claimCode}`)).toContain('ระงับการเชื่อมเรื่อง');
    expect((await stack.rt.models.Case.findById(c.id).lean())?.complainant?.lineUserId).toBeUndefined();
    const fresh = (await api(officer, 'POST', `/officer/cases/${c.id}/claim-code`, {})).json.claimCode as string;
    expect(await say(owner, `เชื่อมเรื่อง ${c.trackingNo} ${fresh}`)).toContain('กับ LINE ของท่านแล้ว');

    // One account guessing blind (code alone) is cut off after five.
    const blind = await stack.citizen('เดาสุ่ม');
    for (let i = 0; i < 5; i++) expect(await say(blind, `ABCD-EF${'GHJKM'[i]}N`)).toContain('ไม่ถูกต้อง');
    expect(await say(blind, 'ABCD-EFGH')).toContain('ผิดหลายครั้ง');
    await stack.rt.models.Officer.deleteMany({});
  });

  it('tracking number + phone no longer links; the answer says how to get a code', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. สายด่วน');
    const c = await recordHotlineCase(officer, '0899999999');
    const neighbour = await stack.citizen('เพื่อนบ้าน');
    const m = await say(neighbour, `${c.trackingNo} 0899999999`);
    expect(m).toContain('ยกเลิกแล้ว');
    expect(m).toContain('รหัสเชื่อมเรื่อง');
    expect((await stack.rt.models.Case.findById(c.id).lean())?.complainant?.lineUserId).toBeUndefined();
    // A tracking number alone (not their case) gets the instructions too.
    expect(await say(neighbour, c.trackingNo)).toContain('รหัสเชื่อมเรื่อง 8 ตัว');
    await stack.rt.models.Officer.deleteMany({});
  });

  it('relinking needs a fresh code from the unit; the previous account and the unit are told', async () => {
    const officer = await stack.officer('5001', 'officer', 'จนท. สายด่วน');
    const c = await recordHotlineCase(officer, '0833333333');
    const first = await stack.citizen('บัญชีแรก');
    expect(await say(first, c.claimCode)).toContain('กับ LINE ของท่านแล้ว');
    const second = await stack.citizen('บัญชีใหม่');
    expect(await say(second, c.claimCode)).toContain('ใช้ไปแล้ว');

    const fresh = (await api(officer, 'POST', `/officer/cases/${c.id}/claim-code`, {})).json.claimCode as string;
    expect(await say(second, `link ${fresh}`)).toContain('กับ LINE ของท่านแล้ว');
    const saved = await stack.rt.models.Case.findById(c.id).lean();
    expect(saved?.complainant?.lineUserId).toBe(second.userId);
    expect(saved?.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['line_linked', 'line_relinked']));
    await waitForText(stack.sim, first.userId, `เรื่อง ${c.trackingNo} ถูกเชื่อมกับบัญชี LINE อื่นแล้ว หากไม่ใช่ท่าน โปรดติดต่อ 1567`);
    await waitForText(stack.sim, officer.userId, `เรื่อง ${c.trackingNo}: ผู้ร้องเชื่อมเรื่องกับบัญชี LINE ใหม่`);
    await drained(stack);
    // The unit heard of the relink only, not of the first link.
    expect(textsOf(stack.sim, officer.userId).filter((t) => t.includes('บัญชี LINE ใหม่'))).toHaveLength(1);
  });
});
