import { mayRead, seesWholeCountry, unitAndDescendants, type Principal } from '../shared/auth/principal.ts';
import type { CaseDoc, Models } from '../shared/models/index.ts';

type Partner = Extract<Principal, { kind: 'partner' }>;

/** Prefix of the idempotency key of every case a partner key filed (exchange/open311.ts). */
export function partnerIntakePrefix(apiKeyId: string): string {
  return `partner:${apiKeyId}:`;
}

/**
 * Cases a key may read: those of its unit and the units under it, and the ones it filed itself
 * (a complaint it sent may be routed elsewhere — to the province above, say — and it still wants
 * to follow it).
 */
export async function caseScopeFilter(models: Models, p: Partner): Promise<Record<string, unknown>> {
  if (seesWholeCountry(p)) return {};
  const units = await unitAndDescendants(models, p.unitCode);
  // apiKeyId is `ak_` + hex (exchange/apiKeys.ts): nothing in it is special to a regex.
  return { $or: [{ unitCode: { $in: units } }, { idempotencyKey: { $regex: `^${partnerIntakePrefix(p.apiKeyId)}` } }] };
}

export async function mayReadCase(models: Models, p: Partner, c: Pick<CaseDoc, 'unitCode' | 'idempotencyKey'>): Promise<boolean> {
  if (c.idempotencyKey?.startsWith(partnerIntakePrefix(p.apiKeyId))) return true;
  return mayRead(models, p, c.unitCode);
}

/** `$and` of the non-empty conditions (the whole-country scope is `{}`), or `{}`. */
export function andOf(conditions: Record<string, unknown>[]): Record<string, unknown> {
  const real = conditions.filter((c) => Object.keys(c).length > 0);
  return real.length === 0 ? {} : real.length === 1 ? real[0] : { $and: real };
}
