import { isOpenStatus, type CaseStatus } from '../../shared/categories.ts';
import { caseHolder } from '../../shared/cases/access.ts';
import { citizenCases, followedCases } from '../../shared/cases/citizenCases.ts';
import { joinCase, unfollowCase } from '../../shared/cases/commands/joinCase.ts';
import { relatedOffers } from '../../shared/cases/relatedOffer.ts';
import { addCaseInfo } from '../../shared/cases/commands/addCaseInfo.ts';
import { openCase } from '../../shared/cases/commands/openCase.ts';
import { deletePhotos } from '../media.ts';
import { eraseCitizen } from '../../shared/privacy/anonymise.ts';
import { awaitsAnswer, type TimelineLike } from './answeringOfficer.ts';
import type { Command, ConversationDeps, Ctx, OpenedCase, Outcome, StepResult } from './types.ts';

/** Carries out what the states asked for, one command after another, until a reply is decided. */
export async function carryOut(outcome: Outcome, ctx: Ctx, deps: ConversationDeps): Promise<StepResult> {
  let current = outcome;
  while ('run' in current) current = await perform(current, ctx, deps);
  return current;
}

async function perform(c: Command, ctx: Ctx, deps: ConversationDeps): Promise<Outcome> {
  switch (c.run) {
    case 'storeImage': {
      let photo;
      try {
        photo = await deps.storeImage(c.messageId, ctx.userId);
      } catch (err) {
        deps.log.warn({ err: (err as Error).message }, 'could not store image');
        return c.failed;
      }
      return c.next(photo);
    }
    case 'deletePhotos':
      await deletePhotos(deps.models, c.photos);
      return c.next;
    case 'countMyCases': {
      const cases = await citizenCases<{ status: CaseStatus }>(deps.models, ctx.userId, { status: 1 }, 10_000);
      return c.next({ cases: cases.length, open: cases.filter((x) => isOpenStatus(x.status)).length });
    }
    case 'eraseMe': {
      const r = await eraseCitizen(deps, ctx.userId);
      return c.next({ cases: r.cases.length });
    }
    case 'listCases': {
      // Their own cases and the ones they joined ("แจ้งด้วย"), newest first, marked apart.
      type Line = { trackingNo: string; category: string; problemType?: string; status: CaseStatus; createdAt: Date; following?: boolean };
      const fields = { trackingNo: 1, category: 1, problemType: 1, status: 1, createdAt: 1 } as const;
      const own = await citizenCases<Line>(deps.models, ctx.userId, fields, 10);
      const followed = (await followedCases<Line>(deps.models, ctx.userId, fields, 10))
        .map((x) => ({ trackingNo: x.trackingNo, category: x.category, problemType: x.problemType, status: x.status, createdAt: x.createdAt, following: true }));
      return c.next([...own, ...followed].sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime()).slice(0, 10));
    }
    case 'findRelated':
      return c.next(await relatedOffers(deps.models, c.probe));
    case 'joinCase': {
      const r = await joinCase(deps, { caseId: c.caseId, lineUserId: ctx.userId, lang: ctx.lang });
      if (r.ok) return c.next({ joined: true, already: r.already, trackingNo: r.case.trackingNo, status: r.case.status as CaseStatus, supporters: r.case.supporterCount ?? 1 });
      return c.next({ joined: false, reason: r.reason, trackingNo: r.case?.trackingNo });
    }
    case 'unfollow': {
      // By tracking number among the cases they follow: a number they do not follow changes nothing.
      const mine = await followedCases<{ _id: unknown; trackingNo: string }>(deps.models, ctx.userId, { trackingNo: 1 }, 1000);
      const hit = mine.find((x) => x.trackingNo === c.trackingNo);
      if (!hit) return c.next(false);
      return c.next((await unfollowCase(deps, { caseId: String(hit._id), lineUserId: ctx.userId })).ok);
    }
    case 'awaitingCases': {
      // Read by _id, as citizenCases does; newest first.
      const cases = await citizenCases<{ _id: unknown; trackingNo: string; status: CaseStatus; timeline: TimelineLike[] }>(
        deps.models, ctx.userId, { trackingNo: 1, status: 1, timeline: 1 }, 20);
      return c.next(cases.filter((x) => isOpenStatus(x.status) && awaitsAnswer(x.timeline ?? [])).map((x) => ({ id: String(x._id), trackingNo: x.trackingNo })));
    }
    case 'addCaseInfo': {
      // addCaseInfo alerts the case's officers.
      const r = await addCaseInfo(deps, {
        caseId: c.caseId,
        lineUserId: ctx.userId,
        text: c.text,
        attachments: c.photos.map((p) => ({ fileId: p.fileId, contentType: p.contentType, size: p.size })),
      });
      return c.next(r.ok);
    }
    case 'openCase':
      return c.next(await opened(await openCase(deps, c.props), ctx, deps));
  }
}

async function opened(created: { trackingNo: string; unitCode: string; concernedUnitCode?: string | null }, ctx: Ctx, deps: ConversationDeps): Promise<OpenedCase> {
  const nameOf = async (code: string) => {
    const unit = await deps.models.Unit.findById(code).lean();
    return unit ? (ctx.lang === 'en' ? unit.nameEn : unit.nameTh) : code;
  };
  const unitName = await nameOf(created.unitCode);
  const held = await caseHolder(deps.models, created.unitCode, created.concernedUnitCode);
  if (!held.unowned) return { trackingNo: created.trackingNo, unitName, unowned: false };
  return { trackingNo: created.trackingNo, unitName, unowned: true, holderName: held.holder ? await nameOf(held.holder) : undefined };
}
