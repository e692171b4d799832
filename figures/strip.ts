/**
 * Removes metadata from a photo before the public sees it. The LIFF pages re-encode photos on the
 * phone (which drops EXIF), but HEIC goes up as it is and an API client may send any JPEG: the
 * stored bytes can carry the GPS position, the phone's model and the time the photo was taken.
 * JPEG: APP1–APP15 segments (EXIF, XMP, IPTC…) and comments go, except the colour profile (APP2
 * ICC_PROFILE) and Adobe's colour-transform marker (APP14), which change how the image looks.
 * PNG: text, time and eXIf chunks go. Anything that does not parse is not served (null).
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_DROP = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

export function stripJpeg(b: Buffer): Buffer | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const keep: Buffer[] = [b.subarray(0, 2)];
  let pos = 2;
  while (pos < b.length) {
    if (b[pos] !== 0xff) return null;
    while (b[pos + 1] === 0xff) pos++; // fill bytes
    const marker = b[pos + 1];
    if (marker === undefined) return null;
    // Standalone markers: no length.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { keep.push(b.subarray(pos, pos + 2)); pos += 2; continue; }
    if (marker === 0xd9) { keep.push(b.subarray(pos, pos + 2)); break; }
    if (pos + 4 > b.length) return null;
    const len = b.readUInt16BE(pos + 2);
    if (len < 2 || pos + 2 + len > b.length) return null;
    if (marker === 0xda) {
      // Start of scan: the image data follows; metadata never comes after it. Kept as it is to the end.
      keep.push(b.subarray(pos));
      break;
    }
    const seg = b.subarray(pos, pos + 2 + len);
    const body = seg.subarray(4);
    const app = marker >= 0xe1 && marker <= 0xef;
    const colour = (marker === 0xe2 && body.subarray(0, 12).toString('latin1') === 'ICC_PROFILE\0') || (marker === 0xee && body.subarray(0, 5).toString('latin1') === 'Adobe');
    if (!(app && !colour) && marker !== 0xfe) keep.push(seg);
    pos += 2 + len;
  }
  return Buffer.concat(keep);
}

export function stripPng(b: Buffer): Buffer | null {
  if (b.length < 8 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  const keep: Buffer[] = [b.subarray(0, 8)];
  let pos = 8;
  while (pos < b.length) {
    if (pos + 12 > b.length) return null;
    const len = b.readUInt32BE(pos);
    const end = pos + 12 + len;
    if (end > b.length) return null;
    const type = b.subarray(pos + 4, pos + 8).toString('latin1');
    if (!PNG_DROP.has(type)) keep.push(b.subarray(pos, end));
    pos = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(keep);
}

/** The photo without metadata, or null when its type is not one the public route serves or it does not parse. */
export function stripMetadata(contentType: string, b: Buffer): Buffer | null {
  if (contentType === 'image/jpeg') return stripJpeg(b);
  if (contentType === 'image/png') return stripPng(b);
  return null;
}
