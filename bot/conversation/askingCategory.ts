import { SUBJECT_CATEGORIES } from '../../shared/categories.ts';
import { advance, reask } from './prompts.ts';
import type { StateHandler } from './types.ts';

/** Waits for the subject category: a button press, or its name or number typed. */
export const askingCategory: StateHandler = (input, ctx) => {
  let code: string | undefined;
  if (input.kind === 'postback' && input.action === 'cat') code = input.value;
  if (input.kind === 'text') {
    const typed = input.text.trim().toLowerCase();
    const byNumber = /^\d{1,2}$/.test(typed) ? SUBJECT_CATEGORIES[Number(typed) - 1] : undefined;
    code = (byNumber ?? SUBJECT_CATEGORIES.find((c) => [c.th, c.short, c.en.toLowerCase()].includes(typed)))?.code;
  }
  const category = SUBJECT_CATEGORIES.find((c) => c.code === code);
  if (!category) return reask(ctx, ctx.t.askCategoryAgain);
  return advance(ctx, { ...ctx.draft, category: category.code });
};
