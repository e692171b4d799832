import { findProvinces, province, resolveAddress } from '../../shared/geo/index.ts';
import { postbackData, postbackItem, text } from '../messages/build.ts';
import { backItem, cancelItem, goto, label, reask } from './prompts.ts';
import type { Ctx, DraftLocation, Input, StepResult } from './types.ts';

export function chooseProvince(ctx: Ctx, provinceCode: string, extra: Partial<DraftLocation> = ctx.draft.pin ?? {}): StepResult {
  const p = province(provinceCode);
  if (!p) return reask(ctx, ctx.t.provinceNotFound(provinceCode));
  const name = ctx.lang === 'en' ? p.nameEn : p.nameTh;
  return goto('askingDistrict', ctx, { ...ctx.draft, pin: undefined, location: { provinceCode: p.code, provinceName: name, ...extra } });
}

/** Waits for where it happened: a LINE location pin (area read from its address) or a province name typed. */
export const askingLocation = (input: Input, ctx: Ctx): StepResult => {
  if (input.kind === 'location') {
    const found = resolveAddress(`${input.title ?? ''} ${input.address ?? ''}`);
    const pin = { lat: input.latitude, lng: input.longitude, address: input.address?.slice(0, 300) };
    // The area is asked for by name, and the pin is kept for the case meanwhile.
    if (!found.province) return goto('askingLocation', ctx, { ...ctx.draft, pin }, [text(ctx.t.areaNotResolved)]);
    const en = ctx.lang === 'en';
    const location: DraftLocation = {
      provinceCode: found.province.code,
      provinceName: en ? found.province.nameEn : found.province.nameTh,
      ...pin,
    };
    if (!found.district) return chooseProvince(ctx, found.province.code, pin);
    location.districtCode = found.district.code;
    location.districtName = en ? found.district.nameEn : found.district.nameTh;
    if (found.subdistrict) {
      location.subdistrictCode = found.subdistrict.code;
      location.subdistrictName = en ? found.subdistrict.nameEn : found.subdistrict.nameTh;
    }
    return goto('confirmingLocation', ctx, { ...ctx.draft, pin: undefined, location });
  }
  if (input.kind === 'postback' && input.action === 'prov' && input.value) return chooseProvince(ctx, input.value);
  if (input.kind === 'text') {
    const matches = findProvinces(input.text);
    if (matches.length === 1) return chooseProvince(ctx, matches[0].code);
    if (matches.length > 1) {
      const items = matches.slice(0, 11).map((p) => {
        const name = ctx.lang === 'en' ? p.nameEn : p.nameTh;
        return postbackItem(label(name), postbackData('askingLocation', 'prov', p.code), name);
      });
      return { replies: [text(ctx.t.provinceChoices, [...items, backItem(ctx, 'askingLocation'), cancelItem(ctx)])], state: 'askingLocation', draft: ctx.draft };
    }
    return reask(ctx, ctx.t.provinceNotFound(input.text.trim().slice(0, 40)));
  }
  return reask(ctx, ctx.t.askLocation);
};
