/**
 * Hot paths stay O(1) in the size of the database: every query the chat, the officer alert, the
 * LIFF API and the officer commands send to a collection that grows with use must be one an index
 * answers, on MongoDB and on FerretDB alike. Real journeys run against the real stack while the
 * mongoose connection's debug hook records every collection call; each recorded filter is then
 * checked against the indexes the schemas declare.
 *
 * What "an index answers" means here, the same for both engines:
 * - the filter has an equality on a scalar (string, number, boolean, ObjectId, Date; or `$eq`) for
 *   `_id` or for the leading field of a declared index. MongoDB uses its B-tree; FerretDB on
 *   PostgreSQL pushes exactly such equalities down to SQL (`_jsonb -> 'f' @> value`), where the GIN
 *   companions of shared/store/ferretPostgres.ts answer them. Ranges, `$in`, `$or`, `$exists`,
 *   `$regex` are not pushed down by FerretDB v1: alone, they read the whole collection.
 * - the field is not dotted, except in `distinct`: FerretDB drops dotted fields from what it hands
 *   its storage for find/aggregate/count, which then reads every document.
 * - conversations (written on every chat turn) are read and written by `_id` alone: on FerretDB's
 *   SQLite storage that is the only filter with an index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { PDPA_NOTICE_VERSION } from '../shared/pdpa.ts';
import { reportCounterModel } from '../shared/reports/counters.ts';
import { converse, drained, quickPostback, startStack, type Stack } from './helpers/stack.ts';

const PNG = readFileSync(new URL('./fixtures/photo-8x8.png', import.meta.url));

/** Collections that grow with citizens, cases and officers (units and small settings do not). */
const GROWING = new Set(['cases', 'related_open', 'conversations', 'audit', 'case_claims', 'report_counters', 'officers', 'officerinvites', 'attachments.files', 'attachments.chunks']);
/** Methods that carry no filter, or carry one we do not check (writes of new documents). */
const NO_FILTER = new Set(['insertOne', 'insertMany', 'createIndex', 'createIndexes', 'listIndexes', 'estimatedDocumentCount', 'bulkWrite', 'watch', 'drop']);

interface Call { collection: string; method: string; filter: Record<string, unknown> }

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date
  || (typeof v === 'object' && v !== null && (v as { _bsontype?: string })._bsontype === 'ObjectId');

function equalityOf(v: unknown): boolean {
  if (isScalar(v)) return true;
  return typeof v === 'object' && v !== null && Object.keys(v).length === 1 && '$eq' in v && isScalar((v as { $eq: unknown }).$eq);
}

/** The field an index serves this filter by, or undefined when the filter reads the whole collection. */
export function indexedField(call: Call, leading: Set<string>): string | undefined {
  for (const [k, v] of Object.entries(call.filter)) {
    if (k.startsWith('$')) continue;
    if (k.includes('.') && call.method !== 'distinct') continue;
    if (!equalityOf(v)) continue;
    if (k === '_id' || leading.has(k)) return k;
  }
  return undefined;
}

function filterOf(method: string, args: unknown[]): Record<string, unknown> | undefined {
  if (NO_FILTER.has(method)) return undefined;
  if (method === 'distinct') return (args[1] ?? {}) as Record<string, unknown>;
  if (method === 'aggregate') {
    const first = (args[0] as Record<string, unknown>[] | undefined)?.[0];
    return (first?.$match ?? {}) as Record<string, unknown>;
  }
  return (args[0] ?? {}) as Record<string, unknown>;
}

let stack: Stack;
const calls: Call[] = [];
let recording = false;
const leadingFields = new Map<string, Set<string>>();

beforeAll(async () => {
  stack = await startStack();
  const { conn } = stack.rt.models;
  reportCounterModel(stack.rt.models);
  for (const m of Object.values(conn.models) as Model<unknown>[]) {
    leadingFields.set(m.collection.collectionName, new Set(m.schema.indexes().map(([keys]) => Object.keys(keys)[0]!)));
  }
  // GridFS's own indexes (the driver creates them with the first upload).
  leadingFields.set('attachments.files', new Set(['filename']));
  leadingFields.set('attachments.chunks', new Set(['files_id']));
  conn.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    if (!recording || !GROWING.has(collection)) return;
    const filter = filterOf(method, args);
    if (filter) calls.push({ collection, method, filter });
  });
});
afterAll(async () => { await stack?.close(); });

function offending(): string[] {
  return calls.flatMap((c) => {
    const show = `${c.collection}.${c.method}(${JSON.stringify(c.filter)})`;
    if (c.collection === 'conversations') return Object.keys(c.filter).join() === '_id' && isScalar(c.filter._id) ? [] : [`${show}: not by _id alone`];
    return indexedField(c, leadingFields.get(c.collection) ?? new Set()) ? [] : [`${show}: no index answers it`];
  });
}

async function liff(userId: string, method: string, path: string, body?: unknown, contentType?: string) {
  const token = stack.sim.issueIdToken(userId);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  const res = await fetch(`${stack.web.url}/liff/api${path}`, {
    method, headers, body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
}

describe('hot-path queries are answered by an index', () => {
  it('the rule itself: flags scans, accepts indexed equalities', () => {
    const lead = new Set(['unitCode', 'complainant.lineUserId']);
    expect(indexedField({ collection: 'cases', method: 'findOne', filter: { _id: 'x', version: 3 } }, lead)).toBe('_id');
    expect(indexedField({ collection: 'cases', method: 'find', filter: { unitCode: '5001', status: { $in: ['received'] } } }, lead)).toBe('unitCode');
    expect(indexedField({ collection: 'cases', method: 'find', filter: { 'complainant.lineUserId': 'U1' } }, lead)).toBeUndefined();
    expect(indexedField({ collection: 'cases', method: 'distinct', filter: { 'complainant.lineUserId': 'U1' } }, lead)).toBe('complainant.lineUserId');
    expect(indexedField({ collection: 'cases', method: 'find', filter: { unitCode: { $in: ['1', '2'] } } }, lead)).toBeUndefined();
    expect(indexedField({ collection: 'cases', method: 'find', filter: { status: 'received' } }, lead)).toBeUndefined();
  });

  it('chat intake with a photo, the officer alert, accept and view from the card, track, my work, the LIFF pages', async () => {
    const { sim, rt } = stack;
    const officer = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
    const citizen = await stack.citizen('สมหญิง รักถิ่น');
    // The worker's start-up SLA reconcile is a background sweep over every open case (every 10 min),
    // not a hot path: let it finish before recording.
    await drained(stack);
    recording = true;

    // The chat: a complete complaint.
    await converse(sim, citizen.userId, () => sim.follow(citizen.userId));
    let m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'แจ้งเรื่องร้องเรียน'));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, '🛣️ ถนน/ทางเท้าชำรุด')));
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ถนนหน้าบ้านเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน แจ้ง อบต. แล้วยังไม่ซ่อม'));
    m = await converse(sim, citizen.userId, () => sim.sendLocation(citizen.userId, { latitude: 18.8037, longitude: 98.9823, title: 'บ้าน', address: 'ต.สุเทพ อ.เมืองเชียงใหม่ จ.เชียงใหม่' }));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ถูกต้อง')));
    m = await converse(sim, citizen.userId, () => sim.sendImage(citizen.userId, PNG, 'image/png'));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'เสร็จแล้ว')));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยินยอม')));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยืนยันส่งเรื่อง')));
    const trackingNo = /เลขรับเรื่อง: (\d{4}-\d{6})/.exec(m.text)?.[1];
    expect(trackingNo).toBeTruthy();
    const [alert] = await sim.waitForMessages(officer.userId, 1);
    expect(alert.messages[0].type).toBe('flex');

    // The officer, from the alert card and the rich menu.
    const saved = await rt.models.Case.findOne({ trackingNo }, { _id: 1 }).lean();
    const caseId = String(saved!._id);
    await converse(sim, officer.userId, () => sim.sendPostback(officer.userId, `a=accept&c=${caseId}`));
    await converse(sim, officer.userId, () => sim.sendPostback(officer.userId, `a=view&c=${caseId}`));
    const work = await converse(sim, officer.userId, () => sim.sendText(officer.userId, 'งานของฉัน'));
    expect(work.text).toContain(trackingNo);
    const track = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ติดตามเรื่อง'));
    expect(track.text).toContain(trackingNo);

    // The LIFF pages: file with a photo, list, open, see the photo; the officer's list and case.
    const up = await liff(citizen.userId, 'POST', '/uploads', PNG, 'image/png');
    expect(up.status).toBe(201);
    const created = await liff(citizen.userId, 'POST', '/cases', {
      category: 'help', description: 'ไฟถนนดับทั้งซอยมาสามสัปดาห์ กลางคืนมืดมากและอันตราย',
      location: { provinceCode: '50', districtCode: '5001', subdistrictCode: '500107', address: 'ซอย 5' },
      anonymous: false, consent: { version: PDPA_NOTICE_VERSION, accepted: true }, clientRequestId: randomUUID(), photoIds: [up.json.id],
    });
    expect(created.status).toBe(201);
    const mine = await liff(citizen.userId, 'GET', '/cases');
    expect(mine.json.map((c: { trackingNo: string }) => c.trackingNo)).toEqual([created.json.trackingNo, trackingNo]);
    expect((await liff(citizen.userId, 'GET', `/cases/${created.json.id}`)).status).toBe(200);
    expect((await liff(citizen.userId, 'GET', `/files/${up.json.id}`)).status).toBe(200);
    expect((await liff(officer.userId, 'GET', '/officer/cases')).status).toBe(200);
    expect((await liff(officer.userId, 'GET', `/officer/cases/${created.json.id}`)).status).toBe(200);
    // The officer's writing panels: templates, preview, forward picker, an internal note.
    const officerCase = `/officer/cases/${created.json.id}`;
    expect((await liff(officer.userId, 'GET', `${officerCase}/templates?action=update`)).status).toBe(200);
    expect((await liff(officer.userId, 'POST', `${officerCase}/preview`, { kind: 'update', text: 'ประสานการไฟฟ้าแล้ว' })).status).toBe(200);
    expect((await liff(officer.userId, 'GET', `${officerCase}/forward-targets?q=${encodeURIComponent('หางดง')}`)).status).toBe(200);
    expect((await liff(officer.userId, 'POST', `${officerCase}/internal-notes`, { text: 'โทรหาการไฟฟ้าแล้ว' })).status).toBe(200);
    // Possibly related cases (the search's keys and the IDF sample) and a link.
    expect((await liff(officer.userId, 'GET', `${officerCase}/related`)).status).toBe(200);
    expect((await liff(officer.userId, 'POST', `${officerCase}/link`, { otherCaseId: caseId })).status).toBe(200);

    // A province head on the units below (one query per unit), the late-units reply with its unowned count, a take-over.
    const head = await stack.officer('50', 'head', 'หัวหน้า จังหวัด');
    expect((await liff(head.userId, 'GET', '/officer/below/units')).status).toBe(200);
    expect((await liff(head.userId, 'GET', '/officer/below/cases?filter=unowned')).status).toBe(200);
    expect((await liff(head.userId, 'GET', '/officer/below/cases?unit=5001')).json.length).toBeGreaterThan(0);
    expect((await liff(head.userId, 'GET', `/officer/cases/${created.json.id}/officers`)).status).toBe(200);
    expect((await liff(head.userId, 'POST', `/officer/cases/${created.json.id}/takeover`, { reason: 'หัวหน้ารับไว้ดำเนินการเอง' })).status).toBe(200);
    await converse(sim, head.userId, () => sim.sendPostback(head.userId, `a=view&c=${caseId}`));
    await drained(stack);
    recording = false;

    const seen = new Set(calls.map((c) => `${c.collection}.${c.method}`));
    // The journeys did reach the growing collections (a silent hook would pass anything).
    for (const s of ['conversations.findOne', 'conversations.updateOne', 'cases.findOne', 'cases.find']) expect(seen).toContain(s);
    if (process.env.HOTPATH_LIST) {
      // The audit, for the record: each distinct query shape and the field that serves it.
      const shapes = new Map<string, string>();
      for (const c of calls) {
        const keys = Object.entries(c.filter).map(([k, v]) => (v === null || equalityOf(v) ? k : `${k}:${Object.keys(v as object).join('')}`)).join(',');
        shapes.set(`${c.collection}.${c.method}({${keys}})`, indexedField(c, leadingFields.get(c.collection) ?? new Set()) ?? 'NONE');
      }
      for (const [shape, by] of [...shapes].sort()) console.log(`${shape}  ← ${by}`);
    }
    expect(offending()).toEqual([]);
  });

  it('the chat as people talk: a sentence first, an officer’s question answered in the chat, a tracking number typed', async () => {
    const { sim, rt } = stack;
    const officer = await stack.officer('5001', 'officer', 'จนท. ถามกลับ');
    const citizen = await stack.citizen('สมศักดิ์ พิมพ์เลย');
    await drained(stack);
    recording = true;

    let m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ไฟถนนหน้าโรงเรียนดับมาสามสัปดาห์แล้ว กลางคืนมืดมาก'));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, '💡 ไฟถนนดับ')));
    m = await converse(sim, citizen.userId, () => sim.sendLocation(citizen.userId, { latitude: 18.8037, longitude: 98.9823, title: 'บ้าน', address: 'ต.สุเทพ อ.เมืองเชียงใหม่ จ.เชียงใหม่' }));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ถูกต้อง')));
    // The first case was filed at this pin: if it is offered as related (tests/join.test.ts), file anyway.
    if (String(m.text).startsWith('มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ')) m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'แจ้งเรื่องใหม่')));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ไม่มีรูป')));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยินยอม')));
    m = await converse(sim, citizen.userId, () => sim.sendPostback(citizen.userId, quickPostback(m, 'ยืนยันส่งเรื่อง')));
    const trackingNo = /เลขรับเรื่อง: (\d{4}-\d{6})/.exec(m.text)![1]!;
    const caseId = String((await rt.models.Case.findOne({ trackingNo }, { _id: 1 }).lean())!._id);
    expect((await liff(officer.userId, 'POST', `/officer/cases/${caseId}/ask`, { question: 'ดับกี่ต้นคะ' })).status).toBe(200);
    await drained(stack);
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, 'ดับสามต้นค่ะ'));
    expect(m.text).toContain(`แนบกับเรื่อง ${trackingNo}`);
    m = await converse(sim, citizen.userId, () => sim.sendImage(citizen.userId, PNG, 'image/png'));
    expect(m.text).toContain(`แนบกับเรื่อง ${trackingNo}`);
    m = await converse(sim, citizen.userId, () => sim.sendText(citizen.userId, trackingNo));
    expect(m.text).toContain(trackingNo);
    await drained(stack);
    recording = false;
    expect(offending()).toEqual([]);
  });
});
