import type { Models } from '../models/index.ts';
import { buddhistYear } from '../thaiDate.ts';

/**
 * เลขรับเรื่อง: "<BE year>-<6-digit sequence>", e.g. 2569-000042, restarting each BE year.
 * Short enough to read out on the hotline, and the atomic $inc keeps it unique across processes.
 */
export async function nextTrackingNo(models: Models, at: Date): Promise<string> {
  const year = buddhistYear(at);
  const counter = await models.Counter.findOneAndUpdate(
    { _id: `case:${year}` },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return `${year}-${String(counter!.seq).padStart(6, '0')}`;
}

export const TRACKING_NO_PATTERN = /\b(25\d{2})-(\d{6})\b/;
