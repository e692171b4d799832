import type { Models } from '../models/index.ts';
import { buildUnitCatalog } from './catalog.ts';

/** Puts the ministry, provincial and district centres in the database; safe to run at every start. */
export async function seedUnits(models: Models): Promise<number> {
  const catalog = buildUnitCatalog();
  const have = await models.Unit.countDocuments({ level: { $in: ['ministry', 'province', 'district'] } });
  if (have === catalog.length) return 0;
  await models.Unit.bulkWrite(catalog.map((u) => ({
    updateOne: {
      filter: { _id: u.code },
      update: { $set: { nameTh: u.nameTh, nameEn: u.nameEn, level: u.level, parentCode: u.parentCode, provinceCode: u.provinceCode } },
      upsert: true,
    },
  })), { ordered: false });
  return catalog.length;
}
