/**
 * Related complaints: open cases that are probably the same problem as a new report (same or related
 * type, near the same place, recent, described in similar words). The citizen is offered to join one
 * ("แจ้งด้วย") instead of filing twice; officers see them as "possibly related".
 *
 * This is the contract every caller uses (`findRelated`). The first implementation reads the open
 * cases of the probe's district and scores them in memory.
 */
import { OPEN_STATUSES } from '../categories.ts';
import type { CaseDoc, Models } from '../models/index.ts';

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
  /** Word overlap of the descriptions, 0..1. */
  textSimilarity: number;
  /** The overall score the list is ordered by, 0..1. */
  score: number;
  supporterCount: number;
}

export interface RelatedOptions {
  /** Leave this case out (the officer's own case). */
  excludeCaseId?: string;
  limit?: number;
  /** How far back an open case still counts, in days. */
  windowDays?: number;
  /** How far apart two pins may be, in metres. */
  radiusM?: number;
}

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

export function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const s of segmenter.segment(text.toLowerCase())) if (s.isWordLike && s.segment.length > 1) out.add(s.segment);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad, dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export async function findRelated(models: Pick<Models, 'Case'>, probe: RelatedProbe, opts: RelatedOptions = {}): Promise<RelatedCandidate[]> {
  const { limit = 5, windowDays = 60, radiusM = 500 } = opts;
  if (!probe.location.districtCode) return [];
  const since = new Date(probe.at.getTime() - windowDays * 86_400_000);
  const docs = await models.Case.find(
    { 'location.districtCode': probe.location.districtCode, status: { $in: OPEN_STATUSES }, receivedAt: { $gte: since } },
    { trackingNo: 1, problemType: 1, category: 1, status: 1, receivedAt: 1, location: 1, description: 1, supporterCount: 1 },
  ).lean<CaseDoc[]>();
  const probeWords = words(probe.description);
  const out: RelatedCandidate[] = [];
  for (const d of docs) {
    if (opts.excludeCaseId && String(d._id) === opts.excludeCaseId) continue;
    const sameType = probe.problemType ? d.problemType === probe.problemType : d.category === probe.category;
    const loc = d.location ?? {};
    const sameSub = !!probe.location.subdistrictCode && loc.subdistrictCode === probe.location.subdistrictCode;
    const dist = probe.location.lat != null && probe.location.lng != null && loc.lat != null && loc.lng != null
      ? distanceM({ lat: probe.location.lat, lng: probe.location.lng }, { lat: loc.lat, lng: loc.lng }) : undefined;
    const near = dist != null ? dist <= radiusM : sameSub;
    if (!near) continue;
    const text = jaccard(probeWords, words(d.description ?? ''));
    if (!sameType && text < 0.3) continue;
    const score = (sameType ? 0.5 : 0) + 0.5 * text;
    out.push({
      caseId: String(d._id), trackingNo: d.trackingNo, problemType: d.problemType ?? undefined, category: d.category,
      status: d.status, receivedAt: d.receivedAt ?? new Date(0), subdistrictCode: loc.subdistrictCode ?? undefined,
      subdistrictName: loc.subdistrictName ?? undefined, districtName: loc.districtName ?? undefined,
      distanceM: dist, textSimilarity: text, score, supporterCount: d.supporterCount ?? 1,
    });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}
