/** `#/cases` (my cases) and `#/cases/:id` (detail, timeline, add information, withdraw). */
import { photoPicker } from '../photoPicker.ts';
import { type CaseDetail, type CaseSummary, type Meta } from '../api.ts';
import { type Ctx, categoryLabel, failure, loading, pageStart, statusLabel, textForm } from '../ctx.ts';
import { announce, clear, h } from '../dom.ts';
import { areaText, dateTime } from '../format.ts';
import { lang, pick, t } from '../i18n.ts';

export async function casesPage(ctx: Ctx): Promise<void> {
  loading(ctx);
  let list: CaseSummary[];
  let meta: Meta | undefined;
  try {
    [list, meta] = await Promise.all([ctx.api.get<CaseSummary[]>('/cases'), ctx.meta().catch(() => undefined)]);
  } catch (e) {
    if (ctx.alive()) failure(ctx, e);
    return;
  }
  if (!ctx.alive()) return;
  pageStart(ctx, t('casesTitle'));
  if (!list.length) {
    ctx.main.append(h('p', { class: 'notice' }, t('casesEmpty')), h('a', { class: 'btn primary', href: '#/new' }, t('casesNew')));
  } else {
    ctx.main.append(caseList(list, meta, (c) => `#/cases/${c.id}`));
  }
  document.documentElement.dataset.ready = 'cases';
}

export function caseList(list: CaseSummary[], meta: Meta | undefined, href: (c: CaseSummary) => string): HTMLElement {
  return h('ul', { class: 'cases plain' }, list.map((c) => h('li', null,
    h('a', { class: 'case-card', href: href(c) },
      h('span', { class: 'case-top' },
        h('span', { class: 'case-no' }, c.trackingNo),
        h('span', { class: `badge st-${c.status}` }, statusLabel(c))),
      h('span', { class: 'case-cat' }, categoryLabel(meta, c.category, c.problemType)),
      h('span', { class: 'case-meta' }, [c.areaTh, c.unitNameTh].filter(Boolean).join(' · ')),
      h('span', { class: 'case-meta' }, t('filedOn', { d: dateTime(c.createdAt, lang()) })),
      c.surveyDue ? h('span', { class: 'badge survey' }, t('surveyDue')) : null,
      c.following ? h('span', { class: 'badge following' }, t('followingBadge')) : null,
      c.supporterCount && c.supporterCount > 1 ? h('span', { class: 'case-meta' }, t('relatedSupporters', { n: c.supporterCount })) : null))));
}

export async function caseDetailPage(ctx: Ctx, id: string): Promise<void> {
  loading(ctx);
  let c: CaseDetail;
  let meta: Meta | undefined;
  try {
    [c, meta] = await Promise.all([ctx.api.get<CaseDetail>(`/cases/${encodeURIComponent(id)}`), ctx.meta().catch(() => undefined)]);
  } catch (e) {
    if (ctx.alive()) failure(ctx, e);
    return;
  }
  if (!ctx.alive()) return;
  renderCase(ctx, c, meta, 'citizen');
  if (c.surveyDue) ctx.main.append(h('p', null, h('a', { class: 'btn primary', href: `#/survey/${c.id}` }, t('surveyLink'))));
  else if (c.canReopen) ctx.main.append(h('p', null, h('a', { class: 'btn secondary', href: `#/survey/${c.id}` }, t('reopenTitle'))));
  if (c.canAddInfo) ctx.main.append(addInfoSection(ctx, c, meta));
  if (c.canWithdraw) ctx.main.append(withdrawSection(ctx, c));
  if (c.following) ctx.main.append(followerSection(ctx, c));
  document.documentElement.dataset.ready = 'case';
}

/** The parts of a case both the citizen and the officer see. */
export function renderCase(ctx: Ctx, c: CaseDetail, meta: Meta | undefined, who: 'citizen' | 'officer', extra?: Node): void {
  pageStart(ctx, t('caseTitle', { no: c.trackingNo }),
    h('p', null, h('span', { class: `badge st-${c.status}` }, statusLabel(c))));
  const dl = h('dl', { class: 'review' });
  const row = (k: string, v: Node | string) => dl.append(h('dt', null, k), h('dd', null, v));
  row(t('category'), categoryLabel(meta, c.category, c.problemType));
  if (who === 'officer') {
    const ch = meta?.channels.find((x) => x.code === c.channel);
    row(t('channel'), ch ? pick(ch.th, ch.en) : c.channel);
  }
  row(t('unit'), c.unitNameTh);
  const L = c.location;
  row(t('where'), areaText('th', L.provinceCode, { sub: L.subdistrictNameTh, district: L.districtNameTh, province: L.provinceNameTh }) || c.areaTh);
  if (L.address) row(t('address'), L.address);
  if (L.lat !== undefined && L.lng !== undefined) row(t('coords'), `${L.lat.toFixed(5)}, ${L.lng.toFixed(5)}`);
  row(t('filedOn', { d: '' }).trim(), dateTime(c.createdAt, lang()));
  // A joined case comes without the complainant's description (liff/api/views.ts toFollowerDetail).
  if (!c.following) row(t('description'), h('span', { class: 'pre' }, c.description));
  ctx.main.append(dl);
  if (extra) ctx.main.append(extra);
  // The complainant's photos, then the officer's "after" photos of the result beside the result text.
  const own = c.attachments.filter((a) => a.kind !== 'after');
  const after = c.attachments.filter((a) => a.kind === 'after');
  if (own.length) ctx.main.append(h('h2', null, t('photos')), photoGallery(ctx, own));
  if (c.resolution) {
    const kind = { resolved: t('resolutionResolved'), withdrawn: t('resolutionWithdrawn'), rejected: t('resolutionRejected') }[c.resolution.kind];
    ctx.main.append(h('section', { class: 'card resolution' },
      h('h2', null, `${t('resolution')}: ${kind}`),
      h('p', { class: 'pre' }, c.resolution.text),
      h('p', { class: 'muted' }, dateTime(c.resolution.at, lang()))));
  }
  if (after.length) ctx.main.append(h('section', { class: 'result-photos', id: 'result-photos' }, h('h2', null, t('resultPhotos')), photoGallery(ctx, after)));
  if (c.reopens?.length) ctx.main.append(h('p', { class: 'notice', id: 'reopened-note' }, t('reopenedTimes', { n: c.reopens.length })));
  if (c.survey) ctx.main.append(h('p', { class: 'notice' }, t('surveyYour', { s: c.survey.score }), c.survey.comment ? ` — ${c.survey.comment}` : ''));
  ctx.main.append(h('h2', null, t('timeline')), timeline(c));
}

function timeline(c: CaseDetail): HTMLElement {
  const items = [...c.timeline].sort((a, b) => a.at.localeCompare(b.at));
  return h('ol', { class: 'timeline' }, items.map((it) => h('li', { class: `tl tl-${it.actor}` },
    h('time', { datetime: it.at }, dateTime(it.at, lang())),
    h('p', { class: 'tl-text' }, pick(it.textTh, it.textEn)),
    it.actorName ? h('p', { class: 'muted' }, it.actorName) : null,
    it.note ? h('p', { class: 'tl-note pre' }, it.note) : null)));
}

function photoGallery(ctx: Ctx, photos: CaseDetail['attachments']): HTMLElement {
  const ul = h('ul', { class: 'gallery plain' });
  photos.forEach((a, i) => {
    const li = h('li', { class: 'photo-ph big', 'aria-busy': 'true' }, t('loading'));
    ul.append(li);
    const path = a.url?.startsWith('/liff/api/') ? a.url : `/files/${encodeURIComponent(a.id)}`;
    ctx.api.imageUrl(path).then((src) => {
      clear(li);
      li.removeAttribute('aria-busy');
      li.className = 'photo-big';
      const img = h('img', { src, alt: t('photoItem', { n: i + 1 }), loading: 'lazy' });
      // A HEIC from an iPhone: most Android browsers cannot draw it; offer the file instead.
      img.addEventListener('error', () => {
        clear(li);
        li.className = 'photo-ph big';
        li.append(h('a', { href: src, download: `photo-${i + 1}.${a.contentType.split('/')[1] ?? 'img'}` }, `${t('photoItem', { n: i + 1 })} (${a.contentType.replace('image/', '').toUpperCase()}) · ${t('photoDownload')}`));
      });
      li.append(h('a', { href: src, target: '_blank', rel: 'noopener' }, img));
    }, () => { li.textContent = t('photoItem', { n: i + 1 }); li.removeAttribute('aria-busy'); });
  });
  return ul;
}

function addInfoSection(ctx: Ctx, c: CaseDetail, meta: Meta | undefined): HTMLElement {
  const photos = photoPicker(ctx, { id: 'info-photos', max: meta?.limits.photosMax ?? 5, label: t('photosAdd') });
  const photoIds = photos.ids;
  const photoBox = photos.box;
  const form = textForm({
    id: 'info-text', label: t('addInfoLabel'), min: 1, max: 2000, submit: t('addInfoSend'),
    onSubmit: async (text) => {
      await ctx.api.post<CaseDetail>(`/cases/${c.id}/info`, { text, ...(photoIds.length ? { photoIds } : {}) });
      announce(t('addInfoDone'));
      ctx.rerender();
    },
  });
  form.insertBefore(photoBox, form.querySelector('button[type=submit]'));
  return h('details', { class: 'card action' }, h('summary', null, t('addInfoTitle')), form);
}

/** A case they joined ("แจ้งด้วย"): what they see of it, and "เลิกติดตาม". */
function followerSection(ctx: Ctx, c: CaseDetail): HTMLElement {
  const stop = h('button', { type: 'button', class: 'btn secondary', id: 'unfollow' }, t('unfollow'));
  stop.addEventListener('click', async () => {
    stop.disabled = true;
    await ctx.api.post(`/cases/${c.id}/unfollow`, {});
    announce(t('unfollowed'));
    location.hash = '#/cases';
  });
  return h('section', { class: 'card', id: 'follower' },
    h('p', null, h('span', { class: 'badge following' }, t('followingBadge')), ' ', t('followerNote')),
    c.supporterCount ? h('p', { class: 'hint' }, t('relatedSupporters', { n: c.supporterCount })) : null,
    stop);
}

function withdrawSection(ctx: Ctx, c: CaseDetail): HTMLElement {
  const form = textForm({
    id: 'withdraw-reason', label: t('withdrawReason'), min: 5, max: 500, submit: t('withdrawSend'), danger: true,
    onSubmit: async (reason) => {
      await ctx.api.post<CaseDetail>(`/cases/${c.id}/withdraw`, { reason });
      announce(t('withdrawDone'));
      ctx.rerender();
    },
  });
  return h('details', { class: 'card action' }, h('summary', null, t('withdrawTitle')), h('p', { class: 'hint' }, t('withdrawExplain')), form);
}
