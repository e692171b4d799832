import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.ts';
import { createKey } from './helpers/exchange.ts';

/** schemathesis from the cache (scripts/install-schemathesis.sh installs it once when missing). */
function schemathesis(): string {
  const fromEnv = process.env.SCHEMATHESIS_BIN;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const r = spawnSync('bash', ['scripts/install-schemathesis.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('schemathesis is not installed and could not be installed: run bash scripts/install-schemathesis.sh');
  return r.stdout.trim();
}

let stack: Stack;
beforeAll(async () => { stack = await startStack({ worker: false }); }, 120_000);
afterAll(async () => { await stack?.close(); });

describe('data exchange API under schemathesis', () => {
  it('answers every generated request from its own OpenAPI document without a server error', async () => {
    const st = schemathesis();
    // A provincial key: creates land in its scope, so the reads that follow find real cases.
    const { key } = await createKey(stack.env, '50', 'ผู้ทดสอบ ฟัซ');
    const args = [
      'run', `${stack.web.url}/open311/openapi.json`,
      '--checks', 'not_a_server_error',
      '--max-time', process.env.FUZZ_SECONDS ?? '40',
      '--workers', '2',
      '--header', `X-Api-Key: ${key}`,
      '--suppress-health-check', 'all',
      '--no-color',
    ];
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(st, args, { env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
      let text = '';
      child.stdout.on('data', (d) => { text += d; });
      child.stderr.on('data', (d) => { text += d; });
      child.on('exit', (code) => resolve({ code, text }));
    });
    // The summary lands in the test log: operations tested, cases generated, failures, warnings.
    console.log(out.text.slice(out.text.indexOf('=== WARNINGS') >= 0 ? out.text.indexOf('=== WARNINGS') : -2500));
    expect(out.text).not.toMatch(/Server error/i);
    expect(out.code, out.text.slice(-3000)).toBe(0);
    // It did exercise the real code: partner requests became cases.
    expect(await stack.rt.models.Case.countDocuments()).toBeGreaterThan(0);
  }, 180_000);
});
