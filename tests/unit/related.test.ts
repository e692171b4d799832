/** The pure parts of the related-complaints search: place keys, Thai words, type pairs. */
import { describe, expect, it } from 'vitest';
import { cellOf, neighbourCells, probeKeys, relatedKeysFor } from '../../shared/related/keys.ts';
import { cosine, Idf, terms, vector } from '../../shared/related/text.ts';
import { typeAffinity } from '../../shared/related/types.ts';
import { distanceM } from '../../shared/related/search.ts';
import { compactKey, entryFor, touchesEntry } from '../../shared/related/openIndex.ts';

describe('place keys', () => {
  it('the 3×3 neighbourhood holds every pin within 500 m, in Chiang Mai and in Bangkok', () => {
    for (const [lat, lng] of [[18.7985, 98.9672], [13.7295, 100.534], [18.79999, 98.99999]] as const) {
      const cells = new Set(neighbourCells(lat, lng));
      for (let a = 0; a < 360; a += 15) {
        const r = (a * Math.PI) / 180;
        const p = { lat: lat + (500 * Math.cos(r)) / 111_320, lng: lng + (500 * Math.sin(r)) / (111_320 * Math.cos((lat * Math.PI) / 180)) };
        expect(distanceM({ lat, lng }, p)).toBeLessThan(501);
        expect(cells.has(cellOf(p.lat, p.lng))).toBe(true);
      }
    }
  });

  it('a probe finds, by one key, an open case of the same or a related type within 500 m; never a closed one or an unrelated type', () => {
    const at = { lat: 18.7985, lng: 98.9672, subdistrictCode: '500108' };
    const near = { lat: 18.8018, lng: 98.9690, subdistrictCode: '500108' };
    const found = (c: Parameters<typeof relatedKeysFor>[0], probe: Parameters<typeof probeKeys>[0]) => {
      const keys = new Set(relatedKeysFor(c));
      return probeKeys(probe).some((k) => keys.has(k));
    };
    expect(found({ status: 'received', problemType: 'street_light', category: 'help', location: near }, { problemType: 'street_light', category: 'help', location: at })).toBe(true);
    expect(found({ status: 'received', problemType: 'electricity', category: 'help', location: near }, { problemType: 'street_light', category: 'help', location: at })).toBe(true);
    expect(found({ status: 'received', problemType: 'water_supply', category: 'help', location: near }, { problemType: 'street_light', category: 'help', location: at })).toBe(false);
    expect(found({ status: 'closed', problemType: 'street_light', category: 'help', location: near }, { problemType: 'street_light', category: 'help', location: at })).toBe(false);
    // Without a pin on either side: the same subdistrict.
    expect(found({ status: 'received', problemType: 'road', category: 'help', location: { subdistrictCode: '500108' } }, { problemType: 'road', category: 'help', location: at })).toBe(true);
    expect(found({ status: 'received', problemType: 'road', category: 'help', location: near }, { problemType: 'road', category: 'help', location: { subdistrictCode: '500108' } })).toBe(true);
    // A case from before the types answers to every type of its category, and a probe without a type to its category.
    expect(found({ status: 'received', category: 'help', location: near }, { problemType: 'flooding', category: 'help', location: at })).toBe(true);
    expect(found({ status: 'received', problemType: 'flooding', category: 'help', location: near }, { category: 'help', location: at })).toBe(true);
  });
});

describe('Thai words', () => {
  it('cuts unspaced Thai, drops particles, politeness and place words', () => {
    const w = terms('ไฟถนนดับทั้งซอยเลยค่ะ ช่วยด่วนนะคะ หน้าวัด');
    expect(w).toContain('ดับ');
    expect(w).toContain('ถนน');
    for (const stop of ['ค่ะ', 'นะคะ', 'ช่วย', 'ด่วน', 'หน้า', 'ซอย', 'เลย']) expect(w).not.toContain(stop);
  });

  it('a paraphrase is closer than another problem in similar words', () => {
    const idf = new Idf();
    for (const t of ['ไฟถนนดับมืดมาก', 'น้ำประปาไม่ไหล', 'ขยะไม่มีคนเก็บ', 'ถนนเป็นหลุม', 'ไฟฟ้าดับบ่อย']) idf.add(t);
    const base = vector('ไฟถนนดับทั้งซอย มืดมาก กลางคืนเดินไม่กล้า', idf);
    expect(cosine(base, vector('ไฟทางดับ มืดทั้งซอย กลัวโจร', idf))).toBeGreaterThan(cosine(base, vector('น้ำประปาไม่ไหลทั้งซอย', idf)));
  });
});

describe('type pairs', () => {
  it('same 1, related 0.6 both ways, unrelated 0', () => {
    expect(typeAffinity('flooding', 'flooding')).toBe(1);
    expect(typeAffinity('street_light', 'electricity')).toBe(0.6);
    expect(typeAffinity('electricity', 'street_light')).toBe(0.6);
    expect(typeAffinity('rubbish', 'water_supply')).toBe(0);
  });
});

describe('the index entry of an open case (shared/related/openIndex.ts)', () => {
  const base = { _id: 'a'.repeat(24), version: 7, trackingNo: '2569-000123', category: 'help', problemType: 'street_light', description: 'ไฟถนนดับทั้งซอย', unitCode: '5001', supporterCount: 3, receivedAt: new Date('2026-12-01T03:00:00Z') };
  const near = { lat: 18.8018, lng: 98.969, subdistrictCode: '500108', subdistrictName: 'สุเทพ', districtName: 'เมืองเชียงใหม่' };

  it('copies what the search shows, with the compacted keys a probe asks with; no entry for a case that is not open', () => {
    const e = entryFor({ ...base, status: 'in_progress', location: near })!;
    expect(e).toMatchObject({ _id: base._id, v: 7, trackingNo: '2569-000123', status: 'in_progress', lat: 18.8018, subdistrictName: 'สุเทพ', supporterCount: 3, description: 'ไฟถนนดับทั้งซอย' });
    expect(e.relKeys.every((k) => /^[0-9a-z]{1,7}$/.test(k))).toBe(true);
    const asks = (probe: Parameters<typeof probeKeys>[0]) => probeKeys(probe).some((k) => e.relKeys.includes(compactKey(k)));
    expect(asks({ problemType: 'electricity', category: 'help', location: { lat: 18.7985, lng: 98.9672, subdistrictCode: '500108' } })).toBe(true);
    expect(asks({ problemType: 'water_supply', category: 'help', location: { lat: 18.7985, lng: 98.9672, subdistrictCode: '500108' } })).toBe(false);
    for (const status of ['closed', 'rejected', 'withdrawn']) expect(entryFor({ ...base, status, location: near })).toBeNull();
    expect(entryFor({ ...base, status: 'received', location: {} })).toBeNull(); // nowhere to find it
  });

  it('knows which case changes it must follow', () => {
    expect(touchesEntry(['supporterCount'])).toBe(true);
    expect(touchesEntry(['location.lat', 'description'])).toBe(true);
    expect(touchesEntry(['assignee', 'report.closedMonth'])).toBe(false);
  });
});
