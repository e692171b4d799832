/**
 * Legacy import and the report CLI, run as a user runs them (`node app/cli.ts …` in a child process)
 * against the real FerretDB: good lines become full, counted cases; bad lines land in the reject file
 * with their line number and a Thai/English reason and leave nothing behind; a second run changes nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, fiscalYearPeriod } from '../shared/reports/index.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { startStack, type Stack } from './helpers/stack.ts';

const run = promisify(execFile);
let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  dir = mkdtempSync(join(tmpdir(), 'rongrian-import-'));
});
afterAll(async () => { await stack?.close(); });

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['app/cli.ts', ...args], { env: { ...process.env, ...stack.env }, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const rec = (o: Record<string, unknown>) => JSON.stringify({ receivedAt: '2026-01-15T10:00:00+07:00', unitCode: '5001', reportFormat: 'district', reportRow: 'แจ้งเบาะแส', status: 'open', ...o });
const FY = fiscalYearPeriod(2569);

describe('npm run cli -- import', () => {
  it('imports the good lines, rejects the bad ones with line and reason, and a re-run changes nothing', async () => {
    const lines = [
      rec({ externalId: 'A-1', status: 'closed', closedAt: '2026-02-01T09:00:00+07:00' }),
      rec({ externalId: 'A-2', reportFormat: 'province', reportRow: 'หนี้นอกระบบ', unitCode: '50', channel: 'hotline', subject: 'เงินกู้ดอกเบี้ยสูง' }),
      '{"externalId": "A-3", not json',
      rec({ externalId: 'A-4', unitCode: '9999' }),
      rec({ externalId: 'A-5', reportRow: 'ขอความช่วยเหลือ' }), // a province label in the district format
      rec({ externalId: 'A-6', closedAt: '2026-02-01T09:00:00+07:00' }), // open with a closing date
      rec({ externalId: 'A-1' }), // the same externalId again in the file
      rec({ externalId: 'A-8', unitCode: { $gt: '' } }),
      rec({ externalId: 'A-9', description: '<script>alert(1)</script> ถนนชำรุด', reportFormat: 'province', reportRow: 'ร้องเรียนผ่านวิทยุ', unitCode: 'MOI', status: 'closed' }),
      '',
      rec({ externalId: 'A-11', receivedAt: '2026-01-15' }),
      rec({ externalId: 'A-12', status: 'closed', closedAt: '2025-12-01T09:00:00+07:00' }), // closed before received
      rec({ externalId: 'A-13', extra: 'x' }),
    ];
    const file = join(dir, 'legacy.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const before = await buildReport({ models: stack.rt.models }, { unitCode: 'MOI', withChildren: true, format: 'province', period: FY });

    const first = await cli('import', file);
    expect(first.code).toBe(3); // done, with rejected lines
    expect(first.stderr).toMatch(/12 lines: 3 imported, 0 already imported \(skipped\), 9 rejected/);
    const rejects = readFileSync(`${file}.rejects.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 11, 12, 13]);
    const reason = (line: number) => rejects.find((r) => r.line === line)!.reason as string;
    expect(reason(3)).toBe('JSON ไม่ถูกต้อง / invalid JSON');
    expect(reason(4)).toMatch(/ไม่รู้จักหน่วยงานรหัส 9999 \/ unknown unitCode 9999/);
    expect(reason(5)).toMatch(/ไม่มีประเด็น "ขอความช่วยเหลือ" ในแบบรายงานระดับอำเภอ \/ no row/);
    expect(reason(6)).toMatch(/closedAt given but status is open/);
    expect(reason(7)).toMatch(/externalId ซ้ำกับบรรทัด 1 \/ duplicate externalId, first on line 1/);
    expect(reason(8)).toMatch(/รหัสหน่วยงาน ไม่ถูกต้อง \/ bad unitCode/);
    expect(reason(11)).toMatch(/วันที่รับเรื่อง ไม่ถูกต้อง \/ bad receivedAt/);
    expect(reason(12)).toMatch(/closedAt is before receivedAt/);
    expect(reason(13)).toMatch(/unknown field: extra/);

    // Nothing of a rejected line is stored; the good ones are full cases, marked as imported.
    const cases = await stack.rt.models.Case.find({ 'imported.externalId': { $exists: true } }).lean();
    expect(cases.map((c) => c.imported!.externalId).sort()).toEqual(['A-1', 'A-2', 'A-9']);
    const a2 = cases.find((c) => c.imported!.externalId === 'A-2')!;
    expect(a2).toMatchObject({ trackingNo: 'IMP-A-2', unitCode: '50', status: 'received', channel: 'hotline', category: 'informal_debt', report: { provinceRow: 6 } });
    expect(a2.imported!.subject).toBe('เงินกู้ดอกเบี้ยสูง');
    const a9 = cases.find((c) => c.imported!.externalId === 'A-9')!;
    expect(a9.description).toBe('<script>alert(1)</script> ถนนชำรุด'); // stored as text; every page escapes it
    expect(a9.report!.provinceRow).toBe(12);

    // Counted: the country's province table gained A-2 (row 6, open) and A-9 (row 12, closed).
    const after = await buildReport({ models: stack.rt.models }, { unitCode: 'MOI', withChildren: true, format: 'province', period: FY });
    expect(after.total.total - before.total.total).toBe(3);
    expect(after.rows[5]!.open - before.rows[5]!.open).toBe(1);
    expect(after.rows[11]!.closed - before.rows[11]!.closed).toBe(1);
    const district = await buildReport({ models: stack.rt.models }, { unitCode: '5001', withChildren: false, format: 'district', period: FY });
    expect(district.rows[2]).toEqual({ label: 'แจ้งเบาะแส', closed: 1, open: 0, total: 1 });
    expect((await verifyCounters(stack.rt.models)).mismatches).toEqual([]);

    // Again: everything good is already there.
    const again = await cli('import', file);
    expect(again.stderr).toMatch(/12 lines: 0 imported, 3 already imported \(skipped\), 9 rejected/);
    expect(await stack.rt.models.Case.countDocuments({ 'imported.externalId': { $exists: true } })).toBe(3);
    expect(await buildReport({ models: stack.rt.models }, { unitCode: 'MOI', withChildren: true, format: 'province', period: FY })).toEqual(after);
  });

  it('reads CSV with a header row; a clean file exits 0', async () => {
    const file = join(dir, 'legacy.csv');
    writeFileSync(file, '\ufeffexternalId,receivedAt,unitCode,reportFormat,reportRow,status,closedAt,channel,subject,description\n' +
      'C-1,2025-11-03T09:00:00+07:00,57,province,ขอร้องเรียน/ข้อพิพาทระหว่างบุคคล,closed,2025-12-01T09:00:00+07:00,เว็บไซต์,,"ข้อพิพาท, ที่ดิน"\n' +
      'C-2,2025-11-04T09:00:00+07:00,5701,district,กรณีขัดแย้งทางสังคม,open,,,,\n');
    const res = await cli('import', file);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/2 lines: 2 imported/);
    const c1 = await stack.rt.models.Case.findOne({ trackingNo: 'IMP-C-1' }).lean();
    expect(c1).toMatchObject({ channel: 'website', description: 'ข้อพิพาท, ที่ดิน', status: 'closed' });
    const r = await buildReport({ models: stack.rt.models }, { unitCode: '57', withChildren: true, format: 'province', period: FY });
    expect(r.rows[2]).toMatchObject({ closed: 1 });
  });
});

describe('npm run cli -- report', () => {
  it('prints the official table, the JSON, an XLSX file, and verify says clean', async () => {
    const text = await cli('report', '--unit', '50', '--with-children', '--format', 'province', '--fiscal-year', '2569', '--output', 'text', '--thai-digits');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('สรุปผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์');
    expect(text.stdout).toContain('หนี้นอกระบบ');
    expect(text.stdout).toContain('ปีงบประมาณ พ.ศ. ๒๕๖๙');
    expect(text.stdout).toMatch(/หมายเหตุ เรื่องร้องเรียนทั้งหมด ๒ เรื่อง ยุติเรื่องแล้ว ๑ เรื่อง คิดเป็นร้อยละ ๕๐.๐๐/);
    const json = await cli('report', '--unit', '50', '--with-children', '--format', 'province', '--fiscal-year', '2569', '--output', 'json');
    expect(JSON.parse(json.stdout)).toEqual(await buildReport({ models: stack.rt.models }, { unitCode: '50', withChildren: true, format: 'province', period: FY }));
    const out = join(dir, 'r.xlsx');
    expect((await cli('report', '--unit', '5001', '--format', 'district', '--fiscal-year', '2569', '--month', '2026-01', '--output', 'xlsx', '--out', out)).code).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const bad = await cli('report', '--unit', '50', '--format', 'province', '--fiscal-year', '2026');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ปีงบประมาณต้องเป็นปี พ.ศ./);
    expect(existsSync(out)).toBe(true);
    const verify = await cli('report', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stderr).toMatch(/0 mismatches .* clean/);
  });
});
