import { formatArea } from '../../shared/cases/area.ts';
import { districtsOf, province } from '../../shared/geo/index.ts';
import { caseKindLabel, typeName, typeShortName } from '../../shared/problems/display.ts';
import { suggestProblemTypes } from '../../shared/problems/suggest.ts';
import { PROBLEM_TYPES } from '../../shared/problems/types.ts';
import { cameraItem, locationItem, messageItem, postbackData, postbackItem, text, type Message, type QuickReplyItem } from '../messages/build.ts';
import { offerArea, offerDate, offerStatus, offerType } from '../../shared/cases/relatedOffer.ts';
import { PDPA_NOTICE_VERSION, type Ctx, type Draft, type DraftLocation, type StateName, type StepResult } from './types.ts';

/** LINE cuts a quick-reply label at 20 characters. */
export const MAX_LABEL = 20;
/** How much of a long description the review shows; the case keeps all of it. */
export const PREVIEW_CHARS = 280;

const wordSegmenter = new Intl.Segmenter('th', { granularity: 'word' });

/**
 * Cuts `s` to at most `max` characters at a word boundary (Thai has no spaces, so words come from
 * the segmenter), with "…" when something was cut: a label or preview never ends mid-word.
 */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = '';
  for (const { segment } of wordSegmenter.segment(s)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  // One word longer than the whole budget: nothing sensible to keep but its start.
  return `${(out.trimEnd() || s.slice(0, max - 1))}…`;
}

export const label = (s: string): string => shorten(s, MAX_LABEL);

/** A sentence someone would write about a problem (10+ characters, 3+ words), as opposed to a greeting or a single word. */
export function isSentence(s: string): boolean {
  if ([...s].length < 10) return false;
  let words = 0;
  for (const seg of wordSegmenter.segment(s)) if (seg.isWordLike && ++words >= 3) return true;
  return false;
}

/** The question each state asks. Used on entering a state and to re-ask after an unexpected answer. */
export function cancelItem(ctx: Ctx): QuickReplyItem {
  return messageItem(label(ctx.t.menu.cancel));
}

export function backItem(ctx: Ctx, state: StateName): QuickReplyItem {
  return postbackItem(ctx.t.back, postbackData(state, 'back'));
}

/** The problem type (icon and name) when the case has one; else its category, as cases filed before types show. */
export function categoryLabel(code: string | undefined, ctx: Ctx, type?: string | null): string {
  return caseKindLabel(type, code, ctx.lang) ?? '-';
}

export function areaText(loc: DraftLocation | undefined, ctx: Ctx): string {
  return formatArea(loc, ctx.lang);
}

/** The step before each one, for ย้อนกลับ (the draft is kept; the answer given there replaces the old one). */
export const PREVIOUS: Partial<Record<StateName, StateName>> = {
  askingDescription: 'askingCategory',
  askingLocation: 'askingDescription',
  askingDistrict: 'askingLocation',
  confirmingLocation: 'askingLocation',
  askingPhotos: 'askingLocation',
  askingConsent: 'askingPhotos',
  confirming: 'askingConsent',
  confirmingDecline: 'askingConsent',
  offeringRelated: 'askingLocation',
};

export const INTAKE_STATES: StateName[] = [
  'askingCategory', 'askingDescription', 'askingLocation', 'askingDistrict', 'confirmingLocation', 'askingPhotos', 'askingConsent', 'confirming', 'confirmingDecline',
  'offeringRelated',
];

/** What is still missing, in the order the questions go: whatever the citizen already sent is not asked again. */
export function nextStep(draft: Draft): StateName {
  if (!draft.category) return 'askingCategory';
  if (!draft.description) return 'askingDescription';
  if (!draft.location) return 'askingLocation';
  if (!draft.location.districtCode) return 'askingDistrict';
  if (!draft.photosDone) return 'askingPhotos';
  if (!draft.consent) return 'askingConsent';
  return 'confirming';
}

/** Moves on to the first thing still missing (the review once everything is there). */
export function advance(ctx: Ctx, draft: Draft, before: Message[] = []): StepResult {
  return goto(nextStep(draft), ctx, draft, before);
}

/** Types on the first page of the question: the suggested ones, then the most common, then "other / see all". */
export const TYPES_FIRST_PAGE = 10;
/** How many suggestions lead the buttons. */
const SUGGESTED = 3;

/**
 * The problem-type question. With words to go on (a description typed before, or text typed at this
 * step) the types they point to come first and the question says why ("พบคำว่า “ไฟดับ” — ใช่เรื่อง
 * ไฟถนนดับ ไหมคะ"); then the most common types; the rest are one tap away. Every type keeps its
 * number in the list, so typing "2" works on either page.
 */
export function askCategory(ctx: Ctx, draft: Draft, page: 'first' | 'rest' = 'first', words?: string): Message[] {
  const item = (t: (typeof PROBLEM_TYPES)[number]) =>
    postbackItem(label(`${t.icon} ${typeShortName(t, ctx.lang)}`), postbackData('askingCategory', 'type', t.code), typeName(t, ctx.lang));
  if (page === 'rest') {
    const rest = firstPageTypes(draft, words).rest;
    return [text(`${ctx.t.problemTypeRest}\n\n${typeList(ctx, rest)}`, [
      ...rest.map(item),
      postbackItem(label(ctx.t.problemTypeFirstPage), postbackData('askingCategory', 'types', 'first')),
      cancelItem(ctx),
    ])];
  }
  const { suggested, shown } = firstPageTypes(draft, words);
  const question = suggested[0]
    ? ctx.t.problemTypeSuggested(suggested[0].matched[0]!, typeName(PROBLEM_TYPES.find((t) => t.code === suggested[0]!.code)!, ctx.lang))
    : ctx.t.askProblemType;
  return [text(`${question}\n\n${typeList(ctx, shown)}`, [
    ...shown.map(item),
    postbackItem(label(ctx.t.problemTypeMore), postbackData('askingCategory', 'types', 'rest')),
    cancelItem(ctx),
  ])];
}

/** The numbered list, in number order (the buttons put the suggested types first; the list stays easy to scan). */
function typeList(ctx: Ctx, types: readonly (typeof PROBLEM_TYPES)[number][]): string {
  const ordered = [...types].sort((a, b) => PROBLEM_TYPES.indexOf(a) - PROBLEM_TYPES.indexOf(b));
  return ctx.t.problemTypeList(ordered.map((t) => `${PROBLEM_TYPES.indexOf(t) + 1}. ${t.icon} ${typeName(t, ctx.lang)}`));
}

function firstPageTypes(draft: Draft, words?: string) {
  const basis = words ?? draft.description ?? draft.pendingText ?? '';
  const suggested = basis ? suggestProblemTypes(basis).slice(0, SUGGESTED) : [];
  const lead = suggested.map((s) => PROBLEM_TYPES.find((t) => t.code === s.code)!);
  const shown = [...lead, ...PROBLEM_TYPES.filter((t) => !lead.includes(t) && t.code !== 'other')].slice(0, TYPES_FIRST_PAGE);
  return { suggested, shown, rest: PROBLEM_TYPES.filter((t) => !shown.includes(t)) };
}

function askDescription(ctx: Ctx, draft: Draft): Message[] {
  const start = draft.pendingText ? `\n\n${ctx.t.descriptionSoFar(shorten(draft.pendingText, 200))}` : '';
  return [text(`${ctx.t.askDescription(categoryLabel(draft.category, ctx, draft.problemType))}${start}`, [backItem(ctx, 'askingDescription'), cancelItem(ctx)])];
}

function askLocation(ctx: Ctx): Message[] {
  return [text(ctx.t.askLocation, [locationItem(label(ctx.t.sendLocation)), backItem(ctx, 'askingLocation'), cancelItem(ctx)])];
}

export const DISTRICTS_PER_PAGE = 10;

export function askDistrict(ctx: Ctx, provinceCode: string, page = 0): Message[] {
  const p = province(provinceCode);
  const all = districtsOf(provinceCode);
  const slice = all.slice(page * DISTRICTS_PER_PAGE, (page + 1) * DISTRICTS_PER_PAGE);
  const items = slice.map((d) => postbackItem(label(ctx.lang === 'en' ? d.nameEn : d.nameTh), postbackData('askingDistrict', 'dist', d.code), ctx.lang === 'en' ? d.nameEn : d.nameTh));
  const nextPage = (page + 1) * DISTRICTS_PER_PAGE < all.length ? page + 1 : 0;
  if (all.length > DISTRICTS_PER_PAGE) items.push(postbackItem(ctx.t.more, postbackData('askingDistrict', 'page', String(nextPage)), ctx.t.more));
  items.push(backItem(ctx, 'askingDistrict'), cancelItem(ctx));
  return [text(ctx.t.askDistrict(ctx.lang === 'en' ? p?.nameEn ?? '' : p?.nameTh ?? ''), items)];
}

function confirmLocation(ctx: Ctx, draft: Draft): Message[] {
  return [text(ctx.t.confirmArea(areaText(draft.location, ctx)), [
    postbackItem(ctx.t.yes, postbackData('confirmingLocation', 'yes')),
    postbackItem(label(ctx.t.chooseMyself), postbackData('confirmingLocation', 'no')),
    backItem(ctx, 'confirmingLocation'),
    cancelItem(ctx),
  ])];
}

function askPhotos(ctx: Ctx, draft: Draft): Message[] {
  const n = draft.photos?.length ?? 0;
  return [text(n ? ctx.t.photoReceived(n) : ctx.t.askPhotos, [
    postbackItem(label(n ? ctx.t.photosDone : ctx.t.noPhotos), postbackData('askingPhotos', 'done')),
    cameraItem(label(ctx.t.takePhoto), 'camera'),
    cameraItem(label(ctx.t.choosePhoto), 'cameraRoll'),
    backItem(ctx, 'askingPhotos'),
    cancelItem(ctx),
  ])];
}

function askConsent(ctx: Ctx): Message[] {
  return [text(ctx.t.consent(PDPA_NOTICE_VERSION), [
    postbackItem(label(ctx.t.consentYes), postbackData('askingConsent', 'yes')),
    postbackItem(label(ctx.t.consentNo), postbackData('askingConsent', 'no')),
    backItem(ctx, 'askingConsent'),
  ])];
}

function confirmDecline(ctx: Ctx): Message[] {
  return [text(ctx.t.declineConfirm, [
    postbackItem(label(ctx.t.declineYes), postbackData('confirmingDecline', 'yes')),
    backItem(ctx, 'confirmingDecline'),
  ])];
}

/** The review: a long description is shown shortened at a word boundary; the case gets it whole. */
export function descriptionPreview(description: string, ctx: Ctx): string {
  if (description.length <= PREVIEW_CHARS) return description;
  return `${shorten(description, PREVIEW_CHARS)}\n${ctx.t.descriptionShortened([...description].length)}`;
}

function confirmSend(ctx: Ctx, draft: Draft): Message[] {
  return [text(ctx.t.summary({
    category: categoryLabel(draft.category, ctx, draft.problemType),
    description: descriptionPreview(draft.description ?? '', ctx),
    area: areaText(draft.location, ctx),
    photos: draft.photos?.length ?? 0,
  }), [
    postbackItem(label(ctx.t.confirmSend), postbackData('confirming', 'yes')),
    postbackItem(ctx.t.edit, postbackData('confirming', 'edit')),
    backItem(ctx, 'confirming'),
    cancelItem(ctx),
  ])];
}

/** Several cases await an answer: one button per tracking number. */
function askWhichCase(ctx: Ctx, draft: Draft): Message[] {
  const cases = draft.pendingInfo?.cases ?? [];
  return [text(ctx.t.whichCase, [
    ...cases.slice(0, 12).map((c) => postbackItem(c.trackingNo, postbackData('choosingCase', 'case', c.id), c.trackingNo)),
    cancelItem(ctx),
  ])];
}

export type EditPart = 'category' | 'description' | 'location' | 'photos';
export const EDIT_PARTS: EditPart[] = ['category', 'description', 'location', 'photos'];

/** "Which part?" — offered for the parts answered so far. */
export function editChoices(ctx: Ctx): Message[] {
  const d = ctx.draft;
  const has: Record<EditPart, boolean> = { category: !!d.category, description: !!d.description, location: !!d.location, photos: !!d.photosDone };
  const items = EDIT_PARTS.filter((p) => has[p]).map((p) => postbackItem(label(ctx.t.editParts[p]), postbackData(ctx.state, 'edit', p)));
  if (!items.length) return goto(ctx.state, ctx, ctx.draft).replies;
  return [text(ctx.t.editWhich, [...items, backItem(ctx, ctx.state), cancelItem(ctx)])];
}

/** Re-opens one part: its answer is cleared and its question asked; the rest of the draft stays. */
export function editPart(ctx: Ctx, part: EditPart): StepResult {
  // A new what or where may match other cases: related ones are looked up again (not for photos).
  const d = { ...ctx.draft, ...(part === 'photos' ? {} : { relatedChecked: undefined, related: undefined }) };
  if (part === 'category') return goto('askingCategory', ctx, d);
  if (part === 'description') return goto('askingDescription', ctx, { ...d, description: undefined, pendingText: undefined });
  if (part === 'location') return goto('askingLocation', ctx, { ...d, location: undefined });
  return goto('askingPhotos', ctx, { ...d, photosDone: false });
}

export function menuItems(ctx: Ctx): QuickReplyItem[] {
  return [messageItem(label(ctx.t.menu.file)), messageItem(label(ctx.t.menu.track)), messageItem(label(ctx.t.menu.contact))];
}

/** Moves to `state` and asks its question. */
export function goto(state: StateName, ctx: Ctx, draft: Draft, before: Message[] = []): StepResult {
  let ask: Message[];
  switch (state) {
    case 'askingCategory': ask = askCategory(ctx, draft); break;
    case 'askingDescription': ask = askDescription(ctx, draft); break;
    case 'askingLocation': ask = askLocation(ctx); break;
    case 'askingDistrict': ask = askDistrict(ctx, draft.location?.provinceCode ?? ''); break;
    case 'confirmingLocation': ask = confirmLocation(ctx, draft); break;
    case 'askingPhotos': ask = askPhotos(ctx, draft); break;
    case 'askingConsent': ask = askConsent(ctx); break;
    case 'confirming': ask = confirmSend(ctx, draft); break;
    case 'confirmingDecline': ask = confirmDecline(ctx); break;
    case 'choosingCase': ask = askWhichCase(ctx, draft); break;
    case 'offeringRelated': ask = offerRelated(ctx, draft); break;
    case 'idle': ask = []; break;
  }
  return { replies: [...before, ...ask].slice(-5), state, draft };
}

/** An answer to something asked on the side (status, contact, my data), then back where the citizen was (the draft kept), or the menu. */
export function answered(ctx: Ctx, answer: string): StepResult {
  return ctx.state === 'idle'
    ? { replies: [text(answer, menuItems(ctx))], state: 'idle', draft: {} }
    : goto(ctx.state, ctx, ctx.draft, [text(answer)]);
}

/** Re-asks the current question after an answer that does not fit, with a hint first. */
export function reask(ctx: Ctx, hint: string): StepResult {
  if (ctx.state === 'idle') return { replies: [text(hint, menuItems(ctx))], state: 'idle', draft: ctx.draft };
  return goto(ctx.state, ctx, ctx.draft, [text(hint)]);
}

/** The offer: one message with the public summary of each case, a "แจ้งด้วย" button each and "แจ้งเรื่องใหม่". */
export function offerRelated(ctx: Ctx, draft: Draft): Message[] {
  const offers = draft.related ?? [];
  const lines = offers.map((o) => ctx.t.relatedLine({
    trackingNo: o.trackingNo, type: offerType(o, ctx.lang), area: offerArea(o, ctx.lang),
    date: offerDate(o, ctx.lang), status: offerStatus(o, ctx.lang), supporters: o.supporters,
  }));
  return [text(`${ctx.t.relatedIntro}\n\n${lines.join('\n\n')}\n\n${ctx.t.relatedExplain}`, [
    ...offers.map((o) => postbackItem(ctx.t.joinButton(o.trackingNo), postbackData('offeringRelated', 'join', o.id))),
    postbackItem(ctx.t.fileAnyway, postbackData('offeringRelated', 'new')),
    backItem(ctx, 'offeringRelated'),
    cancelItem(ctx),
  ])];
}
