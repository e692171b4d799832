/**
 * The case commands under concurrency, on the real FerretDB: there an update is read → modify →
 * replace with no transaction, so without the version claim (shared/store/guardedUpdate.ts) two
 * changes to one case at the same moment would both "succeed" and one would silently vanish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCaseInfo } from '../shared/cases/commands/addCaseInfo.ts';
import { addProgressNote } from '../shared/cases/commands/addProgressNote.ts';
import { assignCase } from '../shared/cases/commands/assignCase.ts';
import { closeCase } from '../shared/cases/commands/closeCase.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { submitSurvey } from '../shared/cases/commands/submitSurvey.ts';
import { withdrawCase } from '../shared/cases/commands/withdrawCase.ts';
import { drained, startStack, type Stack } from './helpers/stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

let n = 0;
function open(citizen = 'U' + 'c'.repeat(32)) {
  return openCase(stack.rt.bot, {
    idempotencyKey: `test:${++n}:${Math.random()}`, channel: 'line', category: 'help',
    description: 'ไฟฟ้าส่องสว่างในซอยดับมาสองสัปดาห์แล้ว', location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' },
    complainant: { lineUserId: citizen, lang: 'th' }, by: { kind: 'citizen', id: citizen },
  });
}
const officer = (i: number) => ({ id: `${'0'.repeat(23)}${i}`, name: `จนท. ${i}`, unitCode: '5001' });

describe('one case, many hands at once', () => {
  it('draws distinct tracking numbers for intakes at the same moment', async () => {
    const cases = await Promise.all(Array.from({ length: 12 }, () => open()));
    expect(new Set(cases.map((c) => c.trackingNo)).size).toBe(12);
  });

  it('two officers pressing รับเรื่อง together: exactly one gets the case', async () => {
    const c = await open();
    const results = await Promise.all([1, 2, 3].map((i) => assignCase(stack.rt.bot, { caseId: String(c._id), officer: officer(i) })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const saved = await stack.rt.models.Case.findById(c._id).lean();
    expect(saved!.timeline.filter((t) => t.action === 'assigned')).toHaveLength(1);
  });

  it('notes and added information written together all land on the timeline', async () => {
    const citizen = 'U' + 'd'.repeat(32);
    const c = await open(citizen);
    const id = String(c._id);
    const results = await Promise.all([
      ...[1, 2, 3, 4].map((i) => addProgressNote(stack.rt.bot, { caseId: id, officer: officer(i), text: `บันทึก ${i}` })),
      ...[1, 2, 3, 4].map((i) => addCaseInfo(stack.rt.bot, { caseId: id, lineUserId: citizen, text: `ข้อมูล ${i}` })),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    await drained(stack);
    const saved = await stack.rt.models.Case.findById(id).lean();
    expect(saved!.timeline.map((t) => t.note).filter(Boolean).sort()).toEqual(['ข้อมูล 1', 'ข้อมูล 2', 'ข้อมูล 3', 'ข้อมูล 4', 'บันทึก 1', 'บันทึก 2', 'บันทึก 3', 'บันทึก 4']);
    expect(saved!.status).toBe('in_progress');
    expect(saved!.version).toBeGreaterThanOrEqual(9); // each write and each outbox clear bumps it
    expect(saved!.pendingEvents).toHaveLength(0);
  });

  it('a survey tapped twice at once is stored once; a close racing a withdrawal leaves one ending', async () => {
    const citizen = 'U' + 'e'.repeat(32);
    const c = await open(citizen);
    const id = String(c._id);
    const [closed, withdrawn] = await Promise.all([
      closeCase(stack.rt.bot, { caseId: id, officer: officer(1), summary: 'ซ่อมไฟแล้ว' }),
      withdrawCase(stack.rt.bot, { caseId: id, lineUserId: citizen, reason: 'ไฟกลับมาติดเองแล้ว' }),
    ]);
    expect([closed.ok, withdrawn.ok].filter(Boolean)).toHaveLength(1);
    const surveys = await Promise.all([5, 4, 3, 2, 1].map((score) => submitSurvey(stack.rt.bot, { caseId: id, lineUserId: citizen, score })));
    expect(surveys.filter((r) => r.ok)).toHaveLength(1);
    expect(surveys.filter((r) => !r.ok && r.reason === 'already_answered')).toHaveLength(4);
    const saved = await stack.rt.models.Case.findById(id).lean();
    expect(saved!.timeline.map((t) => t.action)).toEqual(['opened', closed.ok ? 'closed' : 'withdrawn', 'survey']);
    expect(saved!.survey!.score).toBe((surveys.find((r) => r.ok) as { case: { survey: { score: number } } }).case.survey.score);
  });
});
