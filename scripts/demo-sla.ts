/**
 * `npm run demo:sla`: the SLA clock and a supervisor's กระตุ้น, end to end, on throwaway services.
 * The real web app, workers and LINE simulator run with a fake clock; a citizen files a complaint in
 * the chat, the clock jumps through reminder → nudge → escalation (each SLA run goes through the real
 * SLA queue and worker), a province head asks for หน่วยงานล่าช้า and presses กระตุ้น. Prints who got
 * what, and when (Bangkok time, Buddhist era).
 */
import { randomBytes } from 'node:crypto';
import { createRuntime, prepareDatabase, startWeb, startWorker } from '../app/runtime.ts';
import { loadConfig } from '../shared/config.ts';
import { startLocalServices } from '../shared/infra/launcher.ts';
import { formatDateTime } from '../shared/thaiDate.ts';
import { startLineSimulator, ulid, type SimUser } from '../simulator/server.ts';
import { createSlaQueue } from '../workers/sla/worker.ts';

const bkk = (local: string): Date => new Date(`${local}:00+07:00`);
const clock = { t: bkk('2026-03-09T09:00'), now() { return new Date(this.t); } };
const started = Date.now();
const out: string[] = [];
const print = (line = '') => { out.push(line); console.log(line); };

const services = await startLocalServices();
const secret = randomBytes(16).toString('hex');
const token = randomBytes(24).toString('base64url');
const sim = await startLineSimulator({ channelSecret: secret, channelAccessToken: token, now: () => clock.now().getTime() });
const config = loadConfig({
  MONGODB_URI: services.mongoUri, REDIS_URL: services.redisUrl,
  LINE_CHANNEL_SECRET: secret, LINE_CHANNEL_ACCESS_TOKEN: token, LINE_API_BASE_URL: sim.url, LINE_DATA_API_BASE_URL: sim.url,
  QUEUE_PREFIX: 'demo', LOG_LEVEL: 'silent', PORT: '0',
});
const rt = await createRuntime(config, { clock, dbName: 'rongrian_demo_sla' });
await rt.models.conn.dropDatabase();
await prepareDatabase(rt);
const web = await startWeb(rt, 0, '127.0.0.1');
sim.setWebhookUrl(`${web.url}/webhook`);
const workers = await startWorker(rt);
const slaQueue = createSlaQueue(rt.queues.connection, config.QUEUE_PREFIX);

// ---------------------------------------------------------------- people
const names = new Map<string, string>();
async function person(displayName: string, label: string, officer?: { unitCode: string; role: 'officer' | 'head' | 'executive' }): Promise<SimUser> {
  const u = sim.addUser({ displayName, language: 'th' });
  names.set(u.userId, label);
  if (officer) await rt.models.Officer.create({ lineUserId: u.userId, unitCode: officer.unitCode, role: officer.role, name: displayName });
  return u;
}
const citizen = await person('สมชาย ใจดี', 'ผู้ร้อง สมชาย');
const officer = await person('นางสาวพิมพ์ เจ้าหน้าที่', 'จนท. อ.เมืองเชียงใหม่', { unitCode: '5001', role: 'officer' });
const head = await person('นายเอก หัวหน้าศูนย์', 'หัวหน้า อ.เมืองเชียงใหม่', { unitCode: '5001', role: 'head' });
const provinceHead = await person('นายวิทย์ รองผู้ว่าฯ', 'หัวหน้า จ.เชียงใหม่', { unitCode: '50', role: 'head' });
const groupId = `C${randomBytes(16).toString('hex')}`;
names.set(groupId, 'กลุ่ม LINE ศูนย์ดำรงธรรม อ.เมือง');

// ---------------------------------------------------------------- transcript
const seen = new Map<string, number>();
function render(m: any): string {
  if (m.type === 'text') return m.text;
  if (m.type === 'flex') {
    const bubbles = m.contents.type === 'carousel' ? m.contents.contents : [m.contents];
    const lines = bubbles.map((b: any) => {
      const texts = [...(b.header?.contents ?? []), ...(b.body?.contents ?? [])].filter((c: any) => c.type === 'text').map((c: any) => c.text);
      const buttons = (b.footer?.contents ?? []).filter((c: any) => c.type === 'button').map((c: any) => `[${c.action.label}]`);
      return `  ▸ ${[...texts.slice(0, 4), ...buttons].join(' · ')}`;
    });
    return `[Flex] ${m.altText}\n${lines.join('\n')}`;
  }
  return `[${m.type}]`;
}
function flush(): void {
  const fresh: { at: number; to: string; via: string; m: any }[] = [];
  for (const id of names.keys()) {
    const all = sim.messagesFor(id);
    for (const r of all.slice(seen.get(id) ?? 0)) for (const m of r.messages) fresh.push({ at: r.at, to: id, via: r.via, m });
    seen.set(id, all.length);
  }
  for (const f of fresh) {
    const body = render(f.m).split('\n');
    print(`${formatDateTime(new Date(f.at))}  → ${names.get(f.to)} (${f.via})`);
    for (const l of body) print(`      ${l}`);
  }
}
const act = (who: string, what: string) => print(`${formatDateTime(clock.now())}  ${who}: ${what}`);
const scene = (title: string) => { flush(); print(''); print(`── ${title} ──`); };

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await cond()) return; await new Promise((r) => setTimeout(r, 25)); }
  throw new Error(`demo: timed out waiting for ${what}`);
}
async function send(u: SimUser, label: string, doIt: () => Promise<unknown>, show: string, replies = 1): Promise<any> {
  act(label, show);
  const before = sim.messagesFor(u.userId).length;
  await doIt();
  await waitFor(() => sim.messagesFor(u.userId).length >= before + replies, `a reply to ${label}`);
  const last = sim.messagesFor(u.userId).at(-1)!;
  flush();
  return last.messages.at(-1);
}
const quick = (m: any, label: string) => m.quickReply.items.find((i: any) => i.action.label === label).action.data;
/** Moves the clock and has the SLA worker do one run (queued like the wake-ups queue them). */
async function slaRunAt(local: string, title: string): Promise<void> {
  clock.t = bkk(local);
  scene(title);
  // Kept once done (the worker drops finished jobs that say nothing, like the wake-ups), so its state can be read.
  const job = await slaQueue.add('run', {}, { jobId: `demo-run-${clock.t.getTime()}`, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } });
  await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 'the SLA run');
  flush();
}

// ---------------------------------------------------------------- the story
try {
  print('Rongrian SLA demo (fake clock; real app, workers, LINE simulator, throwaway Redis + ' + services.describe.mongo + ')');
  scene('อำเภอเมืองเชียงใหม่ links its LINE group');
  act('หัวหน้า อ.เมืองเชียงใหม่', '(invites the bot to the unit group)');
  await sim.sendEvents([{ type: 'join', timestamp: clock.now().getTime(), mode: 'active', webhookEventId: ulid(Date.now()), deliveryContext: { isRedelivery: false }, source: { type: 'group', groupId }, replyToken: randomBytes(16).toString('hex') }]);
  await waitFor(() => sim.messagesFor(groupId).length >= 1, 'the join greeting');
  const codeMsg = await send(head, 'หัวหน้า อ.เมืองเชียงใหม่', () => sim.sendText(head.userId, 'ขอรหัสเชื่อมกลุ่ม'), 'ขอรหัสเชื่อมกลุ่ม');
  const code = /([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(codeMsg.text)![1];
  act('หัวหน้า อ.เมืองเชียงใหม่ (in the group)', `เชื่อมกลุ่ม ${code}`);
  await sim.sendEvents([{ type: 'message', timestamp: clock.now().getTime(), mode: 'active', webhookEventId: ulid(Date.now()), deliveryContext: { isRedelivery: false }, source: { type: 'group', groupId, userId: head.userId }, replyToken: randomBytes(16).toString('hex'), message: { type: 'text', id: '1', quoteToken: 'q', text: `เชื่อมกลุ่ม ${code}` } }]);
  await waitFor(() => sim.messagesFor(groupId).length >= 2, 'the link confirmation');

  scene('A citizen files a complaint in the chat (Mon 9 Mar 2569, 09:00)');
  let m = await send(citizen, 'ผู้ร้อง', () => sim.sendText(citizen.userId, 'แจ้งเรื่อง'), 'แจ้งเรื่อง');
  m = await send(citizen, 'ผู้ร้อง', () => sim.sendText(citizen.userId, '1'), '1');
  m = await send(citizen, 'ผู้ร้อง', () => sim.sendText(citizen.userId, 'ไฟฟ้าส่องสว่างในซอยดับมา 2 สัปดาห์ มืดและอันตรายตอนกลางคืน'), 'ไฟฟ้าส่องสว่างในซอยดับมา 2 สัปดาห์ …');
  m = await send(citizen, 'ผู้ร้อง', () => sim.sendText(citizen.userId, 'เชียงใหม่'), 'เชียงใหม่');
  m = await send(citizen, 'ผู้ร้อง', () => sim.sendText(citizen.userId, 'เมืองเชียงใหม่'), 'เมืองเชียงใหม่');
  m = await send(citizen, 'ผู้ร้อง', () => sim.sendText(citizen.userId, 'ไม่มีรูป'), 'ไม่มีรูป');
  m = await send(citizen, 'ผู้ร้อง', () => sim.sendPostback(citizen.userId, quick(m, 'ยินยอม')), '[ยินยอม]');
  m = await send(citizen, 'ผู้ร้อง', () => sim.sendPostback(citizen.userId, quick(m, 'ยืนยันส่งเรื่อง')), '[ยืนยันส่งเรื่อง]');
  await waitFor(() => sim.messagesFor(officer.userId).length >= 1, 'the officer alert');
  // `createdAt` comes from mongoose's timestamps, i.e. the real clock, not the demo's: pin the receipt
  // time to the fake one so the SLA windows start when the story says (in production both are now).
  await rt.models.Case.updateOne({ trackingNo: /เลขรับเรื่อง: (\S+)/.exec(m.text)![1] }, { $set: { receivedAt: clock.now() } });

  await slaRunAt('2026-03-09T13:00', 'Mon 13:00 — half of the 1-working-day LINE acknowledgement target: reminder (เตือน)');
  await slaRunAt('2026-03-10T09:00', 'Tue 09:00 — nobody took it: overdue, nudge (กระตุ้น) officer + head, apology to the citizen');
  await slaRunAt('2026-03-12T09:00', 'Thu 09:00 — 2 working days overdue: escalated to the province centre');

  clock.t = bkk('2026-03-12T10:15');
  scene('Thu 10:15 — the province head asks for late units and nudges');
  const card = (await (async () => {
    act('หัวหน้า จ.เชียงใหม่', 'หน่วยงานล่าช้า');
    const before = sim.messagesFor(provinceHead.userId).length;
    await sim.sendText(provinceHead.userId, 'หน่วยงานล่าช้า');
    await waitFor(() => sim.messagesFor(provinceHead.userId).length > before, 'the late-units card');
    flush();
    return sim.messagesFor(provinceHead.userId).at(-1)!.messages.find((x: any) => x.type === 'flex');
  })());
  const bubble = card.contents.type === 'carousel' ? card.contents.contents[0] : card.contents;
  await send(provinceHead, 'หัวหน้า จ.เชียงใหม่', () => sim.sendPostback(provinceHead.userId, bubble.footer.contents[0].action.data), `[กระตุ้น] ${bubble.header.contents[1].text}`);
  await waitFor(() => sim.messagesFor(officer.userId).at(-1)!.messages.some((x: any) => String(x.text ?? '').includes('มีเรื่องเกินกำหนด')), 'the nudge');
  clock.t = bkk('2026-03-12T11:00');
  await send(provinceHead, 'หัวหน้า จ.เชียงใหม่', () => sim.sendPostback(provinceHead.userId, bubble.footer.contents[0].action.data), '[กระตุ้น] again, 45 minutes later');
  flush();
  print('');
  print(`(demo took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  await slaQueue.close();
  await workers.close();
  await web.close();
  await rt.models.conn.dropDatabase().catch(() => undefined);
  await rt.close();
  await sim.close();
  await services.stop();
}
