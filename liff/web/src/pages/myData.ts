/** `#/me/data`: everything held about me (liff/api/routes/myData.ts), downloads, and deletion with a confirmation. */
import type { Meta } from '../api.ts';
import { type Ctx, categoryLabel, failure, loading, pageStart } from '../ctx.ts';
import { announce, h } from '../dom.ts';
import { dateTime } from '../format.ts';
import { lang, t } from '../i18n.ts';

interface MyData {
  generatedAt: string;
  profile: { displayName: string | null; language: string | null } | null;
  draft: { state: string; category: string | null; problemType?: string | null; description: string | null; address: string | null; photos: number } | null;
  linkAttempts: { failures: number; since: string | null } | null;
  cases: {
    trackingNo: string; category: string; problemType?: string | null; status: string; filedAt: string | null; name: string | null; phone: string | null; anonymous: boolean;
    description: string; address: string | null; area: { province: string | null; district: string | null; subdistrict: string | null };
    photos: number; consent: { version: string | null; at: string | null };
  }[];
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function myDataPage(ctx: Ctx): Promise<void> {
  loading(ctx);
  let d: MyData;
  let counts: { cases: number; openCases: number };
  let meta: Meta | undefined;
  try {
    [d, counts, meta] = await Promise.all([ctx.api.get<MyData>('/me/data'), ctx.api.get<{ cases: number; openCases: number }>('/me/erase'), ctx.meta().catch(() => undefined)]);
  } catch (e) {
    if (ctx.alive()) failure(ctx, e);
    return;
  }
  if (!ctx.alive()) return;
  const none = t('myDataNone');
  pageStart(ctx, t('myDataTitle'), h('p', null, t('myDataIntro')));

  const stamp = d.generatedAt.slice(0, 10);
  ctx.main.append(h('p', { class: 'actions' },
    h('button', { type: 'button', class: 'btn secondary', onclick: () => download(new Blob([JSON.stringify(d, null, 2)], { type: 'application/json' }), `my-data-${stamp}.json`) }, t('myDataDownloadJson')),
    ' ',
    h('button', {
      type: 'button', class: 'btn secondary',
      onclick: async () => {
        const res = await ctx.api.raw('GET', `/me/data.html?lang=${lang()}`);
        download(await res.blob(), `my-data-${stamp}.html`);
      },
    }, t('myDataDownloadHtml'))));

  const dl = (rows: [string, string | number | null | undefined][]) => h('dl', { class: 'review' },
    rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v === null || v === undefined || v === '' ? none : String(v))]));

  ctx.main.append(h('h2', null, t('myDataProfile')), dl([[t('myDataDisplayName'), d.profile?.displayName], [t('myDataLanguage'), d.profile?.language]]));
  ctx.main.append(h('h2', null, t('myDataDraft')), d.draft
    ? dl([[t('category'), d.draft.category || d.draft.problemType ? categoryLabel(meta, d.draft.category ?? '', d.draft.problemType) : null], [t('description'), d.draft.description], [t('address'), d.draft.address], [t('myDataPhotos'), d.draft.photos]])
    : h('p', { class: 'hint' }, t('myDataNoDraft')));
  if (d.linkAttempts) ctx.main.append(h('p', { class: 'hint' }, t('myDataLinkAttempts', { n: d.linkAttempts.failures })));

  ctx.main.append(h('h2', null, t('myDataCases')));
  if (!d.cases.length) ctx.main.append(h('p', { class: 'hint' }, t('myDataNoCases')));
  for (const c of d.cases) {
    ctx.main.append(h('section', { 'aria-label': c.trackingNo },
      h('h3', null, c.trackingNo),
      dl([
        [t('category'), categoryLabel(meta, c.category, c.problemType)],
        [t('myDataName'), c.anonymous ? t('myDataAnonymous') : c.name],
        [t('myDataPhone'), c.phone],
        [t('where'), [c.area.subdistrict, c.area.district, c.area.province].filter(Boolean).join(' ')],
        [t('address'), c.address],
        [t('myDataPhotos'), c.photos],
        [t('myDataConsent'), c.consent.version ? `${c.consent.version} / ${c.consent.at ? dateTime(c.consent.at, lang()) : none}` : null],
        [t('description'), c.description],
      ])));
  }

  const tick = h('input', { type: 'checkbox', id: 'erase-confirm' });
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn danger block' }, t('eraseSubmit'));
  const form = h('form', {
    onsubmit: async (ev: Event) => {
      ev.preventDefault();
      if (!tick.checked) { err.textContent = t('eraseNeedConfirm'); err.hidden = false; return; }
      submit.disabled = true;
      try {
        const r = await ctx.api.post<{ cases: string[] }>('/me/erase', { confirm: true });
        announce(t('eraseDone', { n: r.cases.length }));
        sessionStorage.setItem('rongrian.erased', t('eraseDone', { n: r.cases.length }));
        ctx.rerender();
      } catch (e) {
        submit.disabled = false;
        err.textContent = e instanceof Error ? e.message : String(e);
        err.hidden = false;
      }
    },
  },
  h('p', null, t('eraseExplain', { n: counts.cases })),
  counts.openCases ? h('p', { class: 'notice', role: 'note' }, `⚠️ ${t('eraseOpenWarning', { n: counts.openCases })}`) : null,
  h('p', null, h('label', { for: 'erase-confirm' }, tick, ' ', t('eraseConfirm'))),
  err, submit);
  ctx.main.append(h('details', { class: 'card action', id: 'erase' }, h('summary', null, t('eraseTitle')), form));
  const done = sessionStorage.getItem('rongrian.erased');
  if (done) {
    sessionStorage.removeItem('rongrian.erased');
    ctx.main.prepend(h('p', { class: 'notice ok', role: 'status' }, done));
  }
  document.documentElement.dataset.ready = 'mydata';
}
