/**
 * Who is using the page: LINE's ID token from `@line/liff`, sent to our API as the bearer token (the
 * server verifies it with LINE; it never trusts a user id from the page).
 *
 * The pluggable LIFF SDK (`@line/liff/core` + the modules used) keeps the SDK small. In the local demo
 * and the tests the page runs outside LINE: `demo.ts` (a separate chunk, loaded only then) plugs in
 * `@line/liff-mock` and gets a real, verifiable ID token from the LINE simulator.
 */
import liff from '@line/liff/core';
import GetAppLanguage from '@line/liff/get-app-language';
import GetIDToken from '@line/liff/get-id-token';
import IsInClient from '@line/liff/is-in-client';
import IsLoggedIn from '@line/liff/is-logged-in';
import Login from '@line/liff/login';
import type { PageConfig, Session } from './session.ts';

export function readConfig(): PageConfig {
  const el = document.getElementById('rongrian-config');
  try {
    const c = el ? JSON.parse(el.textContent ?? '{}') : {};
    return { liffId: typeof c.liffId === 'string' ? c.liffId : '', ...(typeof c.simulatorUrl === 'string' ? { simulatorUrl: c.simulatorUrl } : {}) };
  } catch {
    return { liffId: '' };
  }
}

/** The `sub` of a JWT, used only as a storage key (the server does the verifying). */
export function subOf(idToken: string): string {
  try {
    const payload = JSON.parse(atob(idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.sub === 'string' ? payload.sub : 'anon';
  } catch {
    return 'anon';
  }
}

function installModules(): void {
  // IsInClient must come before the mock plugin (liff-mock depends on liff.isInClient).
  liff.use(new IsInClient());
  liff.use(new IsLoggedIn());
  liff.use(new Login());
  liff.use(new GetIDToken());
  liff.use(new GetAppLanguage());
}

export class NoLiffIdError extends Error {}

export async function startSession(config: PageConfig): Promise<Session> {
  installModules();
  if (config.simulatorUrl) {
    const { startDemoSession } = await import('./demo.ts');
    return startDemoSession(liff, config);
  }
  if (!config.liffId) throw new NoLiffIdError('LIFF_ID is not configured');
  await liff.init({ liffId: config.liffId });
  if (!liff.isLoggedIn()) {
    // Outside the LINE app: LINE Login, then back here (the draft is in localStorage).
    liff.login({ redirectUri: location.href });
    await new Promise(() => undefined);
  }
  const first = liff.getIDToken();
  if (!first) {
    liff.login({ redirectUri: location.href });
    await new Promise(() => undefined);
  }
  return {
    demo: false,
    lineLang: liff.getAppLanguage(),
    userKey: subOf(first!),
    async token() {
      const t = liff.getIDToken();
      if (t) return t;
      liff.login({ redirectUri: location.href });
      return new Promise<string>(() => undefined);
    },
    async renew() {
      // LIFF keeps one ID token per login; an expired one needs a new login (comes back to this URL).
      liff.login({ redirectUri: location.href });
      return new Promise<string>(() => undefined);
    },
  };
}
