import { STATUS_LABELS } from '../../shared/categories.ts';
import { formatDate } from '../../shared/thaiDate.ts';
import { text } from '../messages/build.ts';
import { askingCategory } from './askingCategory.ts';
import { askingConsent } from './askingConsent.ts';
import { askingDescription } from './askingDescription.ts';
import { askingDistrict } from './askingDistrict.ts';
import { askingLocation } from './askingLocation.ts';
import { askingPhotos } from './askingPhotos.ts';
import { confirming } from './confirming.ts';
import { confirmingLocation } from './confirmingLocation.ts';
import { idle } from './idle.ts';
import { offeringRelated, offerRelatedIfDue } from './offeringRelated.ts';
import { choosingCase } from './answeringOfficer.ts';
import { confirmingDecline } from './confirmingDecline.ts';
import { askErase, ERASE_STEP, myDataReply, onErasePostback } from './myData.ts';
import { carryOut } from './effects.ts';
import { answered, categoryLabel, EDIT_PARTS, editChoices, editPart, goto, INTAKE_STATES, menuItems, PREVIOUS, reask, type EditPart } from './prompts.ts';
import type { ConversationDeps, Ctx, Input, Outcome, StateHandler, StateName, StepResult } from './types.ts';

const HANDLERS: Record<StateName, StateHandler> = {
  idle, askingCategory, askingDescription, askingLocation, askingDistrict, confirmingLocation, askingPhotos, askingConsent, confirming,
  confirmingDecline, choosingCase, offeringRelated,
};

/** Words that work at any step, in either language (the rich menu sends the Thai ones). */
const INTENTS: Record<'file' | 'track' | 'contact' | 'cancel' | 'back' | 'edit' | 'myData' | 'erase' | 'unfollow', RegExp> = {
  file: /^(แจ้งเรื่อง(ร้องเรียน)?|ร้องเรียน|file( a)? complaint|new complaint|complain)$/i,
  track: /^(ติดตามเรื่อง|ติดตาม|track( my case)?|my cases)$/i,
  contact: /^(ติดต่อเจ้าหน้าที่|ติดต่อ|contact( an officer)?)$/i,
  cancel: /^(ยกเลิก|cancel)$/i,
  back: /^(ย้อนกลับ|ย้อน|กลับ|back|go back)$/i,
  edit: /^(แก้ไข|แก้|edit|change)$/i,
  myData: /^(ข้อมูลของฉัน|my data)$/i,
  erase: /^(ลบข้อมูลของฉัน|ขอลบข้อมูล|ถอนความยินยอม|delete my data|withdraw( my)? consent)$/i,
  /** Stop following a joined case ("แจ้งด้วย"): the tracking number is part of it. */
  unfollow: /^(เลิกติดตาม|unfollow) ?(เรื่อง ?)?\d{4}-\d{4,}$/i,
};

function intentOf(input: Input): keyof typeof INTENTS | undefined {
  if (input.kind !== 'text') return undefined;
  const t = input.text.trim().replace(/\s+/g, ' ');
  return (Object.keys(INTENTS) as (keyof typeof INTENTS)[]).find((k) => INTENTS[k].test(t));
}

/** The citizen's latest cases, one line each; `reply` words the answer around the list. */
function listCases(ctx: Ctx, reply: (answer: string) => Outcome): Outcome {
  return {
    run: 'listCases',
    next: (cases) => {
      if (!cases.length) return reply(ctx.t.noCases);
      const lines = cases.map((c) => ctx.t.caseLine({
        trackingNo: c.trackingNo,
        category: c.following ? `${categoryLabel(c.category, ctx, c.problemType)} (${ctx.t.followingMark})` : categoryLabel(c.category, ctx, c.problemType),
        status: STATUS_LABELS[c.status][ctx.lang],
        date: formatDate(c.createdAt, ctx.lang),
      }));
      return reply(`${ctx.t.caseListHeader(cases.length)}\n\n${lines.join('\n\n')}`);
    },
  };
}

/** Photos held by a draft that is being thrown away are deleted with it (nothing else points at them). */
function discard(ctx: Ctx, after: StepResult): Outcome {
  const photos = [...(ctx.draft.photos ?? []), ...(ctx.draft.pendingInfo?.photos ?? [])];
  return photos.length ? { run: 'deletePhotos', photos, next: after } : after;
}

/** One turn of the conversation, carried out: the input, the stored context → the replies and the next state. */
export async function step(input: Input, ctx: Ctx, deps: ConversationDeps): Promise<StepResult> {
  const decided = await carryOut(decide(input, ctx, deps), ctx, deps);
  // Related open cases are offered once the draft says what and where (offeringRelated.ts).
  return carryOut(offerRelatedIfDue(decided, ctx, deps), ctx, deps);
}

/**
 * One turn of the conversation decided: the replies and the next state, or the command (effects.ts)
 * whose result decides them. No I/O here: tests/unit drive it without services.
 */
export function decide(input: Input, ctx: Ctx, deps: ConversationDeps): Outcome {
  if (input.kind === 'follow') {
    return { replies: [text(ctx.t.greeting(ctx.displayName), menuItems(ctx))], state: 'idle', draft: {} };
  }
  const intent = intentOf(input);
  if (intent === 'file') return discard(ctx, goto('askingCategory', ctx, {}));
  if (intent === 'cancel') {
    if (ctx.state === 'idle') return { replies: [text(ctx.t.help, menuItems(ctx))], state: 'idle', draft: {} };
    return discard(ctx, { replies: [text(ctx.t.cancelled, menuItems(ctx))], state: 'idle', draft: {} });
  }
  const intake = INTAKE_STATES.includes(ctx.state);
  if (input.kind === 'sticker' && ctx.state !== 'idle') return reask(ctx, ctx.t.sticker);
  // ย้อนกลับ / แก้ไข work at every step of the intake, typed or tapped; the draft is kept.
  const ownButton = input.kind === 'postback' && input.step === ctx.state;
  if (intake && (intent === 'back' || (ownButton && input.action === 'back'))) {
    const previous = PREVIOUS[ctx.state];
    return previous ? goto(previous, ctx, ctx.draft) : reask(ctx, ctx.t.askCategoryAgain);
  }
  if (intake && intent === 'edit') return { replies: editChoices(ctx), state: ctx.state, draft: ctx.draft };
  if (intake && ownButton && input.action === 'edit') {
    const part = input.value as EditPart | undefined;
    if (part && EDIT_PARTS.includes(part)) return editPart(ctx, part);
    return { replies: editChoices(ctx), state: ctx.state, draft: ctx.draft };
  }
  if (intent === 'track' || intent === 'contact') {
    // Looking something up does not throw away a complaint half-way through: re-ask where they were.
    const reply = (answer: string) => answered(ctx, answer);
    return intent === 'track' ? listCases(ctx, reply) : reply(ctx.t.contact);
  }
  if (intent === 'myData') return myDataReply(ctx, deps);
  if (intent === 'unfollow' && input.kind === 'text') {
    const trackingNo = /\d{4}-\d{4,}/.exec(input.text)![0];
    return { run: 'unfollow', trackingNo, next: (done) => answered(ctx, done ? ctx.t.unfollowed(trackingNo) : ctx.t.notFollowing(trackingNo)) };
  }
  if (intent === 'erase') return askErase(ctx);
  if (input.kind === 'postback' && input.step === ERASE_STEP) return onErasePostback(input, ctx);
  if (input.kind === 'postback' && input.step && input.step !== ctx.state) {
    if (ctx.state === 'idle') return { replies: [text(`${ctx.t.staleButton}\n\n${ctx.t.help}`, menuItems(ctx))], state: 'idle', draft: {} };
    return reask(ctx, ctx.t.staleButton);
  }
  return HANDLERS[ctx.state](input, ctx, deps);
}
