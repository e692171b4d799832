import type { SubjectCategoryCode } from '../../shared/categories.ts';
import { district, province, subdistrict } from '../../shared/geo/index.ts';
import { text } from '../messages/build.ts';
import { appendToDescription } from './askingDescription.ts';
import { isSentence, menuItems, reask } from './prompts.ts';
import type { Ctx, DraftLocation, OpenedCase, StateHandler } from './types.ts';

/** Officers read Thai area names whatever language the citizen chatted in: names come from the codes. */
function thaiNames(loc: DraftLocation): DraftLocation {
  const out: DraftLocation = { ...loc, provinceName: province(loc.provinceCode)?.nameTh ?? loc.provinceName };
  if (loc.districtCode) out.districtName = district(loc.districtCode)?.nameTh ?? loc.districtName;
  if (loc.subdistrictCode) out.subdistrictName = subdistrict(loc.subdistrictCode)?.nameTh ?? loc.subdistrictName;
  return out;
}

/** "Send" typed instead of tapped. */
const CONFIRM_WORDS = /^(ยืนยัน|ส่ง|ส่งเรื่อง|ยืนยันส่งเรื่อง|ตกลง|send|confirm|send complaint|yes)$/i;

/** Waits for the final "send": then the case is opened and the citizen gets the tracking number. */
export const confirming: StateHandler = (input, ctx) => {
  const typedYes = input.kind === 'text' && CONFIRM_WORDS.test(input.text.trim());
  if (input.kind === 'text' && !typedYes && isSentence(input.text)) return appendToDescription(ctx, input.text);
  if (!(input.kind === 'postback' && input.action === 'yes') && !typedYes) return reask(ctx, ctx.t.confirmHint);
  const d = ctx.draft;
  if (!d.category || !d.description || !d.location || !d.consent) return reask(ctx, ctx.t.confirmHint);
  return {
    run: 'openCase',
    props: {
      idempotencyKey: `line:${ctx.eventId}`,
      channel: 'line',
      category: d.category as SubjectCategoryCode,
      ...(d.problemType ? { problemType: d.problemType } : {}),
      description: d.description,
      location: thaiNames(d.location),
      attachments: (d.photos ?? []).map((p) => ({ fileId: p.fileId, contentType: p.contentType, size: p.size, lineMessageId: p.lineMessageId })),
      complainant: { lineUserId: ctx.userId, name: ctx.displayName, anonymous: false, lang: ctx.lang },
      consent: { version: d.consent.version, at: new Date(d.consent.at) },
      by: { kind: 'citizen', id: ctx.userId, name: ctx.displayName },
    },
    next: (opened) => ({ replies: [text(createdReply(ctx, opened), menuItems(ctx))], state: 'idle', draft: {} }),
  };
};

/** Honest about who holds it: a district with nobody registered yet does not "take it within a day". */
export function createdReply(ctx: Ctx, opened: OpenedCase): string {
  if (!opened.unowned) return ctx.t.caseCreated(opened.trackingNo, opened.unitName);
  if (opened.holderName) return ctx.t.caseCreatedUnowned(opened.trackingNo, opened.unitName, opened.holderName);
  return ctx.t.caseCreatedNobody(opened.trackingNo, opened.unitName);
}
