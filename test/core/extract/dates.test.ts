import { describe, expect, it } from 'vitest';
import { findHumanDate, isDateOnly, parseMachineDate, toEpochMs, toIso } from '../../../src/core/extract/dates.js';

function human(text: string): string | undefined {
  const d = findHumanDate(text);
  return d === undefined ? undefined : toIso(d);
}

describe('dates', () => {
  it('reads Indonesian printed dates with their zone', () => {
    expect(human('Kamis, 5 November 2015 15:30 WIB')).toBe('2015-11-05T15:30:00+07:00');
    expect(human('Kamis, 05/11/2015 15:37 WIB')).toBe('2015-11-05T15:37:00+07:00');
    expect(human('05 Nov 2015, 15:30 WIB')).toBe('2015-11-05T15:30:00+07:00');
    expect(human('Rabu, 4 November 2015 | 21:04 WIB')).toBe('2015-11-04T21:04:00+07:00');
    expect(human('Kamis, 5 November 2015 - 15:56 wib')).toBe('2015-11-05T15:56:00+07:00');
    expect(human('Senin, 15 Februari 2016, 16:15 WIB')).toBe('2016-02-15T16:15:00+07:00');
    expect(human('on 16 Feb 2016 at 09:10 WIB')).toBe('2016-02-16T09:10:00+07:00');
    expect(human('Jumat, 20 Desember 2024 09.15 WITA')).toBe('2024-12-20T09:15:00+08:00');
    expect(human('Jumat, 20 Desember 2024 09:15 WIT')).toBe('2024-12-20T09:15:00+09:00');
    expect(human('Selasa, 17 Agustus 2021 10:00 GMT+7')).toBe('2021-08-17T10:00:00+07:00');
    expect(human('November 5, 2015')).toBe('2015-11-05T00:00:00+07:00');
    expect(human('Kamis, 05 November 2015 11:52')).toBe('2015-11-05T11:52:00+07:00'); // no zone: WIB
  });

  it('rejects impossible dates', () => {
    expect(findHumanDate('31 Februari 2016')).toBeUndefined();
    expect(findHumanDate('5 November 1850')).toBeUndefined();
    expect(findHumanDate('Pukul 25:99')).toBeUndefined();
    expect(findHumanDate('tidak ada tanggal di sini')).toBeUndefined();
  });

  it('reads machine dates, lenient about the forms sites emit', () => {
    expect(toIso(parseMachineDate('2015-11-05T14:56:43+07:00') ?? { year: 0, month: 0, day: 0 })).toBe('2015-11-05T14:56:43+07:00');
    expect(toIso(parseMachineDate('2016-02-16T02:10:56Z') ?? { year: 0, month: 0, day: 0 })).toBe('2016-02-16T02:10:56Z');
    expect(toIso(parseMachineDate('2015-11-05 T10:08:58Z') ?? { year: 0, month: 0, day: 0 })).toBe('2015-11-05T10:08:58Z');
    expect(toIso(parseMachineDate('2016-02-16 09:10:56') ?? { year: 0, month: 0, day: 0 })).toBe('2016-02-16T09:10:56+07:00');
    expect(toIso(parseMachineDate('2024-03-04T10:30:00.123+0700') ?? { year: 0, month: 0, day: 0 })).toBe('2024-03-04T10:30:00+07:00');
    expect(parseMachineDate('Kamis, 5 November 2015 14:56 WIB')?.hour).toBe(14);
    expect(parseMachineDate('bukan tanggal')).toBeUndefined();
  });

  it('converts to epoch milliseconds', () => {
    expect(toEpochMs({ year: 2015, month: 11, day: 5, hour: 14, minute: 56, second: 43, offset: 420 })).toBe(1446710203000);
  });

  it('tells a date line from a sentence that mentions a date', () => {
    expect(isDateOnly('Kamis, 5 November 2015 14:56 WIB')).toBe(true);
    expect(isDateOnly('Kompas.com - 05/11/2015, 15:37 WIB')).toBe(true);
    expect(isDateOnly('Diperbarui: Jumat, 6 November 2015 08:00 WIB')).toBe(true);
    expect(isDateOnly('Polisi menangkap pelaku pada Kamis, 5 November 2015.')).toBe(false);
  });

  it('stays linear on hostile text', () => {
    const t0 = performance.now();
    findHumanDate('1 '.repeat(500_000));
    findHumanDate(`${'9'.repeat(1_000_000)} November`);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});
