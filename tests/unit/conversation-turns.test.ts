/** The words that work at any step, the review and sending, idle chat and answers to officers: no services. */
import { describe, expect, it } from 'vitest';
import { ANSWER_WINDOW_MS } from '../../bot/conversation/answeringOfficer.ts';
import { buttons, command, commandOf, ctxOf, en, fullDraft, last, NOW, photo, reply, say, tap, texts, th, turn } from './chat.ts';

const MENU = ['แจ้งเรื่องร้องเรียน', 'ติดตามเรื่อง', 'ติดต่อเจ้าหน้าที่'];

describe('words that work at every step', () => {
  it('follow greets by name with the menu', () => {
    const r = turn({ kind: 'follow' }, ctxOf('askingPhotos', fullDraft()));
    expect(r.state).toBe('idle');
    expect(r.draft).toEqual({});
    expect(texts(r)[0]).toBe(th.greeting('สมชาย'));
    expect(buttons(r)).toEqual(MENU);
  });

  it('cancel deletes the photos of the draft, then says so', () => {
    const c = command(say('ยกเลิก'), ctxOf('askingConsent', { ...fullDraft(), consent: undefined }), 'deletePhotos');
    expect(c.photos).toEqual([photo(1)]);
    const r = reply(c.next);
    expect(texts(r)).toEqual([th.cancelled]);
    expect(r.state).toBe('idle');
    // Nothing to delete: the reply straight away.
    expect(texts(turn(say('cancel'), ctxOf('askingDescription', { category: 'help' }, 'en')))).toEqual([en.cancelled]);
    expect(texts(turn(say('ยกเลิก'), ctxOf('idle')))).toEqual([th.help]);
  });

  it('ย้อนกลับ goes one step back with the draft kept; at the first step it re-asks', () => {
    const r = turn(say('ย้อนกลับ'), ctxOf('confirming', fullDraft()));
    expect(r.state).toBe('askingConsent');
    expect(r.draft).toEqual(fullDraft());
    expect(texts(turn(say('back'), ctxOf('askingCategory', {}, 'en')))[0]).toBe(en.askCategoryAgain);
  });

  it('แก้ไข offers the parts answered so far; a part chosen is cleared and asked again', () => {
    const r = turn(say('แก้ไข'), ctxOf('confirming', fullDraft()));
    expect(r.state).toBe('confirming');
    expect(last(r)).toBe(th.editWhich);
    expect(buttons(r)).toEqual([...Object.values(th.editParts), 'ย้อนกลับ', 'ยกเลิก'].map((s) => s.slice(0, 20)));
    const loc = turn(tap('confirming', 'edit', 'location'), ctxOf('confirming', fullDraft()));
    expect(loc.state).toBe('askingLocation');
    expect(loc.draft.location).toBeUndefined();
    expect(loc.draft.description).toBe(fullDraft().description);
  });

  it('ติดตามเรื่อง mid-intake lists the cases, then re-asks where the citizen was', () => {
    const c = command(say('ติดตามเรื่อง'), ctxOf('askingPhotos', fullDraft()), 'listCases');
    const r = reply(c.next([{ trackingNo: '2569-000042', category: 'help', status: 'in_progress', createdAt: NOW }]));
    expect(texts(r)[0]).toContain(th.caseListHeader(1));
    expect(texts(r)[0]).toContain('2569-000042');
    expect(texts(r)[0]).toContain('22 พ.ย. 2569');
    expect(r.state).toBe('askingPhotos');
    expect(r.draft).toEqual(fullDraft());
    expect(texts(reply(c.next([])))[0]).toBe(th.noCases);
  });

  it('ติดต่อเจ้าหน้าที่ answers with the hotline at once', () => {
    const r = turn(say('ติดต่อเจ้าหน้าที่'), ctxOf('idle'));
    expect(texts(r)).toEqual([th.contact]);
    expect(texts(r)[0]).toContain('1567');
  });

  it('a button from an earlier step is called stale; a sticker mid-intake re-asks', () => {
    const r = turn(tap('askingCategory', 'cat', 'help'), ctxOf('askingPhotos', fullDraft()));
    expect(texts(r)[0]).toBe(th.staleButton);
    expect(r.state).toBe('askingPhotos');
    expect(texts(turn({ kind: 'sticker' }, ctxOf('askingLocation', { category: 'help' })))[0]).toBe(th.sticker);
  });
});

describe('confirming: the review and the send', () => {
  it('send opens the case with the draft, Thai area names and the intake key', () => {
    const c = command(tap('confirming', 'yes'), ctxOf('confirming', { ...fullDraft(), location: { provinceCode: '50', provinceName: 'Chiang Mai', districtCode: '5001', districtName: 'Mueang Chiang Mai' } }, 'en'), 'openCase');
    expect(c.props).toMatchObject({
      idempotencyKey: 'line:ev-1', channel: 'line', category: 'help', description: fullDraft().description,
      location: { provinceCode: '50', provinceName: 'เชียงใหม่', districtName: 'เมืองเชียงใหม่' },
      attachments: [{ fileId: 'f1', contentType: 'image/jpeg', size: 1001, lineMessageId: 'm1' }],
      complainant: { lineUserId: 'U-citizen', name: 'สมชาย', anonymous: false, lang: 'en' },
      consent: { version: 'v1', at: NOW },
    });
    const r = reply(c.next({ trackingNo: '2569-000042', unitName: 'Mueang Chiang Mai District', unowned: false }));
    expect(texts(r)).toEqual([en.caseCreated('2569-000042', 'Mueang Chiang Mai District')]);
    expect(r.state).toBe('idle');
    expect(r.draft).toEqual({});
  });

  it('says honestly who holds a case at a unit with nobody registered', () => {
    const c = command(say('ยืนยัน'), ctxOf('confirming', fullDraft()), 'openCase');
    expect(texts(reply(c.next({ trackingNo: '2569-000043', unitName: 'อำเภอแม่ริม', unowned: true, holderName: 'ศูนย์ดำรงธรรมจังหวัดเชียงใหม่' }))))
      .toEqual([th.caseCreatedUnowned('2569-000043', 'อำเภอแม่ริม', 'ศูนย์ดำรงธรรมจังหวัดเชียงใหม่')]);
    expect(texts(reply(c.next({ trackingNo: '2569-000044', unitName: 'อำเภอแม่ริม', unowned: true }))))
      .toEqual([th.caseCreatedNobody('2569-000044', 'อำเภอแม่ริม')]);
  });

  it('a sentence adds to the story; other words re-ask; an incomplete draft is not sent', () => {
    const more = turn(say('เพิ่มเติม มีคนเจ็บไปแล้วสองคน'), ctxOf('confirming', fullDraft()));
    expect(texts(more)[0]).toBe(th.addedToDescription);
    expect(more.draft.description).toBe(`${fullDraft().description}\nเพิ่มเติม มีคนเจ็บไปแล้วสองคน`);
    expect(texts(turn(say('อืม'), ctxOf('confirming', fullDraft())))[0]).toBe(th.confirmHint);
    expect(texts(turn(tap('confirming', 'yes'), ctxOf('confirming', { ...fullDraft(), consent: undefined })))[0]).toBe(th.confirmHint);
  });
});

describe('idle', () => {
  it('a greeting gets the menu, never a complaint (and no database read)', () => {
    for (const hi of ['สวัสดีค่ะ', 'hello!', 'ขอบคุณมากครับ 🙏']) {
      const r = turn(say(hi), ctxOf('idle'));
      expect(texts(r)).toEqual([th.greeting('สมชาย')]);
      expect(buttons(r)).toEqual(MENU);
    }
  });

  it('other text first looks for an officer waiting for an answer; none: a sentence starts a complaint', () => {
    const c = command(say('ไฟถนนดับทั้งซอยมาสองสัปดาห์แล้ว'), ctxOf('idle'), 'awaitingCases');
    const r = reply(c.next([]));
    expect(texts(r)[0]).toBe(th.startedFromText);
    expect(r.state).toBe('askingCategory');
    expect(r.draft).toEqual({ description: 'ไฟถนนดับทั้งซอยมาสองสัปดาห์แล้ว' });
  });

  it('a single word is offered as the start of a complaint', () => {
    const r = reply(command(say('ไฟดับ'), ctxOf('idle'), 'awaitingCases').next([]));
    expect(texts(r)).toEqual([th.offerText('ไฟดับ')]);
    expect(buttons(r)).toEqual([th.useText, ...MENU]);
    expect(r.draft).toEqual({ pendingText: 'ไฟดับ' });
    const taken = turn(tap('idle', 'useText'), ctxOf('idle', r.draft));
    expect(taken.state).toBe('askingCategory');
    expect(taken.draft).toEqual({ pendingText: 'ไฟดับ' });
  });

  it('one case waiting: the text is attached to it and the citizen is told', () => {
    const c = command(say('บ้านเลขที่ 12/3 ค่ะ'), ctxOf('idle'), 'awaitingCases');
    const add = commandOf(c.next([{ id: 'c1', trackingNo: '2569-000042' }]), 'addCaseInfo');
    expect(add).toMatchObject({ caseId: 'c1', text: 'บ้านเลขที่ 12/3 ค่ะ', photos: [] });
    const r = reply(add.next(true));
    expect(texts(r)).toEqual([th.infoAttached('2569-000042')]);
    expect(r.draft.answering).toEqual({ caseId: 'c1', trackingNo: '2569-000042', until: new Date(NOW.getTime() + ANSWER_WINDOW_MS).toISOString() });
    // The case closed meanwhile: the text is taken as a new complaint would be.
    expect(reply(add.next(false)).state).toBe('askingCategory');
  });

  it('just answered: the next message goes to the same case without looking', () => {
    const until = new Date(NOW.getTime() + 60_000).toISOString();
    const add = command(say('อีกเรื่องคือ'), ctxOf('idle', { answering: { caseId: 'c1', trackingNo: '2569-000042', until } }), 'addCaseInfo');
    expect(add.caseId).toBe('c1');
  });

  it('a photo while one case waits is stored, then attached', () => {
    const store = commandOf(command({ kind: 'image', messageId: 'm7' }, ctxOf('idle'), 'awaitingCases').next([{ id: 'c1', trackingNo: '2569-000042' }]), 'storeImage');
    expect(commandOf(store.next(photo(7)), 'addCaseInfo').photos).toEqual([photo(7)]);
    expect(texts(store.failed)).toEqual([th.photoFailed]);
  });

  it('a photo with nobody waiting starts a complaint with it', () => {
    const store = commandOf(command({ kind: 'image', messageId: 'm8' }, ctxOf('idle'), 'awaitingCases').next([]), 'storeImage');
    const r = reply(store.next(photo(8)));
    expect(texts(r)[0]).toBe(th.startedFromPhoto);
    expect(r.draft).toEqual({ photos: [photo(8)] });
  });

  it('a pin starts a complaint at that place', () => {
    const r = turn({ kind: 'location', latitude: 18.8, longitude: 98.95, address: 'อำเภอแม่ริม เชียงใหม่' }, ctxOf('idle'));
    expect(texts(r)[0]).toBe(th.startedFromLocation);
    expect(r.draft.location).toMatchObject({ provinceCode: '50', districtCode: '5007' });
  });
});

describe('choosingCase: several cases wait for an answer', () => {
  const cases = [{ id: 'c1', trackingNo: '2569-000042' }, { id: 'c2', trackingNo: '2569-000050' }];

  it('asks which, one button per tracking number, holding what was sent', () => {
    const r = reply(command(say('บ้านเลขที่ 12/3'), ctxOf('idle'), 'awaitingCases').next(cases));
    expect(r.state).toBe('choosingCase');
    expect(last(r)).toBe(th.whichCase);
    expect(buttons(r)).toEqual(['2569-000042', '2569-000050', 'ยกเลิก']);
    expect(r.draft).toEqual({ pendingInfo: { text: 'บ้านเลขที่ 12/3', cases } });
  });

  it('more text is held too; a tracking number typed picks the case', () => {
    const ctx = ctxOf('choosingCase', { pendingInfo: { text: 'บ้านเลขที่ 12/3', cases } });
    expect(turn(say('ซอย 5'), ctx).draft.pendingInfo?.text).toBe('บ้านเลขที่ 12/3\nซอย 5');
    const add = command(say('เรื่อง 2569-000050 ค่ะ'), ctx, 'addCaseInfo');
    expect(add).toMatchObject({ caseId: 'c2', text: 'บ้านเลขที่ 12/3' });
    expect(texts(reply(add.next(true)))).toEqual([th.infoAttached('2569-000050')]);
  });

  it('a case closed meanwhile: its held photos are deleted and the citizen told', () => {
    const ctx = ctxOf('choosingCase', { pendingInfo: { photos: [photo(3)], cases } });
    const add = command(tap('choosingCase', 'case', 'c1'), ctx, 'addCaseInfo');
    const del = commandOf(add.next(false), 'deletePhotos');
    expect(del.photos).toEqual([photo(3)]);
    expect(texts(reply(del.next))).toEqual([th.infoNotOpen('2569-000042')]);
  });
});
