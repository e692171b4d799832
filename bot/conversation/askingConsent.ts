import { advance, goto, reask } from './prompts.ts';
import { PDPA_NOTICE_VERSION, type StateHandler } from './types.ts';

/** Waits for PDPA consent to the notice version shown; a "no" is confirmed before anything is deleted. */
export const askingConsent: StateHandler = (input, ctx, deps) => {
  const typed = input.kind === 'text' ? input.text.trim().toLowerCase() : '';
  if (typed && [ctx.t.consentYes.toLowerCase(), 'ยินยอม', 'i consent', 'yes'].includes(typed)) return askingConsent({ kind: 'postback', data: '', action: 'yes' }, ctx, deps);
  if (typed && [ctx.t.consentNo.toLowerCase(), 'ไม่ยินยอม', 'i do not consent', 'no'].includes(typed)) return goto('confirmingDecline', ctx, ctx.draft);
  if (input.kind === 'postback' && input.action === 'yes') {
    return advance(ctx, { ...ctx.draft, consent: { version: PDPA_NOTICE_VERSION, at: deps.clock.now().toISOString() } });
  }
  if (input.kind === 'postback' && input.action === 'no') return goto('confirmingDecline', ctx, ctx.draft);
  return reask(ctx, ctx.t.consentHint);
};
