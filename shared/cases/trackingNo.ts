import type { Models } from '../models/index.ts';
import { buddhistYear } from '../thaiDate.ts';

/**
 * เลขรับเรื่อง: "<BE year>-<6-digit sequence>", e.g. 2569-000042, restarting each BE year.
 * Short enough to read out on the hotline. $inc is atomic on MongoDB; on FerretDB v1 it is
 * read → modify → replace, so two callers at once may draw the same number: the unique index on
 * Case.trackingNo catches that and openCase draws again.
 */
export async function nextTrackingNo(models: Models, at: Date): Promise<string> {
  const year = buddhistYear(at);
  for (let attempt = 0; ; attempt++) {
    try {
      const counter = await models.Counter.findOneAndUpdate(
        { _id: `case:${year}` },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      return formatTrackingNo(at, counter!.seq);
    } catch (err) {
      // The first two numbers of a year drawn at once: both upserts insert, one loses. Draw again.
      if ((err as { code?: number }).code !== 11000 || attempt >= 5) throw err;
    }
  }
}

/** The number drawn `seq`-th in the BE year (in Bangkok) of `at`. */
export function formatTrackingNo(at: Date, seq: number): string {
  return `${buddhistYear(at)}-${String(seq).padStart(6, '0')}`;
}

export const TRACKING_NO_PATTERN = /\b(25\d{2})-(\d{6})\b/;
