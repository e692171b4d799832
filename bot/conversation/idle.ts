import { text } from '../messages/build.ts';
import { menuItems } from './prompts.ts';
import type { StateHandler } from './types.ts';

/** Nothing in progress: anything that is not a menu command gets a helpful answer, never silence. */
export const idle: StateHandler = (_input, ctx) => ({ replies: [text(ctx.t.help, menuItems(ctx))], state: 'idle', draft: {} });
