import { mongo } from 'mongoose';
import type { Models } from '../models/index.ts';

/** Deletes photos from GridFS (bucket "attachments"); one already gone is not an error. Returns how many went. */
export async function deleteFiles(models: Models, fileIds: (string | mongo.ObjectId)[]): Promise<number> {
  const bucket = new mongo.GridFSBucket(models.conn.db!, { bucketName: 'attachments' });
  let n = 0;
  for (const id of fileIds) {
    const oid = typeof id === 'string' ? (/^[0-9a-f]{24}$/.test(id) ? new mongo.ObjectId(id) : null) : id;
    if (!oid) continue;
    try {
      await bucket.delete(oid);
      n++;
    } catch (err) {
      if (!/not found|FileNotFound/i.test((err as Error).message)) throw err;
    }
  }
  return n;
}
