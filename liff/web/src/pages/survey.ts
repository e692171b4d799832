/** `#/survey/:id`: 1–5 and a comment, once per case (the server answers 409 to a second one). */
import { ApiError, type CaseDetail } from '../api.ts';
import { type Ctx, failure, field, loading, pageStart } from '../ctx.ts';
import { announce, h } from '../dom.ts';
import { lang, t, type Key } from '../i18n.ts';

export async function surveyPage(ctx: Ctx, id: string): Promise<void> {
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
    pageStart(ctx, t('surveyTitle'), h('p', { class: 'notice', id: 'survey-state' }, t('surveyAlready'), ' ', t('surveyYour', { s: c.survey.score })), back);
    document.documentElement.dataset.ready = 'survey';
    return;
  }
  if (c.status !== 'closed') {
    pageStart(ctx, t('surveyTitle'), h('p', { class: 'notice', id: 'survey-state' }, t('surveyNotYet')), back);
    document.documentElement.dataset.ready = 'survey';
    return;
  }
  pageStart(ctx, t('surveyTitle'), h('p', { class: 'lead' }, t('surveyIntro', { no: c.trackingNo })));
  const fs = h('fieldset', { class: 'card score', 'aria-describedby': 'score-error' }, h('legend', null, t('surveyScore')));
  const scaleBox = h('div', { class: 'scale' });
  for (let s = 5; s >= 1; s--) {
    const id = `score-${s}`;
    scaleBox.append(h('div', { class: 'choice' },
      h('input', { type: 'radio', name: 'score', id, value: s }),
      h('label', { for: id }, h('span', { class: 'choice-title' }, h('span', { 'aria-hidden': 'true', class: 'stars' }, `${'★'.repeat(s)}${'☆'.repeat(5 - s)} `), `${s} / 5`), h('span', { class: 'choice-hint' }, t(`score${s}` as Key)))));
  }
  const scoreErr = h('p', { id: 'score-error', class: 'field-error', hidden: true });
  fs.append(scaleBox, scoreErr);
  const comment = field('survey-comment', t('surveyComment'), h('textarea', { rows: 3, maxlength: 1000 }), { optional: true });
  const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const btn = h('button', { type: 'submit', class: 'btn primary block' }, t('surveySend'));
  const form = h('form', { class: 'stack', novalidate: true }, fs, comment.wrap, status, btn);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const picked = form.querySelector<HTMLInputElement>('input[name=score]:checked');
    scoreErr.hidden = Boolean(picked);
    scoreErr.textContent = picked ? '' : t('errScore');
    if (!picked) { announce(t('errScore'), true); (form.querySelector('input[name=score]') as HTMLElement).focus(); return; }
    const text = (comment.control as HTMLTextAreaElement).value.trim();
    btn.disabled = true;
    try {
      await ctx.api.post(`/cases/${c.id}/survey`, { score: Number(picked.value), ...(text ? { comment: text } : {}) });
      pageStart(ctx, t('surveyTitle'), h('p', { class: 'notice ok', id: 'survey-state', role: 'status' }, t('surveyThanks')), back);
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
