/**
 * Problem types that are often the same trouble seen from two sides: a blocked drain reported as
 * rubbish and as flooding, a dark street as a street light and as a power cut. A candidate of a
 * related type counts, with less weight than one of the same type; any other pair never does.
 */
const PAIRS: readonly [string, string][] = [
  ['flooding', 'rubbish'],
  ['street_light', 'electricity'],
  ['road', 'flooding'],
  ['road', 'state_project'],
  ['flooding', 'water_supply'],
  ['nuisance', 'rubbish'],
  ['traffic', 'road'],
  ['safety_drugs', 'nuisance'],
  ['land', 'road'],
];

const related = new Map<string, Set<string>>();
for (const [a, b] of PAIRS) {
  if (!related.has(a)) related.set(a, new Set());
  if (!related.has(b)) related.set(b, new Set());
  related.get(a)!.add(b);
  related.get(b)!.add(a);
}

/** 1 for the same type, 0.6 for a related pair, 0 otherwise. */
export function typeAffinity(a: string, b: string): number {
  if (a === b) return 1;
  return related.get(a)?.has(b) ? 0.6 : 0;
}

export function relatedTypesOf(code: string): string[] {
  return [...(related.get(code) ?? [])];
}
