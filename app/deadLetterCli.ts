import { loadConfigPart } from '../shared/config.ts';
import { listDeadLetters, redriveDeadLetter, RedriveError } from '../shared/deadLetters.ts';
import { connectDb } from '../shared/models/index.ts';
import { createQueues } from '../shared/queues.ts';

export const DEADLETTER_USAGE = `  deadletter list [--all]
      events set aside after their retries (reason, when, what kind); --all includes redriven ones
  deadletter redrive <id>
      puts a dead-lettered webhook event back on its chat's queue (applied at most once)`;

/** `npm run cli -- deadletter …`. Returns the exit code. */
export async function deadLetterCommand(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'list' && command !== 'redrive') {
    console.error(`Usage:\n${DEADLETTER_USAGE}`);
    return 2;
  }
  if (command === 'redrive' && !rest[0]) {
    console.error('usage: deadletter redrive <id> / ต้องระบุรหัส (จาก deadletter list)');
    return 2;
  }
  const { MONGODB_URI } = loadConfigPart(['MONGODB_URI'], env);
  const models = await connectDb(MONGODB_URI);
  try {
    if (command === 'list') {
      const all = await listDeadLetters(models, { all: rest.includes('--all') });
      if (!all.length) console.log('ไม่มีรายการค้าง / no dead letters');
      for (const d of all) {
        console.log([d._id, d.at.toISOString(), d.kind, d.summary, `attempts=${d.attempts}`, d.redrivenAt ? `redriven ${d.redrivenAt.toISOString()}` : 'pending', d.reason].join('\t'));
      }
      return 0;
    }
    const { REDIS_URL, QUEUE_PREFIX, EVENT_SHARDS } = loadConfigPart(['REDIS_URL', 'QUEUE_PREFIX', 'EVENT_SHARDS'], env);
    const queues = createQueues(REDIS_URL, QUEUE_PREFIX, EVENT_SHARDS);
    try {
      const d = await redriveDeadLetter(models, queues, rest[0]);
      console.log(`ส่งเข้าคิวอีกครั้งแล้ว / redriven: ${d._id} (${d.summary})`);
      return 0;
    } catch (err) {
      if (!(err instanceof RedriveError)) throw err;
      console.error(err.message);
      return 1;
    } finally {
      await queues.close();
    }
  } finally {
    await models.conn.close();
  }
}
