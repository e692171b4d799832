/**
 * The PDPA (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562) notice a complainant consents to. The version is
 * stored on every case with the consent; bump it whenever the wording of either notice changes (the
 * chat's is in shared/i18n, the form's below), so each case says which text the person agreed to.
 */
export const PDPA_NOTICE_VERSION = '2569.1';

/** The notice shown on the LIFF complaint form. */
export const PDPA_NOTICE = {
  th: 'ศูนย์ดำรงธรรมเก็บข้อมูลที่ท่านกรอกในแบบฟอร์มนี้ (ประเภทเรื่อง รายละเอียด พื้นที่ รูปภาพ และชื่อกับเบอร์โทรศัพท์ถ้าท่านให้ไว้) พร้อมรหัสผู้ใช้ LINE ของท่าน เพื่อพิจารณาและแก้ไขเรื่องร้องเรียนนี้ และแจ้งความคืบหน้าให้ท่านทราบเท่านั้น ข้อมูลเปิดเผยเฉพาะเจ้าหน้าที่ของหน่วยงานที่รับผิดชอบ และอาจส่งต่อให้หน่วยงานที่มีอำนาจแก้ไขปัญหา การเข้าดูข้อมูลส่วนบุคคลของเจ้าหน้าที่ทุกครั้งถูกบันทึกไว้ หากเลือก "ไม่ประสงค์ออกนาม" เจ้าหน้าที่จะไม่เห็นชื่อและเบอร์โทรศัพท์ของท่าน ท่านขอดู แก้ไข หรือขอลบข้อมูลได้ที่สายด่วน 1567',
  en: 'The Damrongdhama Centre keeps what you enter in this form (category, details, area, photos, and your name and phone if you give them) with your LINE user id, only to handle this complaint and tell you how it goes. Only officers of the responsible unit see it, and it may be passed to the agency able to solve the problem. Every time an officer opens your personal data it is logged. If you choose "anonymous", officers do not see your name or phone. You may ask to see, correct or delete your data via hotline 1567.',
} as const;
