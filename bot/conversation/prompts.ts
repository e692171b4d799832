import { formatArea } from '../../shared/cases/area.ts';
import { SUBJECT_CATEGORIES, subjectCategory } from '../../shared/categories.ts';
import { districtsOf, province } from '../../shared/geo/index.ts';
import { cameraItem, locationItem, messageItem, postbackData, postbackItem, text, type Message, type QuickReplyItem } from '../messages/build.ts';
import { PDPA_NOTICE_VERSION, type Ctx, type Draft, type DraftLocation, type StateName, type StepResult } from './types.ts';

/** The question each state asks. Used on entering a state and to re-ask after an unexpected answer. */
export function cancelItem(ctx: Ctx): QuickReplyItem {
  return messageItem(ctx.t.menu.cancel);
}

export function categoryLabel(code: string | undefined, ctx: Ctx): string {
  const c = subjectCategory(code ?? '');
  return c ? (ctx.lang === 'en' ? c.en : c.th) : '-';
}

export function areaText(loc: DraftLocation | undefined, ctx: Ctx): string {
  return formatArea(loc, ctx.lang);
}

function askCategory(ctx: Ctx): Message[] {
  const items = SUBJECT_CATEGORIES.map((c) =>
    postbackItem(ctx.lang === 'en' ? c.en.slice(0, 20) : c.short, postbackData('askingCategory', 'cat', c.code), ctx.lang === 'en' ? c.en : c.th));
  const list = SUBJECT_CATEGORIES.map((c, i) => `${i + 1}. ${ctx.lang === 'en' ? c.en : c.th} — ${ctx.lang === 'en' ? c.hintEn : c.hintTh}`);
  return [text(`${ctx.t.askCategory}\n\n${ctx.t.categoryList(list)}`, [...items, cancelItem(ctx)])];
}

function askLocation(ctx: Ctx): Message[] {
  return [text(ctx.t.askLocation, [locationItem(ctx.t.sendLocation), cancelItem(ctx)])];
}

export const DISTRICTS_PER_PAGE = 11;

export function askDistrict(ctx: Ctx, provinceCode: string, page = 0): Message[] {
  const p = province(provinceCode);
  const all = districtsOf(provinceCode);
  const slice = all.slice(page * DISTRICTS_PER_PAGE, (page + 1) * DISTRICTS_PER_PAGE);
  const items = slice.map((d) => postbackItem(ctx.lang === 'en' ? d.nameEn : d.nameTh, postbackData('askingDistrict', 'dist', d.code)));
  const nextPage = (page + 1) * DISTRICTS_PER_PAGE < all.length ? page + 1 : 0;
  if (all.length > DISTRICTS_PER_PAGE) items.push(postbackItem(ctx.t.more, postbackData('askingDistrict', 'page', String(nextPage)), ctx.t.more));
  items.push(cancelItem(ctx));
  return [text(ctx.t.askDistrict(ctx.lang === 'en' ? p?.nameEn ?? '' : p?.nameTh ?? ''), items)];
}

function confirmLocation(ctx: Ctx, draft: Draft): Message[] {
  return [text(ctx.t.confirmArea(areaText(draft.location, ctx)), [
    postbackItem(ctx.t.yes, postbackData('confirmingLocation', 'yes')),
    postbackItem(ctx.t.chooseMyself, postbackData('confirmingLocation', 'no')),
    cancelItem(ctx),
  ])];
}

function askPhotos(ctx: Ctx, draft: Draft): Message[] {
  const n = draft.photos?.length ?? 0;
  return [text(n ? ctx.t.photoReceived(n) : ctx.t.askPhotos, [
    postbackItem(n ? ctx.t.photosDone : ctx.t.noPhotos, postbackData('askingPhotos', 'done')),
    cameraItem(ctx.t.takePhoto, 'camera'),
    cameraItem(ctx.t.choosePhoto, 'cameraRoll'),
    cancelItem(ctx),
  ])];
}

function askConsent(ctx: Ctx): Message[] {
  return [text(ctx.t.consent(PDPA_NOTICE_VERSION), [
    postbackItem(ctx.t.consentYes, postbackData('askingConsent', 'yes')),
    postbackItem(ctx.t.consentNo, postbackData('askingConsent', 'no')),
  ])];
}

function confirmSend(ctx: Ctx, draft: Draft): Message[] {
  return [text(ctx.t.summary({
    category: categoryLabel(draft.category, ctx),
    description: draft.description ?? '',
    area: areaText(draft.location, ctx),
    photos: draft.photos?.length ?? 0,
  }), [postbackItem(ctx.t.confirmSend, postbackData('confirming', 'yes')), cancelItem(ctx)])];
}

export function menuItems(ctx: Ctx): QuickReplyItem[] {
  return [messageItem(ctx.t.menu.file), messageItem(ctx.t.menu.track), messageItem(ctx.t.menu.contact)];
}

/** Moves to `state` and asks its question. */
export function goto(state: StateName, ctx: Ctx, draft: Draft, before: Message[] = []): StepResult {
  let ask: Message[];
  switch (state) {
    case 'askingCategory': ask = askCategory(ctx); break;
    case 'askingDescription': ask = [text(ctx.t.askDescription(categoryLabel(draft.category, ctx)), [cancelItem(ctx)])]; break;
    case 'askingLocation': ask = askLocation(ctx); break;
    case 'askingDistrict': ask = askDistrict(ctx, draft.location?.provinceCode ?? ''); break;
    case 'confirmingLocation': ask = confirmLocation(ctx, draft); break;
    case 'askingPhotos': ask = askPhotos(ctx, draft); break;
    case 'askingConsent': ask = askConsent(ctx); break;
    case 'confirming': ask = confirmSend(ctx, draft); break;
    case 'idle': ask = []; break;
  }
  return { replies: [...before, ...ask].slice(0, 5), state, draft };
}

/** Re-asks the current question after an answer that does not fit, with a hint first. */
export function reask(ctx: Ctx, hint: string): StepResult {
  return goto(ctx.state, ctx, ctx.draft, [text(hint)]);
}
