import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchemathesis } from './helpers/schemathesis.ts';
import { startStack, type Stack } from './helpers/stack.ts';

let stack: Stack;
// The fuzzer is one user sending thousands of writes: the per-user limits would turn most of the
// run into 429s and hide the handlers from it. Limits have their own tests in liff-api.test.ts.
beforeAll(async () => { stack = await startStack({ liffRateLimits: { write: { name: 'write', max: 1_000_000, windowSec: 60 }, upload: { name: 'upload', max: 1_000_000, windowSec: 60 } } }); }, 120_000);
afterAll(async () => { await stack?.close(); });

describe('LIFF API under schemathesis', () => {
  it('answers every generated request from its own OpenAPI document without a server error', async () => {
    // An officer of a district centre: officer routes run for real (not just 404), and citizen
    // routes work for them too, for cases they file themselves.
    const user = await stack.officer('5001', 'officer', 'ผู้ทดสอบ ฟัซ');
    const token = stack.sim.issueIdToken(user.userId, { expiresInSec: 3600 });
    const out = await runSchemathesis(`${stack.web.url}/liff/api/openapi.json`, `Authorization: Bearer ${token}`);
    // The summary lands in the test log: operations tested, cases generated, failures.
    console.log(out.text.split('\n').filter((l) => /tested|passed|failed|errors|Summary|cases/i.test(l)).slice(-15).join('\n'));
    expect(out.text).not.toMatch(/Server error/i);
    expect(out.code, out.text.slice(-3000)).toBe(0);
  }, 180_000);
});
