/**
 * Demo and test mode only (a separate chunk; production never loads it): the page runs outside the
 * LINE app, so `@line/liff-mock` stands in for the LINE app, and the LINE platform simulator — playing
 * LINE — issues the person's ID token (`POST /__sim/users/:id/id-token`). The token is real: the
 * server verifies it with the simulator exactly as it verifies LINE's.
 *
 * Which simulated person? `?user=<LINE user id>` (the simulator's chat page and the tests pass it),
 * else the last one chosen on this device, else a picker (the demo's stand-in for LINE Login).
 */
import { LiffMockPlugin } from '@line/liff-mock';
import type liffCore from '@line/liff/core';
import type { PageConfig, Session } from './session.ts';
import { $, clear, h } from './dom.ts';
import { initialLang, setLang, t } from './i18n.ts';

interface SimUser { userId: string; displayName: string; language?: string; role?: string }
const STORE = 'rongrian.demoUser';

export async function startDemoSession(liff: typeof liffCore, config: PageConfig): Promise<Session> {
  const sim = config.simulatorUrl!;
  liff.use(new LiffMockPlugin());
  await (liff.init as (c: object) => Promise<void>)({ liffId: config.liffId || 'demo-liff-id', mock: true });

  const fromUrl = new URLSearchParams(location.search).get('user');
  const wanted = fromUrl ?? localStorage.getItem(STORE);
  // The token for the person named in the link is asked for alongside the user list (one round trip
  // less on a slow line); the list only supplies the name and language, or the picker.
  const early = wanted ? requestToken(sim, wanted).catch(() => undefined) : Promise.resolve(undefined);
  const users = await listUsers(sim);
  let user = users.find((u) => u.userId === wanted);
  if (!user) user = await pickUser(users, sim);
  localStorage.setItem(STORE, user.userId);

  const chosen = user;
  const useToken = (idToken: string): string => {
    (liff as any).$mock.set((p: object) => ({
      ...p,
      isInClient: true,
      isLoggedIn: true,
      getIDToken: idToken,
      getAppLanguage: chosen.language ?? 'th',
      getLanguage: chosen.language ?? 'th',
      getProfile: { userId: chosen.userId, displayName: chosen.displayName },
    }));
    return idToken;
  };
  const fetchToken = async (): Promise<string> => useToken(await requestToken(sim, chosen.userId));
  const first = chosen.userId === wanted ? await early : undefined;
  if (first) useToken(first);
  else await fetchToken();
  showBar(chosen);

  return {
    demo: true,
    lineLang: liff.getAppLanguage(),
    userKey: chosen.userId,
    // Through the LIFF API, as in production; the mock returns what the simulator issued.
    async token() { return liff.getIDToken() ?? fetchToken(); },
    renew: fetchToken,
  };
}

async function requestToken(sim: string, userId: string): Promise<string> {
  const res = await fetch(`${sim}/__sim/users/${encodeURIComponent(userId)}/id-token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
  });
  if (!res.ok) throw new Error(`LINE simulator answered ${res.status}`);
  return ((await res.json()) as { idToken: string }).idToken;
}

async function listUsers(sim: string): Promise<SimUser[]> {
  try {
    const res = await fetch(`${sim}/__sim/users`);
    return res.ok ? ((await res.json()) as SimUser[]) : [];
  } catch {
    return [];
  }
}

function showBar(user: SimUser): void {
  const bar = $('demo-bar');
  if (!bar.dataset.bound) {
    bar.dataset.bound = '1';
    window.addEventListener('rongrian:lang', () => showBar(user)); // follows the language toggle
  }
  clear(bar);
  bar.className = 'demo-bar';
  bar.append(
    h('span', null, `${t('demoMode')} · ${t('demoAs', { name: user.displayName })}`),
    h('button', { type: 'button', class: 'link', onclick: () => { localStorage.removeItem(STORE); location.search = ''; } }, t('demoSwitch')),
  );
}

/** The demo's LINE Login: choose one of the simulator's users. */
function pickUser(users: SimUser[], sim: string): Promise<SimUser> {
  setLang(initialLang());
  const main = $('main');
  clear(main);
  return new Promise((resolve) => {
    const list = h('ul', { class: 'plain picker' }, users.map((u) =>
      h('li', null, h('button', { type: 'button', class: 'btn secondary block', onclick: () => resolve(u) }, `${u.displayName}${u.role ? ` (${u.role})` : ''}`))));
    main.append(
      h('h1', { tabindex: '-1' }, t('demoPick')),
      h('p', null, t('demoPickIntro')),
      users.length ? list : h('p', { class: 'notice' }, t('demoNoUsers')),
      h('p', null, t('demoAddUser'), ' ', h('a', { href: `${sim.replace('127.0.0.1', location.hostname === 'localhost' ? 'localhost' : '127.0.0.1')}/`, target: '_blank', rel: 'noopener' }, t('demoSimPage'))),
    );
    (main.querySelector('h1') as HTMLElement).focus();
  });
}
