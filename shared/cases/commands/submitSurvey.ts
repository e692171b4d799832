import { loadCase, writeCaseChange, type CommandResult } from '../caseUpdate.ts';
import { newEvent } from '../events.ts';
import type { DomainDeps } from './openCase.ts';

export interface SubmitSurveyProps {
  caseId: string;
  /** The complainant's LINE user id: only they rate their case. */
  lineUserId: string;
  /** Satisfaction, 1 (very unsatisfied) to 5 (very satisfied). */
  score: number;
  /** Optional free text. */
  comment?: string;
}

/**
 * แบบประเมินความพึงพอใจ after a case closed. One answer per case: the update is conditional on no
 * survey being there, so two taps at once (or a replayed request) store one answer.
 */
export async function submitSurvey(deps: DomainDeps, props: SubmitSurveyProps): Promise<CommandResult<'not_found' | 'not_closed' | 'already_answered'>> {
  const current = await loadCase(deps, props.caseId);
  if (!current || !current.complainant?.lineUserId || current.complainant.lineUserId !== props.lineUserId) return { ok: false, reason: 'not_found' };
  if (current.survey?.at) return { ok: false, reason: 'already_answered', case: current };
  if (current.status !== 'closed') return { ok: false, reason: 'not_closed', case: current };

  const now = deps.clock.now();
  const event = newEvent('case.survey_submitted', { caseId: props.caseId, trackingNo: current.trackingNo, unitCode: current.unitCode }, now, { score: props.score });
  const updated = await writeCaseChange(deps, props.caseId, {
    guard: { 'complainant.lineUserId': props.lineUserId, status: 'closed', 'survey.at': { $exists: false } },
    set: { survey: { score: props.score, ...(props.comment ? { comment: props.comment } : {}), at: now } },
    entry: { by: { kind: 'citizen', id: props.lineUserId }, action: 'survey' },
    event,
  });
  if (!updated) return { ok: false, reason: 'already_answered', case: (await loadCase(deps, props.caseId)) ?? undefined };
  return { ok: true, case: updated };
}
