import type { Logger } from '../shared/logger.ts';
import type { CaseEvent } from '../shared/cases/events.ts';
import { copy, type Copy, type Lang } from '../shared/i18n/index.ts';
import { th } from '../shared/i18n/th.ts';
import type { LineClient } from '../shared/line/client.ts';
import { caseLink, liffUrl, officerCaseLink, type LinkConfig } from '../shared/links.ts';
import type { CaseDoc, Models } from '../shared/models/index.ts';
import { ackDueAt } from '../shared/sla/policy.ts';
import { formatDateTime } from '../shared/thaiDate.ts';
import { caseAlertCard } from './messages/caseAlert.ts';
import { citizenLangOf, citizenMessage } from '../shared/cases/citizenMessages.ts';
import { caseHolder, isFixedTreeUnit, nearestActors } from '../shared/cases/access.ts';
import { redactText } from '../shared/privacy/redact.ts';
import { completeMerge } from '../shared/cases/commands/mergeCases.ts';
import type { Clock } from '../shared/clock.ts';

export interface NotifyDeps {
  models: Models;
  line: LineClient;
  log: Logger;
  /** Where links in messages point (LIFF app in LINE, or this deployment's pages). */
  links: LinkConfig;
  clock: Clock;
}

/**
 * Officers to alert for a unit. If nobody there has registered yet, the alert goes up the ladder
 * rather than into the void — a case nobody hears about is a lost case (an agency's ladder goes
 * through its supervising centre). The one ladder rule: nearestActors in shared/cases/access.ts.
 */
function recipientsFor(models: Models, unitCode: string, concernedUnitCode?: string | null): Promise<{ unitCode: string; lineUserIds: string[] }> {
  return nearestActors(models, unitCode, { concernedUnitCode });
}

/**
 * Tells people what happened to a case. Each LINE call carries a retry key seeded by the event id,
 * so a job that crashed half-way and runs again delivers nothing twice.
 */
export async function processDomainEvent(deps: NotifyDeps, event: CaseEvent): Promise<void> {
  const c = await deps.models.Case.findById(event.caseId).lean<CaseDoc>();
  if (!c) return;
  if (event.type === 'case.opened') {
    // Filed on the LIFF form: the tracking number also goes into the chat (the chat intake answers by itself).
    if (event.data.via === 'liff') {
      // Honest about who holds it: a unit with nobody registered does not "contact you soon".
      const held = await caseHolder(deps.models, c.unitCode, c.concernedUnitCode);
      await tellCitizen(deps, event, c, async (t, lang) => (held.unowned && held.holder
        ? t.liffCaseCreatedUnowned(c.trackingNo, await unitName(deps.models, c.unitCode, lang), await unitName(deps.models, held.holder, lang), caseLink(deps.links, String(c._id)))
        : t.liffCaseCreated(c.trackingNo, await unitName(deps.models, c.unitCode, lang), caseLink(deps.links, String(c._id)))), 'complainant');
    }
    const to = await recipientsFor(deps.models, c.unitCode, c.concernedUnitCode);
    if (!to.lineUserIds.length) {
      deps.log.warn({ case: c.trackingNo, unit: c.unitCode }, 'no registered officer anywhere up the ladder');
      return;
    }
    let note: string | undefined;
    const escalated = to.unitCode !== c.unitCode;
    if (escalated) {
      const unit = await deps.models.Unit.findById(c.unitCode).lean();
      note = `${th.escalatedNoOfficer(unit?.nameTh ?? c.unitCode)}\n${th.escalatedTakeOverHint}`;
    }
    // The deadline stored on the case (its unit's policy, the holiday overrides); older cases: the channel default.
    const suggestedAgency = c.suggestedUnitCode && c.suggestedUnitCode !== c.unitCode ? await unitName(deps.models, c.suggestedUnitCode, 'th') : undefined;
    const card = caseAlertCard(c, { ackDueAt: c.ackDueAt ?? ackDueAt(c.channel, (c.receivedAt ?? c.createdAt) as Date), note, takeOver: escalated, suggestedAgency });
    await deps.line.multicast(to.lineUserIds, [card], `${event.id}:officers`);
    if (!escalated) await copySupervisingCentre(deps, event, c);
    return;
  }
  if (event.type === 'case.assigned') {
    const officerName = String(event.data.officerName ?? '');
    const officerId = String(event.data.officerId ?? '');
    const officers = await deps.models.Officer.find({ unitCode: c.unitCode, active: true }, { lineUserId: 1 }).lean();
    const others = officers.filter((o) => String(o._id) !== officerId).map((o) => o.lineUserId);
    if (others.length) await deps.line.multicast(others, [{ type: 'text', text: th.takenNotice(c.trackingNo, officerName) }], `${event.id}:others`);
    if (event.data.assignedById) await tellAssignee(deps, event, c, officerId);
    // The complainant's push keeps the retry key it always had; followers get their own.
    for (const to of citizenAudience(c, 'everyone')) {
      const t = copy(to.lang);
      const text = t.caseAssignedToCitizen(c.trackingNo, await unitName(deps.models, c.unitCode, to.lang));
      await deps.line.push(to.lineUserId, [{ type: 'text', text: to.follower ? `${t.followerHeader}\n\n${text}` : text }], to.follower ? `${event.id}:${to.lineUserId}` : `${event.id}:citizen`);
    }
    return;
  }
  const handler = HANDLERS[event.type];
  if (handler) await handler(deps, event, c);
}

/**
 * A case routed straight to a partner agency: the centre supervising the hand-off is copied, since it
 * keeps answering for the case (its SLA, its late-units card). When nobody at the agency is registered
 * the alert itself climbed to the centre, and no copy is needed.
 */
async function copySupervisingCentre(deps: NotifyDeps, event: CaseEvent, c: CaseDoc): Promise<void> {
  // Centres of the fixed tree are never agencies: no read for them.
  if (isFixedTreeUnit(c.unitCode)) return;
  const unit = await deps.models.Unit.findById(c.unitCode, { level: 1, parentCode: 1, nameTh: 1 }).lean();
  if (unit?.level !== 'partner' || !unit.parentCode) return;
  // Its heads (else executives, up the ladder): the ones who may open a case of a unit below theirs.
  const to = await nearestActors(deps.models, unit.parentCode, { concernedUnitCode: c.concernedUnitCode, supervisorsOnly: true });
  if (!to.lineUserIds.length) return;
  await deps.line.multicast(to.lineUserIds, [{ type: 'text', text: th.agencyCopy(c.trackingNo, unit.nameTh, officerCaseLink(deps.links, String(c._id))) }], `${event.id}:supervisor`);
}

type Handler = (deps: NotifyDeps, event: CaseEvent, c: CaseDoc) => Promise<void>;

/** The text the command wrote on the timeline with this event (read from the case, so no personal text sits in the queue). */
function entryNote(c: CaseDoc, event: CaseEvent): string {
  return c.timeline.find((e) => e.eventId === event.id)?.note ?? '';
}

async function unitName(models: Models, code: string, lang: Lang): Promise<string> {
  const unit = await models.Unit.findById(code).lean();
  return unit ? (lang === 'en' ? unit.nameEn : unit.nameTh) : code;
}

/**
 * Who hears about a case as a citizen, each in their own language: the complainant and, for
 * `everyone`, each follower (joined with "แจ้งด้วย", or whose own case was merged into this one).
 * `complainant`: what is theirs alone (an officer's question, the survey). Nobody twice, and a
 * follower who is the complainant counts once, as the complainant.
 */
export function citizenAudience(c: Pick<CaseDoc, 'complainant' | 'followers'>, who: 'everyone' | 'complainant'): { lineUserId: string; lang: Lang; follower: boolean }[] {
  const out: { lineUserId: string; lang: Lang; follower: boolean }[] = [];
  const seen = new Set<string>();
  if (c.complainant?.lineUserId) {
    out.push({ lineUserId: c.complainant.lineUserId, lang: citizenLangOf(c), follower: false });
    seen.add(c.complainant.lineUserId);
  }
  if (who === 'everyone') {
    for (const f of c.followers ?? []) {
      if (!f.lineUserId || seen.has(f.lineUserId)) continue;
      seen.add(f.lineUserId);
      out.push({ lineUserId: f.lineUserId, lang: f.lang === 'en' ? 'en' : 'th', follower: true });
    }
  }
  return out;
}

/**
 * A text push to each citizen of the case (`citizenAudience`) in their language; nothing for a case
 * with nobody on LINE. Followers read it under a line saying why they get it; builders pass an
 * officer's words to them through `forFollower` (personal data written for the complainant
 * redacted; links left whole). Seed = event id + recipient, so a retried job sends nobody anything twice.
 */
async function tellCitizen(
  deps: NotifyDeps, event: CaseEvent, c: CaseDoc, build: (t: Copy, lang: Lang, follower: boolean) => string | Promise<string>,
  who: 'everyone' | 'complainant' = 'everyone',
  /** Only the followers: the complainant's message is sent separately (the closure, with its survey buttons). */
  followersOnly = false,
  /** People told already by another message of the same event. */
  skip: (lineUserId: string) => boolean = () => false,
): Promise<void> {
  for (const to of citizenAudience(c, who)) {
    if ((followersOnly && !to.follower) || skip(to.lineUserId)) continue;
    const t = copy(to.lang);
    const text = await build(t, to.lang, to.follower);
    const body = to.follower ? `${t.followerHeader}\n\n${text}` : text;
    await deps.line.push(to.lineUserId, [{ type: 'text', text: body.slice(0, 5000) }], `${event.id}:${to.lineUserId}`);
  }
}

/** An officer's words as a follower gets them: what they may have named of the complainant redacted. */
const forFollower = (text: string, follower: boolean): string => (follower ? redactText(text) : text);

/** The officer who has the case, else every active officer of its unit. */
async function tellOfficers(deps: NotifyDeps, event: CaseEvent, c: CaseDoc, text: string): Promise<void> {
  let to: string[] = [];
  const assigneeId = c.assignee?.officerId ?? (typeof event.data.assigneeId === 'string' ? event.data.assigneeId : undefined);
  if (assigneeId && /^[0-9a-f]{24}$/.test(assigneeId)) {
    const o = await deps.models.Officer.findOne({ _id: assigneeId, active: true }, { lineUserId: 1 }).lean();
    if (o) to = [o.lineUserId];
  }
  if (!to.length) to = (await deps.models.Officer.find({ unitCode: c.unitCode, active: true }, { lineUserId: 1 }).lean()).map((o) => o.lineUserId);
  if (to.length) await deps.line.multicast(to, [{ type: 'text', text }], `${event.id}:officers:${c.unitCode}`);
}

/** The officer a supervisor named for a case: a LINE alert with the link to it. */
async function tellAssignee(deps: NotifyDeps, event: CaseEvent, c: CaseDoc, officerId: string): Promise<void> {
  if (!/^[0-9a-f]{24}$/.test(officerId)) return;
  const o = await deps.models.Officer.findOne({ _id: officerId, active: true }, { lineUserId: 1 }).lean();
  if (!o) return;
  const by = String(event.data.assignedByName ?? event.data.officerName ?? '');
  await deps.line.push(o.lineUserId, [{ type: 'text', text: th.officerAssignedToYou(c.trackingNo, by, officerCaseLink(deps.links, String(c._id))) }], `${event.id}:assignee`);
}

// ------------------------------------------------------------------ related complaints: merged cases

/**
 * A case merged into another (the event is the merged case's): its complainant and followers learn
 * which case carries on; the target's complainant and followers learn that one more person reported
 * it; the target's officers that it has more people to answer.
 */
async function caseMerged(deps: NotifyDeps, event: CaseEvent, c: CaseDoc): Promise<void> {
  // The target's half of the merge first (a crash between the command's two writes left it undone):
  // then the count told below is the one people will see. Its own event waits in the target's outbox
  // for the sweep (nothing here to queue it with); the command's inline counting already counted it.
  await completeMerge({ models: deps.models, clock: deps.clock, publish: async () => undefined }, c, event);
  const target = typeof event.data.targetCaseId === 'string' && /^[0-9a-f]{24}$/.test(event.data.targetCaseId)
    ? await deps.models.Case.findById(event.data.targetCaseId).lean<CaseDoc>() : null;
  const targetNo = String(event.data.targetTrackingNo ?? target?.trackingNo ?? '');
  const link = caseLink(deps.links, String(c._id));
  await tellCitizen(deps, event, c, (t) => t.citizenMergedYours(c.trackingNo, targetNo, link));
  if (!target) return;
  const mergedPeople = new Set(citizenAudience(c, 'everyone').map((p) => p.lineUserId));
  // Counted as the merge left it (the target's write may land after this runs).
  const supporters = Math.max(target.supporterCount ?? 1, (target.relatedCases ?? []).includes(c.trackingNo) ? 0 : (target.supporterCount ?? 1) + (c.supporterCount ?? 1));
  // Those of the merged case were told above (the same event id seeds their retry keys: once each).
  await tellCitizen(deps, event, target, (t) => t.citizenMergedIntoYours(target.trackingNo, c.trackingNo, supporters), 'everyone', false, (id) => mergedPeople.has(id));
  await tellOfficers(deps, event, target, th.officerMergedIn(target.trackingNo, c.trackingNo, supporters, officerCaseLink(deps.links, String(target._id))));
}

const HANDLERS: Partial<Record<CaseEvent['type'], Handler>> = {
  async 'case.info_added'(deps, event, c) {
    // What was added, so the officer can often act from the alert alone (officers of the holding unit see it anyway).
    const entry = c.timeline.find((e) => e.eventId === event.id);
    const words = (entry?.note ?? '').trim();
    const preview = words.length > 300 ? `${words.slice(0, 300)}…` : words;
    await tellOfficers(deps, event, c, th.officerInfoAdded(c.trackingNo, officerCaseLink(deps.links, String(c._id)), preview, entry?.photos ?? 0));
  },

  async 'case.withdrawn'(deps, event, c) {
    await tellCitizen(deps, event, c, (t, _lang, follower) => (follower ? t.followerWithdrawn(c.trackingNo) : t.citizenWithdrawn(c.trackingNo)));
    await tellOfficers(deps, event, c, th.officerWithdrawn(c.trackingNo));
  },

  async 'case.anonymised'(deps, event, c) {
    // Only while someone still works on it; the complainant's LINE id is gone, so nobody else is told.
    if (event.data.open === true && event.data.reason === 'request') await tellOfficers(deps, event, c, th.officerAnonymised(c.trackingNo));
  },

  async 'case.note_added'(deps, event, c) {
    await tellCitizen(deps, event, c, (_t, lang, follower) => citizenMessage('update', c, forFollower(entryNote(c, event), follower), deps.links, lang));
  },

  async 'case.question_asked'(deps, event, c) {
    // A question is for the complainant alone: followers are not asked for anything.
    await tellCitizen(deps, event, c, (_t, lang) => citizenMessage('ask', c, entryNote(c, event), deps.links, lang), 'complainant');
  },

  async 'case.forwarded'(deps, event, c) {
    // Officers of the unit it went to get the alert card, as for a new case (up the ladder if nobody is registered there).
    const to = await recipientsFor(deps.models, event.unitCode, c.concernedUnitCode);
    if (to.lineUserIds.length) {
      const from = String(event.data.fromUnitCode ?? '');
      const notes = [th.forwardedFrom(await unitName(deps.models, from, 'th'), entryNote(c, event))];
      if (to.unitCode !== event.unitCode) notes.push(th.escalatedNoOfficer(await unitName(deps.models, event.unitCode, 'th')));
      const card = caseAlertCard(c, {
        // Stored by forwardCase for the new unit; if the case has moved on since, as it was at the forward by default.
        ackDueAt: c.unitCode === event.unitCode && c.ackDueAt ? c.ackDueAt : ackDueAt(c.channel, new Date(event.at)),
        note: notes.join('\n'),
      });
      await deps.line.multicast(to.lineUserIds, [card], `${event.id}:unit:${to.unitCode}`);
    } else {
      deps.log.warn({ case: c.trackingNo, unit: event.unitCode }, 'forwarded case: no registered officer anywhere up the ladder');
    }
    // Honest about who holds it when the new unit has nobody registered yet.
    const held = await caseHolder(deps.models, event.unitCode, c.concernedUnitCode);
    await tellCitizen(deps, event, c, async (t, lang) => (held.unowned && held.holder
      ? t.citizenForwardedUnowned(c.trackingNo, await unitName(deps.models, event.unitCode, lang), await unitName(deps.models, held.holder, lang), caseLink(deps.links, String(c._id)))
      : t.citizenForwarded(c.trackingNo, await unitName(deps.models, event.unitCode, lang), caseLink(deps.links, String(c._id)))));
  },

  async 'case.taken_over'(deps, event, c) {
    const from = String(event.data.fromUnitCode ?? '');
    const by = String(event.data.officerName ?? '');
    const unitTh = await unitName(deps.models, event.unitCode, 'th');
    // Whoever was alerted below (the unit's officers, if any registered since) need not act any more.
    const below = (await deps.models.Officer.find({ unitCode: from, active: true }, { lineUserId: 1 }).lean()).map((o) => o.lineUserId);
    if (below.length) await deps.line.multicast(below, [{ type: 'text', text: th.takenOverNotice(c.trackingNo, unitTh, by) }], `${event.id}:from`);
    const assigneeId = String(event.data.assigneeId ?? '');
    if (assigneeId && assigneeId !== String(event.data.officerId ?? '')) await tellAssignee(deps, event, c, assigneeId);
    await tellCitizen(deps, event, c, async (t, lang) => t.citizenTakenOver(c.trackingNo, await unitName(deps.models, event.unitCode, lang), caseLink(deps.links, String(c._id))));
  },

  async 'case.closed'(deps, event, c) {
    // LINE image messages need a public https URL and our files are behind the LIFF login (they may
    // show the complainant's home): the chat gets the count and a link to the case page that shows them.
    const id = String(c._id);
    const photos = c.timeline.find((e) => e.eventId === event.id)?.photos ?? 0;
    // Followers read the result too, without the survey: rating the service and reopening are the complainant's.
    await tellCitizen(deps, event, c, (t) => t.followerClosed(c.trackingNo, redactText(entryNote(c, event)), caseLink(deps.links, id)), 'everyone', true);
    const to = c.complainant?.lineUserId;
    if (!to) return;
    const lang: Lang = c.complainant?.lang === 'en' ? 'en' : 'th';
    const t = copy(lang);
    // The same words the officer's preview showed (shared/cases/citizenMessages.ts).
    const text = citizenMessage('close', c, entryNote(c, event), deps.links, lang, photos);
    // The first question of the survey, one tap away: both open the LIFF survey with the answer picked.
    const answer = (label: string, fixed: 'yes' | 'no') => ({ type: 'action' as const, action: { type: 'uri' as const, label, uri: liffUrl(deps.links, `/survey/${id}?fixed=${fixed}`) } });
    await deps.line.push(to, [{ type: 'text', text, quickReply: { items: [answer(t.closedQuickFixed, 'yes'), answer(t.closedQuickNotFixed, 'no')] } }], `${event.id}:${to}`);
  },

  async 'case.reopened'(deps, event, c) {
    const note = entryNote(c, event);
    const toParent = event.data.toParent === true;
    const due = c.resolveDueAt ? formatDateTime(new Date(c.resolveDueAt)) : '-';
    const link = officerCaseLink(deps.links, String(c._id));
    let to: string[];
    let text: string;
    if (toParent) {
      // Sent up: the parent unit's officers and heads (up the ladder if nobody is registered there).
      to = (await recipientsFor(deps.models, event.unitCode)).lineUserIds;
      text = th.officerReopenedUp(c.trackingNo, await unitName(deps.models, String(event.data.fromUnitCode ?? ''), 'th'), note, due, link);
    } else {
      // Back where it was closed: whoever had it, and the unit's heads, who answer for the closure.
      const assigneeId = typeof event.data.assigneeId === 'string' && /^[0-9a-f]{24}$/.test(event.data.assigneeId) ? event.data.assigneeId : undefined;
      const assignee = assigneeId ? await deps.models.Officer.findOne({ _id: assigneeId, active: true }, { lineUserId: 1 }).lean() : null;
      const heads = await deps.models.Officer.find({ unitCode: event.unitCode, active: true, role: 'head' }, { lineUserId: 1 }).lean();
      to = [...new Set([...(assignee ? [assignee.lineUserId] : []), ...heads.map((h) => h.lineUserId)])];
      if (!to.length) to = (await recipientsFor(deps.models, event.unitCode)).lineUserIds;
      text = th.officerReopened(c.trackingNo, note, due, link);
    }
    if (to.length) await deps.line.multicast(to, [{ type: 'text', text: text.slice(0, 5000) }], `${event.id}:officers`);
    else deps.log.warn({ case: c.trackingNo, unit: event.unitCode }, 'reopened case: no registered officer anywhere up the ladder');
    await tellCitizen(deps, event, c, async (t, lang) => t.citizenReopened(c.trackingNo, await unitName(deps.models, event.unitCode, lang), c.resolveDueAt ? formatDateTime(new Date(c.resolveDueAt), lang) : '-', caseLink(deps.links, String(c._id))));
  },

  async 'case.rejected'(deps, event, c) {
    await tellCitizen(deps, event, c, (_t, lang, follower) => citizenMessage('reject', c, forFollower(entryNote(c, event), follower), deps.links, lang));
  },

  async 'case.joined'(deps, event, c) {
    // The count rising is what officers need to know (a problem many people have); who joined, they do not.
    const n = typeof event.data.supporterCount === 'number' ? event.data.supporterCount : c.supporterCount ?? 2;
    await tellOfficers(deps, event, c, th.officerJoined(c.trackingNo, n, officerCaseLink(deps.links, String(c._id))));
  },

  'case.merged': caseMerged,

  async 'case.line_linked'(deps, event, c) {
    // A first link is routine; a case moving to another LINE account is what the unit must know of (the previous account is told by the bot).
    if (event.data.relinked === true) await tellOfficers(deps, event, c, th.officerCaseRelinked(c.trackingNo, officerCaseLink(deps.links, String(c._id))));
  },
};
