import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOperation } from '../simulator/validator.ts';
import { converse, quickPostback, startStack, textsOf, type Stack } from './helpers/stack.ts';

// A 1×1 PNG: what a phone camera would send, minus the megabytes.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

describe('citizen files a complaint in the LINE chat', () => {
  it('follow → greeting and rich menu; intake → case in the DB, tracking number in the chat, officer alerted', async () => {
    const { sim, rt } = stack;
    const officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
    const citizen = await stack.citizen('สมหญิง รักถิ่น');

    const greeting = await converse(sim, citizen.userId, () => sim.follow(citizen.userId));
    expect(greeting.text).toContain('สวัสดี');
    expect(greeting.text).toContain('สมหญิง');
    expect(sim.userRichMenu(citizen.userId)).toBeTruthy();

    let m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
    expect(m.text).toContain('ขั้นที่ 1/6');
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, '🛣️ ถนน/ทางเท้าชำรุด')));
    expect(m.text).toContain('ขั้นที่ 2/6');
    expect(m.text).toContain('ประเภท: 🛣️ ถนน ทางเท้า สะพานชำรุด');
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'สั้น'));
    expect(m.text).toContain('ขั้นที่ 2/6'); // re-asked, with a hint
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ถนนหน้าบ้านเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน แจ้ง อบต. แล้วยังไม่ซ่อม'));
    expect(m.text).toContain('ขั้นที่ 3/6');
    m = await converse(sim, citizen.userId, () => sim.sendLocation(citizen.userId, {
      latitude: 18.8037, longitude: 98.9823, title: 'ศาลากลางจังหวัดเชียงใหม่',
      address: 'ถนนโชตนา ตำบลช้างเผือก อำเภอเมืองเชียงใหม่ เชียงใหม่ 50300 ประเทศไทย',
    }));
    expect(m.text).toContain('ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ถูกต้อง')));
    expect(m.text).toContain('ขั้นที่ 4/6');
    m = await converse(sim, citizen.userId, () => sim.sendImage(citizen.userId, PNG, 'image/png'));
    expect(m.text).toContain('1/5');
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'เสร็จแล้ว')));
    expect(m.text).toContain('PDPA');
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยินยอม')));
    expect(m.text).toContain('ขั้นที่ 6/6');
    expect(m.text).toContain('รูปภาพ: 1 รูป');
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยืนยันส่งเรื่อง')));
    const trackingNo = /เลขรับเรื่อง: (\d{4}-\d{6})/.exec(m.text)?.[1];
    expect(trackingNo).toMatch(/^25\d\d-0000\d\d$/);
    expect(m.text).toContain('ศูนย์ดำรงธรรมอำเภอเมืองเชียงใหม่');

    const saved = await rt.models.Case.findOne({ trackingNo }).lean();
    expect(saved).toMatchObject({
      channel: 'line', problemType: 'road', category: 'help', status: 'received', unitCode: '5001',
      location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107', lat: 18.8037, lng: 98.9823 },
      complainant: { lineUserId: citizen.userId, name: 'สมหญิง รักถิ่น', anonymous: false },
      consent: { version: '2569.1' },
    });
    expect(saved!.description).toContain('หลุมลึก');
    expect(saved!.attachments).toHaveLength(1);
    expect(saved!.timeline[0]).toMatchObject({ action: 'opened', by: { kind: 'citizen' } });
    // The photo itself is stored, byte for byte.
    const file = await rt.models.conn.db!.collection('attachments.files').findOne({ _id: saved!.attachments[0].fileId });
    expect(file?.length).toBe(PNG.length);

    // The officer of the district centre gets the alert card.
    const [alert] = await sim.waitForMessages(officer.userId, 1);
    expect(alert.messages[0].type).toBe('flex');
    expect(alert.messages[0].altText).toContain(trackingNo);
    expect(alert.retryKey).toMatch(/^[0-9a-f-]{36}$/);

    // Every request the bot made was valid against LINE's spec (the simulator answers 400 otherwise).
    expect(sim.requests.filter((r) => r.status >= 400)).toEqual([]);
    for (const r of sim.requests.filter((r) => r.path === '/v2/bot/message/reply' || r.path === '/v2/bot/message/push')) {
      expect(validateOperation(r.path.endsWith('reply') ? 'replyMessage' : 'pushMessage', r.body)).toEqual({ ok: true });
    }
  });

  it('ติดตามเรื่อง lists the citizen’s cases with status in plain Thai and a Buddhist-era date', async () => {
    const { sim } = stack;
    const citizen = await stack.citizen('ทดสอบ ติดตาม');
    let m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ติดตามเรื่อง'));
    expect(m.text).toContain('ยังไม่มีเรื่อง');
    // File one quickly by typing the area instead of sending a pin.
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่อง'));
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, '15')); // the type's number in the list
    expect(m.text).toContain('ประเภท: 💸 หนี้นอกระบบ');
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ถูกเจ้าหนี้นอกระบบข่มขู่ทวงเงินดอกเบี้ยร้อยละ 20 ต่อเดือน'));
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'จ.ขอนแก่น'));
    expect(m.text).toContain('ขอนแก่น');
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'อำเภอบ้านไผ่'));
    expect(m.text).toContain('ขั้นที่ 4/6');
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ไม่มีรูป'));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยินยอม')));
    expect(m.text).toContain('อ.บ้านไผ่ จ.ขอนแก่น');
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยืนยันส่งเรื่อง')));
    const trackingNo = /เลขรับเรื่อง: (\S+)/.exec(m.text)![1];
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ติดตามเรื่อง'));
    expect(m.text).toContain(trackingNo);
    expect(m.text).toContain('รับเรื่องแล้ว รอเจ้าหน้าที่');
    const beYear = new Date().getFullYear() + 543;
    expect(m.text).toMatch(new RegExp(`แจ้งเมื่อ: \\d{1,2} \\S+ ${beYear}`));
  });

  it('answers in English for a user whose LINE language is English, and never stays silent', async () => {
    const { sim } = stack;
    const tourist = await stack.citizen('John', 'en');
    const greet = await converse(sim, tourist.userId, () => sim.follow(tourist.userId));
    expect(greet.text).toContain('Hello John');
    let m = await converse(sim, tourist.userId, () => sim.sendText(tourist.userId, 'asdfgh'));
    // A single word is not thrown away: it is offered as the start of a complaint, next to the menu.
    expect(m.text).toContain('file a complaint about “asdfgh”');
    expect(m.quickReply.items.map((i: any) => i.action.label)).toEqual(['Use this', 'File a complaint', 'Track my case', 'Contact an officer']);
    m = await converse(sim, tourist.userId, () => sim.sendText(tourist.userId, 'File a complaint'));
    expect(m.text).toContain('Step 1/6');
    // A sticker where a category is expected: the question is asked again, not ignored.
    const before = sim.messagesFor(tourist.userId).length;
    await sim.sendEvents([{
      type: 'message', mode: 'active', timestamp: Date.now(), webhookEventId: '01JTESTSTICKER0000000000001',
      deliveryContext: { isRedelivery: false }, source: { type: 'user', userId: tourist.userId }, replyToken: 'x'.repeat(32),
      message: { type: 'sticker', id: '1', packageId: '1', stickerId: '1', stickerResourceType: 'STATIC', quoteToken: 'q' },
    }]);
    await sim.waitForMessages(tourist.userId, before + 1);
    expect(textsOf(sim, tourist.userId).at(-1)).toContain('Step 1/6');
    m = await converse(sim, tourist.userId, () => sim.sendText(tourist.userId, 'cancel'));
    expect(m.text).toContain('cancelled');
  });
});
