/** Every word the bot says, Thai first. en.ts has the same shape; the user's LINE language picks one. */
export const th = {
  greeting: (name: string) =>
    `สวัสดีค่ะ คุณ${name} 🙏\nศูนย์ดำรงธรรมยินดีรับฟังทุกเรื่องเดือดร้อนของท่าน\n\n• แจ้งเรื่องร้องเรียน — ร้องเรียน/ร้องทุกข์/แจ้งเบาะแส\n• ติดตามเรื่อง — ดูความคืบหน้าเรื่องที่แจ้งไว้\n• ติดต่อเจ้าหน้าที่ — สายด่วน 1567 ตลอด 24 ชั่วโมง\n\nเลือกจากเมนูด้านล่าง หรือพิมพ์ได้เลยค่ะ`,
  menu: { file: 'แจ้งเรื่องร้องเรียน', track: 'ติดตามเรื่อง', contact: 'ติดต่อเจ้าหน้าที่', cancel: 'ยกเลิก' },
  help: 'ขออภัยค่ะ ไม่เข้าใจข้อความนี้ 🙏\nต้องการทำอะไรคะ เลือกได้จากปุ่มด้านล่าง หรือพิมพ์ "แจ้งเรื่องร้องเรียน" / "ติดตามเรื่อง"',
  contact: 'ติดต่อเจ้าหน้าที่ศูนย์ดำรงธรรม\n📞 สายด่วน 1567 (ฟรี ตลอด 24 ชั่วโมง)\n🏢 ศูนย์ดำรงธรรมจังหวัด ณ ศาลากลางจังหวัด ในวันและเวลาราชการ\n\nหากต้องการแจ้งเรื่อง พิมพ์ "แจ้งเรื่องร้องเรียน" ได้เลยค่ะ',
  cancelled: 'ยกเลิกการแจ้งเรื่องแล้วค่ะ ข้อมูลที่กรอกไว้ถูกลบแล้ว หากต้องการเริ่มใหม่ พิมพ์ "แจ้งเรื่องร้องเรียน"',
  expiredDraft: 'การแจ้งเรื่องที่ค้างไว้เกิน 24 ชั่วโมงถูกยกเลิกแล้ว เพื่อความปลอดภัยของข้อมูลค่ะ',
  staleButton: 'ปุ่มนี้ใช้ไม่ได้แล้ว (เป็นขั้นตอนก่อนหน้า) ขอต่อจากขั้นตอนปัจจุบันนะคะ',
  askCategory: 'ขั้นที่ 1/6 — เรื่องที่ต้องการแจ้งเป็นประเภทใดคะ\n(เลือกจากปุ่มด้านล่าง)',
  categoryList: (lines: string[]) => `ประเภทเรื่อง:\n${lines.join('\n')}`,
  askCategoryAgain: 'กรุณาเลือกประเภทเรื่องจากปุ่มด้านล่างค่ะ หรือพิมพ์ "ยกเลิก"',
  askDescription: (category: string) => `ประเภท: ${category}\n\nขั้นที่ 2/6 — กรุณาเล่าเหตุการณ์ที่เกิดขึ้นค่ะ\nเกิดอะไรขึ้น ที่ไหน เมื่อไร ใครเกี่ยวข้อง (อย่างน้อย 10 ตัวอักษร)`,
  descriptionTooShort: 'ขอรายละเอียดเพิ่มอีกนิดค่ะ (อย่างน้อย 10 ตัวอักษร) เพื่อให้เจ้าหน้าที่ช่วยได้ตรงเรื่อง',
  descriptionTooLong: 'ข้อความยาวเกิน 5,000 ตัวอักษรค่ะ กรุณาสรุปให้สั้นลง',
  descriptionNotText: 'ขั้นนี้ขอเป็นข้อความค่ะ กรุณาพิมพ์เล่าเหตุการณ์ (รูปภาพส่งได้ในขั้นถัดไป)',
  askLocation: 'ขั้นที่ 3/6 — เหตุเกิดที่ไหนคะ\nกด "ส่งตำแหน่ง" เพื่อปักหมุด หรือพิมพ์ชื่อจังหวัด เช่น เชียงใหม่',
  sendLocation: 'ส่งตำแหน่ง',
  pickProvince: 'เลือกจังหวัด',
  confirmArea: (area: string) => `พื้นที่เกิดเหตุ: ${area}\nถูกต้องไหมคะ`,
  yes: 'ถูกต้อง',
  chooseMyself: 'เลือกเอง',
  provinceNotFound: (q: string) => `ไม่พบจังหวัด "${q}" ค่ะ ลองพิมพ์ใหม่ เช่น "เชียงใหม่" "ขอนแก่น" หรือ "กรุงเทพ"`,
  provinceChoices: 'พบหลายจังหวัดค่ะ เลือกจังหวัดที่ถูกต้อง',
  areaNotResolved: 'ระบุพื้นที่จากตำแหน่งนี้ไม่ได้ค่ะ กรุณาพิมพ์ชื่อจังหวัด เช่น เชียงใหม่',
  askDistrict: (province: string) => `จังหวัด${province} — อยู่อำเภอ/เขตไหนคะ\nเลือกจากปุ่ม หรือพิมพ์ชื่ออำเภอ`,
  districtNotFound: (q: string, province: string) => `ไม่พบอำเภอ "${q}" ในจังหวัด${province} ค่ะ ลองพิมพ์ใหม่ หรือเลือกจากปุ่ม`,
  more: 'อื่น ๆ ▶',
  askPhotos: 'ขั้นที่ 4/6 — มีรูปถ่ายประกอบไหมคะ (ไม่บังคับ)\nส่งได้สูงสุด 5 รูป แล้วกด "เสร็จแล้ว" หรือกด "ไม่มีรูป"',
  photoReceived: (n: number) => `ได้รับรูปที่ ${n}/5 แล้วค่ะ ส่งเพิ่มได้ หรือกด "เสร็จแล้ว"`,
  photoLimit: 'ครบ 5 รูปแล้วค่ะ กด "เสร็จแล้ว" เพื่อไปขั้นถัดไป',
  photoFailed: 'รับรูปนี้ไม่สำเร็จค่ะ กรุณาส่งใหม่อีกครั้ง',
  photosDone: 'เสร็จแล้ว',
  takePhoto: 'ถ่ายรูป',
  choosePhoto: 'เลือกรูป',
  noPhotos: 'ไม่มีรูป',
  photosHint: 'ขั้นนี้รับรูปภาพค่ะ ส่งรูป หรือกด "เสร็จแล้ว" / "ไม่มีรูป"',
  consent: (version: string) =>
    `ขั้นที่ 5/6 — การคุ้มครองข้อมูลส่วนบุคคล (PDPA) ฉบับ ${version}\nศูนย์ดำรงธรรมจะเก็บชื่อ LINE ของท่าน รายละเอียดเรื่อง พื้นที่ และรูปที่ส่ง เพื่อใช้พิจารณาและแก้ไขเรื่องร้องเรียนนี้เท่านั้น เปิดเผยเฉพาะเจ้าหน้าที่ของหน่วยงานที่รับผิดชอบ และอาจส่งต่อให้หน่วยงานที่มีอำนาจแก้ไขปัญหา ท่านขอดู แก้ไข หรือขอลบข้อมูลได้ที่สายด่วน 1567\n\nท่านยินยอมให้ใช้ข้อมูลตามนี้หรือไม่คะ`,
  consentYes: 'ยินยอม',
  consentNo: 'ไม่ยินยอม',
  consentDeclined: 'รับทราบค่ะ เราไม่สามารถรับเรื่องทาง LINE ได้หากไม่ได้รับความยินยอม ข้อมูลที่กรอกไว้ถูกลบแล้ว\nท่านยังแจ้งเรื่องได้ทางสายด่วน 1567 หรือที่ศูนย์ดำรงธรรมใกล้บ้านค่ะ',
  consentHint: 'กรุณากด "ยินยอม" หรือ "ไม่ยินยอม" ค่ะ',
  summary: (s: { category: string; description: string; area: string; photos: number }) =>
    `ขั้นที่ 6/6 — ตรวจสอบก่อนส่ง\n\nประเภท: ${s.category}\nรายละเอียด: ${s.description}\nพื้นที่: ${s.area}\nรูปภาพ: ${s.photos} รูป\n\nยืนยันส่งเรื่องไหมคะ`,
  confirmSend: 'ยืนยันส่งเรื่อง',
  confirmHint: 'กรุณากด "ยืนยันส่งเรื่อง" หรือ "ยกเลิก" ค่ะ',
  caseCreated: (trackingNo: string, unit: string) =>
    `ได้รับเรื่องของท่านแล้วค่ะ ✅\nเลขรับเรื่อง: ${trackingNo}\nหน่วยงานที่รับผิดชอบ: ${unit}\n\nเจ้าหน้าที่จะรับเรื่องและแจ้งความคืบหน้าทาง LINE นี้ภายใน 1 วันทำการ ท่านดูความคืบหน้าได้ตลอดที่เมนู "ติดตามเรื่อง" โดยใช้เลขรับเรื่องนี้`,
  noCases: 'ท่านยังไม่มีเรื่องที่แจ้งไว้ค่ะ กด "แจ้งเรื่องร้องเรียน" เพื่อเริ่ม\n\nหากแจ้งเรื่องไว้ทางสายด่วน หนังสือ หรือที่ศูนย์ฯ ส่งรหัสเชื่อมเรื่อง 8 ตัวที่เจ้าหน้าที่ให้ไว้ เช่น เชื่อมเรื่อง ABCD-EFGH เพื่อติดตามเรื่องทาง LINE นี้',
  linkUsage: 'หากต้องการติดตามเรื่องที่แจ้งทางช่องทางอื่น กรุณาส่งรหัสเชื่อมเรื่อง 8 ตัวที่เจ้าหน้าที่ให้ไว้ (อยู่ในใบรับเรื่อง) เช่น เชื่อมเรื่อง ABCD-EFGH\nหากไม่มีรหัส ขอรหัสใหม่ได้จากศูนย์ดำรงธรรมที่รับเรื่อง หรือโทร 1567',
  linked: (trackingNo: string, status: string) => `เชื่อมเรื่อง ${trackingNo} กับ LINE ของท่านแล้ว ✅\nสถานะ: ${status}\nท่านจะได้รับแจ้งความคืบหน้าทาง LINE นี้ และดูได้ที่เมนู "ติดตามเรื่อง"`,
  linkFailed: 'รหัสเชื่อมเรื่องไม่ถูกต้องค่ะ กรุณาตรวจสอบรหัส 8 ตัวในใบรับเรื่องอีกครั้ง หรือโทร 1567',
  linkCodeExpired: 'รหัสเชื่อมเรื่องนี้หมดอายุแล้วค่ะ กรุณาขอรหัสใหม่จากศูนย์ดำรงธรรมที่รับเรื่อง หรือโทร 1567',
  linkCodeUsed: 'รหัสเชื่อมเรื่องนี้ใช้ไปแล้วค่ะ รหัสใช้ได้ครั้งเดียว หากต้องการเชื่อมเรื่องอีกครั้ง กรุณาขอรหัสใหม่จากศูนย์ดำรงธรรมที่รับเรื่อง หรือโทร 1567',
  linkCaseLocked: 'เรื่องนี้มีการใส่รหัสผิดหลายครั้ง จึงระงับการเชื่อมเรื่องไว้เพื่อความปลอดภัยค่ะ กรุณาขอรหัสใหม่จากศูนย์ดำรงธรรมที่รับเรื่อง หรือโทร 1567',
  linkAlreadyYours: (trackingNo: string) => `เรื่อง ${trackingNo} เชื่อมกับ LINE ของท่านอยู่แล้วค่ะ ดูได้ที่เมนู "ติดตามเรื่อง"`,
  linkByPhoneGone: 'เพื่อความปลอดภัย การเชื่อมเรื่องด้วยเลขรับเรื่องและเบอร์โทรยกเลิกแล้วค่ะ กรุณาส่งรหัสเชื่อมเรื่อง 8 ตัวที่เจ้าหน้าที่ให้ไว้ เช่น เชื่อมเรื่อง ABCD-EFGH หากไม่มีรหัส ขอได้จากศูนย์ดำรงธรรมที่รับเรื่อง หรือโทร 1567',
  linkMovedAway: (trackingNo: string) => `เรื่อง ${trackingNo} ถูกเชื่อมกับบัญชี LINE อื่นแล้ว หากไม่ใช่ท่าน โปรดติดต่อ 1567`,
  officerCaseRelinked: (trackingNo: string, link: string) => `เรื่อง ${trackingNo}: ผู้ร้องเชื่อมเรื่องกับบัญชี LINE ใหม่ด้วยรหัสเชื่อมเรื่องที่หน่วยงานออกให้ บัญชีเดิมได้รับแจ้งแล้ว\nหากผู้ร้องแจ้งว่าไม่ได้ทำ ให้ออกรหัสใหม่และติดต่อผู้ร้อง\n${link}`,
  linkTooMany: 'ใส่รหัสผิดหลายครั้งเกินไป เพื่อความปลอดภัยกรุณาลองใหม่ในอีก 1 ชั่วโมง หรือโทร 1567 ค่ะ',
  caseListHeader: (n: number) => `เรื่องของท่าน (${n} เรื่องล่าสุด)`,
  caseLine: (c: { trackingNo: string; category: string; status: string; date: string }) =>
    `• ${c.trackingNo} — ${c.category}\n  สถานะ: ${c.status}\n  แจ้งเมื่อ: ${c.date}`,
  caseAssignedToCitizen: (trackingNo: string, unit: string) => `เรื่องเลขที่ ${trackingNo}: เจ้าหน้าที่รับเรื่องของท่านแล้ว และกำลังดำเนินการค่ะ\nหน่วยงาน: ${unit}`,
  // officers
  registerUsage: 'พิมพ์ "ลงทะเบียน" ตามด้วยรหัสที่ได้รับจากผู้ดูแลระบบ เช่น ลงทะเบียน ABCD-2345',
  registered: (unit: string, role: string) => `ลงทะเบียนเจ้าหน้าที่สำเร็จ ✅\nหน่วยงาน: ${unit}\nบทบาท: ${role}\nท่านจะได้รับแจ้งเตือนเรื่องใหม่ของหน่วยงานทาง LINE นี้`,
  registerFailed: 'รหัสไม่ถูกต้อง หมดอายุ หรือถูกใช้ไปแล้วค่ะ กรุณาขอรหัสใหม่จากผู้ดูแลระบบ',
  newCaseAlt: (trackingNo: string, category: string) => `เรื่องใหม่ ${trackingNo}: ${category}`,
  newCaseTitle: 'เรื่องร้องเรียนใหม่',
  fieldCategory: 'ประเภท',
  fieldArea: 'พื้นที่',
  fieldReceived: 'รับเมื่อ',
  fieldDue: 'ควรรับเรื่องภายใน',
  fieldChannel: 'ช่องทาง',
  fieldStatus: 'สถานะ',
  fieldAssignee: 'ผู้รับผิดชอบ',
  accept: 'รับเรื่อง',
  viewDetails: 'ดูรายละเอียด',
  acceptedByYou: (trackingNo: string) => `ท่านรับเรื่อง ${trackingNo} แล้ว ✅ ผู้ร้องได้รับแจ้งแล้วค่ะ`,
  alreadyTaken: (trackingNo: string, name: string) => `เรื่อง ${trackingNo} มีผู้รับเรื่องแล้ว (${name})`,
  takenNotice: (trackingNo: string, name: string) => `เรื่อง ${trackingNo} ${name} รับเรื่องแล้ว ไม่ต้องดำเนินการซ้ำค่ะ`,
  notYourUnit: 'เรื่องนี้ไม่อยู่ในความรับผิดชอบของหน่วยงานท่าน หรือท่านยังไม่ได้ลงทะเบียนเป็นเจ้าหน้าที่',
  caseNotFound: 'ไม่พบเรื่องนี้ค่ะ',
  anonymous: 'ไม่ประสงค์ออกนาม',
  complainant: 'ผู้ร้อง',
  attachments: (n: number) => `รูปภาพ ${n} รูป`,
  roles: { officer: 'เจ้าหน้าที่', head: 'หัวหน้าหน่วย', executive: 'ผู้บริหาร', admin: 'ผู้ดูแลระบบ' },
  escalatedNoOfficer: (unit: string) => `(หน่วยงาน ${unit} ยังไม่มีเจ้าหน้าที่ลงทะเบียน จึงแจ้งมาที่หน่วยงานท่าน)`,
  // LIFF form and case updates
  liffCaseCreated: (trackingNo: string, unit: string, link: string) =>
    `ได้รับเรื่องของท่านแล้วค่ะ ✅\nเลขรับเรื่อง: ${trackingNo}\nหน่วยงานที่รับผิดชอบ: ${unit}\n\nเจ้าหน้าที่จะติดต่อกลับโดยเร็ว ติดตามความคืบหน้าได้ที่\n${link}`,
  citizenProgress: (trackingNo: string, note: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo}: มีความคืบหน้าค่ะ\nสถานะ: อยู่ระหว่างดำเนินการ\n\n${note}\n\nดูรายละเอียด: ${link}`,
  citizenQuestion: (trackingNo: string, question: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo}: เจ้าหน้าที่ขอข้อมูลเพิ่มเติมค่ะ\n\n“${question}”\n\nพิมพ์ตอบหรือส่งรูปในแชตนี้ได้เลย ระบบจะแนบกับเรื่องนี้ให้ หรือตอบที่: ${link}`,
  citizenForwarded: (trackingNo: string, unit: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo}: ส่งต่อไปยัง${unit} ซึ่งเป็นหน่วยงานที่แก้ไขปัญหานี้ได้แล้วค่ะ\nใช้เลขรับเรื่องเดิมติดตามได้ตามปกติ\nดูรายละเอียด: ${link}`,
  citizenClosed: (trackingNo: string, summary: string, surveyLink: string) =>
    `เรื่องเลขที่ ${trackingNo}: ยุติเรื่องแล้วค่ะ\n\nผลการดำเนินการ: ${summary}\n\nขอความกรุณาประเมินความพึงพอใจ (ใช้เวลา 1 นาที):\n${surveyLink}`,
  citizenRejected: (trackingNo: string, reason: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo}: ศูนย์ดำรงธรรมไม่สามารถรับเรื่องนี้ไว้พิจารณาได้ค่ะ\n\nเหตุผล: ${reason}\n\nสอบถามเพิ่มเติมได้ที่สายด่วน 1567\nดูรายละเอียด: ${link}`,
  citizenWithdrawn: (trackingNo: string) =>
    `เรื่องเลขที่ ${trackingNo}: ถอนเรื่องเรียบร้อยแล้วค่ะ หากต้องการแจ้งเรื่องใหม่ กด "แจ้งเรื่องร้องเรียน" ได้ทุกเมื่อ`,
  officerInfoAdded: (trackingNo: string, link: string, text = '', photos = 0) =>
    `เรื่อง ${trackingNo}: ผู้ร้องเพิ่มข้อมูลแล้ว${text ? `\n“${text}”` : ''}${photos ? `\nรูปภาพ ${photos} รูป` : ''}\nดูรายละเอียด: ${link}`,
  officerWithdrawn: (trackingNo: string) => `เรื่อง ${trackingNo}: ผู้ร้องถอนเรื่องแล้ว ไม่ต้องดำเนินการต่อค่ะ`,
  forwardedFrom: (unit: string, reason: string) => `ส่งต่อจาก${unit}: ${reason}`,
  /** One line per timeline step, as the complainant reads it. */
  timeline: {
    opened: 'รับเรื่องร้องเรียน',
    assigned: 'เจ้าหน้าที่รับเรื่องแล้ว',
    note: 'ความคืบหน้า',
    internal_note: 'บันทึกภายใน (เฉพาะเจ้าหน้าที่)',
    asked: 'เจ้าหน้าที่ขอข้อมูลเพิ่มเติม',
    info_added: 'ผู้ร้องเพิ่มข้อมูล',
    forwarded: (unit: string) => `ส่งต่อไปยัง${unit}`,
    closed: 'ยุติเรื่อง',
    rejected: 'ไม่รับเรื่อง',
    withdrawn: 'ผู้ร้องถอนเรื่อง',
    survey: 'ผู้ร้องประเมินความพึงพอใจ',
    reopened: 'ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข เปิดเรื่องใหม่',
    line_linked: 'ผู้ร้องเชื่อมเรื่องกับ LINE',
    line_relinked: 'เรื่องถูกเชื่อมกับบัญชี LINE ใหม่ (รหัสเชื่อมเรื่องใหม่)',
    taken_over: 'หัวหน้าหน่วยงานรับเรื่องไว้ดำเนินการเอง',
    result_published: 'เจ้าหน้าที่เผยแพร่ผลการแก้ไขต่อสาธารณะ (ไม่มีข้อมูลผู้ร้อง)',
    result_withdrawn: 'เจ้าหน้าที่ยกเลิกการเผยแพร่ผลการแก้ไข',
    joined: 'มีผู้แจ้งเพิ่ม 1 คน',
    unfollowed: 'ผู้แจ้งด้วย 1 คนเลิกติดตาม',
    linked: 'เจ้าหน้าที่เชื่อมโยงกับเรื่องที่เกี่ยวข้อง',
    merged: 'รวมกับเรื่องอื่นที่เป็นปัญหาเดียวกัน',
    merged_in: 'รวมเรื่องของผู้แจ้งปัญหาเดียวกันเข้ามา',
    other: 'ดำเนินการ',
  },
  // Supervisors and unit LINE groups
  supervisorsOnly: 'คำสั่งนี้สำหรับหัวหน้าหน่วยงานและผู้บริหารที่ลงทะเบียนแล้วเท่านั้นค่ะ',
  lateUnitsTitle: 'หน่วยงานล่าช้า',
  lateUnitsAlt: (units: number, cases: number) => `หน่วยงานล่าช้า ${units} หน่วยงาน เกินกำหนดรวม ${cases} เรื่อง`,
  lateUnitsSummary: (scope: string, units: number, cases: number, shown: number) =>
    `หน่วยงานล่าช้าใน${scope}: ${units} หน่วยงาน เกินกำหนดรวม ${cases} เรื่อง${units > shown ? ` (แสดง ${shown} หน่วยงานที่ล่าช้าที่สุด)` : ''}\nกด "กระตุ้น" เพื่อแจ้งเตือนเจ้าหน้าที่ของหน่วยงาน (ครั้งละ 1 ครั้งต่อ 4 ชั่วโมง)`,
  noLateUnits: (scope: string) => `ไม่มีหน่วยงานที่มีเรื่องเกินกำหนดใน${scope}ค่ะ 👍`,
  /** The card reads the reconcile sweep's tally (many open cases): say how fresh it is. */
  lateUnitsAsOf: (hhmm: string) => `(ข้อมูล ณ เวลา ${hhmm} น. จากการตรวจนับรอบล่าสุด)`,
  overdueCases: (n: number) => `เกินกำหนด ${n} เรื่อง`,
  oldestLate: (trackingNo: string, days: number) => `ค้างนานที่สุด ${trackingNo} เกินกำหนด ${days ? `${days} วันทำการ` : 'ไม่ถึง 1 วันทำการ'}`,
  nudgeButton: 'กระตุ้น',
  nudgeSent: (unit: string, officers: number, groups: number) => `ส่งการกระตุ้นถึง${unit}แล้วค่ะ (เจ้าหน้าที่ ${officers} คน${groups ? ` และกลุ่ม LINE ${groups} กลุ่ม` : ''})`,
  nudgeAlready: (unit: string, time: string, name: string) => `${unit}ได้รับการกระตุ้นแล้วเมื่อเวลา ${time} น. โดย ${name} ค่ะ กระตุ้นซ้ำได้เมื่อครบ 4 ชั่วโมง`,
  nudgeNotLate: (unit: string) => `${unit}ไม่มีเรื่องเกินกำหนดแล้วค่ะ`,
  nudgeNobody: (unit: string) => `${unit}ยังไม่มีเจ้าหน้าที่หรือกลุ่ม LINE ที่ลงทะเบียนไว้ จึงส่งการกระตุ้นไม่ได้ค่ะ`,
  nudgeOutOfScope: 'หน่วยงานนี้ไม่อยู่ในความดูแลของท่าน จึงกระตุ้นไม่ได้ค่ะ',
  nudgeUnitText: (unit: string, overdue: number, oldestNo: string, days: number, byName: string, byUnit: string) =>
    `🔴 กระตุ้น: ${unit} มีเรื่องเกินกำหนด ${overdue} เรื่อง\nค้างนานที่สุด ${oldestNo} เกินกำหนด ${days ? `${days} วันทำการ` : 'ไม่ถึง 1 วันทำการ'}\nกรุณาเร่งดำเนินการ\n— ${byName} (${byUnit})`,
  groupJoined: 'สวัสดีค่ะ 🙏 บอทศูนย์ดำรงธรรมพร้อมส่งสรุปเรื่องที่ต้องติดตามของหน่วยงานเข้ากลุ่มนี้\nหัวหน้าหน่วยงาน: พิมพ์ "ขอรหัสเชื่อมกลุ่ม" ในแชทส่วนตัวกับบอท แล้วพิมพ์ในกลุ่มนี้ว่า\nเชื่อมกลุ่ม <รหัส>\n(กลุ่มจะได้รับเฉพาะเลขรับเรื่อง จำนวน และวันครบกำหนด ไม่มีข้อมูลส่วนบุคคลของผู้ร้อง)',
  groupCodeIssued: (code: string, unit: string, until: string) => `รหัสเชื่อมกลุ่ม LINE ของ${unit}: ${code}\nเชิญบอทเข้ากลุ่มของหน่วยงาน แล้วพิมพ์ในกลุ่มว่า\nเชื่อมกลุ่ม ${code}\n(ใช้ได้ครั้งเดียว ถึง ${until})`,
  groupLinked: (unit: string) => `เชื่อมกลุ่มนี้กับ${unit}แล้วค่ะ ✅\nกลุ่มจะได้รับสรุปการเตือน/กระตุ้นของหน่วยงาน (ไม่มีข้อมูลส่วนบุคคลของผู้ร้อง)`,
  groupLinkFailed: 'รหัสเชื่อมกลุ่มไม่ถูกต้อง หมดอายุ หรือถูกใช้ไปแล้วค่ะ ขอรหัสใหม่ได้โดยพิมพ์ "ขอรหัสเชื่อมกลุ่ม" ในแชทส่วนตัวกับบอท',
  groupLinkUsage: 'พิมพ์ว่า เชื่อมกลุ่ม <รหัส> เช่น เชื่อมกลุ่ม K7PM-2QXD',
  groupDigestTitle: (unit: string) => `📋 ${unit}`,

  // SLA notifications: the officers' digest of a run and the citizen's apology (workers/sla/messages.ts)
  slaWindow: { ack: 'รับเรื่อง/ดำเนินการ', answer: 'ตอบผู้ร้อง (ม.38)', resolve: 'ยุติเรื่อง' } as Record<'ack' | 'answer' | 'resolve', string>,
  slaDigestTitle: (when: string) => `สรุปเรื่องร้องเรียนที่ต้องติดตาม ${when}`,
  slaEscalatedAct: (link: string) => `รับเรื่องไว้เอง หรือมอบหมายเจ้าหน้าที่ได้ที่: ${link}`,
  slaDigestEscalated: '⬆️ ยกระดับมาถึงหน่วยงานท่าน',
  slaDigestNudge: '🔴 กระตุ้น: เกินกำหนดแล้ว',
  slaDigestRemind: '⏰ เตือน: ใกล้ครบกำหนด',
  slaEscalatedLine: (trackingNo: string, unit: string, window: string, deadline: string, level: number) => `${trackingNo} ${unit} เกินกำหนด${window} (${deadline}) ระดับ ${level}`,
  slaNudgeLine: (trackingNo: string, window: string, deadline: string) => `${trackingNo} ${window} ครบกำหนด ${deadline}`,
  slaRemindLine: (trackingNo: string, window: string, deadline: string) => `${trackingNo} ${window} ภายใน ${deadline}`,
  slaApology: (trackingNo: string, newExpected: string) => `ขออภัย เรื่อง ${trackingNo} ของท่านยังไม่ได้รับการดำเนินการภายในเวลามาตรฐาน คาดว่าจะดำเนินการภายใน ${newExpected}`,
  slaEscalatedNote: (level: number, window: string) => `ยกระดับระดับ ${level}: เกินกำหนด ${window}`,
  // Officers' rich menu: งานของฉัน, วิธีใช้
  officersOnly: 'คำสั่งนี้สำหรับเจ้าหน้าที่ที่ลงทะเบียนแล้วค่ะ หากเป็นเจ้าหน้าที่ พิมพ์ "ลงทะเบียน" ตามด้วยรหัสจากผู้ดูแลระบบ',
  myWorkTitle: (name: string, unit: string) => `งานของ${name} (${unit})`,
  myWorkAssigned: (n: number) => `เรื่องที่ท่านรับผิดชอบ ยังไม่ยุติ: ${n} เรื่อง`,
  myWorkNone: 'ไม่มีเรื่องค้างที่ท่านรับผิดชอบค่ะ 👍',
  myWorkLine: (trackingNo: string, status: string, due: string) => `• ${trackingNo} ${status}${due ? ` ครบกำหนด ${due}` : ''}`,
  myWorkMore: (n: number) => `…และอีก ${n} เรื่อง`,
  myWorkUnassigned: (n: number) => `เรื่องใหม่ของหน่วยงานที่ยังไม่มีผู้รับ: ${n} เรื่อง`,
  myWorkLink: (link: string) => `ดูและจัดการทั้งหมด: ${link}`,
  officerHelp: (supervisor: boolean) => [
    'วิธีใช้สำหรับเจ้าหน้าที่',
    '• งานของฉัน — เรื่องที่ท่านรับผิดชอบและเรื่องใหม่ของหน่วยงาน',
    '• หน้าเจ้าหน้าที่ — รายการเรื่องของหน่วยงาน รับเรื่อง บันทึกความคืบหน้า ส่งต่อ ยุติเรื่อง',
    '• ปุ่ม "รับเรื่อง" บนการแจ้งเตือนเรื่องใหม่ — รับเป็นผู้รับผิดชอบ',
    '• ระบบจะส่งสรุปเตือน (ใกล้ครบกำหนด) และกระตุ้น (เกินกำหนด) วันละไม่เกิน 1 ข้อความต่อรอบ ในเวลาราชการ',
    ...(supervisor ? ['• หน่วยงานล่าช้า — หน่วยงานในความดูแลที่มีเรื่องเกินกำหนด กด "กระตุ้น" เพื่อเร่งรัด', '• ขอรหัสเชื่อมกลุ่ม — เชื่อมกลุ่ม LINE ของหน่วยงานให้รับสรุปการเตือน', '• หน้าเจ้าหน้าที่ > หน่วยงานในสังกัด — เรื่องของหน่วยงานในความดูแล (ล่าช้า / ยังไม่มีเจ้าหน้าที่) รับเรื่องไว้เอง หรือมอบหมายเจ้าหน้าที่'] : []),
  ].join('\n'),
  // Verified closure and reopen (docs/closure-and-reopen.md)
  citizenClosedResult: (trackingNo: string, summary: string, photos: number, caseLink: string, surveyLink: string) =>
    `เรื่องเลขที่ ${trackingNo}: ยุติเรื่องแล้วค่ะ\n\nผลการดำเนินการ: ${summary}\n\n`
    + (photos ? `ภาพผลการดำเนินการ ${photos} ภาพ ดูได้ที่:\n${caseLink}\n\n` : '')
    + `ปัญหาได้รับการแก้ไขแล้วหรือยังคะ? กรุณาตอบและประเมินความพึงพอใจ (ใช้เวลา 1 นาที) หากยังไม่ได้รับการแก้ไข ท่านขอเปิดเรื่องใหม่ได้จากลิงก์นี้:\n${surveyLink}`,
  closedQuickFixed: 'แก้ไขแล้ว',
  closedQuickNotFixed: 'ยังไม่ได้แก้ไข',
  officerReopened: (trackingNo: string, reason: string, due: string, link: string) =>
    `🔁 เรื่อง ${trackingNo}: ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข จึงเปิดเรื่องใหม่\nเหตุผลของผู้ร้อง: ${reason}\nกำหนดแล้วเสร็จใหม่: ${due}\n${link}`,
  officerReopenedUp: (trackingNo: string, fromUnit: string, reason: string, due: string, link: string) =>
    `🔁 เรื่อง ${trackingNo}: ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข เป็นครั้งที่สอง จึงส่งขึ้นมาจาก${fromUnit}\nเหตุผลของผู้ร้อง: ${reason}\nกำหนดแล้วเสร็จ: ${due}\n${link}`,
  citizenReopened: (trackingNo: string, unit: string, due: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo}: เปิดเรื่องใหม่แล้วค่ะ ${unit}จะดำเนินการต่อ คาดว่าแล้วเสร็จภายใน ${due}\nติดตามได้ที่: ${link}`,

  // The chat takes people as they talk: free text, photos and pins first, back/edit, answers to officers
  back: 'ย้อนกลับ',
  edit: 'แก้ไข',
  editWhich: 'ต้องการแก้ไขส่วนไหนคะ เลือกจากปุ่มด้านล่าง',
  editParts: { category: 'ประเภท', description: 'รายละเอียด', location: 'พื้นที่', photos: 'รูปภาพ' } as Record<'category' | 'description' | 'location' | 'photos', string>,
  offerText: (words: string) => `ต้องการแจ้งเรื่อง “${words}” ใช่ไหมคะ\nกด "แจ้งเรื่องนี้" เพื่อเริ่มโดยใช้ข้อความนี้ หรือเลือกจากเมนูด้านล่าง`,
  useText: 'แจ้งเรื่องนี้',
  startedFromText: 'ได้รับเรื่องที่เล่ามาแล้วค่ะ 🙏 ไม่ต้องพิมพ์ซ้ำ ขอถามเพิ่มอีกเล็กน้อยเพื่อส่งให้หน่วยงานที่ถูกต้อง',
  startedFromPhoto: 'ได้รับรูปแล้วค่ะ 📷 เริ่มแจ้งเรื่องพร้อมรูปนี้ ขอถามเพิ่มอีกเล็กน้อย',
  startedFromLocation: 'ได้รับตำแหน่งแล้วค่ะ 📍 เริ่มแจ้งเรื่องที่พื้นที่นี้',
  descriptionSoFar: (start: string) => `ที่พิมพ์ไว้: “${start}” — เล่าเพิ่มอีกนิดนะคะ`,
  descriptionTooLongBy: (n: number) => `ข้อความนี้ยาว ${n.toLocaleString('en-US')} ตัวอักษร เกินที่รับได้ 5,000 ตัวอักษรค่ะ ระบบยังไม่ได้บันทึกข้อความนี้ กรุณาส่งสรุปที่สั้นลง (ส่งรูปประกอบได้ในขั้นถัดไป)`,
  descriptionShortened: (n: number) => `(แสดงบางส่วน — เจ้าหน้าที่จะได้รับครบทั้ง ${n.toLocaleString('en-US')} ตัวอักษร)`,
  sticker: 'ขอบคุณสำหรับสติกเกอร์ค่ะ 😊',
  declineConfirm: 'ยืนยันไม่ยินยอมใช่ไหมคะ\nหากยืนยัน ข้อมูลและรูปที่ส่งมาสำหรับเรื่องนี้จะถูกลบทั้งหมด และจะไม่มีการส่งเรื่อง',
  declineYes: 'ยืนยัน ลบข้อมูล',
  infoAttached: (trackingNo: string) => `แนบกับเรื่อง ${trackingNo} แล้วค่ะ ✅\nแจ้งเจ้าหน้าที่แล้ว ส่งข้อความหรือรูปเพิ่มได้อีก`,
  whichCase: 'เจ้าหน้าที่ขอข้อมูลเพิ่มเติมไว้หลายเรื่องค่ะ ข้อความ/รูปนี้เป็นของเรื่องไหนคะ',
  infoNotOpen: (trackingNo: string) => `เรื่อง ${trackingNo} ยุติแล้ว จึงแนบข้อมูลเพิ่มไม่ได้ค่ะ หากมีเรื่องใหม่ กด "แจ้งเรื่องร้องเรียน"`,
  caseStatusHeader: 'สถานะเรื่องของท่าน',
  addedToDescription: 'เพิ่มข้อความนี้ในรายละเอียดเรื่องแล้วค่ะ ✍️',

  // Supervisors acting on the cases below them: take over, assign, unowned cases
  takeOver: 'รับเรื่องไว้เอง',
  takeOverDefaultReason: 'หน่วยงานในสังกัดยังไม่มีผู้ดำเนินการ หัวหน้าหน่วยงานจึงรับไว้ดำเนินการเอง',
  takenOverByYou: (trackingNo: string) => `ท่านรับเรื่อง ${trackingNo} ไว้ดำเนินการเองแล้ว ✅ เรื่องย้ายมาที่หน่วยงานของท่าน และผู้ร้องได้รับแจ้งแล้วค่ะ`,
  takenOverNotice: (trackingNo: string, unit: string, name: string) => `เรื่อง ${trackingNo}: ${name} (${unit}) รับไว้ดำเนินการเองแล้ว หน่วยงานท่านไม่ต้องดำเนินการต่อค่ะ`,
  escalatedTakeOverHint: 'กด "รับเรื่องไว้เอง" เพื่อรับไว้ดำเนินการที่หน่วยงานท่าน หรือมอบหมายเจ้าหน้าที่ได้ที่หน้าเจ้าหน้าที่ (หน่วยงานในสังกัด)',
  caseCreatedUnowned: (trackingNo: string, unit: string, holder: string) =>
    `ได้รับเรื่องของท่านแล้วค่ะ ✅\nเลขรับเรื่อง: ${trackingNo}\nหน่วยงานในพื้นที่: ${unit}\n\n${unit}ยังไม่มีเจ้าหน้าที่ในระบบ เรื่องของท่านจึงแจ้งไปที่${holder}ซึ่งเป็นหน่วยงานต้นสังกัด เมื่อมีผู้รับเรื่องแล้วจะแจ้งท่านทาง LINE นี้ ท่านดูความคืบหน้าได้ตลอดที่เมนู "ติดตามเรื่อง" โดยใช้เลขรับเรื่องนี้`,
  caseCreatedNobody: (trackingNo: string, unit: string) =>
    `ได้รับเรื่องของท่านแล้วค่ะ ✅\nเลขรับเรื่อง: ${trackingNo}\nหน่วยงานในพื้นที่: ${unit}\n\nขณะนี้ยังไม่มีเจ้าหน้าที่ในระบบที่รับเรื่องนี้ได้ เรื่องของท่านบันทึกไว้แล้วและจะไม่สูญหาย หากเรื่องเร่งด่วนกรุณาโทรสายด่วน 1567`,
  liffCaseCreatedUnowned: (trackingNo: string, unit: string, holder: string, link: string) =>
    `ได้รับเรื่องของท่านแล้วค่ะ ✅\nเลขรับเรื่อง: ${trackingNo}\nหน่วยงานในพื้นที่: ${unit}\n\n${unit}ยังไม่มีเจ้าหน้าที่ในระบบ เรื่องของท่านจึงแจ้งไปที่${holder}ซึ่งเป็นหน่วยงานต้นสังกัด ติดตามความคืบหน้าได้ที่\n${link}`,
  citizenTakenOver: (trackingNo: string, unit: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo}: ${unit}รับเรื่องของท่านไว้ดำเนินการเองแล้วค่ะ\nใช้เลขรับเรื่องเดิมติดตามได้ตามปกติ\nดูรายละเอียด: ${link}`,
  officerAssignedToYou: (trackingNo: string, byName: string, link: string) => `เรื่อง ${trackingNo}: ${byName} มอบหมายให้ท่านเป็นผู้รับผิดชอบค่ะ\nดูรายละเอียด: ${link}`,
  citizenForwardedUnowned: (trackingNo: string, unit: string, holder: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo}: ส่งต่อไปยัง${unit}แล้วค่ะ ขณะนี้${unit}ยังไม่มีเจ้าหน้าที่ในระบบ เรื่องของท่านจึงอยู่ในความดูแลของ${holder}\nใช้เลขรับเรื่องเดิมติดตามได้ตามปกติ\nดูรายละเอียด: ${link}`,
  lateUnitsUnowned: (units: number, cases: number, link: string) => `หน่วยงานที่ยังไม่มีเจ้าหน้าที่ในระบบ ${units} หน่วยงาน มีเรื่องค้าง ${cases} เรื่อง รับเรื่องไว้เองหรือมอบหมายเจ้าหน้าที่ได้ที่ ${link}`,
  unownedUnitNote: 'ยังไม่มีเจ้าหน้าที่ในระบบ',
  // Citizen rights: "ข้อมูลของฉัน", deletion (shared/privacy/anonymise.ts).
  myData: (link: string) => `ข้อมูลของฉัน: ดูข้อมูลทั้งหมดที่เราเก็บเกี่ยวกับคุณ และดาวน์โหลดเป็นไฟล์ได้ที่\n${link}\n\nหากต้องการถอนความยินยอมและลบข้อมูลส่วนบุคคล พิมพ์ "ลบข้อมูลของฉัน"`,
  eraseConfirm: (cases: number, open: number) => `ยืนยันลบข้อมูลส่วนบุคคลของคุณหรือไม่คะ\n\nชื่อ เบอร์โทร LINE ID ที่อยู่ และรูปภาพใน ${cases} เรื่องจะถูกลบ (เรื่องยังคงอยู่ในสถิติโดยไม่ระบุตัวตน) และร่างเรื่องที่ค้างไว้จะถูกลบ`
    + (open ? `\n\n⚠️ มี ${open} เรื่องที่ยังดำเนินการอยู่: หลังลบแล้ว หน่วยงานจะติดต่อคุณไม่ได้อีก และคุณจะติดตามเรื่องผ่าน LINE ไม่ได้` : ''),
  eraseYes: 'ยืนยันลบข้อมูล',
  eraseNo: 'ไม่ลบ',
  eraseDone: (cases: number) => `ลบข้อมูลส่วนบุคคลของคุณแล้วค่ะ (${cases} เรื่อง) เราจะไม่เก็บชื่อ เบอร์โทร และ LINE ID ของคุณในเรื่องเหล่านี้อีก`,
  eraseKept: 'ไม่ได้ลบข้อมูลค่ะ ข้อมูลของคุณยังอยู่ครบ',
  officerAnonymised: (trackingNo: string) => `เรื่อง ${trackingNo}: ผู้ร้องถอนความยินยอมและขอลบข้อมูลส่วนบุคคล ชื่อ เบอร์โทร และรูปภาพของผู้ร้องถูกลบแล้ว หน่วยงานจะติดต่อผู้ร้องผ่านระบบไม่ได้อีก โปรดดำเนินการตามข้อมูลที่เหลืออยู่ค่ะ`,
  // Partner agencies (shared/cases/routing.ts, docs/agencies.md).
  forwardToAgency: 'ส่งต่อหน่วยงาน',
  suggestedAgencyNote: (agency: string) => `หน่วยงานที่แก้ปัญหานี้ในพื้นที่: ${agency} กด "ส่งต่อหน่วยงาน" เพื่อส่งต่อได้ทันที`,
  forwardToAgencyReason: (agency: string) => `ส่งต่อ${agency} ซึ่งรับผิดชอบปัญหาประเภทนี้ในพื้นที่`,
  forwardedToAgency: (trackingNo: string, agency: string) => `ส่งเรื่อง ${trackingNo} ต่อไปยัง${agency}แล้วค่ะ ศูนย์ฯ ยังติดตามเรื่องและกำหนดเวลาได้ตามเดิม`,
  noSuggestedAgency: 'เรื่องนี้ไม่มีหน่วยงานที่แนะนำให้ส่งต่อ หรือส่งต่อไปแล้วค่ะ',
  agencyCopy: (trackingNo: string, agency: string, link: string) => `สำเนาเพื่อทราบ: เรื่องใหม่ ${trackingNo} ส่งตรงถึง${agency} (หน่วยงานในความกำกับของศูนย์ฯ) ศูนย์ฯ ติดตามความคืบหน้าและกำหนดเวลาได้ที่ ${link}`,
  // "แจ้งด้วย": joining a case about the same problem instead of filing it twice (docs/joining.md)
  relatedIntro: 'มีผู้แจ้งปัญหาคล้ายกันใกล้คุณ',
  relatedExplain: 'ถ้าเป็นปัญหาเดียวกัน กด "แจ้งด้วย" เพื่อร่วมแจ้งและรับความคืบหน้าของเรื่องนั้น (เจ้าหน้าที่จะเห็นว่ามีผู้แจ้งเพิ่ม) ถ้าไม่ใช่ กด "แจ้งเรื่องใหม่" เพื่อแจ้งเรื่องของท่านต่อ',
  relatedLine: (r: { trackingNo: string; type: string; area: string; date: string; status: string; supporters: number }) =>
    `• เลขที่ ${r.trackingNo}\n  ${r.type} · ${r.area}\n  รับเรื่อง ${r.date} · ${r.status}\n  มีผู้แจ้งแล้ว ${r.supporters} คน`,
  joinButton: (trackingNo: string) => `แจ้งด้วย ${trackingNo}`,
  fileAnyway: 'แจ้งเรื่องใหม่',
  relatedHint: 'กด "แจ้งด้วย" กับเรื่องที่เป็นปัญหาเดียวกัน หรือ "แจ้งเรื่องใหม่" เพื่อแจ้งเรื่องของท่านต่อค่ะ',
  joined: (trackingNo: string, status: string, supporters: number) =>
    `ร่วมแจ้งเรื่องเลขที่ ${trackingNo} แล้วค่ะ ✅\nสถานะ: ${status} · มีผู้แจ้งแล้ว ${supporters} คน\n\nท่านจะได้รับความคืบหน้าของเรื่องนี้ทาง LINE จนกว่าจะยุติเรื่อง `
    + 'ข้อความและรูปที่ท่านพิมพ์ไว้ไม่ได้ส่งไปกับเรื่องนี้ (เรื่องนี้เป็นของผู้แจ้งคนแรก) หากมีรายละเอียดที่ต่างออกไป กด "แจ้งเรื่องร้องเรียน" เพื่อแจ้งเป็นเรื่องใหม่ได้\n\n'
    + `เลิกรับความคืบหน้า: พิมพ์ เลิกติดตาม ${trackingNo}`,
  joinedAlready: (trackingNo: string) => `ท่านติดตามเรื่องเลขที่ ${trackingNo} อยู่แล้วค่ะ ความคืบหน้าจะส่งถึงท่านทาง LINE`,
  joinOwnCase: (trackingNo: string) => `เรื่องเลขที่ ${trackingNo} เป็นเรื่องที่ท่านแจ้งเองค่ะ ท่านได้รับความคืบหน้าอยู่แล้ว`,
  joinClosed: (trackingNo: string) => `เรื่องเลขที่ ${trackingNo} ยุติแล้วค่ะ จึงร่วมแจ้งไม่ได้ หากปัญหายังอยู่ แจ้งเป็นเรื่องใหม่ได้`,
  joinNotFound: 'ไม่พบเรื่องนี้ค่ะ',
  supporters: (n: number) => `มีผู้แจ้งแล้ว ${n} คน`,
  followingMark: 'แจ้งด้วย',
  unfollowed: (trackingNo: string) => `เลิกติดตามเรื่องเลขที่ ${trackingNo} แล้วค่ะ ท่านจะไม่ได้รับความคืบหน้าของเรื่องนี้อีก`,
  notFollowing: (trackingNo: string) => `ท่านไม่ได้ติดตามเรื่องเลขที่ ${trackingNo} ค่ะ (เลิกติดตามได้เฉพาะเรื่องที่ท่านกด "แจ้งด้วย")`,
  followerHeader: '📣 ความคืบหน้าของเรื่องที่ท่านแจ้งด้วย',
  followerClosed: (trackingNo: string, summary: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo}: ยุติเรื่องแล้วค่ะ\n\nผลการดำเนินการ: ${summary}\n\nหากปัญหายังไม่ได้รับการแก้ไข กด "แจ้งเรื่องร้องเรียน" เพื่อแจ้งเป็นเรื่องใหม่ได้\nดูรายละเอียด: ${link}`,
  followerWithdrawn: (trackingNo: string) =>
    `เรื่องเลขที่ ${trackingNo}: ผู้แจ้งคนแรกถอนเรื่องแล้วค่ะ หากปัญหายังอยู่ กด "แจ้งเรื่องร้องเรียน" เพื่อแจ้งเป็นเรื่องใหม่ได้`,
  officerJoined: (trackingNo: string, supporters: number, link: string) =>
    `เรื่อง ${trackingNo}: มีผู้แจ้งปัญหาเดียวกันเพิ่ม 1 คน (รวม ${supporters} คน)\nดูรายละเอียด: ${link}`,
  // Related complaints: an officer merged a case into another about the same problem (shared/cases/commands/mergeCases.ts).
  citizenMergedYours: (trackingNo: string, targetNo: string, link: string) =>
    `เรื่องเลขที่ ${trackingNo} ของท่านเป็นปัญหาเดียวกับเรื่องเลขที่ ${targetNo} ที่มีผู้แจ้งไว้ เจ้าหน้าที่จึงรวมไว้เป็นเรื่องเดียวกันค่ะ\nต่อจากนี้ท่านจะได้รับความคืบหน้าของเรื่อง ${targetNo} ทาง LINE นี้\nดูรายละเอียด: ${link}`,
  citizenMergedIntoYours: (targetNo: string, sourceNo: string, supporters: number) =>
    `เรื่องเลขที่ ${targetNo}: มีผู้แจ้งปัญหาเดียวกันเพิ่ม (เรื่องเลขที่ ${sourceNo}) เจ้าหน้าที่รวมไว้ในเรื่องนี้แล้ว ขณะนี้มีผู้แจ้งปัญหานี้ ${supporters} คนค่ะ`,
  officerMergedIn: (targetNo: string, sourceNo: string, supporters: number, link: string) =>
    `เรื่อง ${targetNo}: รวมเรื่อง ${sourceNo} (ปัญหาเดียวกัน) เข้ามาแล้ว ผู้แจ้งรวม ${supporters} คน ผู้แจ้งทุกคนจะได้รับความคืบหน้าของเรื่องนี้\nดูรายละเอียด: ${link}`,
  // Problem types (config/problem-types.json): the first question of a complaint.
  askProblemType: 'ขั้นที่ 1/6 — เป็นปัญหาเรื่องอะไรคะ\n(แตะปุ่มด้านล่าง หรือพิมพ์หมายเลข)',
  problemTypeSuggested: (word: string, type: string) => `ขั้นที่ 1/6 — พบคำว่า “${word}” — ใช่เรื่อง ${type} ไหมคะ\n(แตะปุ่มด้านล่าง หรือเลือกเรื่องอื่น)`,
  problemTypeList: (lines: string[]) => `ประเภทปัญหา:\n${lines.join('\n')}`,
  problemTypeMore: 'เรื่องอื่นๆ/ทั้งหมด',
  problemTypeRest: 'ขั้นที่ 1/6 — เรื่องอื่น ๆ: เลือกจากปุ่มด้านล่างค่ะ',
  problemTypeFirstPage: 'เรื่องที่พบบ่อย',
  problemTypeAgain: 'กรุณาเลือกประเภทปัญหาจากปุ่มด้านล่าง หรือพิมพ์หมายเลขค่ะ หรือพิมพ์ "ยกเลิก"',
};

export type Copy = typeof th;
