/** A "add photos" control: picks files, shrinks and uploads each, and keeps the ids for the form that sends them. */
import { ApiError } from './api.ts';
import type { Ctx } from './ctx.ts';
import { announce, h } from './dom.ts';
import { lang, t } from './i18n.ts';
import { PhotoError, preparePhoto } from './photos.ts';

export interface PhotoPicker {
  /** The field to put into a form: the hidden file input, its button-like label and the status line. */
  box: HTMLElement;
  /** Ids of the photos uploaded so far, in order. */
  ids: string[];
}

export function photoPicker(ctx: Ctx, o: {
  id: string; max: number; label: string; hint?: string;
  /** Upload endpoint; default: the citizen's own uploads. */
  uploadPath?: string;
}): PhotoPicker {
  const ids: string[] = [];
  const input = h('input', { type: 'file', id: o.id, class: 'file-input', accept: 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif', multiple: true });
  const status = h('p', { class: 'geo-status', role: 'status', id: `${o.id}-status` });
  input.addEventListener('change', async () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    const msgs: string[] = [];
    for (const f of files) {
      if (ids.length >= o.max) { msgs.push(t('photoTooMany', { max: o.max })); break; }
      status.textContent = t('photoUploading', { name: f.name });
      try {
        const p = await preparePhoto(f);
        const up = await ctx.api.upload(p.blob, p.contentType, o.uploadPath);
        ids.push(up.id);
      } catch (e) {
        msgs.push(e instanceof PhotoError ? t(e.kind === 'too_big' ? 'photoTooBig' : 'photoBadType', { name: f.name }) : e instanceof ApiError ? `${f.name}: ${e.text(lang())}` : t('photoFailed', { name: f.name }));
      }
    }
    status.textContent = [t('photosCount', { n: ids.length }), ...msgs].join(' · ');
    if (msgs.length) announce(msgs.join(' '), true);
  });
  const box = h('div', { class: 'field' }, o.hint ? h('p', { class: 'hint' }, o.hint) : '', input,
    h('label', { for: o.id, class: 'btn secondary file-label' }, o.label), status);
  return { box, ids };
}
