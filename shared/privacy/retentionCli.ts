import { systemClock, type Clock } from '../clock.ts';
import type { Models } from '../models/index.ts';
import { loadRetentionPolicy, planRetention, runRetention } from './retention.ts';

export const RETENTION_USAGE = `  retention preview | retention run
      what the retention policy (config/retention.json) removes now: cases to anonymise, old drafts, stray uploads;
      run does it (the nightly job does the same), each action in the audit log`;

/**
 * `npm run cli -- retention preview|run`. The events of anonymised cases stay in their outbox; the
 * worker's outbox sweep queues them (the unit is told), so the CLI needs no queue connection.
 */
export async function retentionCommand(db: () => Promise<Models>, args: string[], clock: Clock = systemClock, out = console.log): Promise<number> {
  const [command] = args;
  if (command !== 'preview' && command !== 'run') {
    console.error(`usage:\n${RETENTION_USAGE}`);
    return 2;
  }
  const policy = loadRetentionPolicy();
  const models = await db();
  if (command === 'preview') {
    const plan = await planRetention({ models }, policy, clock.now());
    out(`retention policy: closed cases ${policy.closedCaseDays} days, drafts ${policy.draftDays} days, unattached uploads ${policy.unattachedUploadHours} h`);
    out(`cases to anonymise / เรื่องที่จะลบข้อมูลส่วนบุคคล: ${plan.cases.length}`);
    for (const c of plan.cases) out(`  ${c.trackingNo}  ended ${c.endedAt}`);
    out(`drafts to delete / ร่างเรื่องที่จะลบ: ${plan.drafts.length}`);
    for (const d of plan.drafts) out(`  ${d.state}  last activity ${d.lastActivity}  photos ${d.photos}`);
    out(`unattached uploads to delete / รูปที่ไม่ได้แนบกับเรื่องที่จะลบ: ${plan.uploads.length}`);
    for (const u of plan.uploads) out(`  ${u.fileId}  ${u.source}  ${u.uploadedAt}  ${u.bytes} bytes`);
    return 0;
  }
  const r = await runRetention({ models, clock, publish: async () => undefined }, policy);
  out(`anonymised ${r.cases} case(s), deleted ${r.drafts} draft(s), ${r.uploads} unattached upload(s), ${r.photos} photo(s) of cases and drafts`);
  return 0;
}
