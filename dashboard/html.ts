/**
 * Server-rendered HTML for the dashboard: a tagged template that escapes every interpolated value
 * (only `raw(...)` passes through), the page frame, and Buddhist-era date helpers.
 * No client framework: pages are small and fast, and a print view is plain HTML.
 */
import type { Response } from 'express';
import { thaiMonth } from '../shared/thaiDate.ts';

export class Raw {
  readonly html: string;
  constructor(h: string) { this.html = h; }
}
export function raw(h: string): Raw { return new Raw(h); }

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!);
}

type Part = string | number | Raw | null | undefined | false | Part[];

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (v instanceof Raw) return v.html;
  return esc(v);
}

/** `html\`<p>${userText}</p>\`` → escaped; nest with arrays and other `html` results. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Raw {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return raw(out);
}

const nf = new Intl.NumberFormat('en-US');
export function num(n: number): string { return nf.format(n); }

/** Bangkok calendar date parts of an instant. */
function bangkokParts(d: Date): { y: number; m: number; day: number } {
  const t = new Date(d.getTime() + 7 * 3600_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** "22 พฤศจิกายน 2569" (Buddhist era, Bangkok), the long form used on official letters. */
export function thaiLongDate(d: Date): string {
  const p = bangkokParts(d);
  return `${p.day} ${thaiMonth(p.m)} ${p.y + 543}`;
}

export interface NavUser { name: string; unitName: string; role: string; csrf: string }

const NAV: { path: string; th: string; en: string }[] = [
  { path: '/dashboard/', th: 'ภาพรวม', en: 'Overview' },
  { path: '/dashboard/reports', th: 'รายงานทางการ', en: 'Official tables' },
  { path: '/dashboard/late-units', th: 'หน่วยงานล่าช้า', en: 'Late units' },
  { path: '/dashboard/trends', th: 'แนวโน้ม', en: 'Trends' },
  { path: '/dashboard/completeness', th: 'ความครบถ้วนข้อมูล', en: 'Data completeness' },
  { path: '/dashboard/cases', th: 'ค้นหาเรื่อง', en: 'Cases' },
];

const ROLE_TH: Record<string, string> = { officer: 'เจ้าหน้าที่', head: 'หัวหน้า', executive: 'ผู้บริหาร', admin: 'ผู้ดูแลระบบ' };

export function layout(opts: { title: string; titleEn: string; active: string; user: NavUser; body: Raw; scripts?: string[] }): string {
  return '<!doctype html>' + html`<html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · แดชบอร์ดศูนย์ดำรงธรรม</title>
<link rel="stylesheet" href="/dashboard/assets/style.css">
</head><body>
<header class="top">
  <div class="brand">ศูนย์ดำรงธรรม <small>Rongrian dashboard</small></div>
  <nav>${NAV.map((n) => html`<a href="${n.path}" class="${opts.active === n.path ? 'on' : ''}">${n.th}<small>${n.en}</small></a>`)}${opts.user.role === 'admin' ? html`<a href="/dashboard/audit" class="${opts.active === '/dashboard/audit' ? 'on' : ''}">บันทึกการเข้าถึง<small>Audit log</small></a>` : ''}</nav>
  <div class="who">
    <span>${opts.user.name}<small>${ROLE_TH[opts.user.role] ?? opts.user.role} · ${opts.user.unitName}</small></span>
    <form method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="${opts.user.csrf}"><button type="submit">ออกจากระบบ <small>Sign out</small></button></form>
  </div>
</header>
<main>
<h1>${opts.title} <small>${opts.titleEn}</small></h1>
${opts.body}
</main>
${(opts.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</body></html>`.html;
}

/** A plain page (sign-in problems, signed out) outside the frame. */
export function plainPage(title: string, body: Raw): string {
  return '<!doctype html>' + html`<html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="/dashboard/assets/style.css"></head>
<body class="plain"><main class="card">${body}</main></body></html>`.html;
}

export function errorPage(res: Response, status: number, th: string, en: string, offerSignIn = false): void {
  res.status(status).type('html').send(plainPage(th, html`<h1>${th}</h1><p class="en">${en}</p>
    ${offerSignIn ? html`<p><a class="button" href="/dashboard/login">เข้าสู่ระบบด้วย LINE <small>Sign in with LINE</small></a></p>` : ''}
    <p><a href="/dashboard/">กลับหน้าแรก · Back to the dashboard</a></p>`));
}
