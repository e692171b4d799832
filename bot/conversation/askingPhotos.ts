import { text } from '../messages/build.ts';
import { appendToDescription } from './askingDescription.ts';
import { advance, goto, isSentence, reask } from './prompts.ts';
import { MAX_PHOTOS, type StateHandler } from './types.ts';

/** Collects up to five photos (optional) until the citizen says they are done. */
export const askingPhotos: StateHandler = (input, ctx) => {
  const photos = ctx.draft.photos ?? [];
  if (input.kind === 'image') {
    if (photos.length >= MAX_PHOTOS) return reask(ctx, ctx.t.photoLimit);
    if (photos.some((p) => p.lineMessageId === input.messageId)) return goto('askingPhotos', ctx, ctx.draft);
    return {
      run: 'storeImage', messageId: input.messageId,
      next: (photo) => goto('askingPhotos', ctx, { ...ctx.draft, photos: [...photos, photo] }),
      failed: { replies: [text(ctx.t.photoFailed)], state: 'askingPhotos', draft: ctx.draft },
    };
  }
  if (input.kind === 'postback' && input.action === 'done') return advance(ctx, { ...ctx.draft, photosDone: true });
  if (input.kind === 'text' && [ctx.t.photosDone, ctx.t.noPhotos, 'ข้าม', 'skip', 'done'].includes(input.text.trim().toLowerCase())) {
    return advance(ctx, { ...ctx.draft, photosDone: true });
  }
  if (input.kind === 'text' && isSentence(input.text)) return appendToDescription(ctx, input.text);
  return reask(ctx, ctx.t.photosHint);
};
