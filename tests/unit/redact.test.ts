/**
 * The redactor against a labelled set of Thai text as people type it (tests/fixtures/pii-th.tsv).
 * Prints precision and recall per kind; national IDs and phones must all be caught.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPii, PII_MARKERS, redactPii, redactText, validThaiId, type PiiKind } from '../../shared/privacy/redact.ts';

const KIND_OF: Record<string, PiiKind> = { id: 'national_id', phone: 'phone', email: 'email', line: 'line_id', bank: 'bank_account' };
const KINDS = Object.values(KIND_OF);

interface Labelled { line: number; group: string; text: string; expected: { kind: PiiKind; start: number; end: number }[]; redacted: string }

function load(): Labelled[] {
  const lines = readFileSync(new URL('../fixtures/pii-th.tsv', import.meta.url), 'utf8').split('\n');
  const out: Labelled[] = [];
  lines.forEach((raw, i) => {
    if (!raw || raw.startsWith('#') || raw.startsWith('group\t')) return;
    const tab = raw.indexOf('\t');
    const group = raw.slice(0, tab), annotated = raw.slice(tab + 1);
    let text = '', redacted = '';
    const expected: Labelled['expected'] = [];
    let at = 0;
    for (const m of annotated.matchAll(/\{(id|phone|email|line|bank):([^{}]+)\}/g)) {
      text += annotated.slice(at, m.index); redacted += annotated.slice(at, m.index);
      const kind = KIND_OF[m[1]]!;
      expected.push({ kind, start: text.length, end: text.length + m[2].length });
      text += m[2]; redacted += PII_MARKERS[kind];
      at = m.index + m[0].length;
    }
    text += annotated.slice(at); redacted += annotated.slice(at);
    out.push({ line: i + 1, group, text, expected, redacted });
  });
  return out;
}

const set = load();

function score() {
  const per = new Map<PiiKind | 'all', { tp: number; fp: number; fn: number }>();
  const bump = (k: PiiKind | 'all', f: 'tp' | 'fp' | 'fn') => {
    const s = per.get(k) ?? { tp: 0, fp: 0, fn: 0 };
    s[f]++; per.set(k, s);
  };
  const misses: string[] = [];
  for (const l of set) {
    const got = findPii(l.text);
    const key = (s: { kind: string; start: number; end: number }) => `${s.kind}@${s.start}-${s.end}`;
    const want = new Set(l.expected.map(key));
    const have = new Set(got.map(key));
    for (const s of got) { const f = want.has(key(s)) ? 'tp' : 'fp'; bump(s.kind, f); bump('all', f); if (f === 'fp') misses.push(`line ${l.line} extra ${s.kind} "${l.text.slice(s.start, s.end)}": ${l.text}`); }
    for (const s of l.expected) if (!have.has(key(s))) { bump(s.kind, 'fn'); bump('all', 'fn'); misses.push(`line ${l.line} missed ${s.kind} "${l.text.slice(s.start, s.end)}": ${l.text}`); }
  }
  return { per, misses };
}

const pct = (n: number, d: number) => (d ? (100 * n / d).toFixed(1) : '–');

describe('redactPii on the labelled Thai set', () => {
  const { per, misses } = score();

  it('prints precision and recall per kind and overall', () => {
    const rows = [...KINDS, 'all' as const].map((k) => {
      const s = per.get(k) ?? { tp: 0, fp: 0, fn: 0 };
      return { kind: k, spans: s.tp + s.fn, precision: pct(s.tp, s.tp + s.fp), recall: pct(s.tp, s.tp + s.fn) };
    });
    console.log(`pii-th.tsv: ${set.length} lines, ${set.filter((l) => l.group !== 'pii').length} with non-personal numbers`);
    console.table(rows);
    if (misses.length) console.log(misses.join('\n'));
    expect(set.length).toBeGreaterThanOrEqual(300);
    expect(set.filter((l) => l.group !== 'pii').length).toBeGreaterThanOrEqual(100);
  });

  it('catches every national ID and every phone number', () => {
    for (const k of ['national_id', 'phone'] as const) {
      const s = per.get(k)!;
      expect(s.fn, misses.filter((m) => m.includes(`missed ${k}`)).join('\n')).toBe(0);
    }
  });

  it('is precise overall (≥ 95 %) and misses little of the rest (≥ 90 %)', () => {
    const all = per.get('all')!;
    expect(all.tp / (all.tp + all.fp)).toBeGreaterThanOrEqual(0.95);
    expect(all.tp / (all.tp + all.fn)).toBeGreaterThanOrEqual(0.9);
  });

  it('leaves text without personal data exactly as written', () => {
    const changed = set.filter((l) => l.group === 'tricky' && redactText(l.text) !== l.text);
    expect(changed.map((l) => `line ${l.line}: ${redactText(l.text)}`)).toEqual([]);
  });

  it('writes the marker in place of each piece and counts them', () => {
    const r = redactPii('โทร 0812345678 หรือ 02-123-4567 อีเมล a@b.co เรื่อง 2569-000123');
    expect(r.text).toBe('โทร [เบอร์โทร] หรือ [เบอร์โทร] อีเมล [อีเมล] เรื่อง 2569-000123');
    expect(r.found).toEqual([{ kind: 'phone', count: 2 }, { kind: 'email', count: 1 }]);
    for (const l of set.filter((x) => x.group !== 'tricky' && x.line % 10 === 0)) {
      if (findPii(l.text).length === l.expected.length) expect(redactText(l.text)).toBe(l.redacted);
    }
  });
});

describe('redactPii on any text', () => {
  it('is stable: redacting redacted text changes nothing', () => {
    for (const l of set) expect(redactText(redactText(l.text)), `line ${l.line}`).toBe(redactText(l.text));
  });

  it('does not take the words around an id for one ("line id line id …")', () => {
    expect(redactPii('line id line id ID line: ').found).toEqual([]);
  });

  it('reads a 5,000-character description quickly, whatever it holds', () => {
    for (const text of ['08-'.repeat(1700), '0'.repeat(5000), 'บัญชี 123 '.repeat(500), 'a.'.repeat(2400) + '@', 'ถนนเป็นหลุม โทร 081-234-5678 '.repeat(160)]) {
      const t = performance.now();
      redactPii(text);
      expect(performance.now() - t, text.slice(0, 20)).toBeLessThan(500);
    }
    expect(redactPii('ถนนเป็นหลุม โทร 081-234-5678 '.repeat(160)).found).toEqual([{ kind: 'phone', count: 160 }]);
  });
});

describe('national ID check digit', () => {
  it('accepts a valid number and refuses the same with another last digit', () => {
    expect(validThaiId('1103700123458')).toBe(true);
    expect(validThaiId('1103700123459')).toBe(false);
  });

  it('redacts a wrong check digit only right after words naming the card', () => {
    expect(redactText('เลขบัตรประชาชน 1-1037-00123-45-9')).toBe('เลขบัตรประชาชน [เลขบัตรประชาชน]');
    expect(redactText('รหัสพัสดุ 1103700123459')).toBe('รหัสพัสดุ 1103700123459');
  });
});
