import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/** Every project file the entry points load, following relative imports (static and dynamic). */
function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = entries.map((e) => join(ROOT, e));
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]);
      if (/\.(ts|js|mjs)$/.test(target)) todo.push(target);
    }
  }
  return seen;
}

describe('production image (Dockerfile)', () => {
  it('copies every folder the web and worker processes load, so the image starts', () => {
    const copied = new Set([...readFileSync(join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^COPY\s+(?:--from=\S+\s+)?(\S+)\s+\.\/(\S+)/gm)]
      .map((m) => m[2].split('/')[0]));
    const needed = new Set([...reachable(['app/web.ts', 'app/worker.ts', 'app/cli.ts'])]
      .map((f) => relative(ROOT, f).split('/')[0])
      .filter((top) => !top.endsWith('.ts')));
    const missing = [...needed].filter((top) => !copied.has(top));
    expect(missing).toEqual([]);
  });
});
