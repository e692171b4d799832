/**
 * Dashboard downloads say what they hold: the file name carries the kind, the scope (unit code) and
 * the period, and a CSV opens with a title line and a period line before the header row (the XLSX
 * sheet too). Real app, FerretDB, a head signed in through the simulator's LINE Login.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsvText, toXlsxBuffer } from '../dashboard/export.ts';
import { get, seedCase, signIn, type Jar } from './helpers/dashboard.ts';
import { startStack, type Stack } from './helpers/stack.ts';

let stack: Stack;
let jar: Jar;
// 5 December 2026, Bangkok: fiscal year 2570, BE date 2569-12-05.
const now = new Date('2026-12-05T10:00:00+07:00');
let trackingNo = '';

beforeAll(async () => {
  stack = await startStack({ worker: false, clock: { now: () => now } });
  const c = await seedCase(stack, { provinceCode: '50', districtCode: '5001', receivedAt: new Date('2026-11-10T09:00:00+07:00') });
  trackingNo = c.trackingNo;
  const head = await stack.officer('50', 'head', 'หัวหน้า จังหวัดเชียงใหม่');
  ({ jar } = await signIn(stack, head.userId));
});
afterAll(async () => { await stack?.close(); });

async function download(path: string) {
  const res = await get(stack, path, jar);
  expect(res.status, path).toBe(200);
  // Quoted or not (express leaves a plain token unquoted).
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  return { res, name };
}
const linesOf = async (res: Response) => (await res.text()).replace(/^\ufeff/, '').split('\r\n');

describe('dashboard exports', () => {
  it('official table: rongrian-report-<unit>-<period>-<format>, title and period lines first', async () => {
    const month = await download('/dashboard/export/report.csv?unit=50&format=province&withChildren=true&period=month&month=2026-11');
    expect(month.name).toBe('rongrian-report-50-2569-11-province.csv');
    const lines = await linesOf(month.res);
    expect(lines[0]).toBe('สรุปผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์ ศูนย์ดำรงธรรมจังหวัดเชียงใหม่ (รวมหน่วยงานในสังกัด)');
    expect(lines[1]).toBe('แบบรายงานระดับจังหวัด ประจำเดือนพฤศจิกายน พ.ศ. 2569 (ปีงบประมาณ พ.ศ. 2570)');
    expect(lines[2]).toBe('ประเด็น,ยุติเรื่อง,อยู่ระหว่างดำเนินการ,รวม');
    expect(lines[3]).toBe('ขอความช่วยเหลือ,0,1,1');

    const fy = await download('/dashboard/export/report.xlsx?unit=5001&format=district&withChildren=false&period=fy&fy=2570');
    expect(fy.name).toBe('rongrian-report-5001-own-fy2570-district.xlsx');
    const range = await download('/dashboard/export/report.csv?unit=50&format=district&withChildren=true&period=range&from=2026-11-01&to=2026-11-15');
    expect(range.name).toBe('rongrian-report-50-2569-11-01_2569-11-15-district.csv');
    expect((await linesOf(range.res))[1]).toMatch(/^แบบรายงานระดับอำเภอ .*2569/);
  });

  it('case list, completeness and late units: scope and period in the name, title and period lines in the CSV and the sheet', async () => {
    const cases = await download('/dashboard/export/cases.csv?unit=50&from=2026-11-01&to=2026-11-30');
    expect(cases.name).toBe('rongrian-cases-50-2569-11-01_2569-11-30.csv');
    const caseLines = await linesOf(cases.res);
    expect(caseLines[0]).toBe('เรื่องร้องเรียน (Cases) · ศูนย์ดำรงธรรมจังหวัดเชียงใหม่');
    expect(caseLines[1]).toBe('รับเรื่องตั้งแต่ 1 พ.ย. 2569 ถึง 30 พ.ย. 2569 (received 2026-11-01 to 2026-11-30)');
    expect(caseLines[2]).toMatch(/^เลขรับเรื่อง \(Tracking no\.\),/);
    expect(caseLines[3]).toMatch(new RegExp(`^${trackingNo},`));
    expect((await download('/dashboard/export/cases.csv?unit=50')).name).toBe('rongrian-cases-50-all.csv');

    const completeness = await download('/dashboard/export/completeness.csv?unit=50&fy=2570');
    expect(completeness.name).toBe('rongrian-completeness-50-fy2570.csv');
    const compLines = await linesOf(completeness.res);
    expect(compLines[0]).toBe('ความครบถ้วนของข้อมูล (Data completeness) · ศูนย์ดำรงธรรมจังหวัดเชียงใหม่');
    expect(compLines[1]).toMatch(/^ปีงบประมาณ 2570 \(1 ต\.ค\. 2569 – 30 ก\.ย\. 2570\)/);
    expect(compLines[2]).toMatch(/^หน่วยงาน \(Unit\),รหัส \(Code\),/);

    const late = await download('/dashboard/export/late-units.xlsx?unit=50');
    expect(late.name).toBe('rongrian-late-units-50-2569-12-05.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await late.res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(1).getCell(1).value)).toBe('หน่วยงานล่าช้า (Late units) · ศูนย์ดำรงธรรมจังหวัดเชียงใหม่ และหน่วยงานในสังกัด (and units below)');
    expect(String(ws.getRow(2).getCell(1).value)).toMatch(/^ข้อมูล ณ 5 ธ\.ค\. 2569/);
    expect(String(ws.getRow(3).getCell(1).value)).toBe('หน่วยงาน (Unit)');
  });

  it('a text cell carrying personal data leaves with markers, in the CSV and the sheet', async () => {
    const t = { sheet: 'x', title: 'ทดสอบ (Test)', period: 'รับเรื่องทุกช่วงเวลา', headers: ['หมายเหตุ (Note)', 'เลขรับเรื่อง (Tracking no.)'], rows: [['ผู้ร้องโทร 081-222-3344 อีเมล a.b@gmail.com', '2569-000123']] };
    const csv = toCsvText(t).split('\r\n');
    expect(csv[3]).toBe('ผู้ร้องโทร [เบอร์โทร] อีเมล [อีเมล],2569-000123');
    const wb = new ExcelJS.Workbook();
    const xlsx = await toXlsxBuffer(t);
    await wb.xlsx.load(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(4).values).toEqual([undefined, 'ผู้ร้องโทร [เบอร์โทร] อีเมล [อีเมล]', '2569-000123']);
  });
});
