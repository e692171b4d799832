/**
 * The pure parts of the public figures (figures/, docs/public-figures.md): metadata removal from
 * photos, the figures from a counter document, small counts, and which cases may be published.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figuresFromCounts, medianOfHistogram } from '../../figures/data.ts';
import { shownCount } from '../../figures/page.ts';
import { stripJpeg, stripMetadata, stripPng } from '../../figures/strip.ts';
import { parsePublicFiguresConfig, publishRefusal, publicPhotoOf, publicSummaryOf } from '../../shared/publicResults/index.ts';

const JPEG = readFileSync(new URL('../fixtures/photo-8x8.jpg', import.meta.url));
const PNG = readFileSync(new URL('../fixtures/photo-8x8.png', import.meta.url));

function segment(marker: number, body: string): Buffer {
  const b = Buffer.concat([Buffer.from([0xff, marker, 0, 0]), Buffer.from(body, 'latin1')]);
  b.writeUInt16BE(b.length - 2, 2);
  return b;
}

function pngChunk(type: string, data: string): Buffer {
  const d = Buffer.from(data, 'latin1');
  const b = Buffer.alloc(12 + d.length);
  b.writeUInt32BE(d.length, 0);
  b.write(type, 4, 'latin1');
  d.copy(b, 8);
  return b; // the CRC is not checked by the stripper, which copies chunks whole
}

describe('photo metadata removal', () => {
  it('drops EXIF, XMP and comments from a JPEG and keeps the image and its colour profile', () => {
    const withMeta = Buffer.concat([JPEG.subarray(0, 2), segment(0xe1, 'Exif\0\0GPSLatitude 18.78'), segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>'), segment(0xfe, 'taken by Somchai'), JPEG.subarray(2)]);
    const out = stripJpeg(withMeta)!;
    expect(out.equals(JPEG)).toBe(true);
    expect(out.includes(Buffer.from('ICC_PROFILE'))).toBe(true);
    expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(out.includes(Buffer.from('Somchai'))).toBe(false);
  });

  it('drops text, time and eXIf chunks from a PNG', () => {
    const ihdrEnd = 8 + 12 + PNG.readUInt32BE(8);
    const withMeta = Buffer.concat([PNG.subarray(0, ihdrEnd), pngChunk('tEXt', 'Author\0Somchai'), pngChunk('eXIf', 'MM\0*GPS'), PNG.subarray(ihdrEnd)]);
    const out = stripPng(withMeta)!;
    expect(out.equals(PNG)).toBe(true);
  });

  it('serves nothing it cannot parse or clean', () => {
    expect(stripMetadata('image/jpeg', Buffer.from('not a jpeg'))).toBeNull();
    expect(stripMetadata('image/jpeg', JPEG.subarray(0, 30))).toBeNull();
    expect(stripMetadata('image/png', PNG.subarray(0, 20))).toBeNull();
    expect(stripMetadata('image/heic', JPEG)).toBeNull();
    expect(stripMetadata('image/webp', JPEG)).toBeNull();
  });
});

describe('figures from a counter document', () => {
  it('counts received and closed as the official table, and closed-in-period facts by their month', () => {
    const counts = {
      // received Oct 2025 closed Nov; received Nov, open; received Sep 2025 (last year) closed Oct; the district format (ignored).
      'p5_202510_202511': 3, 'p5_202511_o': 2, 'p1_202509_202510': 1, 'd1_202510_202511': 3,
      'km_202511': 2, 'kx_202511': 1, 'km_202510': 1, 'w2_202511': 1, 'w7_202511': 2, 'w30_202510': 1,
      'v5_202511': 1, 'v3_202511': 1, 'y5001_c': 4, 'y5001_r': 1, 'q5001_0': 5,
    };
    const f = figuresFromCounts(counts, { first: 202510, last: 202609 });
    expect(f).toMatchObject({ received: 5, closed: 3, slaMet: 3, slaOf: 4, closedInPeriod: 4, responses: 2, scoreSum: 8, reopenOf: 4, reopened: 1 });
    expect(f.medianDays).toBe(7); // 2, 7, 7, 30
    const nov = figuresFromCounts(counts, { first: 202511, last: 202511 });
    expect(nov).toMatchObject({ received: 2, closed: 0, slaMet: 2, slaOf: 3, closedInPeriod: 3 });
    expect(nov.medianDays).toBe(7);
  });

  it('takes the median of whole days exactly, the mean of the middle two for an even count', () => {
    expect(medianOfHistogram(new Map())).toBeNull();
    expect(medianOfHistogram(new Map([[1, 1], [4, 1]]))).toBe(2.5);
    expect(medianOfHistogram(new Map([[0, 3], [10, 1], [2, 1]]))).toBe(0);
  });

  it('shows 1–4 as "< 5"', () => {
    expect([0, 1, 4, 5, 1234].map((n) => shownCount(n, 'en'))).toEqual(['0', '< 5', '< 5', '5', '1,234']);
  });
});

describe('which results may be published', () => {
  it('a place-bound problem only, never anonymous, about officials, between people or merged', () => {
    expect(publishRefusal({ category: 'state_project' })).toBeNull();
    expect(publishRefusal({ category: 'help', problemType: 'street_light' })).toBeNull();
    expect(publishRefusal({ category: 'help', problemType: 'welfare' })).toBe('not_place_bound');
    expect(publishRefusal({ category: 'help' })).toBe('not_place_bound');
    expect(publishRefusal({ category: 'state_project', complainant: { anonymous: true } })).toBe('sensitive');
    expect(publishRefusal({ category: 'state_project', concernedUnitCode: '5001' })).toBe('sensitive');
    expect(publishRefusal({ category: 'corruption' })).toBe('sensitive');
    expect(publishRefusal({ category: 'dispute', problemType: 'land' })).toBe('sensitive');
    expect(publishRefusal({ category: 'state_project', mergedInto: '2569-000001' })).toBe('merged');
  });

  it('publishes the officer\'s after photo in a type it can clean, and a redacted summary', () => {
    expect(publicPhotoOf([{ fileId: 'a', contentType: 'image/jpeg' }, { fileId: 'b', contentType: 'image/heic', kind: 'after' }, { fileId: 'c', contentType: 'image/png', kind: 'after' }])).toBe('c');
    expect(publicPhotoOf([{ fileId: 'a', contentType: 'image/jpeg' }])).toBeUndefined();
    expect(publicSummaryOf(' ซ่อมแล้ว ติดต่อ 081-234-5678 ')).toBe('ซ่อมแล้ว ติดต่อ [เบอร์โทร]');
  });

  it('rejects an unknown problem type in config/public-figures.json', () => {
    expect(() => parsePublicFiguresConfig({ placeBoundProblemTypes: ['pothole'] })).toThrow(/unknown problem types pothole/);
    expect(() => parsePublicFiguresConfig({})).toThrow(/must be a list/);
  });
});
