import { describe, expect, it } from 'vitest';
import { analyze, isNumberToken, isWordToken, terms, tokenize, words } from '../../../src/core/text/tokenize.js';
import { STOPWORDS, isStopword } from '../../../src/core/text/stopwords.js';
import * as text from '../../../src/core/text/index.js';

describe('words', () => {
  it('lowercases, keeps reduplications, hyphenated words and numbers whole', () => {
    expect(words("Masing-masing membayar Rp1.000.000, naik 1,5 persen pukul 08.00; anti-DPRK Jum'at.")).toEqual([
      'masing-masing',
      'membayar',
      'rp',
      '1.000.000',
      'naik',
      '1,5',
      'persen',
      'pukul',
      '08.00',
      'anti-dprk',
      "jum'at",
    ]);
  });

  it('drops punctuation and quotes', () => {
    expect(words('“Kami siap,” kata dia... (27/3).')).toEqual(['kami', 'siap', 'kata', 'dia', '27', '3']);
    expect(words('')).toEqual([]);
    expect(words('... — !!')).toEqual([]);
  });

  it('does not blow the regex stack on a 10 MB token', () => {
    expect(words('1.'.repeat(5_000_000)).length).toBeGreaterThan(0);
    expect(tokenize('ab-'.repeat(3_000_000)).length).toBeGreaterThan(0);
  });
});

describe('tokenize', () => {
  it('keeps punctuation as tokens in the original case', () => {
    expect(tokenize('"Kami siap," kata Budi... (27/3).')).toEqual(['"', 'Kami', 'siap', ',', '"', 'kata', 'Budi', '...', '(', '27', '/', '3', ')', '.']);
  });

  it('classifies tokens', () => {
    expect(isWordToken('Rp')).toBe(true);
    expect(isWordToken('...')).toBe(false);
    expect(isNumberToken('1.000,5')).toBe(true);
    expect(isNumberToken('G20')).toBe(false);
  });
});

describe('terms and analyze', () => {
  it('drops stopwords, stems content words, keeps names inside a sentence whole', () => {
    expect(terms('Presiden Joko Widodo mengatakan bahwa pemerintah akan membangun jembatan baru dengan Erdogan.')).toEqual([
      'presiden',
      'joko',
      'widodo',
      'perintah',
      'bangun',
      'jembatan',
      'erdogan',
    ]);
  });

  it('counts every word', () => {
    const a = analyze('Korea Utara mengutuk AS atas tuduhan itu.');
    expect(a.wordCount).toBe(7);
    expect(a.terms).toEqual(['korea', 'utara', 'kutuk', 'as', 'tuduh']);
  });
});

describe('STOPWORDS', () => {
  it('holds function words and news filler words, not content words', () => {
    for (const w of ['yang', 'dan', 'di', 'kata', 'ujar', 'mengatakan', 'tersebut', 'yakni', 'bahwa', 'namun', 'ujarnya']) {
      expect(STOPWORDS.has(w)).toBe(true);
    }
    for (const w of ['senjata', 'rusia', 'korupsi', 'banjir', 'presiden']) expect(STOPWORDS.has(w)).toBe(false);
    expect(isStopword('Tersebut')).toBe(true);
    expect(STOPWORDS.size).toBeGreaterThan(500);
  });
});

describe('text/index', () => {
  it('re-exports the text layer', () => {
    expect(typeof text.splitSentences).toBe('function');
    expect(typeof text.stem).toBe('function');
    expect(typeof text.detokenize).toBe('function');
    expect(text.STOPWORDS.has('yang')).toBe(true);
  });
});
