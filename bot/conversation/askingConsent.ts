import { menuItems } from './prompts.ts';
import { text } from '../messages/build.ts';
import { goto, reask } from './prompts.ts';
import { PDPA_NOTICE_VERSION, type StateHandler } from './types.ts';

/** Waits for PDPA consent to the notice version shown; without it nothing is kept. */
export const askingConsent: StateHandler = (input, ctx, deps) => {
  if (input.kind === 'postback' && input.action === 'yes') {
    return goto('confirming', ctx, { ...ctx.draft, consent: { version: PDPA_NOTICE_VERSION, at: deps.clock.now().toISOString() } });
  }
  if (input.kind === 'postback' && input.action === 'no') {
    return { replies: [text(ctx.t.consentDeclined, menuItems(ctx))], state: 'idle', draft: {} };
  }
  return reask(ctx, ctx.t.consentHint);
};
