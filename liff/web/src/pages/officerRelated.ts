/**
 * "อาจเกี่ยวข้องกัน / Possibly related" on `#/officer/cases/:id`: open cases probably about the same
 * problem, best first, each with why it is offered (same type, how far, words in common). The officer
 * links one (both cases list each other) or merges this case into it, after an inline confirmation
 * that says what happens to the people who reported it. Cases of other units show their public summary only.
 */
import { ApiError, type OfficerCaseDetail } from '../api.ts';
import type { Ctx } from '../ctx.ts';
import { dateOnly } from '../format.ts';
import { announce, clear, h } from '../dom.ts';
import { lang, pick, t } from '../i18n.ts';

interface RelatedItem {
  caseId: string; trackingNo: string; typeTh: string; typeEn: string; icon?: string; areaTh: string; receivedAt: string;
  statusTh: string; statusEn: string; supporterCount: number; distanceM?: number; reasons: string[]; mayOpen: boolean; description?: string; linked: boolean;
}

const errorText = (e: unknown) => (e instanceof ApiError ? e.text(lang()) : t('errorTitle'));

export function relatedPanel(ctx: Ctx, c: OfficerCaseDetail): HTMLElement {
  const list = h('div', { class: 'stack', id: 'related-list' }, h('p', { class: 'muted' }, t('loading')));
  const section = h('section', { class: 'card', id: 'related', 'aria-labelledby': 'related-h' },
    h('h2', { id: 'related-h' }, t('relTitle')), h('p', { class: 'muted small' }, t('relIntro')), list);

  const render = (items: RelatedItem[]) => {
    clear(list);
    if (!items.length) { list.append(h('p', { class: 'muted', id: 'related-none' }, t('relNone'))); return; }
    for (const r of items) list.append(item(r));
  };

  const item = (r: RelatedItem): HTMLElement => {
    const words = r.reasons.find((x) => x.startsWith('words:'))?.slice(6).split(',').join(' ');
    const facts = [
      r.distanceM !== undefined ? t('relDistance', { m: r.distanceM }) : t('relSameArea'),
      r.areaTh, dateOnly(r.receivedAt, lang()), pick(r.statusTh, r.statusEn), t('relSupporters', { n: r.supporterCount }),
    ].filter(Boolean).join(' · ');
    const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const fail = (e: unknown) => { status.textContent = errorText(e); status.hidden = false; };
    const link = h('button', { type: 'button', class: 'btn secondary', 'data-action': 'link', disabled: r.linked }, r.linked ? t('relLinked') : t('relLink'));
    const merge = h('button', { type: 'button', class: 'btn', 'data-action': 'merge' }, t('relMerge'));
    const confirmBox = h('div', { class: 'msg-preview', hidden: true, 'data-role': 'merge-confirm' });
    const el = h('article', { class: 'card related-item', 'data-tracking': r.trackingNo },
      h('h3', null, `${r.icon ? `${r.icon} ` : ''}${pick(r.typeTh, r.typeEn) || '—'} · ${r.trackingNo}`),
      h('p', { class: 'muted small' }, facts),
      r.mayOpen && r.description ? h('p', { class: 'related-words' }, r.description) : h('p', { class: 'muted small' }, t('relPublicOnly')),
      words ? h('p', { class: 'muted small' }, t('relWords', { w: words })) : null,
      h('p', { class: 'row' }, link, ' ', merge), confirmBox, status);

    link.addEventListener('click', async () => {
      link.disabled = true;
      try {
        await ctx.api.post(`/officer/cases/${c.id}/link`, { otherCaseId: r.caseId });
        link.textContent = t('relLinked');
        announce(t('relLinkedDone', { no: r.trackingNo }));
      } catch (e) { fail(e); link.disabled = false; }
    });
    merge.addEventListener('click', () => {
      const yes = h('button', { type: 'button', class: 'btn danger', 'data-action': 'merge-yes' }, t('relMergeYes'));
      const no = h('button', { type: 'button', class: 'btn secondary' }, t('relCancel'));
      confirmBox.replaceChildren(h('p', null, t('relMergeConfirm', { no: r.trackingNo })), h('p', { class: 'row' }, yes, ' ', no));
      confirmBox.hidden = false;
      yes.focus();
      no.addEventListener('click', () => { confirmBox.hidden = true; merge.focus(); });
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
          await ctx.api.post(`/officer/cases/${c.id}/merge`, { targetCaseId: r.caseId });
          announce(t('relMergedDone', { no: r.trackingNo }));
          ctx.rerender();
        } catch (e) { fail(e); yes.disabled = false; }
      });
    });
    return el;
  };

  void (async () => {
    try {
      const data = await ctx.api.get<{ candidates: RelatedItem[] }>(`/officer/cases/${c.id}/related`);
      if (ctx.alive()) render(data.candidates);
    } catch (e) {
      clear(list);
      list.append(h('p', { class: 'field-error' }, errorText(e)));
    }
  })();
  return section;
}
