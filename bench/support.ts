/** What every benchmark script shares: positive-number env knobs, a seeded random source, number formatting and a timestamped log. */

export function num(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return Math.round(n);
}

export const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const benchLog = (name: string) => (...a: unknown[]) => console.error(`[${name} ${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
export function seededRandom(start = 0x5eed) {
  let seed = start;
  const rand = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return { rand, pick };
}
