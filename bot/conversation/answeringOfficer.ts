import { isOpenStatus, type CaseStatus } from '../../shared/categories.ts';
import { citizenCases } from '../../shared/cases/citizenCases.ts';
import { addCaseInfo } from '../../shared/cases/commands/addCaseInfo.ts';
import { deletePhotos } from '../media.ts';
import { text } from '../messages/build.ts';
import { MAX_DESCRIPTION } from './askingDescription.ts';
import { goto, menuItems, reask } from './prompts.ts';
import type { ConversationDeps, Ctx, Draft, DraftPhoto, StateHandler, StepResult } from './types.ts';

/** After an answer, more text or photos within this time go to the same case (photos arrive one event each). */
export const ANSWER_WINDOW_MS = 10 * 60 * 1000;

export interface CaseRef { id: string; trackingNo: string }

interface TimelineLike { action: string; at: Date | string; by?: { kind?: string } }

/** An officer asked (ขอข้อมูลเพิ่มเติม) after the citizen last added anything: the case waits for them. */
export function awaitsAnswer(timeline: TimelineLike[]): boolean {
  let asked = 0;
  let answered = 0;
  for (const e of timeline) {
    const at = new Date(e.at).getTime();
    if (e.action === 'asked') asked = Math.max(asked, at);
    if (e.action === 'info_added') answered = Math.max(answered, at);
  }
  return asked > 0 && asked >= answered;
}

/** The citizen's open cases waiting for their answer, newest first (read by _id, as citizenCases does). */
export async function awaitingCases(ctx: Ctx, deps: ConversationDeps): Promise<CaseRef[]> {
  const cases = await citizenCases<{ _id: unknown; trackingNo: string; status: CaseStatus; timeline: TimelineLike[] }>(
    deps.models, ctx.userId, { trackingNo: 1, status: 1, timeline: 1 }, 20);
  return cases.filter((c) => isOpenStatus(c.status) && awaitsAnswer(c.timeline ?? [])).map((c) => ({ id: String(c._id), trackingNo: c.trackingNo }));
}

/** The case a message from this idle chat answers, if any: the one just answered, else the only one waiting. */
export async function answerTarget(ctx: Ctx, deps: ConversationDeps): Promise<CaseRef | CaseRef[] | undefined> {
  const a = ctx.draft.answering;
  if (a && new Date(a.until).getTime() > deps.clock.now().getTime()) return { id: a.caseId, trackingNo: a.trackingNo };
  const waiting = await awaitingCases(ctx, deps);
  if (waiting.length === 1) return waiting[0];
  return waiting.length ? waiting : undefined;
}

/** Adds what was sent to the case (addCaseInfo alerts its officers) and says so; undefined when the case has closed meanwhile. */
export async function attachInfo(ctx: Ctx, deps: ConversationDeps, target: CaseRef, info: { text?: string; photos?: DraftPhoto[] }): Promise<StepResult | undefined> {
  const length = [...(info.text ?? '')].length;
  // The same limit as a description: said plainly, nothing attached in part.
  if (length > MAX_DESCRIPTION) return { replies: [text(ctx.t.descriptionTooLongBy(length), menuItems(ctx))], state: ctx.state, draft: ctx.draft };
  const r = await addCaseInfo(deps, {
    caseId: target.id,
    lineUserId: ctx.userId,
    text: info.text ?? '',
    attachments: (info.photos ?? []).map((p) => ({ fileId: p.fileId, contentType: p.contentType, size: p.size })),
  });
  if (!r.ok) return undefined;
  const until = new Date(deps.clock.now().getTime() + ANSWER_WINDOW_MS).toISOString();
  const draft: Draft = { answering: { caseId: target.id, trackingNo: target.trackingNo, until } };
  return { replies: [text(ctx.t.infoAttached(target.trackingNo), menuItems(ctx))], state: 'idle', draft };
}

/** Several cases await an answer: hold what was sent and ask which case it is for. */
export function askWhich(ctx: Ctx, cases: CaseRef[], info: { text?: string; photos?: DraftPhoto[] }): StepResult {
  return goto('choosingCase', ctx, { pendingInfo: { ...info, cases } });
}

/** Waits for the case (a button or its tracking number typed); more text or photos meanwhile are held too. */
export const choosingCase: StateHandler = async (input, ctx, deps) => {
  const pending = ctx.draft.pendingInfo;
  if (!pending) return { replies: [text(ctx.t.help, menuItems(ctx))], state: 'idle', draft: {} };
  const info = { text: pending.text, photos: pending.photos };
  let chosen: CaseRef | undefined;
  if (input.kind === 'postback' && input.action === 'case') chosen = pending.cases.find((c) => c.id === input.value);
  if (input.kind === 'text') chosen = pending.cases.find((c) => input.text.includes(c.trackingNo));
  if (chosen) {
    const done = await attachInfo(ctx, deps, chosen, info);
    if (done) return done;
    await deletePhotos(deps.models, info.photos ?? []);
    return { replies: [text(ctx.t.infoNotOpen(chosen.trackingNo), menuItems(ctx))], state: 'idle', draft: {} };
  }
  if (input.kind === 'text') {
    return goto('choosingCase', ctx, { pendingInfo: { ...pending, text: [pending.text, input.text.trim()].filter(Boolean).join('\n') } });
  }
  if (input.kind === 'image') {
    try {
      const photo = await deps.storeImage(input.messageId, ctx.userId);
      const photos = [...(pending.photos ?? []).filter((p) => p.lineMessageId !== photo.lineMessageId), photo];
      return goto('choosingCase', ctx, { pendingInfo: { ...pending, photos } });
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'could not store image');
      return reask(ctx, ctx.t.photoFailed);
    }
  }
  return reask(ctx, ctx.t.whichCase);
};
