import { deletePhotos } from '../media.ts';
import { text } from '../messages/build.ts';
import { menuItems, reask } from './prompts.ts';
import type { StateHandler } from './types.ts';

/** Consent declined: on confirmation the draft goes, and the photos already stored with it. */
export const confirmingDecline: StateHandler = async (input, ctx, deps) => {
  if (input.kind === 'postback' && input.action === 'yes') {
    await deletePhotos(deps.models, ctx.draft.photos ?? []);
    return { replies: [text(ctx.t.consentDeclined, menuItems(ctx))], state: 'idle', draft: {} };
  }
  return reask(ctx, ctx.t.consentHint);
};
