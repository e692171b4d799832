import type { CaseDoc, Models } from '../models/index.ts';

export type UnitNames = Map<string, { nameTh: string; nameEn: string }>;

/** Names of the units a set of cases mention (their unit and the units on their timelines), in one query. */
export async function unitNamesFor(models: Models, cases: Pick<CaseDoc, 'unitCode' | 'timeline'>[]): Promise<UnitNames> {
  const codes = new Set<string>();
  for (const c of cases) {
    codes.add(c.unitCode);
    for (const e of c.timeline ?? []) {
      if (e.unitCode) codes.add(e.unitCode);
      if (e.fromUnitCode) codes.add(e.fromUnitCode);
    }
  }
  const units = await models.Unit.find({ _id: { $in: [...codes] } }, { nameTh: 1, nameEn: 1 }).lean();
  return new Map(units.map((u) => [String(u._id), { nameTh: u.nameTh, nameEn: u.nameEn }]));
}
