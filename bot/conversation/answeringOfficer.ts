import type { Clock } from '../../shared/clock.ts';
import { text } from '../messages/build.ts';
import { MAX_DESCRIPTION } from './askingDescription.ts';
import { goto, menuItems, reask } from './prompts.ts';
import type { CaseRef, Ctx, Draft, DraftPhoto, Outcome, StateHandler, StepResult } from './types.ts';

/** After an answer, more text or photos within this time go to the same case (photos arrive one event each). */
export const ANSWER_WINDOW_MS = 10 * 60 * 1000;

export interface TimelineLike { action: string; at: Date | string; by?: { kind?: string } }

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

/**
 * The case a message from this idle chat answers, if any: the one just answered, else the only one
 * waiting (several: all of them; none: undefined). The open cases waiting are read by effects.ts.
 */
export function answerTarget(ctx: Ctx, clock: Clock, decide: (target: CaseRef | CaseRef[] | undefined) => Outcome): Outcome {
  const a = ctx.draft.answering;
  if (a && new Date(a.until).getTime() > clock.now().getTime()) return decide({ id: a.caseId, trackingNo: a.trackingNo });
  return { run: 'awaitingCases', next: (waiting) => decide(waiting.length === 1 ? waiting[0] : waiting.length ? waiting : undefined) };
}

/** Adds what was sent to the case and says so; `closed` decides what happens when the case has closed meanwhile. */
export function attachInfo(ctx: Ctx, clock: Clock, target: CaseRef, info: { text?: string; photos?: DraftPhoto[] }, closed: () => Outcome): Outcome {
  const length = [...(info.text ?? '')].length;
  // The same limit as a description: said plainly, nothing attached in part.
  if (length > MAX_DESCRIPTION) return { replies: [text(ctx.t.descriptionTooLongBy(length), menuItems(ctx))], state: ctx.state, draft: ctx.draft };
  return {
    run: 'addCaseInfo', caseId: target.id, text: info.text ?? '', photos: info.photos ?? [],
    next: (added) => {
      if (!added) return closed();
      const until = new Date(clock.now().getTime() + ANSWER_WINDOW_MS).toISOString();
      const draft: Draft = { answering: { caseId: target.id, trackingNo: target.trackingNo, until } };
      return { replies: [text(ctx.t.infoAttached(target.trackingNo), menuItems(ctx))], state: 'idle', draft };
    },
  };
}

/** Several cases await an answer: hold what was sent and ask which case it is for. */
export function askWhich(ctx: Ctx, cases: CaseRef[], info: { text?: string; photos?: DraftPhoto[] }): StepResult {
  return goto('choosingCase', ctx, { pendingInfo: { ...info, cases } });
}

/** Waits for the case (a button or its tracking number typed); more text or photos meanwhile are held too. */
export const choosingCase: StateHandler = (input, ctx, deps) => {
  const pending = ctx.draft.pendingInfo;
  if (!pending) return { replies: [text(ctx.t.help, menuItems(ctx))], state: 'idle', draft: {} };
  const info = { text: pending.text, photos: pending.photos };
  let chosen: CaseRef | undefined;
  if (input.kind === 'postback' && input.action === 'case') chosen = pending.cases.find((c) => c.id === input.value);
  if (input.kind === 'text') chosen = pending.cases.find((c) => input.text.includes(c.trackingNo));
  if (chosen) {
    const notOpen: StepResult = { replies: [text(ctx.t.infoNotOpen(chosen.trackingNo), menuItems(ctx))], state: 'idle', draft: {} };
    return attachInfo(ctx, deps.clock, chosen, info, () => ({ run: 'deletePhotos', photos: info.photos ?? [], next: notOpen }));
  }
  if (input.kind === 'text') {
    return goto('choosingCase', ctx, { pendingInfo: { ...pending, text: [pending.text, input.text.trim()].filter(Boolean).join('\n') } });
  }
  if (input.kind === 'image') {
    return {
      run: 'storeImage', messageId: input.messageId, failed: reask(ctx, ctx.t.photoFailed),
      next: (photo) => {
        const photos = [...(pending.photos ?? []).filter((p) => p.lineMessageId !== photo.lineMessageId), photo];
        return goto('choosingCase', ctx, { pendingInfo: { ...pending, photos } });
      },
    };
  }
  return reask(ctx, ctx.t.whichCase);
};
