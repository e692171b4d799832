/**
 * The dashboard's case list (ค้นหาเรื่อง) pages through indexed equalities (shared/cases/listing.ts,
 * report counters `z` keys) instead of sorting the whole collection: what an officer sees — the total,
 * each page's rows and their order — equals a plain query of the cases, for every scope and filter,
 * as cases are opened, accepted, closed, rejected and forwarded; cases from before the list keys get
 * them from the migration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignCase } from '../shared/cases/commands/assignCase.ts';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { forwardCase } from '../shared/cases/commands/forwardCase.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { rejectCase } from '../shared/cases/commands/rejectCase.ts';
import { importRecords } from '../shared/import/legacy.ts';
import { ensureMigrated } from '../shared/infra/migrate.ts';
import type { CaseDoc } from '../shared/models/index.ts';
import { verifyCounters } from '../shared/reports/verify.ts';
import { scopeOf } from '../shared/supervision/lateUnits.ts';
import { scopeFilter, searchCases, unitInfo, type Scope } from '../dashboard/data.ts';
import { get, signIn } from './helpers/dashboard.ts';
import { startStack, type Stack } from './helpers/stack.ts';

let stack: Stack;
let now = new Date('2026-01-05T09:00:00+07:00');
beforeAll(async () => { stack = await startStack({ worker: false, clock: { now: () => now } }); }, 60_000);
afterAll(async () => { await stack?.close(); });

const CITIZEN = 'U' + 'c'.repeat(32);
const AREAS = [
  { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
  { provinceCode: '50', provinceName: 'เชียงใหม่' },
  { provinceCode: '10', provinceName: 'กรุงเทพมหานคร', districtCode: '1001', districtName: 'พระนคร' },
];
const CATEGORIES = ['help', 'tipoff', 'dispute'] as const;
const officerOf = (c: CaseDoc) => ({ id: '0'.repeat(23) + '3', name: 'จนท.', unitCode: c.unitCode });

async function scope(code: string): Promise<Scope> {
  return { unit: (await unitInfo(stack.rt.models, code))!, codes: code === 'MOI' ? null : await scopeOf(stack.rt.models, code) };
}

/** The list as a plain query of the cases would give it: newest received first, then newest recorded. */
async function expected(s: Scope, f: Record<string, string>) {
  const cases = await stack.rt.models.Case.find({ ...scopeFilter(s.codes), ...f }, { trackingNo: 1, receivedAt: 1, createdAt: 1 }).lean<CaseDoc[]>();
  return cases.sort((a, b) => new Date(b.receivedAt ?? b.createdAt).getTime() - new Date(a.receivedAt ?? a.createdAt).getTime() || String(b._id).localeCompare(String(a._id))).map((c) => c.trackingNo);
}

async function checkAll(limit: number) {
  for (const code of ['MOI', '50', '5001', '10']) {
    const s = await scope(code);
    for (const f of [{} as Record<string, string>, { status: 'received' }, { status: 'assigned' }, { status: 'closed' }, { status: 'rejected' }, { status: 'forwarded' }, { category: 'tipoff' }, { status: 'received', category: 'help' }]) {
      const want = await expected(s, f);
      const pages = Math.max(1, Math.ceil(want.length / limit));
      for (let page = 1; page <= pages + 1; page++) {
        const got = await searchCases(stack.rt.models, s, { ...f, page }, limit);
        expect(got.total, `${code} ${JSON.stringify(f)} total`).toBe(want.length);
        expect(got.rows.map((r) => r.trackingNo), `${code} ${JSON.stringify(f)} page ${page}`).toEqual(want.slice((page - 1) * limit, page * limit));
      }
    }
  }
}

describe('case list from indexed equalities', () => {
  it('gives the same total, pages and order as a plain query, as cases change status and unit', async () => {
    const opened: CaseDoc[] = [];
    // Received over several months and days, some the same day, one backdated (recorded later).
    for (let i = 0; i < 24; i++) {
      now = new Date(Date.parse('2025-11-20T09:00:00+07:00') + Math.floor(i / 2) * 9 * 86_400_000 + (i % 2) * 3_600_000);
      opened.push(await openCase(stack.rt.bot, {
        idempotencyKey: `list:${i}`, channel: 'line', category: CATEGORIES[i % 3]!, description: `ถนนในหมู่บ้านชำรุดเป็นหลุมบ่อ ลำดับที่ ${i}`,
        location: AREAS[i % 3]!, complainant: { lineUserId: CITIZEN, lang: 'th' }, by: { kind: 'citizen', id: CITIZEN },
        receivedAt: i === 23 ? new Date('2025-10-02T10:00:00+07:00') : now,
      }));
    }
    async function* legacy() {
      yield { line: 1, raw: JSON.stringify({ externalId: 'L-1', receivedAt: '2025-12-24T10:00:00+07:00', unitCode: '50', reportFormat: 'province', reportRow: 'ขอความช่วยเหลือ', status: 'open' }) };
      yield { line: 2, raw: JSON.stringify({ externalId: 'L-2', receivedAt: '2024-05-01T10:00:00+07:00', unitCode: '50', reportFormat: 'province', reportRow: 'ขอความช่วยเหลือ', status: 'closed', closedAt: '2024-06-01T10:00:00+07:00' }) };
    }
    expect((await importRecords(stack.rt.models, legacy(), { source: 'test', now })).imported).toBe(2);
    await checkAll(4);

    now = new Date('2026-03-01T10:00:00+07:00');
    for (const [i, c] of opened.entries()) {
      if (i % 4 === 0) expect((await assignCase(stack.rt.bot, { caseId: String(c._id), officer: officerOf(c) })).ok).toBe(true);
      if (i % 4 === 1) expect((await closeCase(stack.rt.bot, { caseId: String(c._id), officer: officerOf(c), summary: 'ซ่อมแล้ว' })).ok).toBe(true);
      if (i % 4 === 2) expect((await rejectCase(stack.rt.bot, { caseId: String(c._id), officer: officerOf(c), reason: 'ไม่อยู่ในอำนาจ' })).ok).toBe(true);
      if (i % 8 === 3) expect(await forwardCase(stack.rt.bot, { caseId: String(c._id), officer: officerOf(c), toUnitCode: ({ 5001: '50', 50: '5001', 1001: '10' } as Record<string, string>)[c.unitCode] ?? '50', reason: 'ส่งต่อ' })).toMatchObject({ ok: true });
    }
    await checkAll(4);
    expect((await verifyCounters(stack.rt.models)).mismatches).toEqual([]);
  }, 300_000);

  it('the page shows the total and pages on', async () => {
    const head = await stack.officer('MOI', 'head', 'ผู้บริหาร กระทรวง');
    const { jar } = await signIn(stack, head.userId);
    const all = await expected(await scope('MOI'), {});
    const html = await (await get(stack, '/dashboard/cases?unit=MOI', jar)).text();
    expect(html).toContain(`พบ ${all.length} เรื่อง`);
    for (const t of all.slice(0, 20)) expect(html).toContain(t);
    const received = await expected(await scope('50'), { status: 'received' });
    const page = await (await get(stack, '/dashboard/cases?unit=50&status=received', jar)).text();
    expect(page).toContain(`พบ ${received.length} เรื่อง`);
    for (const t of received) expect(page).toContain(t);
  });

  it('cases from before the list keys get them from the migration', async () => {
    const some = await stack.rt.models.Case.find({}, { _id: 1 }).limit(5).lean();
    await stack.rt.models.Case.collection.updateMany({ _id: { $in: some.map((c) => c._id) } }, { $unset: { listDay: 1, listMonth: 1 } });
    expect(await stack.rt.models.Case.countDocuments({ listDay: { $exists: false } })).toBe(5);
    await ensureMigrated(stack.rt.models, { force: true });
    expect(await stack.rt.models.Case.countDocuments({ listDay: { $exists: false } })).toBe(0);
    await checkAll(50);
  }, 180_000);
});
