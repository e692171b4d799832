/**
 * The type suggested from the citizen's own words (shared/problems/suggest.ts), measured on labelled
 * descriptions written the way people type in LINE (tests/fixtures/problem-descriptions-th*.tsv).
 * The first two files were used to tune the lexicon; the blind file was written and measured before the
 * last rework and never tuned on, so its figures are the honest ones for new text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBLEM_TYPE_CODES } from '../../shared/problems/types.ts';
import { normaliseText, suggestProblemTypes } from '../../shared/problems/suggest.ts';

function labelled(name: string): { code: string; text: string }[] {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => { const [code, text] = l.split('\t'); return { code: code!, text: text! }; });
}

/** No keyword found: the citizen is offered the list, which counts as guessing "other". */
const ranked = (text: string) => { const s = suggestProblemTypes(text).map((x) => x.code); return s.length ? s : ['other']; };

function measure(rows: { code: string; text: string }[]) {
  const per = new Map<string, { n: number; top1: number; top3: number }>();
  for (const r of rows) {
    const got = ranked(r.text);
    const p = per.get(r.code) ?? { n: 0, top1: 0, top3: 0 };
    p.n += 1;
    if (got[0] === r.code) p.top1 += 1;
    if (got.slice(0, 3).includes(r.code)) p.top3 += 1;
    per.set(r.code, p);
  }
  const sum = [...per.values()].reduce((a, p) => ({ n: a.n + p.n, top1: a.top1 + p.top1, top3: a.top3 + p.top3 }), { n: 0, top1: 0, top3: 0 });
  return { top1: sum.top1 / sum.n, top3: sum.top3 / sum.n, n: sum.n, per };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const TRAINING_TOP1 = 0.97, TRAINING_TOP3 = 0.99, OLD_HOLDOUT_TOP1 = 0.97, OLD_HOLDOUT_TOP3 = 0.97, BLIND_TOP1 = 0.86, BLIND_TOP3 = 0.94;

describe('suggested problem type: accuracy', () => {
  const training = labelled('problem-descriptions-th.tsv');
  // Written after the first lexicon as a hold-out; since folded into training (its misses were added
  // to the lexicon), so its figure is no longer a measure of new text.
  const oldHoldout = labelled('problem-descriptions-th-holdout.tsv');
  // Written, committed and measured before the matcher and lexicon were reworked, in styles the other
  // sets lack (indirect stories, regional words, English, typos, run-ons); never tuned on.
  const blind = labelled('problem-descriptions-th-blind.tsv');

  it('the labelled sets: ≥ 300 training lines, ≥ 10 per type; the blind set ≥ 80 lines, ≥ 3 per type; every label a real type', () => {
    expect(training.length).toBeGreaterThanOrEqual(300);
    expect(oldHoldout.length).toBeGreaterThanOrEqual(40);
    expect(blind.length).toBeGreaterThanOrEqual(80);
    for (const r of [...training, ...oldHoldout, ...blind]) expect(PROBLEM_TYPE_CODES, r.text).toContain(r.code);
    for (const code of PROBLEM_TYPE_CODES) {
      expect(training.filter((r) => r.code === code).length, code).toBeGreaterThanOrEqual(10);
      expect(blind.filter((r) => r.code === code).length, code).toBeGreaterThanOrEqual(3);
    }
  });

  it('top-1 and top-3 on the training sets (per type) and on the blind set', () => {
    const m = measure(training);
    const h = measure(oldHoldout);
    const b = measure(blind);
    console.log([
      `problem type suggestion — training (${m.n}): top-1 ${pct(m.top1)}, top-3 ${pct(m.top3)}`,
      `  old hold-out, now training (${h.n}): top-1 ${pct(h.top1)}, top-3 ${pct(h.top3)}`,
      `  blind set (${b.n}), never tuned on: top-1 ${pct(b.top1)}, top-3 ${pct(b.top3)}` +
        ' (before the rework, with the first matcher and lexicon: top-1 47.0%, top-3 50.0%)',
    ].join('\n'));
    console.table(Object.fromEntries(PROBLEM_TYPE_CODES.map((c) => {
      const p = m.per.get(c)!;
      const q = b.per.get(c)!;
      return [c, { n: p.n, 'top-1': pct(p.top1 / p.n), 'top-3': pct(p.top3 / p.n), 'blind n': q.n, 'blind top-1': pct(q.top1 / q.n), 'blind top-3': pct(q.top3 / q.n) }];
    })));
    // Floors just under what was measured (see docs/problem-types.md).
    expect(m.top1).toBeGreaterThanOrEqual(TRAINING_TOP1);
    expect(m.top3).toBeGreaterThanOrEqual(TRAINING_TOP3);
    expect(h.top1).toBeGreaterThanOrEqual(OLD_HOLDOUT_TOP1);
    expect(h.top3).toBeGreaterThanOrEqual(OLD_HOLDOUT_TOP3);
    expect(b.top1).toBeGreaterThanOrEqual(BLIND_TOP1);
    expect(b.top3).toBeGreaterThanOrEqual(BLIND_TOP3);
  });
});

describe('suggested problem type: the words people type', () => {
  it('the issue\'s example, with the word that gave it away', () => {
    const [first] = suggestProblemTypes('ไฟถนนหน้าบ้านดับมา3วันแล้วค่ะ');
    expect(first).toMatchObject({ code: 'street_light', matched: ['ไฟถนน'] });
  });

  it('a power cut is electricity, a street light out is not', () => {
    expect(suggestProblemTypes('ไฟดับทั้งหมู่บ้านเลยค่ะ')[0]).toMatchObject({ code: 'electricity', matched: ['ไฟดับ'] });
    expect(suggestProblemTypes('ไฟทางดับทั้งซอย')[0]!.code).toBe('street_light');
  });

  it('repeated letters, Thai digits, zero-width characters and spaces inside words do not hide a keyword', () => {
    expect(normaliseText('ดับบบบบ มากกกก ๓ วัน')).toBe('ดับ มาก 3 วัน');
    expect(suggestProblemTypes('ไฟฟ้าดับบบบบ')[0]!.code).toBe('electricity');
    expect(suggestProblemTypes('หมา\u200Bจร เต็มซอย')[0]!.code).toBe('stray_animals');
    expect(suggestProblemTypes('น้ำ ไม่ ไหล มา ๒ วัน')[0]!.code).toBe('water_supply');
  });

  it('English words mixed in count as whole words only', () => {
    expect(suggestProblemTypes('big pothole near 7-11')[0]).toMatchObject({ code: 'road', matched: ['pothole'] });
    expect(suggestProblemTypes('Potholes everywhere')[0]!.code).toBe('road');
    // "road" inside "roadside" or "railroad" is not the word road.
    expect(suggestProblemTypes('railroads').map((s) => s.code)).not.toContain('road');
  });

  it('misspelt Thai still finds the keyword, weighing less than the right spelling', () => {
    const [misspelt] = suggestProblemTypes('ทุจลิตงบโครงการ');
    const [right] = suggestProblemTypes('ทุจริตงบโครงการ');
    expect(misspelt).toMatchObject({ code: 'corruption', matched: ['ทุจริต'] });
    expect(misspelt!.score).toBeLessThan(right!.score);
    expect(suggestProblemTypes('นำ้ทวมบ้าน')[0]!.code).toBe('flooding');
    expect(suggestProblemTypes('ฏีกา')[0]!.code).toBe('petition');
  });

  it('English keywords keep their endings: bribed, littering, flooding; not a longer word', () => {
    expect(suggestProblemTypes('someone bribed him')[0]).toMatchObject({ code: 'corruption', matched: ['bribe'] });
    expect(suggestProblemTypes('people keep littering here')[0]).toMatchObject({ code: 'rubbish', matched: ['litter'] });
    expect(suggestProblemTypes('roadmap')).toEqual([]);
  });

  it('a cue against a type: a street light that says ไฟดับ is not a power cut', () => {
    const s = suggestProblemTypes('ไฟถนนดับ ไฟดับทั้งเส้นเลย');
    expect(s[0]!.code).toBe('street_light');
    expect(s.find((x) => x.code === 'electricity')!.score).toBeLessThan(1);
    expect(suggestProblemTypes('ไฟดับทั้งเส้นเลย')[0]!.code).toBe('electricity');
  });

  it('a short Thai keyword inside a longer word does not count: กัด in จำกัด', () => {
    expect(suggestProblemTypes('ขอป้ายจำกัดความเร็ว').map((s) => s.code)).toEqual(['traffic']);
  });

  it('nothing recognisable: no suggestion rather than a guess', () => {
    expect(suggestProblemTypes('สวัสดีค่ะ')).toEqual([]);
    expect(suggestProblemTypes('')).toEqual([]);
  });

  it('is fast enough to run on every keystroke of a long description', () => {
    const long = 'ถนนพังเป็นหลุมใหญ่ น้ำท่วมขัง ไฟถนนดับ '.repeat(120);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) suggestProblemTypes(long);
    expect((performance.now() - t0) / 20).toBeLessThan(50);
  });
});
