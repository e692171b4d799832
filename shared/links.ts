import type { Config } from './config.ts';

/** What a link into the LIFF app needs: the LIFF id (real LINE) or the public base URL (demo). */
export type LinkConfig = Pick<Config, 'LIFF_ID' | 'PUBLIC_BASE_URL'>;

/**
 * A link to a page of the LIFF app (`route` is its hash route, e.g. `/cases/<id>`). With a LIFF id the
 * link opens inside LINE (`https://liff.line.me/<id>/#/…`); without one, the page served by this
 * deployment (`<PUBLIC_BASE_URL>/liff/#/…`), which is what the local demo uses.
 */
export function liffUrl(cfg: LinkConfig, route: string): string {
  const path = route.startsWith('/') ? route : `/${route}`;
  if (cfg.LIFF_ID) return `https://liff.line.me/${encodeURIComponent(cfg.LIFF_ID)}/#${path}`;
  return `${cfg.PUBLIC_BASE_URL.replace(/\/+$/, '')}/liff/#${path}`;
}

/** The citizen's page of a case (timeline, add information, withdraw). */
export const caseLink = (cfg: LinkConfig, caseId: string) => liffUrl(cfg, `/cases/${caseId}`);
/** The satisfaction survey of a closed case. */
export const surveyLink = (cfg: LinkConfig, caseId: string) => liffUrl(cfg, `/survey/${caseId}`);
/** The officer's page of a case. */
export const officerCaseLink = (cfg: LinkConfig, caseId: string) => liffUrl(cfg, `/officer/cases/${caseId}`);
