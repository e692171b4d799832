/**
 * Supervisors in LINE: "หน่วยงานล่าช้า" → a card of late units in the head's scope, each
 * with a กระตุ้น button; "ขอรหัสเชื่อมกลุ่ม" → a one-time code to link the unit's LINE group. And the
 * group side: join → how to link, "เชื่อมกลุ่ม <code>" → linked, leave → unlinked.
 */
import type { webhook } from '@line/bot-sdk';
import { th } from '../../shared/i18n/th.ts';
import type { LineEventJob } from '../../shared/queues.ts';
import { slaContext } from '../../shared/sla/load.ts';
import { createGroupCode, GROUP_CODE_PATTERN, linkGroup, unlinkGroup } from '../../shared/supervision/groups.ts';
import { lateUnits, scopeOf, unownedBelow } from '../../shared/supervision/lateUnits.ts';
import { isSupervisorRole } from '../../shared/cases/access.ts';
import { liffUrl } from '../../shared/links.ts';
import { nudgeUnit } from '../../shared/supervision/nudges.ts';
import { formatDateTime } from '../../shared/thaiDate.ts';
import type { Ctx } from '../conversation/types.ts';
import { lateUnitsCard } from '../messages/lateUnits.ts';
import { text, type Message } from '../messages/build.ts';
import type { BotDeps } from '../deps.ts';

export const LATE_UNITS_PATTERN = /^\s*(?:หน่วยงานล่าช้า|late\s+units)\s*$/i;
export const GROUP_CODE_REQUEST = /^\s*(?:ขอรหัสเชื่อมกลุ่ม|group\s+code)\s*$/i;

const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Bangkok', hour: '2-digit', minute: '2-digit', hour12: false });

async function supervisorOf(ctx: Ctx, deps: BotDeps) {
  const o = await deps.models.Officer.findOne({ lineUserId: ctx.userId, active: true }).lean();
  return o && isSupervisorRole(o.role) ? o : null;
}

async function unitName(deps: BotDeps, code: string): Promise<string> {
  return (await deps.models.Unit.findById(code).lean())?.nameTh ?? code;
}

/** หน่วยงานล่าช้า: the late units in the supervisor's scope, worst first. */
export async function lateUnitsReply(ctx: Ctx, deps: BotDeps): Promise<Message[]> {
  const sup = await supervisorOf(ctx, deps);
  if (!sup) return [text(ctx.t.supervisorsOnly)];
  const scope = await scopeOf(deps.models, sup.unitCode);
  const scopeName = await unitName(deps, sup.unitCode);
  const [late, unowned] = await Promise.all([lateUnits(deps.models, slaContext().calendar, scope, deps.clock.now()), unownedBelow(deps.models, sup.unitCode)]);
  // Cases held where nobody is registered: counted apart, late or not, as nobody below can act on them.
  const unownedLine = unowned.cases ? `\n\n${ctx.t.lateUnitsUnowned(unowned.units.length, unowned.cases, liffUrl(deps.links, '/officer/below?filter=unowned'))}` : '';
  if (!late.units.length) return [text(ctx.t.noLateUnits(scopeName) + unownedLine)];
  const empty = new Set(unowned.units.map((u) => u.unitCode));
  return [
    text(ctx.t.lateUnitsSummary(scopeName, late.totalUnits, late.totalCases, late.units.length) + (late.asOf ? `\n${ctx.t.lateUnitsAsOf(hhmm.format(late.asOf))}` : '') + unownedLine),
    lateUnitsCard(late.units.map((u) => ({ ...u, unowned: empty.has(u.unitCode) })), { units: late.totalUnits, cases: late.totalCases }, ctx.t),
  ];
}

/** กระตุ้น from the card: only heads/executives, only units in their scope, once per unit per 4 hours. */
export async function nudgeReply(unitCode: string, ctx: Ctx, deps: BotDeps): Promise<Message[]> {
  const sup = await deps.models.Officer.findOne({ lineUserId: ctx.userId, active: true }).lean();
  if (!sup || !isSupervisorRole(sup.role)) return [text(ctx.t.supervisorsOnly)];
  const r = await nudgeUnit({ models: deps.models, line: deps.line, clock: deps.clock, calendar: slaContext().calendar }, sup, unitCode);
  if (r.ok) return [text(ctx.t.nudgeSent(r.unitName, r.officers, r.groups))];
  if (r.reason === 'out_of_scope' || r.reason === 'not_supervisor') return [text(ctx.t.nudgeOutOfScope)];
  const name = await unitName(deps, unitCode);
  if (r.reason === 'already') return [text(ctx.t.nudgeAlready(name, hhmm.format(r.at), r.byName))];
  return [text(r.reason === 'not_late' ? ctx.t.nudgeNotLate(name) : ctx.t.nudgeNobody(name))];
}

/** ขอรหัสเชื่อมกลุ่ม: a head gets a one-time code for their own unit's LINE group. */
export async function groupCodeReply(ctx: Ctx, deps: BotDeps): Promise<Message[]> {
  const sup = await supervisorOf(ctx, deps);
  if (!sup) return [text(ctx.t.supervisorsOnly)];
  const { code, expiresAt } = await createGroupCode(deps.models, deps.clock, { unitCode: sup.unitCode, createdBy: String(sup._id) });
  return [text(ctx.t.groupCodeIssued(code, await unitName(deps, sup.unitCode), formatDateTime(expiresAt, ctx.lang)))];
}

/**
 * Events from a LINE group. The bot stays quiet there except for joining and linking: groups get
 * Thai (units work in Thai), and never anything about a complainant.
 */
export async function handleGroupEvent(deps: BotDeps, job: LineEventJob): Promise<void> {
  const event = job.event as webhook.Event;
  if (event.source?.type !== 'group') return;
  const groupId = event.source.groupId;
  const replyToken = 'replyToken' in event ? (event.replyToken as string | undefined) : undefined;
  const say = (body: string) => deps.line.replyOrPush(groupId, replyToken, [text(body)], `group:${event.webhookEventId}`);
  if (event.type === 'join') return say(th.groupJoined);
  if (event.type === 'leave') {
    if (await unlinkGroup(deps.models, groupId)) deps.log.info({ groupId }, 'LINE group unlinked (bot left)');
    return;
  }
  if (event.type !== 'message' || event.message.type !== 'text') return;
  const m = GROUP_CODE_PATTERN.exec(event.message.text.trim());
  if (!m) return;
  if (!m[1]) return say(th.groupLinkUsage);
  const linked = await linkGroup(deps.models, deps.clock, { code: m[1], groupId, by: event.source.userId });
  if (!linked) return say(th.groupLinkFailed);
  deps.log.info({ groupId, unit: linked.unitCode }, 'LINE group linked');
  return say(th.groupLinked(await unitName(deps, linked.unitCode)));
}
