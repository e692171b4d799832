import { describe, expect, it } from 'vitest';
import { cronOf, DEFAULT_RETENTION, loadRetentionPolicy, parseRetentionPolicy } from '../../shared/privacy/retention.ts';

describe('retention policy (config/retention.json)', () => {
  it('ships the documented defaults: a year for closed cases, a week for drafts, a day for stray uploads', () => {
    const p = loadRetentionPolicy({});
    expect(p).toMatchObject({ closedCaseDays: 365, draftDays: 7, unattachedUploadHours: 24, runAt: '02:30' });
    expect(DEFAULT_RETENTION).toMatchObject({ closedCaseDays: 365, draftDays: 7, unattachedUploadHours: 24 });
  });

  it('fills what a file leaves out and schedules the run at its Bangkok time', () => {
    const p = parseRetentionPolicy({ closedCaseDays: 730, runAt: '23:05' });
    expect(p.draftDays).toBe(7);
    expect(p.closedCaseDays).toBe(730);
    expect(cronOf(p)).toBe('5 23 * * *');
  });

  it('refuses a bad value, naming the file and the key', () => {
    expect(() => parseRetentionPolicy({ closedCaseDays: 3 }, 'x.json')).toThrow(/x\.json: closedCaseDays/);
    expect(() => parseRetentionPolicy({ draftDays: 'seven' })).toThrow(/draftDays/);
    expect(() => parseRetentionPolicy({ runAt: '25:00' })).toThrow(/runAt: HH:MM/);
    expect(() => parseRetentionPolicy({ keepForever: true })).toThrow(/keepForever|Unrecognized/);
  });
});
