/**
 * The page's configuration and the signed-in person, shared by the LINE sign-in (auth.ts) and the
 * demo sign-in (demo.ts) so that neither has to import the other for its types.
 */
import type { TokenSource } from './api.ts';

export interface PageConfig { liffId: string; simulatorUrl?: string }

export interface Session extends TokenSource {
  /** LINE's app language, e.g. 'th', 'en' (undefined when unknown). */
  lineLang?: string;
  /** A stable, non-secret key for this person's drafts on this device. */
  userKey: string;
  demo: boolean;
}
