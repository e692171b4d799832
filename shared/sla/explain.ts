/**
 * `sla explain` and `sla policy`: each deadline with the rule behind it and the closed days skipped,
 * Thai first then English. Plain text lines, for the admin CLI (and later a chat reply).
 */
import { CHANNELS, SUBJECT_CATEGORIES, type ChannelCode, type SubjectCategoryCode } from '../categories.ts';
import type { WorkingCalendar } from './calendar.ts';
import { closedDaysBetween, computeDeadlines, describeTarget, toBangkokIso, type AppliedDeadline } from './deadlines.ts';
import type { SlaContext } from './load.ts';
import { targetFor, type AppliedTarget, type DeadlineKind, type SlaPolicy } from './policy.ts';

const KIND_LABELS: Record<DeadlineKind, string> = {
  ack: 'ตอบรับ/ดำเนินการตามมาตรฐานช่องทาง / acknowledge (channel standard)',
  answer: 'แจ้งผลหรือความคืบหน้าแก่ผู้ร้อง (พ.ร.ฎ. ม.38) / first answer to the complainant (Royal Decree s.38)',
  resolve: 'ยุติเรื่อง / resolve',
};

const channelLabel = (c: string) => {
  const ch = CHANNELS.find((x) => x.code === c);
  return ch ? `${ch.th} / ${ch.en}` : c;
};
const categoryLabel = (c: string) => {
  const cat = SUBJECT_CATEGORIES.find((x) => x.code === c);
  return cat ? `${cat.th} / ${cat.en}` : c;
};

/** Where a target came from, in words. */
export function describeRule(a: AppliedTarget, kind: DeadlineKind, channel: string, category: string): string {
  const what = kind === 'ack' ? `ช่องทาง ${channelLabel(channel)}`
    : kind === 'resolve' ? (a.rule.includes('byCategory') ? `ประเด็น ${categoryLabel(category)}` : `ทุกประเด็น / any category`)
      : 'พ.ร.ฎ. ว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี พ.ศ. 2546 ม.38 / Royal Decree on Good Governance s.38';
  const whose = !a.unitCode ? 'ค่าเริ่มต้น / default policy'
    : a.inherited ? `กำหนดของหน่วยงานต้นสังกัด ${a.unitCode} (ใช้กับหน่วยงานในสังกัด) / override of parent unit ${a.unitCode}`
      : `กำหนดของหน่วยงาน ${a.unitCode} / override of unit ${a.unitCode}`;
  return `${what} — ${whose} [${a.rule}]`;
}

function skippedLines(cal: WorkingCalendar, d: AppliedDeadline, due: Date): string[] {
  if (d.target.unit === 'calendarDays') {
    return ['  นับวันปฏิทิน ไม่ข้ามวันหยุด / calendar days: weekends and holidays count'];
  }
  const days = closedDaysBetween(cal, d.from, due);
  const lines = [`  วันที่ไม่นับ (วันหยุดราชการและเสาร์-อาทิตย์) / days skipped (holidays, weekends): ${days.length ? '' : 'ไม่มี / none'}`.trimEnd()];
  for (const s of days) {
    const h = s.holiday;
    lines.push(h
      ? `    ${s.date} ${s.weekday.th} ${h.nameTh} / ${s.weekday.en}, ${h.nameEn}${h.provisional ? ' (provisional) (ยังไม่ยืนยัน)' : ''}`
      : `    ${s.date} ${s.weekday.th} / ${s.weekday.en}`);
  }
  const years = new Set([d.from, due].filter((x) => !cal.covers(x)).map((x) => toBangkokIso(x).slice(0, 4)));
  for (const y of years) lines.push(`  คำเตือน: ไม่มีตารางวันหยุดปี ${y} นับเฉพาะเสาร์-อาทิตย์ / warning: no holiday table for ${y}, only weekends skipped`);
  return lines;
}

export interface ExplainableCase {
  trackingNo: string;
  channel: string;
  category: string;
  unitCode: string;
  receivedAt?: Date | null;
  createdAt?: Date | null;
  ackDueAt?: Date | null;
  answerDueAt?: Date | null;
  resolveDueAt?: Date | null;
  timeline?: { at: Date; action: string }[] | null;
}

/** Every deadline of a case and why, as text lines. `unitChain`: the case's unit and its ancestors. */
export function explainCase(c: ExplainableCase, ctx: SlaContext, unitChain: readonly string[]): string[] {
  const receivedAt = new Date(c.receivedAt ?? c.createdAt ?? Date.now());
  const forwarded = (c.timeline ?? []).filter((t) => t.action === 'forwarded').at(-1);
  const computed = computeDeadlines({
    receivedAt, ackFrom: forwarded ? new Date(forwarded.at) : undefined,
    channel: c.channel as ChannelCode, category: c.category as SubjectCategoryCode, unitChain,
  }, ctx);
  const lines = [
    `เรื่องเลขที่ / case ${c.trackingNo}`,
    `ช่องทาง / channel: ${channelLabel(c.channel)}`,
    `ประเด็น / category: ${categoryLabel(c.category)}`,
    `หน่วยงานที่รับผิดชอบ / responsible unit: ${unitChain.join(' → ')}`,
    `รับเรื่องเมื่อ / received: ${toBangkokIso(receivedAt)}${c.receivedAt ? '' : ' (วันบันทึกเรื่อง / record date)'}`,
  ];
  const stored: Record<DeadlineKind, Date | null | undefined> = { ack: c.ackDueAt, answer: c.answerDueAt, resolve: c.resolveDueAt };
  for (const kind of ['ack', 'answer', 'resolve'] as const) {
    const d = computed.applied[kind];
    const s = stored[kind] ? new Date(stored[kind]!) : undefined;
    const due = s ?? d.dueAt;
    lines.push('', `${KIND_LABELS[kind]}`);
    lines.push(s
      ? `  กำหนด / due: ${toBangkokIso(s)}`
      : `  กำหนด / due: ยังไม่ได้บันทึกในเรื่อง (เรื่องเก่า) ตามนโยบายปัจจุบัน ${toBangkokIso(d.dueAt)} / not stored on the case (older case); by the current policy ${toBangkokIso(d.dueAt)}`);
    if (s && s.getTime() !== d.dueAt.getTime()) {
      lines.push(`  หมายเหตุ: ตามนโยบายปัจจุบันจะเป็น ${toBangkokIso(d.dueAt)} / note: by the current policy it would be ${toBangkokIso(d.dueAt)}`);
    }
    lines.push(`  เป้าหมาย / target: ${describeTarget(d.target)}`);
    lines.push(`  กฎที่ใช้ / rule: ${describeRule(d, kind, c.channel, c.category)}`);
    const fromWhy = kind === 'ack' && forwarded ? 'วันที่ส่งต่อมาหน่วยงานนี้ / forwarded to this unit' : 'วันรับเรื่อง / received';
    lines.push(`  นับจาก / counted from: ${toBangkokIso(d.from)} (${fromWhy})`);
    lines.push(...skippedLines(ctx.calendar, d, due));
  }
  return lines;
}

/** The effective policy of a unit: every target with the rule it comes from. */
export function explainPolicy(policy: SlaPolicy, unitChain: readonly string[]): string[] {
  const lines = [`นโยบาย SLA ที่ใช้กับหน่วยงาน / effective SLA policy for unit ${unitChain[0]} (${unitChain.join(' → ')})`];
  const row = (label: string, a: AppliedTarget) => {
    const whose = !a.unitCode ? 'ค่าเริ่มต้น / default' : a.inherited ? `จากหน่วยงานต้นสังกัด / from parent ${a.unitCode}` : `ของหน่วยงานนี้ / this unit's`;
    lines.push(`  ${label}: ${describeTarget(a.target)} — ${whose} [${a.rule}]`);
  };
  const q = (channel: ChannelCode, category: SubjectCategoryCode) => ({ channel, category, unitChain });
  lines.push('ตอบรับตามช่องทาง / acknowledge by channel');
  for (const ch of CHANNELS) row(`${ch.th} / ${ch.en}`, targetFor(policy, 'ack', q(ch.code, 'help')));
  lines.push('แจ้งผู้ร้อง (ม.38) / first answer (s.38)');
  row('ทุกเรื่อง / every case', targetFor(policy, 'answer', q('line', 'help')));
  lines.push('ยุติเรื่องตามประเด็น / resolve by category');
  for (const cat of SUBJECT_CATEGORIES) row(`${cat.th} / ${cat.en}`, targetFor(policy, 'resolve', q('line', cat.code)));
  return lines;
}
