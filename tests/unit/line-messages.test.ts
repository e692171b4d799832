/** bot/messages/build.ts keeps every message within what LINE accepts. No services. */
import { describe, expect, it } from 'vitest';
import { cameraItem, locationItem, MAX_QUICK_REPLIES, messageItem, postbackData, postbackItem, text } from '../../bot/messages/build.ts';
import { goto, label, MAX_LABEL, shorten } from '../../bot/conversation/prompts.ts';
import { ctxOf, fullDraft, photo, th } from './chat.ts';

describe('text messages', () => {
  it('a text up to 5,000 characters is sent as it is', () => {
    const body = 'ก'.repeat(5000);
    expect(text(body)).toEqual({ type: 'text', text: body });
  });

  it('a longer one is cut to 5,000 with "…" at the end', () => {
    const m = text('ข'.repeat(7000));
    expect(m.text).toBe(`${'ข'.repeat(4999)}…`);
  });

  it('carries at most 13 quick-reply buttons, none when there are none', () => {
    const items = Array.from({ length: 20 }, (_, i) => messageItem(`ปุ่ม ${i + 1}`));
    expect(MAX_QUICK_REPLIES).toBe(13);
    expect(text('เลือก', items).quickReply?.items).toHaveLength(13);
    expect(text('เลือก', items).quickReply!.items!.at(-1)).toEqual(messageItem('ปุ่ม 13'));
    expect(text('ไม่มีปุ่ม', [])).toEqual({ type: 'text', text: 'ไม่มีปุ่ม' });
  });
});

describe('quick-reply buttons', () => {
  it('every kind of button keeps its label within 20 characters', () => {
    const long = 'แจ้งเรื่องร้องเรียนเกี่ยวกับถนนชำรุด';
    for (const item of [postbackItem(long, 'x'), messageItem(long), cameraItem(long, 'camera'), locationItem(long)]) {
      expect((item.action as { label: string }).label).toBe(long.slice(0, 20));
    }
  });

  it('a message button sends its whole text; a postback shows its displayText in the chat', () => {
    expect(messageItem('ติดตาม', 'ติดตามเรื่อง').action).toEqual({ type: 'message', label: 'ติดตาม', text: 'ติดตามเรื่อง' });
    expect(postbackItem('ยืนยัน', 'a=yes', 'ยืนยันส่งเรื่อง').action).toEqual({ type: 'postback', label: 'ยืนยัน', data: 'a=yes', displayText: 'ยืนยันส่งเรื่อง' });
  });

  it('labels are cut at a word boundary, never mid-word, with "…"', () => {
    const cut = label('ร้องเรียนเจ้าหน้าที่ของรัฐทุจริตและประพฤติมิชอบ');
    expect(cut.length).toBeLessThanOrEqual(MAX_LABEL);
    // "ร้องเรียนเจ้าหน้าที่" is 20 already: with "…" it would not fit, so the last whole word goes.
    expect(cut).toBe('ร้องเรียนเจ้า…');
    expect(label('ยินยอม')).toBe('ยินยอม');
    expect(shorten('Request for help with a very long thing', 20)).toBe('Request for help…');
  });

  it('postback data names the step, so an old button is recognised', () => {
    expect(postbackData('askingDistrict', 'dist', '5007')).toBe('s=askingDistrict&a=dist&v=5007');
    expect(postbackData('confirming', 'yes')).toBe('s=confirming&a=yes');
  });
});

describe('every question the chat asks fits LINE, in both languages, with the largest draft', () => {
  const states = ['askingCategory', 'askingDescription', 'askingLocation', 'askingDistrict', 'confirmingLocation', 'askingPhotos', 'askingConsent', 'confirming', 'confirmingDecline', 'choosingCase'] as const;
  const draft = {
    ...fullDraft(),
    description: 'ถนนชำรุด'.repeat(625),
    pendingText: 'ไฟดับ'.repeat(1000),
    // Bangkok: 50 districts, more than fit on one page of buttons.
    location: { provinceCode: '10', provinceName: 'กรุงเทพมหานคร', districtCode: '1001', districtName: 'พระนคร' },
    photos: [1, 2, 3, 4, 5].map(photo),
    pendingInfo: { cases: Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, trackingNo: `2569-${String(i).padStart(6, '0')}` })) },
  };

  for (const lang of ['th', 'en'] as const) {
    it(`${lang}: ≤ 5 messages, ≤ 5,000 characters, ≤ 13 buttons with labels of 1–20 characters`, () => {
      for (const state of states) {
        const r = goto(state, ctxOf(state, draft, lang), draft);
        expect(r.replies.length, state).toBeGreaterThan(0);
        expect(r.replies.length, state).toBeLessThanOrEqual(5);
        for (const m of r.replies) {
          expect([...(m as { text: string }).text].length, state).toBeLessThanOrEqual(5000);
          const items = m.quickReply?.items ?? [];
          expect(items.length, state).toBeLessThanOrEqual(13);
          for (const i of items) expect((i.action as { label: string }).label.length, `${state}: ${(i.action as { label: string }).label}`).toBeLessThanOrEqual(20);
        }
      }
    });
  }

  it('the review shortens a long description at a word boundary and says how long it is', () => {
    const r = goto('confirming', ctxOf('confirming', draft), draft);
    const review = (r.replies[0] as { text: string }).text;
    expect(review).toContain(th.descriptionShortened(5000));
    expect(review).not.toContain(draft.description);
  });
});
