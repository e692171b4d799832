import { describe, expect, it } from 'vitest';
import { caseLink, liffUrl, officerCaseLink, surveyLink } from '../shared/links.ts';
import { normaliseThaiPhone } from '../shared/phone.ts';

describe('links into the LIFF app', () => {
  it('open inside LINE when a LIFF id is configured', () => {
    const cfg = { LIFF_ID: '2001234567-AbCdEfGh', PUBLIC_BASE_URL: 'https://rongrian.example.go.th' };
    expect(caseLink(cfg, '6b023ab1c45b814bb510ae56')).toBe('https://liff.line.me/2001234567-AbCdEfGh/#/cases/6b023ab1c45b814bb510ae56');
    expect(surveyLink(cfg, 'abc')).toBe('https://liff.line.me/2001234567-AbCdEfGh/#/survey/abc');
  });

  it('point at this deployment\'s pages otherwise (the demo)', () => {
    const cfg = { LIFF_ID: '', PUBLIC_BASE_URL: 'http://localhost:3000/' };
    expect(caseLink(cfg, 'abc')).toBe('http://localhost:3000/liff/#/cases/abc');
    expect(officerCaseLink(cfg, 'abc')).toBe('http://localhost:3000/liff/#/officer/cases/abc');
    expect(liffUrl(cfg, 'new')).toBe('http://localhost:3000/liff/#/new');
  });
});

describe('Thai phone numbers', () => {
  it('normalises what people type to 0XXXXXXXX(X), and refuses the rest', () => {
    expect(normaliseThaiPhone('081-234-5678')).toBe('0812345678');
    expect(normaliseThaiPhone('+66 81 234 5678')).toBe('0812345678');
    expect(normaliseThaiPhone('02 123 4567')).toBe('021234567');
    expect(normaliseThaiPhone('+66 2 123 4567')).toBe('021234567');
    for (const bad of ['12345', '+66 081 234 5678', '08123456789012', '1567', '+1 415 555 0100', '']) expect(normaliseThaiPhone(bad), bad).toBeUndefined();
  });
});
