/** Officer pages: `#/officer` (the unit's cases) and `#/officer/cases/:id` (detail + actions). */
import { photoPicker } from '../photoPicker.ts';
import { ApiError, type BelowCaseSummary, type BelowUnit, type CaseSummary, type Me, type Meta, type OfficerCaseDetail, type OfficerChoice } from '../api.ts';
import { type Ctx, failure, field, loading, pageStart, textForm } from '../ctx.ts';
import { announce, h } from '../dom.ts';
import { dateOnly } from '../format.ts';
import { lang, pick, t, type Key } from '../i18n.ts';
import { caseList, renderCase } from './cases.ts';
import { addTemplatePicker, citizenMessageForm, forwardForm } from './officerActions.ts';
import { relatedPanel } from './officerRelated.ts';

export const isOfficer = (me: Me): boolean => me.role !== 'citizen';

function officersOnly(ctx: Ctx): void {
  pageStart(ctx, t('notFoundTitle'), h('p', { class: 'notice error' }, t('officersOnly')));
}

const filters = ['open', 'closed', 'all'] as const;
type Filter = (typeof filters)[number];

export async function officerListPage(ctx: Ctx, filter: Filter = 'open'): Promise<void> {
  loading(ctx);
  let me: Me;
  let list: CaseSummary[];
  let meta: Meta | undefined;
  try {
    me = await ctx.me();
    if (!isOfficer(me)) return officersOnly(ctx);
    [list, meta] = await Promise.all([ctx.api.get<CaseSummary[]>(`/officer/cases?status=${filter}`), ctx.meta().catch(() => undefined)]);
  } catch (e) {
    if (ctx.alive()) failure(ctx, e);
    return;
  }
  if (!ctx.alive()) return;
  pageStart(ctx, t('officerTitle'), me.unit ? h('p', { class: 'lead' }, pick(me.unit.nameTh, me.unit.nameEn)) : '');
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('officerFilter') }, filters.map((f) =>
    h('a', { href: `#/officer${f === 'open' ? '' : `?status=${f}`}`, class: 'tab', 'aria-current': f === filter ? 'page' : undefined },
      t(f === 'open' ? 'filterOpen' : f === 'closed' ? 'filterClosed' : 'filterAll'))));
  if (isSupervisor(me)) ctx.main.append(scopeTabs('unit'));
  ctx.main.append(tabs,
    list.length ? caseList(list, meta, (c) => `#/officer/cases/${c.id}`) : h('p', { class: 'notice' }, t('officerEmpty')),
    h('p', null, h('a', { class: 'btn secondary', href: '#/officer/new' }, t('navOfficerNew'))));
  document.documentElement.dataset.ready = 'officer';
}

export async function officerCasePage(ctx: Ctx, id: string): Promise<void> {
  loading(ctx);
  let c: OfficerCaseDetail;
  let meta: Meta | undefined;
  try {
    const me = await ctx.me();
    if (!isOfficer(me)) return officersOnly(ctx);
    [c, meta] = await Promise.all([ctx.api.get<OfficerCaseDetail>(`/officer/cases/${encodeURIComponent(id)}`), ctx.meta().catch(() => undefined)]);
  } catch (e) {
    if (ctx.alive()) failure(ctx, e);
    return;
  }
  if (!ctx.alive()) return;
  const p = c.complainant;
  const who = h('section', { class: 'card', 'aria-labelledby': 'complainant-h' },
    h('h2', { id: 'complainant-h' }, t('complainant')),
    p.anonymous ? h('p', null, t('anonymousCase'))
      : h('dl', { class: 'review' },
        h('dt', null, t('contactName')), h('dd', null, p.name || t('none')),
        h('dt', null, t('phone')), h('dd', null, p.phone ? h('a', { href: `tel:${p.phone}` }, p.phone) : t('none'))),
    h('p', { class: 'muted' }, p.hasLine ? t('hasLine') : t('noLine')),
    h('p', { class: 'muted' }, `${t('assignee')}: ${c.assignee?.name ?? t('notAssigned')}`),
    h('p', { class: 'muted small' }, t('auditNote')));
  if (!p.anonymous) who.append(claimReissue(ctx, c.id));
  renderCase(ctx, c, meta, 'officer', who);

  const open = !['closed', 'rejected'].includes(c.status);
  if (!open) {
    if (c.publicResult || (c.publishable && c.status === 'closed' && c.resolution?.kind === 'resolved')) ctx.main.append(publicResultCard(ctx, c));
    document.documentElement.dataset.ready = 'officer-case';
    return;
  }
  const actions = h('section', { class: 'stack', 'aria-labelledby': 'actions-h' }, h('h2', { id: 'actions-h' }, t('actions')));
  const act = async (path: string, body: object, label: string) => {
    await ctx.api.post(`/officer/cases/${c.id}/${path}`, body);
    announce(t('actionDone', { a: label }));
    ctx.rerender();
  };
  if (!c.assignee) {
    const btn = h('button', { type: 'button', class: 'btn primary block', id: 'act-accept' }, t('actAccept'));
    const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try { await act('accept', {}, t('actAccept')); } catch (e) { err.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle'); err.hidden = false; btn.disabled = false; }
    });
    actions.append(btn, err);
  }
  if (c.suggestedAgency) actions.append(suggestedAgencyForward(ctx, c, c.suggestedAgency));
  const panel = (key: Key, form: HTMLFormElement, id: string) =>
    h('details', { class: 'card action', id }, h('summary', null, t(key)), form);
  // What reaches the complainant is previewed first; an internal note reaches nobody outside the unit.
  actions.append(panel('actUpdate', citizenMessageForm(ctx, c, { kind: 'update', id: 'note', label: t('updateText'), min: 1, max: 2000, send: (text) => act('notes', { text }, t('actUpdate')) }), 'act-note'));
  actions.append(panel('actInternal', textForm({ id: 'internal-text', label: t('internalText'), hint: t('internalHint'), min: 1, max: 2000, submit: t('internalSave'), onSubmit: (text) => act('internal-notes', { text }, t('actInternal')) }), 'act-internal'));
  if (p.hasLine) actions.append(panel('actAsk', citizenMessageForm(ctx, c, { kind: 'ask', id: 'ask', label: t('askText'), min: 5, max: 1000, send: (question) => act('ask', { question }, t('actAsk')) }), 'act-ask'));
  actions.append(panel('actForward', forwardForm(ctx, c, () => {
    // Forwarded: it now belongs to the other unit, so this unit's list is where to go next.
    announce(t('actionDone', { a: t('actForward') }));
    location.hash = '#/officer';
  }), 'act-forward'));
  if (c.supervisor) supervisorActions(ctx, c, actions);
  actions.append(panel('actClose', closeForm(ctx, c, meta, act), 'act-close'));
  actions.append(panel('actReject', textForm({ id: 'reject-reason', label: t('reason'), min: 5, max: 1000, submit: t('actReject'), danger: true, onSubmit: (reason) => act('reject', { reason }, t('actReject')) }), 'act-reject'));
  addTemplatePicker(ctx, c, 'close', actions.querySelector('#act-close form'), 'close-summary');
  addTemplatePicker(ctx, c, 'reject', actions.querySelector('#act-reject form'), 'reject-reason');
  ctx.main.append(actions);
  ctx.main.append(relatedPanel(ctx, c));
  document.documentElement.dataset.ready = 'officer-case';
}

/** ส่งต่อ <agency>: the agency routing found for this type and place, one tap (the usual forward, with the reason filled in). */
function suggestedAgencyForward(ctx: Ctx, c: OfficerCaseDetail, agency: NonNullable<OfficerCaseDetail['suggestedAgency']>): HTMLElement {
  const name = pick(agency.nameTh, agency.nameEn);
  const btn = h('button', { type: 'button', class: 'btn primary block', id: 'act-forward-agency' }, t('forwardToAgency', { name }));
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      // The reason reaches the agency and the citizen: Thai, like every case record.
      await ctx.api.post(`/officer/cases/${c.id}/forward`, { unitCode: agency.code, reason: `ส่งต่อ${agency.nameTh} ซึ่งรับผิดชอบปัญหาประเภทนี้ในพื้นที่` });
      announce(t('actionDone', { a: t('forwardToAgency', { name }) }));
      location.hash = '#/officer';
    } catch (e) {
      err.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle');
      err.hidden = false;
      btn.disabled = false;
    }
  });
  return h('section', { class: 'card', id: 'suggested-agency', 'aria-labelledby': 'suggested-agency-h' },
    h('h3', { id: 'suggested-agency-h' }, t('suggestedAgencyTitle')),
    h('p', null, t('suggestedAgencyText', { name })), btn, err);
}

/** ยุติเรื่อง: the result the citizen will read, and optional "after" photos uploaded for this case. */
function closeForm(ctx: Ctx, c: OfficerCaseDetail, meta: Meta | undefined, act: (path: string, body: object, label: string) => Promise<void>): HTMLFormElement {
  const max = meta?.limits.photosMax ?? 5;
  const photos = photoPicker(ctx, { id: 'close-photos', max, label: t('closePhotosAdd'), hint: t('closePhotosHint', { max }), uploadPath: `/officer/cases/${c.id}/uploads` });
  const photoIds = photos.ids;
  const photoBox = photos.box;
  const publish = c.publishable ? publishChoice() : undefined;
  const form = textForm({
    id: 'close-summary', label: t('summary'), min: 5, max: 2000, submit: t('actClose'),
    onSubmit: (summary) => act('close', { summary, ...(photoIds.length ? { photoIds } : {}), ...(publish?.body(summary) ?? {}) }, t('actClose')),
  });
  form.insertBefore(photoBox, form.querySelector('button[type=submit]'));
  if (publish) {
    form.insertBefore(publish.wrap, form.querySelector('button[type=submit]'));
    // The public text starts as the result the complainant reads, for the officer to shorten or edit.
    publish.tick.addEventListener('change', () => {
      if (publish.tick.checked && !publish.text.value.trim()) publish.text.value = form.querySelector<HTMLTextAreaElement>('#close-summary')?.value.trim() ?? '';
    });
  }
  return form;
}

/** เผยแพร่ผลการแก้ไขต่อสาธารณะ: off by default; ticked, the public summary appears for editing. */
function publishChoice() {
  const tick = h('input', { type: 'checkbox', id: 'close-publish', 'aria-describedby': 'close-publish-explain' });
  const text = h('textarea', { rows: 3, maxlength: 2000 });
  const f = field('close-public-summary', t('publishSummary'), text, { hint: t('publishSummaryHint') });
  f.wrap.hidden = true;
  tick.addEventListener('change', () => { f.wrap.hidden = !tick.checked; });
  const wrap = h('div', { class: 'publish-choice' },
    h('p', null, h('label', { for: 'close-publish' }, tick, ' ', t('publishCheck'))),
    h('p', { class: 'hint', id: 'close-publish-explain' }, t('publishExplain')),
    f.wrap);
  return {
    wrap, tick, text,
    body: (summary: string) => (tick.checked ? { publish: true, publicSummary: text.value.trim() || summary } : {}),
  };
}

/** A closed case: what is published on the public figures page (with a withdraw button), or the approval. */
function publicResultCard(ctx: Ctx, c: OfficerCaseDetail): HTMLElement {
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const fail = (e: unknown) => { err.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle'); err.hidden = false; announce(err.textContent, true); };
  const card = h('section', { class: 'card', id: 'public-result', 'aria-labelledby': 'public-result-h' }, h('h2', { id: 'public-result-h' }, t('publishTitle')));
  const p = c.publicResult;
  if (p) {
    const withdraw = h('button', { type: 'button', class: 'btn danger', id: 'public-withdraw' }, t('publishWithdraw'));
    withdraw.addEventListener('click', async () => {
      withdraw.disabled = true;
      try { await ctx.api.post(`/officer/cases/${c.id}/public-result/withdraw`, {}); announce(t('actionDone', { a: t('publishWithdraw') })); ctx.rerender(); } catch (e) { fail(e); withdraw.disabled = false; }
    });
    card.append(
      h('p', { class: 'pre', id: 'public-summary' }, p.summary),
      h('p', { class: 'muted small' }, t('publishedBy', { by: p.by }), ' · ', h('a', { href: p.pageUrl, target: '_blank', rel: 'noopener' }, t('publishView'))),
      h('p', { class: 'hint' }, t('publishWithdrawHint')), withdraw, err);
    return card;
  }
  card.append(h('p', { class: 'muted' }, t('publishNone')), h('p', { class: 'hint' }, t('publishExplain')));
  const form = textForm({
    id: 'publish-summary', label: t('publishSummary'), hint: t('publishSummaryHint'), min: 5, max: 2000, submit: t('publishNow'),
    onSubmit: async (summary) => { await ctx.api.post(`/officer/cases/${c.id}/public-result`, { summary }); announce(t('actionDone', { a: t('publishNow') })); ctx.rerender(); },
  });
  const box = form.querySelector<HTMLTextAreaElement>('#publish-summary');
  if (box) box.value = c.resolution?.text ?? '';
  card.append(form);
  return card;
}

// ------------------------------------------------------------------ supervisors: the units below

export const isSupervisor = (me: Me): boolean => me.role === 'head' || me.role === 'executive' || me.role === 'admin';

/** My unit's cases (the default) or the units below: only supervisors see the second. */
function scopeTabs(current: 'unit' | 'below'): HTMLElement {
  return h('nav', { class: 'tabs scope', 'aria-label': t('belowTitle') },
    h('a', { href: '#/officer', class: 'tab', id: 'scope-unit', 'aria-current': current === 'unit' ? 'page' : undefined }, t('myUnitTab')),
    h('a', { href: '#/officer/below', class: 'tab', id: 'scope-below', 'aria-current': current === 'below' ? 'page' : undefined }, t('belowTitle')));
}

const belowFilters = ['all', 'late', 'unowned'] as const;
export type BelowFilter = (typeof belowFilters)[number];

function belowHref(filter: BelowFilter, unit: string): string {
  const q = new URLSearchParams();
  if (filter !== 'all') q.set('filter', filter);
  if (unit) q.set('unit', unit);
  const qs = q.toString();
  return `#/officer/below${qs ? `?${qs}` : ''}`;
}

/** หน่วยงานในสังกัด: open cases of the units below, most urgent first, filtered to late / unowned / one unit. */
export async function officerBelowPage(ctx: Ctx, filter: BelowFilter = 'all', unit = ''): Promise<void> {
  loading(ctx);
  let me: Me;
  let units: BelowUnit[];
  let list: BelowCaseSummary[];
  let meta: Meta | undefined;
  try {
    me = await ctx.me();
    if (!isOfficer(me) || !isSupervisor(me)) return officersOnly(ctx);
    const q = new URLSearchParams();
    if (filter !== 'all') q.set('filter', filter);
    if (unit) q.set('unit', unit);
    [units, list, meta] = await Promise.all([
      ctx.api.get<BelowUnit[]>('/officer/below/units'),
      ctx.api.get<BelowCaseSummary[]>(`/officer/below/cases${q.toString() ? `?${q}` : ''}`),
      ctx.meta().catch(() => undefined),
    ]);
  } catch (e) {
    if (ctx.alive()) failure(ctx, e);
    return;
  }
  if (!ctx.alive()) return;
  pageStart(ctx, t('belowTitle'), h('p', { class: 'lead' }, me.unit ? `${t('belowLead')} · ${pick(me.unit.nameTh, me.unit.nameEn)}` : t('belowLead')));
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('officerFilter') }, belowFilters.map((f) =>
    h('a', { href: belowHref(f, unit), class: 'tab', id: `below-${f}`, 'aria-current': f === filter ? 'page' : undefined },
      t(f === 'all' ? 'belowFilterAll' : f === 'late' ? 'belowFilterLate' : 'belowFilterUnowned'))));
  const select = h('select', null,
    h('option', { value: '' }, t('belowAllUnits')),
    units.map((u) => h('option', { value: u.code, selected: u.code === unit ? true : undefined }, `${pick(u.nameTh, u.nameEn)}${u.staffed ? '' : ` ${t('belowNoOfficer')}`}`)));
  select.addEventListener('change', () => { location.hash = belowHref(filter, select.value); });
  const unitField = field('below-unit', t('belowUnit'), select);
  const cards = caseList(list, meta, (c) => `#/officer/cases/${c.id}`);
  // The list's cards are shared with the other pages: the late / unowned badges are added to them here.
  list.forEach((c, i) => {
    const top = cards.children[i]?.querySelector('.case-top');
    if (!top) return;
    if (c.late) top.append(h('span', { class: 'badge late' }, t('badgeLate')));
    if (c.unowned) top.append(h('span', { class: 'badge unowned' }, t('badgeUnowned')));
  });
  ctx.main.append(scopeTabs('below'), tabs, unitField.wrap, list.length ? cards : h('p', { class: 'notice' }, t('belowEmpty')));
  document.documentElement.dataset.ready = 'officer-below';
}

/** รับเรื่องไว้เอง and มอบหมายเจ้าหน้าที่ on a case page, for a supervisor. */
function supervisorActions(ctx: Ctx, c: OfficerCaseDetail, actions: HTMLElement): void {
  if (c.supervisor?.canTakeOver) {
    const form = textForm({
      id: 'takeover-reason', label: t('reason'), hint: t('takeOverIntro'), min: 5, max: 1000, submit: t('actTakeOver'),
      onSubmit: async (reason) => {
        await ctx.api.post(`/officer/cases/${c.id}/takeover`, { reason });
        announce(t('actionDone', { a: t('actTakeOver') }));
        ctx.rerender();
      },
    });
    actions.append(h('details', { class: 'card action', id: 'act-takeover', open: true }, h('summary', null, t('actTakeOver')), form));
  }
  if (c.supervisor?.canAssign) {
    const select = h('select', { required: true }, h('option', { value: '' }, '—'));
    const pickField = field('assign-officer', t('assignTo'), select, { hint: t('assignHint') });
    const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const btn = h('button', { type: 'submit', class: 'btn' }, t('assignSubmit'));
    const form = h('form', { class: 'stack', novalidate: true }, pickField.wrap, status, btn);
    const details = h('details', { class: 'card action', id: 'act-assign' }, h('summary', null, t('actAssign')), form);
    let loaded = false;
    details.addEventListener('toggle', async () => {
      if (loaded || !details.open) return;
      loaded = true;
      try {
        const officers = await ctx.api.get<OfficerChoice[]>(`/officer/cases/${c.id}/officers`);
        select.append(...officers.map((o) => h('option', { value: o.id }, `${o.name} · ${o.unitNameTh}`)));
      } catch (e) {
        status.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle');
        status.hidden = false;
      }
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!select.value) { pickField.setError(t('assignPick')); select.focus(); return; }
      pickField.setError(null);
      btn.disabled = true;
      try {
        await ctx.api.post(`/officer/cases/${c.id}/assign`, { officerId: select.value });
        announce(t('actionDone', { a: t('actAssign') }));
        ctx.rerender();
      } catch (e) {
        status.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle');
        status.hidden = false;
        btn.disabled = false;
      }
    });
    actions.append(details);
  }
}

/** A new LINE claim code for the complainant (lost, expired or locked): shown once, the old one stops working. */
function claimReissue(ctx: Ctx, caseId: string): HTMLElement {
  const code = h('p', { class: 'tracking-no claim-code', id: 'claim-new-code' });
  const until = h('p', { class: 'muted small' });
  const out = h('div', { class: 'tracking claim', id: 'claim-new', role: 'status', hidden: true }, code, until);
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const btn = h('button', { type: 'button', class: 'btn secondary block', id: 'claim-reissue' }, t('claimReissue'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    err.hidden = true;
    try {
      const r = await ctx.api.post<{ claimCode: string; claimCodeExpiresAt: string }>(`/officer/cases/${encodeURIComponent(caseId)}/claim-code`, {});
      const said = t('claimNew', { code: r.claimCode, date: dateOnly(r.claimCodeExpiresAt, lang()) });
      code.textContent = r.claimCode;
      until.textContent = said;
      out.hidden = false;
      announce(said);
    } catch (e) {
      err.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle');
      err.hidden = false;
    }
    btn.disabled = false;
  });
  return h('details', { class: 'claim', id: 'claim-panel' }, h('summary', null, t('claimReissue')), h('p', { class: 'muted small' }, t('claimReissueHint')), btn, out, err);
}
