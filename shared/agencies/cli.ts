/** `npm run cli -- agencies import FILE [--dry-run]` and `agencies list`, wired by app/cli.ts. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import type { Models } from '../models/index.ts';
import { AGENCY_COLUMNS, importAgencies } from './importCsv.ts';
import { partnerAgencies, forgetAgencies } from './directory.ts';

export const AGENCIES_USAGE = `  agencies import <file.csv> [--dry-run]
      partner agencies (columns ${AGENCY_COLUMNS.join(',')}; lists ;-separated): checks every line first,
      writes nothing if any is bad; re-importing changes only what changed (docs/agencies.md)
  agencies list
      the partner agencies: code, type, supervising centre, area, problem types, how they receive cases`;

class AgenciesUsageError extends ConfigError {
  override name = 'UsageError';
}

export async function agenciesCommand(db: () => Promise<Models>, args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'import') {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { 'dry-run': { type: 'boolean' } }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new AgenciesUsageError(`${(err as Error).message}\n${AGENCIES_USAGE}`);
    }
    const file = parsed.positionals[0];
    if (!file || parsed.positionals.length > 1) throw new AgenciesUsageError(`ต้องระบุไฟล์ CSV หนึ่งไฟล์ / one CSV file is required\n${AGENCIES_USAGE}`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new AgenciesUsageError(`อ่านไฟล์ไม่ได้ / cannot read ${file}: ${(err as Error).message}`);
    }
    const r = await importAgencies(await db(), text, { dryRun: parsed.values['dry-run'] });
    if (r.errors.length) {
      for (const e of r.errors) console.error(`${e.line ? `บรรทัด ${e.line} / line ${e.line}: ` : ''}${e.th} / ${e.en}`);
      console.error(`ไม่ได้นำเข้า: พบข้อผิดพลาด ${r.errors.length} รายการ / nothing imported: ${r.errors.length} error(s)`);
      return 1;
    }
    const verb = r.dryRun ? 'would be' : '';
    console.log(`${r.dryRun ? '(ทดลอง ไม่ได้บันทึก / dry run, nothing written) ' : ''}`
      + `สร้าง ${r.created.length} แก้ไข ${r.updated.length} ไม่เปลี่ยน ${r.unchanged.length} / `
      + `${r.created.length} ${verb ? 'would be created' : 'created'}, ${r.updated.length} ${verb ? 'would be updated' : 'updated'}, ${r.unchanged.length} unchanged`);
    for (const c of r.created) console.log(`  + ${c}`);
    for (const c of r.updated) console.log(`  ~ ${c}`);
    return 0;
  }
  if (command === 'list') {
    const models = await db();
    forgetAgencies(models);
    const agencies = await partnerAgencies(models);
    if (!agencies.length) console.log('ยังไม่มีหน่วยงานภายนอก / no partner agencies yet');
    for (const a of agencies) {
      const area = a.subdistrictCodes.length ? `subdistricts ${a.subdistrictCodes.join(';')}` : a.districtCodes.length ? `districts ${a.districtCodes.join(';')}` : `provinces ${a.provinceCodes.join(';')}`;
      console.log(`${a.code}\t${a.nameTh} / ${a.nameEn}\t${a.agencyType}\tsupervised by ${a.supervisorCode}\t${area}\t${a.problemTypes.join(';')}\treceives ${a.receives}`);
    }
    return 0;
  }
  throw new AgenciesUsageError(AGENCIES_USAGE);
}
