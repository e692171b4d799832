/**
 * Nothing lost, nothing stuck: citizens chat through complete intakes while the worker, FerretDB and
 * Redis are killed with SIGKILL and restarted, Redis is flushed once, poison events arrive and LINE
 * answers 429 and 500 bursts. The full-size run with a pre-filled database is `npm run bench:chaos`.
 *
 * Knobs: CHAOS_CITIZENS (default 24), CHAOS_FAULTS (comma list of worker, ferret, redis, flush,
 * poison, line429, line500; "all" by default, "none" for a fault-free run).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killEverything } from './helpers/chaos.ts';
import { faultsFromEnv, runChaos } from './helpers/chaosScenario.ts';

const CITIZENS = Number(process.env.CHAOS_CITIZENS ?? 24);
const FAULTS = faultsFromEnv(process.env.CHAOS_FAULTS);

// Whatever happened (a timeout skips the harness's own cleanup), no server it started outlives the file.
afterAll(() => killEverything());

describe('chaos: faults under load', () => {
  it(`${CITIZENS} citizens file complaints while ${FAULTS.join(', ') || 'nothing'} happen(s): every accepted message answered once, in order; one case, tracking number and alert per complaint`, async () => {
    const [report] = await runChaos({ log: (s) => console.log(s) }, [{
      name: FAULTS.length ? 'faults' : 'no faults',
      citizens: CITIZENS,
      faults: FAULTS,
      // Long enough that citizens are still chatting when the last fault hits.
      spreadSec: 40,
      thinkMs: [500, 2000],
      replyTimeoutMs: 60_000,
      recoveryTimeoutMs: 35_000,
      faultGapMs: [1500, 4000],
      settleMs: 25_000,
      // The phase stops its waits in time for its checks and cleanup to end inside the test's timeout.
      budgetSec: 140,
    }]);
    expect(report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
  }, 170_000);
});
