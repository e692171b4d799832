/**
 * Redis loss heals itself: after a flush and after a restart with no data, under a running stack,
 * webhook events are answered again (the pump re-creates its consumer group), the shard queues get
 * their global concurrency back and the SLA queue its schedulers; /readyz says whether intake moves.
 * This file runs its own redis-server (the shared one serves every other test file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../shared/infra/launcher.ts';
import { intakeHealth, intakeStreamKey } from '../shared/intake.ts';
import { createSlaQueue } from '../workers/sla/worker.ts';
import { converse, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

let port: number;
let dir: string;
let server: ChildProcess | undefined;
let stack: Stack;
let admin: Redis;

async function startRedis(): Promise<void> {
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const ok = await probe.connect().then(() => probe.ping()).then(() => true, () => false);
    probe.disconnect();
    if (ok) return;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopRedis(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s || s.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => { s.once('exit', () => resolve()); s.kill('SIGKILL'); });
}

beforeAll(async () => {
  port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'rongrian-redis-heal-'));
  await startRedis();
  admin = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
  stack = await startStack({ worker: false, redisUrl: `redis://127.0.0.1:${port}`, workerOptions: { healEveryMs: 500 } });
});
afterAll(async () => {
  await stack?.close();
  admin?.disconnect();
  await stopRedis();
  rmSync(dir, { recursive: true, force: true });
});

const readyz = async () => { const r = await fetch(`${stack.web.url}/readyz`); return { status: r.status, body: await r.json() }; };

async function healed(): Promise<void> {
  const sla = createSlaQueue(stack.rt.queues.connection, stack.config.QUEUE_PREFIX);
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const concurrency = await Promise.all(stack.rt.queues.lineEvents.map((q) => q.getGlobalConcurrency()));
      const [slaConcurrency, run, reconcile] = await Promise.all([sla.getGlobalConcurrency(), sla.getJobScheduler('sla-run'), sla.getJobScheduler('sla-reconcile')]);
      if (concurrency.every((c) => c === 1) && slaConcurrency === 1 && run && reconcile) return;
      if (Date.now() > deadline) throw new Error(`not healed: shards ${JSON.stringify(concurrency)}, sla ${slaConcurrency}, schedulers ${!!run}/${!!reconcile}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await sla.close();
  }
}

describe('Redis lost under a running stack', () => {
  it('/readyz is not ok while webhook bodies wait and nothing moves them, and ok once the pump runs', async () => {
    const { sim } = stack;
    expect((await readyz()).status).toBe(200);
    const citizen = await stack.citizen('ผู้ร้อง รอคิว');
    // A body taken in two minutes ago (its stream id carries the time) with no worker to move it.
    const body = JSON.stringify({ destination: sim.botUserId, events: [{
      type: 'message', mode: 'active', timestamp: Date.now(), webhookEventId: '01JHEAL0000000000000000001', deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId: citizen.userId }, message: { type: 'text', id: '1', quoteToken: 'q', text: 'แจ้งเรื่องร้องเรียน' },
    }] });
    await admin.xadd(intakeStreamKey(stack.config.QUEUE_PREFIX), `${Date.now() - 120_000}-0`, 'b', body);
    const stuck = await readyz();
    expect(stuck.status).toBe(503);
    expect(stuck.body).toMatchObject({ ok: false, redis: true, db: true, intake: { ok: false, backlog: 1, lastMoveAgoMs: null } });
    expect(stuck.body.intake.lagMs).toBeGreaterThanOrEqual(119_000);

    await stack.startWorkers();
    await waitForText(sim, citizen.userId, 'ขั้นที่ 1/6');
    // The pump acknowledges an entry just after queuing its job, so the reply can come first.
    await stack.drainIntake();
    const ok = await readyz();
    expect(ok.status).toBe(200);
    expect(ok.body.intake).toMatchObject({ ok: true, backlog: 0, lagMs: 0 });
    expect(ok.body.intake.lastReadAgoMs).toBeLessThan(5_000);
  });

  it('after FLUSHALL: the next messages are answered and the queue settings come back', async () => {
    const { sim } = stack;
    const citizen = await stack.citizen('ผู้ร้อง ล้างข้อมูล');
    await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
    await admin.flushall();
    const sent = await sim.sendText(citizen.userId, 'สวัสดี');
    expect(sent.status).toBe(200);
    await sim.waitForMessages(citizen.userId, 2, 20_000);
    await healed();
    expect((await readyz()).status).toBe(200);
  });

  it('after a restart with no data: the same', async () => {
    const { sim } = stack;
    const citizen = await stack.citizen('ผู้ร้อง เริ่มใหม่');
    await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
    await stopRedis();
    // While Redis is down the webhook cannot keep events: 503, so LINE redelivers.
    expect((await sim.sendText(citizen.userId, 'ระหว่างดับ')).status).toBe(503);
    await startRedis();
    let status = 0;
    const deadline = Date.now() + 15_000;
    while (status !== 200 && Date.now() < deadline) {
      status = (await sim.sendText(citizen.userId, 'สวัสดี')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    await waitForText(sim, citizen.userId, 'ขั้นที่ 1/6', 20_000).then(() => sim.waitForMessages(citizen.userId, 2, 20_000));
    await healed();
    const h = await intakeHealth(stack.rt.queues.connection, stack.config.QUEUE_PREFIX);
    expect(h.ok).toBe(true);
    expect(textsOf(sim, citizen.userId).length).toBeGreaterThanOrEqual(2);
  });
});
