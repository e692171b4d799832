/**
 * Domain commands answer `{ ok: true, … }` or `{ ok: false, reason }` (shared/cases/caseUpdate.ts);
 * a route turns each reason into the HTTP failure the caller sees. `orThrow` is that step, declared
 * as a map: every reason the command can give must be mapped (a new reason fails to compile until
 * the routes say what it means).
 */
import type { HttpError } from './errors.ts';

type Failure<R> = Extract<R, { ok: false }>;
type Reason<R> = Failure<R> extends { reason: infer K extends string } ? K : never;

/** The HTTP error each failure reason becomes; given the failure (its `case`, say) when that matters. */
export type ReasonMap<R> = { [K in Reason<R>]: (failure: Failure<R> & { reason: K }) => HttpError };

/** The success, or throws the mapped error (the registry's error handler writes it). */
export function orThrow<R extends { ok: boolean; reason?: string }>(result: R, map: ReasonMap<R>): Extract<R, { ok: true }> {
  if (result.ok) return result as Extract<R, { ok: true }>;
  const failure = result as unknown as Failure<R> & { reason: Reason<R> };
  throw (map[failure.reason] as (f: typeof failure) => HttpError)(failure);
}
