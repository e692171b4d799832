/**
 * Partner webhooks end to end: case events from the real domain commands, fanned out by the real
 * worker through BullMQ (real Redis) to real local HTTP receivers that check the HMAC signature.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignCase } from '../shared/cases/commands/assignCase.ts';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { SIGNATURE_HEADER, verifySignature } from '../shared/partners/signing.ts';
import { startWorkers } from '../workers/index.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { cli, createKey } from './helpers/exchange.ts';

interface Received { headers: Record<string, string | string[] | undefined>; body: string; json: any; signatureOk: boolean }

/** A partner's endpoint: verifies the signature with its secret, records what it got; `failFirst` answers 500 that many times. */
class Receiver {
  received: Received[] = [];
  attempts = 0;
  secret = '';
  failFirst: number;
  server: Server;
  url = '';
  constructor(failFirst = 0) {
    this.failFirst = failFirst;
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        this.attempts++;
        if (this.attempts <= this.failFirst) { res.statusCode = 500; res.end('down'); return; }
        const signatureOk = verifySignature(this.secret, body, req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined);
        this.received.push({ headers: req.headers, body, json: JSON.parse(body), signatureOk });
        res.statusCode = signatureOk ? 204 : 401;
        res.end();
      });
    });
  }
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    const a = this.server.address();
    this.url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hooks/rongrian`;
    return this;
  }
  types(): string[] { return this.received.filter((r) => r.signatureOk).map((r) => r.json.type); }
  async waitFor(n: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.received.filter((r) => r.signatureOk).length >= n) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`receiver got ${this.received.length} deliveries, wanted ${n}: ${JSON.stringify(this.types())}`);
  }
}

let stack: Stack;
let env: Record<string, string>;
const receivers: Receiver[] = [];
beforeAll(async () => {
  stack = await startStack({ worker: false });
  // The real worker, with a short retry backoff so the flaky receiver's retries come in seconds.
  stack.workers = await startWorkers(stack.rt.workerDeps, { redisUrl: stack.config.REDIS_URL, prefix: stack.config.QUEUE_PREFIX, queues: stack.rt.queues, log: stack.rt.log, partnerWebhookBackoffMs: 300 });
  env = { ...stack.env, PARTNER_WEBHOOK_ALLOW_HTTP: 'true' };
}, 120_000);
afterAll(async () => {
  await stack?.close();
  for (const r of receivers) r.server.close();
});

async function subscribe(keyId: string, r: Receiver, extra: string[] = []): Promise<string> {
  const out = await cli(env, ['webhook', 'add', '--key', keyId, '--url', r.url, ...extra]);
  if (out.code !== 0) throw new Error(out.stderr);
  r.secret = out.stdout.split('\n')[0].trim();
  return out.stdout.match(/subscription (wh_[0-9a-f]{12})/)![1];
}

async function queueIdle(): Promise<void> {
  const deadline = Date.now() + 30_000;
  const qs = [stack.rt.queues.domainEvents, stack.rt.queues.partnerWebhooks];
  while (Date.now() < deadline) {
    const n = await Promise.all(qs.map((q) => q.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')));
    if (n.every((x) => x === 0)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('queues not idle');
}

describe('partner webhooks', () => {
  it('https only unless allowed for local testing; an unknown key is refused', async () => {
    const k = await createKey(stack.env, '50', 'ทดสอบ URL');
    const plain = await cli(stack.env, ['webhook', 'add', '--key', k.id, '--url', 'http://127.0.0.1:9/x']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/must be https/);
    const unknown = await cli(env, ['webhook', 'add', '--key', 'ak_000000000000', '--url', 'https://example.org/x']);
    expect(unknown.stderr).toMatch(/no live API key/);
  });

  it('delivers created, status changed and closed once each, signed; retries a failing receiver; respects scope', async () => {
    const cm = await createKey(stack.env, '50', 'หน่วยงานเชียงใหม่');
    const bkk = await createKey(stack.env, '10', 'หน่วยงานกรุงเทพฯ');
    const ok = await new Receiver().start();
    const flaky = await new Receiver(2).start();
    const other = await new Receiver().start();
    const closedOnly = await new Receiver().start();
    receivers.push(ok, flaky, other, closedOnly);
    await subscribe(cm.id, ok);
    await subscribe(cm.id, flaky);
    await subscribe(bkk.id, other);
    await subscribe(cm.id, closedOnly, ['--events', 'case.closed']);
    const list = await cli(env, ['webhook', 'list', '--key', cm.id]);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
    expect(list.stdout).not.toContain(ok.secret);

    // A partner files through Open311: the case lands at อ.เมืองเชียงใหม่ (5001).
    const res = await fetch(`${stack.web.url}/open311/v2/requests.json`, {
      method: 'POST', headers: { 'x-api-key': cm.key, 'content-type': 'application/json' },
      body: JSON.stringify({ service_code: 'state_project', description: 'ไฟฟ้าดับทั้งหมู่บ้านมาสามวันแล้ว ผู้ใหญ่บ้านโทร 081-555-4433 เลขบัตร 1103700123458', address_string: 'อ.เมืองเชียงใหม่ จ.เชียงใหม่', first_name: 'สมศรี' }),
    });
    expect(res.status).toBe(201);
    const trackingNo = (await res.json())[0].service_request_id;
    const c = await stack.rt.models.Case.findOne({ trackingNo }).lean();
    const deps = { models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish };
    const officer = { id: 'off-1', name: 'จนท. ทดสอบ', unitCode: c!.unitCode };
    await ok.waitFor(1);
    expect((await assignCase(deps, { caseId: String(c!._id), officer })).ok).toBe(true);
    await ok.waitFor(2);
    expect((await closeCase(deps, { caseId: String(c!._id), officer, summary: 'ประสานการไฟฟ้าแล้ว ไฟกลับมาใช้ได้' })).ok).toBe(true);
    await ok.waitFor(3);
    await flaky.waitFor(3);
    await closedOnly.waitFor(1);
    await queueIdle();

    expect(ok.types()).toEqual(['case.created', 'case.status_changed', 'case.closed']);
    expect(ok.received.every((r) => r.signatureOk)).toBe(true);
    expect(new Set(ok.received.map((r) => r.headers['x-rongrian-delivery'])).size).toBe(3);
    expect(ok.received[1].json.change).toEqual({ fromStatus: 'received', toStatus: 'assigned' });
    expect(ok.received[2].json.case).toMatchObject({ trackingNo, status: 'closed', open: false, resolution: { kind: 'resolved' } });
    expect(ok.received[0].headers['x-rongrian-event']).toBe('case.created');
    // Nothing personal, no officer names, no result text in the body.
    for (const r of ok.received) expect(r.body).not.toMatch(/จนท\. ทดสอบ|ประสานการไฟฟ้า/);
    // A place-bound problem, to the key that filed it: the description goes out with its phone and ID
    // replaced; the case keeps them for the unit.
    for (const r of ok.received) expect(r.json.case.description).toBe('ไฟฟ้าดับทั้งหมู่บ้านมาสามวันแล้ว ผู้ใหญ่บ้านโทร [เบอร์โทร] เลขบัตร [เลขบัตรประชาชน]');
    for (const r of ok.received) expect(r.body).not.toMatch(/081-555-4433|1103700123458|สมศรี/);
    expect(c!.description).toContain('081-555-4433 เลขบัตร 1103700123458');

    // Failed twice (500), then got everything, each once. Retries may reorder deliveries (the README
    // says so): a receiver orders by occurredAt.
    expect(flaky.attempts).toBe(5);
    expect(flaky.types().sort()).toEqual(['case.closed', 'case.created', 'case.status_changed']);
    expect(new Set(flaky.received.map((r) => r.json.id)).size).toBe(3);
    expect(closedOnly.types()).toEqual(['case.closed']);
    // Bangkok's key may not read a Chiang Mai case: its endpoint heard nothing.
    expect(other.received).toHaveLength(0);
    expect(other.attempts).toBe(0);
  }, 90_000);

  it('a tampered body or an old timestamp fails verification', () => {
    const secret = 'whsec_test';
    const body = '{"id":"1"}';
    const now = Math.floor(Date.now() / 1000);
    const header = `t=${now},v1=${createHmac('sha256', secret).update(`${now}.${body}`).digest('hex')}`;
    expect(verifySignature(secret, body, header, now)).toBe(true);
    expect(verifySignature(secret, '{"id":"2"}', header, now)).toBe(false);
    expect(verifySignature(secret, body, header, now + 301)).toBe(false);
    expect(verifySignature('whsec_other', body, header, now)).toBe(false);
  });

  it('a revoked key\'s subscriptions get nothing more', async () => {
    const k = await createKey(stack.env, '5001', 'หน่วยงานที่ถูกเพิกถอน');
    const r = await new Receiver().start();
    receivers.push(r);
    await subscribe(k.id, r);
    await cli(stack.env, ['apikey', 'revoke', k.id]);
    const deps = { models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish };
    await openCase(deps, { idempotencyKey: `t-rev-${Date.now()}`, channel: 'hotline', category: 'help', description: 'เรื่องหลังเพิกถอน', location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' }, complainant: {}, by: { kind: 'system' } });
    await queueIdle();
    expect(r.attempts).toBe(0);
  });

  it('a forward reaches the partners of the unit it left and of the unit it went to', async () => {
    const cm = await createKey(stack.env, '5001', 'หน่วยงานอำเภอเมืองเชียงใหม่');
    const bkk = await createKey(stack.env, '10', 'หน่วยงานกรุงเทพฯ (ส่งต่อ)');
    const from = await new Receiver().start();
    const to = await new Receiver().start();
    receivers.push(from, to);
    await subscribe(cm.id, from, ['--events', 'case.status_changed']);
    await subscribe(bkk.id, to, ['--events', 'case.status_changed']);
    const deps = { models: stack.rt.models, clock: stack.rt.clock, publish: stack.rt.bot.publish };
    const c = await openCase(deps, { idempotencyKey: `t-fwd-${Date.now()}`, channel: 'hotline', category: 'state_project', description: 'สะพานข้ามคลองที่ต้องส่งต่อไปกรุงเทพฯ ชำรุด', location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่', lat: 18.79, lng: 98.98 }, complainant: { name: 'นางผู้แจ้ง สะพาน' }, by: { kind: 'system' } });
    const r = await forwardCase(deps, { caseId: String(c._id), officer: { id: 'off-2', name: 'จนท.', unitCode: '5001' }, toUnitCode: '10', reason: 'อยู่ในอำนาจของกรุงเทพมหานคร' });
    expect(r.ok).toBe(true);
    await from.waitFor(1);
    await to.waitFor(1);
    await queueIdle();
    for (const rec of [from, to]) {
      expect(rec.types()).toEqual(['case.status_changed']);
      expect(rec.received[0].json.change).toEqual({ fromStatus: 'received', toStatus: 'forwarded', fromUnitCode: '5001' });
      expect(rec.received[0].json.case.unitCode).toBe('10');
      expect(rec.received[0].body).not.toContain('อยู่ในอำนาจ');
      expect(rec.received[0].body).not.toContain('นางผู้แจ้ง');
    }
    // A place-bound problem: the unit it went to (now holding it) gets the pin and the text; the unit it left does not.
    expect(to.received[0].json.case).toMatchObject({ description: 'สะพานข้ามคลองที่ต้องส่งต่อไปกรุงเทพฯ ชำรุด', area: { lat: 18.79, lng: 98.98 } });
    expect(from.received[0].json.case.description).toBeUndefined();
    expect(from.received[0].json.case.area.lat).toBeUndefined();
    expect(from.received[0].body).not.toContain('สะพานข้ามคลอง');
    // Each delivery is a partner read on the audit log, with what it carried.
    const audit = await stack.rt.models.Audit.find({ caseId: String(c._id), action: 'partner_read', via: 'webhook' }).lean();
    const byKey = new Map(audit.map((a) => [a.apiKeyId, a.fields]));
    expect(byKey.get(bkk.id)).toEqual(expect.arrayContaining(['description', 'area.lat', 'area.lng']));
    expect(byKey.get(cm.id)).toEqual(expect.arrayContaining(['trackingNo', 'status', 'area.districtCode']));
    expect(byKey.get(cm.id)).not.toContain('description');
  });
});
