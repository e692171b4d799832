import type { Queue } from 'bullmq';
import type { Models } from './models/index.ts';
import { LINE_EVENT_JOB_OPTIONS, chatIdOf, shardOf, type LineEventJob, type Queues } from './queues.ts';

/**
 * The dead-letter store: what the worker could not route or handle after its retries, with the
 * reason, so that one bad event never holds up the others and none is silently dropped.
 *
 * Kept in MongoDB (the `dead_letters` collection), not Redis: a dead letter is what an operator
 * still has to look at, and must outlive a Redis that restarts empty. A copy of each (reason and
 * shape, no content) sits in the `dead-letters` queue, so /admin/queues shows them beside the
 * queues they came from; `npm run cli -- deadletter list|redrive <id>` works on the MongoDB copy.
 */
export const DEAD_LETTERS_COLLECTION = 'dead_letters';

export type DeadLetterKind =
  /** A webhook event its shard worker gave up on. Redrivable. */
  | 'line-event'
  /** An intake stream entry that could not be read or turned into jobs. Kept for inspection only. */
  | 'intake-entry';

export interface DeadLetter {
  /** `line:<webhookEventId>` or `intake:<stream entry id>`. */
  _id: string;
  kind: DeadLetterKind;
  reason: string;
  /** Attempts made before giving up. */
  attempts: number;
  at: Date;
  /** Event type and source type: enough to see what it was without reading personal data. */
  summary: string;
  /**
   * The job (or raw entry) as JSON text. Text, not a sub-document: LINE events carry maps with
   * user-chosen keys (postback params), which a document may not hold as keys.
   */
  payload: string;
  /** Set when redriven; a redriven event that fails again is dead-lettered afresh (cleared). */
  redrivenAt: Date | null;
  redrives: number;
}

export const DEAD_LETTER_QUEUE = 'dead-letters';

/** BullMQ refuses custom job ids with one ':' in them. */
export const boardJobId = (id: string) => id.replace(/:/g, '_');

function collection(models: Models) {
  return models.conn.collection<DeadLetter>(DEAD_LETTERS_COLLECTION);
}

export function summaryOf(job: Partial<LineEventJob> | undefined): string {
  const e = job?.event as { type?: unknown; source?: { type?: unknown } } | undefined;
  return `${typeof e?.type === 'string' ? e.type : '?'} from ${typeof e?.source?.type === 'string' ? e.source.type : 'no source'}`;
}

/**
 * Records a dead letter (again, if the same event fails after a redrive: the newest reason wins).
 * Written by `_id` alone. The board copy is best effort: MongoDB is the record.
 */
export async function deadLetter(models: Models, board: Queue | undefined, dl: Omit<DeadLetter, 'redrivenAt' | 'redrives' | 'at'> & { at?: Date }): Promise<void> {
  const at = dl.at ?? new Date();
  const prev = await collection(models).findOne({ _id: dl._id }, { projection: { redrives: 1 } });
  await collection(models).replaceOne({ _id: dl._id }, { ...dl, at, redrivenAt: null, redrives: prev?.redrives ?? 0 }, { upsert: true });
  if (board) {
    await board.remove(boardJobId(dl._id)).catch(() => 0);
    await board.add('dead-letter', { id: dl._id, kind: dl.kind, reason: dl.reason, attempts: dl.attempts, summary: dl.summary, at: at.toISOString() }, { jobId: boardJobId(dl._id) }).catch(() => undefined);
  }
}

export async function listDeadLetters(models: Models, opts: { all?: boolean; limit?: number } = {}): Promise<DeadLetter[]> {
  return collection(models).find(opts.all ? {} : { redrivenAt: null }).sort({ at: 1 }).limit(opts.limit ?? 1000).toArray() as Promise<DeadLetter[]>;
}

export async function countDeadLetters(models: Models): Promise<Map<DeadLetterKind, number>> {
  const rows = await collection(models).aggregate<{ _id: DeadLetterKind; n: number }>([
    { $match: { redrivenAt: null } },
    { $group: { _id: '$kind', n: { $sum: 1 } } },
  ]).toArray();
  return new Map(rows.map((r) => [r._id, r.n]));
}

export class RedriveError extends Error {
  override name = 'RedriveError';
}

/**
 * Puts a dead-lettered webhook event back on its chat's shard queue, under its own id (the old job,
 * kept for redelivery checks, is removed first). The turn logic still applies it at most once
 * (Conversation.lastEventId), and not at all once the chat has moved on (a later turn was applied):
 * an old "start a complaint" replayed into the middle of the next one would only confuse.
 */
export async function redriveDeadLetter(models: Models, queues: Pick<Queues, 'lineEvents' | 'deadLetters'>, id: string): Promise<DeadLetter> {
  const dl = await collection(models).findOne({ _id: id }) as DeadLetter | null;
  if (!dl) throw new RedriveError(`ไม่พบ ${id} / no dead letter ${id}`);
  if (dl.kind !== 'line-event') throw new RedriveError(`${id}: ${dl.kind} cannot be redriven (อ่านข้อมูลไม่ได้ จึงส่งซ้ำไม่ได้); it stays listed for inspection`);
  const job = JSON.parse(dl.payload) as LineEventJob;
  const queue = queues.lineEvents[shardOf(chatIdOf(job.event), queues.lineEvents.length)];
  const jobId = job.event.webhookEventId;
  const state = await queue.getJobState(jobId);
  if (state === 'active' || state === 'waiting' || state === 'delayed' || state === 'prioritized') throw new RedriveError(`${id} is already queued (${state}) / อยู่ในคิวแล้ว`);
  await queue.remove(jobId).catch(() => 0);
  await queue.add(job.event.type, { ...job, redriven: true }, { ...LINE_EVENT_JOB_OPTIONS, jobId });
  const redone = { redrivenAt: new Date(), redrives: (dl.redrives ?? 0) + 1 };
  await collection(models).updateOne({ _id: id }, { $set: redone });
  await queues.deadLetters.remove(boardJobId(id)).catch(() => 0);
  return { ...dl, ...redone };
}
