import { STATUS_LABELS, type CaseStatus } from '../../shared/categories.ts';
import { citizenCases } from '../../shared/cases/citizenCases.ts';
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
import { categoryLabel, goto, menuItems, reask } from './prompts.ts';
import type { ConversationDeps, Ctx, Input, StateHandler, StateName, StepResult } from './types.ts';

const HANDLERS: Record<StateName, StateHandler> = {
  idle, askingCategory, askingDescription, askingLocation, askingDistrict, confirmingLocation, askingPhotos, askingConsent, confirming,
};

/** Words that work at any step, in either language (the rich menu sends the Thai ones). */
const INTENTS: Record<'file' | 'track' | 'contact' | 'cancel', RegExp> = {
  file: /^(แจ้งเรื่อง(ร้องเรียน)?|ร้องเรียน|file( a)? complaint|new complaint|complain)$/i,
  track: /^(ติดตามเรื่อง|ติดตาม|track( my case)?|my cases)$/i,
  contact: /^(ติดต่อเจ้าหน้าที่|ติดต่อ|contact( an officer)?)$/i,
  cancel: /^(ยกเลิก|cancel)$/i,
};

function intentOf(input: Input): keyof typeof INTENTS | undefined {
  if (input.kind !== 'text') return undefined;
  const t = input.text.trim().replace(/\s+/g, ' ');
  return (Object.keys(INTENTS) as (keyof typeof INTENTS)[]).find((k) => INTENTS[k].test(t));
}

async function listCases(ctx: Ctx, deps: ConversationDeps): Promise<string> {
  const cases = await citizenCases<{ trackingNo: string; category: string; status: CaseStatus; createdAt: Date }>(
    deps.models, ctx.userId, { trackingNo: 1, category: 1, status: 1, createdAt: 1 }, 10);
  if (!cases.length) return ctx.t.noCases;
  const lines = cases.map((c) => ctx.t.caseLine({
    trackingNo: c.trackingNo,
    category: categoryLabel(c.category, ctx),
    status: STATUS_LABELS[c.status][ctx.lang],
    date: formatDate(c.createdAt as Date, ctx.lang),
  }));
  return `${ctx.t.caseListHeader(cases.length)}\n\n${lines.join('\n\n')}`;
}

/** One turn of the conversation: the input, the stored context → the replies and the next state. */
export async function step(input: Input, ctx: Ctx, deps: ConversationDeps): Promise<StepResult> {
  if (input.kind === 'follow') {
    return { replies: [text(ctx.t.greeting(ctx.displayName), menuItems(ctx))], state: 'idle', draft: {} };
  }
  const intent = intentOf(input);
  if (intent === 'file') return goto('askingCategory', ctx, {});
  if (intent === 'cancel') {
    if (ctx.state === 'idle') return idle(input, ctx, deps);
    return { replies: [text(ctx.t.cancelled, menuItems(ctx))], state: 'idle', draft: {} };
  }
  if (intent === 'track' || intent === 'contact') {
    const answer = intent === 'track' ? await listCases(ctx, deps) : ctx.t.contact;
    // Looking something up does not throw away a complaint half-way through: re-ask where they were.
    if (ctx.state === 'idle') return { replies: [text(answer, menuItems(ctx))], state: 'idle', draft: {} };
    return goto(ctx.state, ctx, ctx.draft, [text(answer)]);
  }
  if (input.kind === 'postback' && input.step && input.step !== ctx.state) {
    if (ctx.state === 'idle') return { replies: [text(`${ctx.t.staleButton}\n\n${ctx.t.help}`, menuItems(ctx))], state: 'idle', draft: {} };
    return reask(ctx, ctx.t.staleButton);
  }
  return HANDLERS[ctx.state](input, ctx, deps);
}
