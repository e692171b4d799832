import { describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { ANONYMISED_MARK, anonymisationOf, cleanTimeline, draftPhotoIds } from '../../shared/privacy/anonymise.ts';
import type { CaseDoc } from '../../shared/models/index.ts';

const citizenPhoto = new Types.ObjectId();
const officerPhoto = new Types.ObjectId();
const c = {
  _id: new Types.ObjectId(), trackingNo: '2569-000042', category: '03', channel: 'line', status: 'closed', unitCode: '5001',
  description: 'ถนนหน้าบ้านพัง โทร 081-234-5678 ได้ตลอด',
  location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', subdistrictCode: '500101', address: '12/3 ซอย 5', lat: 18.7883, lng: 98.9853 },
  attachments: [{ fileId: citizenPhoto, contentType: 'image/jpeg' }, { fileId: officerPhoto, contentType: 'image/jpeg', kind: 'after' }],
  complainant: { lineUserId: 'U123', name: 'สมชาย ใจดี', phone: '0812345678', anonymous: false, lang: 'th' },
  survey: { score: 4, comment: 'ติดต่อ 0899999999 ได้' },
  timeline: [
    { at: new Date(), by: { kind: 'citizen', id: 'U123', name: 'สมชาย' }, action: 'opened', note: 'โทร 0812345678' },
    { at: new Date(), by: { kind: 'officer', id: 'o1', name: 'จนท. ก' }, action: 'closed', note: 'ซ่อมแล้ว' },
  ],
  report: { provinceRow: 1, month: 256912 },
} as unknown as CaseDoc;

describe('anonymising a case document', () => {
  const now = new Date('2026-12-04T00:00:00Z');
  const a = anonymisationOf(c, now);

  it('removes the name, phone, LINE id and the address detail, keeping the area codes', () => {
    expect(a.unset).toEqual(expect.arrayContaining(['complainant.name', 'complainant.phone', 'complainant.lineUserId', 'location.address', 'location.lat', 'location.lng']));
    expect(a.unset.some((k) => /Code|Name$/.test(k) && k.startsWith('location'))).toBe(false);
    expect(Object.keys(a.set).some((k) => /trackingNo|category|status|unitCode|report/.test(k))).toBe(false);
    expect(a.set.anonymisedAt).toEqual(now);
  });

  it('redacts and marks the free text', () => {
    expect(a.set.description).toBe(`${ANONYMISED_MARK} ถนนหน้าบ้านพัง โทร [เบอร์โทร] ได้ตลอด`);
    expect(a.set['survey.comment']).toBe('ติดต่อ [เบอร์โทร] ได้');
    expect(anonymisationOf({ ...c, description: a.set.description } as CaseDoc, now).set.description).toBeUndefined();
  });

  it("deletes the complainant's photos and keeps the officer's after photo", () => {
    expect(a.deleteFileIds).toEqual([String(citizenPhoto)]);
    expect(a.set.attachments).toEqual([expect.objectContaining({ fileId: officerPhoto, kind: 'after' })]);
  });

  it('takes the LINE id and name off the timeline and redacts its notes', () => {
    const t = cleanTimeline(c.timeline);
    expect(t[0]!.by).toEqual({ kind: 'citizen' });
    expect(t[0]!.note).toBe('โทร [เบอร์โทร]');
    expect(t[1]!.by).toEqual({ kind: 'officer', id: 'o1', name: 'จนท. ก' });
  });

  it('finds the photos a chat draft holds', () => {
    expect(draftPhotoIds({ photos: [{ fileId: 'a' }], pendingInfo: { photos: [{ fileId: 'b' }] } })).toEqual(['a', 'b']);
    expect(draftPhotoIds(undefined)).toEqual([]);
  });
});
