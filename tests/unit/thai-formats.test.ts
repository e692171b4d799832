/** Tracking numbers, Thai dates and Thai phone numbers: what people read out and type. No services. */
import { describe, expect, it } from 'vitest';
import { formatTrackingNo, TRACKING_NO_PATTERN } from '../../shared/cases/trackingNo.ts';
import { normaliseThaiPhone } from '../../shared/phone.ts';
import { buddhistYear, formatDate, formatDateTime, thaiMonth, toThaiDigits } from '../../shared/thaiDate.ts';

describe('tracking numbers (เลขรับเรื่อง)', () => {
  it('are the Buddhist-era year in Bangkok and a six-digit sequence', () => {
    expect(formatTrackingNo(new Date('2026-06-01T03:00:00Z'), 42)).toBe('2569-000042');
    expect(formatTrackingNo(new Date('2026-06-01T03:00:00Z'), 123456)).toBe('2569-123456');
    // New Year's Eve 20:00 UTC is already 1 January in Bangkok: the next year's numbers.
    expect(formatTrackingNo(new Date('2026-12-31T20:00:00Z'), 1)).toBe('2570-000001');
    expect(formatTrackingNo(new Date('2026-12-31T16:59:00Z'), 1)).toBe('2569-000001');
  });

  it('are found in what a citizen types, and nothing else is', () => {
    expect('เรื่อง 2569-000042 ค่ะ'.match(TRACKING_NO_PATTERN)?.slice(1)).toEqual(['2569', '000042']);
    expect(TRACKING_NO_PATTERN.test('2569-42')).toBe(false);
    expect(TRACKING_NO_PATTERN.test('12569-000042')).toBe(false);
    expect(TRACKING_NO_PATTERN.test('1999-000042')).toBe(false);
    expect(TRACKING_NO_PATTERN.test('2569-0000421')).toBe(false);
  });
});

describe('Thai dates', () => {
  const at = new Date('2026-11-22T07:05:00Z');

  it('Thai readers get the Buddhist era and Bangkok time; English readers the Gregorian year', () => {
    expect(formatDateTime(at, 'th')).toBe('22 พ.ย. 2569 14:05');
    expect(formatDateTime(at, 'en')).toBe('22 Nov 2026, 14:05');
    expect(formatDate(at)).toBe('22 พ.ย. 2569');
    expect(formatDate(at, 'en')).toBe('22 Nov 2026');
  });

  it('the date is the one in Bangkok, not in UTC', () => {
    expect(formatDate(new Date('2026-12-31T18:00:00Z'))).toBe('1 ม.ค. 2570');
    expect(buddhistYear(new Date('2026-12-31T16:59:59Z'))).toBe(2569);
    expect(buddhistYear(new Date('2026-12-31T17:00:00Z'))).toBe(2570);
  });

  it('Thai digits and month names for official letters and charts', () => {
    expect(toThaiDigits(2569)).toBe('๒๕๖๙');
    expect(toThaiDigits('เลขที่ 2569-000042')).toBe('เลขที่ ๒๕๖๙-๐๐๐๐๔๒');
    expect(thaiMonth(1)).toBe('มกราคม');
    expect(thaiMonth(12, true)).toBe('ธ.ค.');
  });
});

describe('Thai phone numbers', () => {
  it('accepts them as people type them, in the 0… form', () => {
    expect(normaliseThaiPhone('081-234-5678')).toBe('0812345678');
    expect(normaliseThaiPhone('02 123 4567')).toBe('021234567');
    expect(normaliseThaiPhone('+66 81 234 5678')).toBe('0812345678');
    expect(normaliseThaiPhone('+6621234567')).toBe('021234567');
  });

  it('refuses what is not a Thai number', () => {
    for (const s of ['1567', '812345678', '08123456789', '+66 081 234 5678', '+1 415 555 0100', 'โทร 0812345678', '']) {
      expect(normaliseThaiPhone(s), s).toBeUndefined();
    }
  });
});
