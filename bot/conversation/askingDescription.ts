import { text } from '../messages/build.ts';
import { advance, goto, reask } from './prompts.ts';
import type { Ctx, StateHandler, StepResult } from './types.ts';

export const MIN_DESCRIPTION = 10;
/** Case.description's limit. A longer text is refused with its length, never cut without a word. */
export const MAX_DESCRIPTION = 5000;

/** Waits for the citizen's account of what happened, in their own words (added to a word or two sent before). */
export const askingDescription: StateHandler = (input, ctx) => {
  if (input.kind !== 'text') return reask(ctx, ctx.t.descriptionNotText);
  const typed = input.text.trim();
  const start = ctx.draft.pendingText;
  const description = start && !typed.includes(start) ? `${start}\n${typed}` : typed;
  const length = [...description].length;
  if (length < MIN_DESCRIPTION) return reask(ctx, ctx.t.descriptionTooShort);
  if (length > MAX_DESCRIPTION) return reask(ctx, ctx.t.descriptionTooLongBy(length));
  return advance(ctx, { ...ctx.draft, description, pendingText: undefined });
};

/**
 * A sentence typed at a later step ("อ้อ ลืมบอก…") is more of the story: it is added to the
 * description rather than answered with "this step wants something else", and the step goes on.
 */
export function appendToDescription(ctx: Ctx, typed: string): StepResult {
  const description = [ctx.draft.description, typed.trim()].filter(Boolean).join('\n');
  const length = [...description].length;
  if (length > MAX_DESCRIPTION) return reask(ctx, ctx.t.descriptionTooLongBy(length));
  return goto(ctx.state, ctx, { ...ctx.draft, description }, [text(ctx.t.addedToDescription)]);
}
