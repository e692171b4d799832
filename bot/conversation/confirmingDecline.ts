import { text } from '../messages/build.ts';
import { menuItems, reask } from './prompts.ts';
import type { StateHandler } from './types.ts';

/** Consent declined: on confirmation the draft goes, and the photos already stored with it. */
export const confirmingDecline: StateHandler = (input, ctx) => {
  if (input.kind === 'postback' && input.action === 'yes') {
    return { run: 'deletePhotos', photos: ctx.draft.photos ?? [], next: { replies: [text(ctx.t.consentDeclined, menuItems(ctx))], state: 'idle', draft: {} } };
  }
  return reask(ctx, ctx.t.consentHint);
};
