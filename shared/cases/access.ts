/**
 * Who may see and act on a case: the one access rule the bot, the LIFF API, the dashboard and every
 * domain command share. An officer acts on the cases their own unit holds; a supervisor (head,
 * executive, admin) also on those of any unit below theirs. A complaint about officials of unit X
 * (`concernedUnitCode`) is never shown to X's own officers, whatever their role: nobody handles a
 * complaint about themselves; X's parent units do see it.
 */
import { OPEN_STATUSES } from '../categories.ts';
import type { Models } from '../models/index.ts';
import { buildUnitCatalog, MINISTRY_UNIT_CODE } from '../units/catalog.ts';
import { exchangeModels } from '../partners/models.ts';

export type OfficerRole = 'officer' | 'head' | 'executive' | 'admin';

/** Roles that oversee the units below their own. */
export const SUPERVISOR_ROLES: readonly OfficerRole[] = ['head', 'executive', 'admin'];

export function isSupervisorRole(role: string | undefined | null): boolean {
  return !!role && (SUPERVISOR_ROLES as readonly string[]).includes(role);
}

/** The part of an officer the rule looks at. A missing role counts as a plain officer. */
export interface AccessOfficer {
  unitCode: string;
  role?: OfficerRole | string;
}

/** The part of a case the rule looks at. */
export interface AccessCase {
  unitCode: string;
  concernedUnitCode?: string | null;
}

/** The unit tree is shallow (ministry → province → district, partners under one of them): a few hops up is the whole way. */
const MAX_DEPTH = 6;

/** Is `unitCode` strictly below `ancestor` in the unit tree? */
export async function isUnitBelow(models: Pick<Models, 'Unit'>, ancestor: string, unitCode: string): Promise<boolean> {
  if (unitCode === ancestor) return false;
  let code: string | null | undefined = unitCode;
  for (let i = 0; i < MAX_DEPTH && code; i++) {
    const unit: { parentCode?: string | null } | null = await models.Unit.findById(code, { parentCode: 1 }).lean();
    code = unit?.parentCode;
    if (code === ancestor) return true;
  }
  // Units missing from the catalogue still belong to the ministry.
  return ancestor === MINISTRY_UNIT_CODE && unitCode !== MINISTRY_UNIT_CODE;
}

/** May this officer see the case (with the complainant's data, audited) and act on it? */
export async function mayActOn(models: Pick<Models, 'Unit'>, officer: AccessOfficer, c: AccessCase): Promise<boolean> {
  if (c.concernedUnitCode && c.concernedUnitCode === officer.unitCode) return false;
  if (c.unitCode === officer.unitCode) return true;
  if (!isSupervisorRole(officer.role)) return false;
  return isUnitBelow(models, officer.unitCode, c.unitCode);
}

/** The units strictly below `unitCode`, breadth first (provinces before their districts). */
export async function unitsBelow(models: Pick<Models, 'Unit'>, unitCode: string): Promise<string[]> {
  const out: string[] = [];
  let frontier = [unitCode];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
    const children = (await models.Unit.find({ parentCode: { $in: frontier } }, { _id: 1 }).lean()).map((u) => String(u._id));
    frontier = children.filter((c) => c !== unitCode && !out.includes(c));
    out.push(...frontier);
  }
  return out;
}

/** The units with at least one active registered officer, among `codes` (one indexed query per unit). */
export async function staffedUnits(models: Pick<Models, 'Officer'>, codes: string[]): Promise<Set<string>> {
  const staffed = new Set<string>();
  await inBatches(codes, async (code) => {
    if (await models.Officer.exists({ unitCode: code, active: true })) staffed.add(code);
  });
  return staffed;
}

/**
 * Who holds a case of `unitCode` in practice: the unit itself when someone there is registered, else
 * the nearest unit up the ladder with a registered supervisor (the one that was alerted). `unowned` says
 * the unit itself has nobody yet; `holder` is undefined when nobody anywhere up the ladder is registered.
 */
export async function caseHolder(models: Pick<Models, 'Officer' | 'Unit' | 'conn'>, unitCode: string, concernedUnitCode?: string | null): Promise<{ unowned: boolean; holder?: string }> {
  if (await receivesByApi(models, unitCode)) return { unowned: false, holder: unitCode };
  const near = await nearestActors(models, unitCode, { concernedUnitCode, ownRoles: ['officer', 'head', 'executive', 'admin'] });
  if (!near.lineUserIds.length) return { unowned: true };
  return near.unitCode === unitCode ? { unowned: false, holder: unitCode } : { unowned: true, holder: near.unitCode };
}

/**
 * A partner agency that takes its cases through the partner API (`receives: 'api'`) with a live key
 * holds them without anyone on LINE: telling its citizens "nobody is registered there" would be false.
 */
async function receivesByApi(models: Pick<Models, 'Unit' | 'conn'>, unitCode: string): Promise<boolean> {
  if (isFixedTreeUnit(unitCode)) return false;
  const unit = await models.Unit.findById(unitCode, { receives: 1 }).lean<{ receives?: string }>();
  if (unit?.receives !== 'api') return false;
  return Boolean(await exchangeModels(models.conn).ApiKey.exists({ unitCode, revokedAt: null }));
}

let catalogParents: Map<string, string | null> | undefined;
/** Parents read from the database (partner agencies: their supervising centre), per connection, for a short while. */
const storedParents = new WeakMap<object, Map<string, { parent: string | null; at: number }>>();
const PARENT_TTL_MS = 60_000;

/**
 * The unit and those above it, nearest first, as stored: a partner agency climbs to the centre that
 * supervises it, then that centre's own ladder up to the ministry. The fixed tree (ministry,
 * provinces, districts) needs no query; a unit missing from the database still belongs to the ministry.
 */
export async function unitLadder(models: Pick<Models, 'Unit'>, unitCode: string, now = Date.now()): Promise<string[]> {
  catalogParents ??= new Map(buildUnitCatalog().map((u) => [u.code, u.parentCode]));
  let memo = storedParents.get(models.Unit);
  if (!memo) storedParents.set(models.Unit, memo = new Map());
  const ladder = [unitCode];
  let code: string | null | undefined = unitCode;
  while (code && code !== MINISTRY_UNIT_CODE && ladder.length < MAX_DEPTH) {
    let parent: string | null | undefined;
    if (catalogParents.has(code)) parent = catalogParents.get(code);
    else {
      const hit = memo.get(code);
      if (hit && now - hit.at < PARENT_TTL_MS) parent = hit.parent;
      else {
        const unit: { parentCode?: string | null } | null = await models.Unit.findById(code, { parentCode: 1 }).lean();
        parent = unit?.parentCode ?? MINISTRY_UNIT_CODE;
        memo.set(code, { parent, at: now });
      }
    }
    if (!parent || ladder.includes(parent)) break;
    ladder.push(parent);
    code = parent;
  }
  return ladder;
}

/** Whether a unit is off the fixed tree (a partner agency): only those need a query to climb. */
export function isFixedTreeUnit(code: string): boolean {
  catalogParents ??= new Map(buildUnitCatalog().map((u) => [u.code, u.parentCode]));
  return catalogParents.has(code);
}

/**
 * The case with `ladder` (its unit and those above, as stored) when its unit is off the fixed tree:
 * what the SLA planner climbs to escalate a late agency to its supervising centre.
 */
export async function withStoredLadder<T extends { unitCode: string }>(models: Pick<Models, 'Unit'>, c: T): Promise<T & { ladder?: string[] }> {
  if (isFixedTreeUnit(c.unitCode)) return c;
  return Object.assign(c, { ladder: await unitLadder(models, c.unitCode) });
}

/** Finds active officers of a unit with one of the roles (the SLA run passes a lookup over officers it read at once). */
export type OfficerLookup = (unitCode: string, roles: readonly string[]) => Promise<string[]>;

export const officerLookup = (models: Pick<Models, 'Officer'>): OfficerLookup => async (unitCode, roles) =>
  (await models.Officer.find({ unitCode, active: true, role: { $in: [...roles] as OfficerRole[] } }, { lineUserId: 1 }).lean()).map((o) => o.lineUserId);

/**
 * The people who can act on a case of `unitCode`, nearest first up the stored ladder (an agency's
 * ladder goes through its supervising centre): the unit's own officers and heads (`ownRoles`), else
 * the supervisors of the nearest unit above that has any — only supervisors may act on the cases
 * below (mayActOn). `supervisorsOnly` (escalation of a late case): heads at each step, else its
 * executives, from the unit itself. A complaint about a unit's officials never reaches that unit.
 */
export async function nearestActors(models: Pick<Models, 'Officer' | 'Unit'>, unitCode: string, opts: {
  concernedUnitCode?: string | null; supervisorsOnly?: boolean; ownRoles?: readonly string[]; officers?: OfficerLookup;
} = {}): Promise<{ unitCode: string; lineUserIds: string[] }> {
  const find = opts.officers ?? officerLookup(models);
  const ladder = await unitLadder(models, unitCode);
  for (const code of ladder) {
    if (code === opts.concernedUnitCode) continue;
    const tiers: (readonly string[])[] = opts.supervisorsOnly ? [['head'], ['executive']]
      : code === unitCode ? [opts.ownRoles ?? ['officer', 'head']] : [SUPERVISOR_ROLES];
    for (const roles of tiers) {
      const ids = await find(code, roles);
      if (ids.length) return { unitCode: code, lineUserIds: ids };
    }
  }
  return { unitCode: ladder.at(-1) ?? unitCode, lineUserIds: [] };
}

/** Open cases of the given units, one query per unit: equality on `unitCode` is what FerretDB serves from an index. */
export async function openCasesOf<T>(models: Pick<Models, 'Case'>, codes: string[], projection: Record<string, 0 | 1>, perUnitLimit = 500): Promise<T[]> {
  const out: T[] = [];
  await inBatches(codes, async (code) => {
    const rows = await models.Case.find({ unitCode: code, status: { $in: OPEN_STATUSES } }, projection).sort({ createdAt: -1 }).limit(perUnitLimit).lean<T[]>();
    out.push(...rows);
  });
  return out;
}

async function inBatches(codes: string[], fn: (code: string) => Promise<void>, size = 16): Promise<void> {
  for (let i = 0; i < codes.length; i += size) await Promise.all(codes.slice(i, i + size).map(fn));
}
