/**
 * The officers' rich menu and what its buttons say: งานของฉัน (my open cases and the
 * unit's untaken new ones) and วิธีใช้ (officer help). หน่วยงานล่าช้า is bot/handlers/supervisor.ts.
 * The menu is linked to the officer's LINE account when they register, and again on follow (a
 * re-added bot would otherwise show them the citizen's menu).
 */
import { OPEN_STATUSES, STATUS_LABELS } from '../../shared/categories.ts';
import { liffUrl } from '../../shared/links.ts';
import { unownedBelow } from '../../shared/supervision/lateUnits.ts';
import { isSupervisorRole } from '../../shared/cases/access.ts';
import { formatDate } from '../../shared/thaiDate.ts';
import type { Ctx } from '../conversation/types.ts';
import { text, type Message } from '../messages/build.ts';
import { officerMenuKind, type OfficerMenuKind } from '../richMenu.ts';
import type { BotDeps } from '../deps.ts';

export const MY_WORK_PATTERN = /^\s*(?:งานของฉัน|my\s+work)\s*$/i;
export const OFFICER_HELP_PATTERN = /^\s*(?:วิธีใช้|help)\s*$/i;
/** Open cases listed in งานของฉัน; the LIFF page has them all. */
const MY_WORK_SHOWN = 10;

async function activeOfficer(userId: string, deps: BotDeps) {
  return deps.models.Officer.findOne({ lineUserId: userId, active: true }).lean();
}

/**
 * Links the officers' menu matching the user's role; a no-op for non-officers. Never fails the turn:
 * the registration has happened, a menu LINE did not take is logged and retried on the next follow.
 */
export async function linkOfficerMenu(userId: string, deps: BotDeps): Promise<OfficerMenuKind | undefined> {
  if (!deps.officerMenuId) return undefined;
  const officer = await activeOfficer(userId, deps);
  if (!officer) return undefined;
  const kind = officerMenuKind(officer.role);
  try {
    const menuId = await deps.officerMenuId(kind);
    if (menuId) await deps.line.api.linkRichMenuIdToUser(userId, menuId);
    return kind;
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, kind }, 'officer rich menu not linked');
    return undefined;
  }
}

/** งานของฉัน: the officer's open cases (oldest deadline first) and the unit's new cases nobody has taken. */
export async function myWorkReply(ctx: Ctx, deps: BotDeps): Promise<Message[]> {
  const officer = await activeOfficer(ctx.userId, deps);
  if (!officer) return [text(ctx.t.officersOnly)];
  const open = { status: { $in: OPEN_STATUSES } };
  const [mine, untaken, unit] = await Promise.all([
    // Within the officer's unit (a forward clears the assignee), so the unit's index serves it.
    deps.models.Case.find({ unitCode: officer.unitCode, ...open, 'assignee.officerId': String(officer._id) }, { trackingNo: 1, status: 1, resolveDueAt: 1 }).lean(),
    deps.models.Case.countDocuments({ unitCode: officer.unitCode, status: 'received' }),
    deps.models.Unit.findById(officer.unitCode, { nameTh: 1 }).lean(),
  ]);
  const due = (c: { resolveDueAt?: Date | null }) => (c.resolveDueAt ? new Date(c.resolveDueAt).getTime() : Infinity);
  mine.sort((a, b) => due(a) - due(b) || a.trackingNo.localeCompare(b.trackingNo));
  const lines = [
    ctx.t.myWorkTitle(officer.name || ctx.displayName, unit?.nameTh ?? officer.unitCode),
    mine.length ? ctx.t.myWorkAssigned(mine.length) : ctx.t.myWorkNone,
    ...mine.slice(0, MY_WORK_SHOWN).map((c) => ctx.t.myWorkLine(c.trackingNo, STATUS_LABELS[c.status][ctx.lang], c.resolveDueAt ? formatDate(new Date(c.resolveDueAt), ctx.lang) : '')),
    ...(mine.length > MY_WORK_SHOWN ? [ctx.t.myWorkMore(mine.length - MY_WORK_SHOWN)] : []),
    ctx.t.myWorkUnassigned(untaken),
    ...(await unownedLine(officer, ctx, deps)),
    ctx.t.myWorkLink(liffUrl(deps.links, '/officer')),
  ];
  return [text(lines.join('\n'))];
}

/** For a supervisor: the open cases below held where nobody is registered (theirs to take over or assign). */
async function unownedLine(officer: { unitCode: string; role: string }, ctx: Ctx, deps: BotDeps): Promise<string[]> {
  if (!isSupervisorRole(officer.role)) return [];
  const unowned = await unownedBelow(deps.models, officer.unitCode);
  return unowned.cases ? [ctx.t.lateUnitsUnowned(unowned.units.length, unowned.cases, liffUrl(deps.links, '/officer/below?filter=unowned'))] : [];
}

/** วิธีใช้ from an officer: the officer commands (heads also see theirs). Undefined for anyone else: the citizen flow answers. */
export async function officerHelpReply(ctx: Ctx, deps: BotDeps): Promise<Message[] | undefined> {
  const officer = await activeOfficer(ctx.userId, deps);
  return officer ? [text(ctx.t.officerHelp(isSupervisorRole(officer.role)))] : undefined;
}
