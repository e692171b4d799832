/**
 * The retention policy (config/retention.json) and the run that applies it: personal data of cases
 * closed long ago anonymised, chat drafts never sent deleted, LIFF uploads no case took deleted. Run
 * nightly by workers/retention.ts and by hand with `npm run cli -- retention preview|run`. Every
 * action is written to the audit log (action retention_*, with its count).
 *
 * Queries: closed cases by `status` equality (indexed), drafts by `state` equality one intake state
 * at a time (indexed); uploads: GridFS keeps its metadata in a sub-document, so the run reads the
 * files collection with a projection of the few fields it needs (docs/privacy.md, "Retention").
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DomainDeps } from '../cases/deps.ts';
import { ConfigError } from '../config.ts';
import { anonymiseCase, draftPhotoIds } from './anonymise.ts';
import { deleteFiles } from './files.ts';

export const DEFAULT_RETENTION_FILE = fileURLToPath(new URL('../../config/retention.json', import.meta.url));

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const RetentionPolicy = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  /** Days after a case closed (or was rejected) that its complainant's personal data is kept. */
  closedCaseDays: z.number().int().min(30).max(3650).default(365),
  /** Days without activity after which a chat draft never sent is deleted. */
  draftDays: z.number().int().min(1).max(90).default(7),
  /** Hours after which a LIFF upload that no case took is deleted. */
  unattachedUploadHours: z.number().int().min(1).max(720).default(24),
  /** Bangkok time of the nightly run. */
  runAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, Bangkok time').default('02:30'),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const DEFAULT_RETENTION: RetentionPolicy = RetentionPolicy.parse({});

/** Validates a policy; a bad one is a ConfigError naming the file and the key. */
export function parseRetentionPolicy(raw: unknown, file = 'config/retention.json'): RetentionPolicy {
  const r = RetentionPolicy.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ConfigError(`${file}: ${i.path.join('.') || '(root)'}: ${i.message} / การตั้งค่าระยะเวลาเก็บข้อมูลไม่ถูกต้อง`);
  }
  return r.data;
}

/** `file`, else RETENTION_FILE, else config/retention.json (the defaults if that is absent). */
export function loadRetentionPolicy(env: Record<string, string | undefined> = process.env, file?: string): RetentionPolicy {
  const path = file ?? (env.RETENTION_FILE || undefined);
  if (!path && !existsSync(DEFAULT_RETENTION_FILE)) return DEFAULT_RETENTION;
  const f = path ?? DEFAULT_RETENTION_FILE;
  let raw: unknown;
  try { raw = JSON.parse(readFileSync(f, 'utf8')); } catch (err) { throw new ConfigError(`${f}: ${(err as Error).message}`); }
  return parseRetentionPolicy(raw, f);
}

/** The repeat pattern of the nightly job (BullMQ cron, Asia/Bangkok). */
export const cronOf = (p: RetentionPolicy) => { const [h, m] = p.runAt.split(':').map(Number); return `${m} ${h} * * *`; };

/** Chat states holding a draft (everything but idle). */
const DRAFT_STATES = ['askingCategory', 'askingDescription', 'askingLocation', 'askingDistrict', 'confirmingLocation', 'askingPhotos', 'askingConsent', 'confirming', 'confirmingDecline', 'choosingCase', 'offeringRelated'];
const UPLOAD_SOURCES = new Set(['liff', 'liff-officer']);

export interface RetentionPlan {
  cases: { id: string; trackingNo: string; endedAt: string }[];
  drafts: { userId: string; state: string; lastActivity: string; photos: number }[];
  uploads: { fileId: string; source: string; uploadedAt: string; bytes: number }[];
}

/** What a run would do now, changing nothing (`retention preview`). No personal data in it: ids, dates, counts. */
export async function planRetention(deps: Pick<DomainDeps, 'models'>, policy: RetentionPolicy, now: Date): Promise<RetentionPlan> {
  const { models } = deps;
  const caseCut = now.getTime() - policy.closedCaseDays * DAY;
  const cases: RetentionPlan['cases'] = [];
  for (const status of ['closed', 'rejected'] as const) {
    const found = await models.Case.find({ status }, { trackingNo: 1, anonymisedAt: 1, 'resolution.at': 1, updatedAt: 1 }).lean<{ _id: unknown; trackingNo: string; anonymisedAt?: Date; resolution?: { at?: Date }; updatedAt?: Date }[]>();
    for (const c of found) {
      if (c.anonymisedAt) continue;
      const ended = c.resolution?.at ?? c.updatedAt;
      if (ended && new Date(ended).getTime() < caseCut) cases.push({ id: String(c._id), trackingNo: c.trackingNo, endedAt: new Date(ended).toISOString() });
    }
  }
  const draftCut = now.getTime() - policy.draftDays * DAY;
  const drafts: RetentionPlan['drafts'] = [];
  for (const state of DRAFT_STATES) {
    const found = await models.Conversation.find({ state }, { state: 1, draft: 1, updatedAt: 1 }).lean();
    for (const c of found) {
      const at = (c as { updatedAt?: Date }).updatedAt;
      if (at && new Date(at).getTime() < draftCut) drafts.push({ userId: String(c._id), state, lastActivity: new Date(at).toISOString(), photos: draftPhotoIds(c.draft).length });
    }
  }
  const uploadCut = now.getTime() - policy.unattachedUploadHours * HOUR;
  const uploads: RetentionPlan['uploads'] = [];
  const files = models.conn.db!.collection('attachments.files').find({}, { projection: { uploadDate: 1, length: 1, 'metadata.source': 1, 'metadata.caseId': 1 } });
  for await (const f of files) {
    const source = f.metadata?.source;
    if (!UPLOAD_SOURCES.has(source) || f.metadata?.caseId) continue;
    if (new Date(f.uploadDate).getTime() < uploadCut) uploads.push({ fileId: String(f._id), source, uploadedAt: new Date(f.uploadDate).toISOString(), bytes: Number(f.length ?? 0) });
  }
  return { cases, drafts, uploads };
}

export interface RetentionReport { cases: number; drafts: number; uploads: number; photos: number }

/** Applies the policy: what `planRetention` lists, done, each kind audited with its count. */
export async function runRetention(deps: DomainDeps, policy: RetentionPolicy): Promise<RetentionReport> {
  const { models } = deps;
  const now = deps.clock.now();
  const plan = await planRetention(deps, policy, now);
  const out: RetentionReport = { cases: 0, drafts: 0, uploads: 0, photos: 0 };
  for (const c of plan.cases) {
    const r = await anonymiseCase(deps, c.id, { reason: 'retention' });
    if (r.ok && !r.already) {
      out.cases++;
      out.photos += r.photosDeleted;
      await models.Audit.create({ at: now, caseId: c.id, action: 'retention_case_anonymised', via: 'retention', count: 1 });
    }
  }
  const draftCut = now.getTime() - policy.draftDays * DAY;
  for (const d of plan.drafts) {
    const conv = await models.Conversation.findById(d.userId, { state: 1, draft: 1, updatedAt: 1 }).lean();
    // Moved on since the plan was read: it is a live draft again.
    if (!conv || conv.state === 'idle' || !conv.updatedAt || new Date(conv.updatedAt as Date).getTime() >= draftCut) continue;
    out.photos += await deleteFiles(models, draftPhotoIds(conv.draft));
    // By _id and the time read, so a turn that came in meanwhile is not undone.
    const r = await models.Conversation.updateOne({ _id: d.userId, updatedAt: conv.updatedAt }, { $set: { state: 'idle', draft: {} } });
    if (r.modifiedCount) out.drafts++;
  }
  if (plan.uploads.length) out.uploads = await deleteFiles(models, plan.uploads.map((u) => u.fileId));
  const audits = [
    ['retention_drafts_deleted', out.drafts], ['retention_uploads_deleted', out.uploads], ['retention_run', out.cases + out.drafts + out.uploads],
  ] as const;
  for (const [action, count] of audits) await models.Audit.create({ at: now, action, via: 'retention', count });
  return out;
}
