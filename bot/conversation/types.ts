import type { Clock } from '../../shared/clock.ts';
import type { CaseStatus } from '../../shared/categories.ts';
import type { OpenCaseProps } from '../../shared/cases/commands/openCase.ts';
import type { PublishEvents } from '../../shared/cases/events.ts';
import type { Copy, Lang } from '../../shared/i18n/index.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Models } from '../../shared/models/index.ts';
import type { LinkConfig } from '../../shared/links.ts';
import type { Message } from '../messages/build.ts';
import type { RelatedOffer } from '../../shared/cases/relatedOffer.ts';
import type { RelatedProbe } from '../../shared/related/search.ts';

/** What the bot is waiting for from this person (one handler file per state). */
export type StateName =
  | 'idle' | 'askingCategory' | 'askingDescription' | 'askingLocation' | 'askingDistrict'
  | 'confirmingLocation' | 'askingPhotos' | 'askingConsent' | 'confirming'
  /** Declined consent: asked to confirm before the draft and its photos are deleted. */
  | 'confirmingDecline'
  /** Several cases await an answer to an officer's question: which one is this for? */
  | 'choosingCase'
  /** Open cases nearby look like the same problem: join one ("แจ้งด้วย") or file anyway (offeringRelated.ts). */
  | 'offeringRelated';

export interface DraftLocation {
  provinceCode: string; provinceName: string;
  districtCode?: string; districtName?: string;
  subdistrictCode?: string; subdistrictName?: string;
  address?: string; lat?: number; lng?: number;
}

export interface DraftPhoto { fileId: string; contentType: string; size: number; lineMessageId: string }

/** The complaint being built, kept in MongoDB between messages so a worker restart loses nothing. */
export interface Draft {
  category?: string;
  /** The problem type chosen (config/problem-types.json); `category` is then the type's category. */
  problemType?: string;
  description?: string;
  location?: DraftLocation;
  photos?: DraftPhoto[];
  consent?: { version: string; at: string };
  /** A pin whose area could not be read: kept for the case while the province is asked by name. */
  pin?: { lat: number; lng: number; address?: string };
  /** The citizen finished (or skipped) the photo step; a photo sent first does not count as that. */
  photosDone?: boolean;
  /**
   * A word or two sent while idle, offered as the start of a complaint rather than thrown away; once
   * taken up, the description step adds the rest to it. One field for both: FerretDB leaves a `$set`
   * of the draft undone when only the key of an equal value changes.
   */
  pendingText?: string;
  /** Text and photos for an officer's question, held while the citizen picks which case. */
  pendingInfo?: { text?: string; photos?: DraftPhoto[]; cases: { id: string; trackingNo: string }[] };
  /** Just answered an officer on this case: more text or photos sent shortly after go to it too. */
  answering?: { caseId: string; trackingNo: string; until: string };
  /** Related open cases were looked up for this draft (once: "แจ้งเรื่องใหม่" is not asked again). */
  relatedChecked?: boolean;
  /** The related cases offered (public part only), while the citizen chooses. */
  related?: RelatedOffer[];
}

/** A LINE event reduced to what the conversation cares about. */
export type Input =
  | { kind: 'text'; text: string }
  | { kind: 'postback'; data: string; step?: string; action?: string; value?: string }
  | { kind: 'location'; latitude: number; longitude: number; title?: string; address?: string }
  | { kind: 'image'; messageId: string }
  | { kind: 'sticker' }
  | { kind: 'follow' }
  | { kind: 'other'; what: string };

export interface Ctx {
  userId: string;
  displayName: string;
  lang: Lang;
  t: Copy;
  state: StateName;
  draft: Draft;
  /** The webhook event being handled: makes case creation idempotent. */
  eventId: string;
}

export interface StepResult {
  replies: Message[];
  state: StateName;
  draft: Draft;
  /** The citizen had their data deleted: the chat's record keeps no display name from now on. */
  forget?: boolean;
}

export interface ConversationDeps {
  models: Models;
  clock: Clock;
  publish: PublishEvents;
  log: Logger;
  /** Downloads a LINE image and stores it; the same message id always gives the same stored file. */
  storeImage(messageId: string, userId: string): Promise<DraftPhoto>;
  /** Where links to the LIFF app point ("ข้อมูลของฉัน"); absent in tests of the intake alone. */
  links?: LinkConfig;
}

export interface CaseRef { id: string; trackingNo: string }

/** A line of "my cases"; `following`: a case they joined ("แจ้งด้วย"), not their own. */
export interface CaseSummary { trackingNo: string; category: string; problemType?: string; status: CaseStatus; createdAt: Date; following?: boolean }

/** What joining a case came to (shared/cases/commands/joinCase.ts), as the chat words it. */
export type JoinOutcome =
  | { joined: true; already: boolean; trackingNo: string; status: CaseStatus; supporters: number }
  | { joined: false; reason: 'not_found' | 'not_open' | 'own_case'; trackingNo?: string };

/** The case just opened, with the names the citizen is told (in their language). */
export interface OpenedCase {
  trackingNo: string;
  unitName: string;
  /** Nobody registered at the unit: who looks after it meanwhile (absent: nobody above either). */
  unowned: boolean;
  holderName?: string;
}

/**
 * What a state needs done outside itself (the database, LINE's content API), with what to do with the
 * result. States decide; effects.ts carries the command out and goes on with `next` (never `then`: an
 * object with a `then` method is taken for a promise by `await`). Keeping the decisions free of I/O is
 * what lets tests/unit run every state without Redis or a database.
 */
export type Command =
  | { run: 'storeImage'; messageId: string; next(photo: DraftPhoto): Outcome; failed: StepResult }
  | { run: 'deletePhotos'; photos: DraftPhoto[]; next: Outcome }
  | { run: 'listCases'; next(cases: CaseSummary[]): Outcome }
  | { run: 'awaitingCases'; next(cases: CaseRef[]): Outcome }
  | { run: 'addCaseInfo'; caseId: string; text: string; photos: DraftPhoto[]; next(added: boolean): Outcome }
  | { run: 'openCase'; props: OpenCaseProps; next(opened: OpenedCase): Outcome }
  /** "ลบข้อมูลของฉัน": how many cases would be anonymised, how many of them are open. */
  | { run: 'countMyCases'; next(counts: { cases: number; open: number }): Outcome }
  /** Confirmed: every case of theirs anonymised, the draft and the chat's record deleted (shared/privacy/anonymise.ts). */
  | { run: 'eraseMe'; next(erased: { cases: number }): Outcome }
  /** The open cases that look like the draft's problem (shared/cases/relatedOffer.ts). */
  | { run: 'findRelated'; probe: RelatedProbe; next(offers: RelatedOffer[]): Outcome }
  /** "แจ้งด้วย": follow that case (shared/cases/commands/joinCase.ts). */
  | { run: 'joinCase'; caseId: string; next(r: JoinOutcome): Outcome }
  /** "เลิกติดตาม <เลขที่>": stop following a joined case. */
  | { run: 'unfollow'; trackingNo: string; next(done: boolean): Outcome };

export type Outcome = StepResult | Command;

/** A state's decision; only `deps.clock` is read here, the rest is for effects.ts. */
export type StateHandler = (input: Input, ctx: Ctx, deps: ConversationDeps) => Outcome;

/** PDPA notice version shown at consent and stored on the case (one version for chat and form: shared/pdpa.ts). */
export { PDPA_NOTICE_VERSION } from '../../shared/pdpa.ts';
export const MAX_PHOTOS = 5;
/** An unfinished complaint older than this is dropped (personal data is not kept for nothing). */
export const DRAFT_TTL_MS = 24 * 3600 * 1000;
