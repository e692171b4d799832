import { describe, expect, it } from 'vitest';
import { citizenAudience } from '../../workers/notify.ts';

describe('citizenAudience: who hears about a case as a citizen', () => {
  const c = {
    complainant: { lineUserId: 'Ucomplainant', lang: 'en', anonymous: false },
    followers: [
      { lineUserId: 'Ujoined', lang: 'th', via: 'join' as const },
      { lineUserId: 'Umerged', lang: 'en', via: 'merge' as const },
      { lineUserId: 'Ujoined', lang: 'th', via: 'join' as const },
      { lineUserId: 'Ucomplainant', lang: 'th', via: 'merge' as const },
    ],
  };

  it('everyone: the complainant first, then each follower (joined or merged) once, each in their own language', () => {
    expect(citizenAudience(c as never, 'everyone')).toEqual([
      { lineUserId: 'Ucomplainant', lang: 'en', follower: false },
      { lineUserId: 'Ujoined', lang: 'th', follower: true },
      { lineUserId: 'Umerged', lang: 'en', follower: true },
    ]);
  });

  it('complainant: questions and the survey reach the complainant alone', () => {
    expect(citizenAudience(c as never, 'complainant')).toEqual([{ lineUserId: 'Ucomplainant', lang: 'en', follower: false }]);
  });

  it('a case with nobody on LINE but followers still reaches the followers', () => {
    expect(citizenAudience({ complainant: { anonymous: true }, followers: [{ lineUserId: 'Uf', lang: 'xx' }] } as never, 'everyone'))
      .toEqual([{ lineUserId: 'Uf', lang: 'th', follower: true }]);
  });
});
