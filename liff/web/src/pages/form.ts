/**
 * `#/new` (a citizen files a complaint) and `#/officer/new` (an officer records one from another
 * channel): one form, steps edit → review → done. The draft is kept in localStorage on every change
 * (photos as the ids of already uploaded files), so closing the LIFF window loses nothing.
 */
import { ApiError, type Area, type ChannelCode, type Joined, type Meta, type RelatedOffer } from '../api.ts';
import { type Ctx, type Field, field, fieldMessage, pageStart } from '../ctx.ts';
import { announce, clear, h, uid } from '../dom.ts';
import { areaText, dateOnly, normalisePhone, uuid } from '../format.ts';
import { lang, pick, t } from '../i18n.ts';
import { PhotoError, preparePhoto } from '../photos.ts';
import { suggestFrom, type TypeSuggestion } from '../../../../shared/problems/match.ts';

type Mode = 'citizen' | 'officer';

interface DraftPhoto { id: string; contentType: string; size: number; name: string }
interface Draft {
  v: 1;
  /** The problem type picked; the server records its category. */
  problemType?: string;
  /** Only in drafts saved before problem types: sent as it is (the server still takes a category alone). */
  category?: string;
  description: string;
  provinceCode?: string;
  districtCode?: string;
  subdistrictCode?: string;
  lat?: number;
  lng?: number;
  address: string;
  photos: DraftPhoto[];
  contactName: string;
  phone: string;
  anonymous: boolean;
  channel?: string;
  receivedAt?: string;
  clientRequestId: string;
}

const emptyDraft = (): Draft => ({ v: 1, description: '', address: '', photos: [], contactName: '', phone: '', anonymous: false, clientRequestId: uuid() });
const draftKey = (ctx: Ctx, mode: Mode) => `rongrian.draft.${mode}.${ctx.session.userKey}`;

function loadDraft(ctx: Ctx, mode: Mode): { draft: Draft; restored: boolean } {
  try {
    const raw = localStorage.getItem(draftKey(ctx, mode));
    const d = raw ? JSON.parse(raw) : null;
    if (d && d.v === 1 && typeof d.clientRequestId === 'string') {
      const draft = { ...emptyDraft(), ...d } as Draft;
      const restored = Boolean(draft.problemType || draft.category || draft.description || draft.provinceCode || draft.photos.length);
      return { draft, restored };
    }
  } catch { /* a broken draft is dropped */ }
  return { draft: emptyDraft(), restored: false };
}

// Thumbnails of photos uploaded in this page session (object URLs are not kept in the draft).
const thumbs = new Map<string, string>();
const thumbLoads = new Set<string>();
// Area lists, fetched once per page session.
const districtCache = new Map<string, Promise<Area[]>>();
const subdistrictCache = new Map<string, Promise<Area[]>>();
// Per-mode in-memory state across re-renders (language switch, back from review).
const state: Record<Mode, { step: 'edit' | 'review' | 'done' | 'joined'; consent: boolean; pendingErrors?: ApiError; done?: Recorded; joined?: Joined }> = {
  citizen: { step: 'edit', consent: false },
  officer: { step: 'edit', consent: false },
};

export async function formPage(ctx: Ctx, mode: Mode): Promise<void> {
  const [meta, provinces] = await Promise.all([ctx.meta(), ctx.provinces()]);
  if (!ctx.alive()) return;
  const st = state[mode];
  const { draft, restored } = loadDraft(ctx, mode);
  const save = () => localStorage.setItem(draftKey(ctx, mode), JSON.stringify(draft));
  const reset = () => {
    localStorage.removeItem(draftKey(ctx, mode));
    st.step = 'edit';
    st.consent = false;
    st.pendingErrors = undefined;
  };

  if (st.step === 'done' && st.done) return renderDone(ctx, mode, st.done, () => { st.done = undefined; reset(); ctx.rerender(); });
  if (st.step === 'joined' && st.joined) return renderJoined(ctx, st.joined, () => { st.joined = undefined; reset(); ctx.rerender(); });
  if (st.step === 'review') return renderReview(ctx, mode, meta, provinces, draft, {
    // Joined a related case instead: the draft is discarded (nothing of it goes to someone else's case).
    joined: (j) => { reset(); st.step = 'joined'; st.joined = j; ctx.rerender(); },
    back: () => { st.step = 'edit'; ctx.rerender(); },
    submitted: (r) => { reset(); st.step = 'done'; st.done = r; ctx.rerender(); },
    rejected: (e) => { st.step = 'edit'; st.pendingErrors = e; ctx.rerender(); },
    consent: st.consent,
  });
  renderEdit(ctx, mode, meta, provinces, draft, restored, save, {
    consent: st.consent,
    setConsent: (v) => { st.consent = v; },
    pendingErrors: st.pendingErrors,
    review: () => { st.pendingErrors = undefined; st.step = 'review'; ctx.rerender(); },
    startOver: () => { reset(); ctx.rerender(); },
  });
  st.pendingErrors = undefined;
  document.documentElement.dataset.ready = mode === 'citizen' ? 'new' : 'officer-new';
  if (mode === 'citizen' && !performance.getEntriesByName('rongrian:ready:new').length) performance.mark('rongrian:ready:new');
}

/** Leaving the form for another page: the next visit starts at the (draft-filled) form again. */
export function leaveForm(): void {
  for (const st of Object.values(state)) {
    if (st.step === 'done') st.done = undefined;
    st.joined = undefined;
    st.step = 'edit';
  }
}

// ------------------------------------------------------------------------------------------ edit

interface EditHooks {
  consent: boolean;
  setConsent(v: boolean): void;
  pendingErrors?: ApiError;
  review(): void;
  startOver(): void;
}

function renderEdit(ctx: Ctx, mode: Mode, meta: Meta, provinces: Area[], draft: Draft, restored: boolean, save: () => void, hooks: EditHooks): void {
  const L = meta.limits;
  pageStart(ctx, mode === 'citizen' ? t('newTitle') : t('officerNewTitle'),
    h('p', { class: 'lead' }, mode === 'citizen' ? t('newIntro') : t('officerNewIntro')));
  if (restored) {
    ctx.main.append(h('div', { class: 'notice' },
      h('span', null, t('draftRestored')), ' ',
      h('button', { type: 'button', class: 'link', onclick: hooks.startOver }, t('draftClear'))));
  }
  const fields: Record<string, Field> = {};
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': mode === 'citizen' ? t('newTitle') : t('officerNewTitle') });
  const summary = h('div', { class: 'error-summary', hidden: true, tabindex: '-1' });
  form.append(summary);

  // -- officer: channel + received at
  if (mode === 'officer') {
    const channelFs = h('fieldset', { class: 'card' }, h('legend', null, t('secChannel')));
    const channelSel = h('select', { required: true }, h('option', { value: '' }, t('choose')),
      meta.channels.filter((c) => c.code !== 'line').map((c) => h('option', { value: c.code, selected: draft.channel === c.code }, pick(c.th, c.en))));
    channelSel.addEventListener('change', () => { draft.channel = channelSel.value || undefined; save(); });
    fields.channel = field('f-channel', t('receivedVia'), channelSel);
    const at = h('input', { type: 'datetime-local', value: draft.receivedAt ?? '', max: localNow() });
    at.addEventListener('change', () => { draft.receivedAt = at.value || undefined; save(); });
    fields.receivedAt = field('f-receivedAt', t('receivedAt'), at, { optional: true, hint: t('receivedAtHint') });
    channelFs.append(fields.channel.wrap, fields.receivedAt.wrap);
    form.append(channelFs);
  }

  // -- 1. description: first, so the type question can start from the citizen's own words
  const descFs = h('fieldset', { class: 'card' }, h('legend', null, t('secDescription')));
  const desc = h('textarea', { rows: 6, maxlength: L.descriptionMax, value: draft.description, autocomplete: 'off' });
  const counter = h('p', { class: 'counter', id: 'f-description-counter' });
  let wasShort = draft.description.trim().length < L.descriptionMin;
  const updateCounter = () => {
    const n = desc.value.trim().length;
    const short = n < L.descriptionMin;
    counter.textContent = `${t('counter', { n, max: L.descriptionMax })}${short ? ` · ${t('counterShort', { n: L.descriptionMin - n })}` : ''}`;
    counter.classList.toggle('ok', !short);
    if (wasShort && !short) announce(t('counterOk'));
    wasShort = short;
  };
  desc.addEventListener('input', () => {
    draft.description = desc.value;
    updateCounter();
    saveSoon();
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(showSuggestions, 250);
    if (desc.getAttribute('aria-invalid') && desc.value.trim().length >= L.descriptionMin) fields.description.setError(null);
  });
  fields.description = field('f-description', t('descriptionLabel'), desc, { hint: t('descriptionHint', { min: L.descriptionMin }), extra: counter });
  desc.setAttribute('aria-describedby', `${desc.getAttribute('aria-describedby')} f-description-counter`);
  updateCounter();
  descFs.append(fields.description.wrap);
  form.append(descFs);
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let suggestTimer: ReturnType<typeof setTimeout> | undefined;
  function saveSoon() { clearTimeout(saveTimer); saveTimer = setTimeout(save, 300); }

  // -- 2. problem type: a grid, most common first; the types the description points to move to the top, with why.
  const catFs = h('fieldset', { class: 'card', id: 'f-category', 'aria-describedby': 'f-category-error' }, h('legend', null, t('secCategory')));
  const catErr = h('p', { id: 'f-category-error', class: 'field-error', hidden: true });
  const catList = h('div', { class: 'choices types' });
  const tiles = new Map<string, { tile: HTMLElement; why: HTMLElement }>();
  for (const ty of meta.problemTypes) {
    const id = uid('type');
    const input = h('input', { type: 'radio', name: 'category', id, value: ty.code, checked: draft.problemType === ty.code });
    input.addEventListener('change', () => { draft.problemType = ty.code; draft.category = undefined; save(); fields.category.setError(null); });
    const why = h('span', { class: 'choice-why', hidden: true });
    const tile = h('div', { class: 'choice type', 'data-type': ty.code }, input,
      h('label', { for: id },
        h('span', { class: 'choice-title' }, h('span', { class: 'type-icon', 'aria-hidden': 'true' }, ty.icon), ' ', pick(ty.th, ty.en)),
        why,
        h('span', { class: 'choice-hint' }, pick(ty.hintTh, ty.hintEn))));
    tiles.set(ty.code, { tile, why });
    catList.append(tile);
  }
  const suggestNote = h('p', { class: 'suggest-note', id: 'f-type-suggest', hidden: true });
  catFs.append(suggestNote, catList, catErr);
  fields.category = {
    wrap: catFs, control: catFs,
    setError(msg) {
      catErr.textContent = msg ?? '';
      catErr.hidden = !msg;
      catFs.classList.toggle('invalid', Boolean(msg));
    },
  };
  let lastSuggested = '';
  const showSuggestions = () => {
    const found: TypeSuggestion[] = suggestFrom(meta.problemTypes, desc.value).slice(0, 3);
    const key = found.map((f) => f.code).join(',');
    if (key === lastSuggested) return;
    lastSuggested = key;
    const order = [...found.map((f) => f.code), ...meta.problemTypes.map((ty) => ty.code).filter((c) => !found.some((f) => f.code === c))];
    for (const code of order) catList.append(tiles.get(code)!.tile);
    for (const [code, { tile, why }] of tiles) {
      const f = found.find((x) => x.code === code);
      why.textContent = f ? t('typeFoundWord', { word: f.matched[0]! }) : '';
      why.hidden = !f;
      tile.classList.toggle('suggested', Boolean(f));
    }
    const first = found[0] && meta.problemTypes.find((ty) => ty.code === found[0]!.code);
    suggestNote.hidden = !first;
    suggestNote.textContent = first ? t('typeSuggested', { word: found[0]!.matched[0]!, type: `${first.icon} ${pick(first.th, first.en)}` }) : '';
    if (first) announce(suggestNote.textContent);
  };
  showSuggestions();
  form.append(catFs);

  // -- 3. where
  const whereFs = h('fieldset', { class: 'card' }, h('legend', null, t('secWhere')));
  const provSel = h('select', { autocomplete: 'off' }, h('option', { value: '' }, t('choose')),
    provinces.map((p) => h('option', { value: p.code, selected: draft.provinceCode === p.code }, pick(p.nameTh, p.nameEn))));
  const distSel = h('select', { disabled: true }, h('option', { value: '' }, t('chooseProvinceFirst')));
  const subSel = h('select', { disabled: true }, h('option', { value: '' }, t('chooseDistrictFirst')));
  fields.province = field('f-province', t('province'), provSel);
  fields.district = field('f-district', t('district'), distSel, { hint: t('districtHint') });
  fields.subdistrict = field('f-subdistrict', t('subdistrict'), subSel, { optional: true });
  const fill = (sel: HTMLSelectElement, items: Area[], selected: string | undefined, placeholder: string) => {
    clear(sel);
    sel.append(h('option', { value: '' }, placeholder), ...items.map((a) => h('option', { value: a.code, selected: a.code === selected }, pick(a.nameTh, a.nameEn))));
    sel.disabled = items.length === 0;
  };
  /** One request per province/district per page load; a failed one is forgotten so a retry asks again. */
  const cachedAreas = (cache: Map<string, Promise<Area[]>>, code: string, path: string): Promise<Area[]> => {
    let p = cache.get(code);
    if (!p) cache.set(code, (p = ctx.api.get<Area[]>(path)));
    return p.catch((e) => { cache.delete(code); throw e; });
  };
  const loadDistricts = async (code: string | undefined) => {
    fill(subSel, [], undefined, t('chooseDistrictFirst'));
    if (!code) return fill(distSel, [], undefined, t('chooseProvinceFirst'));
    distSel.setAttribute('aria-busy', 'true');
    try {
      const list = await cachedAreas(districtCache, code, `/geo/provinces/${encodeURIComponent(code)}/districts`);
      if (provSel.value !== code) return;
      fill(distSel, list, draft.districtCode, t('choose'));
      if (draft.districtCode && distSel.value === draft.districtCode) await loadSubdistricts(draft.districtCode);
    } catch (e) {
      fields.district.setError(e instanceof ApiError ? e.text(lang()) : String(e));
    } finally {
      distSel.removeAttribute('aria-busy');
    }
  };
  const loadSubdistricts = async (code: string | undefined) => {
    if (!code) return fill(subSel, [], undefined, t('chooseDistrictFirst'));
    subSel.setAttribute('aria-busy', 'true');
    try {
      const list = await cachedAreas(subdistrictCache, code, `/geo/districts/${encodeURIComponent(code)}/subdistricts`);
      if (distSel.value !== code) return;
      fill(subSel, list, draft.subdistrictCode, t('choose'));
    } catch (e) {
      fields.subdistrict.setError(e instanceof ApiError ? e.text(lang()) : String(e));
    } finally {
      subSel.removeAttribute('aria-busy');
    }
  };
  provSel.addEventListener('change', () => {
    draft.provinceCode = provSel.value || undefined;
    draft.districtCode = draft.subdistrictCode = undefined;
    save();
    fields.province.setError(null);
    void loadDistricts(draft.provinceCode);
  });
  distSel.addEventListener('change', () => {
    draft.districtCode = distSel.value || undefined;
    draft.subdistrictCode = undefined;
    save();
    void loadSubdistricts(draft.districtCode);
  });
  subSel.addEventListener('change', () => { draft.subdistrictCode = subSel.value || undefined; save(); });
  if (draft.provinceCode) void loadDistricts(draft.provinceCode);

  const addr = h('input', { type: 'text', maxlength: 300, value: draft.address, autocomplete: 'street-address' });
  addr.addEventListener('input', () => { draft.address = addr.value; saveSoon(); });
  fields.address = field('f-address', t('address'), addr, { optional: true, hint: t('addressHint') });

  const geoBox = h('div', { class: 'geo', id: 'f-location' });
  const renderGeo = (msg?: string, isError = false) => {
    clear(geoBox);
    const btn = h('button', { type: 'button', class: 'btn secondary', onclick: locate }, t('useLocation'));
    geoBox.append(btn);
    if (draft.lat !== undefined && draft.lng !== undefined) {
      geoBox.append(
        h('p', { class: 'geo-status', role: 'status' }, t('locationSaved', { lat: draft.lat.toFixed(5), lng: draft.lng.toFixed(5) })),
        h('p', { class: 'hint' }, t('locationExplain')),
        h('button', { type: 'button', class: 'link', onclick: () => { draft.lat = draft.lng = undefined; save(); renderGeo(); } }, t('locationRemove')));
    }
    if (msg) geoBox.append(h('p', { class: isError ? 'field-error' : 'geo-status', role: 'status' }, msg));
  };
  function locate() {
    if (!('geolocation' in navigator)) return renderGeo(t('locationFailed'), true);
    renderGeo(t('locating'));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        draft.lat = Math.round(pos.coords.latitude * 1e6) / 1e6;
        draft.lng = Math.round(pos.coords.longitude * 1e6) / 1e6;
        save();
        renderGeo();
        announce(`${t('locationSaved', { lat: draft.lat.toFixed(5), lng: draft.lng.toFixed(5) })}. ${t('locationExplain')}`);
        if (!provSel.value) provSel.focus();
      },
      (err) => { renderGeo(err.code === err.PERMISSION_DENIED ? t('locationDenied') : t('locationFailed'), true); announce(err.code === err.PERMISSION_DENIED ? t('locationDenied') : t('locationFailed'), true); },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  }
  renderGeo();
  // The officer's own position says nothing about where a phoned-in case happened.
  whereFs.append(fields.province.wrap, fields.district.wrap, fields.subdistrict.wrap, fields.address.wrap, mode === 'citizen' ? geoBox : '');
  form.append(whereFs);

  // -- 4. photos (citizens; the officer's record has no upload in the API)
  if (mode === 'citizen') form.append(photoSection(ctx, meta, draft, save, fields));

  // -- 5. contact + anonymity
  const contactFs = h('fieldset', { class: 'card' }, h('legend', null, t('secContact')), h('p', { class: 'hint' }, t('contactHint')));
  const anon = h('input', { type: 'checkbox', id: 'f-anonymous', checked: draft.anonymous, 'aria-describedby': 'f-anonymous-explain' });
  const name = h('input', { type: 'text', maxlength: 100, value: draft.contactName, autocomplete: 'name' });
  const phone = h('input', { type: 'tel', inputmode: 'tel', maxlength: 16, value: draft.phone, autocomplete: 'tel-national' });
  fields.name = field('f-name', t('contactName'), name, { optional: true });
  fields.phone = field('f-phone', t('phone'), phone, { optional: true, hint: t('phoneHint') });
  const contactBox = h('div', { class: 'stack' }, fields.name.wrap, fields.phone.wrap);
  const anonNote = h('p', { class: 'notice', role: 'status' });
  const syncAnon = () => {
    contactBox.hidden = draft.anonymous;
    anonNote.textContent = draft.anonymous ? t('anonymousOn') : '';
    anonNote.hidden = !draft.anonymous;
  };
  anon.addEventListener('change', () => { draft.anonymous = anon.checked; save(); syncAnon(); });
  name.addEventListener('input', () => { draft.contactName = name.value; saveSoon(); });
  // Checked when reviewing, not on blur: an error appearing on blur shifts the page under the finger
  // that is about to tap the next button. Once flagged, the message goes away as soon as it is right.
  phone.addEventListener('input', () => {
    draft.phone = phone.value;
    saveSoon();
    if (phone.getAttribute('aria-invalid') && (!phone.value.trim() || normalisePhone(phone.value))) fields.phone.setError(null);
  });
  if (mode === 'officer') fields.phone.wrap.insertBefore(h('p', { class: 'hint' }, t('officerPhoneHint')), fields.phone.control);
  contactFs.append(
    h('div', { class: 'check' }, anon, h('label', { for: 'f-anonymous' }, mode === 'citizen' ? t('anonymous') : t('anonymousOfficer'))),
    h('p', { class: 'hint', id: 'f-anonymous-explain' }, mode === 'citizen' ? t('anonymousExplain') : t('anonymousOfficerExplain')),
    anonNote, contactBox);
  syncAnon();
  form.append(contactFs);

  // -- 6. PDPA
  const pdpaFs = h('fieldset', { class: 'card' }, h('legend', null, t('secConsent')));
  const consent = h('input', { type: 'checkbox', checked: hooks.consent });
  consent.addEventListener('change', () => { hooks.setConsent(consent.checked); fields.consent.setError(null); });
  const consentErr = h('p', { id: 'f-consent-error', class: 'field-error', hidden: true });
  consent.id = 'f-consent';
  consent.setAttribute('aria-describedby', 'f-pdpa-text f-consent-error');
  pdpaFs.append(
    h('div', { class: 'pdpa', id: 'f-pdpa-text', tabindex: '0', role: 'region', 'aria-label': t('secConsent') },
      ...pick(meta.pdpa.textTh, meta.pdpa.textEn).split(/\n{2,}/).map((para) => h('p', null, para)),
      h('p', { class: 'muted' }, t('pdpaVersion', { v: meta.pdpa.version }))),
    h('div', { class: 'check' }, consent, h('label', { for: 'f-consent' }, mode === 'citizen' ? t('consent') : t('citizenConsent'),
      mode === 'officer' ? h('span', { class: 'muted' }, ` ${t('optional')}`) : null)),
    consentErr);
  fields.consent = {
    wrap: pdpaFs, control: consent,
    setError(msg) {
      consentErr.textContent = msg ?? '';
      consentErr.hidden = !msg;
      if (msg) consent.setAttribute('aria-invalid', 'true'); else consent.removeAttribute('aria-invalid');
    },
  };
  form.append(pdpaFs);

  form.append(h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn primary block', id: 'f-review' }, t('review'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    save();
    const problems = validate(mode, meta, draft, consent.checked);
    if (showProblems(problems, fields, summary)) return;
    hooks.review();
  });
  ctx.main.append(form);

  if (hooks.pendingErrors) {
    const e = hooks.pendingErrors;
    const problems: Problem[] = e.fields.map((f) => ({ field: fieldOfPath(f.path), msg: fieldMessage(f) }));
    if (!problems.length) problems.push({ field: '', msg: e.text(lang()) });
    showProblems(problems, fields, summary);
  }
}

interface Problem { field: string; msg: string }

function validate(mode: Mode, meta: Meta, d: Draft, consent: boolean): Problem[] {
  const L = meta.limits;
  const p: Problem[] = [];
  if (mode === 'officer') {
    if (!d.channel) p.push({ field: 'channel', msg: t('errChannel') });
    if (d.receivedAt && new Date(d.receivedAt).getTime() > Date.now()) p.push({ field: 'receivedAt', msg: t('errReceivedAt') });
  }
  if (!d.problemType && !d.category) p.push({ field: 'category', msg: t('errCategory') });
  const n = d.description.trim().length;
  if (n < L.descriptionMin) p.push({ field: 'description', msg: t('errDescriptionShort', { min: L.descriptionMin }) });
  if (n > L.descriptionMax) p.push({ field: 'description', msg: t('errDescriptionLong', { max: L.descriptionMax }) });
  if (!d.provinceCode) p.push({ field: 'province', msg: t('errProvince') });
  if (d.address.trim().length > 300) p.push({ field: 'address', msg: t('errAddress') });
  if (!d.anonymous) {
    if (d.contactName.trim().length > 100) p.push({ field: 'name', msg: t('errName') });
    if (d.phone.trim() && !normalisePhone(d.phone)) p.push({ field: 'phone', msg: t('errPhone') });
  }
  if (mode === 'citizen' && !consent) p.push({ field: 'consent', msg: t('errConsent') });
  return p;
}

/** Where a server error path (`location.provinceCode`, `contact.phone`, …) shows in the form. */
function fieldOfPath(path: string): string {
  const map: [RegExp, string][] = [
    [/^(category|problemType)/, 'category'], [/^description/, 'description'], [/^channel/, 'channel'], [/^receivedAt/, 'receivedAt'],
    [/^location\.districtCode/, 'district'], [/^location\.subdistrictCode/, 'subdistrict'], [/^location\.address/, 'address'],
    [/^location\.(lat|lng)/, 'location'], [/^location/, 'province'], [/^photoIds/, 'photos'],
    [/^contact\.name/, 'name'], [/^contact\.phone/, 'phone'], [/^contact/, 'name'], [/^consent/, 'consent'],
  ];
  return map.find(([re]) => re.test(path))?.[1] ?? '';
}

/** Marks each problem on its field, lists them at the top, announces and focuses. False if none. */
function showProblems(problems: Problem[], fields: Record<string, Field>, summary: HTMLElement): boolean {
  for (const f of Object.values(fields)) f.setError(null);
  clear(summary);
  summary.hidden = problems.length === 0;
  if (!problems.length) return false;
  const seen = new Set<string>();
  const list = h('ul');
  for (const p of problems) {
    const f = fields[p.field];
    if (f && !seen.has(p.field)) { f.setError(p.msg); seen.add(p.field); }
    const target = f ? (f.control.id || '') : '';
    list.append(h('li', null, target ? h('a', { href: `#${target}`, onclick: (ev: Event) => { ev.preventDefault(); focusField(f!); } }, p.msg) : p.msg));
  }
  summary.append(h('h2', null, t('fixErrors', { n: problems.length })), list);
  announce(`${t('fixErrors', { n: problems.length })}: ${problems.map((p) => p.msg).join(' ')}`, true);
  const first = fields[problems[0].field];
  if (first) focusField(first);
  else summary.focus();
  return true;
}

function focusField(f: Field): void {
  const c = f.control;
  const target = c.tagName === 'FIELDSET' ? (c.querySelector('input:checked') ?? c.querySelector('input')) as HTMLElement : c;
  target?.focus();
  (c.tagName === 'FIELDSET' ? c : f.wrap).scrollIntoView({ block: 'center' });
}

function localNow(): string {
  const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

// ------------------------------------------------------------------------------------------ photos

function photoSection(ctx: Ctx, meta: Meta, draft: Draft, save: () => void, fields: Record<string, Field>): HTMLElement {
  const max = meta.limits.photosMax;
  const fs = h('fieldset', { class: 'card' }, h('legend', null, t('secPhotos')));
  const input = h('input', { type: 'file', id: 'f-photos', class: 'file-input', accept: 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif', multiple: true, 'aria-describedby': 'f-photos-hint f-photos-error' });
  const pickLabel = h('label', { for: 'f-photos', class: 'btn secondary file-label' }, t('photosAdd'));
  const list = h('ul', { class: 'photos', 'aria-label': t('photos') });
  const busy = h('p', { class: 'geo-status', role: 'status' });
  const err = h('p', { id: 'f-photos-error', class: 'field-error', hidden: true });
  let uploading = 0;
  fields.photos = {
    wrap: fs, control: input,
    setError(msg) { err.textContent = msg ?? ''; err.hidden = !msg; },
  };
  const render = () => {
    clear(list);
    draft.photos.forEach((p, i) => {
      const n = i + 1;
      const src = thumbs.get(p.id);
      // A photo from a restored draft: its thumbnail comes back from the server (own uploads are served).
      if (!src && !thumbLoads.has(p.id)) {
        thumbLoads.add(p.id);
        ctx.api.imageUrl(`/files/${encodeURIComponent(p.id)}`).then((url) => { thumbs.set(p.id, url); if (ctx.alive()) render(); }, () => undefined);
      }
      list.append(h('li', { class: 'photo' },
        src ? h('img', { src, alt: t('photoItem', { n }), width: 96, height: 96, onerror: (ev: Event) => { (ev.target as HTMLElement).replaceWith(h('span', { class: 'photo-ph', 'aria-hidden': 'true' }, '🖼')); } })
          : h('span', { class: 'photo-ph', 'aria-hidden': 'true' }, '🖼'),
        h('span', { class: 'photo-name' }, src ? t('photoItem', { n }) : `${t('photoItem', { n })} · ${t('sent')}`),
        h('button', { type: 'button', class: 'btn small secondary', 'aria-label': t('photoRemove', { n }), onclick: () => {
          draft.photos.splice(i, 1);
          save();
          fields.photos.setError(null);
          render();
          input.focus();
        } }, '✕')));
    });
    const full = draft.photos.length + uploading >= max;
    input.disabled = full;
    pickLabel.classList.toggle('disabled', full);
    pickLabel.textContent = full ? t('photosFull', { max }) : t('photosAdd');
  };
  input.addEventListener('change', async () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    const errors: string[] = [];
    for (const file of files) {
      const label = file.name || t('photoItem', { n: draft.photos.length + 1 });
      if (draft.photos.length + uploading >= max) { errors.push(t('photoTooMany', { max })); break; }
      uploading++;
      render();
      busy.textContent = t('photoUploading', { name: label });
      try {
        const prepared = await preparePhoto(file);
        const up = await ctx.api.upload(prepared.blob, prepared.contentType);
        draft.photos.push({ id: up.id, contentType: up.contentType, size: up.size, name: label });
        thumbs.set(up.id, URL.createObjectURL(prepared.blob));
        save();
        announce(t('photoUploaded', { name: label }));
      } catch (e) {
        errors.push(e instanceof PhotoError ? t(e.kind === 'too_big' ? 'photoTooBig' : 'photoBadType', { name: label })
          : e instanceof ApiError ? `${label}: ${e.text(lang())}` : t('photoFailed', { name: label }));
      } finally {
        uploading--;
        busy.textContent = '';
        render();
      }
    }
    fields.photos.setError(errors.length ? errors.join(' ') : null);
    if (errors.length) announce(errors.join(' '), true);
  });
  fs.append(h('p', { class: 'hint', id: 'f-photos-hint' }, t('photosHint', { max })), input, pickLabel, busy, list, err);
  render();
  return fs;
}

// ------------------------------------------------------------------------------------------ review

function renderReview(ctx: Ctx, mode: Mode, meta: Meta, provinces: Area[], d: Draft, hooks: {
  back(): void; submitted(r: Recorded): void; rejected(e: ApiError): void; joined(j: Joined): void; consent: boolean;
}): void {
  pageStart(ctx, t('reviewTitle'), h('p', { class: 'lead' }, t('reviewIntro')));
  const type = meta.problemTypes.find((x) => x.code === d.problemType);
  const cat = meta.categories.find((c) => c.code === d.category);
  const prov = provinces.find((p) => p.code === d.provinceCode);
  const dl = h('dl', { class: 'review' });
  const row = (k: string, v: Node | string) => dl.append(h('dt', null, k), h('dd', null, v));
  if (mode === 'officer') {
    const ch = meta.channels.find((c) => c.code === d.channel);
    row(t('receivedVia'), ch ? pick(ch.th, ch.en) : t('none'));
    row(t('receivedAt'), d.receivedAt ? d.receivedAt.replace('T', ' ') : t('receivedAtHint'));
  }
  row(t('category'), type ? `${type.icon} ${pick(type.th, type.en)}` : cat ? pick(cat.th, cat.en) : t('none'));
  row(t('description'), h('span', { class: 'pre' }, d.description.trim()));
  const area = h('span', { id: 'review-area' }, prov ? pick(prov.nameTh, prov.nameEn) : t('none'));
  row(t('where'), area);
  // District and subdistrict names come from the cached lists (already loaded while editing).
  void (async () => {
    const s = d.subdistrictCode && d.districtCode ? (await subdistrictCache.get(d.districtCode)?.catch(() => []))?.find((a) => a.code === d.subdistrictCode) : undefined;
    const x = d.districtCode && d.provinceCode ? (await districtCache.get(d.provinceCode)?.catch(() => []))?.find((a) => a.code === d.districtCode) : undefined;
    const nm = (a?: Area) => (a ? pick(a.nameTh, a.nameEn) : undefined);
    area.textContent = areaText(lang(), d.provinceCode, { sub: nm(s), district: nm(x), province: nm(prov) }) || t('none');
  })();
  if (d.address.trim()) row(t('address'), d.address.trim());
  if (d.lat !== undefined && d.lng !== undefined) row(t('coords'), `${d.lat.toFixed(5)}, ${d.lng.toFixed(5)}`);
  if (mode === 'citizen') {
    const ph = h('span', null, t('photosCount', { n: d.photos.length }));
    const imgs = d.photos.map((p, i) => thumbs.get(p.id) ? h('img', { src: thumbs.get(p.id)!, alt: t('photoItem', { n: i + 1 }), width: 64, height: 64, class: 'thumb' }) : null);
    row(t('photos'), h('span', { class: 'thumbs' }, ph, ...imgs));
  }
  if (d.anonymous) row(t('complainant'), t('anonymousCase'));
  else {
    row(t('contactName'), d.contactName.trim() || t('none'));
    row(t('phone'), d.phone.trim() ? normalisePhone(d.phone) ?? d.phone : t('none'));
  }
  row(t('secConsent').replace(/^\d+\.\s*/, ''), hooks.consent ? `${t('yes')} · ${t('pdpaVersion', { v: meta.pdpa.version })}` : t('no'));
  ctx.main.append(dl);

  const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'button', class: 'btn primary block', id: 'f-submit' }, t('submit'));
  const back = h('button', { type: 'button', class: 'btn secondary block', onclick: hooks.back }, t('edit'));
  submit.addEventListener('click', async () => {
    submit.disabled = back.disabled = true;
    submit.textContent = t('submitting');
    status.hidden = true;
    try {
      const r = mode === 'citizen'
        ? await ctx.api.post<Recorded>('/cases', citizenBody(meta, d))
        : await ctx.api.post<Recorded>('/officer/cases', officerBody(meta, d, hooks.consent));
      hooks.submitted(r);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) return hooks.rejected(e);
      status.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle');
      status.hidden = false;
      submit.disabled = back.disabled = false;
      submit.textContent = t('submit');
    }
  });
  const related = h('section', { class: 'card related', id: 'related', hidden: true, 'aria-live': 'polite' });
  ctx.main.append(related, status, h('div', { class: 'actions' }, submit, back));
  if (mode === 'citizen') void relatedBox(ctx, d, related, hooks.joined);
}

/**
 * "มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ": open cases nearby that may be the same problem, each with "แจ้งด้วย".
 * Only their public part comes from the server. Nothing found, or the lookup failing, leaves the box
 * hidden: sending stays as it was.
 */
async function relatedBox(ctx: Ctx, d: Draft, box: HTMLElement, joined: (j: Joined) => void): Promise<void> {
  let offers: RelatedOffer[];
  try {
    offers = await ctx.api.post<RelatedOffer[]>('/related', { ...kind(d), description: d.description.trim(), location: location(d) });
  } catch {
    return;
  }
  if (!ctx.alive() || !offers.length) return;
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  box.append(h('h2', null, t('relatedTitle')), h('p', { class: 'hint' }, t('relatedIntro')));
  for (const o of offers) {
    const btn = h('button', { type: 'button', class: 'btn primary', id: `join-${o.trackingNo}` }, t('joinButton'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      btn.textContent = t('joining');
      err.hidden = true;
      try {
        joined(await ctx.api.post<Joined>(`/cases/${encodeURIComponent(o.id)}/join`, {}));
      } catch (e) {
        err.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle');
        err.hidden = false;
        btn.disabled = false;
        btn.textContent = t('joinButton');
      }
    });
    box.append(h('div', { class: 'related-case', 'data-tracking-no': o.trackingNo },
      h('p', null, h('strong', null, pick(o.typeTh, o.typeEn)), ' · ', o.trackingNo),
      h('p', { class: 'hint' }, pick(o.areaTh, o.areaEn)),
      h('p', { class: 'hint' }, `${t('relatedReceived', { date: dateOnly(o.receivedAt, lang()) })} · ${pick(o.statusTh, o.statusEn)}`),
      h('p', { class: 'hint' }, t('relatedSupporters', { n: o.supporterCount })),
      btn));
  }
  box.append(err);
  box.hidden = false;
  document.documentElement.dataset.related = String(offers.length);
}

/** Joined: the case's tracking number and public status, and that its updates will come in LINE. */
function renderJoined(ctx: Ctx, j: Joined, again: () => void): void {
  pageStart(ctx, j.already ? t('joinedAlready') : t('joinedTitle'));
  ctx.main.append(
    h('div', { class: 'tracking card', role: 'status' },
      h('p', null, t('joinedTracking')),
      h('p', { class: 'tracking-no', id: 'tracking-no' }, j.trackingNo),
      h('p', { id: 'joined-status' }, pick(j.statusTh, j.statusEn)),
      h('p', { class: 'hint', id: 'joined-supporters' }, t('relatedSupporters', { n: j.supporterCount }))),
    h('p', null, t('joinedText')),
    h('div', { class: 'actions' },
      h('a', { class: 'btn primary block', href: `#/cases/${j.id}` }, t('doneView')),
      h('button', { type: 'button', class: 'btn secondary block', onclick: again }, t('doneNew'))),
  );
  announce(`${t('joinedTitle')}. ${j.trackingNo}`);
  document.documentElement.dataset.ready = 'joined';
}

/** What the complaint is about, as the API takes it: the problem type, else (a draft from before types) the category. */
function kind(d: Draft) {
  return d.problemType ? { problemType: d.problemType } : { category: d.category };
}

function location(d: Draft) {
  return {
    provinceCode: d.provinceCode!,
    ...(d.districtCode ? { districtCode: d.districtCode } : {}),
    ...(d.subdistrictCode ? { subdistrictCode: d.subdistrictCode } : {}),
    ...(d.lat !== undefined && d.lng !== undefined ? { lat: d.lat, lng: d.lng } : {}),
    ...(d.address.trim() ? { address: d.address.trim() } : {}),
  };
}

function contact(d: Draft) {
  if (d.anonymous) return undefined;
  const name = d.contactName.trim();
  const phone = d.phone.trim() ? normalisePhone(d.phone) ?? d.phone.trim() : '';
  if (!name && !phone) return undefined;
  return { ...(name ? { name } : {}), ...(phone ? { phone } : {}) };
}

function citizenBody(meta: Meta, d: Draft) {
  const c = contact(d);
  return {
    ...kind(d),
    description: d.description.trim(),
    location: location(d),
    ...(d.photos.length ? { photoIds: d.photos.map((p) => p.id) } : {}),
    ...(c ? { contact: c } : {}),
    anonymous: d.anonymous,
    consent: { version: meta.pdpa.version, accepted: true },
    clientRequestId: d.clientRequestId,
  };
}

function officerBody(meta: Meta, d: Draft, consent: boolean) {
  const c = contact(d);
  return {
    channel: d.channel as ChannelCode,
    ...kind(d),
    description: d.description.trim(),
    location: location(d),
    ...(c ? { contact: c } : {}),
    anonymous: d.anonymous,
    ...(consent ? { consent: { version: meta.pdpa.version, accepted: true } } : {}),
    ...(d.receivedAt ? { receivedAt: new Date(d.receivedAt).toISOString() } : {}),
    clientRequestId: d.clientRequestId,
  };
}

// ------------------------------------------------------------------------------------------ done

/** What recording answers: an officer's recorded case also carries the one-time LINE claim code, shown here once. */
interface Recorded { id: string; trackingNo: string; claimCode?: string; claimCodeExpiresAt?: string }

function renderDone(ctx: Ctx, mode: Mode, r: Recorded, again: () => void): void {
  pageStart(ctx, t('doneTitle'));
  ctx.main.append(
    h('div', { class: 'tracking card', role: 'status' },
      h('p', null, t('doneTracking')),
      h('p', { class: 'tracking-no', id: 'tracking-no' }, r.trackingNo)),
    h('p', null, mode === 'citizen' ? t('doneText') : t('officerDoneText')),
    ...(mode === 'officer' && r.claimCode ? [claimCard(ctx, r, again)] : []),
    h('div', { class: 'actions' },
      h('a', { class: 'btn primary block', href: mode === 'citizen' ? `#/cases/${r.id}` : `#/officer/cases/${r.id}` }, t('doneView')),
      h('button', { type: 'button', class: 'btn secondary block', onclick: again }, t('doneNew'))),
  );
  announce(`${t('doneTitle')}. ${t('doneTracking')} ${r.trackingNo}`);
  document.documentElement.dataset.ready = 'done';
}

/** The claim code, large enough to read out; kept only in this page's memory (the server has its hash). */
function claimCard(ctx: Ctx, r: Recorded, again: () => void): HTMLElement {
  const until = r.claimCodeExpiresAt ? dateOnly(r.claimCodeExpiresAt, lang()) : '-';
  const print = h('button', { type: 'button', class: 'btn secondary block', id: 'claim-print' }, t('claimPrint'));
  print.addEventListener('click', () => renderReceipt(ctx, r, until, again));
  return h('div', { class: 'tracking card claim', id: 'claim' },
    h('p', null, t('claimTitle')),
    h('p', { class: 'tracking-no claim-code', id: 'claim-code' }, r.claimCode!),
    h('p', { class: 'hint' }, t('claimIntro', { code: r.claimCode! })),
    h('p', { class: 'hint' }, t('claimOnce', { date: until })),
    print);
}

/** A receipt for the complainant: tracking number, claim code and how to use it, laid out for paper. */
function renderReceipt(ctx: Ctx, r: Recorded, until: string, again: () => void): void {
  clear(ctx.main);
  const back = h('button', { type: 'button', class: 'btn secondary block no-print', id: 'receipt-back' }, t('claimBack'));
  back.addEventListener('click', () => renderDone(ctx, 'officer', r, again));
  ctx.main.append(
    h('section', { class: 'receipt', id: 'receipt' },
      h('h1', null, t('receiptTitle')),
      h('dl', { class: 'review' },
        h('dt', null, t('doneTracking')), h('dd', { class: 'tracking-no' }, r.trackingNo),
        h('dt', null, t('receiptDate')), h('dd', null, dateOnly(new Date().toISOString(), lang())),
        h('dt', null, t('claimTitle')), h('dd', { class: 'tracking-no claim-code' }, r.claimCode!)),
      h('p', null, t('receiptHow', { code: r.claimCode!, date: until }))),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'btn primary block', id: 'receipt-print', onclick: () => window.print() }, t('claimPrintNow')),
      back),
  );
  document.documentElement.dataset.ready = 'receipt';
}
