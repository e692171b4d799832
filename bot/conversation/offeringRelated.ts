/**
 * "มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ": once a draft says what and where, the open cases nearby that look
 * like the same problem are offered before the photos, consent and review (docs/joining.md). The
 * citizen joins one ("แจ้งด้วย": they follow it and its supporter count rises) or files anyway
 * ("แจ้งเรื่องใหม่": the usual steps go on). Looked up once per draft, by effects.ts.
 *
 * Joining discards the draft, photos included: the case is someone else's, and their description
 * and photos may show them or their home, so nothing of the joiner is attached to it. The reply
 * says so, and that a different problem is filed as a new case.
 */
import type { RelatedOffer } from '../../shared/cases/relatedOffer.ts';
import { STATUS_LABELS } from '../../shared/categories.ts';
import { text, type Message } from '../messages/build.ts';
import { appendToDescription } from './askingDescription.ts';
import { advance, goto, isSentence, menuItems, reask } from './prompts.ts';
import type { ConversationDeps, Ctx, Draft, JoinOutcome, Outcome, StateHandler, StateName, StepResult } from './types.ts';

/** The steps after "where": reaching one of them with nothing looked up yet is when the offer is due. */
const DUE_BEFORE: StateName[] = ['askingPhotos', 'askingConsent', 'confirming'];

/**
 * After a turn: if the draft now has a category, a description and a district and no lookup was made
 * for it, look up (effects.ts) and offer what was found instead of the next question; nothing found,
 * the turn stands as decided.
 */
export function offerRelatedIfDue(result: StepResult, ctx: Ctx, deps: ConversationDeps): Outcome {
  const d = result.draft;
  if (!DUE_BEFORE.includes(result.state) || d.relatedChecked || !d.category || !d.description || !d.location?.districtCode) return result;
  const checked: Draft = { ...d, relatedChecked: true };
  const loc = d.location;
  return {
    run: 'findRelated',
    probe: {
      problemType: d.problemType ?? null,
      category: d.category,
      location: { provinceCode: loc.provinceCode, districtCode: loc.districtCode, subdistrictCode: loc.subdistrictCode ?? null, lat: loc.lat ?? null, lng: loc.lng ?? null },
      description: d.description,
      at: deps.clock.now(),
    },
    next: (offers) => (offers.length ? goto('offeringRelated', { ...ctx, state: result.state }, { ...checked, related: offers }) : { ...result, draft: checked }),
  };
}

const TRACKING_NO = /(\d{4}-\d{4,})/;
const FILE_ANYWAY = /^(แจ้งเรื่องใหม่|แจ้งใหม่|file new|file anyway|new case)$/i;

/** Goes on with the citizen's own complaint (the offer is not made again for this draft). */
function fileAnyway(ctx: Ctx, before: Message[] = []): StepResult {
  return advance(ctx, { ...ctx.draft, related: undefined, relatedChecked: true }, before);
}

function join(ctx: Ctx, offer: RelatedOffer): Outcome {
  return {
    run: 'joinCase',
    caseId: offer.id,
    next: (r: JoinOutcome) => {
      if (r.joined) {
        const status = STATUS_LABELS[r.status]?.[ctx.lang] ?? r.status;
        const words = r.already ? ctx.t.joinedAlready(r.trackingNo) : ctx.t.joined(r.trackingNo, status, r.supporters);
        const done: StepResult = { replies: [text(words, menuItems(ctx))], state: 'idle', draft: {} };
        const photos = ctx.draft.photos ?? [];
        return photos.length ? { run: 'deletePhotos', photos, next: done } : done;
      }
      // Not joinable after all: say why, and offer the rest (or go on with their own complaint).
      const why = r.reason === 'own_case' ? ctx.t.joinOwnCase(offer.trackingNo)
        : r.reason === 'not_open' ? ctx.t.joinClosed(offer.trackingNo) : ctx.t.joinNotFound;
      const rest = (ctx.draft.related ?? []).filter((o) => o.id !== offer.id);
      if (!rest.length) return fileAnyway(ctx, [text(why)]);
      return goto('offeringRelated', ctx, { ...ctx.draft, related: rest }, [text(why)]);
    },
  };
}

/** Waits for "แจ้งด้วย <เลขที่>" or "แจ้งเรื่องใหม่", tapped or typed. */
export const offeringRelated: StateHandler = (input, ctx) => {
  const offers = ctx.draft.related ?? [];
  if (input.kind === 'postback' && input.action === 'new') return fileAnyway(ctx);
  if (input.kind === 'postback' && input.action === 'join') {
    const offer = offers.find((o) => o.id === input.value);
    return offer ? join(ctx, offer) : reask(ctx, ctx.t.relatedHint);
  }
  if (input.kind === 'text') {
    const typed = input.text.trim();
    if (FILE_ANYWAY.test(typed)) return fileAnyway(ctx);
    const no = TRACKING_NO.exec(typed)?.[1];
    const offer = no ? offers.find((o) => o.trackingNo === no) : undefined;
    if (offer && /^(แจ้งด้วย|join)/i.test(typed)) return join(ctx, offer);
    // More of their story, as at the other steps: added to the description, the offer asked again.
    if (isSentence(typed)) return appendToDescription(ctx, typed);
  }
  return reask(ctx, ctx.t.relatedHint);
};
