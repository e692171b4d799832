import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from '../deps.ts';

export interface SubmitSurveyProps {
  caseId: string;
  /** The complainant's LINE user id: only they rate their case. */
  lineUserId: string;
  /** Satisfaction, 1 (very unsatisfied) to 5 (very satisfied). */
  score: number;
  /** Optional free text. */
  comment?: string;
  /** "ปัญหาได้รับการแก้ไขแล้วหรือยัง": yes (true) or not yet (false); absent from older clients. */
  fixed?: boolean;
}

/** Whether the case's current closure already has its answer (a case closed again after a reopen may be rated again). */
export function surveyAnswered(c: { survey?: { at?: Date | null; round?: number | null } | null; report?: { reopens?: number | null } | null }): boolean {
  return Boolean(c.survey?.at) && (c.survey?.round ?? 0) >= (c.report?.reopens ?? 0);
}

/**
 * แบบประเมินความพึงพอใจ after a case closed. One answer per closure: the update is conditional on the
 * case as read (no answer for this closure yet), so two taps at once (or a replayed request) store one answer.
 */
export async function submitSurvey(deps: DomainDeps, props: SubmitSurveyProps): Promise<CommandResult<'not_found' | 'not_closed' | 'already_answered'>> {
  const current = await loadCase(deps, props.caseId);
  if (!current || !current.complainant?.lineUserId || current.complainant.lineUserId !== props.lineUserId) return { ok: false, reason: 'not_found' };
  if (surveyAnswered(current)) return { ok: false, reason: 'already_answered', case: current };
  if (current.status !== 'closed') return { ok: false, reason: 'not_closed', case: current };

  const now = deps.clock.now();
  const round = current.report?.reopens ?? 0;
  const event = newEvent('case.survey_submitted', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, {
    score: props.score, ...(typeof props.fixed === 'boolean' ? { fixed: props.fixed } : {}),
  });
  const updated = await writeCaseChange(deps, props.caseId, {
    // The answer this closure may replace is the one read (or none): a concurrent answer changes it and this matches nothing.
    guard: {
      'complainant.lineUserId': props.lineUserId, status: 'closed',
      'survey.at': current.survey?.at ? current.survey.at : { $exists: false },
      'report.reopens': current.report?.reopens ?? { $exists: false },
    },
    set: { survey: { score: props.score, ...(props.comment ? { comment: props.comment } : {}), at: now, ...(typeof props.fixed === 'boolean' ? { fixed: props.fixed } : {}), round } },
    entry: { by: { kind: 'citizen', id: props.lineUserId }, action: 'survey' },
    event,
  });
  if (!updated) return { ok: false, reason: 'already_answered', case: (await loadCase(deps, props.caseId)) ?? undefined };
  return { ok: true, case: updated };
}
