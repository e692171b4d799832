import { mongo } from 'mongoose';
import type { LineClient } from '../shared/line/client.ts';
import type { Models } from '../shared/models/index.ts';
import type { DraftPhoto } from './conversation/types.ts';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const IMAGE_TYPES = /^image\/(jpeg|png|webp|heic|heif|gif)$/;

/** Photo files live in GridFS (bucket "attachments"), next to the cases that point at them. */
export function attachmentsBucket(models: Models): mongo.GridFSBucket {
  return new mongo.GridFSBucket(models.conn.db!, { bucketName: 'attachments' });
}

/**
 * Fetches the image a citizen sent from LINE's content API and stores it. Keyed by LINE message id,
 * so a retried job finds the file it stored the first time instead of storing it twice.
 */
export function imageStore(models: Models, line: LineClient) {
  return async (messageId: string, userId: string): Promise<DraftPhoto> => {
    const files = models.conn.db!.collection('attachments.files');
    // By file name (top-level, indexed by GridFS): FerretDB reads every file for a dotted field in a find.
    const existing = await files.findOne({ filename: `line-${messageId}`, 'metadata.lineMessageId': messageId });
    if (existing) return { fileId: String(existing._id), contentType: String(existing.metadata?.contentType), size: Number(existing.length), lineMessageId: messageId };
    const { data, contentType } = await line.getContent(messageId);
    const type = contentType.split(';')[0].trim().toLowerCase();
    if (!IMAGE_TYPES.test(type)) throw new Error(`not an image: ${type}`);
    if (data.length > MAX_IMAGE_BYTES) throw new Error(`image too large: ${data.length} bytes`);
    const upload = attachmentsBucket(models).openUploadStream(`line-${messageId}`, { metadata: { lineMessageId: messageId, contentType: type, uploadedBy: userId } });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(data);
    });
    return { fileId: String(upload.id), contentType: type, size: data.length, lineMessageId: messageId };
  };
}

/**
 * Deletes photos of a draft that will never become a case (consent declined, cancelled): they may
 * show a person or a home, and nothing else points at them. A file already gone is fine.
 */
export async function deletePhotos(models: Models, photos: Pick<DraftPhoto, 'fileId'>[]): Promise<void> {
  const bucket = attachmentsBucket(models);
  for (const p of photos) {
    if (!mongo.ObjectId.isValid(p.fileId)) continue;
    await bucket.delete(new mongo.ObjectId(p.fileId)).catch((err: Error) => {
      if (!/not found|FileNotFound/i.test(err.message)) throw err;
    });
  }
}
