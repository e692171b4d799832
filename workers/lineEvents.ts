import { WaitingError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { deadLetter, summaryOf } from '../shared/deadLetters.ts';
import { lineFailure } from '../shared/line/client.ts';
import type { Logger } from '../shared/logger.ts';
import type { Models } from '../shared/models/index.ts';
import { QUEUE_NAMES, type LineEventJob, type Queues } from '../shared/queues.ts';

/**
 * How a turn is retried. Inside the job, not by BullMQ: a job BullMQ retries goes back to wait
 * behind the chat's next turn (the shard takes the next waiting job), so a reply that failed once
 * reordered the conversation. Retrying in place holds the shard, and so the chat's later turns,
 * until the turn succeeds or is dead-lettered.
 */
export interface LineEventRetry {
  /** Tries for a failure not known to pass (a bug, bad data); then dead-lettered. */
  attempts: number;
  /**
   * How long a turn keeps trying through failures that pass by themselves (LINE 429/5xx, network,
   * database or Redis unavailable) before it is dead-lettered.
   */
  budgetMs: number;
  /** Exponential backoff: base and cap. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** LINE's Retry-After is honoured up to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_LINE_EVENT_RETRY: LineEventRetry = {
  attempts: 3,
  budgetMs: 15 * 60_000,
  baseDelayMs: 1_000,
  // Short: once LINE (or the database) is back, a waiting shard answers within this; a retry every
  // 10 s per shard costs LINE nothing during an outage.
  maxDelayMs: 10_000,
  maxRetryAfterMs: 5 * 60_000,
};

type Failure = { kind: 'transient'; retryAfterMs?: number } | { kind: 'permanent' } | { kind: 'unknown' };

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/** What a failure says about trying again. */
export function classify(err: unknown): Failure {
  const line = lineFailure(err);
  if (line) return line.retryable ? { kind: 'transient', ...(line.retryAfterMs !== undefined ? { retryAfterMs: line.retryAfterMs } : {}) } : { kind: 'permanent' };
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } } | undefined;
  const name = String(e?.name ?? '');
  const message = String(e?.message ?? '');
  if (/^Mongo|^MongooseServerSelection/.test(name)) return { kind: 'transient' };
  if (NETWORK_CODES.has(String(e?.code ?? e?.cause?.code ?? ''))) return { kind: 'transient' };
  if (message === 'fetch failed' || /Connection is closed|MaxRetriesPerRequest|ECONNREFUSED|Stream isn't writeable/.test(message)) return { kind: 'transient' };
  return { kind: 'unknown' };
}

export interface LineEventWorkers {
  workers: Worker<LineEventJob>[];
  close(): Promise<void>;
}

/** What a shard worker needs: the bot's turn handler (app/ hands it in) and where to dead-letter. */
export interface LineEventDeps {
  models: Models;
  handleLineEvent(job: LineEventJob): Promise<void>;
}

/**
 * One worker per shard, each running one job at a time across every worker process (the shard
 * queues' global concurrency, set and kept by workers/index.ts), so a chat's turns run in order.
 */
export function startLineEventWorkers(deps: LineEventDeps, opts: {
  connection: ConnectionOptions;
  prefix: string;
  queues: Pick<Queues, 'lineEvents' | 'deadLetters'>;
  log: Logger;
  retry?: Partial<LineEventRetry>;
}): LineEventWorkers {
  const retry = { ...DEFAULT_LINE_EVENT_RETRY, ...opts.retry };
  const log = opts.log;
  // Shutting down: a turn waiting to retry goes back to the head of its queue instead.
  const closing = new AbortController();

  const sleep = (ms: number) => new Promise<boolean>((resolve) => {
    if (closing.signal.aborted) return resolve(false);
    const onAbort = () => { clearTimeout(t); resolve(false); };
    const t = setTimeout(() => { closing.signal.removeEventListener('abort', onAbort); resolve(true); }, ms);
    closing.signal.addEventListener('abort', onAbort, { once: true });
  });

  async function handBack(job: Job<LineEventJob>, token: string | undefined): Promise<never> {
    // Back to the head of the wait list (BullMQ pushes it where the next job is taken from).
    await job.moveToWait(token);
    throw new WaitingError();
  }

  async function giveUp(job: Job<LineEventJob>, token: string | undefined, reason: string, attempts: number): Promise<void> {
    const entry = { _id: `line:${job.data.event?.webhookEventId ?? job.id}`, kind: 'line-event' as const, reason, attempts, summary: summaryOf(job.data), payload: JSON.stringify(job.data) };
    // The event must not vanish: keep trying to record it while the database is away.
    for (let n = 1; ; n++) {
      try {
        await deadLetter(deps.models, opts.queues.deadLetters, entry);
        log.error({ jobId: job.id, reason, attempts, summary: entry.summary }, 'webhook event dead-lettered');
        return;
      } catch (err) {
        log.warn({ jobId: job.id, err: (err as Error).message }, 'could not dead-letter a webhook event yet; retrying');
        if (!(await sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.min(n, 10))))) await handBack(job, token);
      }
    }
  }

  async function process(job: Job<LineEventJob>, token?: string): Promise<void> {
    const started = Date.now();
    let unknown = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.handleLineEvent(job.data);
        return;
      } catch (err) {
        if (closing.signal.aborted) await handBack(job, token);
        const f = classify(err);
        const message = (err as Error)?.message ?? String(err);
        let waitMs: number | undefined;
        if (f.kind === 'transient') {
          const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.min(attempt - 1, 20));
          waitMs = f.retryAfterMs !== undefined ? Math.min(retry.maxRetryAfterMs, Math.max(f.retryAfterMs, 0)) : backoff;
          if (Date.now() - started + waitMs > retry.budgetMs) waitMs = undefined;
        } else if (f.kind === 'unknown' && ++unknown < retry.attempts) {
          waitMs = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (unknown - 1));
        }
        if (waitMs === undefined) {
          const why = f.kind === 'permanent' ? 'refused' : f.kind === 'transient' ? `still failing after ${Math.round((Date.now() - started) / 1000)} s` : `failed ${unknown} times`;
          return giveUp(job, token, `${why}: ${message}`, attempt);
        }
        log.warn({ jobId: job.id, attempt, waitMs, err: message }, 'webhook event failed; retrying in place (the chat waits)');
        if (!(await sleep(waitMs))) await handBack(job, token);
      }
    }
  }

  const workers = opts.queues.lineEvents.map((_q, shard) => new Worker<LineEventJob>(
    QUEUE_NAMES.lineEvents(shard),
    process,
    // A shard runs one job at a time, so a job orphaned by a crash blocks its chats until found
    // stalled: a shorter lock and check than BullMQ's 30 s defaults keep that pause short. Several
    // stalls are tolerated (kill -9 of workers in a row) before the job fails and is dead-lettered.
    { connection: opts.connection, prefix: opts.prefix, concurrency: 1, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 },
  ));
  for (const w of workers) {
    // Only a processor that threw regardless, or a job that stalled too often, ends here: recorded,
    // so nothing is dropped in silence.
    w.on('failed', (job, err) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(err.message);
      log.warn({ queue: w.name, jobId: job.id, attempt: job.attemptsMade, final, err: err.message }, 'job failed');
      if (final) {
        deadLetter(deps.models, opts.queues.deadLetters, { _id: `line:${job.data?.event?.webhookEventId ?? job.id}`, kind: 'line-event', reason: err.message, attempts: job.attemptsMade, summary: summaryOf(job.data), payload: JSON.stringify(job.data) })
          .catch((e) => log.error({ jobId: job.id, err: (e as Error).message }, 'could not dead-letter a failed webhook event'));
      }
    });
    w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'worker error'));
  }
  return {
    workers,
    async close() {
      closing.abort();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
