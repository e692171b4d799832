import type { webhook } from '@line/bot-sdk';
import { copy, langFrom, type Lang } from '../../shared/i18n/index.ts';
import { REPLY_TOKEN_USABLE_MS } from '../../shared/line/client.ts';
import type { LineEventJob } from '../../shared/queues.ts';
import { step } from '../conversation/step.ts';
import { DRAFT_TTL_MS, type Ctx, type Draft, type Input, type StateName } from '../conversation/types.ts';
import { text, type Message } from '../messages/build.ts';
import type { BotDeps } from '../deps.ts';
import { isLinkMessage, linkCase, type LinkFailures } from './linkCase.ts';
import { accept, forwardToSuggestedAgency, register, REGISTER_PATTERN, takeOver, view } from './officer.ts';
import { deletePhotos } from '../media.ts';
import { englishRichMenu } from '../richMenu.ts';
import { linkOfficerMenu, MY_WORK_PATTERN, myWorkReply, OFFICER_HELP_PATTERN, officerHelpReply } from './officerMenu.ts';
import { GROUP_CODE_REQUEST, groupCodeReply, handleGroupEvent, LATE_UNITS_PATTERN, lateUnitsReply, nudgeReply } from './supervisor.ts';

function toInput(event: webhook.Event): Input {
  if (event.type === 'follow') return { kind: 'follow' };
  if (event.type === 'postback') {
    const data = event.postback.data;
    const p = new URLSearchParams(data);
    return { kind: 'postback', data, step: p.get('s') ?? undefined, action: p.get('a') ?? undefined, value: p.get('v') ?? p.get('c') ?? undefined };
  }
  if (event.type === 'message') {
    const m = event.message;
    if (m.type === 'text') return { kind: 'text', text: m.text };
    if (m.type === 'image') return { kind: 'image', messageId: m.id };
    if (m.type === 'sticker') return { kind: 'sticker' };
    if (m.type === 'location') return { kind: 'location', latitude: m.latitude, longitude: m.longitude, title: m.title ?? undefined, address: m.address ?? undefined };
    return { kind: 'other', what: m.type };
  }
  return { kind: 'other', what: event.type };
}

/** Officer actions (registration, alert-card buttons) and case linking do not touch the conversation state. */
async function officerAction(input: Input, ctx: Ctx, deps: BotDeps, failures: LinkFailures | undefined): Promise<Message[] | undefined> {
  // While the citizen picks which case an answer is for, a tracking number typed is that choice.
  if (input.kind === 'text' && ctx.state !== 'choosingCase' && isLinkMessage(input.text, ctx.state === 'idle')) return linkCase(input.text, ctx, deps, failures);
  if (input.kind === 'text') {
    const m = REGISTER_PATTERN.exec(input.text.trim());
    if (m) {
      const replies = await register(m[1], ctx, deps);
      await linkOfficerMenu(ctx.userId, deps);
      return replies;
    }
    if (MY_WORK_PATTERN.test(input.text)) return myWorkReply(ctx, deps);
    if (OFFICER_HELP_PATTERN.test(input.text)) {
      const help = await officerHelpReply(ctx, deps);
      if (help) return help;
    }
    if (/^(ลงทะเบียน|register)$/i.test(input.text.trim())) return [text(ctx.t.registerUsage)];
    if (LATE_UNITS_PATTERN.test(input.text)) return lateUnitsReply(ctx, deps);
    if (GROUP_CODE_REQUEST.test(input.text)) return groupCodeReply(ctx, deps);
  }
  if (input.kind === 'postback' && !input.step && input.value) {
    if (input.action === 'accept') return accept(input.value, ctx, deps);
    if (input.action === 'view') return view(input.value, ctx, deps);
    if (input.action === 'takeover') return takeOver(input.value, ctx, deps);
    if (input.action === 'fwdAgency') return forwardToSuggestedAgency(input.value, ctx, deps);
    if (input.action === 'nudgeUnit') return nudgeReply(input.value, ctx, deps);
  }
  return undefined;
}

/**
 * Handles one webhook event (in the worker). The turn's result — next state and replies — is saved
 * with the event id before anything is sent: a job retried after a crash resends those replies
 * instead of applying the event a second time.
 */
export async function handleLineEvent(deps: BotDeps, job: LineEventJob): Promise<void> {
  const { event } = job;
  if (event.source?.type === 'group') return handleGroupEvent(deps, job);
  if (event.type === 'unfollow' && event.source?.type === 'user' && event.source.userId) return forgetDraft(deps, event.source.userId);
  if (event.type === 'unfollow' || !event.source || event.source.type !== 'user' || !event.source.userId) return;
  if (!['follow', 'message', 'postback'].includes(event.type)) return;
  const userId = event.source.userId;
  const eventId = event.webhookEventId;
  // A token too old to work is not tried: the turn is pushed with its retry key (a retry after a
  // failed send, or a turn that waited behind a slow one, would otherwise spend a call on a 400).
  const fresh = typeof event.timestamp === 'number' && deps.clock.now().getTime() - event.timestamp < REPLY_TOKEN_USABLE_MS;
  const replyToken = fresh && 'replyToken' in event ? (event.replyToken as string | undefined) : undefined;

  const conv = await deps.models.Conversation.findById(userId).lean();
  if (conv?.lastEventId === eventId) {
    // Applied before a crash; the replies may not have gone out. The retry key keeps a resend single.
    if (Array.isArray(conv.outbox) && conv.outbox.length) {
      await sendTurn(deps, userId, eventId, replyToken, conv.outbox as Message[], conv.replyAttempt === eventId);
    }
    return;
  }

  if (job.redriven && conv?.updatedAt && new Date(conv.updatedAt as Date).getTime() > event.timestamp) {
    // Redriven from the dead letters after the chat moved on: a stale turn, not applied.
    deps.log.info({ userId, eventId }, 'redriven turn skipped: its chat moved on since');
    return;
  }

  let lang = (conv?.lang as Lang | undefined) ?? 'th';
  let displayName = conv?.displayName ?? '';
  if (!conv || event.type === 'follow') {
    // Language and name come from LINE, not from what the user types.
    const profile = await deps.line.api.getProfile(userId).catch(() => undefined);
    if (profile) { lang = langFrom(profile.language); displayName = profile.displayName; }
  }

  let state = (conv?.state as StateName | undefined) ?? 'idle';
  let draft = (conv?.draft as Draft | undefined) ?? {};
  const before: Message[] = [];
  const updatedAt = conv?.updatedAt ? new Date(conv.updatedAt as Date).getTime() : 0;
  if (state !== 'idle' && deps.clock.now().getTime() - updatedAt > DRAFT_TTL_MS) {
    // Its photos go with it: nothing else points at them.
    await deletePhotos(deps.models, [...(draft.photos ?? []), ...(draft.pendingInfo?.photos ?? [])]);
    state = 'idle'; draft = {};
    before.push(text(copy(lang).expiredDraft));
  }
  const ctx: Ctx = { userId, displayName, lang, t: copy(lang), state, draft, eventId };
  const input = toInput(event);

  let replies: Message[];
  const officerReplies = await officerAction(input, ctx, deps, conv?.linkFailures as LinkFailures | undefined);
  if (officerReplies) {
    replies = officerReplies;
  } else {
    if (state === 'confirming' && input.kind === 'postback' && input.action === 'yes') {
      // Creating the case takes a moment: show LINE's typing indicator meanwhile.
      deps.line.api.showLoadingAnimation({ chatId: userId, loadingSeconds: 5 }).catch(() => undefined);
    }
    const result = await step(input, ctx, deps);
    // At most 5 per turn: the question asked last is the one to keep.
    replies = [...before, ...result.replies].slice(-5);
    state = result.state;
    draft = result.draft;
    if (result.forget) displayName = '';
  }

  await deps.models.Conversation.updateOne(
    { _id: userId },
    { $set: { state, draft, lang, displayName, lastEventId: eventId, outbox: replies, replyAttempt: replyToken ? eventId : null } },
    { upsert: true },
  );
  if (event.type === 'follow' && deps.richMenuId && !(await linkOfficerMenu(userId, deps))) {
    // English speakers get the English menu, linked to them; everyone else sees the default (Thai) one.
    const menuId = lang === 'en' ? await englishRichMenu(deps.line, deps.log) : await deps.richMenuId();
    if (menuId) await deps.line.api.linkRichMenuIdToUser(userId, menuId);
  }
  await sendTurn(deps, userId, eventId, replyToken, replies);
}

/**
 * Unfollow (blocked the bot): LINE stops our pushes itself. The half-written complaint and its photos
 * are deleted, since nobody will finish it; the cases stay (the unit still works on them, and the
 * citizen can follow them again by unblocking, or ask deletion: docs/privacy.md).
 */
async function forgetDraft(deps: BotDeps, userId: string): Promise<void> {
  const conv = await deps.models.Conversation.findById(userId, { state: 1, draft: 1 }).lean();
  if (!conv || conv.state === 'idle') return;
  const draft = (conv.draft ?? {}) as Draft;
  await deletePhotos(deps.models, [...(draft.photos ?? []), ...(draft.pendingInfo?.photos ?? [])]);
  await deps.models.Conversation.updateOne({ _id: userId }, { $set: { state: 'idle', draft: {} } });
}

/** Sends a turn's saved replies, then marks them sent: a retry of the job after this point sends nothing. */
async function sendTurn(deps: BotDeps, userId: string, eventId: string, replyToken: string | undefined, replies: Message[], resend = false): Promise<void> {
  if (replies.length) {
    await deps.line.replyOrPush(userId, replyToken, replies, `reply:${eventId}`, {
      resend,
      onReplyRefused: async () => { await deps.models.Conversation.updateOne({ _id: userId }, { $set: { replyAttempt: null } }); },
    });
  }
  // Turns of one chat run one at a time (per-chat shard), so a check by _id then a write by _id is
  // enough; a filter on lastEventId too would read every conversation on FerretDB/SQLite.
  const conv = await deps.models.Conversation.findById(userId, { lastEventId: 1 }).lean();
  if (conv?.lastEventId === eventId) await deps.models.Conversation.updateOne({ _id: userId }, { $set: { outbox: null } });
}
