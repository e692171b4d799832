/**
 * The chaos scenario shared by tests/chaos.test.ts and `npm run bench:chaos`: simulated citizens
 * chat through complete intakes over the LINE simulator (signed webhooks), officers accept cases
 * from their alert cards and close some on the LIFF API, while faults are injected one at a time.
 * Then everything a user or an operator would notice is checked from what the simulated LINE
 * platform saw and what the database holds.
 *
 * The web and the worker are the real `node app/web.ts` / `node app/worker.ts` processes, and Redis
 * and FerretDB are processes of this harness (tests/helpers/chaos.ts), so a kill -9 is real.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRuntime, prepareDatabase, type Runtime } from '../../app/runtime.ts';
import { loadConfig } from '../../shared/config.ts';
import { freePort } from '../../shared/infra/launcher.ts';
import { retryKeyFor } from '../../shared/line/client.ts';
import { intakeStreamKey } from '../../shared/intake.ts';
import { verifyCounters } from '../../shared/reports/verify.ts';
import { startLineSimulator, ulid, type LineSimulator } from '../../simulator/server.ts';
import { AppProcess, startChaosServices, type ChaosServices } from './chaos.ts';

export const FAULT_KINDS = ['worker', 'ferret', 'redis', 'flush', 'poison', 'line429', 'line500'] as const;
export type FaultKind = typeof FAULT_KINDS[number];

/** One load phase: citizens, officers and faults, then the checks. */
export interface PhaseOptions {
  /** Shown in the report, e.g. "no faults" or "faults". */
  name: string;
  citizens: number;
  faults: FaultKind[];
  /** Citizens start at random moments within this window (0 = all at once). */
  spreadSec: number;
  /** Pause between a citizen's turns, ms [min, max]. */
  thinkMs?: [number, number];
  /** A citizen waiting this long for an answer gives up (counted as lost if it never comes). */
  replyTimeoutMs?: number;
  /** After a fault, how long the probe keeps asking before the fault counts as not recovered. */
  recoveryTimeoutMs?: number;
  /** Pause before each fault, ms [min, max]. */
  faultGapMs?: [number, number];
  /** How long the killed process stays down, ms. */
  downMs?: number;
  /** After the last citizen: how long queues and outboxes may take to settle. */
  settleMs?: number;
  /** Share of alerts an officer accepts, and of accepted cases they then close. */
  acceptShare?: number;
  closeShare?: number;
  /** Skip the counter recount (minutes on a large pre-filled database). */
  skipVerify?: boolean;
  /** The whole phase, checks included, ends within this (waits are cut short; a test's timeout must not cut the cleanup). */
  budgetSec?: number;
}

export interface ChaosSetup {
  shards?: number;
  /** How long web and worker may take to say they serve (longer on a large database: the worker's start-up sweeps read it). */
  startTimeoutMs?: number;
  /** Fills the database before web and worker start (bench:chaos). */
  prefill?: (rt: Runtime, log: (s: string) => void) => Promise<void>;
  log?: (s: string) => void;
}

export interface Check { name: string; ok: boolean; detail: string }
export interface FaultRecord { kind: FaultKind; atSec: number; downMs?: number; recoveryMs?: number; note: string }
export interface ChaosReport {
  citizens: number;
  filed: number;
  events: { sent: number; accepted: number; refusedByWebhook: number; redeliveries: number };
  faults: FaultRecord[];
  replyMs: { p50: number; p99: number; n: number };
  alertMs: { p50: number; p99: number; n: number };
  lost: number;
  duplicates: number;
  checks: Check[];
  text: string;
  wallSec: number;
}

/** One webhook event as the simulated LINE platform sent it. */
interface SentEvent {
  id: string;
  userId: string;
  replyToken?: string;
  sentAt: number;
  /** What the answer must say, if the script knows. */
  expect?: RegExp;
  label: string;
  statuses: number[];
  acceptedAt?: number;
  poison?: boolean;
}

const CATEGORIES = ['help', 'tipoff', 'dispute', 'state_project', 'informal_debt'];
const PLACES = ['ลำพูน', 'เชียงใหม่', 'ขอนแก่น', 'ภูเก็ต', 'นครราชสีมา', 'สงขลา'];
const UNIT_OF: Record<string, string> = { ลำพูน: '5101', เชียงใหม่: '5001', ขอนแก่น: '4001', ภูเก็ต: '8301', นครราชสีมา: '3001', สงขลา: '9001' };
const DESCRIPTIONS = [
  'ถนนหน้าบ้านเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน แจ้ง อบต. แล้วยังไม่ซ่อม',
  'ไฟฟ้าส่องสว่างในซอยดับมาสามเดือนแล้ว ตอนกลางคืนมืดมาก',
  'โรงงานข้างหมู่บ้านปล่อยน้ำเสียลงคลองทุกคืน กลิ่นเหม็นมาก ปลาตายลอยเป็นแพ',
  'เพื่อนบ้านเปิดเพลงเสียงดังทุกคืนจนถึงตีสอง ขอความช่วยเหลือด้วยค่ะ',
  'มีบ่อนการพนันเปิดทุกคืนหลังตลาดสด เสียงดังถึงตีสาม',
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];

function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Holds new user messages while closed (the Redis flush waits for a quiet intake). */
class Gate {
  private waiting: (() => void)[] = [];
  private closed = false;
  close() { this.closed = true; }
  open() { this.closed = false; for (const w of this.waiting.splice(0)) w(); }
  wait(): Promise<void> { return this.closed ? new Promise((r) => this.waiting.push(r)) : Promise.resolve(); }
}

/** Starts everything once, runs the phases one after the other on it, and stops everything. */
export async function runChaos(setup: ChaosSetup, phases: PhaseOptions[]): Promise<ChaosReport[]> {
  const opts = setup;
  const log = setup.log ?? ((s: string) => console.log(s));
  const start = Date.now();
  const startTimeoutMs = setup.startTimeoutMs ?? 60_000;

  const services: ChaosServices = await startChaosServices();
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(24).toString('base64url');
  const loginChannelId = '1234567890';
  const loginChannelSecret = 'chaos-login-secret';
  let sim: LineSimulator | undefined;
  let rt: Runtime | undefined;
  const apps: AppProcess[] = [];
  try {
    sim = await startLineSimulator({ channelSecret: secret, channelAccessToken: token, loginChannelId, loginChannelSecret });
    const dbName = 'rongrian_chaos';
    const webPort = await freePort();
    const env: Record<string, string> = {
      MONGODB_URI: `${services.mongoUri}/${dbName}`,
      // As the launcher does for npm start: the migration adds the indexes FerretDB/PostgreSQL can use.
      FERRETDB_POSTGRESQL_URL: services.postgresUrl,
      REDIS_URL: services.redisUrl,
      LINE_CHANNEL_SECRET: secret,
      LINE_CHANNEL_ACCESS_TOKEN: token,
      LINE_API_BASE_URL: sim.url,
      LINE_DATA_API_BASE_URL: sim.url,
      LINE_LOGIN_CHANNEL_ID: loginChannelId,
      LINE_LOGIN_CHANNEL_SECRET: loginChannelSecret,
      QUEUE_PREFIX: 'chaos',
      EVENT_SHARDS: String(opts.shards ?? 4),
      LOG_LEVEL: 'info',
      PORT: String(webPort),
      NODE_ENV: 'production',
      // Production refuses an open /metrics.
      METRICS_TOKEN: randomBytes(16).toString('hex'),
    };
    // The harness prepares the database once, before web and worker start: two processes creating
    // indexes at once on an empty FerretDB deadlock it (a separate item; not what is tested here).
    const previousPgUrl = process.env.FERRETDB_POSTGRESQL_URL;
    process.env.FERRETDB_POSTGRESQL_URL = services.postgresUrl;
    try {
      rt = await createRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
    } finally {
      if (previousPgUrl === undefined) delete process.env.FERRETDB_POSTGRESQL_URL;
      else process.env.FERRETDB_POSTGRESQL_URL = previousPgUrl;
    }
    // The harness's own connections see every Redis restart too: their errors are expected here.
    for (const c of [rt.queues.connection, rt.queues.intake]) c.on('error', () => undefined);
    for (const q of [...rt.queues.lineEvents, rt.queues.domainEvents, rt.queues.partnerWebhooks]) q.on('error', () => undefined);
    await prepareDatabase(rt);
    if (opts.prefill) await opts.prefill(rt, log);

    const officers = new Map<string, string>(); // unit → officer LINE user id
    for (const place of PLACES) {
      const unitCode = UNIT_OF[place];
      const u = sim.addUser({ displayName: `จนท. ${unitCode}`, language: 'th', role: 'officer' });
      await rt.models.Officer.create({ lineUserId: u.userId, unitCode, role: 'officer', name: `จนท. ${unitCode}` });
      officers.set(unitCode, u.userId);
    }

    const web = new AppProcess('web', env, services.dir);
    const worker = new AppProcess('worker', env, services.dir);
    apps.push(web, worker);
    await web.start(startTimeoutMs);
    await worker.start(startTimeoutMs);
    const webUrl = `http://127.0.0.1:${webPort}`;
    sim.setWebhookUrl(`${webUrl}/webhook`);
    log(`chaos: services up in ${((Date.now() - start) / 1000).toFixed(1)} s (Redis AOF ${services.redisUrl}, FerretDB/PostgreSQL ${services.mongoUri}, web ${webUrl})`);

    const s = sim;
    const r = rt;
    // Cards already handled in an earlier phase (officers keep their chats).
    const seenCards = new Set<string>();
    const reports: ChaosReport[] = [];
    for (const phase of phases) {
      const report = await runPhase(phase);
      log(report.text);
      reports.push(report);
    }
    return reports;

    async function runPhase(opts: PhaseOptions): Promise<ChaosReport> {
      const thinkMs = opts.thinkMs ?? [300, 1500];
      const replyTimeoutMs = opts.replyTimeoutMs ?? 90_000;
      const recoveryTimeoutMs = opts.recoveryTimeoutMs ?? 60_000;
      const faultGapMs = opts.faultGapMs ?? [2000, 5000];
      const downMs = opts.downMs ?? 1500;
      const settleMs = opts.settleMs ?? 45_000;
      const acceptShare = opts.acceptShare ?? 0.6;
      const closeShare = opts.closeShare ?? 0.5;
      const t0 = Date.now();
      // Load, faults and waits stop here, leaving the settle time and the checks inside the budget.
      const loadDeadline = opts.budgetSec ? t0 + opts.budgetSec * 1000 - settleMs - 20_000 : Number.POSITIVE_INFINITY;
      const cap = (ms: number) => Math.max(0, Math.min(ms, loadDeadline - Date.now()));
      const events: SentEvent[] = [];
      const gate = new Gate();
      let redeliveries = 0;

      // ------------------------------------------------------------------ sending, like LINE does
      /** Sends one event; a refused delivery (non-2xx, or no answer) is redelivered with backoff, as LINE does. */
      async function deliver(ev: SentEvent, body: object, giveUpMs = 180_000): Promise<boolean> {
        const until = Date.now() + cap(giveUpMs);
        let delay = 500;
        for (let attempt = 0; ; attempt++) {
          const payload = attempt ? { ...body, deliveryContext: { isRedelivery: true } } : body;
          if (attempt) redeliveries++;
          let status = 0;
          try { status = (await s.sendEvents([payload])).status; } catch { status = 0; }
          ev.statuses.push(status);
          if (status >= 200 && status < 300) { ev.acceptedAt = Date.now(); return true; }
          // A 4xx is the bot saying "never": LINE does not redeliver those.
          if (status >= 400 && status < 500) return false;
          if (Date.now() > until) return false;
          await sleep(delay);
          delay = Math.min(delay * 2, 5000);
        }
      }

      function userEvent(userId: string, label: string, content: object, expect?: RegExp): { ev: SentEvent; body: object } {
        const now = Date.now();
        const replyToken = randomBytes(16).toString('hex');
        const id = ulid(now);
        const body = { timestamp: now, mode: 'active', webhookEventId: id, deliveryContext: { isRedelivery: false }, source: { type: 'user', userId }, replyToken, ...content };
        const ev: SentEvent = { id, userId, replyToken, sentAt: now, expect, label, statuses: [] };
        events.push(ev);
        return { ev, body };
      }
      const textEvent = (userId: string, text: string, expect?: RegExp) =>
        userEvent(userId, `text:${text.slice(0, 12)}`, { type: 'message', message: { type: 'text', id: String(BigInt(Date.now()) * 1000n + BigInt(events.length)), quoteToken: randomBytes(24).toString('base64url'), text } }, expect);
      const postbackEvent = (userId: string, data: string, expect?: RegExp) => userEvent(userId, `postback:${data}`, { type: 'postback', postback: { data } }, expect);

      // ------------------------------------------------------------------ what the platform saw
      let reqCursor = 0;
      const replyAtByToken = new Map<string, number[]>();
      const replyTextByToken = new Map<string, string[]>();
      function indexReplies() {
        for (; reqCursor < s.requests.length; reqCursor++) {
          const q = s.requests[reqCursor];
          if (q.path !== '/v2/bot/message/reply' || q.status !== 200) continue;
          const b = q.body as { replyToken: string; messages: { type: string; text?: string; altText?: string }[] };
          const list = replyAtByToken.get(b.replyToken) ?? [];
          list.push(q.at);
          replyAtByToken.set(b.replyToken, list);
          replyTextByToken.set(b.replyToken, [...(replyTextByToken.get(b.replyToken) ?? []), b.messages.map((m) => m.text ?? m.altText ?? '').join('\n')]);
        }
      }
      /** Every delivery LINE made for this event: replies with its token, pushes with its retry key. */
      function answersOf(ev: SentEvent): { at: number; text: string }[] {
        indexReplies();
        const out: { at: number; text: string }[] = [];
        const ats = ev.replyToken ? replyAtByToken.get(ev.replyToken) ?? [] : [];
        const texts = ev.replyToken ? replyTextByToken.get(ev.replyToken) ?? [] : [];
        ats.forEach((at, i) => out.push({ at, text: texts[i] ?? '' }));
        const key = retryKeyFor(`reply:${ev.id}`);
        for (const m of s.messagesFor(ev.userId)) {
          if (m.via === 'push' && m.retryKey === key) out.push({ at: m.at, text: m.messages.map((x) => x.text ?? x.altText ?? '').join('\n') });
        }
        return out.sort((a, b) => a.at - b.at);
      }
      async function waitAnswered(ev: SentEvent, timeoutMs: number): Promise<boolean> {
        const until = Date.now() + timeoutMs;
        while (Date.now() < until) {
          if (answersOf(ev).length) return true;
          await sleep(100);
        }
        return false;
      }

      // ------------------------------------------------------------------ citizens
      interface Citizen { userId: string; place: string; confirm?: SentEvent; gaveUp?: string }
      const citizens: Citizen[] = [];
      async function say(c: Citizen, make: () => { ev: SentEvent; body: object }, waitFor = true): Promise<SentEvent | undefined> {
        await gate.wait();
        const { ev, body } = make();
        if (!(await deliver(ev, body))) { c.gaveUp = `LINE gave up delivering ${ev.label}`; return undefined; }
        if (waitFor && !(await waitAnswered(ev, cap(replyTimeoutMs)))) { c.gaveUp = `no answer to ${ev.label} within ${replyTimeoutMs / 1000} s`; return undefined; }
        return ev;
      }
      async function citizen(i: number): Promise<void> {
        await sleep(rand(0, opts.spreadSec * 1000));
        const place = PLACES[i % PLACES.length];
        const u = s.addUser({ displayName: `ผู้ร้อง ${i}`, language: 'th', role: 'citizen' });
        const c: Citizen = { userId: u.userId, place };
        citizens.push(c);
        const think = () => sleep(rand(thinkMs[0], thinkMs[1]));
        const id = u.userId;
        if (!(await say(c, () => textEvent(id, 'แจ้งเรื่องร้องเรียน', /ขั้นที่ 1\/6/)))) return;
        await think();
        if (!(await say(c, () => postbackEvent(id, `s=askingCategory&a=cat&v=${CATEGORIES[i % CATEGORIES.length]}`, /ขั้นที่ 2\/6/)))) return;
        await think();
        // Two messages typed back to back: the second must be answered after the first.
        const desc = await say(c, () => textEvent(id, `${pick(DESCRIPTIONS)} (ผู้ร้อง ${i})`, /ขั้นที่ 3\/6/), false);
        if (!desc) return;
        const prov = await say(c, () => textEvent(id, place, /อยู่อำเภอ\/เขตไหน/));
        if (!prov || !(await waitAnswered(desc, cap(replyTimeoutMs)))) { c.gaveUp ??= 'no answer to the description'; return; }
        await think();
        if (!(await say(c, () => textEvent(id, `เมือง${place}`, /ขั้นที่ 4\/6/)))) return;
        await think();
        if (!(await say(c, () => postbackEvent(id, 's=askingPhotos&a=done', /ขั้นที่ 5\/6/)))) return;
        await think();
        if (!(await say(c, () => postbackEvent(id, 's=askingConsent&a=yes', /ขั้นที่ 6\/6/)))) return;
        await think();
        c.confirm = await say(c, () => postbackEvent(id, 's=confirming&a=yes', /เลขรับเรื่อง: \d{4}-\d{6}/));
      }

      // ------------------------------------------------------------------ officers
      let citizensDone = false;
      const accepted = new Set<string>();
      const closed = new Set<string>();
      async function officer(unitCode: string, userId: string): Promise<void> {
        const seen = seenCards;
        const work: Promise<void>[] = [];
        for (let last = false; !last; ) {
          last = citizensDone;
          for (const m of s.messagesFor(userId)) {
            for (const msg of m.messages) {
              const data = msg.type === 'flex' ? /a=accept&c=([0-9a-f]{24})/.exec(JSON.stringify(msg.contents))?.[1] : undefined;
              if (!data || seen.has(data)) continue;
              seen.add(data);
              work.push(handleCard(userId, data));
            }
          }
          await sleep(250);
        }
        await Promise.all(work);
        void unitCode;
      }
      async function handleCard(userId: string, caseId: string): Promise<void> {
        if (Math.random() >= acceptShare) return;
        await sleep(rand(500, 3000));
        const { ev, body } = postbackEvent(userId, `a=accept&c=${caseId}`, /ท่านรับเรื่อง .* แล้ว/);
        if (!(await deliver(ev, body)) || !(await waitAnswered(ev, cap(replyTimeoutMs)))) return;
        accepted.add(caseId);
        if (Math.random() >= closeShare) return;
        await sleep(rand(500, 3000));
        // The officer's LIFF page: retried on 5xx or no answer, as a person pressing again would.
        const until = Date.now() + cap(120_000);
        while (Date.now() < until) {
          try {
            const res = await fetch(`${webUrl}/liff/api/officer/cases/${caseId}/close`, {
              method: 'POST',
              headers: { authorization: `Bearer ${s.issueIdToken(userId)}`, 'content-type': 'application/json' },
              body: JSON.stringify({ summary: 'ตรวจสอบแล้ว ประสานหน่วยงานแก้ไขเรียบร้อย' }),
              signal: AbortSignal.timeout(20_000),
            });
            await res.text();
            if (res.ok || res.status === 409) { closed.add(caseId); return; }
            if (res.status < 500) return;
          } catch { /* no answer: press again */ }
          await sleep(2000);
        }
      }

      // ------------------------------------------------------------------ faults
      const probe = s.addUser({ displayName: 'ผู้ตรวจระบบ', language: 'th', role: 'citizen' });
      const faults: FaultRecord[] = [];
      const poisonEvents: SentEvent[] = [];
      /** Time until a simple question gets its answer (the probe is an idle citizen asking for their cases). */
      async function recovered(): Promise<number | undefined> {
        const from = Date.now();
        const limit = cap(recoveryTimeoutMs);
        const { ev, body } = textEvent(probe.userId, 'ติดตามเรื่อง', /ยังไม่มีเรื่อง|เรื่องที่แจ้ง/);
        if (!(await deliver(ev, body, limit))) return undefined;
        const left = limit - (Date.now() - from);
        return left > 0 && (await waitAnswered(ev, left)) ? Date.now() - from : undefined;
      }
      async function lineEventsIdle(): Promise<boolean> {
        const stream = await r.queues.connection.xlen(intakeStreamKey('chaos')).catch(() => -1);
        if (stream !== 0) return false;
        const counts = await Promise.all(r.queues.lineEvents.map((q) => q.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized').catch(() => -1)));
        return counts.every((n) => n === 0);
      }
      function injectLine(status: 429 | 500): string {
        const count = Math.max(10, Math.round(opts.citizens / 2));
        s.injectFaults({ status, count, ...(status === 429 ? { retryAfterSec: 2 } : {}) });
        return `next ${count} message sends answered ${status}${status === 429 ? ' (Retry-After: 2)' : ''}`;
      }
      async function injectFault(kind: FaultKind): Promise<FaultRecord> {
        const atSec = Math.round((Date.now() - t0) / 100) / 10;
        let note = '';
        let down: number | undefined;
        switch (kind) {
          case 'worker': {
            await worker.kill9();
            const at = Date.now();
            await sleep(downMs);
            await worker.start(startTimeoutMs).catch((err) => { note = `restart failed: ${(err as Error).message.slice(0, 120)}`; });
            down = Date.now() - at;
            break;
          }
          case 'ferret':
          case 'redis': {
            const { downAt, upAt } = await services.restart(kind, downMs);
            down = upAt - downAt;
            break;
          }
          case 'flush': {
            // Waits for a quiet intake: an event accepted and then flushed away before the worker saw it
            // is unrecoverable by any design (LINE does not redeliver a 200), so that is not what is tested.
            gate.close();
            const until = Date.now() + 60_000;
            while (Date.now() < until && !(await lineEventsIdle())) await sleep(200);
            const idle = await lineEventsIdle();
            const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 3 });
            await redis.flushall();
            redis.disconnect();
            gate.open();
            note = idle ? 'FLUSHALL with webhook intake idle' : 'FLUSHALL with webhook events still queued (intake never went idle)';
            break;
          }
          case 'poison': {
            const now = Date.now();
            const bad = [
              { type: 'message', message: { type: 'text', id: '1', quoteToken: 'q', text: 'hello group' }, source: { type: 'group', userId: probe.userId } },
              { type: 'join', source: { type: 'room' } },
            ];
            const statuses: number[] = [];
            for (const b of bad) {
              const id = ulid(now);
              const body = { ...b, timestamp: now, mode: 'active', webhookEventId: id, deliveryContext: { isRedelivery: false }, replyToken: randomBytes(16).toString('hex') };
              const ev: SentEvent = { id, userId: probe.userId, sentAt: now, label: `poison:${b.type}/${b.source.type}`, statuses: [], poison: true };
              events.push(ev);
              poisonEvents.push(ev);
              let status = 0;
              try { status = (await s.sendEvents([body])).status; } catch { status = 0; }
              ev.statuses.push(status);
              if (status >= 200 && status < 300) ev.acceptedAt = Date.now();
              statuses.push(status);
            }
            note = `group event without groupId, room event without roomId: webhook answered ${statuses.join(', ')}`;
            break;
          }
          case 'line429': note = injectLine(429); break;
          case 'line500': note = injectLine(500); break;
        }
        const rec: FaultRecord = { kind, atSec, downMs: down, note };
        rec.recoveryMs = await recovered();
        log(`chaos: ${kind} at ${atSec} s${down ? `, down ${down} ms` : ''}${note ? ` (${note})` : ''} → ${rec.recoveryMs !== undefined ? `serving again after ${rec.recoveryMs} ms` : 'NOT serving again'}`);
        return rec;
      }
      async function faultRunner(): Promise<void> {
        const order = [...opts.faults].sort(() => Math.random() - 0.5);
        for (const kind of order) {
          await sleep(rand(faultGapMs[0], faultGapMs[1]));
          if (cap(10_000) < 10_000) { log(`chaos: no time left to inject ${kind}`); continue; }
          faults.push(await injectFault(kind));
        }
      }

      // ------------------------------------------------------------------ run
      log(`chaos (${opts.name}): ${opts.citizens} citizens over ${opts.spreadSec} s, faults: ${opts.faults.join(', ') || 'none'}`);
      const citizenRuns = Promise.all(Array.from({ length: opts.citizens }, (_, i) => citizen(i)));
      const officerRuns = Promise.all([...officers].map(([unit, id]) => officer(unit, id)));
      const faultRun = faultRunner();
      await citizenRuns;
      await faultRun;
      citizensDone = true;
      await officerRuns;
      const loadEnd = Date.now();
      // The latencies first: on a large database the checks below take minutes.
      const early = events.filter((e) => !e.poison && e.acceptedAt !== undefined).map((e) => { const a = answersOf(e); return a.length ? a[0].at - e.sentAt : undefined; }).filter((x): x is number => x !== undefined);
      log(`chaos: conversations done after ${((loadEnd - t0) / 1000).toFixed(1)} s; reply latency so far p50 ${Math.round(percentile(early, 50))} ms, p99 ${Math.round(percentile(early, 99))} ms (${early.length} answers); settling`);

      // Let queued notifications and outbox sweeps finish before judging.
      const settleUntil = Date.now() + (opts.budgetSec ? Math.min(settleMs, t0 + opts.budgetSec * 1000 - 20_000 - Date.now()) : settleMs);
      while (Date.now() < settleUntil) {
        const busy = await Promise.all([r.queues.domainEvents, ...r.queues.lineEvents].map((q) => q.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized').catch(() => 1)));
        // The outbox count is a scan of every case on FerretDB: only once the queues are quiet.
        if (busy.every((n) => n === 0) && (await lineEventsIdle()) && (await r.models.Case.countDocuments({ 'pendingEvents.0': { $exists: true } }).catch(() => 1)) === 0) break;
        await sleep(1000);
      }
      await sleep(1000);

      // ------------------------------------------------------------------ checks
      const checks: Check[] = [];
      const chatEvents = events.filter((e) => !e.poison);
      const acceptedEvents = chatEvents.filter((e) => e.acceptedAt !== undefined);
      let lost = 0;
      let duplicates = 0;
      let wrong = 0;
      const dupLabels: string[] = [];
      const lostLabels: string[] = [];
      const wrongLabels: string[] = [];
      const replyLatency: number[] = [];
      const firstAnswer = new Map<string, number>();
      for (const e of acceptedEvents) {
        const a = answersOf(e);
        if (!a.length) { lost++; if (lostLabels.length < 5) lostLabels.push(`${e.label} (${new Date(e.sentAt).toISOString().slice(11, 19)})`); continue; }
        if (a.length > 1) { duplicates += a.length - 1; if (dupLabels.length < 5) dupLabels.push(`${e.label} → ${a.map((x) => JSON.stringify(x.text.slice(0, 30))).join(' + ')}`); }
        firstAnswer.set(e.id, a[0].at);
        replyLatency.push(a[0].at - e.sentAt);
        if (e.expect && !e.expect.test(a[0].text)) { wrong++; if (wrongLabels.length < 5) wrongLabels.push(`${e.label} → ${JSON.stringify(a[0].text.slice(0, 40))}`); }
      }
      let outOfOrder = 0;
      const byChat = new Map<string, SentEvent[]>();
      for (const e of acceptedEvents) byChat.set(e.userId, [...(byChat.get(e.userId) ?? []), e]);
      for (const list of byChat.values()) {
        let last = 0;
        for (const e of list.sort((a, b) => a.sentAt - b.sentAt)) {
          const at = firstAnswer.get(e.id);
          if (at === undefined) continue;
          if (at < last) outOfOrder++;
          last = Math.max(last, at);
        }
      }
      checks.push({ name: 'every accepted event answered', ok: lost === 0, detail: `${lost} of ${acceptedEvents.length} accepted events never answered${lostLabels.length ? `: ${lostLabels.join('; ')}` : ''}` });
      checks.push({ name: 'no event answered twice', ok: duplicates === 0, detail: `${duplicates} extra answers${dupLabels.length ? `: ${dupLabels.join('; ')}` : ''}` });
      checks.push({ name: 'answers in order per chat', ok: outOfOrder === 0, detail: `${outOfOrder} answers came before the answer to an earlier message of the same chat` });
      checks.push({ name: 'each answer is the next step', ok: wrong === 0, detail: `${wrong} answers were not the expected question${wrongLabels.length ? `: ${wrongLabels.join('; ')}` : ''}` });

      // Filed complaints: one case, one tracking number message, one officer alert each.
      const filers = citizens.filter((c) => c.confirm);
      let caseProblems = 0;
      let trackingProblems = 0;
      let alertProblems = 0;
      const problems: string[] = [];
      const alertLatency: number[] = [];
      const stranded = citizens.filter((c) => !c.confirm);
      // One read for all of them: any filter but `_id` is a scan of every case on FerretDB.
      const allCases = await r.models.Case.find({ 'complainant.lineUserId': { $in: citizens.map((c) => c.userId) } }, { trackingNo: 1, unitCode: 1, createdAt: 1, status: 1, assignee: 1, complainant: 1 }).lean();
      for (const c of citizens) {
        const cases = allCases.filter((k) => k.complainant?.lineUserId === c.userId);
        if (!c.confirm) {
          if (cases.length) { caseProblems++; problems.push(`${c.userId.slice(0, 8)}: ${cases.length} case(s) without a confirmed filing`); }
          continue;
        }
        if (cases.length !== 1) { caseProblems++; problems.push(`${c.userId.slice(0, 8)}: ${cases.length} cases`); continue; }
        const k = cases[0];
        const texts = s.messagesFor(c.userId).flatMap((m) => m.messages.map((x) => String(x.text ?? '')));
        const told = texts.filter((t) => t.includes(`เลขรับเรื่อง: ${k.trackingNo}`)).length;
        if (told !== 1) { trackingProblems++; problems.push(`${k.trackingNo}: tracking number sent ${told} times`); }
        const officerId = officers.get(k.unitCode);
        const alerts = officerId ? s.messagesFor(officerId).filter((m) => m.via === 'multicast' && m.messages.some((x) => x.type === 'flex' && String(x.altText).includes(k.trackingNo))) : [];
        if (alerts.length !== 1) { alertProblems++; problems.push(`${k.trackingNo}: ${alerts.length} officer alerts`); }
        if (alerts.length) alertLatency.push(alerts[0].at - new Date(k.createdAt as Date).getTime());
        const assignedNotices = texts.filter((t) => t.includes(`เรื่องเลขที่ ${k.trackingNo}: เจ้าหน้าที่รับเรื่อง`)).length;
        if (k.assignee?.officerId && assignedNotices !== 1) { alertProblems++; problems.push(`${k.trackingNo}: citizen told of the assignment ${assignedNotices} times`); }
      }
      checks.push({ name: 'one case per filed complaint', ok: caseProblems === 0, detail: `${filers.length} filed, ${caseProblems} with ≠ 1 case` });
      checks.push({ name: 'one tracking number message each', ok: trackingProblems === 0, detail: `${trackingProblems} wrong` });
      checks.push({ name: 'officer alert and assignment notice once each', ok: alertProblems === 0, detail: `${alertProblems} wrong${problems.length ? `: ${problems.slice(0, 5).join('; ')}` : ''}` });
      checks.push({ name: 'every citizen finished', ok: stranded.length === 0, detail: `${stranded.length} of ${citizens.length} did not get to a tracking number${stranded.length ? `: ${[...new Set(stranded.map((c) => c.gaveUp ?? '?'))].slice(0, 3).join('; ')}` : ''}` });

      const pendingOutboxes = await r.models.Case.countDocuments({ 'pendingEvents.0': { $exists: true } });
      checks.push({ name: 'no case outbox left behind', ok: pendingOutboxes === 0, detail: `${pendingOutboxes} cases still have pendingEvents` });
      const unsentTurns = await r.models.Conversation.countDocuments({ outbox: { $ne: null } });
      checks.push({ name: 'no chat turn left unsent', ok: unsentTurns === 0, detail: `${unsentTurns} conversations still hold unsent replies` });

      if (!opts.skipVerify) {
        const v = await verifyCounters(r.models);
        checks.push({ name: 'report counters = recount', ok: v.mismatches.length === 0, detail: `${v.mismatches.length} mismatches over ${v.cases} cases (${v.ms} ms)` });
      }

      // Dead letters: failed jobs (and any dead-letter collection) with a reason, and a log line naming them.
      const logs = apps.flatMap((a) => a.lines);
      const dead: { id: string; raw: string; reason: string }[] = [];
      for (const q of [...r.queues.lineEvents, r.queues.domainEvents, r.queues.partnerWebhooks]) {
        for (const j of await q.getFailed(0, -1)) dead.push({ id: String(j.id), raw: JSON.stringify({ id: j.id, data: j.data }), reason: j.failedReason ?? '' });
      }
      const collections = (await r.models.conn.db!.listCollections().toArray()).map((c) => c.name).filter((n) => /dead/i.test(n));
      for (const name of collections) {
        for (const d of await r.models.conn.db!.collection(name).find({}).toArray()) {
          const doc = d as Record<string, unknown>;
          dead.push({ id: String(doc.eventId ?? doc.jobId ?? doc._id), raw: JSON.stringify(doc), reason: String(doc.reason ?? doc.error ?? doc.failedReason ?? '') });
        }
      }
      // A store may prefix its ids (`line:<webhookEventId>`); the log line names the event either way.
      const unlogged = dead.filter((d) => !d.reason || !logs.some((l) => l.includes(d.id) || l.includes(d.id.replace(/^[a-z-]+:/, ''))));
      checks.push({ name: 'every dead letter has a logged reason', ok: unlogged.length === 0, detail: `${dead.length} dead-lettered, ${unlogged.length} without a reason or a log line naming it${collections.length ? ` (collections: ${collections.join(', ')})` : ''}` });
      const poisonAccepted = poisonEvents.filter((e) => e.acceptedAt !== undefined);
      const poisonUnaccounted = poisonAccepted.filter((e) => !dead.some((d) => d.raw.includes(e.id)));
      if (poisonEvents.length) {
        checks.push({ name: 'poison events refused or dead-lettered', ok: poisonUnaccounted.length === 0, detail: `${poisonEvents.length} sent, ${poisonEvents.length - poisonAccepted.length} refused by the webhook, ${poisonAccepted.length - poisonUnaccounted.length} dead-lettered, ${poisonUnaccounted.length} neither` });
      }

      const notRecovered = faults.filter((f) => (f.recoveryMs === undefined || f.recoveryMs > 30_000));
      if (faults.length) checks.push({ name: 'serving again ≤ 30 s after each fault', ok: notRecovered.length === 0, detail: notRecovered.length ? `${notRecovered.map((f) => `${f.kind}: ${f.recoveryMs === undefined ? 'never' : `${f.recoveryMs} ms`}`).join(', ')}` : 'all recovered' });

      // ------------------------------------------------------------------ report
      const reply = { p50: percentile(replyLatency, 50), p99: percentile(replyLatency, 99), n: replyLatency.length };
      const alert = { p50: percentile(alertLatency, 50), p99: percentile(alertLatency, 99), n: alertLatency.length };
      const report: ChaosReport = {
        citizens: citizens.length,
        filed: filers.length,
        events: { sent: chatEvents.length, accepted: acceptedEvents.length, refusedByWebhook: chatEvents.length - acceptedEvents.length, redeliveries },
        faults, replyMs: reply, alertMs: alert, lost, duplicates, checks,
        wallSec: Math.round((Date.now() - t0) / 100) / 10,
        text: '',
      };
      const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n).toLocaleString('en-US')} ms` : '-');
      const lines = [
        `chaos (${opts.name}) — ${report.citizens} citizens (${report.filed} filed), ${opts.faults.length ? opts.faults.join(', ') : 'no faults'}, ${report.wallSec} s`,
        `events                 ${report.events.sent} sent, ${report.events.accepted} accepted, ${report.events.refusedByWebhook} never accepted, ${redeliveries} redeliveries`,
        `officers               ${accepted.size} cases accepted, ${closed.size} closed`,
        `faults injected        ${faults.length}${faults.map((f) => `\n  ${f.kind.padEnd(8)} at ${String(f.atSec).padStart(6)} s${f.downMs ? `, down ${f.downMs} ms` : ''}: ${f.recoveryMs !== undefined ? `serving again after ${ms(f.recoveryMs)}` : 'NOT serving again'}${f.note ? ` — ${f.note}` : ''}`).join('')}`,
        `reply latency          p50 ${ms(reply.p50)}, p99 ${ms(reply.p99)} (${reply.n} answers; webhook event → LINE reply/push)`,
        `alert latency          p50 ${ms(alert.p50)}, p99 ${ms(alert.p99)} (${alert.n} alerts; case created → alert multicast)`,
        `lost                   ${lost}`,
        `duplicates             ${duplicates}`,
        ...checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`),
      ];
      report.text = lines.join('\n');
      return report;
    }
  } finally {
    for (const a of apps) await a.close().catch(() => undefined);
    await rt?.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    await services.stop().catch(() => undefined);
  }
}

export function faultsFromEnv(raw: string | undefined, dflt: readonly FaultKind[] = FAULT_KINDS): FaultKind[] {
  if (raw === undefined || raw.trim() === '' || raw === 'all') return [...dflt];
  if (raw === 'none') return [];
  const list = raw.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = list.filter((x) => !(FAULT_KINDS as readonly string[]).includes(x));
  if (bad.length) throw new Error(`unknown fault kind(s) ${bad.join(', ')}; known: ${FAULT_KINDS.join(', ')}, all, none`);
  return list as FaultKind[];
}
