/**
 * Whether the complainant has been answered (Royal Decree B.E. 2546 s.38: within 15 days they must be
 * answered or told what is being done). This is the one judgement of it: the SLA planner (no late
 * "first answer" reminders, nudges or escalation once it is true), the late-units card, its snapshot
 * and the supervisor's overdue flag all ask here, in code (`isAnswered`) or in a query (`answeredFilter`).
 *
 * What counts, by timeline action — each is something the complainant is sent or shown:
 *   - `note`      an officer's progress update to the citizen (addProgressNote)
 *   - `asked`     an officer's question to the citizen (askCitizen)
 *   - `forwarded` the case was sent to another unit, and the citizen told who looks after it (forwardCase)
 *   - `closed`    the case was closed with its result told to the citizen (closeCase); it stays in
 *                 the timeline when the citizen reopens the case, so a reopened case owes no late first answer
 *   - `rejected`  the case was refused with its reason told to the citizen (rejectCase)
 * What does NOT count: an internal note (`internal_note`, addInternalNote: officers only, never sent),
 * assigning or taking over a case, an escalation, the citizen's own additions, the SLA's apology
 * (it promises a date, it answers nothing).
 */

export const ANSWERING_ACTIONS = ['note', 'asked', 'forwarded', 'closed', 'rejected'] as const;

const ANSWERING = new Set<string>(ANSWERING_ACTIONS);

/** The part of a case `isAnswered` reads (`'timeline.action'` is enough in a projection). */
export interface AnsweredView {
  timeline?: readonly { action?: string | null }[] | null;
}

export function isAnswered(c: AnsweredView): boolean {
  return (c.timeline ?? []).some((e) => !!e.action && ANSWERING.has(e.action));
}

/**
 * `isAnswered` as a MongoDB filter, for `answered: false` the cases not yet answered. Spelt `$nor` +
 * `$in`: FerretDB v1 takes `$nin` (and `$ne`) on an array path as "some element is not in", so every
 * case with an `opened` entry would match.
 */
export function answeredFilter(answered: boolean): Record<string, unknown> {
  const some = { 'timeline.action': { $in: [...ANSWERING_ACTIONS] } };
  return answered ? some : { $nor: [some] };
}
