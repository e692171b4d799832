/**
 * Who a partner request comes from. The key may come as `X-Api-Key`, `Authorization: Bearer`, or —
 * as GeoReport v2 clients send it — an `api_key` query or form field. A header wins over a field.
 */
import type { Request } from 'express';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { systemClock } from '../shared/clock.ts';
import type { Models } from '../shared/models/index.ts';
import { verifyApiKey } from './apiKeys.ts';

export type ApiKeyAuthenticate = (req: Request) => Promise<Principal | null>;

/** The key a request presents, if any (not yet verified). */
export function presentedKey(req: Request): string | undefined {
  const header = req.get('x-api-key');
  if (header) return header.trim();
  const auth = req.get('authorization');
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.api_key;
  if (typeof fromQuery === 'string') return fromQuery;
  const fromBody = (req.body as Record<string, unknown> | undefined)?.api_key;
  if (typeof fromBody === 'string') return fromBody;
  return undefined;
}

/**
 * `apiKeyAuthenticate(req)` for any router that serves partners (Open311, /api/v1, reports):
 * the partner principal of a live key, or null. Every call reads the key record (by `_id`), so a
 * revoked key is refused on the very next request.
 */
export function createApiKeyAuthenticator(models: Models, clock: Clock = systemClock): ApiKeyAuthenticate {
  return async (req) => {
    const key = presentedKey(req);
    if (!key) return null;
    const doc = await verifyApiKey(models, key, clock);
    if (!doc) return null;
    return { kind: 'partner', apiKeyId: doc._id, name: doc.name, unitCode: doc.unitCode };
  };
}
