/**
 * A late partner agency on the real stack, on a fake clock: its own officer is reminded, the case
 * escalates to the Damrongdhama centre that supervises the agency (not to the ministry, where the
 * fixed district → province → ministry tree would send an unknown unit), the agency shows on that
 * centre head's late-units card, and the head's กระตุ้น reaches the agency's officers.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAgencies } from '../shared/agencies/importCsv.ts';
import { openCase } from '../shared/cases/commands/openCase.ts';
import { defaultCalendar as cal } from '../shared/sla/calendar.ts';
import { updateCaseGuarded } from '../shared/store/guardedUpdate.ts';
import { lateUnits, scopeOf } from '../shared/supervision/lateUnits.ts';
import { runSla, type SlaDeps } from '../workers/sla/run.ts';
import { converse, startStack, textsOf, waitForText, type Stack } from './helpers/stack.ts';

const bkk = (local: string): Date => new Date(`${local}:00+07:00`);
const DIGEST = 'สรุปเรื่องร้องเรียนที่ต้องติดตาม';
const MUN = 'AG-CM-HANGDONG-MUN';

describe('a late agency', () => {
  const clock = { t: bkk('2026-03-09T09:00'), now() { return new Date(this.t); } };
  let stack: Stack;
  let deps: SlaDeps;
  beforeAll(async () => {
    stack = await startStack({ clock });
    deps = { models: stack.rt.models, line: stack.rt.line, log: stack.rt.log, clock, calendar: cal, links: stack.rt.bot.links };
    await importAgencies(stack.rt.models, readFileSync(new URL('../config/agencies-demo.csv', import.meta.url), 'utf8'));
  });
  afterAll(async () => { await stack?.close(); });

  it('is reminded, escalates to its supervising centre, shows on that centre\'s late-units card and is nudged from there', async () => {
    const { rt } = stack;
    const agencyOfficer = await stack.officer(MUN, 'officer', 'จนท. เทศบาลหางดง');
    const centreHead = await stack.officer('5015', 'head', 'หัวหน้า ศูนย์ฯ หางดง');
    const provinceHead = await stack.officer('50', 'head', 'หัวหน้า ศูนย์ฯ เชียงใหม่');
    const ministryHead = await stack.officer('MOI', 'head', 'หัวหน้า ศูนย์ฯ กระทรวง');
    const citizen = await stack.citizen();
    const c = await openCase(rt.bot, {
      idempotencyKey: 'agency-sla-1', channel: 'line', category: 'help', problemType: 'road', description: 'ถนนหน้าตลาดหางดงเป็นหลุมลึก รถล้มทุกวัน',
      location: { provinceCode: '50', districtCode: '5015', subdistrictCode: '501502' },
      complainant: { lineUserId: citizen.userId, lang: 'th' }, by: { kind: 'citizen', id: citizen.userId },
    });
    expect(c.unitCode).toBe(MUN);
    expect(await updateCaseGuarded(rt.models, String(c._id), {}, { $set: { receivedAt: bkk('2026-03-09T09:00'), ackDueAt: bkk('2026-03-09T16:30') } })).not.toBeNull();

    // Tue 10:00: the ack deadline has passed: the agency's own officer gets the nudge.
    await runSla(deps, bkk('2026-03-10T10:00'));
    expect(textsOf(stack.sim, agencyOfficer.userId).filter((t) => t.includes(DIGEST) && t.includes(c.trackingNo))).toHaveLength(1);

    // Thu 08:30: level 1 is the centre supervising the agency, whose head can act on it.
    await runSla(deps, bkk('2026-03-12T08:30'));
    const saved = await rt.models.Case.findById(c._id).lean();
    expect(saved!.escalationLevel).toBe(1);
    expect(saved!.timeline.find((e) => e.action === 'escalated')).toMatchObject({ unitCode: '5015' });
    const headDigest = textsOf(stack.sim, centreHead.userId).filter((t) => t.includes(DIGEST) && t.includes(c.trackingNo));
    expect(headDigest).toHaveLength(1);
    for (const u of [provinceHead, ministryHead]) expect(textsOf(stack.sim, u.userId).join('\n')).not.toContain(c.trackingNo);

    // The centre head's late-units card lists the agency…
    clock.t = bkk('2026-03-12T09:00');
    const late = await lateUnits(rt.models, cal, await scopeOf(rt.models, '5015'), clock.now());
    expect(late.units.map((u) => [u.unitCode, u.nameTh, u.overdue])).toEqual([[MUN, 'เทศบาลตำบลหางดง (ตัวอย่าง)', 1]]);
    const card = await converse(stack.sim, centreHead.userId, () => stack.sim.sendText(centreHead.userId, 'หน่วยงานล่าช้า'));
    const cardJson = JSON.stringify(card);
    expect(cardJson).toContain('เทศบาลตำบลหางดง (ตัวอย่าง)');
    // …and its กระตุ้น reaches the agency's officers.
    const nudge = /"data":"(a=nudgeUnit[^"]*AG-CM-HANGDONG-MUN[^"]*)"/.exec(cardJson)?.[1];
    expect(nudge).toBeTruthy();
    await converse(stack.sim, centreHead.userId, () => stack.sim.sendPostback(centreHead.userId, nudge!));
    const prod = await waitForText(stack.sim, agencyOfficer.userId, 'กระตุ้น');
    expect(prod).toContain(c.trackingNo);

    // Still late: the next level is the province centre, from the stored ladder (agency → 5015 → 50 → MOI).
    await runSla(deps, bkk('2026-03-16T08:30'));
    const twice = await rt.models.Case.findById(c._id).lean();
    expect(twice!.escalationLevel).toBe(2);
    expect(twice!.timeline.filter((e) => e.action === 'escalated').map((e) => e.unitCode)).toEqual(['5015', '50']);
    expect(textsOf(stack.sim, provinceHead.userId).filter((t) => t.includes(DIGEST) && t.includes(c.trackingNo))).toHaveLength(1);
  });
});
