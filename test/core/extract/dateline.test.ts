import { describe, expect, it } from 'vitest';
import { parseDateline } from '../../../src/core/extract/dateline.js';

describe('parseDateline', () => {
  it.each([
    ['PYONGYANG, TRIBUNAMBON.COM - Korea Utara mengutuk', 'Pyongyang', 'PYONGYANG, TRIBUNAMBON.COM -', 'TRIBUNAMBON.COM'],
    ['Jakarta, CNN Indonesia -- Presiden meminta', 'Jakarta', 'Jakarta, CNN Indonesia --', 'CNN Indonesia'],
    ['Liputan6.com, Jakarta - Indonesia memasuki', 'Jakarta', 'Liputan6.com, Jakarta -', 'Liputan6.com'],
    ['Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan', 'Mataram, NTB', 'Mataram, NTB (ANTARA News) -', 'ANTARA News'],
    ['TEMPO.CO, Jakarta - Menteri Keuangan', 'Jakarta', 'TEMPO.CO, Jakarta -', 'TEMPO.CO'],
    ['JAKARTA, KOMPAS.com - Menteri Pendayagunaan', 'Jakarta', 'JAKARTA, KOMPAS.com -', 'KOMPAS.com'],
    ['Bisnis.com, JAKARTA - Harga emas', 'Jakarta', 'Bisnis.com, JAKARTA -', 'Bisnis.com'],
    ['REPUBLIKA.CO.ID, JAKARTA -- Aktris dan sutradara', 'Jakarta', 'REPUBLIKA.CO.ID, JAKARTA --', 'REPUBLIKA.CO.ID'],
    ['LHOKSEUMAWE, KOMPAS.com – Penyidik Polres', 'Lhokseumawe', 'LHOKSEUMAWE, KOMPAS.com –', 'KOMPAS.com'],
    ['JAKARTA, KOMPAS.com—Menteri', 'Jakarta', 'JAKARTA, KOMPAS.com—', 'KOMPAS.com'],
    ['BANDAR LAMPUNG (ANTARA) - Petugas', 'Bandar Lampung', 'BANDAR LAMPUNG (ANTARA) -', 'ANTARA'],
    ['DKI JAKARTA, TRIBUNNEWS.COM - Gubernur', 'DKI Jakarta', 'DKI JAKARTA, TRIBUNNEWS.COM -', 'TRIBUNNEWS.COM'],
  ])('%s', (paragraph, place, marker, outlet) => {
    const m = parseDateline(paragraph);
    expect(m?.dateline).toEqual({ place, marker, outlet });
    expect(m?.rest).toBe(paragraph.slice(marker.length).trim());
  });

  it('knows a place alone and an outlet alone', () => {
    expect(parseDateline('Jakarta - Galaxy S6 Edge, dengan material premium')?.dateline).toEqual({ place: 'Jakarta', marker: 'Jakarta -' });
    expect(parseDateline('Kapanlagi.com - Brandon Nicholas Salim')?.dateline).toEqual({ place: '', marker: 'Kapanlagi.com -', outlet: 'Kapanlagi.com' });
  });

  it('does not mistake a sentence for a dateline', () => {
    expect(parseDateline('Menurut Ahmad - yang juga ketua RT - warga sudah mengungsi.')).toBeUndefined();
    expect(parseDateline('Hati-hati saat berkendara di jalan licin.')).toBeUndefined();
    expect(parseDateline('Dia mengatakan bahwa harga naik - dan itu wajar - kata dia.')).toBeUndefined();
    expect(parseDateline('Presiden Joko Widodo - didampingi menteri - meninjau lokasi.')).toBeUndefined();
    expect(parseDateline('(AFP PHOTO / HANDOUT / KCTV)')).toBeUndefined();
    expect(parseDateline('')).toBeUndefined();
  });

  it('is cheap on a huge paragraph', () => {
    const t0 = performance.now();
    parseDateline(`${'A'.repeat(5_000_000)} - x`);
    parseDateline('- '.repeat(2_000_000));
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
