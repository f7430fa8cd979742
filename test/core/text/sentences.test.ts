import { describe, expect, it } from 'vitest';
import { splitParagraphs, splitSentences } from '../../../src/core/text/sentences.js';

/** Every non-space character of the input survives, in order. */
function noLoss(input: string, out: string[]): void {
  expect(out.join('').replace(/\s+/g, '')).toBe(input.replace(/\s+/g, ''));
}

describe('splitSentences', () => {
  it('splits plain sentences and trims them', () => {
    const p = '  Korea Utara mengutuk AS.  Pyongyang membantah tuduhan itu! Apa buktinya?  ';
    expect(splitSentences(p)).toEqual(['Korea Utara mengutuk AS.', 'Pyongyang membantah tuduhan itu!', 'Apa buktinya?']);
  });

  it('keeps titles, ranks and address abbreviations inside the sentence', () => {
    const p = 'Ia ditemui dr. Budi di Jl. Sudirman No. 5, Jakarta. Kemudian ia pulang.';
    expect(splitSentences(p)).toEqual(['Ia ditemui dr. Budi di Jl. Sudirman No. 5, Jakarta.', 'Kemudian ia pulang.']);
    expect(splitSentences('Menurut Prof. Dr. H. Ahmad, S.H., M.Si. kasus itu selesai. Hj. Siti setuju.')).toEqual([
      'Menurut Prof. Dr. H. Ahmad, S.H., M.Si. kasus itu selesai.',
      'Hj. Siti setuju.',
    ]);
    expect(splitSentences('Brigjen. Pol. Budi dan Kompol. Andi serta AKBP. Yuli hadir. Kol. Inf. Dedi juga.')).toEqual([
      'Brigjen. Pol. Budi dan Kompol. Andi serta AKBP. Yuli hadir.',
      'Kol. Inf. Dedi juga.',
    ]);
    expect(splitSentences('Guru S.Pd. Rina dan dosen M.Si. Anton mengajar. Dana a.n. Budi dikirim tgl. 5 Mei.')).toEqual([
      'Guru S.Pd. Rina dan dosen M.Si. Anton mengajar.',
      'Dana a.n. Budi dikirim tgl. 5 Mei.',
    ]);
    expect(splitSentences('Direktur PT. Charoen Pokphand Indonesia hadir. Ia senang.')).toEqual([
      'Direktur PT. Charoen Pokphand Indonesia hadir.',
      'Ia senang.',
    ]);
  });

  it('does not split numbers, amounts and times', () => {
    const p = 'Harganya Rp 1.000.000 per unit. Sebanyak 3.016 orang hadir pukul 08.00 WIB. Inflasi 1,5 persen.';
    expect(splitSentences(p)).toEqual(['Harganya Rp 1.000.000 per unit.', 'Sebanyak 3.016 orang hadir pukul 08.00 WIB.', 'Inflasi 1,5 persen.']);
    expect(splitSentences('Rapat dimulai pukul 08.00. Semua hadir.')).toEqual(['Rapat dimulai pukul 08.00.', 'Semua hadir.']);
    expect(splitSentences('Hal itu terjadi pada 2019. 20 orang tewas.')).toEqual(['Hal itu terjadi pada 2019.', '20 orang tewas.']);
    expect(splitSentences('Biayanya Rp. 5.000 saja. Murah.')).toEqual(['Biayanya Rp. 5.000 saja.', 'Murah.']);
  });

  it('keeps initials with the name', () => {
    expect(splitSentences('Mantan presiden B.J. Habibie dan Susilo B. Yudhoyono hadir. Mereka berbincang.')).toEqual([
      'Mantan presiden B.J. Habibie dan Susilo B. Yudhoyono hadir.',
      'Mereka berbincang.',
    ]);
  });

  it('treats ellipses as a boundary only before a capital', () => {
    expect(splitSentences('Dia menunggu... Tapi tak ada yang datang. Lalu ia berkata... entah apa.')).toEqual([
      'Dia menunggu...',
      'Tapi tak ada yang datang.',
      'Lalu ia berkata... entah apa.',
    ]);
    expect(splitSentences('Dia menunggu… Tapi sia-sia.')).toEqual(['Dia menunggu…', 'Tapi sia-sia.']);
  });

  it('never splits inside domains and datelines', () => {
    const p = 'Hal itu dilaporkan Liputan6.com pada Senin. PYONGYANG, TRIBUNAMBON.COM - Korea Utara mengutuk AS.';
    expect(splitSentences(p)).toEqual(['Hal itu dilaporkan Liputan6.com pada Senin.', 'PYONGYANG, TRIBUNAMBON.COM - Korea Utara mengutuk AS.']);
    expect(splitSentences('Keputusan tersebut.Namun ia menolak. Situs Okezone.Com melaporkan.')).toEqual([
      'Keputusan tersebut.',
      'Namun ia menolak.',
      'Situs Okezone.Com melaporkan.',
    ]);
  });

  it('splits a multi-sentence quotation like IndoSum, closing quote with the attribution', () => {
    const p =
      '"Tidak hanya tarif tapi apa saja harus diatur. Dipanggil keduanya untuk berbicara. Kan bisa saling melengkapi, negara lain bisa masa kita enggak bisa," ucap Zulkifli di Gedung DPR. Ia lalu pergi.';
    const out = splitSentences(p);
    expect(out).toEqual([
      '"Tidak hanya tarif tapi apa saja harus diatur.',
      'Dipanggil keduanya untuk berbicara.',
      'Kan bisa saling melengkapi, negara lain bisa masa kita enggak bisa," ucap Zulkifli di Gedung DPR.',
      'Ia lalu pergi.',
    ]);
    noLoss(p, out);
  });

  it('keeps a closing quote after the period with its sentence', () => {
    expect(splitSentences('Ia berkata, "Kami siap." Lalu ia pergi.')).toEqual(['Ia berkata, "Kami siap."', 'Lalu ia pergi.']);
    expect(splitSentences('Ia berkata, “Kami siap.” Lalu ia pergi.')).toEqual(['Ia berkata, “Kami siap.”', 'Lalu ia pergi.']);
    expect(splitSentences('Siapa dia? Tidak ada yang tahu! "Siapa dia?" tanya Budi.')).toEqual([
      'Siapa dia?',
      'Tidak ada yang tahu!',
      '"Siapa dia?" tanya Budi.',
    ]);
  });

  it('keeps a stray ". ." with the sentence before it and handles pre-tokenized text', () => {
    const p = 'jika ingin melakukannya. . Pejabat itu menekankan hal lain.';
    expect(splitSentences(p)).toEqual(['jika ingin melakukannya. .', 'Pejabat itu menekankan hal lain.']);
    expect(splitSentences('kata dia . Kemudian ia pergi .')).toEqual(['kata dia .', 'Kemudian ia pergi .']);
  });

  it('lets dll./dsb. end a sentence only before a capital', () => {
    expect(splitSentences('Buah, sayur, dll. Semua dijual. Ada apel, jeruk, dll. yang dijual murah.')).toEqual([
      'Buah, sayur, dll.',
      'Semua dijual.',
      'Ada apel, jeruk, dll. yang dijual murah.',
    ]);
  });

  it('keeps list numbers with their item', () => {
    expect(splitSentences('Ada tiga hal. 1. Pertama soal dana. 2. Kedua soal waktu.')).toEqual([
      'Ada tiga hal.',
      '1. Pertama soal dana.',
      '2. Kedua soal waktu.',
    ]);
  });

  it('keeps "(*)" glued to the last sentence and splits on blank lines', () => {
    expect(splitSentences('Korea Utara telah menguji rudal.(*)')).toEqual(['Korea Utara telah menguji rudal.(*)']);
    expect(splitSentences('Baca juga: Ratusan Demonstran Ditangkap\n\nWashington juga menuduh Iran.')).toEqual([
      'Baca juga: Ratusan Demonstran Ditangkap',
      'Washington juga menuduh Iran.',
    ]);
  });

  it('returns nothing for empty input and loses no characters on messy input', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   \n ')).toEqual([]);
    const messy = 'A. B. C.. ". " ?! dr.Budi (Jl. X) “Ya.” … ... 1.2.3 Rp. .';
    noLoss(messy, splitSentences(messy));
  });

  it('is linear on 10 MB pathological input', () => {
    for (const input of ['a.'.repeat(2_000_000), 'Dr. '.repeat(1_000_000), '. '.repeat(2_000_000), 'x'.repeat(4_000_000)]) {
      const t0 = performance.now();
      const out = splitSentences(input);
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(out.length).toBeGreaterThan(0);
    }
  });

  it('splitParagraphs keeps paragraph and sentence indexes', () => {
    expect(splitParagraphs(['Satu. Dua.', 'Tiga.'])).toEqual([
      { text: 'Satu.', paragraph: 0, index: 0 },
      { text: 'Dua.', paragraph: 0, index: 1 },
      { text: 'Tiga.', paragraph: 1, index: 0 },
    ]);
  });
});
