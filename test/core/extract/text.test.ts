import { describe, expect, it } from 'vitest';
import { binaryRatio, cleanText, countWords, endsLikeSentence, isProse, textKey, titleCasePlace, truncateWords } from '../../../src/core/extract/text.js';
import { textBlocks } from '../../../src/core/extract/text-parser.js';

describe('text helpers', () => {
  it('cleans whitespace and invisible marks', () => {
    expect(cleanText('  Korea\u00a0Utara \n\t mengutuk  ')).toBe('Korea Utara mengutuk');
    expect(cleanText('a\u200bb\u00adc\ufeff')).toBe('abc');
    expect(cleanText('a \u200b b')).toBe('a b');
    expect(cleanText('sudah bersih')).toBe('sudah bersih');
    expect(cleanText('')).toBe('');
  });

  it('cleans 10 MB quickly', () => {
    const t0 = performance.now();
    expect(cleanText('kata\u00a0'.repeat(2_000_000)).length).toBe(9_999_999);
    expect(cleanText('kata '.repeat(2_000_000)).length).toBe(9_999_999);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('counts words, tells prose from labels, keys paragraphs', () => {
    expect(countWords('Korea Utara, anti-DPRK: 2017!')).toBe(4);
    expect(countWords('a b c d e', 3)).toBe(3);
    expect(isProse('Korea Utara mengeklaim tidak pernah memasok senjata ke Rusia.')).toBe(true);
    expect(isProse('Berita Terkait')).toBe(false);
    expect(isProse('Brandon Nicholas Salim')).toBe(false);
    expect(endsLikeSentence('"Kami mengutuk keras," kata pejabat itu.')).toBe(true);
    expect(endsLikeSentence('Tes itu dilakukan.(*)')).toBe(true);
    expect(textKey('“Kami  MENGUTUK”, kata-nya.')).toBe('kami mengutuk kata nya');
  });

  it('title-cases shouted place names, keeping acronyms', () => {
    expect(titleCasePlace('PYONGYANG')).toBe('Pyongyang');
    expect(titleCasePlace('BANDAR LAMPUNG')).toBe('Bandar Lampung');
    expect(titleCasePlace('DKI JAKARTA')).toBe('DKI Jakarta');
    expect(titleCasePlace('Mataram')).toBe('Mataram');
  });

  it('measures binary content and truncates at words', () => {
    expect(binaryRatio('teks biasa')).toBe(0);
    expect(binaryRatio('\u0000\u0001ab')).toBe(0.5);
    expect(truncateWords('satu dua tiga empat lima', 12)).toBe('satu dua…');
    expect(truncateWords('pendek', 12)).toBe('pendek');
  });
});

describe('textBlocks', () => {
  it('keeps one block per line and rejoins hard-wrapped paragraphs', () => {
    expect(textBlocks('Judul\n\nParagraf satu.\nEditor: X').map((b) => b.text)).toEqual(['Judul', 'Paragraf satu.', 'Editor: X']);
    expect(textBlocks('Pemerintah menyiapkan anggaran tambahan untuk\nperbaikan jalan rusak.\n\nBerikutnya.').map((b) => b.text)).toEqual([
      'Pemerintah menyiapkan anggaran tambahan untuk perbaikan jalan rusak.',
      'Berikutnya.',
    ]);
    expect(textBlocks('Windows\r\nline\r\n').map((b) => b.text)).toEqual(['Windows', 'line']);
  });
});
