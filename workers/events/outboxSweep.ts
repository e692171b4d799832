/**
 * The outbox sweep, run by every worker at start and then periodically: each outbox entry older than
 * a short grace period gets what it is missing. A consumer done with it is skipped; a consumer whose
 * job Redis no longer has (restart without persistence, flush, the web process died before queuing)
 * is queued again under the same job id; a job that used up its tries is retried, until the event
 * is OUTBOX_GIVE_UP_MS old and dropped with an error in the log. Events every consumer is done with
 * leave the outbox. Several workers sweeping at once queue nothing twice (job ids).
 */
import type { CaseEvent } from '../../shared/cases/events.ts';
import { consumedBy, dropFromOutbox, EVENT_CONSUMERS, markConsumed } from '../../shared/cases/outbox.ts';
import { fromStored } from '../../shared/cases/publish.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Models } from '../../shared/models/index.ts';
import type { RunningConsumers } from './consumer.ts';

/** Time for the normal path (publish → consumers) to finish before the sweep steps in. */
export const OUTBOX_GRACE_MS = 30_000;
export const OUTBOX_SWEEP_EVERY_MS = 60_000;
/** Past this an event is given up (its consumer markers are kept a day: see shared/cases/outbox.ts). */
export const OUTBOX_GIVE_UP_MS = 20 * 3600_000;

export interface SweepResult { cases: number; queued: number; retried: number; settled: number; dropped: number }

export async function sweepOutbox(deps: { models: Models; log: Logger }, consumers: RunningConsumers, opts: { graceMs?: number } = {}): Promise<SweepResult> {
  const grace = opts.graceMs ?? OUTBOX_GRACE_MS;
  const r: SweepResult = { cases: 0, queued: 0, retried: 0, settled: 0, dropped: 0 };
  const now = Date.now();
  const cursor = deps.models.Case.find({ hasOutbox: true }, { pendingEvents: 1 }).lean().cursor();
  for await (const c of cursor) {
    r.cases++;
    const finished: string[] = [];
    for (const stored of c.pendingEvents ?? []) {
      const since = new Date(stored.queuedAt ?? stored.at).getTime();
      if (now - since < grace) continue;
      const event = fromStored(stored);
      const done = await consumedBy(deps.models, event.id);
      const missing = EVENT_CONSUMERS.filter((x) => !done.has(x));
      if (!missing.length) { finished.push(event.id); continue; }
      if (now - since > OUTBOX_GIVE_UP_MS) {
        deps.log.error({ event: event.id, type: event.type, case: event.trackingNo, consumers: missing }, 'domain event given up: consumers never finished (their failed jobs stay in the queues)');
        finished.push(event.id);
        r.dropped++;
        continue;
      }
      const requeue: typeof missing = [];
      for (const name of missing) {
        const queue = consumers.queues.get(name);
        if (!queue) continue;
        const state = await queue.getJobState(event.id);
        if (state === 'unknown') requeue.push(name);
        else if (state === 'completed') await markConsumed(deps.models, name, event.id); // done, marker lost or not yet visible
        else if (state === 'failed') {
          await (await queue.getJob(event.id))?.retry('failed').catch(() => undefined);
          r.retried++;
        }
      }
      if (requeue.length) {
        await consumers.enqueue([event as CaseEvent], requeue);
        r.queued += requeue.length;
      }
    }
    // An empty outbox still flagged (a backfill racing a consumer) is only unflagged.
    if (finished.length || !(c.pendingEvents ?? []).length) {
      await dropFromOutbox(deps.models, String(c._id), finished);
      r.settled += finished.length;
    }
  }
  return r;
}

/** Sweeps now and then every `everyMs`, one pass at a time; `stop` waits for a pass under way. */
export function startOutboxSweeper(deps: { models: Models; log: Logger }, consumers: RunningConsumers, opts: { everyMs?: number; graceMs?: number } = {}) {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pass = (grace?: number) => {
    running = running.then(() => (stopped ? undefined : sweepOutbox(deps, consumers, { graceMs: grace ?? opts.graceMs }).then((r) => {
      if (r.queued || r.retried || r.dropped) deps.log.info(r, 'outbox sweep');
    }))).catch((err) => deps.log.warn({ err: (err as Error).message }, 'outbox sweep failed'));
    return running;
  };
  const timer = setInterval(() => { void pass(); }, opts.everyMs ?? OUTBOX_SWEEP_EVERY_MS);
  timer.unref();
  return {
    /** One pass now (at start: grace 0, since whatever is in the outbox was left by a process that is gone or slow). */
    sweep: (graceMs?: number) => pass(graceMs),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
