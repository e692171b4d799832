/// <reference types="vite/client" />
/**
 * The officer's writing panels on `#/officer/cases/:id`: a message to the complainant (update or
 * question) that is previewed — exactly as it will arrive in LINE — before it can be sent; response
 * templates that fill the text box for editing; and the forward picker, which finds units by name and
 * asks for confirmation with the unit's full name (nobody types a unit code).
 */
import { ApiError, type OfficerCaseDetail } from '../api.ts';
import { type Ctx, field, fieldMessage } from '../ctx.ts';
import { announce, clear, h, uid } from '../dom.ts';
import { lang, pick, t } from '../i18n.ts';
import './officerActions.css';

type MessageKind = 'update' | 'ask' | 'close' | 'reject';
interface Template { id: string; titleTh: string; titleEn: string; th: string; en: string }
interface CaseTemplates { lang: 'th' | 'en'; templates: Template[] }
interface Preview { kind: MessageKind; lang: 'th' | 'en'; text: string; toLine: boolean }
interface ForwardTarget { code: string; nameTh: string; nameEn: string; level: string; areaTh?: string; areaEn?: string; suggested: boolean }

const errorText = (e: unknown) => (e instanceof ApiError ? e.text(lang()) : t('errorTitle'));

/** Runs `load` the first time the panel (the <details> around `el`) is opened: no request for panels nobody opens. */
function onFirstOpen(el: HTMLElement, load: () => void): void {
  queueMicrotask(() => {
    const details = el.closest('details');
    if (!details) return load();
    if (details.open) return load();
    details.addEventListener('toggle', () => load(), { once: true });
  });
}

/**
 * A "template" select placed before the text box `textarea`: picking one fills the box with the
 * template in the complainant's language, placeholders already filled, for the officer to edit.
 */
export function templatePicker(ctx: Ctx, c: OfficerCaseDetail, action: MessageKind, textarea: HTMLTextAreaElement, idPrefix: string): HTMLElement {
  const select = h('select', { disabled: true }, h('option', { value: '' }, t('tplLoading')));
  const f = field(`${idPrefix}-template`, t('tplLabel'), select, { optional: true, hint: t('tplHint') });
  let data: CaseTemplates | undefined;
  onFirstOpen(f.wrap, async () => {
    try {
      data = await ctx.api.get<CaseTemplates>(`/officer/cases/${c.id}/templates?action=${action}`);
    } catch {
      select.replaceChildren(h('option', { value: '' }, t('tplUnavailable')));
      return;
    }
    select.replaceChildren(h('option', { value: '' }, data.templates.length ? t('tplNone') : t('tplEmpty')),
      ...data.templates.map((x) => h('option', { value: x.id }, pick(x.titleTh, x.titleEn))));
    select.disabled = !data.templates.length;
    if (data.lang === 'en') f.wrap.append(h('p', { class: 'hint' }, t('tplInEnglish')));
  });
  select.addEventListener('change', () => {
    const tpl = data?.templates.find((x) => x.id === select.value);
    if (!tpl) return;
    textarea.value = data!.lang === 'en' ? tpl.en : tpl.th;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    textarea.focus();
    announce(t('tplFilled'));
  });
  return f.wrap;
}

/** Adds a template picker to a form built by textForm (close, reject): in front of its text box. */
export function addTemplatePicker(ctx: Ctx, c: OfficerCaseDetail, action: MessageKind, form: HTMLFormElement | null, textId: string): void {
  const box = form?.querySelector<HTMLTextAreaElement>(`#${textId}`);
  const wrap = box?.closest('.field');
  if (!box || !wrap) return;
  wrap.before(templatePicker(ctx, c, action, box, textId.split('-')[0]));
}

/**
 * Update or question to the complainant: template → edit → preview (the exact LINE message, from
 * the server) → send. Any edit after the preview hides it: what is sent is always what was shown.
 */
export function citizenMessageForm(ctx: Ctx, c: OfficerCaseDetail, o: {
  kind: 'update' | 'ask'; id: string; label: string; min: number; max: number; send(text: string): Promise<void>;
}): HTMLFormElement {
  const box = h('textarea', { rows: 4, maxlength: o.max });
  // People who joined the case get updates too (workers/notify.ts): the officer should know before writing.
  const others = o.kind === 'update' ? Math.max(0, (c.supporterCount ?? 1) - 1) : 0;
  const alsoTo = others ? ` ${t('msgFollowersToo', { n: others })}` : '';
  const f = field(`${o.id}-text`, o.label, box, { hint: `${t(c.complainant.hasLine ? 'msgGoesToLine' : 'msgNoLine')}${alsoTo} ${t('errTextRange', { min: o.min, max: o.max })}` });
  const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const previewBtn = h('button', { type: 'submit', class: 'btn', id: `${o.id}-preview` }, t('msgPreview'));
  const out = h('section', { class: 'msg-preview', id: `${o.id}-preview-box`, hidden: true, 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', novalidate: true }, templatePicker(ctx, c, o.kind, box, o.id), f.wrap, status, previewBtn, out);
  let shown: string | undefined;

  const fail = (e: unknown) => {
    const err = e instanceof ApiError ? e : undefined;
    const per = err?.fields.find((x) => x.path === 'text' || x.path === 'question');
    if (per) f.setError(fieldMessage(per));
    status.textContent = errorText(e);
    status.hidden = false;
    announce(status.textContent, true);
  };
  box.addEventListener('input', () => {
    if (shown !== undefined && box.value.trim() !== shown) { out.hidden = true; shown = undefined; }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.hidden = true;
    const text = box.value.trim();
    if (text.length < o.min || text.length > o.max) {
      f.setError(t('errTextRange', { min: o.min, max: o.max }));
      box.focus();
      announce(t('errTextRange', { min: o.min, max: o.max }), true);
      return;
    }
    f.setError(null);
    previewBtn.disabled = true;
    let p: Preview;
    try {
      p = await ctx.api.post<Preview>(`/officer/cases/${c.id}/preview`, { kind: o.kind, text });
    } catch (e) {
      fail(e);
      return;
    } finally {
      previewBtn.disabled = false;
    }
    shown = text;
    const send = h('button', { type: 'button', class: 'btn primary', id: `${o.id}-send` }, t(o.kind === 'ask' ? 'msgSendAsk' : 'msgSend'));
    const edit = h('button', { type: 'button', class: 'link', onclick: () => { out.hidden = true; shown = undefined; box.focus(); } }, t('msgEdit'));
    clear(out);
    out.append(
      h('h3', null, t(p.toLine ? 'msgPreviewTitle' : 'msgPreviewTitleNoLine'), p.lang === 'en' ? ` (English)` : ''),
      h('p', { class: 'line-bubble pre', id: `${o.id}-preview-text` }, p.text),
      h('p', { class: 'notice', hidden: p.toLine }, t('msgNoLine')),
      h('p', { class: 'notice', id: `${o.id}-followers`, hidden: !others }, t('msgFollowersToo', { n: others })),
      h('div', { class: 'row' }, send, edit));
    out.hidden = false;
    send.focus();
    announce(t('msgPreviewReady'));
    send.addEventListener('click', async () => {
      send.disabled = true;
      try {
        await o.send(text);
      } catch (e) {
        fail(e);
        send.disabled = false;
      }
    });
  });
  return form;
}

/** Forward (Service Link): search units by name or area, pick one, confirm with its full name. */
export function forwardForm(ctx: Ctx, c: OfficerCaseDetail, done: () => void): HTMLFormElement {
  const search = h('input', { type: 'search', maxlength: 60, autocomplete: 'off', enterkeyhint: 'search' });
  const sf = field('fwd-search', t('fwdSearch'), search, { hint: t('fwdSearchHint') });
  const legend = h('legend', null, t('fwdSuggested'));
  const list = h('div', { class: 'choices', id: 'fwd-units' }, h('p', { class: 'muted' }, t('loading')));
  const units = h('fieldset', { class: 'fwd-units' }, legend, list);
  const unitErr = h('p', { class: 'field-error', id: 'fwd-unit-error', hidden: true });
  const reason = h('textarea', { rows: 3, maxlength: 1000 });
  const rf = field('fwd-reason', t('fwdReason'), reason, { hint: t('errTextRange', { min: 5, max: 1000 }) });
  const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const next = h('button', { type: 'submit', class: 'btn', id: 'fwd-next' }, t('fwdNext'));
  const confirm = h('section', { class: 'msg-preview', id: 'fwd-confirm-box', hidden: true, 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', novalidate: true }, sf.wrap, units, unitErr, rf.wrap, status, next, confirm);
  let found: ForwardTarget[] = [];
  let seq = 0;

  const show = (items: ForwardTarget[], q: string) => {
    found = items;
    legend.textContent = q ? t('fwdResults') : t('fwdSuggested');
    clear(list);
    if (!items.length) { list.append(h('p', { class: 'muted', id: 'fwd-none' }, t(q ? 'fwdNone' : 'fwdNoSuggestions'))); return; }
    for (const u of items) {
      const id = uid('fwd-u');
      const area = pick(u.areaTh ?? '', u.areaEn ?? '');
      const kind = u.level === 'partner' ? t('fwdPartner') : '';
      list.append(h('div', { class: 'choice' },
        h('input', { type: 'radio', name: 'fwd-unit', id, value: u.code }),
        h('label', { for: id },
          h('span', { class: 'choice-title' }, pick(u.nameTh, u.nameEn)),
          [kind, area].filter(Boolean).length ? h('span', { class: 'choice-hint' }, [kind, area].filter(Boolean).join(' · ')) : null,
          u.suggested && q ? h('span', { class: 'choice-hint tag' }, t('fwdSuggestedTag')) : null)));
    }
  };
  const load = async () => {
    const q = search.value.trim();
    const mine = ++seq;
    try {
      const items = await ctx.api.get<ForwardTarget[]>(`/officer/cases/${c.id}/forward-targets${q ? `?q=${encodeURIComponent(q)}` : ''}`);
      if (mine === seq) show(items, q);
    } catch (e) {
      if (mine === seq) { clear(list); list.append(h('p', { class: 'field-error' }, errorText(e))); }
    }
  };
  onFirstOpen(form, load);
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 250); });
  search.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); clearTimeout(timer); void load(); } });
  form.addEventListener('change', () => { confirm.hidden = true; });
  reason.addEventListener('input', () => { confirm.hidden = true; });

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    status.hidden = true;
    const code = (form.querySelector('input[name="fwd-unit"]:checked') as HTMLInputElement | null)?.value;
    const unit = found.find((u) => u.code === code);
    const why = reason.value.trim();
    unitErr.hidden = Boolean(unit);
    unitErr.textContent = unit ? '' : t('fwdPick');
    const badReason = why.length < 5 || why.length > 1000;
    rf.setError(badReason ? t('errTextRange', { min: 5, max: 1000 }) : null);
    if (!unit || badReason) {
      announce(!unit ? t('fwdPick') : t('errTextRange', { min: 5, max: 1000 }), true);
      (!unit ? search : reason).focus();
      return;
    }
    const go = h('button', { type: 'button', class: 'btn primary', id: 'fwd-confirm' }, t('fwdConfirm'));
    const back = h('button', { type: 'button', class: 'link', id: 'fwd-cancel', onclick: () => { confirm.hidden = true; next.focus(); } }, t('msgEdit'));
    clear(confirm);
    confirm.append(
      h('h3', null, t('fwdConfirmTitle', { no: c.trackingNo })),
      h('p', { class: 'fwd-name', id: 'fwd-confirm-name' }, pick(unit.nameTh, unit.nameEn)),
      h('p', { class: 'muted' }, lang() === 'en' ? unit.nameTh : unit.nameEn),
      h('p', { class: 'pre' }, `${t('fwdReason')}: ${why}`),
      h('p', { class: 'hint' }, t('fwdConfirmHint')),
      h('div', { class: 'row' }, go, back));
    confirm.hidden = false;
    go.focus();
    go.addEventListener('click', async () => {
      go.disabled = true;
      try {
        await ctx.api.post(`/officer/cases/${c.id}/forward`, { unitCode: unit.code, reason: why });
        done();
      } catch (e) {
        const err = e instanceof ApiError ? e : undefined;
        const per = err?.fields.find((x) => x.path === 'reason');
        if (per) rf.setError(fieldMessage(per));
        status.textContent = errorText(e);
        status.hidden = false;
        announce(status.textContent, true);
        go.disabled = false;
      }
    });
  });
  return form;
}
