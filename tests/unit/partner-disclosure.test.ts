import { describe, expect, it } from 'vitest';
import { areaFor, disclosedFields, disclosureFor, parseDisclosureConfig, DISCLOSURE_CONFIG } from '../../exchange/minimise.ts';

const holder = { apiKeyId: 'ak_000000000001', unitCode: '5001' };
const above = { apiKeyId: 'ak_000000000002', unitCode: '50' };
const road = { category: 'state_project', unitCode: '5001', idempotencyKey: 'line:x', complainant: { anonymous: false } };

describe('who sees what of a case', () => {
  it('a road: detail to the holding unit and to the key that filed it, subdistrict to the unit above, district without a key', () => {
    expect(disclosureFor(road, holder)).toBe('detail');
    expect(disclosureFor(road, above)).toBe('subdistrict');
    expect(disclosureFor({ ...road, unitCode: '50', idempotencyKey: `partner:${holder.apiKeyId}:r1` }, holder)).toBe('detail');
    expect(disclosureFor(road, null)).toBe('district');
  });

  it('anonymous, about officials, disputes and debts: district for every key, the holder included', () => {
    expect(disclosureFor({ ...road, complainant: { anonymous: true } }, holder)).toBe('district');
    expect(disclosureFor({ ...road, concernedUnitCode: '5002' }, holder)).toBe('district');
    for (const category of ['official', 'corruption', 'dispute', 'informal_debt']) expect(disclosureFor({ ...road, category }, holder)).toBe('district');
  });

  it('a category that is not place-bound: no detail even to the holder', () => {
    expect(disclosureFor({ ...road, category: 'help' }, holder)).toBe('subdistrict');
  });

  it('the area is cut to the view; the field list names nested fields', () => {
    const loc = { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมือง', subdistrictCode: '500103', subdistrictName: 'ช้างเผือก', address: '99/1', lat: 18.8, lng: 98.9 };
    expect(areaFor(loc, 'district')).not.toHaveProperty('subdistrictCode');
    expect(areaFor(loc, 'subdistrict')).toMatchObject({ subdistrictCode: '500103' });
    expect(areaFor(loc, 'subdistrict')).not.toHaveProperty('lat');
    expect(areaFor(loc, 'detail')).toMatchObject({ lat: 18.8, lng: 98.9 });
    expect(JSON.stringify(areaFor(loc, 'detail'))).not.toContain('99/1');
    expect(disclosedFields({ a: 1, b: undefined, area: { th: 'x', lat: 1, lng: undefined }, timeline: [] })).toEqual(['a', 'area.th', 'area.lat', 'timeline']);
  });
});

describe('config/partner-disclosure.json', () => {
  it('today: roads are place-bound; disputes, debts and complaints about officials district-only', () => {
    expect(DISCLOSURE_CONFIG).toEqual({ placeBound: ['state_project'], districtOnly: ['dispute', 'informal_debt', 'official', 'corruption'] });
  });

  it('refuses an unknown code, a code in both lists, a missing list', () => {
    expect(() => parseDisclosureConfig({ placeBound: ['road'], districtOnly: [] })).toThrow(/placeBound has unknown categories road/);
    expect(() => parseDisclosureConfig({ placeBound: ['dispute'], districtOnly: ['dispute'] })).toThrow(/both placeBound and districtOnly/);
    expect(() => parseDisclosureConfig({ placeBound: [] })).toThrow(/districtOnly must be a list/);
  });
});
