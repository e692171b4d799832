/**
 * Trends (`/dashboard/trends`): monthly and per-category charts, from the same figures as the official
 * tables.
 */
import type { Router } from 'express';
import { thaiMonth } from '../../shared/thaiDate.ts';
import { trends } from '../data.ts';
import { html, num, raw } from '../html.ts';
import { fiscalYearOf } from '../../shared/reports/index.ts';
import { fyPicker, pageQuery, parse } from './query.ts';
import type { PageContext } from './context.ts';

export function trendsPage(r: Router, ctx: PageContext): void {
  const { deps, report, page, wrap, scopeOf, picker } = ctx;
  r.get('/trends', wrap(async (req, res) => {
    const q = parse(pageQuery, req);
    const now = deps.clock.now();
    const fy = q.fy ?? fiscalYearOf(now);
    const scope = await scopeOf(req, res, q.unit);
    const t = await trends(report, scope, fy);
    const data = {
      months: t.months.map((m) => `${thaiMonth(m.m, true)} ${String(m.y + 543).slice(2)}`),
      received: t.months.map((m) => m.received),
      closed: t.months.map((m) => m.closed),
      province: { labels: t.province.map((r) => r.label), closed: t.province.map((r) => r.closed), open: t.province.map((r) => r.open) },
      district: { labels: t.district.map((r) => r.label), closed: t.district.map((r) => r.closed), open: t.district.map((r) => r.open) },
    };
    await page(res, 'แนวโน้ม', 'Trends', '/dashboard/trends', html`
      ${await picker(res, scope, fyPicker(fy, now), '/dashboard/trends')}
      <p class="scope">${scope.unit.nameTh}${scope.codes === null || (scope.codes?.length ?? 0) > 1 ? ' และหน่วยงานในสังกัด' : ''} · ปีงบประมาณ ${fy} · ตัวเลขเดียวกับตารางรายงานทางการ (same figures as the official tables)</p>
      <script type="application/json" id="trend-data">${raw(JSON.stringify(data).replace(/</g, '\\u003c'))}</script>
      <section class="charts">
        <figure><figcaption>รับเรื่องและยุติเรื่องรายเดือน <small>Received per month, and this year's cases closed (ยุติเรื่อง) in each month</small></figcaption><canvas id="chart-months" height="220"></canvas></figure>
        <figure><figcaption>ตามประเด็น (แบบรายงานระดับอำเภอ) <small>By category, district format</small></figcaption><canvas id="chart-district" height="220"></canvas></figure>
        <figure class="wide"><figcaption>ตามประเด็น (แบบรายงานระดับจังหวัด) <small>By category, province format (rows 8–12 are channels)</small></figcaption><canvas id="chart-province" height="150"></canvas></figure>
      </section>
      <details><summary>ตัวเลข · Figures</summary><table class="data"><thead><tr><th>เดือน <small>Month</small></th><th class="n">รับเรื่อง <small>Received</small></th><th class="n">ยุติเรื่อง <small>Closed</small></th></tr></thead>
      <tbody>${t.months.map((m, i) => html`<tr><td>${data.months[i]}</td><td class="n">${num(m.received)}</td><td class="n">${num(m.closed)}</td></tr>`)}</tbody></table></details>`,
    ['/dashboard/assets/chart.umd.min.js', '/dashboard/assets/charts.js']);
  }));
}
