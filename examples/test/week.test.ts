import { describe, expect, it } from 'vitest';
import { dayOf, isoDay, weekOf } from '../src/week.js';

describe('weekOf', () => {
  it('runs from Monday 00:00 to Sunday 23:59:59 UTC, for every day of the week', () => {
    // 2026-12-07 is a Monday.
    for (const moment of ['2026-12-07T00:00:00Z', '2026-12-09T12:30:00Z', '2026-12-13T23:59:59Z']) {
      const week = weekOf(new Date(moment));
      expect([week.start.toISOString(), week.end.toISOString()], moment).toEqual([
        '2026-12-07T00:00:00.000Z',
        '2026-12-13T23:59:59.000Z',
      ]);
    }
    expect(weekOf(new Date('2026-12-14T00:00:00Z')).start.toISOString()).toBe('2026-12-14T00:00:00.000Z');
  });

  it('dates a day of the week in unix seconds', () => {
    const week = weekOf(new Date('2026-12-09T08:00:00Z'));
    expect(dayOf(week, 2, 7)).toBe(Date.parse('2026-12-09T07:00:00Z') / 1000);
    expect(isoDay(dayOf(week, 7))).toBe('2026-12-14');
  });
});
