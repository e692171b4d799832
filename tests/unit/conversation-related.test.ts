/**
 * The related-cases step of the chat decided without services (bot/conversation/offeringRelated.ts):
 * when the lookup is due, what the offer says and offers, and what each answer leads to.
 */
import { describe, expect, it } from 'vitest';
import { offerRelatedIfDue } from '../../bot/conversation/offeringRelated.ts';
import type { Draft, StepResult } from '../../bot/conversation/types.ts';
import type { RelatedOffer } from '../../shared/cases/relatedOffer.ts';
import { command, commandOf, ctxOf, deps, last, reply, say, tap, turn } from './chat.ts';

const draft: Draft = {
  category: 'help', description: 'ไฟถนนหน้าวัดดับ มืดมาก',
  location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่', subdistrictCode: '500107', subdistrictName: 'ช้างเผือก', lat: 18.8, lng: 98.98 },
};
const offers: RelatedOffer[] = [1, 2, 3].map((n) => ({
  id: `6b13221419466800000000${n}0`, trackingNo: `2569-00004${n}`, category: 'help', status: 'received',
  receivedAt: '2026-11-20T03:00:00Z', provinceCode: '50', districtCode: '5001', subdistrictCode: '500107', supporters: n,
}));
const toPhotos = (d: Draft): StepResult => ({ replies: [{ type: 'text', text: 'ขั้นที่ 4/6' }], state: 'askingPhotos', draft: d });

describe('related open cases in the chat', () => {
  it('looked up once the draft says what and where, before the photos; nothing found: the turn stands', () => {
    const ctx = ctxOf('confirmingLocation', draft);
    const lookup = commandOf(offerRelatedIfDue(toPhotos(draft), ctx, deps), 'findRelated');
    expect(lookup.probe as object).toMatchObject({ category: 'help', location: { districtCode: '5001', subdistrictCode: '500107', lat: 18.8 } });
    const none = reply(lookup.next([]));
    expect(none).toMatchObject({ state: 'askingPhotos', draft: { relatedChecked: true } });
    // Not again for this draft, nor without a district.
    expect(offerRelatedIfDue(toPhotos({ ...draft, relatedChecked: true }), ctx, deps)).not.toHaveProperty('run');
    expect(offerRelatedIfDue(toPhotos({ ...draft, location: { provinceCode: '50', provinceName: 'เชียงใหม่' } }), ctx, deps)).not.toHaveProperty('run');
  });

  it('the offer: public summaries, a แจ้งด้วย button each (≤ 20 chars), แจ้งเรื่องใหม่; English without Thai', () => {
    const lookup = commandOf(offerRelatedIfDue(toPhotos(draft), ctxOf('confirmingLocation', draft), deps), 'findRelated');
    const offered = reply(lookup.next(offers));
    expect(offered.state).toBe('offeringRelated');
    expect(last(offered)).toContain('มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ');
    expect(last(offered)).toContain('ต.ช้างเผือก อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    expect(last(offered)).toContain('มีผู้แจ้งแล้ว 3 คน');
    const labels = (offered.replies.at(-1)!.quickReply?.items ?? []).map((i) => (i.action as { label: string }).label);
    expect(labels).toEqual(['แจ้งด้วย 2569-000041', 'แจ้งด้วย 2569-000042', 'แจ้งด้วย 2569-000043', 'แจ้งเรื่องใหม่', 'ย้อนกลับ', 'ยกเลิก']);

    const enCtx = ctxOf('confirmingLocation', draft, 'en');
    const en = reply(commandOf(offerRelatedIfDue(toPhotos(draft), enCtx, deps), 'findRelated').next(offers));
    expect(last(en)).toContain('Someone near you reported a similar problem');
    expect(last(en)).toContain('Chang Phueak, Mueang Chiang Mai, Chiang Mai');
    expect(JSON.stringify(en.replies)).not.toMatch(/[\u0E00-\u0E7F]/);
  });

  it('แจ้งด้วย joins and discards the draft with its photos; แจ้งเรื่องใหม่ goes on; own or closed case: said, the rest offered', () => {
    const photos = [{ fileId: 'f1', contentType: 'image/jpeg', size: 10, lineMessageId: 'm1' }];
    const ctx = ctxOf('offeringRelated', { ...draft, photos, relatedChecked: true, related: offers });
    const join = command(tap('offeringRelated', 'join', offers[1]!.id), ctx, 'joinCase');
    expect(join.caseId).toBe(offers[1]!.id);
    const del = commandOf(join.next({ joined: true, already: false, trackingNo: '2569-000042', status: 'received', supporters: 3 }), 'deletePhotos');
    expect(del.photos).toEqual(photos);
    const done = reply(del.next as StepResult);
    expect(done).toMatchObject({ state: 'idle', draft: {} });
    expect(last(done)).toContain('ร่วมแจ้งเรื่องเลขที่ 2569-000042 แล้วค่ะ');

    // Typed works too.
    expect(command(say('แจ้งด้วย 2569-000043'), ctx, 'joinCase').caseId).toBe(offers[2]!.id);
    const anyway = turn(tap('offeringRelated', 'new'), ctx);
    expect(anyway.state).toBe('askingPhotos');
    expect(anyway.draft.related).toBeUndefined();

    const own = reply(command(tap('offeringRelated', 'join', offers[0]!.id), ctx, 'joinCase').next({ joined: false, reason: 'own_case' }));
    expect(own.state).toBe('offeringRelated');
    expect(own.draft.related?.map((o) => o.trackingNo)).toEqual(['2569-000042', '2569-000043']);
    expect(own.replies[0]).toMatchObject({ text: expect.stringContaining('เป็นเรื่องที่ท่านแจ้งเอง') });
    const lastOne = ctxOf('offeringRelated', { ...draft, relatedChecked: true, related: [offers[0]!] });
    const closed = reply(command(tap('offeringRelated', 'join', offers[0]!.id), lastOne, 'joinCase').next({ joined: false, reason: 'not_open' }));
    expect(closed.state).toBe('askingPhotos');
    expect(closed.replies[0]).toMatchObject({ text: expect.stringContaining('ยุติแล้วค่ะ จึงร่วมแจ้งไม่ได้') });
  });
});
