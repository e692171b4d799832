import type { SubjectCategoryCode } from '../../shared/categories.ts';
import { caseHolder } from '../../shared/cases/access.ts';
import { openCase } from '../../shared/cases/commands/openCase.ts';
import { text } from '../messages/build.ts';
import { menuItems, reask } from './prompts.ts';
import type { StateHandler } from './types.ts';

/** Waits for the final "send": then the case is opened and the citizen gets the tracking number. */
export const confirming: StateHandler = async (input, ctx, deps) => {
  if (!(input.kind === 'postback' && input.action === 'yes')) return reask(ctx, ctx.t.confirmHint);
  const d = ctx.draft;
  if (!d.category || !d.description || !d.location || !d.consent) return reask(ctx, ctx.t.confirmHint);
  const created = await openCase(deps, {
    idempotencyKey: `line:${ctx.eventId}`,
    channel: 'line',
    category: d.category as SubjectCategoryCode,
    description: d.description,
    location: d.location,
    attachments: (d.photos ?? []).map((p) => ({ fileId: p.fileId, contentType: p.contentType, size: p.size, lineMessageId: p.lineMessageId })),
    complainant: { lineUserId: ctx.userId, name: ctx.displayName, anonymous: false, lang: ctx.lang },
    consent: { version: d.consent.version, at: new Date(d.consent.at) },
    by: { kind: 'citizen', id: ctx.userId, name: ctx.displayName },
  });
  const nameOf = async (code: string) => {
    const unit = await deps.models.Unit.findById(code).lean();
    return unit ? (ctx.lang === 'en' ? unit.nameEn : unit.nameTh) : code;
  };
  const unitName = await nameOf(created.unitCode);
  // Honest about who holds it: a district with nobody registered yet does not "take it within a day".
  const held = await caseHolder(deps.models, created.unitCode, created.concernedUnitCode);
  const reply = !held.unowned ? ctx.t.caseCreated(created.trackingNo, unitName)
    : held.holder ? ctx.t.caseCreatedUnowned(created.trackingNo, unitName, await nameOf(held.holder))
    : ctx.t.caseCreatedNobody(created.trackingNo, unitName);
  return { replies: [text(reply, menuItems(ctx))], state: 'idle', draft: {} };
};
