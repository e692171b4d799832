import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.ts';

/** schemathesis from the cache (scripts/install-schemathesis.sh installs it once when missing). */
function schemathesis(): string {
  const fromEnv = process.env.SCHEMATHESIS_BIN;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const r = spawnSync('bash', ['scripts/install-schemathesis.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('schemathesis is not installed and could not be installed: run bash scripts/install-schemathesis.sh');
  return r.stdout.trim();
}

let stack: Stack;
// The fuzzer is one user sending thousands of writes: the per-user limits would turn most of the
// run into 429s and hide the handlers from it. Limits have their own tests in liff-api.test.ts.
beforeAll(async () => { stack = await startStack({ liffRateLimits: { write: { name: 'write', max: 1_000_000, windowSec: 60 }, upload: { name: 'upload', max: 1_000_000, windowSec: 60 } } }); }, 120_000);
afterAll(async () => { await stack?.close(); });

describe('LIFF API under schemathesis', () => {
  it('answers every generated request from its own OpenAPI document without a server error', async () => {
    const st = schemathesis();
    // An officer of a district centre: officer routes run for real (not just 404), and citizen
    // routes work for them too, for cases they file themselves.
    const user = await stack.officer('5001', 'officer', 'ผู้ทดสอบ ฟัซ');
    const token = stack.sim.issueIdToken(user.userId, { expiresInSec: 3600 });
    const args = [
      'run', `${stack.web.url}/liff/api/openapi.json`,
      '--checks', 'not_a_server_error',
      '--max-time', process.env.FUZZ_SECONDS ?? '40',
      '--workers', '2',
      '--header', `Authorization: Bearer ${token}`,
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
    // The summary lands in the test log: operations tested, cases generated, failures.
    console.log(out.text.split('\n').filter((l) => /tested|passed|failed|errors|Summary|cases/i.test(l)).slice(-15).join('\n'));
    expect(out.text).not.toMatch(/Server error/i);
    expect(out.code, out.text.slice(-3000)).toBe(0);
  }, 180_000);
});
