/**
 * What a crash leaves behind heals by itself, on the real stack (FerretDB, Redis, the workers, the
 * LINE simulator): a merge that did only its first write (the source closed, the process gone before
 * the target got its people and before anything was queued), and the related-complaints index entry
 * of a case that closed without it being removed. The worker's outbox sweep finds the event in the
 * source's outbox; its consumers complete the target and drop the stale entry, and then people are
 * told the count they will see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { closeAsMerged } from '../shared/cases/commands/mergeCases.ts';
import { entryFor, packEntry, relatedIndexModel } from '../shared/related/openIndex.ts';
import { findRelated } from '../shared/related/search.ts';
import type { CaseDoc } from '../shared/models/index.ts';
import { drained, startStack, waitForText, type Stack } from './helpers/stack.ts';

let stack: Stack;
let officer: { id: string; name: string; unitCode: string };
beforeAll(async () => {
  stack = await startStack();
  const user = await stack.officer('5001', 'officer', 'จนท. เมืองเชียงใหม่');
  const doc = await stack.rt.models.Officer.findOne({ lineUserId: user.userId }).lean();
  officer = { id: String(doc!._id), name: doc!.name, unitCode: '5001' };
});
afterAll(async () => { await stack?.close(); });

const NIMMAN = { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่', subdistrictCode: '500108', subdistrictName: 'สุเทพ' };
let n = 0;
function open(lineUserId: string, description: string, lang: 'th' | 'en', at: { lat: number; lng: number }) {
  return openCase(stack.rt.bot, {
    idempotencyKey: `heal-test:${++n}:${Math.random()}`, channel: 'line', category: 'help', description,
    location: { ...NIMMAN, ...at }, complainant: { lineUserId, lang }, by: { kind: 'citizen', id: lineUserId },
  });
}

describe('a merge cut short by a crash', () => {
  it('completes the target from the case.merged event, removes the stale index entry, and tells the count people will see', async () => {
    const thai = (await stack.citizen('สมหญิง รักถิ่น')).userId;
    const english = (await stack.citizen('John Smith', 'en')).userId;
    const target = await open(thai, 'ไฟถนนดับทั้งซอย 9 นิมมาน มืดมาก กลัวโจร', 'th', { lat: 18.7991, lng: 98.9668 });
    const source = await open(english, 'ไฟถนนดับ ซอย9นิมมาน มืดตึ๊บ กลัวโจร', 'en', { lat: 18.7993, lng: 98.9670 });
    await drained(stack);
    const probe = { category: 'help', location: { ...NIMMAN, lat: 18.7992, lng: 98.9669 }, description: 'ไฟถนนดับ ซอย 9 นิมมาน มืด', at: new Date() };
    expect((await findRelated(stack.rt.models, probe)).map((c) => c.trackingNo).sort()).toEqual([target.trackingNo, source.trackingNo].sort());

    // The first write only, nothing counted or queued: the process died right after it.
    const [src, tgt] = await Promise.all([source, target].map((c) => stack.rt.models.Case.findById(c._id).lean<CaseDoc>()));
    const closed = await closeAsMerged({ ...stack.rt.bot, countInline: false, publish: async () => undefined }, src!, tgt!, { caseId: String(source._id), targetCaseId: String(target._id), officer });
    expect(closed!.status).toBe('closed');
    // ...and before its index entry was removed: the entry as it was while the case was open.
    await relatedIndexModel(stack.rt.models).collection.insertOne(packEntry(entryFor(src!)!) as never);
    const half = await stack.rt.models.Case.findById(target._id).lean();
    expect(half!.supporterCount ?? 1).toBe(1);
    expect(half!.followers ?? []).toEqual([]);

    // The worker's sweep (at start, and every minute) finds the event left in the source's outbox.
    await stack.workers!.sweepOutbox(0);
    expect(await waitForText(stack.sim, english, `Your case ${source.trackingNo} is the same problem as case ${target.trackingNo}`)).toContain('updates');
    // The target's complainant hears the count after the merge completed: 2 people, not 1.
    expect(await waitForText(stack.sim, thai, `เรื่องเลขที่ ${target.trackingNo}: มีผู้แจ้งปัญหาเดียวกันเพิ่ม`)).toContain('2 คน');
    await drained(stack);

    const t = await stack.rt.models.Case.findById(target._id).lean();
    expect(t!.supporterCount).toBe(2);
    expect(t!.followers.map((f) => [f.lineUserId, f.via, f.trackingNo])).toEqual([[english, 'merge', source.trackingNo]]);
    expect(t!.relatedCases).toContain(source.trackingNo);
    expect(t!.timeline.filter((e) => e.action === 'merged_in').map((e) => [e.note, e.by.name])).toEqual([[source.trackingNo, officer.name]]);
    // The closed source is out of the search again; the target is offered with its new count.
    const after = await findRelated(stack.rt.models, probe);
    expect(after.map((c) => [c.trackingNo, c.supporterCount])).toEqual([[target.trackingNo, 2]]);
  });
});
