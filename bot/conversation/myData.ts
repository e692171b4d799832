import { liffUrl } from '../../shared/links.ts';
import { postbackData, postbackItem, text } from '../messages/build.ts';
import { answered, menuItems } from './prompts.ts';
import type { ConversationDeps, Ctx, Input, Outcome } from './types.ts';

/** The postback step of the deletion question: answered from any state, it is not a step of the intake. */
export const ERASE_STEP = 'eraseMyData';

/** "ข้อมูลของฉัน": the link to the LIFF page that shows and downloads it all. */
export function myDataReply(ctx: Ctx, deps: ConversationDeps): Outcome {
  const link = deps.links ? liffUrl(deps.links, '/me/data') : '';
  return answered(ctx, ctx.t.myData(link));
}

/** "ลบข้อมูลของฉัน": what it would do, with the warning for open cases, then a confirmation. */
export function askErase(ctx: Ctx): Outcome {
  return {
    run: 'countMyCases',
    next: ({ cases, open }) => ({
      replies: [text(ctx.t.eraseConfirm(cases, open), [
        postbackItem(ctx.t.eraseYes, postbackData(ERASE_STEP, 'yes')),
        postbackItem(ctx.t.eraseNo, postbackData(ERASE_STEP, 'no')),
      ])],
      state: ctx.state, draft: ctx.draft,
    }),
  };
}

/** The answer to the confirmation. */
export function onErasePostback(input: Input & { kind: 'postback' }, ctx: Ctx): Outcome {
  if (input.action !== 'yes') return answered(ctx, ctx.t.eraseKept);
  return {
    run: 'eraseMe',
    next: ({ cases }) => ({ replies: [text(ctx.t.eraseDone(cases), menuItems(ctx))], state: 'idle', draft: {}, forget: true }),
  };
}
