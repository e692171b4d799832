import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, startWeb, type RunningWeb, type Runtime } from '../app/runtime.ts';
import { loadConfig } from '../shared/config.ts';
import { runSchemathesis } from './helpers/schemathesis.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { createKey } from './helpers/exchange.ts';

let stack: Stack;
/** The fuzzer is one key sending thousands of requests: a web process without the per-key budget (it has its own test). */
let rt: Runtime;
let web: RunningWeb;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  rt = await createRuntime(loadConfig({ ...stack.env, PARTNER_RATE_LIMIT_PER_MIN: '1000000' }));
  web = await startWeb(rt, 0, '127.0.0.1');
}, 120_000);
afterAll(async () => {
  await web?.close();
  await rt?.close();
  await stack?.close();
});

describe('data exchange API under schemathesis', () => {
  it('answers every generated request from its own OpenAPI document without a server error', async () => {
    // A provincial key: creates land in its scope, so the reads that follow find real cases.
    const { key } = await createKey(stack.env, '50', 'ผู้ทดสอบ ฟัซ');
    // The year's first case, so the document's example tracking number finds something to read.
    const first = await fetch(`${web.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ service_code: 'help', description: 'เรื่องแรกของปี', address_string: 'อ.เมืองเชียงใหม่ จ.เชียงใหม่' }) });
    expect((await first.json() as any)[0].service_request_id).toMatch(/-000001$/);
    const out = await runSchemathesis(`${web.url}/open311/openapi.json`, `X-Api-Key: ${key}`);
    // The summary lands in the test log: operations tested, cases generated, failures, warnings.
    console.log(out.text.slice(out.text.indexOf('=== WARNINGS') >= 0 ? out.text.indexOf('=== WARNINGS') : -2500));
    expect(out.text).not.toMatch(/Server error/i);
    expect(out.code, out.text.slice(-3000)).toBe(0);
    // It did exercise the real code: partner requests became cases.
    expect(await stack.rt.models.Case.countDocuments()).toBeGreaterThan(0);
  }, 180_000);
});
