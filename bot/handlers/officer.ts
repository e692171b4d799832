import { STATUS_LABELS } from '../../shared/categories.ts';
import { assignCase } from '../../shared/cases/commands/assignCase.ts';
import { mayActOn } from '../../shared/cases/access.ts';
import { takeOverCase } from '../../shared/cases/commands/takeOverCase.ts';
import { forwardCase } from '../../shared/cases/commands/forwardCase.ts';
import { th as copyTh } from '../../shared/i18n/th.ts';
import type { OfficerRef } from '../../shared/cases/actor.ts';
import type { Copy } from '../../shared/i18n/index.ts';
import type { CaseDoc } from '../../shared/models/index.ts';
import { redeemOfficerInvite } from '../../shared/officers/invites.ts';
import { formatDateTime } from '../../shared/thaiDate.ts';
import { areaText, categoryLabel } from '../conversation/prompts.ts';
import type { ConversationDeps, Ctx } from '../conversation/types.ts';
import { text, type Message } from '../messages/build.ts';

export const REGISTER_PATTERN = /^(?:ลงทะเบียน|register)\s+([A-Za-z0-9-]{4,20})$/i;

/** `ลงทะเบียน <code>`: links this LINE account as an officer of the invite's unit. */
export async function register(code: string, ctx: Ctx, deps: ConversationDeps): Promise<Message[]> {
  const officer = await redeemOfficerInvite(deps.models, deps.clock, { code, lineUserId: ctx.userId, name: ctx.displayName });
  if (!officer) return [text(ctx.t.registerFailed)];
  const unit = await deps.models.Unit.findById(officer.unitCode).lean();
  return [text(ctx.t.registered(unit?.nameTh ?? officer.unitCode, ctx.t.roles[officer.role]))];
}

async function officerOf(ctx: Ctx, deps: ConversationDeps) {
  return deps.models.Officer.findOne({ lineUserId: ctx.userId, active: true }).lean();
}

function refOf(officer: NonNullable<Awaited<ReturnType<typeof officerOf>>>, ctx: Ctx): OfficerRef {
  return { id: String(officer._id), name: officer.name || ctx.displayName, unitCode: officer.unitCode, role: officer.role };
}

/** รับเรื่อง from the alert card. */
export async function accept(caseId: string, ctx: Ctx, deps: ConversationDeps): Promise<Message[]> {
  const officer = await officerOf(ctx, deps);
  if (!officer) return [text(ctx.t.notYourUnit)];
  const result = await assignCase(deps, { caseId, officer: refOf(officer, ctx) });
  if (result.ok) return [text(result.case.unitCode === officer.unitCode && result.case.timeline.at(-1)?.action === 'taken_over' ? ctx.t.takenOverByYou(result.case.trackingNo) : ctx.t.acceptedByYou(result.case.trackingNo))];
  if (result.reason === 'taken' && result.case) {
    // Pressing twice is not an error for the one who has it.
    if (result.case.assignee?.officerId === String(officer._id)) return [text(ctx.t.acceptedByYou(result.case.trackingNo))];
    return [text(ctx.t.alreadyTaken(result.case.trackingNo, result.case.assignee?.name ?? '-'))];
  }
  if (result.reason === 'not_open' && result.case) return [text(`${result.case.trackingNo}: ${STATUS_LABELS[result.case.status].th}`)];
  return [text(result.reason === 'not_found' ? ctx.t.caseNotFound : ctx.t.notYourUnit)];
}

export function caseDetails(c: CaseDoc, ctx: Ctx, t: Copy): string {
  const who = c.complainant?.anonymous ? t.anonymous : (c.complainant?.name || '-');
  const lines = [
    `${c.trackingNo}`,
    `${t.fieldCategory}: ${categoryLabel(c.category, ctx, c.problemType)}`,
    `${t.fieldStatus}: ${STATUS_LABELS[c.status][ctx.lang]}`,
    `${t.fieldArea}: ${areaText(c.location as never, ctx)}`,
    `${t.fieldReceived}: ${formatDateTime(c.createdAt as Date, ctx.lang)}`,
    `${t.complainant}: ${who}`,
    c.assignee?.name ? `${t.fieldAssignee}: ${c.assignee.name}` : '',
    c.attachments?.length ? t.attachments(c.attachments.length) : '',
    '',
    c.description,
  ];
  return lines.filter((l, i) => l !== '' || i === 8).join('\n');
}

/** ดูรายละเอียด: personal data only to officers who may act on the case (shared/cases/access.ts), and every look is audited. */
export async function view(caseId: string, ctx: Ctx, deps: ConversationDeps): Promise<Message[]> {
  const officer = await officerOf(ctx, deps);
  if (!officer || !/^[0-9a-f]{24}$/.test(caseId)) return [text(ctx.t.notYourUnit)];
  const c = await deps.models.Case.findById(caseId).lean<CaseDoc>();
  if (!c || !(await mayActOn(deps.models, officer, c))) return [text(ctx.t.notYourUnit)];
  await deps.models.Audit.create({ at: deps.clock.now(), officerId: String(officer._id), lineUserId: ctx.userId, caseId, action: 'view_case' });
  return [text(caseDetails(c, ctx, ctx.t))];
}

/** รับเรื่องไว้เอง from an escalated card: the supervisor's unit takes the case, assigned to them. */
export async function takeOver(caseId: string, ctx: Ctx, deps: ConversationDeps): Promise<Message[]> {
  const officer = await officerOf(ctx, deps);
  if (!officer) return [text(ctx.t.notYourUnit)];
  // A card is pressed late too: a case someone below has taken since is theirs (the LIFF page and the
  // dashboard still let a supervisor take it over on purpose, with a reason).
  const current = /^[0-9a-f]{24}$/.test(caseId) ? await deps.models.Case.findById(caseId, { assignee: 1, unitCode: 1, concernedUnitCode: 1, trackingNo: 1 }).lean<CaseDoc>() : null;
  if (current?.assignee?.officerId && current.unitCode !== officer.unitCode && (await mayActOn(deps.models, officer, current))) {
    return [text(ctx.t.alreadyTaken(current.trackingNo, current.assignee.name ?? '-'))];
  }
  const r = await takeOverCase(deps, { caseId, officer: refOf(officer, ctx), reason: ctx.t.takeOverDefaultReason });
  if (r.ok) return [text(ctx.t.takenOverByYou(r.case.trackingNo))];
  if (r.reason === 'same_unit' && r.case) return accept(caseId, ctx, deps);
  if (r.reason === 'not_supervisor') return [text(ctx.t.supervisorsOnly)];
  if (r.reason === 'not_open' && r.case) return [text(`${r.case.trackingNo}: ${STATUS_LABELS[r.case.status][ctx.lang]}`)];
  return [text(ctx.t.notYourUnit)];
}

/** ส่งต่อหน่วยงาน from the alert card: the case goes to the partner agency routing suggested (forwardCase). */
export async function forwardToSuggestedAgency(caseId: string, ctx: Ctx, deps: ConversationDeps): Promise<Message[]> {
  const officer = await officerOf(ctx, deps);
  if (!officer) return [text(ctx.t.notYourUnit)];
  const current = /^[0-9a-f]{24}$/.test(caseId) ? await deps.models.Case.findById(caseId, { unitCode: 1, concernedUnitCode: 1, suggestedUnitCode: 1, trackingNo: 1 }).lean<CaseDoc>() : null;
  if (!current || !(await mayActOn(deps.models, officer, current))) return [text(ctx.t.notYourUnit)];
  const agency = current.suggestedUnitCode ? await deps.models.Unit.findById(current.suggestedUnitCode, { nameTh: 1, nameEn: 1 }).lean() : null;
  if (!agency || current.unitCode === current.suggestedUnitCode) return [text(ctx.t.noSuggestedAgency)];
  const name = ctx.lang === 'en' ? agency.nameEn : agency.nameTh;
  // The reason goes to the agency and the citizen: Thai, as every case record.
  const r = await forwardCase(deps, { caseId, officer: refOf(officer, ctx), toUnitCode: String(agency._id), reason: copyTh.forwardToAgencyReason(agency.nameTh) });
  if (r.ok) return [text(ctx.t.forwardedToAgency(r.case.trackingNo, name))];
  if (r.reason === 'not_open' && r.case) return [text(`${r.case.trackingNo}: ${STATUS_LABELS[r.case.status][ctx.lang]}`)];
  if (r.reason === 'same_unit') return [text(ctx.t.noSuggestedAgency)];
  return [text(ctx.t.notYourUnit)];
}
