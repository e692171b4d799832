import { SUBJECT_CATEGORIES } from '../../shared/categories.ts';
import { suggestProblemTypes } from '../../shared/problems/suggest.ts';
import { PROBLEM_TYPES, problemType } from '../../shared/problems/types.ts';
import { text } from '../messages/build.ts';
import { MAX_DESCRIPTION } from './askingDescription.ts';
import { advance, askCategory, isSentence } from './prompts.ts';
import type { StateHandler } from './types.ts';

/**
 * Waits for the problem type: a button, its number or name typed, or words that point to one (then
 * the question is asked again with those types first; a whole sentence is kept as the description). A category button from before the
 * types (still on an older message in the chat) records the category alone, as it did.
 */
export const askingCategory: StateHandler = (input, ctx) => {
  if (input.kind === 'postback' && input.action === 'types') {
    return { replies: askCategory(ctx, ctx.draft, input.value === 'rest' ? 'rest' : 'first'), state: 'askingCategory', draft: ctx.draft };
  }
  if (input.kind === 'postback' && input.action === 'cat') {
    const category = SUBJECT_CATEGORIES.find((c) => c.code === input.value);
    if (category) return advance(ctx, { ...ctx.draft, category: category.code, problemType: undefined });
  }
  let code: string | undefined;
  if (input.kind === 'postback' && input.action === 'type') code = input.value;
  if (input.kind === 'text') {
    const typed = input.text.trim().toLowerCase();
    const byNumber = /^\d{1,2}$/.test(typed) ? PROBLEM_TYPES[Number(typed) - 1] : undefined;
    code = (byNumber ?? PROBLEM_TYPES.find((t) => [t.th, t.en.toLowerCase(), `${t.icon} ${t.th}`, `${t.icon} ${t.en.toLowerCase()}`].includes(typed)))?.code;
    // The story told here instead of a type: kept as the description (not asked for again), and the
    // question asked again with the types it points to first.
    if (!code && isSentence(input.text)) {
      const description = [ctx.draft.description, input.text.trim()].filter(Boolean).join('\n');
      if ([...description].length <= MAX_DESCRIPTION) {
        const draft = { ...ctx.draft, description, pendingText: undefined };
        return { replies: askCategory(ctx, draft), state: 'askingCategory', draft };
      }
    }
    if (!code && suggestProblemTypes(typed).length) {
      return { replies: askCategory(ctx, ctx.draft, 'first', input.text), state: 'askingCategory', draft: ctx.draft };
    }
  }
  const type = problemType(code);
  if (!type) return { replies: [text(ctx.t.problemTypeAgain), ...askCategory(ctx, ctx.draft)], state: 'askingCategory', draft: ctx.draft };
  return advance(ctx, { ...ctx.draft, problemType: type.code, category: type.category });
};
