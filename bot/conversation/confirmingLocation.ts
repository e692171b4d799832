import { advance, goto, reask } from './prompts.ts';
import type { StateHandler } from './types.ts';

/** Waits for the citizen to confirm the area read from their pin, or to pick it themselves. */
export const confirmingLocation: StateHandler = (input, ctx) => {
  if (input.kind === 'postback' && input.action === 'yes') return advance(ctx, ctx.draft);
  if (input.kind === 'postback' && input.action === 'no') return goto('askingLocation', ctx, { ...ctx.draft, location: undefined });
  return reask(ctx, ctx.t.confirmArea(''));
};
