/** SLA notification texts (Thai for officers; the citizen's apology in their language). Pure, so tests read them directly. */
import { formatDateTime, type Lang } from '../../shared/thaiDate.ts';
import type { SlaNotification, SlaWindow } from './plan.ts';

const WINDOW_TH: Record<SlaWindow, string> = { ack: 'รับเรื่อง/ดำเนินการ', answer: 'ตอบผู้ร้อง (ม.38)', resolve: 'ยุติเรื่อง' };

export interface DigestLine {
  n: SlaNotification;
  trackingNo: string;
  /** escalate: the unit the case sits at. */
  unitName?: string;
}

/** One message per officer per run: escalated to you, overdue (กระตุ้น), due soon (เตือน). */
export function officerDigest(lines: DigestLine[], now: Date): string {
  const sorted = [...lines].sort((a, b) => a.trackingNo.localeCompare(b.trackingNo) || a.n.key.localeCompare(b.n.key));
  const part = (title: string, kind: SlaNotification['kind'], line: (l: DigestLine) => string) => {
    const ls = sorted.filter((l) => l.n.kind === kind);
    return ls.length ? [`${title} (${ls.length})`, ...ls.map((l) => `• ${line(l)}`)].join('\n') : '';
  };
  const text = [
    `สรุปเรื่องร้องเรียนที่ต้องติดตาม ${formatDateTime(now)}`,
    part('⬆️ ยกระดับมาถึงหน่วยงานท่าน', 'escalate', (l) => `${l.trackingNo} ${l.unitName ?? l.n.unitCode} เกินกำหนด${WINDOW_TH[l.n.window]} (${formatDateTime(l.n.deadline)}) ระดับ ${l.n.level}`),
    part('🔴 กระตุ้น: เกินกำหนดแล้ว', 'nudge', (l) => `${l.trackingNo} ${WINDOW_TH[l.n.window]} ครบกำหนด ${formatDateTime(l.n.deadline)}`),
    part('⏰ เตือน: ใกล้ครบกำหนด', 'remind', (l) => `${l.trackingNo} ${WINDOW_TH[l.n.window]} ภายใน ${formatDateTime(l.n.deadline)}`),
  ].filter(Boolean).join('\n\n');
  return text.length > 5000 ? `${text.slice(0, 4990)}\n…` : text;
}

/** The acknowledgement target was missed: say sorry and give the new expected date. */
export function citizenApology(trackingNo: string, newExpectedAt: Date, lang: Lang): string {
  return lang === 'en'
    ? `We are sorry: complaint ${trackingNo} has not yet been taken up within our service standard. We expect to act on it by ${formatDateTime(newExpectedAt, 'en')}.`
    : `ขออภัย เรื่อง ${trackingNo} ของท่านยังไม่ได้รับการดำเนินการภายในเวลามาตรฐาน คาดว่าจะดำเนินการภายใน ${formatDateTime(newExpectedAt, 'th')}`;
}
