/**
 * Related complaints: open cases that are probably the same problem as a new report (same or related
 * type, near the same place, recent, described in similar words). The citizen is offered to join one
 * ("แจ้งด้วย") instead of filing twice; officers see them as "possibly related".
 *
 * How it stays fast on FerretDB (only top-level equalities are index-served) and MongoDB alike, one
 * code path: every open case has an entry in a slim side collection (openIndex.ts) carrying `relKeys`,
 * place × problem keys (keys.ts), so a probe reads the open cases of the same or a related problem
 * within a 3×3 cell neighbourhood of its pin (plus the pinless ones of its subdistrict) with two
 * equality queries in parallel, a few hundred bytes per candidate instead of a whole case; the rest
 * (window, distance, words) is scored here. Closed cases carry no keys, so the reads grow with
 * the open cases of one small area only.
 */
import { isOpenStatus } from '../categories.ts';
import type { Models } from '../models/index.ts';
import { probeKeys } from './keys.ts';
import { compactKey, relatedIndexModel, unpackEntry, type StoredEntry } from './openIndex.ts';
import { cosine, currentIdf, terms, vector, type Idf } from './text.ts';
import { typeAffinity } from './types.ts';

export interface RelatedProbe {
  problemType?: string | null;
  category: string;
  location: { provinceCode?: string | null; districtCode?: string | null; subdistrictCode?: string | null; lat?: number | null; lng?: number | null };
  description: string;
  /** When the new report was made (the time window counts back from here). */
  at: Date;
}

export interface RelatedCandidate {
  caseId: string;
  trackingNo: string;
  problemType?: string;
  category: string;
  status: string;
  receivedAt: Date;
  subdistrictCode?: string;
  subdistrictName?: string;
  districtName?: string;
  /** Metres between the pins, when both have one. */
  distanceM?: number;
  /** TF-IDF cosine of the descriptions' words, 0..1. */
  textSimilarity: number;
  /** The overall score the list is ordered by, 0..1. */
  score: number;
  supporterCount: number;
  /** The unit holding it (whether the asking officer may see more than the public summary). */
  unitCode: string;
  concernedUnitCode?: string;
  /** Why it is offered, for people: e.g. ["same_type", "within_200m", "words:ไฟดับ,ซอย5"] (same_category: one side has no type). */
  reasons: string[];
  /** The citizen's words, as the index entry holds them: only for an officer who may open the case (never to citizens). */
  description: string;
}

export interface RelatedOptions {
  /** Leave this case out (the officer's own case). */
  excludeCaseId?: string;
  limit?: number;
  /** How far back an open case still counts, in days. */
  windowDays?: number;
  /** How far apart two pins may be, in metres (at most one grid cell, ~530 m). */
  radiusM?: number;
  /** Below this score a candidate is not shown (see docs/related-complaints.md for how it was chosen). */
  minScore?: number;
  /** The IDF to weigh words with (default: the cached sample of recent cases). */
  idf?: Idf;
}

/** Chosen on tests/fixtures/related-pairs.tsv (tests/related.test.ts prints what it gives). */
export const DEFAULT_MIN_SCORE = 0.5;
/** A candidate of a related (not the same) type needs at least this much in common in words. */
export const RELATED_TYPE_MIN_TEXT = 0.3;

export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad, dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

const hasPin = <T extends { lat?: number | null; lng?: number | null }>(l: T): l is T & { lat: number; lng: number } => typeof l.lat === 'number' && typeof l.lng === 'number';

/** The open cases near the probe of its or a related problem: their index entries, by the indexed keys (2 equality queries in parallel); exported for the bench. */
export async function nearbyOpen(models: Pick<Models, 'conn'>, probe: RelatedProbe): Promise<Candidate[]> {
  const M = relatedIndexModel(models);
  const lists = await Promise.all(probeKeys(probe).map((k) => M.find({ relKeys: compactKey(k) }, { d: 1 }).lean<Pick<StoredEntry, '_id' | 'd'>[]>()));
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const d of lists.flat()) {
    const id = String(d._id);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(unpackEntry(d));
  }
  return out;
}

type Candidate = ReturnType<typeof unpackEntry>;

/**
 * The open cases probably about the same problem, best first. Scored from four signals:
 * type (same 1, related 0.6, else not a candidate; a case or probe without a type falls back to the
 * category), place (pins: closer is better within `radiusM`; no pin on either side: same subdistrict),
 * words (TF-IDF cosine) and recency within the window.
 */
export async function findRelated(models: Pick<Models, 'conn' | 'Case'>, probe: RelatedProbe, opts: RelatedOptions = {}): Promise<RelatedCandidate[]> {
  const { limit = 5, windowDays = 60, radiusM = 500, minScore = DEFAULT_MIN_SCORE } = opts;
  const loc = probe.location;
  if (!hasPin(loc) && !loc.subdistrictCode) return [];
  const since = probe.at.getTime() - windowDays * 86_400_000;
  const [docs, idf] = await Promise.all([nearbyOpen(models, probe), opts.idf ? Promise.resolve(opts.idf) : currentIdf(models, probe.at)]);
  const probeVec = vector(probe.description, idf);
  const out: RelatedCandidate[] = [];
  for (const d of docs) {
    if (opts.excludeCaseId && String(d._id) === opts.excludeCaseId) continue;
    if (!isOpenStatus(d.status)) continue;
    const received = new Date(d.receivedAt).getTime();
    if (received < since || received > probe.at.getTime() + 86_400_000) continue;
    const affinity = probe.problemType && d.problemType ? typeAffinity(probe.problemType, d.problemType) : (d.category === probe.category ? 0.6 : 0);
    if (affinity === 0) continue;
    let dist: number | undefined;
    let place: number;
    if (hasPin(loc) && hasPin(d)) {
      dist = distanceM(loc, d);
      if (dist > radiusM) continue;
      place = 1 - 0.5 * (dist / radiusM);
    } else {
      if (!loc.subdistrictCode || d.subdistrictCode !== loc.subdistrictCode) continue;
      place = 0.5;
    }
    const text = cosine(probeVec, vector(d.description ?? '', idf, String(d._id)));
    // A related type is another problem unless the words say it is the same one (rubbish blocking the drain).
    if (affinity < 1 && text < RELATED_TYPE_MIN_TEXT) continue;
    const recency = 1 - (probe.at.getTime() - received) / (windowDays * 86_400_000);
    const score = 0.3 * affinity + 0.2 * place + 0.4 * text + 0.1 * Math.max(0, Math.min(1, recency));
    if (score < minScore) continue;
    const shared = sharedWords(probe.description, d.description ?? '', idf);
    out.push({
      caseId: String(d._id), trackingNo: d.trackingNo, problemType: d.problemType ?? undefined, category: d.category,
      status: d.status, receivedAt: new Date(received), subdistrictCode: d.subdistrictCode ?? undefined,
      subdistrictName: d.subdistrictName ?? undefined, districtName: d.districtName ?? undefined,
      distanceM: dist === undefined ? undefined : Math.round(dist), textSimilarity: text, score, supporterCount: d.supporterCount ?? 1,
      unitCode: d.unitCode, concernedUnitCode: d.concernedUnitCode ?? undefined, description: d.description ?? '',
      reasons: [
        affinity === 1 ? 'same_type' : probe.problemType && d.problemType ? 'related_type' : 'same_category',
        dist !== undefined ? `within_${Math.max(50, Math.ceil(dist / 50) * 50)}m` : 'same_subdistrict',
        ...(shared.length ? [`words:${shared.slice(0, 3).join(',')}`] : []),
      ],
    });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}

/** The words both texts use, the most telling (rarest) first. */
function sharedWords(a: string, b: string, idf: Idf): string[] {
  const bs = new Set(terms(b));
  return [...new Set(terms(a))].filter((w) => bs.has(w)).sort((x, y) => idf.weight(y) - idf.weight(x));
}
