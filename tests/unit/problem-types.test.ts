/**
 * The problem types (config/problem-types.json) and the official tables: a type only chooses the
 * subject category, and the category (with the channel) chooses the row, so both tables stay exact.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANNEL_CODES, SUBJECT_CATEGORY_CODES, type ChannelCode, type SubjectCategoryCode } from '../../shared/categories.ts';
import { parseProblemTypes, PROBLEM_TYPES, problemType } from '../../shared/problems/types.ts';
import { parseKeyword } from '../../shared/problems/suggest.ts';
import { assemble } from '../../shared/reports/build.ts';
import { caseAlertCard } from '../../workers/messages/caseAlert.ts';
import { reportFieldsFor } from '../../shared/reports/counters.ts';
import { DISTRICT_ROWS, loadRowMapping, PROVINCE_ROWS, type ReportFormat } from '../../shared/reports/rows.ts';

const mapping = loadRowMapping();
const raw = JSON.parse(readFileSync(new URL('../../config/problem-types.json', import.meta.url), 'utf8'));

describe('problem types and the report rows', () => {
  it('every type lands in a row of both formats, for every channel', () => {
    for (const t of PROBLEM_TYPES) {
      for (const channel of CHANNEL_CODES) {
        const p = mapping.rowFor('province', t.category, channel);
        const d = mapping.rowFor('district', t.category, channel);
        expect(PROVINCE_ROWS[p - 1], `${t.code} via ${channel}`).toBeTruthy();
        expect(DISTRICT_ROWS[d - 1], `${t.code} via ${channel}`).toBeTruthy();
      }
    }
    // The examples the issue names: a street light is help (province row 1, district row 4), not a state project.
    expect(PROVINCE_ROWS[mapping.rowFor('province', problemType('street_light')!.category, 'line') - 1]).toBe('ขอความช่วยเหลือ');
    expect(DISTRICT_ROWS[mapping.rowFor('district', problemType('street_light')!.category, 'line') - 1]).toBe('ช่วยเหลือประชาชนผู้ได้รับความเดือดร้อน');
    expect(PROVINCE_ROWS[mapping.rowFor('province', problemType('corruption')!.category, 'line') - 1]).toBe('ร้องเรียนเจ้าหน้าที่ของรัฐทุจริตและประพฤติมิชอบ');
  });

  it('every subject category is reachable from some type, so no row of a subject is lost to the citizen', () => {
    expect(new Set(PROBLEM_TYPES.map((t) => t.category))).toEqual(new Set(SUBJECT_CATEGORY_CODES));
  });

  it('the tables of cases filed by type equal the tables of the same cases filed by category (no drift)', () => {
    const receivedAt = new Date('2026-11-10T03:00:00Z');
    // A mixed month: every type through every channel, some closed.
    const cases = PROBLEM_TYPES.flatMap((t, i) => CHANNEL_CODES.map((channel, j) => ({ type: t.code, channel, closed: (i + j) % 3 === 0 })));
    const table = (format: ReportFormat, categoryOf: (c: typeof cases[number]) => SubjectCategoryCode) => {
      const n = format === 'province' ? PROVINCE_ROWS.length : DISTRICT_ROWS.length;
      const all = new Array<number>(n).fill(0);
      const closed = new Array<number>(n).fill(0);
      for (const c of cases) {
        const f = reportFieldsFor({ category: categoryOf(c), channel: c.channel as ChannelCode, receivedAt }, mapping);
        const row = (format === 'province' ? f.provinceRow : f.districtRow) - 1;
        all[row]! += 1;
        if (c.closed) closed[row]! += 1;
      }
      return assemble({ code: 'X', nameTh: 'X', withChildren: false }, format, { from: '2026-11-01', to: '2026-11-30' } as never, closed, all);
    };
    const byCategory: Record<string, SubjectCategoryCode> = Object.fromEntries(PROBLEM_TYPES.map((t) => [t.code, t.category]));
    for (const format of ['province', 'district'] as const) {
      const fromTypes = table(format, (c) => problemType(c.type)!.category);
      const fromCategories = table(format, (c) => byCategory[c.type]!);
      expect(fromTypes).toEqual(fromCategories);
      expect(fromTypes.total.total).toBe(cases.length);
    }
  });
});

describe('loading config/problem-types.json', () => {
  it('the shipped file: 20 types, 3–6 examples each, a lexicon each, Thai names short enough for a chat button', () => {
    expect(PROBLEM_TYPES).toHaveLength(20);
    for (const t of PROBLEM_TYPES) {
      expect(t.examples.length, t.code).toBeGreaterThanOrEqual(3);
      expect(t.examples.length, t.code).toBeLessThanOrEqual(6);
      expect(t.keywords.length, t.code).toBeGreaterThanOrEqual(8);
      for (const k of t.keywords) expect(parseKeyword(k).factor, `${t.code}: ${k}`).toBeGreaterThan(0);
    }
  });

  it('rejects an unknown category, naming the type', () => {
    const bad = structuredClone(raw);
    bad.types[1].category = 'lighting';
    expect(() => parseProblemTypes(bad, 'test.json')).toThrow(/^test\.json: types\.1\.category: /);
  });

  it('rejects a code listed twice', () => {
    const bad = structuredClone(raw);
    bad.types[3].code = 'road';
    expect(() => parseProblemTypes(bad, 'test.json')).toThrow('test.json: type road is listed twice');
  });

  it('rejects a type without a routing policy', () => {
    const bad = structuredClone(raw);
    delete bad.types[0].routing;
    expect(() => parseProblemTypes(bad, 'test.json')).toThrow(/types\.0\.routing/);
  });
});

describe('the officer alert card', () => {
  const base = {
    _id: '65a000000000000000000001', trackingNo: '2569-000001', channel: 'line', category: 'help', description: 'ไฟถนนหน้าบ้านดับมา3วันแล้วค่ะ',
    location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
    receivedAt: new Date('2026-11-10T03:00:00Z'), createdAt: new Date('2026-11-10T03:00:00Z'),
  };
  const shown = (c: object) => JSON.stringify(caseAlertCard(c as never, { ackDueAt: new Date('2026-11-11T03:00:00Z') }));

  it('names the problem type (icon and Thai name) the citizen picked', () => {
    const card = shown({ ...base, problemType: 'street_light' });
    expect(card).toContain('💡 ไฟถนนดับ');
    expect(JSON.parse(card).altText).toContain('💡 ไฟถนนดับ');
  });

  it('a case filed before types shows its category, as before', () => {
    const card = shown(base);
    expect(card).toContain('ขอความช่วยเหลือ');
    expect(card).not.toContain('💡');
  });
});
