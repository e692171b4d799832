import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));

/** The README's first fenced block: the two commands, each without its comment. */
function firstCommands(): string[] {
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

/**
 * A copy of ./run and .ci/run in a scratch directory, with scripts/install-deps.sh and npm replaced by
 * recorders: what the two commands do, in order, without installing anything or touching this
 * checkout's node_modules.
 */
const sandboxes: string[] = [];
afterAll(() => { for (const d of sandboxes) rmSync(d, { recursive: true, force: true }); });

function sandbox(opts: { nodeModulesFresh?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rongrian-run-'));
  sandboxes.push(dir);
  const log = join(dir, 'calls.log');
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, '.ci'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(ROOT, 'run'), join(dir, 'run'));
  copyFileSync(join(ROOT, '.ci', 'run'), join(dir, '.ci', 'run'));
  writeFileSync(join(dir, 'scripts', 'install-deps.sh'), `echo "install-deps $*" >> "${log}"\necho 'export RONGRIAN_INSTALLED=yes'\n`);
  writeFileSync(join(dir, 'bin', 'npm'), `#!/bin/sh\necho "npm $* (installed: $RONGRIAN_INSTALLED)" >> "${log}"\n[ "$1" = -v ] && echo 11.0.0\nexit 0\n`);
  chmodSync(join(dir, 'bin', 'npm'), 0o755);
  writeFileSync(join(dir, 'package-lock.json'), '{}');
  if (opts.nodeModulesFresh) {
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), '{}');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'node_modules', '.package-lock.json'), later, later);
  }
  const exec = (command: string) => {
    const r = spawnSync('bash', ['-c', command], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
    const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter((l) => !/^npm -v/.test(l)) : [];
    rmSync(log, { force: true });
    return { status: r.status, stderr: r.stderr, calls };
  };
  return { dir, exec };
}

describe('the README is a newcomer\'s map', () => {
  it('fits in 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('opens with the two commands: ./run (the demo) and ./run test (the suite)', () => {
    expect(firstCommands()).toEqual(['./run', './run test']);
  });

  it('names no issue numbers, nor does any file in docs/', () => {
    for (const [name, text] of [['README.md', readme], ...docs.map((f) => [`docs/${f}`, readFileSync(join(ROOT, 'docs', f), 'utf8')])]) {
      expect(text, name).not.toMatch(/issues?\s*#\s*\d/i);
    }
  });

  it('nor does any source file, config or the tests (they speak to a reader of the code)', () => {
    // Tracked files only; the vendored LINE specs keep their upstream text.
    const files = spawnSync('git', ['ls-files', '*.ts', '*.mjs', '*.js', '*.json', '*.md', '*.sh', '*.html', '*.css', '*.yml', 'Dockerfile', 'run'], { cwd: ROOT, encoding: 'utf8' })
      .stdout.split('\n').filter((f) => f && !f.startsWith('simulator/line-openapi/') && f !== 'package-lock.json');
    expect(files.length).toBeGreaterThan(100);
    const cited = files.filter((f) => existsSync(join(ROOT, f)) && /issues?\s*#\s*\d/i.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(cited).toEqual([]);
  });

  it('its folder map names every top-level folder of the repository', () => {
    // Folders of the repository, not whatever lies in this checkout (scratch files, build output).
    const tracked = spawnSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n');
    const folders = [...new Set(tracked.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))].filter((d) => !d.startsWith('.'));
    const map = readme.slice(readme.indexOf('## Folder map'), readme.indexOf('## Runtime dependencies'));
    expect(folders.length).toBeGreaterThan(10);
    for (const f of folders) expect(map, f).toContain(`| \`${f}/\` |`);
  });

  it('says why for every runtime dependency in package.json, one line each', () => {
    const deps = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies);
    const table = readme.slice(readme.indexOf('## Runtime dependencies'), readme.indexOf('## Where to read next'));
    const rows = [...table.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...deps].sort());
  });

  it('links only to files that exist, and docs/README.md lists every document in docs/', () => {
    for (const [, target] of readme.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)) {
      expect(existsSync(join(ROOT, target)), target).toBe(true);
    }
    const index = readFileSync(join(ROOT, 'docs', 'README.md'), 'utf8');
    // Section links (file.md#section) land on a heading, as GitHub names them; documents other
    // helpers add are checked once they exist.
    const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N} _-]/gu, '').replace(/ /g, '-');
    for (const [from, text] of [['README.md', readme], ...docs.map((f) => [`docs/${f}`, readFileSync(join(ROOT, 'docs', f), 'utf8')])]) {
      for (const [, file, anchor] of text.matchAll(/\]\(([^)#:]*\.md)#([^)]+)\)/g)) {
        const target = join(ROOT, dirname(from), file);
        if (!existsSync(target)) continue;
        const headings = [...readFileSync(target, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]));
        expect(headings, `${from} → ${file}#${anchor}`).toContain(anchor);
      }
    }
    for (const f of docs.filter((d) => d !== 'README.md')) expect(index, f).toContain(`](${f})`);
  });
});

describe('the two commands do what the README says', () => {
  it('./run installs for the demo, then npm ci and npm start; a current node_modules is not reinstalled', () => {
    const [first] = firstCommands();
    const fresh = sandbox();
    expect(fresh.exec(first)).toMatchObject({ status: 0, calls: ['install-deps --for start', 'npm ci --no-audit --no-fund (installed: yes)', 'npm run start -- (installed: yes)'] });
    const current = sandbox({ nodeModulesFresh: true });
    expect(current.exec(first).calls).toEqual(['install-deps --for start', 'npm run start -- (installed: yes)']);
  });

  it('./run test installs for the tests, then always npm ci and npm test, passing file names on', () => {
    const [, second] = firstCommands();
    const s = sandbox({ nodeModulesFresh: true });
    expect(s.exec(second)).toMatchObject({ status: 0, calls: ['install-deps --for test', 'npm ci --no-audit --no-fund (installed: yes)', 'npm run test -- (installed: yes)'] });
    expect(s.exec(`${second} tests/intake.test.ts`).calls.at(-1)).toBe('npm run test -- tests/intake.test.ts (installed: yes)');
  });

  it('CI (.ci/run) runs exactly ./run test, from any directory', () => {
    const s = sandbox();
    expect(s.exec('cd / && "$OLDPWD/.ci/run"')).toMatchObject({ status: 0, calls: ['install-deps --for test', 'npm ci --no-audit --no-fund (installed: yes)', 'npm run test -- (installed: yes)'] });
  });

  it('an unknown subcommand is refused with the usage line, before installing anything', () => {
    const r = sandbox().exec('./run deploy');
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('usage: ./run [start|test]');
    expect(r.calls).toEqual([]);
  });
});
