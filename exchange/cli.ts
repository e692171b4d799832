/** `npm run cli -- apikey …` and `webhook …`: what an administrator does for a partner agency. */
import { systemClock } from '../shared/clock.ts';
import { ConfigError, loadConfigPart } from '../shared/config.ts';
import type { Models } from '../shared/models/index.ts';
import { seedUnits } from '../shared/units/seed.ts';
import { ApiKeyError, createApiKey, listApiKeys, revokeApiKey } from './apiKeys.ts';
import { initExchangeModels } from '../shared/partners/models.ts';
import { addSubscription, listSubscriptions, removeSubscription, WebhookError } from './webhooks.ts';

export const EXCHANGE_USAGE = `  apikey create --unit <code> --name <agency>
      creates a partner API key scoped to the unit and the units under it; prints the key ONCE
  apikey list
      id, agency, unit, created, last used, revoked
  apikey revoke <id>
      the key stops working at once
  webhook add --key <apikey id> --url <https url> [--events case.created,case.status_changed,case.closed]
      subscribes the key to case events; prints the signing secret ONCE
  webhook list [--key <apikey id>]
  webhook remove <id>`;

/** One-line errors for the admin, like configuration errors (no stack). */
class ExchangeUsageError extends ConfigError {
  override name = 'UsageError';
}

const day = (d: unknown) => (d ? new Date(String(d instanceof Date ? d.toISOString() : d)).toISOString().slice(0, 19) + 'Z' : '-');

/** Runs the command; false when it is not one of ours. */
export async function exchangeCommand(models: Models, group: string, command: string | undefined, arg: string | undefined, values: Record<string, string | undefined>): Promise<boolean> {
  await initExchangeModels(models.conn);
  try {
    if (group === 'apikey' && command === 'create') {
      if (!values.unit) throw new ExchangeUsageError('--unit is required (รหัสหน่วยงาน เช่น 5001, 50, MOI)');
      if (!values.name) throw new ExchangeUsageError('--name is required (ชื่อหน่วยงานคู่ความร่วมมือ)');
      await seedUnits(models);
      const k = await createApiKey(models, { unitCode: values.unit, name: values.name });
      console.log(k.key);
      console.log(`(id ${k.id}, ${k.name}, unit ${k.unitCode} and the units under it. This is the only time the key is shown: give it to the agency now. / แสดงครั้งเดียวเท่านั้น)`);
      return true;
    }
    if (group === 'apikey' && command === 'list') {
      const keys = await listApiKeys(models);
      if (!keys.length) console.log('no API keys (ยังไม่มี API key)');
      for (const k of keys) console.log([k._id, k.unitCode, JSON.stringify(k.name), `created ${day(k.createdAt)}`, `last used ${day(k.lastUsedAt)}`, k.revokedAt ? `REVOKED ${day(k.revokedAt)}` : 'active'].join('  '));
      return true;
    }
    if (group === 'apikey' && command === 'revoke') {
      if (!arg) throw new ExchangeUsageError('usage: apikey revoke <id> / ต้องระบุ id');
      if (!(await revokeApiKey(models, arg, systemClock))) throw new ExchangeUsageError(`no active API key ${JSON.stringify(arg)} (see apikey list) / ไม่พบ key`);
      console.log(`revoked ${arg} (เพิกถอนแล้ว)`);
      return true;
    }
    if (group === 'webhook' && command === 'add') {
      if (!values.key || !values.url) throw new ExchangeUsageError('--key and --url are required / ต้องระบุ --key และ --url');
      const { PARTNER_WEBHOOK_ALLOW_HTTP } = loadConfigPart(['PARTNER_WEBHOOK_ALLOW_HTTP']);
      const s = await addSubscription(models, { apiKeyId: values.key, url: values.url, events: values.events?.split(',').map((e) => e.trim()).filter(Boolean), allowHttp: PARTNER_WEBHOOK_ALLOW_HTTP });
      console.log(s.secret);
      console.log(`(subscription ${s.id} → ${s.url}, events ${s.events.join(', ')}. The signing secret above is shown only now. / secret แสดงครั้งเดียว)`);
      return true;
    }
    if (group === 'webhook' && command === 'list') {
      const subs = await listSubscriptions(models, values.key);
      if (!subs.length) console.log('no webhook subscriptions (ยังไม่มี)');
      for (const s of subs) console.log([s._id, s.apiKeyId, s.url, (s.events ?? []).join(','), s.active === false ? 'paused' : 'active'].join('  '));
      return true;
    }
    if (group === 'webhook' && command === 'remove') {
      if (!arg) throw new ExchangeUsageError('usage: webhook remove <id>');
      if (!(await removeSubscription(models, arg))) throw new ExchangeUsageError(`no subscription ${JSON.stringify(arg)} / ไม่พบ`);
      console.log(`removed ${arg}`);
      return true;
    }
  } catch (err) {
    if (err instanceof ApiKeyError || err instanceof WebhookError) throw new ExchangeUsageError(err.message);
    throw err;
  }
  return false;
}
