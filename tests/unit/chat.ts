/**
 * Drives the conversation's decisions (bot/conversation/step.ts `decide`) with no service behind them.
 * The deps hold a fixed clock and nothing else that works: a state that reached for the database, the
 * event bus, the logger or LINE's content API instead of returning a command would throw here.
 */
import { expect } from 'vitest';
import type { messagingApi } from '@line/bot-sdk';
import { decide } from '../../bot/conversation/step.ts';
import type { Command, ConversationDeps, Ctx, Draft, Input, Outcome, StateName, StepResult } from '../../bot/conversation/types.ts';
import { copy, type Lang } from '../../shared/i18n/index.ts';

export const NOW = new Date('2026-11-22T07:05:00Z');

function forbidden(what: string): never {
  throw new Error(`a conversation state used ${what} directly: it must return a command for effects.ts`);
}

const refuse = (what: string) => new Proxy({}, { get: (_t, key) => key === 'then' ? undefined : forbidden(`${what}.${String(key)}`) });

export const deps: ConversationDeps = {
  clock: { now: () => new Date(NOW) },
  models: refuse('models') as ConversationDeps['models'],
  publish: (() => forbidden('publish')) as unknown as ConversationDeps['publish'],
  log: refuse('log') as ConversationDeps['log'],
  storeImage: () => forbidden('storeImage'),
};

export function ctxOf(state: StateName, draft: Draft = {}, lang: Lang = 'th'): Ctx {
  return { userId: 'U-citizen', displayName: 'สมชาย', lang, t: copy(lang), state, draft, eventId: 'ev-1' };
}

export const th = copy('th');
export const en = copy('en');

export const say = (text: string): Input => ({ kind: 'text', text });
export const tap = (step: string, action: string, value?: string): Input => ({ kind: 'postback', data: `s=${step}&a=${action}`, step, action, value });

/** One turn decided; fails when the outcome is a command rather than the reply. */
export function turn(input: Input, ctx: Ctx): StepResult {
  const out = decide(input, ctx, deps);
  if ('run' in out) throw new Error(`expected a reply, got the command ${out.run}`);
  return checked(out);
}

/** One turn that must ask for `run` first. */
export function command<R extends Command['run']>(input: Input, ctx: Ctx, run: R): Extract<Command, { run: R }> {
  return commandOf(decide(input, ctx, deps), run);
}

export function commandOf<R extends Command['run']>(out: Outcome, run: R): Extract<Command, { run: R }> {
  if (!('run' in out)) throw new Error(`expected the command ${run}, got a reply: ${texts(out).join(' | ')}`);
  expect(out.run).toBe(run);
  return out as Extract<Command, { run: R }>;
}

export function reply(out: Outcome): StepResult {
  if ('run' in out) throw new Error(`expected a reply, got the command ${out.run}`);
  return checked(out);
}

/** What LINE would refuse: more than 5 messages, a text over 5,000, over 13 buttons, a label over 20. */
function checked(r: StepResult): StepResult {
  expect(r.replies.length).toBeGreaterThan(0);
  expect(r.replies.length).toBeLessThanOrEqual(5);
  for (const m of r.replies) {
    if (m.type === 'text') expect([...(m as messagingApi.TextMessage).text].length).toBeLessThanOrEqual(5000);
    const items = m.quickReply?.items ?? [];
    expect(items.length).toBeLessThanOrEqual(13);
    for (const i of items) {
      const label = (i.action as { label?: string }).label ?? '';
      expect(label.length, label).toBeGreaterThan(0);
      expect(label.length, label).toBeLessThanOrEqual(20);
    }
  }
  return r;
}

export const texts = (r: StepResult): string[] => r.replies.map((m) => (m as messagingApi.TextMessage).text);
/** The text of the last message: the question the citizen now has in front of them. */
export const last = (r: StepResult): string => texts(r).at(-1)!;
export const buttons = (r: StepResult): string[] => (r.replies.at(-1)?.quickReply?.items ?? []).map((i) => (i.action as { label: string }).label);

export const photo = (n: number) => ({ fileId: `f${n}`, contentType: 'image/jpeg', size: 1000 + n, lineMessageId: `m${n}` });

/** A complete draft, ready for the review. */
export const fullDraft = (): Draft => ({
  category: 'help',
  description: 'ถนนหน้าบ้านเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน',
  location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
  photosDone: true,
  photos: [photo(1)],
  consent: { version: 'v1', at: NOW.toISOString() },
});
