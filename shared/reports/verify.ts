/**
 * `report verify`: recount every counter from the cases and list what differs; `--fix` corrects the
 * differences, and is safe while the system runs. A recount reads the cases one after another while
 * commands and the counters consumer keep writing, so a difference can be a change in flight rather
 * than an error; correcting it would count that change twice or undo it. So a document is corrected
 * only if (1) its version is the same before and after the recount (no event reached it meanwhile),
 * (2) no event still in a case outbox and not yet counted touches it, and (3) the correction is
 * written at that same version (the claim of counters.ts): anything that reaches it later adds to the
 * corrected value. Documents left out are listed; run it again.
 *
 * Not covered: an `import` running at the same time writes counters without events.
 */
import type { Models } from '../models/index.ts';
import { missingMask, type CompletenessInput } from './completeness.ts';
import { addFacts, ancestorsOf, applyDeltaAtVersions, countsOf, type CountsChange, factsOf, overviewFactsOf, reopenFactsOf, reportCounterModel, type CaseFacts, type CaseLike, type CounterDelta } from './counters.ts';
import { slaContext } from '../sla/load.ts';
import type { WorkingCalendar } from '../sla/calendar.ts';
import { rowMapping } from './rows.ts';
import { consumedMarkerId, isMarked } from '../store/claim.ts';
import { tally } from '../store/tally.ts';

export interface Mismatch {
  docId: string;
  key: string;
  expected: number;
  actual: number;
}

export interface VerifyResult {
  cases: number;
  counterDocs: number;
  mismatches: Mismatch[];
  fixed: boolean;
  /** --fix: documents left uncorrected because something changed them or is about to (run again). */
  skipped: string[];
  ms: number;
}

/** What missingMask reads of a case besides its status (`resolution.at` is read for the tables anyway). */
const COMPLETENESS_FIELDS = {
  category: 1, channel: 1, description: 1, 'resolution.text': 1, 'location.provinceCode': 1, 'location.districtCode': 1,
  'complainant.lineUserId': 1, 'complainant.phone': 1, 'complainant.anonymous': 1,
} as const;

/** What the counters should hold, from the cases' stored report fields. */
export async function expectedCounters(models: Models, cal: WorkingCalendar = slaContext().calendar): Promise<{ delta: CounterDelta; cases: number }> {
  const mapping = rowMapping();
  const delta: CounterDelta = new Map();
  let cases = 0;
  // One pass over the cases with a narrow projection, counted by their facts (shared/store/tally.ts).
  const cursor = models.Case.find({ 'report.month': { $exists: true } }, { unitCode: 1, status: 1, report: 1, receivedAt: 1, createdAt: 1, updatedAt: 1, resolveDueAt: 1, 'resolution.at': 1, 'survey.score': 1, 'survey.at': 1, ...COMPLETENESS_FIELDS }).lean().cursor({ batchSize: 10_000 });
  const groups = await tally(cursor as AsyncIterable<CaseLike & { report: { provinceRow: number; districtRow: number; month: number; closedMonth?: number } }>, (c) => {
    const closed = mapping.isClosedStatus(c.status);
    const r = c.report;
    const closedMonth = closed ? (r.closedMonth ?? r.month) : null;
    // The overview keys (SLA met, working days to close, survey score) are part of the group.
    const { close, survey } = overviewFactsOf(c, closedMonth, cal);
    const missing = missingMask(c as CompletenessInput);
    const reopen = reopenFactsOf(r);
    const key = `${c.unitCode}|${r.provinceRow}|${r.districtRow}|${r.month}|${closedMonth ?? 'o'}|${close ? `${close.sla}${close.days}` : ''}|${survey ? `${survey.score}@${survey.month}` : ''}|${missing}|${c.status}|${c.category}|${reopen ? `${+reopen.closed}${+reopen.reopened}` : ''}`;
    return { key, value: (): CaseFacts => ({ unitCode: c.unitCode, provinceRow: r.provinceRow, districtRow: r.districtRow, month: r.month, closedMonth, close, survey, missing, list: { status: c.status, category: c.category }, reopen }) };
  });
  for (const { value: f, n } of groups.values()) {
    addFacts(delta, f, await ancestorsOf(models, f.unitCode), n);
    cases += n;
  }
  // Cases from before reports existed carry no report fields: counted from their category and channel.
  const older = models.Case.find({ 'report.month': { $exists: false } }, { unitCode: 1, status: 1, receivedAt: 1, createdAt: 1, updatedAt: 1, 'resolution.at': 1, resolveDueAt: 1, survey: 1, ...COMPLETENESS_FIELDS }).lean().cursor();
  for await (const c of older) {
    const f = factsOf(c as never, mapping, cal);
    addFacts(delta, f, await ancestorsOf(models, f.unitCode), 1);
    cases++;
  }
  return { delta, cases };
}

/** Counter documents touched by events still in case outboxes whose counts are not yet applied everywhere. */
async function docsWithEventsInFlight(models: Models): Promise<Set<string>> {
  const docs = new Set<string>();
  const cursor = models.Case.find({ hasOutbox: true }, { pendingEvents: 1 }).lean().cursor();
  for await (const c of cursor) {
    for (const stored of c.pendingEvents ?? []) {
      // The counts travel in the stored event's data (shared/cases/publish.ts toStored).
      const counts = (stored.data as { counts?: CountsChange } | undefined)?.counts;
      if (!counts || (await isMarked(models, consumedMarkerId('counters', stored.id)))) continue;
      // Both sides with the same sign, so nothing cancels: every document it names.
      const delta: CounterDelta = new Map();
      for (const f of [counts.before, counts.after]) if (f) addFacts(delta, f, await ancestorsOf(models, f.unitCode), 1);
      for (const id of delta.keys()) docs.add(id);
    }
  }
  return docs;
}

export async function verifyCounters(models: Models, opts: { fix?: boolean } = {}): Promise<VerifyResult> {
  const t0 = performance.now();
  const Counter = reportCounterModel(models);
  const versionsBefore = opts.fix ? new Map((await Counter.find({}, { version: 1 }).lean()).map((d) => [d._id, d.version ?? 0])) : undefined;
  const { delta: expected, cases } = await expectedCounters(models);
  const actualDocs = await Counter.find({}, { c: 1, s: 1, version: 1 }).lean();
  const mismatches: Mismatch[] = [];
  const diff: CounterDelta = new Map();
  const seen = new Set<string>();
  const note = (docId: string, key: string, exp: number, act: number) => {
    if (exp === act) return;
    mismatches.push({ docId, key, expected: exp, actual: act });
    let d = diff.get(docId);
    if (!d) diff.set(docId, (d = new Map()));
    d.set(key, exp - act);
  };
  for (const doc of actualDocs) {
    seen.add(doc._id);
    const exp = expected.get(doc._id) ?? new Map<string, number>();
    const c = countsOf(doc);
    for (const [key, act] of Object.entries(c)) note(doc._id, key, exp.get(key) ?? 0, act ?? 0);
    for (const [key, e] of exp) if (!(key in c)) note(doc._id, key, e, 0);
  }
  for (const [docId, keys] of expected) {
    if (seen.has(docId)) continue;
    for (const [key, e] of keys) note(docId, key, e, 0);
  }
  let skipped: string[] = [];
  if (opts.fix && diff.size) {
    const inFlight = await docsWithEventsInFlight(models);
    const versionsAfter = new Map(actualDocs.map((d) => [d._id, d.version ?? 0]));
    // null: absent before and after the recount (created by the fix unless a writer does it first).
    const versions = new Map<string, number | null>();
    for (const docId of diff.keys()) {
      if (inFlight.has(docId)) continue;
      const v0 = versionsBefore!.get(docId), v1 = versionsAfter.get(docId);
      if (v0 === undefined && v1 === undefined) versions.set(docId, null);
      else if (v0 !== undefined && v0 === v1) versions.set(docId, v1);
    }
    skipped = await applyDeltaAtVersions(models, diff, versions);
  }
  return { cases, counterDocs: actualDocs.length, mismatches, fixed: Boolean(opts.fix && diff.size && !skipped.length), skipped, ms: Math.round(performance.now() - t0) };
}
