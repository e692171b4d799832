import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const OUTER = ['app', 'bot', 'liff', 'workers', 'dashboard', 'exchange', 'ops', 'simulator', 'bench', 'scripts', 'tests'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('layout (the design card)', () => {
  it('keeps shared/ free of imports from bot, liff, workers, dashboard, exchange, ops or app', () => {
    const offending: string[] = [];
    for (const file of tsFiles(join(ROOT, 'shared'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const top = relative(ROOT, resolve(dirname(file), m[1])).split('/')[0];
        if (OUTER.includes(top)) offending.push(`${relative(ROOT, file)} → ${m[1]}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
