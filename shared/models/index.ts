import mongoose, { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { CASE_STATUSES, CHANNEL_CODES, SUBJECT_CATEGORY_CODES } from '../categories.ts';

/** `Case.slaNextAt` value meaning "re-plan this case at the next SLA run". */
export const SLA_REPLAN = new Date(0);

export const RESOLUTION_KINDS = ['resolved', 'withdrawn', 'rejected'] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];

/*
 * Stays inside what FerretDB v1 supports (see ENVIRONMENT.md): no transactions, no TTL or partial
 * indexes, no $lookup. Each command changes one document in one update, so nothing is half-written.
 */

const actorSchema = new Schema({
  kind: { type: String, enum: ['citizen', 'officer', 'system'], required: true },
  /** Officer id or LINE user id; absent for the system. */
  id: String,
  name: String,
}, { _id: false });

const timelineEntrySchema = new Schema({
  at: { type: Date, required: true },
  by: { type: actorSchema, required: true },
  /** What happened: opened, assigned, note, forwarded, closed, rejected, … */
  action: { type: String, required: true },
  note: String,
  fromStatus: String,
  toStatus: String,
  unitCode: String,
  /** forwarded: the unit it came from (unitCode is where it went). */
  fromUnitCode: String,
  /** info_added: photos added with the text. */
  photos: Number,
  /** The domain event announcing this step: the notify worker reads the entry's text from here, not from the queue. */
  eventId: String,
}, { _id: false });

const domainEventSchema = new Schema({
  id: { type: String, required: true },
  type: { type: String, required: true },
  at: { type: Date, required: true },
  /** Wall-clock time it was written (the outbox sweep's grace period). */
  queuedAt: Date,
  data: { type: Schema.Types.Mixed, default: {} },
}, { _id: false });

const caseSchema = new Schema({
  /** เลขรับเรื่อง: BE year + sequence, e.g. 2569-000042 */
  trackingNo: { type: String, required: true, unique: true },
  /** Makes creation idempotent: a retried job finds the case it already created. */
  idempotencyKey: { type: String, required: true, unique: true },
  channel: { type: String, enum: CHANNEL_CODES, required: true },
  category: { type: String, enum: SUBJECT_CATEGORY_CODES, required: true },
  /** What the citizen said the problem is (config/problem-types.json); absent on cases from before the types. */
  problemType: String,
  description: { type: String, required: true, maxlength: 5000 },
  location: {
    provinceCode: String, provinceName: String,
    districtCode: String, districtName: String,
    subdistrictCode: String, subdistrictName: String,
    address: String, lat: Number, lng: Number,
  },
  attachments: [{
    _id: false,
    fileId: { type: Schema.Types.ObjectId, required: true },
    contentType: String,
    size: Number,
    lineMessageId: String,
    /** When it was attached (absent: at intake). */
    addedAt: Date,
    /** `after`: a photo of the result, taken by the officer who closed the case (absent: the complainant's). */
    kind: String,
  }],
  complainant: {
    lineUserId: String,
    name: String,
    /** Normalised Thai form 0XXXXXXXX(X) (shared/phone.ts). */
    phone: String,
    anonymous: { type: Boolean, default: false },
    lang: { type: String, default: 'th' },
  },
  consent: { version: String, at: Date },
  /** When the complaint reached the centre (a hotline call recorded later); absent: createdAt. SLA counts from here. */
  receivedAt: Date,
  /** SLA deadlines: acknowledge by channel, first answer to the complainant (Royal Decree s.38), resolve by category. */
  ackDueAt: Date,
  answerDueAt: Date,
  resolveDueAt: Date,
  /** How far up the unit ladder a late case has been escalated (0 = not escalated). */
  escalationLevel: { type: Number, default: 0 },
  /** Keys of SLA notifications already sent (also their X-Line-Retry-Key seeds): a retried job sends nothing twice. */
  slaSent: { type: [String], default: [] },
  /**
   * The next moment the SLA clock owes this case anything (indexed: a run reads only cases with
   * `slaNextAt <= now`). Written only by the SLA runs (workers/sla/run.ts) and the pre-hook below;
   * every trigger is listed in workers/sla/schedule.ts. `SLA_REPLAN` (the
   * epoch, also the default) means "plan me at the next run", absent means nothing is ever due.
   */
  slaNextAt: { type: Date, default: () => SLA_REPLAN },
  status: { type: String, enum: CASE_STATUSES, required: true, default: 'received' },
  /**
   * How it ended: resolved (ยุติเรื่อง with the result), withdrawn by the complainant (status closed),
   * or rejected (ไม่รับเรื่อง). `text` is the summary or the reason.
   */
  resolution: {
    kind: { type: String, enum: RESOLUTION_KINDS },
    text: String,
    at: Date,
  },
  /** The complainant's satisfaction survey: one answer per case, after it closed. */
  survey: {
    score: { type: Number, min: 1, max: 5 },
    comment: String,
    at: Date,
    /** "ปัญหาได้รับการแก้ไขแล้วหรือยัง": the complainant's answer (absent on answers from before the question). */
    fixed: Boolean,
    /** The closure it rates: `report.reopens` when it was given (a reopened case closed again may be rated again). */
    round: Number,
  },
  /**
   * Each time the complainant said the problem was not fixed and the case reopened: their words, the
   * closure it undid (`closedAt`, one reopen per closure) and where it went (the same unit, or the parent
   * unit from the second reopen on).
   */
  reopens: [{
    _id: false,
    at: { type: Date, required: true },
    reason: String,
    closedAt: Date,
    fromUnitCode: String,
    unitCode: String,
  }],
  /** The unit that must act. */
  unitCode: { type: String, required: true },
  /** For complaints against officials: the unit complained about, which must never handle it. */
  concernedUnitCode: String,
  /** The partner agency that fixes this kind of problem here, offered to the centre as a one-tap forward (shared/cases/routing.ts). */
  suggestedUnitCode: String,
  assignee: { officerId: String, name: String },
  timeline: { type: [timelineEntrySchema], default: [] },
  /** Outbox: events written with the change and removed once every consumer is done (shared/cases/outbox.ts). */
  pendingEvents: { type: [domainEventSchema], default: [] },
  /**
   * Whether `pendingEvents` holds anything, kept by every write to it: the outbox sweep finds such
   * cases by this indexed equality (FerretDB answers `pendingEvents.0 $exists` only by reading every case).
   */
  hasOutbox: { type: Boolean, default: false },
  /**
   * What the case counts as in the official tables (shared/reports): its rows, fixed at
   * intake from (category, channel) by config/report-rows.json, the month it was received and the month
   * it was closed (yyyymm, Bangkok). Stored so a recount can group on fields, not recompute them.
   */
  report: {
    provinceRow: Number, districtRow: Number, month: Number, closedMonth: Number, closeDays: Number, slaMet: Boolean,
    /** Times closed as resolved, and times reopened by the complainant: the dashboard's reopen rate per unit. */
    closures: Number, reopens: Number,
  },
  /** Brought in from a centre's old system (`npm run cli -- import`): the record's id there and where it came from. */
  imported: { externalId: String, at: Date, source: String, subject: String },
  /**
   * Bumped by every change. Changes to an existing case go through shared/store/guardedUpdate.ts
   * (`updateCaseGuarded`), which claims this version first: on FerretDB an update is read → modify →
   * replace, and two concurrent ones would otherwise silently erase each other.
   */
  version: { type: Number, default: 0 },
  /**
   * Citizens who joined this case ("แจ้งด้วย": the same problem, reported by someone else) or whose own
   * case was merged into it: they get its updates like the complainant. No name or phone is kept.
   */
  followers: {
    type: [{ _id: false, lineUserId: { type: String, required: true }, lang: String, at: Date, via: { type: String, enum: ['join', 'merge'] }, trackingNo: String }],
    default: [],
  },
  /** How many people reported this problem: the complainant plus everyone who joined (the public count). */
  supporterCount: { type: Number, default: 1 },
  /** Merged into another case (its tracking number): this case closed with a pointer there. */
  mergedInto: String,
  /** Cases an officer linked as the same or a related problem (tracking numbers). */
  relatedCases: { type: [String], default: undefined },
  /** Day (yyyymmdd) and month (yyyymm) it was received, Bangkok: what the dashboard's list pages by (shared/cases/listing.ts). */
  listDay: Number,
  listMonth: Number,
  /** When the complainant's personal data was removed (their request, or the retention run): shared/privacy/anonymise.ts. */
  anonymisedAt: Date,
  /**
   * The result an officer approved for the public figures page (shared/publicResults): the summary as
   * published (redacted, edited by the officer) and at most one "after" photo. Absent: not published.
   */
  publicResult: {
    approvedAt: Date,
    by: { id: String, name: String },
    summary: String,
    photoFileId: Schema.Types.ObjectId,
  },
  /** The published result's unguessable handle (its photo URL); top-level and indexed, as FerretDB indexes only those. Unset on withdrawal. */
  publicSlug: String,
  /** yyyymm (Bangkok) the published case closed: the public page reads a month's results by this equality. Unset on withdrawal. */
  publicMonth: Number,
}, { timestamps: true });
caseSchema.index({ unitCode: 1, status: 1, createdAt: -1 });
caseSchema.index({ listDay: 1 });
caseSchema.index({ listMonth: 1, unitCode: 1 });
caseSchema.index({ 'complainant.lineUserId': 1, createdAt: -1 });
caseSchema.index({ 'pendingEvents.id': 1 });
caseSchema.index({ hasOutbox: 1 });
caseSchema.index({ 'attachments.fileId': 1 });
caseSchema.index({ slaNextAt: 1 });
// The retention run finds closed and rejected cases by this equality (shared/privacy/retention.ts).
caseSchema.index({ status: 1 });
// The public figures page: published results by month closed, and a published photo by its handle.
caseSchema.index({ publicMonth: 1 });
caseSchema.index({ publicSlug: 1 });
// Related complaints: the open cases of a place and problem (shared/related/search.ts).

/**
 * Fields the SLA clock plans from: an update changing any of them (and not setting slaNextAt) asks for
 * a re-plan, in the same write, so no command can forget it (one of the triggers listed in
 * workers/sla/schedule.ts). Only updates: a new case starts at `SLA_REPLAN` by the field's default.
 */
const SLA_INPUTS = new Set(['status', 'unitCode', 'concernedUnitCode', 'receivedAt', 'ackDueAt', 'answerDueAt', 'resolveDueAt', 'escalationLevel']);
caseSchema.pre(['updateOne', 'updateMany', 'findOneAndUpdate'], function () {
  const u = this.getUpdate() as Record<string, Record<string, unknown> | unknown> | null;
  if (!u || Array.isArray(u)) return;
  const keysOf = (op: unknown) => (op && typeof op === 'object' ? Object.keys(op) : []);
  const touched = [...Object.keys(u).filter((k) => !k.startsWith('$')), ...keysOf(u.$set), ...keysOf(u.$unset)];
  if (touched.includes('slaNextAt') || !touched.some((k) => SLA_INPUTS.has(k))) return;
  this.setUpdate({ ...u, $set: { ...(u.$set as object | undefined), slaNextAt: SLA_REPLAN } });
});

const unitSchema = new Schema({
  _id: { type: String },
  nameTh: { type: String, required: true },
  nameEn: { type: String, required: true },
  level: { type: String, enum: ['ministry', 'province', 'district', 'partner'], required: true },
  parentCode: { type: String, default: null },
  provinceCode: String,
  /**
   * Partner agencies only (level 'partner', loaded by `npm run cli -- agencies import`, shared/agencies/):
   * what kind of body it is, where it works, the problem types it fixes (config/problem-types.json)
   * and how it gets its cases. Its `parentCode` is the Damrongdhama centre that supervises the hand-off.
   */
  agencyType: { type: String, enum: ['local_admin', 'utility', 'police', 'provincial_office', 'other'] },
  serviceArea: { provinceCodes: { type: [String], default: undefined }, districtCodes: { type: [String], default: undefined }, subdistrictCodes: { type: [String], default: undefined } },
  problemTypes: { type: [String], default: undefined },
  receives: { type: String, enum: ['line', 'api'] },
}, { timestamps: true });
unitSchema.index({ parentCode: 1 });
// Routing reads the partner agencies by this equality (shared/agencies/directory.ts).
unitSchema.index({ level: 1 });

const officerSchema = new Schema({
  lineUserId: { type: String, required: true, unique: true },
  unitCode: { type: String, required: true },
  role: { type: String, enum: ['officer', 'head', 'executive', 'admin'], required: true },
  name: { type: String, default: '' },
  active: { type: Boolean, default: true },
}, { timestamps: true });
officerSchema.index({ unitCode: 1, active: 1 });

const officerInviteSchema = new Schema({
  /** sha256 of the one-time code: a leaked database does not leak usable codes. */
  codeHash: { type: String, required: true, unique: true },
  unitCode: { type: String, required: true },
  role: { type: String, enum: ['officer', 'head', 'executive', 'admin'], required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
  usedBy: String,
}, { timestamps: true });

/**
 * The one-time code that links a case recorded from another channel to the citizen's LINE
 * (shared/cases/claimCodes.ts). One per case (`_id` is the case id): re-issuing replaces it.
 */
const claimCodeSchema = new Schema({
  _id: String,
  /** sha256 of the code: a leaked database does not leak usable codes. */
  codeHash: { type: String, required: true, unique: true },
  unitCode: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
  /** Wrong codes tried against this case (tracking number given) since `failuresSince`. */
  failures: { type: Number, default: 0 },
  failuresSince: { type: Date, default: null },
  /** Too many wrong codes: nothing links this case until an officer issues a new code. */
  lockedAt: { type: Date, default: null },
}, { timestamps: true, versionKey: false });

/** A spent claim code (`_id` is its hash): the unique insert makes the code single-use on FerretDB too. */
const claimCodeUseSchema = new Schema({ _id: String, caseId: String, at: { type: Date, required: true } }, { versionKey: false });

const counterSchema = new Schema({ _id: String, seq: { type: Number, default: 0 } });

/** A claim on one version of a case (`<caseId>:<version>:<generation>`): the unique insert is the lock. */
const caseClaimSchema = new Schema({ _id: String, at: { type: Date, required: true } }, { versionKey: false });

const conversationSchema = new Schema({
  /** LINE user id. */
  _id: String,
  state: { type: String, required: true, default: 'idle' },
  draft: { type: Schema.Types.Mixed, default: {} },
  lang: { type: String, default: 'th' },
  displayName: String,
  /** The last webhook event applied, and the replies it produced: a retried job resends, never re-applies. */
  lastEventId: String,
  outbox: { type: Schema.Types.Mixed, default: null },
  /**
   * The event whose replies went (or were about to go) out by reply token: on a resend after a crash,
   * LINE calling that still-fresh token invalid means the first send spent it, so nothing is pushed.
   */
  replyAttempt: { type: String, default: null },
  /** Failed tracking-number + phone link attempts ({count, since}), to stop guessing. */
  linkFailures: { type: Schema.Types.Mixed, default: null },
}, { timestamps: true, minimize: false });
// The retention run finds drafts left half-way by this equality, one intake state at a time.
conversationSchema.index({ state: 1 });

const auditSchema = new Schema({
  at: { type: Date, required: true },
  officerId: String,
  lineUserId: String,
  caseId: String,
  /** view_case, view_file, partner_read, … */
  action: { type: String, required: true },
  /** Where it was read: chat (alert card button) or liff (officer pages); api, open311 or webhook for partners. */
  via: String,
  fileId: String,
  /** partner_read: the API key that read the case (via api, open311 or webhook) and the fields it was given. */
  apiKeyId: String,
  fields: { type: [String], default: undefined },
  /** Dashboard exports (action 'export'): which download, for which unit, over which period. */
  page: String,
  scope: String,
  period: String,
  /** retention_*: how many records the run removed or anonymised. */
  count: Number,
}, { strict: false });
auditSchema.index({ caseId: 1, at: -1 });
// The admins' audit-log page (dashboard/pages/audit.ts) filters by officer or by action, newest first.
auditSchema.index({ officerId: 1, at: -1 });
auditSchema.index({ action: 1, at: -1 });

export type CaseDoc = InferSchemaType<typeof caseSchema> & { _id: Types.ObjectId };
export type UnitDoc = InferSchemaType<typeof unitSchema>;
export type OfficerDoc = InferSchemaType<typeof officerSchema> & { _id: Types.ObjectId };
export type ConversationDoc = InferSchemaType<typeof conversationSchema>;
export type TimelineEntry = InferSchemaType<typeof timelineEntrySchema>;
export type StoredDomainEvent = InferSchemaType<typeof domainEventSchema>;

/** Models bound to one connection, so tests (and tools) can work on separate databases side by side. */
export function bindModels(conn: Connection) {
  return {
    conn,
    Case: conn.model('Case', caseSchema),
    Unit: conn.model('Unit', unitSchema),
    Officer: conn.model('Officer', officerSchema),
    OfficerInvite: conn.model('OfficerInvite', officerInviteSchema),
    Counter: conn.model('Counter', counterSchema),
    CaseClaim: conn.model('CaseClaim', caseClaimSchema, 'case_claims'),
    Conversation: conn.model('Conversation', conversationSchema),
    Audit: conn.model('Audit', auditSchema, 'audit'),
    ClaimCode: conn.model('ClaimCode', claimCodeSchema, 'claim_codes'),
    ClaimCodeUse: conn.model('ClaimCodeUse', claimCodeUseSchema, 'claim_code_uses'),
  };
}

export type Models = ReturnType<typeof bindModels>;

/**
 * Connects and binds the models, creating nothing: collections and indexes are made once by the
 * migration step (shared/infra/migrate.ts, `ensureMigrated` in app/migrate.ts), under a lock.
 * Mongoose's default would have every process create them at every start, and FerretDB deadlocks
 * when two processes do so at once (web and worker started together on an empty database).
 */
export async function connectDb(uri: string, dbName?: string): Promise<Models> {
  const conn = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000, autoIndex: false, autoCreate: false }).asPromise();
  return bindModels(conn);
}
