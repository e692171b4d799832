/** Tells citizens and officers what happened (LINE). Its retries during a LINE outage hold no other consumer. */
import { HTTPFetchError } from '@line/bot-sdk';
import type { Logger } from '../../shared/logger.ts';
import type { LineClient } from '../../shared/line/client.ts';
import { processDomainEvent, type NotifyDeps } from '../notify.ts';
import type { EventConsumerDef } from './consumer.ts';

/**
 * LINE refusing a send for good (400: no such user or a user who blocked the account, 403, 404) is
 * logged and passed over, so that one undeliverable citizen notice neither retries for hours nor
 * keeps the officers' alert of the same event from going out. Outages (5xx, 429, network) still throw.
 */
function passOverRefusals(line: LineClient, log: Logger): LineClient {
  const refused = (err: unknown) => err instanceof HTTPFetchError && [400, 403, 404].includes(err.status);
  const guard = (what: string, seed: string) => (err: unknown) => {
    if (!refused(err)) throw err;
    log.warn({ seed, status: (err as HTTPFetchError).status, err: (err as Error).message }, `LINE refused a ${what}: not retried`);
  };
  return {
    ...line,
    push: (to, messages, seed) => line.push(to, messages, seed).catch(guard('push', seed)),
    multicast: (to, messages, seed) => line.multicast(to, messages, seed).catch(guard('multicast', seed)),
  };
}

export function notifyConsumer(deps: NotifyDeps, concurrency?: number): EventConsumerDef {
  const notify = { ...deps, line: passOverRefusals(deps.line, deps.log) };
  return { name: 'notify', concurrency, handle: (event) => processDomainEvent(notify, event) };
}
