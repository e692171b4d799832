/**
 * The LIFF mini-app's entry: session (LIFF ID token), language, header, and a hash router.
 *
 * Only what `#/new` needs is in this first chunk (form, photo shrinking, area pickers); the other
 * pages load on demand. Requests the form needs (me, meta, provinces) start together right after
 * sign-in, so on slow 3G they share round trips.
 */
import { Api, type Area, type Me, type Meta } from './api.ts';
import { NoLiffIdError, readConfig, startSession } from './auth.ts';
import type { Session } from './session.ts';
import type { Ctx } from './ctx.ts';
import { failure, pageStart } from './ctx.ts';
import { $, clear, h } from './dom.ts';
import { initialLang, lang, setLang, t } from './i18n.ts';
import { formPage, leaveForm } from './pages/form.ts';

const main = $('main');
let renderSeq = 0;
let lastRoute = '';

function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f().catch((e) => { p = undefined; throw e; }));
}

async function boot(): Promise<void> {
  const config = readConfig();
  let session: Session;
  try {
    session = await startSession(config);
  } catch (e) {
    setLang(initialLang());
    clear(main);
    main.append(h('h1', null, t('errorTitle')), h('p', { class: 'notice error' }, e instanceof NoLiffIdError ? t('noLiffId') : String((e as Error).message)));
    return;
  }
  setLang(initialLang(session.lineLang));
  const api = new Api(session);
  const me = once(() => api.get<Me>('/me'));
  const meta = once(() => api.get<Meta>('/meta'));
  const provinces = once(() => api.get<Area[]>('/geo/provinces'));
  // Warm up in parallel; pages await the same promises.
  const route = location.hash || '#/new';
  if (route.startsWith('#/new') || route.startsWith('#/officer/new') || route === '#/') { void meta().catch(() => undefined); void provinces().catch(() => undefined); }
  void me().then((m) => { if (!localStorage.getItem('rongrian.lang') && (m.lang === 'en' || m.lang === 'th') && m.lang !== lang() && !session.lineLang) { setLang(m.lang); render(); } drawHeader(m); }, () => drawHeader());

  const ctx: Ctx = {
    api, session, main, me, meta, provinces,
    rerender: () => render(),
    alive: () => true,
  };

  function drawHeader(m?: Me): void {
    $('brand').textContent = t('brand');
    const toggle = $('lang-toggle') as HTMLButtonElement;
    toggle.hidden = false;
    toggle.textContent = t('langToggle');
    toggle.setAttribute('aria-label', t('langToggleLabel'));
    toggle.lang = lang() === 'th' ? 'en' : 'th';
    toggle.onclick = () => {
      const next = lang() === 'th' ? 'en' : 'th';
      localStorage.setItem('rongrian.lang', next);
      setLang(next);
      window.dispatchEvent(new Event('rongrian:lang'));
      drawHeader(m);
      render();
    };
    const nav = $('nav');
    nav.setAttribute('aria-label', t('navLabel'));
    clear(nav);
    const here = location.hash || '#/new';
    const link = (href: string, label: string, match: RegExp) =>
      h('a', { href, class: 'nav-link', 'aria-current': match.test(here) ? 'page' : undefined }, label);
    nav.append(link('#/new', t('navNew'), /^#\/new/), link('#/cases', t('navCases'), /^#\/(cases|survey)/), link('#/me/data', t('navMyData'), /^#\/me\/data/));
    if (m && m.role !== 'citizen') nav.append(link('#/officer', t('navOfficer'), /^#\/officer(?!\/new)/), link('#/officer/new', t('navOfficerNew'), /^#\/officer\/new/));
    headerMe = m;
  }
  let headerMe: Me | undefined;
  drawHeader();

  async function render(): Promise<void> {
    const seq = ++renderSeq;
    const c: Ctx = { ...ctx, alive: () => seq === renderSeq };
    const hash = location.hash || '#/new';
    const [path, query = ''] = hash.slice(1).split('?');
    if (path !== lastRoute && !/^\/(officer\/)?new$/.test(path)) leaveForm();
    lastRoute = path;
    delete document.documentElement.dataset.ready;
    drawHeader(headerMe);
    let m: RegExpExecArray | null;
    try {
      if (path === '/' || path === '/new' || path === '') await formPage(c, 'citizen');
      else if (path === '/me/data') await (await import('./pages/myData.ts')).myDataPage(c);
      else if (path === '/cases') await (await import('./pages/cases.ts')).casesPage(c);
      else if ((m = /^\/cases\/([0-9a-f]{24})$/i.exec(path))) await (await import('./pages/cases.ts')).caseDetailPage(c, m[1]);
      else if ((m = /^\/survey\/([0-9a-f]{24})$/i.exec(path))) await (await import('./pages/survey.ts')).surveyPage(c, m[1], new URLSearchParams(query).get('fixed'));
      else if (path === '/officer') {
        const status = new URLSearchParams(query).get('status');
        await (await import('./pages/officer.ts')).officerListPage(c, status === 'closed' || status === 'all' ? status : 'open');
      } else if (path === '/officer/below') {
        const q = new URLSearchParams(query);
        const f = q.get('filter');
        await (await import('./pages/officer.ts')).officerBelowPage(c, f === 'late' || f === 'unowned' ? f : 'all', (q.get('unit') ?? '').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40));
      } else if ((m = /^\/officer\/cases\/([0-9a-f]{24})$/i.exec(path))) await (await import('./pages/officer.ts')).officerCasePage(c, m[1]);
      else if (path === '/officer/new') {
        const me = await c.me();
        if (me.role === 'citizen') pageStart(c, t('notFoundTitle'), h('p', { class: 'notice error' }, t('officersOnly')));
        else await formPage(c, 'officer');
      } else pageStart(c, t('notFoundTitle'), h('p', null, t('notFoundText')), h('a', { class: 'btn secondary', href: '#/new' }, t('navNew')));
    } catch (e) {
      if (c.alive()) failure(c, e);
    }
  }
  window.addEventListener('hashchange', () => { window.scrollTo(0, 0); void render(); });
  await render();
}

void boot();
