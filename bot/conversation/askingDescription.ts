import { goto, reask } from './prompts.ts';
import type { StateHandler } from './types.ts';

export const MIN_DESCRIPTION = 10;
export const MAX_DESCRIPTION = 5000;

/** Waits for the citizen's account of what happened, in their own words. */
export const askingDescription: StateHandler = (input, ctx) => {
  if (input.kind !== 'text') return reask(ctx, ctx.t.descriptionNotText);
  const description = input.text.trim();
  if ([...description].length < MIN_DESCRIPTION) return reask(ctx, ctx.t.descriptionTooShort);
  if ([...description].length > MAX_DESCRIPTION) return reask(ctx, ctx.t.descriptionTooLong);
  return goto('askingLocation', ctx, { ...ctx.draft, description });
};
