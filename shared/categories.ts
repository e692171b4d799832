/**
 * Subject categories (ประเด็น) and intake channels are separate fields: the ministry's provincial
 * report mixes them (rows 8–12 are channels), and keeping them apart is what lets both report
 * formats be derived from the same cases.
 */
export const SUBJECT_CATEGORIES = [
  { code: 'help', th: 'ขอความช่วยเหลือ', short: 'ขอความช่วยเหลือ', en: 'Request for help', hintTh: 'เดือดร้อน ต้องการความช่วยเหลือจากรัฐ', hintEn: 'You need help from the state', againstOfficials: false },
  { code: 'tipoff', th: 'แจ้งเบาะแสกระทำความผิด', short: 'แจ้งเบาะแส', en: 'Tip-off about an offence', hintTh: 'พบเห็นการกระทำผิดกฎหมาย', hintEn: 'You witnessed an offence', againstOfficials: false },
  { code: 'dispute', th: 'ขอร้องเรียน/ข้อพิพาทระหว่างบุคคล', short: 'ข้อพิพาทระหว่างบุคคล', en: 'Dispute between people', hintTh: 'ขัดแย้งกับเพื่อนบ้าน คู่สัญญา ฯลฯ', hintEn: 'A dispute with a neighbour, a contractor…', againstOfficials: false },
  { code: 'official', th: 'ร้องเรียนเจ้าหน้าที่รัฐ', short: 'ร้องเรียนเจ้าหน้าที่', en: 'Complaint about an official', hintTh: 'การปฏิบัติงานของเจ้าหน้าที่รัฐ', hintEn: 'How a public official acted', againstOfficials: true },
  { code: 'state_project', th: 'ร้องเรียนโครงการของรัฐ', short: 'โครงการของรัฐ', en: 'Complaint about a state project', hintTh: 'ถนน สะพาน โครงการก่อสร้างของรัฐ', hintEn: 'Roads, bridges, public works', againstOfficials: false },
  { code: 'informal_debt', th: 'หนี้นอกระบบ', short: 'หนี้นอกระบบ', en: 'Informal debt', hintTh: 'เงินกู้นอกระบบ ดอกเบี้ยเกินกฎหมาย', hintEn: 'Loan sharks, illegal interest', againstOfficials: false },
  { code: 'petition', th: 'เรื่องทูลเกล้าถวายฎีกา', short: 'ทูลเกล้าถวายฎีกา', en: 'Royal petition', hintTh: 'ฎีกาทูลเกล้าฯ', hintEn: 'Petition to the King', againstOfficials: false },
  { code: 'corruption', th: 'ร้องเรียนเจ้าหน้าที่ของรัฐทุจริตและประพฤติมิชอบ', short: 'ทุจริต/ประพฤติมิชอบ', en: 'Corruption or misconduct by an official', hintTh: 'ทุจริต เรียกรับสินบน ประพฤติมิชอบ', hintEn: 'Bribery, fraud, misconduct', againstOfficials: true },
] as const;

export type SubjectCategory = (typeof SUBJECT_CATEGORIES)[number];
export type SubjectCategoryCode = SubjectCategory['code'];
export const SUBJECT_CATEGORY_CODES = SUBJECT_CATEGORIES.map((c) => c.code) as [SubjectCategoryCode, ...SubjectCategoryCode[]];

export function subjectCategory(code: string): SubjectCategory | undefined {
  return SUBJECT_CATEGORIES.find((c) => c.code === code);
}

/** Where a case came in. The centres publish a service-time standard per channel (PRODUCT.md). */
export const CHANNELS = [
  { code: 'line', th: 'LINE', en: 'LINE' },
  { code: 'hotline', th: 'สายด่วน 1567', en: 'Hotline 1567' },
  { code: 'letter', th: 'หนังสือ/ตู้ ปณ.', en: 'Letter' },
  { code: 'website', th: 'เว็บไซต์', en: 'Website' },
  { code: 'mobile_app', th: 'แอปพลิเคชัน', en: 'Mobile app' },
  { code: 'walk_in', th: 'ติดต่อด้วยตนเอง', en: 'Walk-in' },
  { code: 'mobile_team', th: 'หน่วยบริการเคลื่อนที่', en: 'Mobile service team' },
] as const;

export type ChannelCode = (typeof CHANNELS)[number]['code'];
export const CHANNEL_CODES = CHANNELS.map((c) => c.code) as [ChannelCode, ...ChannelCode[]];

/** Case lifecycle. Thai terms are what officers and citizens see. */
export const CASE_STATUSES = ['received', 'assigned', 'in_progress', 'forwarded', 'closed', 'rejected'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const OPEN_STATUSES: readonly CaseStatus[] = ['received', 'assigned', 'in_progress', 'forwarded'];

/** Still being worked on (not closed, rejected or withdrawn). */
export function isOpenStatus(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

export const STATUS_LABELS: Record<CaseStatus, { th: string; en: string }> = {
  received: { th: 'รับเรื่องแล้ว รอเจ้าหน้าที่', en: 'Received, waiting for an officer' },
  assigned: { th: 'เจ้าหน้าที่รับเรื่องแล้ว', en: 'Taken by an officer' },
  in_progress: { th: 'อยู่ระหว่างดำเนินการ', en: 'In progress' },
  forwarded: { th: 'ส่งต่อหน่วยงานที่เกี่ยวข้อง', en: 'Forwarded to the responsible agency' },
  /** ยุติเรื่อง */
  closed: { th: 'ยุติเรื่อง', en: 'Closed' },
  rejected: { th: 'ไม่รับเรื่อง', en: 'Not accepted' },
};
