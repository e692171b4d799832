import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const OUTER = ['app', 'bot', 'liff', 'workers', 'dashboard', 'exchange', 'ops', 'simulator', 'figures', 'bench', 'scripts', 'tests'];
/** Each of these depends on itself and shared/ only; app/ wires them together. */
const PARTS = ['bot', 'liff', 'workers', 'dashboard', 'exchange', 'ops', 'simulator', 'figures'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of every .ts file under `folder`, as [file, specifier, top-level folder it lands in]. */
function relativeImports(folder: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const file of tsFiles(join(ROOT, folder))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      out.push([relative(ROOT, file), m[1], relative(ROOT, resolve(dirname(file), m[1])).split('/')[0]]);
    }
  }
  return out;
}

describe('layout (the design card)', () => {
  it('keeps shared/ free of imports from bot, liff, workers, dashboard, exchange, ops or app', () => {
    const offending = relativeImports('shared').filter(([, , top]) => OUTER.includes(top)).map(([f, s]) => `${f} → ${s}`);
    expect(offending).toEqual([]);
  });

  it.each(PARTS)('lets %s/ import only from itself and shared/ (app/ wires the parts together)', (part) => {
    const offending = relativeImports(part).filter(([, , top]) => top !== part && top !== 'shared').map(([f, s]) => `${f} → ${s}`);
    expect(offending).toEqual([]);
  });
});
