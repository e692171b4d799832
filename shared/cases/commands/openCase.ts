import type { ChannelCode, SubjectCategoryCode } from '../../categories.ts';
import type { CaseDoc } from '../../models/index.ts';
import type { Actor } from '../actor.ts';
import type { DomainDeps } from '../deps.ts';
import { newEvent, type CaseEvent } from '../events.ts';
import { fromStored, publishEvents, toStored } from '../publish.ts';
import { finishCaseWrite, markRelatedChange } from '../caseUpdate.ts';
import { listFieldsFor } from '../listing.ts';
import { routeCase } from '../routing.ts';
import { partnerAgencies } from '../../agencies/directory.ts';
import { nextTrackingNo } from '../trackingNo.ts';
import { normaliseThaiPhone } from '../../phone.ts';
import { problemType } from '../../problems/types.ts';
import { computeDeadlines, unitChainFor } from '../../sla/deadlines.ts';
import { slaContext } from '../../sla/load.ts';
import { countsChangeOf, reportFieldsFor, type CaseLike } from '../../reports/counters.ts';

export interface OpenCaseProps {
  /** Unique per intake (e.g. `line:<webhookEventId>`): a retried job gets the case it already created. */
  idempotencyKey: string;
  channel: ChannelCode;
  /**
   * The subject category the case is recorded under (it fixes the report rows). Given with a problem
   * type it is ignored: the type's own category is recorded, so no client can pair a type with a
   * category that counts it in the wrong row. Alone, it is what officers' records, imports and
   * partners send.
   */
  category: SubjectCategoryCode;
  /** The problem type the citizen recognised (config/problem-types.json): it records the category, and with the place it picks the partner agency. */
  problemType?: string;
  /** What happened, in the complainant's words. */
  description: string;
  location: {
    provinceCode?: string; provinceName?: string;
    districtCode?: string; districtName?: string;
    subdistrictCode?: string; subdistrictName?: string;
    address?: string; lat?: number; lng?: number;
  };
  attachments?: { fileId: string; contentType: string; size: number; lineMessageId?: string }[];
  /**
   * Who complains. `lineUserId` when they came through LINE (absent for a hotline call or a letter
   * recorded by an officer); `phone` is stored in its normalised Thai form (shared/phone.ts).
   */
  complainant: { lineUserId?: string; name?: string; phone?: string; anonymous?: boolean; lang?: 'th' | 'en' };
  /** PDPA consent: the notice version the person agreed to, and when (an officer may record a case without it). */
  consent?: { version: string; at: Date };
  /** When the complaint reached the centre, if earlier than now (a call recorded afterwards); the SLA counts from it. */
  receivedAt?: Date;
  /**
   * Where the intake happened: the chat conversation (which answers with the tracking number itself),
   * the LIFF form (the notify worker pushes the tracking number into the chat) or an officer's record.
   */
  via?: 'chat' | 'liff' | 'officer';
  by: Actor;
}

/** What openCase is given: a problem type, a category, or both (then the type's category wins). */
export type OpenCaseInput = Omit<OpenCaseProps, 'category'> & ({ category: SubjectCategoryCode } | { problemType: string; category?: SubjectCategoryCode });

export class UnknownProblemTypeError extends Error {
  override name = 'UnknownProblemTypeError';
  constructor(code: string) {
    super(`ไม่รู้จักประเภทปัญหา ${code.slice(0, 40)} / unknown problem type ${code.slice(0, 40)}`);
  }
}

function withCategoryOfType(input: OpenCaseInput): OpenCaseProps {
  if (!input.problemType) return input as OpenCaseProps;
  const type = problemType(input.problemType);
  if (!type) throw new UnknownProblemTypeError(input.problemType);
  return { ...input, problemType: type.code, category: type.category };
}

/**
 * Registers a complaint, routes it to the responsible unit, and announces `case.opened`. A retry of an
 * intake that already created its case gets that case, and its outbox is queued again: the first try
 * may have died before queuing (the job ids make a second queuing a no-op).
 */
export async function openCase(deps: DomainDeps, input: OpenCaseInput): Promise<CaseDoc> {
  const props = withCategoryOfType(input);
  const { models, clock } = deps;
  const existing = await models.Case.findOne({ idempotencyKey: props.idempotencyKey }).lean<CaseDoc>();
  if (existing) {
    await publishEvents(deps.publish, (existing.pendingEvents ?? []).map(fromStored));
    return existing;
  }
  const now = clock.now();
  const route = routeCase({ category: props.category, problemType: props.problemType, area: props.location }, await partnerAgencies(models));
  const sla = deps.sla ?? slaContext();
  const deadlines = computeDeadlines({
    receivedAt: props.receivedAt ?? now, channel: props.channel, category: props.category,
    unitChain: await unitChainFor(sla.policy, route.unitCode, models),
  }, sla);
  const phone = props.complainant.phone ? normaliseThaiPhone(props.complainant.phone) ?? props.complainant.phone : undefined;
  const doc = new models.Case({
    idempotencyKey: props.idempotencyKey,
    channel: props.channel,
    category: props.category,
    ...(props.problemType ? { problemType: props.problemType } : {}),
    description: props.description,
    location: props.location,
    attachments: props.attachments ?? [],
    complainant: { ...props.complainant, ...(phone ? { phone } : {}) },
    consent: props.consent,
    // Always set, from the injected clock: SLA windows count from here (createdAt is wall-clock time).
    receivedAt: props.receivedAt ?? now,
    ackDueAt: deadlines.ackDueAt,
    answerDueAt: deadlines.answerDueAt,
    resolveDueAt: deadlines.resolveDueAt,
    status: 'received',
    unitCode: route.unitCode,
    concernedUnitCode: route.concernedUnitCode,
    suggestedUnitCode: route.suggestedUnitCode,
    // The rows it counts under in the official tables, fixed now (config/report-rows.json).
    report: reportFieldsFor({ category: props.category, channel: props.channel, receivedAt: props.receivedAt ?? now }),
    ...listFieldsFor(props.receivedAt ?? now),
  });
  let event: CaseEvent;
  for (let attempt = 0; ; attempt++) {
    const trackingNo = await nextTrackingNo(models, now);
    event = newEvent('case.opened', { caseId: String(doc._id), trackingNo, unitCode: route.unitCode }, now, props.via ? { via: props.via } : {});
    // Its place in the report counters travels with the event (see countEvent).
    const counts = countsChangeOf(null, doc.toObject() as CaseLike, deps.sla?.calendar);
    if (counts) event.data.counts = counts;
    // A new case enters the related-complaints index (its entry is written after the insert).
    markRelatedChange(event, ['status']);
    doc.set('trackingNo', trackingNo);
    doc.set('timeline', [{ at: now, by: props.by, action: 'opened', toStatus: 'received', unitCode: route.unitCode, eventId: event.id }]);
    doc.set('pendingEvents', [toStored(event)]);
    doc.set('hasOutbox', true);
    try {
      await doc.save();
      break;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // Two deliveries racing on the same intake: the other one won, use its case.
      const winner = await models.Case.findOne({ idempotencyKey: props.idempotencyKey }).lean<CaseDoc>();
      if (winner) {
        await publishEvents(deps.publish, (winner.pendingEvents ?? []).map(fromStored));
        return winner;
      }
      // Otherwise the tracking number was drawn twice (FerretDB's $inc is read → modify → replace,
      // so two intakes at the same moment can get the same one): draw another. Each round at least
      // one of the racers wins; a random pause keeps the losers from colliding again in lockstep.
      if (attempt >= 40) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
    }
  }
  const created = doc.toObject() as CaseDoc;
  await finishCaseWrite(deps, String(created._id), created, event);
  return created;
}
