import { text } from '../messages/build.ts';
import { postbackData, postbackItem } from '../messages/build.ts';
import { answerTarget, askWhich, attachInfo } from './answeringOfficer.ts';
import { askingLocation } from './askingLocation.ts';
import { MAX_DESCRIPTION, MIN_DESCRIPTION } from './askingDescription.ts';
import { advance, isSentence, label, menuItems, shorten } from './prompts.ts';
import type { Ctx, Draft, DraftPhoto, Input, Outcome, StateHandler, StepResult } from './types.ts';

/** Hellos and thanks: answered with the menu, never taken for a complaint. */
const GREETING = /^(สวัสดี|หวัดดี|ดีจ้า|ดีค่ะ|ดีครับ|ขอบคุณ|ขอบใจ|hello|hi|hey|good (morning|afternoon|evening)|thanks?( you)?|thank you|ok|okay|โอเค|ครับ|ค่ะ|คะ|จ้า)(ค่ะ|คะ|ครับ|จ้า|นะคะ|นะครับ|มาก|ค่า|ๆ|\s|[!.~😊🙏]|(very much))*$/i;

function startWithText(ctx: Ctx, typed: string): StepResult {
  const length = [...typed].length;
  // Too long for a case: the complaint starts, and the description is asked for again with the reason.
  if (length > MAX_DESCRIPTION) return advance(ctx, {}, [text(ctx.t.descriptionTooLongBy(length))]);
  const draft: Draft = length >= MIN_DESCRIPTION ? { description: typed } : { pendingText: typed };
  return advance(ctx, draft, [text(ctx.t.startedFromText)]);
}

/**
 * Nothing in progress. What the citizen sends is taken as they mean it: an answer to an officer who
 * asked them something, else the start of a complaint (a sentence, a photo, a pin); a greeting or a
 * single word gets the menu, with the word offered as the start of a complaint rather than dropped.
 */
export const idle: StateHandler = (input, ctx, deps) => {
  if (input.kind === 'postback' && input.action === 'useText' && ctx.draft.pendingText) return startWithText(ctx, ctx.draft.pendingText);

  const typed = input.kind === 'text' ? input.text.trim() : '';
  const greeting = input.kind === 'text' && GREETING.test(typed);
  if ((input.kind === 'text' && !greeting) || input.kind === 'image') {
    return answerTarget(ctx, deps.clock, (target) => {
      if (!target) return fresh(input, ctx, typed, greeting);
      const send = (info: { text?: string; photos?: DraftPhoto[] }): Outcome => {
        if (Array.isArray(target)) return askWhich(ctx, target, info);
        // The case closed meanwhile: what was sent is taken as anything else sent now (a new complaint, say).
        return attachInfo(ctx, deps.clock, target, info, () => fresh(input, { ...ctx, draft: {} }, typed, greeting));
      };
      if (input.kind !== 'image') return send({ text: typed });
      return {
        run: 'storeImage', messageId: input.messageId, next: (photo) => send({ photos: [photo] }),
        failed: { replies: [text(ctx.t.photoFailed, menuItems(ctx))], state: 'idle', draft: ctx.draft },
      };
    });
  }
  return fresh(input, ctx, typed, greeting);
};

/** What the citizen sent, when it answers no officer: a greeting, the start of a complaint, a word offered as one. */
function fresh(input: Input, ctx: Ctx, typed: string, greeting: boolean): Outcome {
  if (input.kind === 'text') {
    if (greeting) return { replies: [text(ctx.t.greeting(ctx.displayName), menuItems(ctx))], state: 'idle', draft: {} };
    if (isSentence(typed) || [...typed].length > MAX_DESCRIPTION) return startWithText(ctx, typed);
    const offer = postbackItem(label(ctx.t.useText), postbackData('idle', 'useText'));
    return { replies: [text(ctx.t.offerText(shorten(typed, 60)), [offer, ...menuItems(ctx)])], state: 'idle', draft: { pendingText: typed.slice(0, MAX_DESCRIPTION) } };
  }
  if (input.kind === 'image') {
    return {
      run: 'storeImage', messageId: input.messageId,
      next: (photo) => advance(ctx, { photos: [photo] }, [text(ctx.t.startedFromPhoto)]),
      failed: { replies: [text(ctx.t.photoFailed, menuItems(ctx))], state: 'idle', draft: {} },
    };
  }
  if (input.kind === 'location') {
    const r = askingLocation(input, { ...ctx, state: 'askingLocation', draft: {} });
    return { ...r, replies: [text(ctx.t.startedFromLocation), ...r.replies].slice(-5) };
  }
  if (input.kind === 'sticker') return { replies: [text(ctx.t.sticker, menuItems(ctx))], state: 'idle', draft: ctx.draft };
  return { replies: [text(ctx.t.help, menuItems(ctx))], state: 'idle', draft: ctx.draft };
}
