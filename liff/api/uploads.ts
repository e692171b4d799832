import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { mongo } from 'mongoose';
import { HttpError } from '../../shared/http/errors.ts';
import { tooLarge, unsupportedMedia } from './errors.ts';

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'heif']);
/** Bytes needed to tell the four formats apart. */
const SNIFF_BYTES = 12;

/** The image type the bytes say they are (magic numbers), whatever the name or header claims. */
export function sniffImageType(head: Buffer): ImageType | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp' && HEIF_BRANDS.has(head.toString('latin1', 8, 12))) return 'image/heic';
  return undefined;
}

/** The declared Content-Type, if it is one we take (`image/heif` counts as HEIC). */
function declaredType(header: string | undefined): ImageType | undefined {
  const t = (header ?? '').split(';')[0].trim().toLowerCase();
  const type = t === 'image/heif' ? 'image/heic' : t;
  return (IMAGE_TYPES as readonly string[]).includes(type) ? (type as ImageType) : undefined;
}

export interface ReceiveImageOptions {
  maxBytes: number;
  bucket: mongo.GridFSBucket;
  /** Kept with the file (who uploaded it, from where). */
  metadata: Record<string, unknown>;
}

/**
 * Streams a raw image body into GridFS without holding it in memory. The type is decided by the
 * first bytes and must agree with the Content-Type (a PNG sent as image/jpeg, or a renamed PDF, is
 * 415). Past `maxBytes` the GridFS upload is aborted (its chunks deleted) and the answer is 413 at
 * once; the rest of the body is discarded and the connection closed.
 */
export function receiveImage(req: Request, opts: ReceiveImageOptions): Promise<{ id: string; contentType: ImageType; size: number }> {
  const declared = declaredType(req.get('content-type'));
  const length = Number(req.get('content-length'));
  return new Promise((resolve, reject) => {
    let settled = false;
    let size = 0;
    let head: Buffer = Buffer.alloc(0);
    let type: ImageType | undefined;
    let upload: mongo.GridFSBucketWriteStream | undefined;
    // Chunk inserts still on their way to the database; the abort waits for them, or a late insert
    // would leave a stray chunk behind after the abort's delete.
    let writing = 0;
    let idle: (() => void) | undefined;
    const written = () => { if (--writing === 0) idle?.(); };

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.resume(); // discard whatever is still coming
      const u = upload;
      if (!u) return reject(err);
      const quiet = writing ? new Promise<void>((r) => { idle = r; }) : Promise.resolve();
      quiet.then(() => u.abort()).catch(() => undefined).finally(() => reject(err));
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > opts.maxBytes) return fail(tooLarge('รูปใหญ่เกิน 10 MB', 'The image is larger than 10 MB.'));
      let data = chunk;
      if (!upload) {
        head = Buffer.concat([head, chunk]);
        if (head.length < SNIFF_BYTES) return;
        type = sniffImageType(head);
        if (!type || type !== declared) return fail(unsupportedMedia());
        upload = opts.bucket.openUploadStream(`liff-${randomBytes(8).toString('hex')}`, { metadata: { ...opts.metadata, contentType: type } });
        upload.on('error', fail);
        data = head;
      }
      writing++;
      if (!upload.write(data, written)) {
        req.pause();
        upload.once('drain', () => req.resume());
      }
    };
    const onEnd = () => {
      if (settled) return;
      if (!upload) {
        if (size === 0) return fail(new HttpError(400, 'ไม่ได้แนบไฟล์รูป', 'No image was sent.'));
        return fail(unsupportedMedia());
      }
      upload.once('finish', () => {
        if (settled) return;
        settled = true;
        resolve({ id: String(upload!.id), contentType: type!, size });
      });
      upload.end();
    };

    if (!declared) return fail(unsupportedMedia());
    if (Number.isFinite(length) && length > opts.maxBytes) return fail(tooLarge('รูปใหญ่เกิน 10 MB', 'The image is larger than 10 MB.'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', fail);
    req.once('aborted', () => fail(new HttpError(400, 'การอัปโหลดถูกยกเลิก', 'The upload was interrupted.')));
  });
}
