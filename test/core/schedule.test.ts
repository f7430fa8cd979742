import { describe, expect, it } from 'vitest';
import { dueLocalSlots, floorMinute, localSlot, nextDueAt, parseTimeOfDay, parseTimeZone, wallClock } from '../../src/core/schedule.js';

const at = (iso: string): number => Date.parse(iso);

describe('local clocks for the digest scheduler', () => {
  it('reads the local date and time of day of an instant in the Indonesian zones', () => {
    const t = at('2026-11-29T23:30:00Z');
    expect(localSlot(t, 'Asia/Jakarta')).toEqual({ date: '2026-11-30', time: '06:30' });
    expect(localSlot(t, 'Asia/Makassar')).toEqual({ date: '2026-11-30', time: '07:30' });
    expect(localSlot(t, 'Asia/Jayapura')).toEqual({ date: '2026-11-30', time: '08:30' });
    expect(localSlot(t, 'UTC')).toEqual({ date: '2026-11-29', time: '23:30' });
    expect(localSlot(at('2026-11-29T16:59:59.999Z'), 'Asia/Jakarta')).toEqual({ date: '2026-11-29', time: '23:59' });
    expect(localSlot(at('2026-11-29T17:00:00Z'), 'Asia/Jakarta')).toEqual({ date: '2026-11-30', time: '00:00' });
    expect(wallClock(at('2026-11-29T23:30:45Z'), 'Asia/Jayapura') - at('2026-11-29T23:30:00Z')).toBe(9 * 3600_000);
  });

  it('accepts WIB, WITA and WIT as zone names', () => {
    expect([parseTimeZone('WIB'), parseTimeZone('wita'), parseTimeZone('WIT')]).toEqual(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']);
    expect(parseTimeOfDay('7.05')).toBe('07:05');
  });

  it('gives one local time per UTC minute where clocks do not change', () => {
    expect(dueLocalSlots(at('2026-11-30T00:00:00Z'), 'Asia/Jakarta')).toEqual([{ date: '2026-11-30', time: '07:00' }]);
    expect(dueLocalSlots(at('2026-11-30T00:00:59Z'), 'Asia/Jayapura')).toEqual([{ date: '2026-11-30', time: '09:00' }]);
    expect(floorMinute(at('2026-11-30T00:00:59.999Z'))).toBe(at('2026-11-30T00:00:00Z'));
  });

  it('posts a digest set inside the spring-forward gap at the first minute after the jump (Europe/Berlin)', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    expect(dueLocalSlots(at('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toEqual([{ date: '2026-03-29', time: '01:59' }]);
    const jump = dueLocalSlots(at('2026-03-29T01:00:00Z'), 'Europe/Berlin');
    expect(jump).toHaveLength(61);
    expect(jump[0]).toEqual({ date: '2026-03-29', time: '02:00' });
    expect(jump[30]).toEqual({ date: '2026-03-29', time: '02:30' });
    expect(jump[60]).toEqual({ date: '2026-03-29', time: '03:00' });
    expect(dueLocalSlots(at('2026-03-29T01:01:00Z'), 'Europe/Berlin')).toEqual([{ date: '2026-03-29', time: '03:01' }]);
    expect(new Date(nextDueAt('02:30', 'Europe/Berlin', at('2026-03-28T12:00:00Z'))).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(new Date(nextDueAt('02:30', 'Europe/Berlin', at('2026-03-29T12:00:00Z'))).toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });

  it('returns the repeated hour twice when the clock falls back, with the same local date (the ledger posts once)', () => {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens at 00:30 and 01:30 UTC.
    expect(dueLocalSlots(at('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toEqual([{ date: '2026-10-25', time: '02:30' }]);
    expect(dueLocalSlots(at('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toEqual([{ date: '2026-10-25', time: '02:30' }]);
    expect(dueLocalSlots(at('2026-10-25T01:00:00Z'), 'Europe/Berlin')).toEqual([{ date: '2026-10-25', time: '02:00' }]);
    expect(new Date(nextDueAt('02:30', 'Europe/Berlin', at('2026-10-24T12:00:00Z'))).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(nextDueAt('02:30', 'Europe/Berlin', at('2026-10-25T00:45:00Z'))).toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('finds the next due minute in the Indonesian zones and New York', () => {
    const from = at('2026-11-29T23:30:00Z'); // 06:30 WIB
    expect(new Date(nextDueAt('07:00', 'Asia/Jakarta', from)).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(nextDueAt('07:00', 'Asia/Jayapura', from)).toISOString()).toBe('2026-11-30T22:00:00.000Z');
    expect(new Date(nextDueAt('06:30', 'Asia/Jakarta', from)).toISOString()).toBe('2026-11-30T23:30:00.000Z');
    expect(new Date(nextDueAt('00:00', 'Asia/Makassar', from)).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    // 8 March 2026: New York moves from EST (UTC-5) to EDT (UTC-4).
    expect(new Date(nextDueAt('08:00', 'America/New_York', at('2026-03-07T14:00:00Z'))).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(new Date(nextDueAt('08:00', 'America/New_York', at('2026-03-06T12:00:00Z'))).toISOString()).toBe('2026-03-06T13:00:00.000Z');
  });

  it('agrees with dueLocalSlots minute by minute over a DST day', () => {
    const zone = 'Europe/Berlin';
    const start = at('2026-03-28T22:00:00Z');
    for (const time of ['01:59', '02:00', '02:45', '03:00', '03:01', '23:59']) {
      const due = nextDueAt(time, zone, start);
      let first: number | undefined;
      for (let m = start + 60_000; m <= start + 26 * 3600_000; m += 60_000) {
        if (dueLocalSlots(m, zone).some((s) => s.time === time)) {
          first = m;
          break;
        }
      }
      expect(due, time).toBe(first);
    }
  });
});
