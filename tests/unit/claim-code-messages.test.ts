import { describe, expect, it } from 'vitest';
import { isLinkMessage } from '../../bot/handlers/linkCase.ts';
import { normaliseClaimCode } from '../../shared/cases/claimCodes.ts';

describe('which chat messages are about linking a case', () => {
  it('takes the code with or without the word, the tracking number, a dash or capitals', () => {
    for (const m of ['เชื่อมเรื่อง K7PM-2QXD', 'link k7pm2qxd', 'K7PM-2QXD', 'k7pm 2qxd', 'เชื่อมเรื่อง 2569-000123 K7PM-2QXD', 'เชื่อมเรื่อง']) {
      expect(isLinkMessage(m, true), m).toBe(true);
    }
    expect(normaliseClaimCode(' k7pm 2qxd ')).toBe('K7PM2QXD');
  });

  it('answers the retired tracking number + phone, but leaves a description that mentions a number alone', () => {
    expect(isLinkMessage('2569-000123 081-234-5678', false)).toBe(true);
    expect(isLinkMessage('2569-000123', true)).toBe(true);
    expect(isLinkMessage('2569-000123 ยังไม่ได้ซ่อมเลยค่ะ', true)).toBe(false);
  });

  it('while a complaint is being written, an 8-letter word is a description, not a code', () => {
    expect(isLinkMessage('feedback', false)).toBe(false);
    expect(isLinkMessage('feedback', true)).toBe(true);
    // Letters the codes never use (O, I, L, 0, 1) are no code at all.
    expect(isLinkMessage('password', true)).toBe(false);
  });
});
