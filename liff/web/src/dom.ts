/**
 * A tiny element builder. Text always goes in as text nodes (`textContent`), never as HTML: user and
 * server text cannot become markup here, so there is no innerHTML anywhere in the app.
 */
type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((ev: any) => void);
export type Attrs = Record<string, AttrValue>;

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'required', 'multiple']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
      else if (PROPS.has(k)) (el as any)[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

let liveTimer: ReturnType<typeof setTimeout> | undefined;
/** Says something to screen-reader users: politely, or at once (`assertive`) for errors. */
export function announce(text: string, assertive = false): void {
  const region = $(assertive ? 'alert' : 'live');
  if (!region) return;
  region.textContent = '';
  clearTimeout(liveTimer);
  // A fresh text node after a tick, so the same message said twice is still read out.
  liveTimer = setTimeout(() => { region.textContent = text; }, 50);
}

let seq = 0;
export const uid = (prefix: string): string => `${prefix}-${++seq}`;
