/**
 * Data completeness (ความครบถ้วนของข้อมูล): the ministry found under 10 % of recorded cases complete.
 * A case is complete when it has every field below — what the official tables, SLA figures and a
 * follow-up with the complainant need. Documented in the README (Dashboard section); change both. The report counters tally
 * each case's failed rules (counters.ts): after a rule changes, `report verify --fix`
 * recounts them.
 */

export const COMPLETENESS_RULES = [
  { key: 'category', short: 'ประเด็น', shortEn: 'Subject', th: 'ประเด็นเรื่อง', en: 'Subject category', why: 'the row it counts under in both report formats' },
  { key: 'channel', short: 'ช่องทาง', shortEn: 'Channel', th: 'ช่องทางที่รับเรื่อง', en: 'Intake channel', why: 'provincial rows 8–12 and the service-time standard' },
  { key: 'description', short: 'รายละเอียด', shortEn: 'Description', th: 'รายละเอียดอย่างน้อย 20 ตัวอักษร', en: 'Description of at least 20 characters', why: 'what happened, in words an officer can act on' },
  { key: 'area', short: 'พื้นที่', shortEn: 'Area', th: 'พื้นที่ (จังหวัดและอำเภอ)', en: 'Area (province and district)', why: 'routing to the responsible centre, Mobile Service' },
  { key: 'contact', short: 'ติดต่อผู้ร้อง', shortEn: 'Contact', th: 'ช่องทางติดต่อผู้ร้อง (ยกเว้นผู้ไม่ประสงค์ออกนาม)', en: 'A way to reach the complainant (unless anonymous)', why: 'the answer within 15 days (Royal Decree s.38)' },
  { key: 'result', short: 'ผลการดำเนินการ', shortEn: 'Result', th: 'ผลการดำเนินการ (เรื่องที่ยุติแล้ว)', en: 'Result text and date (closed cases)', why: 'what the citizen was told when the case closed' },
] as const;

export type CompletenessRule = (typeof COMPLETENESS_RULES)[number]['key'];

export interface CompletenessInput {
  category?: string | null;
  channel?: string | null;
  description?: string | null;
  status?: string | null;
  location?: { provinceCode?: string | null; districtCode?: string | null } | null;
  complainant?: { lineUserId?: string | null; phone?: string | null; anonymous?: boolean | null } | null;
  resolution?: { text?: string | null; at?: Date | string | null } | null;
}

/** The rules a case fails (empty: complete). */
export function missingFields(c: CompletenessInput): CompletenessRule[] {
  const miss: CompletenessRule[] = [];
  if (!c.category) miss.push('category');
  if (!c.channel) miss.push('channel');
  if ((c.description ?? '').trim().length < 20) miss.push('description');
  if (!c.location?.provinceCode || !c.location?.districtCode) miss.push('area');
  if (!c.complainant?.anonymous && !c.complainant?.phone && !c.complainant?.lineUserId) miss.push('contact');
  if (c.status === 'closed' && (!c.resolution?.text?.trim() || !c.resolution?.at)) miss.push('result');
  return miss;
}

/**
 * The rules a case fails as one number (bit i = COMPLETENESS_RULES[i]; 0: complete), the way the
 * report counters store it (`q` keys, shared/reports/counters.ts) so the completeness page reads
 * tallies instead of the cases.
 */
export function missingMask(c: CompletenessInput): number {
  const miss = missingFields(c);
  let mask = 0;
  COMPLETENESS_RULES.forEach((r, i) => { if (miss.includes(r.key)) mask |= 1 << i; });
  return mask;
}

/** The rules a mask names (inverse of missingMask). */
export function rulesOfMask(mask: number): CompletenessRule[] {
  return COMPLETENESS_RULES.filter((_, i) => mask & (1 << i)).map((r) => r.key);
}
