/** Which row of the ministry's tables a new case counts under (config/report-rows.json): no services. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL_CODES, SUBJECT_CATEGORY_CODES } from '../../shared/categories.ts';
import { monthOf } from '../../shared/reports/period.ts';
import { DISTRICT_ROWS, loadRowMapping, PROVINCE_ROWS, rowOfLabel } from '../../shared/reports/rows.ts';

const mapping = loadRowMapping();
const provinceLabel = (category: string, channel: string) => PROVINCE_ROWS[mapping.rowFor('province', category as never, channel as never) - 1];
const districtLabel = (category: string, channel: string) => DISTRICT_ROWS[mapping.rowFor('district', category as never, channel as never) - 1];

describe('the official tables', () => {
  it('13 province rows and 5 district rows, labelled as the ministry writes them', () => {
    expect(PROVINCE_ROWS).toHaveLength(13);
    expect(DISTRICT_ROWS).toHaveLength(5);
    expect(rowOfLabel('province', ' ร้องเรียนผ่านโทรศัพท์ ')).toBe(8);
    expect(rowOfLabel('province', 'ร้องเรียนเจ้าหน้าที่ของรัฐทุจริตและประพฤติมิชอบ')).toBe(13);
    expect(rowOfLabel('district', 'ไกล่เกลี่ยข้อพิพาททางแพ่ง/อาญา')).toBe(5);
    expect(rowOfLabel('district', 'ขอความช่วยเหลือ')).toBeUndefined();
  });
});

describe('province table (the default rules)', () => {
  it('LINE counts by subject: rows 1–7 and 13', () => {
    expect(SUBJECT_CATEGORY_CODES.map((c) => provinceLabel(c, 'line'))).toEqual([
      'ขอความช่วยเหลือ', 'แจ้งเบาะแสกระทำความผิด', 'ขอร้องเรียน/ข้อพิพาทระหว่างบุคคล', 'ร้องเรียนเจ้าหน้าที่รัฐ',
      'ร้องเรียนโครงการของรัฐ', 'หนี้นอกระบบ', 'เรื่องทูลเกล้าถวายฎีกา', 'ร้องเรียนเจ้าหน้าที่ของรัฐทุจริตและประพฤติมิชอบ',
    ]);
  });

  it('a hotline call is row 8 and a website complaint row 10, except petitions and corruption', () => {
    expect(provinceLabel('help', 'hotline')).toBe('ร้องเรียนผ่านโทรศัพท์');
    expect(provinceLabel('informal_debt', 'website')).toBe('ร้องเรียนผ่านเว็บไซต์');
    expect(provinceLabel('petition', 'hotline')).toBe('เรื่องทูลเกล้าถวายฎีกา');
    expect(provinceLabel('corruption', 'website')).toBe('ร้องเรียนเจ้าหน้าที่ของรัฐทุจริตและประพฤติมิชอบ');
    expect(provinceLabel('dispute', 'walk_in')).toBe('ขอร้องเรียน/ข้อพิพาทระหว่างบุคคล');
  });

  it('rows 9, 11 and 12 (newspaper, social media, radio) get nothing from any channel yet', () => {
    const used = new Set(SUBJECT_CATEGORY_CODES.flatMap((c) => CHANNEL_CODES.map((ch) => mapping.rowFor('province', c, ch))));
    expect([...used].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 13]);
  });
});

describe('district table', () => {
  it('every subject lands in one of the five rows, whatever the channel', () => {
    const expected: Record<string, string> = {
      state_project: 'กรณีขัดแย้งทางสังคม', official: 'ไม่ได้รับความเป็นธรรม', petition: 'ไม่ได้รับความเป็นธรรม',
      tipoff: 'แจ้งเบาะแส', corruption: 'แจ้งเบาะแส', help: 'ช่วยเหลือประชาชนผู้ได้รับความเดือดร้อน',
      dispute: 'ไกล่เกลี่ยข้อพิพาททางแพ่ง/อาญา', informal_debt: 'ไกล่เกลี่ยข้อพิพาททางแพ่ง/อาญา',
    };
    for (const category of SUBJECT_CATEGORY_CODES) {
      for (const channel of CHANNEL_CODES) expect(districtLabel(category, channel), `${category} via ${channel}`).toBe(expected[category]);
    }
  });
});

describe('a case opened', () => {
  it('counts in the month it was received in Bangkok time', () => {
    // 31 Oct 2026 20:00 UTC is already 1 Nov in Bangkok: it counts in November's report.
    expect(monthOf(new Date('2026-10-31T20:00:00Z'))).toBe(202611);
    expect(monthOf(new Date('2026-10-31T16:59:00Z'))).toBe(202610);
  });
});

describe('a rules file that does not cover everything is refused at start-up', () => {
  const write = (body: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'rows-')), 'report-rows.json');
    writeFileSync(file, JSON.stringify(body));
    return file;
  };

  it('names the pair with no row', () => {
    const file = write({ province: [{ category: 'help', row: 1 }], district: [{ row: 1 }] });
    expect(() => loadRowMapping(file)).toThrow(/province: no rule gives a row for category tipoff via channel line/);
  });

  it('refuses a row the table does not have, naming where', () => {
    expect(() => loadRowMapping(write({ province: [{ row: 14 }], district: [{ row: 1 }] }))).toThrow(/province\.0\.row/);
  });

  it('the first matching rule wins, and the closed statuses are configurable', () => {
    const m = loadRowMapping(write({ province: [{ channel: 'letter', row: 9 }, { row: 1 }], district: [{ row: 2 }], closedStatuses: ['closed', 'rejected'] }));
    expect(m.rowFor('province', 'petition', 'letter')).toBe(9);
    expect(m.rowFor('province', 'petition', 'line')).toBe(1);
    expect(m.isClosedStatus('rejected')).toBe(true);
    expect(m.isClosedStatus('in_progress')).toBe(false);
  });
});
