/**
 * The public figures page: plain HTML and one inline style sheet (allowed by its hash), no script,
 * no third-party request. Phone first: every unit is a card of six figures in two columns.
 * Small counts (1–4) show as "< 5", and figures derived from fewer than five cases as "–", so that
 * nobody can be picked out of a small area or agency.
 */
import { createHash } from 'node:crypto';
import { fiscalYearPeriod, type ReportPeriod } from '../shared/reports/period.ts';
import { periodLabel } from '../shared/reports/render.ts';
import { thaiMonth, type Lang } from '../shared/thaiDate.ts';
import type { FiguresData, FiguresRow, PublicResultItem } from './data.ts';

/** Below this many cases a count shows as "< 5" and a rate, mean or median is not shown. */
export const SMALL = 5;

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:"Sarabun","Noto Sans Thai",system-ui,sans-serif;color:#1b1f24;background:#f4f6f8;line-height:1.5;font-size:16px}
header{background:#0b5394;color:#fff;padding:16px}header h1{margin:0 0 4px;font-size:1.3rem}header p{margin:0;opacity:.9}
header a{color:#fff}main{padding:12px;max-width:960px;margin:0 auto}.lang{float:right;font-size:.9rem}
form.period{display:flex;gap:8px;align-items:flex-end;flex-wrap:wrap;margin:4px 0 12px}form.period label{display:block;font-size:.9rem}
select,button{font:inherit;padding:8px 10px;border-radius:8px;border:1px solid #8a96a3;background:#fff;min-height:44px}button{background:#0b5394;color:#fff;border-color:#0b5394}
h2{font-size:1.15rem;margin:20px 0 8px}.cards{display:grid;gap:10px;grid-template-columns:repeat(auto-fill,minmax(280px,1fr))}
.card{background:#fff;border-radius:12px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}.card h3{margin:0 0 8px;font-size:1rem}
dl{display:grid;grid-template-columns:1fr 1fr;gap:6px 12px;margin:0}dl div{min-width:0}dt{font-size:.8rem;color:#56606b}dd{margin:0;font-size:1.15rem;font-weight:600}
.total{border:2px solid #0b5394}.muted{color:#56606b;font-size:.9rem}.result img{width:100%;height:auto;border-radius:8px;display:block;margin-bottom:8px;background:#dde3e8}
.result .meta{font-size:.85rem;color:#56606b;margin:0 0 6px}.result p{margin:0 0 4px}footer{padding:16px 12px 32px;max-width:960px;margin:0 auto}footer li{margin-bottom:4px}
`;

/** The page's Content-Security-Policy: its own style (by hash) and its own photos, nothing else. */
export const FIGURES_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const T = {
  th: {
    title: 'สถิติการแก้ไขเรื่องร้องเรียน', sub: 'ศูนย์ดำรงธรรม และหน่วยงานที่ร่วมแก้ไขปัญหา', period: 'ช่วงเวลา', show: 'แสดง', switchTo: 'English',
    total: 'ภาพรวมทั้งหมด', provinces: 'รายจังหวัด', agencies: 'รายหน่วยงานที่แก้ไขปัญหา', results: 'ผลการแก้ไขที่เผยแพร่',
    received: 'ได้รับเรื่อง', closed: 'ยุติเรื่องแล้ว', median: 'ระยะเวลาแก้ไข (มัธยฐาน)', sla: 'ทันกำหนดเวลา', sat: 'ความพึงพอใจ', reopen: 'แจ้งว่ายังไม่ได้แก้ไข',
    days: (n: string) => `${n} วันทำการ`, of5: (mean: string, n: string) => `${mean}/5 (${n} คน)`, none: 'ยังไม่มีข้อมูลในช่วงเวลานี้',
    noResults: 'ยังไม่มีผลการแก้ไขที่เจ้าหน้าที่อนุมัติให้เผยแพร่ในช่วงเวลานี้', closedIn: (m: string, d: string) => `ยุติเรื่อง ${m}${d ? ` · ${d}` : ''}`, took: (n: number) => `ใช้เวลา ${n} วันทำการ`,
    fy: (y: number) => `ทั้งปีงบประมาณ ${y}`, photoAlt: (p: string) => `ภาพหลังแก้ไข: ${p}`,
    notes: [
      'ได้รับเรื่องและยุติเรื่อง: เรื่องที่ได้รับในช่วงเวลานี้ และในจำนวนนั้นที่ยุติเรื่องแล้วภายในสิ้นช่วงเวลา ตรงกับแบบรายงานทางการของกระทรวงมหาดไทย',
      'ระยะเวลาแก้ไข ทันกำหนดเวลา: เรื่องที่ยุติในช่วงเวลานี้ นับเป็นวันทำการตั้งแต่ได้รับเรื่อง; ความพึงพอใจ: แบบประเมินที่ได้รับในช่วงเวลานี้; แจ้งว่ายังไม่ได้แก้ไข: ร้อยละของเรื่องที่ยุติแล้วในปีงบประมาณที่ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข',
      'จำนวนน้อยกว่า 5 แสดงเป็น "< 5" และค่าที่คำนวณจากน้อยกว่า 5 เรื่องแสดงเป็น "–" เพื่อไม่ให้ระบุตัวผู้ร้องได้',
      'ไม่มีข้อมูลส่วนบุคคลในหน้านี้: ไม่มีชื่อ เบอร์โทร เลขรับเรื่อง หรือข้อความของผู้ร้อง ผลการแก้ไขและภาพหลังแก้ไขแสดงเฉพาะที่เจ้าหน้าที่อนุมัติ',
    ],
    updated: (s: string) => `ปรับปรุงข้อมูลทุกไม่กี่นาที (คำนวณเมื่อ ${s})`,
  },
  en: {
    title: 'Complaint figures', sub: 'Damrongdhama centres and the agencies that fix the problems', period: 'Period', show: 'Show', switchTo: 'ภาษาไทย',
    total: 'All together', provinces: 'By province', agencies: 'By agency', results: 'Published results',
    received: 'Received', closed: 'Closed', median: 'Time to close (median)', sla: 'On time', sat: 'Satisfaction', reopen: 'Reported not fixed',
    days: (n: string) => `${n} working days`, of5: (mean: string, n: string) => `${mean}/5 (${n} answers)`, none: 'No figures for this period yet',
    noResults: 'No results approved for publication in this period yet', closedIn: (m: string, d: string) => `Closed ${m}${d ? ` · ${d}` : ''}`, took: (n: number) => `took ${n} working days`,
    fy: (y: number) => `Fiscal year ${y} (whole)`, photoAlt: (p: string) => `After the fix: ${p}`,
    notes: [
      'Received and closed: cases received in the period and, of them, those closed by its end — the same figures as the Ministry of Interior\'s official tables.',
      'Time to close and on time: cases closed in the period, in working days from receipt; satisfaction: survey answers given in the period; reported not fixed: the share of the fiscal year\'s closed cases the complainant reopened.',
      'Counts under 5 show as "< 5" and figures computed from fewer than 5 cases as "–", so that nobody can be identified.',
      'No personal data on this page: no names, phone numbers, tracking numbers or complainants\' words. Results and after photos appear only when an officer approved them.',
    ],
    updated: (s: string) => `Refreshed every few minutes (computed ${s})`,
  },
} as const;

/** A count as shown: 0, "< 5", or the number. */
export function shownCount(n: number, lang: Lang): string {
  if (n === 0) return '0';
  if (n < SMALL) return '< 5';
  return n.toLocaleString(lang === 'th' ? 'th-TH' : 'en-US');
}

function monthName(yyyymm: number, lang: Lang): string {
  const y = Math.floor(yyyymm / 100), m = yyyymm % 100;
  return lang === 'th' ? `${thaiMonth(m)} ${y + 543}` : `${EN_MONTHS[m - 1]} ${y}`;
}

function periodText(p: ReportPeriod, lang: Lang): string {
  if (lang === 'th') return periodLabel(p);
  if (p.kind === 'fiscalYear') return `Fiscal year ${p.fiscalYear} (${p.from} – ${p.to})`;
  if (p.kind === 'month') return `${monthName(Number(p.month.replace('-', '')), 'en')} (fiscal year ${p.fiscalYear})`;
  return `${p.from} – ${p.to}`;
}

function figureCard(r: FiguresRow, lang: Lang, extraClass = ''): string {
  const t = T[lang];
  const pct = (a: number, b: number) => (b >= SMALL ? `${Math.round((a / b) * 1000) / 10}%` : '–');
  const median = r.closedInPeriod >= SMALL && r.medianDays !== null ? t.days(String(r.medianDays)) : '–';
  const sat = r.responses >= SMALL ? t.of5((Math.round((r.scoreSum / r.responses) * 100) / 100).toFixed(2), shownCount(r.responses, lang)) : r.responses ? `– (${shownCount(r.responses, lang)})` : '–';
  const item = (label: string, value: string, key: string) => `<div><dt>${esc(label)}</dt><dd data-k="${key}">${esc(value)}</dd></div>`;
  return `<article class="card ${extraClass}" data-unit="${esc(r.code)}"><h3>${esc(lang === 'en' ? r.nameEn : r.nameTh)}</h3><dl>`
    + item(t.received, shownCount(r.received, lang), 'received') + item(t.closed, shownCount(r.closed, lang), 'closed')
    + item(t.median, median, 'median') + item(t.sla, pct(r.slaMet, r.slaOf), 'sla')
    + item(t.sat, sat, 'satisfaction') + item(t.reopen, pct(r.reopened, r.reopenOf), 'reopen')
    + '</dl></article>';
}

function resultCard(r: PublicResultItem, lang: Lang, base: string): string {
  const t = T[lang];
  const problem = lang === 'en' ? r.problemEn : r.problemTh;
  return `<article class="card result" id="r-${esc(r.slug)}">`
    + (r.photo ? `<img src="${base}/photos/${esc(r.slug)}" alt="${esc(t.photoAlt(problem))}" loading="lazy" width="640" height="480">` : '')
    + `<h3>${r.icon ? `${esc(r.icon)} ` : ''}${esc(problem)}</h3><p class="meta">${esc(lang === 'en' ? r.areaEn : r.areaTh)}<br>${esc(t.closedIn(monthName(r.month, lang), r.closeDays === null ? '' : t.took(r.closeDays)))}</p>`
    + `<p>${esc(r.summary)}</p></article>`;
}

/** Periods offered: the last three fiscal years, each whole and month by month up to this month (newest first). */
function periodOptions(current: ReportPeriod, latestFy: number, thisMonth: number, lang: Lang): string {
  const t = T[lang];
  const selected = current.kind === 'fiscalYear' ? String(current.fiscalYear) : current.kind === 'month' ? current.month : '';
  const groups: string[] = [];
  for (let fy = latestFy; fy > latestFy - 3; fy--) {
    const p = fiscalYearPeriod(fy);
    const opts = [`<option value="${fy}"${selected === String(fy) ? ' selected' : ''}>${esc(t.fy(fy))}</option>`];
    const [y0] = p.from.split('-').map(Number) as [number];
    for (let i = 11; i >= 0; i--) {
      const y = i < 3 ? y0 : y0 + 1, m = i < 3 ? 10 + i : i - 2;
      if (y * 100 + m > thisMonth) continue;
      const v = `${y}-${String(m).padStart(2, '0')}`;
      opts.push(`<option value="${v}"${selected === v ? ' selected' : ''}>${esc(monthName(y * 100 + m, lang))}</option>`);
    }
    groups.push(`<optgroup label="${esc(lang === 'th' ? `ปีงบประมาณ ${fy}` : `Fiscal year ${fy}`)}">${opts.join('')}</optgroup>`);
  }
  return groups.join('');
}

export function renderFiguresPage(d: FiguresData, o: { lang: Lang; base: string; latestFy: number; thisMonth: number; query: string }): string {
  const { lang, base } = o;
  const t = T[lang];
  const other = lang === 'th' ? 'en' : 'th';
  const q = new URLSearchParams(o.query);
  if (other === 'en') q.set('lang', 'en'); else q.delete('lang');
  const switchHref = `${base}${q.size ? `?${q}` : ''}`;
  const cards = (rows: FiguresRow[]) => (rows.length ? `<div class="cards">${rows.map((r) => figureCard(r, lang)).join('')}</div>` : `<p class="muted">${esc(t.none)}</p>`);
  const computed = new Date(d.computedAt).toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', { timeZone: 'Asia/Bangkok', dateStyle: 'medium', timeStyle: 'short' });
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(t.title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head><body>
<header><a class="lang" href="${esc(switchHref)}" hreflang="${other}" lang="${other}">${esc(t.switchTo)}</a><h1>${esc(t.title)}</h1><p>${esc(t.sub)}</p></header>
<main>
<form class="period" method="get" action="${base}"><div><label for="period">${esc(t.period)}</label><select id="period" name="period">${periodOptions(d.period, o.latestFy, o.thisMonth, lang)}</select></div>${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}<button type="submit">${esc(t.show)}</button></form>
<p id="period-label"><strong>${esc(periodText(d.period, lang))}</strong></p>
${d.total ? `<h2>${esc(t.total)}</h2><div class="cards">${figureCard(d.total, lang, 'total')}</div>` : ''}
<h2 id="provinces">${esc(t.provinces)}</h2>${cards(d.provinces)}
<h2 id="agencies">${esc(t.agencies)}</h2>${cards(d.agencies)}
<h2 id="results">${esc(t.results)}</h2>${d.results.length ? `<div class="cards">${d.results.map((r) => resultCard(r, lang, base)).join('')}</div>` : `<p class="muted">${esc(t.noResults)}</p>`}
</main>
<footer class="muted"><ul>${t.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul><p>${esc(t.updated(computed))}</p></footer>
</body></html>`;
}

