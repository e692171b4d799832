/**
 * `report verify`: recount every counter from the cases and list what differs; `--fix` writes the
 * differences as increments (the same exact path as the commands), so a fix never loses a change
 * made meanwhile to another key. Run it when no case changes, or run it again: a case changed during
 * the recount can show as a mismatch that is not one.
 */
import type { Models } from '../models/index.ts';
import { addFacts, ancestorsOf, applyDelta, countsOf, factsOf, reportCounterModel, type CounterDelta } from './counters.ts';
import { rowMapping } from './rows.ts';

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
  ms: number;
}

/** What the counters should hold, from the cases. Groups on the stored report fields (one pass, on the server). */
export async function expectedCounters(models: Models): Promise<{ delta: CounterDelta; cases: number }> {
  const mapping = rowMapping();
  const delta: CounterDelta = new Map();
  let cases = 0;
  const groups = await models.Case.aggregate<{ _id: { u: string; p?: number; d?: number; m?: number; cm?: number; s: string }; n: number }>([
    { $match: { 'report.month': { $exists: true } } },
    { $group: { _id: { u: '$unitCode', p: '$report.provinceRow', d: '$report.districtRow', m: '$report.month', cm: '$report.closedMonth', s: '$status' }, n: { $sum: 1 } } },
  ]).allowDiskUse(true);
  for (const g of groups) {
    const closed = mapping.isClosedStatus(g._id.s);
    const f = { unitCode: g._id.u, provinceRow: g._id.p!, districtRow: g._id.d!, month: g._id.m!, closedMonth: closed ? (g._id.cm ?? g._id.m!) : null };
    const anc = await ancestorsOf(models, f.unitCode);
    addFacts(delta, f, anc, g.n);
    cases += g.n;
  }
  // Cases from before reports existed carry no report fields: counted from their category and channel.
  const older = models.Case.find({ 'report.month': { $exists: false } }, { unitCode: 1, status: 1, category: 1, channel: 1, receivedAt: 1, createdAt: 1, updatedAt: 1, resolution: 1 }).lean().cursor();
  for await (const c of older) {
    const f = factsOf(c as never, mapping);
    addFacts(delta, f, await ancestorsOf(models, f.unitCode), 1);
    cases++;
  }
  return { delta, cases };
}

export async function verifyCounters(models: Models, opts: { fix?: boolean } = {}): Promise<VerifyResult> {
  const t0 = performance.now();
  const { delta: expected, cases } = await expectedCounters(models);
  const Counter = reportCounterModel(models);
  const actualDocs = await Counter.find({}, { c: 1, s: 1 }).lean();
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
  if (opts.fix && diff.size) await applyDelta(models, diff);
  return { cases, counterDocs: actualDocs.length, mismatches, fixed: Boolean(opts.fix && diff.size), ms: Math.round(performance.now() - t0) };
}
