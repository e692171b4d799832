/** What every page gets, and the small UI pieces pages share (fields, errors, loading, failures). */
import { ApiError, type Api, type Area, type Me, type Meta } from './api.ts';
import type { Session } from './session.ts';
import { announce, clear, h } from './dom.ts';
import { lang, t, type Key } from './i18n.ts';

export interface Ctx {
  api: Api;
  session: Session;
  main: HTMLElement;
  me(): Promise<Me>;
  meta(): Promise<Meta>;
  provinces(): Promise<Area[]>;
  /** Draws the current route again (after a language switch). */
  rerender(): void;
  /** True while this render is still the one on screen (the person may have navigated on). */
  alive(): boolean;
}

/** Starts a page: empty <main>, its <h1> (focused, so screen readers start there), the tab title. */
export function pageStart(ctx: Ctx, title: string, ...intro: (Node | string)[]): HTMLElement {
  clear(ctx.main);
  document.title = `${title} · ${t('brand')}`;
  const h1 = h('h1', { tabindex: '-1' }, title);
  ctx.main.append(h1, ...intro);
  h1.focus({ preventScroll: true });
  return h1;
}

export function loading(ctx: Ctx): void {
  clear(ctx.main);
  ctx.main.append(h('p', { class: 'loading', role: 'status' }, t('loading')));
}

/** A failed load: a plain message and a retry button; 404 reads as "not found" (also for others' ids). */
export function failure(ctx: Ctx, err: unknown): void {
  const e = err instanceof ApiError ? err : undefined;
  if (!e) console.error(err);
  const notFound = e?.status === 404;
  pageStart(ctx, notFound ? t('notFoundTitle') : t('errorTitle'),
    h('p', { class: 'notice error' }, notFound ? t('notFoundText') : e ? e.text(lang()) : String((err as Error)?.message ?? err)),
    notFound ? h('a', { class: 'btn secondary', href: '#/cases' }, t('navCases')) : h('button', { type: 'button', class: 'btn secondary', onclick: () => ctx.rerender() }, t('retry')));
  announce(notFound ? t('notFoundTitle') : t('errorTitle'), true);
}

export interface Field {
  wrap: HTMLElement;
  control: HTMLElement;
  setError(msg: string | null): void;
}

/** A labelled control with an optional hint and a place for its error, all wired with ARIA. */
export function field(id: string, label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, o: { hint?: string; optional?: boolean; extra?: Node } = {}): Field {
  control.id = id;
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const err = h('p', { id: errId, class: 'field-error', hidden: true });
  const described = [o.hint ? hintId : '', errId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  const wrap = h('div', { class: 'field' },
    h('label', { for: id }, label, o.optional ? h('span', { class: 'muted' }, ` ${t('optional')}`) : null),
    o.hint ? h('p', { id: hintId, class: 'hint' }, o.hint) : null,
    control,
    o.extra ?? null,
    err);
  return {
    wrap, control,
    setError(msg) {
      err.textContent = msg ?? '';
      err.hidden = !msg;
      if (msg) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

/** Validation messages from the server, per field, in the current language. */
export function fieldMessage(e: { th: string; en: string }): string {
  return lang() === 'en' ? e.en || e.th : e.th;
}

/** A small form with one text box and a submit button, for officer actions, add-info, withdraw. */
export function textForm(o: {
  id: string; label: string; hint?: string; min: number; max: number; multiline?: boolean; submit: string; danger?: boolean;
  extra?: Field[]; onSubmit(text: string): Promise<void>;
}): HTMLFormElement {
  const control = o.multiline === false ? h('input', { type: 'text', maxlength: o.max, autocomplete: 'off' }) : h('textarea', { rows: 3, maxlength: o.max });
  const f = field(o.id, o.label, control, { hint: o.hint ?? t('errTextRange', { min: o.min, max: o.max }) });
  const btn = h('button', { type: 'submit', class: o.danger ? 'btn danger' : 'btn' }, o.submit);
  const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'stack', novalidate: true }, ...(o.extra ?? []).map((x) => x.wrap), f.wrap, status, btn);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = control.value.trim();
    status.hidden = true;
    let bad = false;
    for (const x of o.extra ?? []) x.setError(null);
    if (text.length < o.min || text.length > o.max) {
      f.setError(t('errTextRange', { min: o.min, max: o.max }));
      control.focus();
      announce(t('errTextRange', { min: o.min, max: o.max }), true);
      bad = true;
    } else f.setError(null);
    if (bad) return;
    btn.disabled = true;
    try {
      await o.onSubmit(text);
    } catch (err) {
      const e = err instanceof ApiError ? err : undefined;
      const msg = e ? e.text(lang()) : t('errorTitle');
      const perField = e?.fields ?? [];
      let shown = false;
      for (const fe of perField) {
        const target = (o.extra ?? []).find((x) => fe.path.endsWith(x.control.id.replace(/^.*-/, ''))) ?? f;
        target.setError(fieldMessage(fe));
        shown = true;
      }
      status.textContent = msg;
      status.hidden = false;
      if (!shown) announce(msg, true);
    } finally {
      btn.disabled = false;
    }
  });
  return form;
}

export const statusLabel = (s: { statusTh: string; statusEn: string }): string => (lang() === 'en' ? s.statusEn : s.statusTh);

/** The problem type (icon and name) when the case has one; a case filed before types shows its category. */
export function categoryLabel(meta: Meta | undefined, code: string, problemType?: string | null): string {
  const ty = problemType ? meta?.problemTypes.find((x) => x.code === problemType) : undefined;
  if (ty) return `${ty.icon} ${lang() === 'en' ? ty.en : ty.th}`;
  const c = meta?.categories.find((x) => x.code === code);
  return c ? (lang() === 'en' ? c.en : c.th) : code;
}

export function tk(key: Key): string { return t(key); }
