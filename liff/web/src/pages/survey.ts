/**
 * `#/survey/:id[?fixed=yes|no]`: first "has the problem been fixed?", then 1–5 and a comment, once per
 * closure (the server answers 409 to a second one). "Not yet" or ≤ 2 stars offers to reopen the case
 * with the citizen's own words; the closing message's quick replies open this page with the answer picked.
 */
import { ApiError, type CaseDetail } from '../api.ts';
import { type Ctx, failure, field, loading, pageStart, textForm } from '../ctx.ts';
import { announce, h } from '../dom.ts';
import { lang, t, type Key } from '../i18n.ts';

export async function surveyPage(ctx: Ctx, id: string, preset?: string | null): Promise<void> {
  loading(ctx);
  let c: CaseDetail;
  try {
    c = await ctx.api.get<CaseDetail>(`/cases/${encodeURIComponent(id)}`);
  } catch (e) {
    if (ctx.alive()) failure(ctx, e);
    return;
  }
  if (!ctx.alive()) return;
  const back = h('a', { class: 'btn secondary', href: `#/cases/${c.id}` }, t('caseTitle', { no: c.trackingNo }));
  if (c.survey) {
    pageStart(ctx, t('surveyTitle'), h('p', { class: 'notice', id: 'survey-state' }, t('surveyAlready'), ' ', t('surveyYour', { s: c.survey.score })));
    // Answered "not yet" (or ≤ 2 stars) but did not reopen then: the offer stands.
    if (c.canReopen) ctx.main.append(reopenSection(ctx, c, ''));
    ctx.main.append(h('p', null, back));
    document.documentElement.dataset.ready = 'survey';
    return;
  }
  if (c.status !== 'closed') {
    pageStart(ctx, t('surveyTitle'), h('p', { class: 'notice', id: 'survey-state' }, t('surveyNotYet')), back);
    document.documentElement.dataset.ready = 'survey';
    return;
  }
  pageStart(ctx, t('surveyTitle'), h('p', { class: 'lead' }, t('surveyIntro', { no: c.trackingNo })));
  if (c.resolution?.text) ctx.main.append(h('section', { class: 'card resolution' }, h('h2', null, t('resolution')), h('p', { class: 'pre' }, c.resolution.text)));

  const fixedSet = h('fieldset', { class: 'card fixed', 'aria-describedby': 'fixed-error' }, h('legend', null, t('surveyFixedQ')));
  const fixedBox = h('div', { class: 'scale' });
  for (const [value, key] of [['yes', 'surveyFixedYes'], ['no', 'surveyFixedNo']] as const) {
    const rid = `fixed-${value}`;
    fixedBox.append(h('div', { class: 'choice' },
      h('input', { type: 'radio', name: 'fixed', id: rid, value, checked: preset === value ? true : undefined }),
      h('label', { for: rid }, h('span', { class: 'choice-title' }, t(key)))));
  }
  const fixedErr = h('p', { id: 'fixed-error', class: 'field-error', hidden: true });
  fixedSet.append(fixedBox, fixedErr);

  const fs = h('fieldset', { class: 'card score', 'aria-describedby': 'score-error' }, h('legend', null, t('surveyScore')));
  const scaleBox = h('div', { class: 'scale' });
  for (let s = 5; s >= 1; s--) {
    const sid = `score-${s}`;
    scaleBox.append(h('div', { class: 'choice' },
      h('input', { type: 'radio', name: 'score', id: sid, value: s }),
      h('label', { for: sid }, h('span', { class: 'choice-title' }, h('span', { 'aria-hidden': 'true', class: 'stars' }, `${'★'.repeat(s)}${'☆'.repeat(5 - s)} `), `${s} / 5`), h('span', { class: 'choice-hint' }, t(`score${s}` as Key)))));
  }
  const scoreErr = h('p', { id: 'score-error', class: 'field-error', hidden: true });
  fs.append(scaleBox, scoreErr);
  const comment = field('survey-comment', t('surveyComment'), h('textarea', { rows: 3, maxlength: 1000 }), { optional: true });
  const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const btn = h('button', { type: 'submit', class: 'btn primary block' }, t('surveySend'));
  const form = h('form', { class: 'stack', novalidate: true }, fixedSet, fs, comment.wrap, status, btn);
  // A choice made after a refused submit clears its own error at once.
  form.addEventListener('change', (ev) => {
    const name = (ev.target as HTMLInputElement).name;
    if (name === 'fixed') fixedErr.hidden = true;
    if (name === 'score') scoreErr.hidden = true;
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fixed = form.querySelector<HTMLInputElement>('input[name=fixed]:checked');
    const picked = form.querySelector<HTMLInputElement>('input[name=score]:checked');
    fixedErr.hidden = Boolean(fixed);
    fixedErr.textContent = fixed ? '' : t('errFixed');
    scoreErr.hidden = Boolean(picked);
    scoreErr.textContent = picked ? '' : t('errScore');
    if (!fixed) { announce(t('errFixed'), true); (form.querySelector('input[name=fixed]') as HTMLElement).focus(); return; }
    if (!picked) { announce(t('errScore'), true); (form.querySelector('input[name=score]') as HTMLElement).focus(); return; }
    const text = (comment.control as HTMLTextAreaElement).value.trim();
    btn.disabled = true;
    try {
      const after = await ctx.api.post<CaseDetail>(`/cases/${c.id}/survey`, { fixed: fixed.value === 'yes', score: Number(picked.value), ...(text ? { comment: text } : {}) });
      pageStart(ctx, t('surveyTitle'), h('p', { class: 'notice ok', id: 'survey-state', role: 'status' }, t('surveyThanks')));
      if (after.canReopen) ctx.main.append(reopenSection(ctx, after, text));
      ctx.main.append(h('p', null, back));
      announce(t('surveyThanks'));
    } catch (e) {
      btn.disabled = false;
      if (e instanceof ApiError && e.status === 409) return ctx.rerender(); // answered meanwhile (another tab): show it
      status.textContent = e instanceof ApiError ? e.text(lang()) : t('errorTitle');
      status.hidden = false;
    }
  });
  ctx.main.append(form, h('p', null, back));
  document.documentElement.dataset.ready = 'survey';
}

/** "Reopen this case": the citizen confirms, in their own words (prefilled with their comment). */
function reopenSection(ctx: Ctx, c: CaseDetail, words: string): HTMLElement {
  const form = textForm({
    id: 'reopen-reason', label: t('reopenReason'), min: 5, max: 1000, submit: t('reopenSend'),
    onSubmit: async (reason) => {
      await ctx.api.post<CaseDetail>(`/cases/${c.id}/reopen`, { reason });
      pageStart(ctx, t('reopenTitle'), h('p', { class: 'notice ok', id: 'reopen-state', role: 'status' }, t('reopenDone')),
        h('a', { class: 'btn secondary', href: `#/cases/${c.id}` }, t('caseTitle', { no: c.trackingNo })));
      announce(t('reopenDone'));
      document.documentElement.dataset.ready = 'reopened';
    },
  });
  const area = form.querySelector('textarea');
  if (area && words) area.value = words;
  return h('section', { class: 'card reopen', id: 'reopen', 'aria-labelledby': 'reopen-h' },
    h('h2', { id: 'reopen-h' }, t('reopenTitle')), h('p', { class: 'hint' }, t('reopenExplain')), form);
}
