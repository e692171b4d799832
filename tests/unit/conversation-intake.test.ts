/** The complaint intake, state by state, as the citizen sees it: no Redis, no database. */
import { describe, expect, it } from 'vitest';
import { PDPA_NOTICE_VERSION } from '../../bot/conversation/types.ts';
import { buttons, command, ctxOf, en, fullDraft, last, NOW, photo, reply, say, tap, texts, th, turn } from './chat.ts';

/** A sentence sent with nothing in progress starts a complaint (once no officer is waiting for an answer). */
const started = (sentence: string, lang: 'th' | 'en' = 'th') => reply(command(say(sentence), ctxOf('idle', {}, lang), 'awaitingCases').next([]));

const DESCRIPTION = 'ไฟถนนดับทั้งซอยมาสองสัปดาห์แล้ว กลางคืนมืดมาก';

describe('askingCategory: problem types people recognise', () => {
  it('asks with the ten most common types, "other / see all" and cancel, numbered in the text, in Thai', () => {
    const r = turn(say('แจ้งเรื่องร้องเรียน'), ctxOf('idle'));
    expect(r.state).toBe('askingCategory');
    expect(last(r)).toContain('ขั้นที่ 1/6 — เป็นปัญหาเรื่องอะไรคะ');
    expect(last(r)).toContain('2. 💡 ไฟถนนดับ');
    expect(buttons(r)).toEqual([
      '🛣️ ถนน/ทางเท้าชำรุด', '💡 ไฟถนนดับ', '🌊 น้ำท่วม/ท่อตัน', '🗑️ ขยะ', '🚰 น้ำประปา', '⚡ ไฟฟ้าดับ/ไฟตก',
      '🔊 เสียง กลิ่น ควัน', '🚦 จราจร/ที่จอดรถ', '🐕 สัตว์จรจัด/มีพิษ', '🚨 ยาเสพติด/พนัน', 'เรื่องอื่นๆ/ทั้งหมด', 'ยกเลิก',
    ]);
  });

  it('"other / see all" shows the remaining ten, and a way back', () => {
    const r = turn(tap('askingCategory', 'types', 'rest'), ctxOf('askingCategory'));
    expect(r.state).toBe('askingCategory');
    expect(last(r)).toContain('เรื่องอื่น ๆ');
    expect(last(r)).toContain('19. 📜 ทูลเกล้าถวายฎีกา');
    expect(buttons(r)).toEqual([
      '🤲 ขอความช่วยเหลือ', '🗺️ ที่ดิน/บุกรุก', '🤝 ข้อพิพาท', '🛒 ผู้บริโภค/ถูกโกง', '💸 หนี้นอกระบบ', '🏗️ โครงการของรัฐ',
      '👮 เจ้าหน้าที่รัฐ', '⚖️ ทุจริต/สินบน', '📜 ถวายฎีกา', '💬 เรื่องอื่น ๆ', 'เรื่องที่พบบ่อย', 'ยกเลิก',
    ]);
    expect(buttons(turn(tap('askingCategory', 'types', 'first'), ctxOf('askingCategory')))[0]).toBe('🛣️ ถนน/ทางเท้าชำรุด');
  });

  it('a description typed first: the type it points to comes first, with the word that gave it away', () => {
    const r = started('ไฟถนนหน้าบ้านดับมา3วันแล้วค่ะ');
    expect(r.state).toBe('askingCategory');
    expect(last(r)).toContain('พบคำว่า “ไฟถนน” — ใช่เรื่อง ไฟถนนดับ ไหมคะ');
    expect(buttons(r)[0]).toBe('💡 ไฟถนนดับ');
    // Still ten types: the suggested one is not listed twice.
    expect(buttons(r).filter((b) => b === '💡 ไฟถนนดับ')).toHaveLength(1);
    expect(buttons(r)).toHaveLength(12);
  });

  it('in English: English names and the English reason, no Thai at all', () => {
    const plain = turn(say('file a complaint'), ctxOf('idle', {}, 'en'));
    expect(last(plain)).toContain(en.askProblemType);
    expect(buttons(plain)).toContain('🚦 Traffic/parking');
    expect(buttons(plain).at(-1)).toBe('Cancel');
    const suggested = started('There is a huge pothole outside my house', 'en');
    expect(last(suggested)).toContain('Found “pothole” — is it about: Road, footpath or bridge damaged?');
    expect(buttons(suggested)[0]).toBe('🛣️ Road/footpath');
    for (const r of [plain, suggested]) expect([...texts(r), ...buttons(r)].join(' ')).not.toMatch(/[\u0E00-\u0E7F]/);
  });

  it('takes a tap, a number or a typed name; the category recorded is the type\'s', () => {
    const byTap = turn(tap('askingCategory', 'type', 'street_light'), ctxOf('askingCategory', { description: DESCRIPTION }));
    expect(byTap.draft).toEqual({ description: DESCRIPTION, problemType: 'street_light', category: 'help' });
    // The description was sent already: the next question is where.
    expect(byTap.state).toBe('askingLocation');
    expect(turn(say('18'), ctxOf('askingCategory')).draft).toEqual({ problemType: 'corruption', category: 'corruption' });
    expect(turn(say('หนี้นอกระบบ'), ctxOf('askingCategory')).draft).toEqual({ problemType: 'informal_debt', category: 'informal_debt' });
    expect(turn(say('Royal petition'), ctxOf('askingCategory', {}, 'en')).draft.category).toBe('petition');
  });

  it('words typed at the question: asked again with the types they point to first', () => {
    const r = turn(say('หมาจรเยอะ'), ctxOf('askingCategory'));
    expect(r.state).toBe('askingCategory');
    expect(last(r)).toContain('พบคำว่า “หมาจร”');
    expect(buttons(r)[0]).toBe('🐕 สัตว์จรจัด/มีพิษ');
    expect(r.draft).toEqual({});
  });

  it('the story typed at the question is kept as the description and the question asked again from it', () => {
    const r = turn(say('น้ำประปาไม่ไหลมาสองวันแล้วค่ะ ทั้งซอยเลย'), ctxOf('askingCategory'));
    expect(r.state).toBe('askingCategory');
    expect(r.draft).toEqual({ description: 'น้ำประปาไม่ไหลมาสองวันแล้วค่ะ ทั้งซอยเลย' });
    expect(last(r)).toContain('ใช่เรื่อง น้ำประปา ไหมคะ');
    expect(buttons(r)[0]).toBe('🚰 น้ำประปา');
    // Tapped: the description is not asked for again.
    expect(turn(tap('askingCategory', 'type', 'water_supply'), ctxOf('askingCategory', r.draft)).state).toBe('askingLocation');
  });

  it('a category button from an older message still records its category', () => {
    const r = turn(tap('askingCategory', 'cat', 'tipoff'), ctxOf('askingCategory'));
    expect(r.draft).toEqual({ category: 'tipoff' });
    expect(r.state).toBe('askingDescription');
  });

  it('anything else re-asks with a hint and changes nothing', () => {
    const r = turn(say('99'), ctxOf('askingCategory'));
    expect(r.state).toBe('askingCategory');
    expect(texts(r)[0]).toBe(th.problemTypeAgain);
    expect(r.draft).toEqual({});
    expect(turn(tap('askingCategory', 'type', 'nonsense'), ctxOf('askingCategory')).state).toBe('askingCategory');
    expect(turn(tap('askingCategory', 'cat', 'nonsense'), ctxOf('askingCategory')).state).toBe('askingCategory');
  });
});

describe('askingDescription', () => {
  const ctx = (draft = {}) => ctxOf('askingDescription', { category: 'help', ...draft });

  it('asks with the type named, and back/cancel buttons', () => {
    const r = turn(tap('askingCategory', 'type', 'rubbish'), ctxOf('askingCategory'));
    expect(r.state).toBe('askingDescription');
    expect(last(r)).toContain('ประเภท: 🗑️ ขยะ ความสะอาด');
    expect(buttons(r)).toEqual(['ย้อนกลับ', 'ยกเลิก']);
  });

  it('a story of 10+ characters moves on to the place', () => {
    const r = turn(say(`  ${DESCRIPTION}  `), ctx());
    expect(r.draft.description).toBe(DESCRIPTION);
    expect(r.state).toBe('askingLocation');
    expect(last(r)).toContain('ขั้นที่ 3/6');
    expect(buttons(r)).toEqual(['ส่งตำแหน่ง', 'ย้อนกลับ', 'ยกเลิก']);
  });

  it('too short, too long or not text: re-asked with the reason', () => {
    expect(texts(turn(say('ไฟดับ'), ctx()))[0]).toBe(th.descriptionTooShort);
    const long = 'ก'.repeat(5001);
    const r = turn(say(long), ctx());
    expect(r.state).toBe('askingDescription');
    expect(texts(r)[0]).toContain('5,001');
    expect(texts(turn({ kind: 'sticker' }, ctx()))[0]).toBe(th.sticker);
    expect(texts(turn({ kind: 'location', latitude: 18.79, longitude: 98.98 }, ctx()))[0]).toBe(th.descriptionNotText);
  });

  it('a word sent before the complaint started is the start of the description', () => {
    const r = turn(say('ทั้งซอยมืดมาสองสัปดาห์'), ctx({ pendingText: 'ไฟถนนดับ' }));
    expect(r.draft.description).toBe('ไฟถนนดับ\nทั้งซอยมืดมาสองสัปดาห์');
    expect(r.draft.pendingText).toBeUndefined();
  });
});

describe('askingLocation', () => {
  const ctx = (lang: 'th' | 'en' = 'th') => ctxOf('askingLocation', { category: 'help', description: DESCRIPTION }, lang);

  it('a province typed asks for its district, ten buttons a page with "more"', () => {
    const r = turn(say('เชียงใหม่'), ctx());
    expect(r.state).toBe('askingDistrict');
    expect(r.draft.location).toEqual({ provinceCode: '50', provinceName: 'เชียงใหม่' });
    expect(last(r)).toContain('จังหวัดเชียงใหม่');
    const b = buttons(r);
    expect(b).toHaveLength(13);
    expect(b.slice(-3)).toEqual(['อื่น ๆ ▶', 'ย้อนกลับ', 'ยกเลิก']);
  });

  it('a name that fits several provinces offers them as buttons', () => {
    const r = turn(say('นคร'), ctx());
    expect(r.state).toBe('askingLocation');
    expect(last(r)).toBe(th.provinceChoices);
    expect(buttons(r)).toContain('นครราชสีมา');
    expect(buttons(r).slice(-2)).toEqual(['ย้อนกลับ', 'ยกเลิก']);
  });

  it('an unknown name is said back', () => {
    const r = turn(say('Atlantis'), ctx());
    expect(texts(r)[0]).toBe(th.provinceNotFound('Atlantis'));
    expect(r.state).toBe('askingLocation');
  });

  it('a pin whose address names the area goes straight to confirming it', () => {
    const r = turn({ kind: 'location', latitude: 18.8, longitude: 98.95, address: 'ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50200' }, ctx());
    expect(r.state).toBe('confirmingLocation');
    expect(r.draft.location).toMatchObject({ provinceCode: '50', districtCode: '5001', subdistrictCode: '500108', lat: 18.8, lng: 98.95 });
    expect(last(r)).toContain('พื้นที่เกิดเหตุ:');
    expect(last(r)).toContain('สุเทพ');
    expect(buttons(r)).toEqual(['ถูกต้อง', th.chooseMyself, 'ย้อนกลับ', 'ยกเลิก']);
  });

  it('a pin nobody can place is kept while the province is asked by name', () => {
    const r = turn({ kind: 'location', latitude: 1, longitude: 2, address: 'somewhere' }, ctx('en'));
    expect(texts(r)[0]).toBe(en.areaNotResolved);
    expect(r.state).toBe('askingLocation');
    expect(r.draft.pin).toEqual({ lat: 1, lng: 2, address: 'somewhere' });
    const next = turn(say('Chiang Mai'), { ...ctx('en'), draft: r.draft });
    expect(next.draft.location).toEqual({ provinceCode: '50', provinceName: 'Chiang Mai', lat: 1, lng: 2, address: 'somewhere' });
    expect(next.draft.pin).toBeUndefined();
  });
});

describe('askingDistrict', () => {
  const ctx = () => ctxOf('askingDistrict', { category: 'help', description: DESCRIPTION, location: { provinceCode: '50', provinceName: 'เชียงใหม่' } });

  it('a district typed or tapped moves on to photos', () => {
    const r = turn(say('แม่ริม'), ctx());
    expect(r.draft.location).toEqual({ provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5007', districtName: 'แม่ริม' });
    expect(r.state).toBe('askingPhotos');
    expect(last(r)).toBe(th.askPhotos);
    expect(buttons(r)).toEqual([th.noPhotos, th.takePhoto, th.choosePhoto, 'ย้อนกลับ', 'ยกเลิก'].map((s) => s.slice(0, 20)));
    expect(turn(tap('askingDistrict', 'dist', '5002'), ctx()).draft.location?.districtName).toBe('จอมทอง');
  });

  it('"more" turns the page and wraps round; the draft is unchanged', () => {
    const p2 = turn(tap('askingDistrict', 'page', '2'), ctx());
    expect(p2.state).toBe('askingDistrict');
    expect(p2.draft).toEqual(ctx().draft);
    // 25 districts: the third page has the last 5, then "more" goes back to the first.
    expect(buttons(p2)).toHaveLength(5 + 3);
  });

  it('a district of another province is refused', () => {
    const r = turn(tap('askingDistrict', 'dist', '2001'), ctx());
    expect(r.state).toBe('askingDistrict');
    expect(texts(r)[0]).toBe(th.districtNotFound('2001', 'เชียงใหม่'));
    expect(r.draft.location?.districtCode).toBeUndefined();
  });
});

describe('confirmingLocation', () => {
  const draft = { category: 'help', description: DESCRIPTION, location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' } };

  it('yes keeps the area; no asks for it again', () => {
    expect(turn(tap('confirmingLocation', 'yes'), ctxOf('confirmingLocation', draft)).state).toBe('askingPhotos');
    const no = turn(tap('confirmingLocation', 'no'), ctxOf('confirmingLocation', draft));
    expect(no.state).toBe('askingLocation');
    expect(no.draft.location).toBeUndefined();
    expect(no.draft.description).toBe(DESCRIPTION);
  });

  it('anything else re-asks', () => {
    expect(turn(say('ok'), ctxOf('confirmingLocation', draft)).state).toBe('confirmingLocation');
  });
});

describe('askingPhotos', () => {
  const base = () => ({ category: 'help', description: DESCRIPTION, location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtCode: '5001', districtName: 'เมืองเชียงใหม่' } });

  it('a photo is stored by effects.ts, then counted back to the citizen', () => {
    const c = command({ kind: 'image', messageId: 'm2' }, ctxOf('askingPhotos', { ...base(), photos: [photo(1)] }), 'storeImage');
    expect(c.messageId).toBe('m2');
    const stored = c.next(photo(2));
    expect('run' in stored).toBe(false);
    const r = stored as Exclude<typeof stored, { run: string }>;
    expect(r.draft.photos).toEqual([photo(1), photo(2)]);
    expect(texts(r)[0]).toBe(th.photoReceived(2));
    expect(texts(c.failed)).toEqual([th.photoFailed]);
    expect(c.failed.state).toBe('askingPhotos');
  });

  it('the same LINE message twice is one photo; a sixth is refused', () => {
    expect(turn({ kind: 'image', messageId: 'm1' }, ctxOf('askingPhotos', { ...base(), photos: [photo(1)] })).draft.photos).toHaveLength(1);
    const full = { ...base(), photos: [1, 2, 3, 4, 5].map(photo) };
    const r = turn({ kind: 'image', messageId: 'm6' }, ctxOf('askingPhotos', full));
    expect(texts(r)[0]).toBe(th.photoLimit);
    expect(r.draft.photos).toHaveLength(5);
  });

  it('done, skip or "ข้าม" moves on to consent', () => {
    for (const input of [tap('askingPhotos', 'done'), say('ข้าม'), say('skip')]) {
      const r = turn(input, ctxOf('askingPhotos', base()));
      expect(r.state).toBe('askingConsent');
      expect(r.draft.photosDone).toBe(true);
      expect(last(r)).toBe(th.consent(PDPA_NOTICE_VERSION));
      expect(buttons(r)).toEqual(['ยินยอม', 'ไม่ยินยอม', 'ย้อนกลับ']);
    }
  });

  it('a sentence typed here is more of the story', () => {
    const r = turn(say('อ้อ ลืมบอกว่ามีเด็กเกือบโดนรถชน'), ctxOf('askingPhotos', base()));
    expect(texts(r)[0]).toBe(th.addedToDescription);
    expect(r.draft.description).toBe(`${DESCRIPTION}\nอ้อ ลืมบอกว่ามีเด็กเกือบโดนรถชน`);
    expect(r.state).toBe('askingPhotos');
  });
});

describe('askingConsent and confirmingDecline', () => {
  const draft = () => ({ ...fullDraft(), consent: undefined });

  it('consent is recorded with the notice version and the time, then the review is shown', () => {
    for (const input of [tap('askingConsent', 'yes'), say('ยินยอม'), say('I consent')]) {
      const r = turn(input, ctxOf('askingConsent', draft()));
      expect(r.draft.consent).toEqual({ version: PDPA_NOTICE_VERSION, at: NOW.toISOString() });
      expect(r.state).toBe('confirming');
      expect(last(r)).toContain('ขั้นที่ 6/6');
      expect(last(r)).toContain(`รายละเอียด: ${fullDraft().description}`);
      expect(last(r)).toContain('รูปภาพ: 1 รูป');
      expect(buttons(r)).toEqual([th.confirmSend, 'แก้ไข', 'ย้อนกลับ', 'ยกเลิก'].map((s) => s.slice(0, 20)));
    }
  });

  it('declining asks to confirm; confirming deletes the photos and forgets the draft', () => {
    const r = turn(tap('askingConsent', 'no'), ctxOf('askingConsent', draft()));
    expect(r.state).toBe('confirmingDecline');
    expect(last(r)).toBe(th.declineConfirm);
    expect(r.draft).toEqual(draft());
    const c = command(tap('confirmingDecline', 'yes'), ctxOf('confirmingDecline', draft()), 'deletePhotos');
    expect(c.photos).toEqual([photo(1)]);
    expect('run' in c.next).toBe(false);
    const after = c.next as Exclude<typeof c.next, { run: string }>;
    expect(after.state).toBe('idle');
    expect(after.draft).toEqual({});
    expect(texts(after)).toEqual([th.consentDeclined]);
  });

  it('back from the decline returns to the consent question with everything kept', () => {
    const r = turn(tap('confirmingDecline', 'back'), ctxOf('confirmingDecline', draft()));
    expect(r.state).toBe('askingConsent');
    expect(r.draft).toEqual(draft());
  });

  it('anything else re-asks the consent hint', () => {
    expect(texts(turn(say('ไม่แน่ใจ'), ctxOf('askingConsent', draft())))[0]).toBe(th.consentHint);
    expect(texts(turn(say('hmm'), ctxOf('confirmingDecline', draft())))[0]).toBe(th.consentHint);
  });
});
