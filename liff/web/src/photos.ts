/**
 * Photos are checked by their bytes (not their name or the browser's guess), shrunk on the phone to
 * ≤ 1600 px JPEG (~0.8) so a cheap phone on 3G sends ~200–400 KB instead of 4 MB, and re-encoding
 * drops EXIF (GPS position, phone model) — which matters for anonymous tip-offs. HEIC often cannot be
 * decoded by the browser (Chromium cannot): it is then sent as it is, if ≤ 10 MB; the server checks
 * the bytes again.
 */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

export const MAX_BYTES = 10 * 1024 * 1024;
export const MAX_SIDE = 1600;
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/** The image type from the first bytes of the file, or null if it is none of the four accepted. */
export function sniff(b: Uint8Array): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 12 && ascii(4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(8, 12))) return 'image/heic';
  return null;
}

export class PhotoError extends Error {
  kind: 'too_big' | 'bad_type';
  constructor(kind: 'too_big' | 'bad_type') {
    super(kind);
    this.kind = kind;
  }
}

export interface PreparedPhoto { blob: Blob; contentType: ImageType; width?: number; height?: number }

export async function preparePhoto(file: File): Promise<PreparedPhoto> {
  if (file.size > MAX_BYTES) throw new PhotoError('too_big');
  const type = sniff(new Uint8Array(await file.slice(0, 32).arrayBuffer()));
  if (!type) throw new PhotoError('bad_type');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    if (type === 'image/heic') return { blob: file, contentType: type };
    throw new PhotoError('bad_type'); // right magic bytes, but not a picture the phone can read
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const hgt = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = hgt;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff'; // transparent PNG areas become white, not black, in JPEG
  ctx.fillRect(0, 0, w, hgt);
  ctx.drawImage(bitmap, 0, 0, w, hgt);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
  canvas.width = canvas.height = 0; // let a low-memory phone have the pixels back
  if (!blob) return { blob: file, contentType: type };
  return { blob, contentType: 'image/jpeg', width: w, height: hgt };
}
