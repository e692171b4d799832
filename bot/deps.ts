/**
 * What the bot's handlers need from the running app (LINE client, links, rich menus, plus the
 * conversation's own needs). Kept apart from the handlers so each handler file can name it without
 * importing the dispatcher that imports them.
 */
import type { LineClient } from '../shared/line/client.ts';
import type { LinkConfig } from '../shared/links.ts';
import type { ConversationDeps } from './conversation/types.ts';

export interface BotDeps extends ConversationDeps {
  line: LineClient;
  /** Where links in messages point (shared/links.ts). */
  links: LinkConfig;
  /** The citizen rich menu, linked on follow. */
  richMenuId?: () => Promise<string | undefined>;
  /** The officers' rich menus (bot/richMenu.ts), linked on registration and on an officer's follow. */
  officerMenuId?: (kind: 'officer' | 'supervisor') => Promise<string | undefined>;
}
