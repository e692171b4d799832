/**
 * Who is calling a web API that is not the LINE webhook: an officer signed in to the dashboard
 * (LINE Login), or a partner agency with an API key. Reports, the dashboard and the data-exchange
 * API all decide what may be read from this one shape, so a scope rule is written once.
 */
import type { Models } from '../models/index.ts';
import { MINISTRY_UNIT_CODE } from '../units/catalog.ts';
import { isUnitBelow, unitsBelow } from '../cases/access.ts';

export type Principal =
  | { kind: 'officer'; officerId: string; lineUserId: string; name: string; unitCode: string; role: 'officer' | 'head' | 'executive' | 'admin' }
  | { kind: 'partner'; apiKeyId: string; name: string; unitCode: string };

/** The ministry's officers see the whole country; everyone else sees their unit and the units under it. */
export function seesWholeCountry(p: Principal): boolean {
  return p.unitCode === MINISTRY_UNIT_CODE;
}

/** The unit and every unit under it, breadth first (the tree walk of shared/cases/access.ts). */
export async function unitAndDescendants(models: Pick<Models, 'Unit'>, unitCode: string): Promise<string[]> {
  return [unitCode, ...await unitsBelow(models, unitCode)];
}

/** May `p` read data of `unitCode`? (Its own unit, any unit under it, or anything for the ministry.) */
export async function mayRead(models: Pick<Models, 'Unit'>, p: Principal, unitCode: string): Promise<boolean> {
  return seesWholeCountry(p) || p.unitCode === unitCode || isUnitBelow(models, p.unitCode, unitCode);
}
