import { isOpenStatus, type CaseStatus } from '../../shared/categories.ts';
import { caseHolder } from '../../shared/cases/access.ts';
import { citizenCases } from '../../shared/cases/citizenCases.ts';
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
    case 'listCases':
      return c.next(await citizenCases<{ trackingNo: string; category: string; problemType?: string; status: CaseStatus; createdAt: Date }>(
        deps.models, ctx.userId, { trackingNo: 1, category: 1, problemType: 1, status: 1, createdAt: 1 }, 10));
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
