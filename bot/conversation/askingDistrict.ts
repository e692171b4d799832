import { district, findDistricts } from '../../shared/geo/index.ts';
import { advance, askDistrict, reask } from './prompts.ts';
import type { Ctx, StateHandler, StepResult } from './types.ts';

function chooseDistrict(ctx: Ctx, code: string): StepResult {
  const d = district(code);
  const loc = ctx.draft.location;
  // A district from another province (an old button, a crafted postback) is not accepted.
  if (!d || !loc || d.provinceCode !== loc.provinceCode) return reask(ctx, ctx.t.districtNotFound(code, loc?.provinceName ?? ''));
  return advance(ctx, {
    ...ctx.draft,
    location: { ...loc, districtCode: d.code, districtName: ctx.lang === 'en' ? d.nameEn : d.nameTh },
  });
}

/** Waits for the district (อำเภอ/เขต) within the chosen province: a button, a page of buttons, or a name typed. */
export const askingDistrict: StateHandler = (input, ctx) => {
  const provinceCode = ctx.draft.location?.provinceCode ?? '';
  if (input.kind === 'postback' && input.action === 'dist' && input.value) return chooseDistrict(ctx, input.value);
  if (input.kind === 'postback' && input.action === 'page') {
    return { replies: askDistrict(ctx, provinceCode, Number(input.value) || 0), state: 'askingDistrict', draft: ctx.draft };
  }
  if (input.kind === 'text') {
    const matches = findDistricts(provinceCode, input.text);
    if (matches.length === 1) return chooseDistrict(ctx, matches[0].code);
    return reask(ctx, ctx.t.districtNotFound(input.text.trim().slice(0, 40), ctx.draft.location?.provinceName ?? ''));
  }
  return reask(ctx, ctx.t.askDistrict(ctx.draft.location?.provinceName ?? ''));
};
