import { describe, expect, it } from 'vitest';
import { evalGrounding, formatGrounding, type GroundingEval } from '../../eval/grounding.js';
import { checkBullet, describeIssues, groundBullets, groundingSource, type GroundingSource } from '../../src/core/grounding.js';
import { documentTexts, summaryDocument } from '../../src/core/llm-prompt.js';
import { berasReading } from '../adapters/llm/fixtures.js';

function beras(publishedAt?: string): GroundingSource {
  const reading = berasReading();
  const dated = publishedAt !== undefined ? { ...reading, article: { ...reading.article, publishedAt } } : reading;
  const doc = summaryDocument(dated);
  return groundingSource(documentTexts(doc), doc.language);
}

const ok = (bullet: string, source = beras()): boolean => checkBullet(bullet, source).supported;
const kinds = (bullet: string, source = beras()): string[] => checkBullet(bullet, source).issues.map((i) => i.kind);

describe('faithful bullets pass', () => {
  it.each([
    'Harga beras medium di Pasar Induk Beras Cipinang naik menjadi Rp 14.500 per kilogram.',
    // Paraphrase: other affixes of the same words, attribution of its own.
    'Menurut Ketua Koperasi Pedagang Pasar Induk Zulkifli Rasyid, pasokan beras berkurang karena musim hujan dan banjir.',
    'Pemerintah berencana menahan kenaikan harga beras dengan operasi pasar hingga akhir bulan.',
    // The same numbers in other forms.
    'Harga beras naik menjadi Rp14.500 per kilogram.',
    'Pasokan turun hampir 30% dibanding pekan lalu.',
    'Operasi pasar dimulai di dua belas titik di Jakarta dengan 1,5 ribu ton beras Bulog.',
    'Harga naik pada Senin (27/3).',
    'Harga naik pada Senin, 27 Maret.',
    // A verbatim quote, a quote cut with an ellipsis, a capitalized quote start.
    'Zulkifli Rasyid mengatakan, “Pasokan turun hampir 30 persen dibanding pekan lalu, jadi harga ikut naik.”',
    'Zulkifli Rasyid berkata pasokan "turun hampir 30 persen ... jadi harga ikut naik".',
    'Menurut Zulkifli, “pasokan turun hampir 30 persen”.',
  ])('%s', (bullet) => {
    const v = checkBullet(bullet, beras());
    expect(v.issues, describeIssues(v.issues)).toEqual([]);
    expect(v.supported).toBe(true);
  });

  it('takes the publication date the model was shown as part of the article', () => {
    expect(kinds('Harga beras naik pada 27 Maret 2017.')).toEqual(['number']);
    expect(ok('Harga beras naik pada 27 Maret 2017.', beras('2017-03-27T03:00:00Z'))).toBe(true);
  });
});

describe('unsupported bullets are caught, with the reason', () => {
  it('an invented or changed number', () => {
    expect(checkBullet('Harga beras naik menjadi Rp 16.000 per kilogram.', beras()).issues).toEqual([{ kind: 'number', text: '16.000' }]);
    expect(kinds('Pasokan turun hampir 40 persen karena banjir.')).toEqual(['number']);
    expect(kinds('Operasi pasar dimulai di 12 titik dengan 1,5 juta ton beras.')).toEqual(['number']);
    expect(kinds('Operasi pasar dimulai di tiga belas titik di Jakarta.')).toEqual(['number']);
    expect(kinds('Harga beras naik menjadi Rp 14.500 per kilogram pada 2016.')).toEqual(['number']);
  });

  it('an invented name', () => {
    expect(checkBullet('Pasokan beras turun karena banjir, kata Budi Santoso.', beras()).issues).toEqual([
      { kind: 'name', text: 'Budi' },
      { kind: 'name', text: 'Santoso' },
    ]);
    expect(kinds('Hendrawan menyebut pasokan beras turun karena banjir.')).toEqual(['name']);
    expect(kinds('Harga beras di Pasar Induk Surabaya ikut naik.')).toContain('name');
    expect(kinds('Operasi pasar dilakukan bersama KPPU di Jakarta.')).toContain('name');
  });

  it('another month or weekday than the article says', () => {
    expect(kinds('Harga beras naik pada 27 April.')).toEqual(['date']);
    expect(kinds('Harga beras naik pada Selasa (27/3).')).toEqual(['name']);
  });

  it('a misquote', () => {
    expect(checkBullet('Zulkifli Rasyid mengatakan, “Pasokan turun drastis dibanding pekan lalu.”', beras()).issues).toEqual([{ kind: 'quote', text: 'Pasokan turun drastis dibanding pekan lalu.' }]);
    // Words of the quote in another order, or joined across what the article keeps apart.
    expect(kinds('Zulkifli berkata, "Harga ikut naik, jadi pasokan turun."')).toEqual(['quote']);
    // An unclosed quote is still a quote.
    expect(kinds('Zulkifli berkata, “Pasokan turun sampai habis')).toContain('quote');
  });

  it('a statement the article does not make', () => {
    const v = checkBullet('Para petani menuntut subsidi pupuk dan bantuan benih dari kementerian pertanian.', beras());
    expect(v.supported).toBe(false);
    expect(v.issues[0]).toMatchObject({ kind: 'content' });
    expect(v.coverage).toBeLessThan(0.5);
  });

  it('nothing to check', () => {
    expect(kinds('Ini adalah hal yang demikian.')).toEqual(['empty']);
  });

  it('groundBullets keeps the supported ones in order', () => {
    const { verdicts, supported } = groundBullets(['Harga beras naik menjadi Rp 14.500 per kilogram.', 'Harga beras naik menjadi Rp 16.000.', 'Pemerintah akan menggelar operasi pasar.'], beras());
    expect(verdicts.map((v) => v.supported)).toEqual([true, false, true]);
    expect(supported).toEqual(['Harga beras naik menjadi Rp 14.500 per kilogram.', 'Pemerintah akan menggelar operasi pasar.']);
  });
});

describe('numbers in Indonesian and English forms', () => {
  const src = groundingSource(['Anggaran Rp 1,5 triliun untuk 1.200 sekolah, naik 10% dari 2023; 3 juta siswa ikut.'], 'id');
  it.each([
    ['Rp1,5 triliun', true],
    ['Rp 1.500 miliar', true],
    ['1.500.000.000.000 rupiah', true],
    ['1.200 sekolah', true],
    ['seribu dua ratus sekolah', true],
    ['10 persen', true],
    ['sepuluh persen', true],
    ['tiga juta siswa', true],
    ['3.000.000 siswa', true],
    ['Rp 2 triliun', false],
    ['1.300 sekolah', false],
    ['12 persen', false],
  ])('%s', (phrase, expected) => {
    const v = checkBullet(`Anggaran sekolah ${phrase} pada 2023.`, src);
    expect(v.issues.filter((i) => i.kind === 'number').length === 0).toBe(expected);
  });

  it('reads English separators in an English article', () => {
    const en = groundingSource(['About 1,200 residents were moved and 2.5 million people were affected.'], 'en');
    expect(checkBullet('Some 1,200 residents were moved.', en).supported).toBe(true);
    expect(checkBullet('About 2.5 million people were affected.', en).supported).toBe(true);
    expect(checkBullet('About 3 million people were affected.', en).supported).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Measured on real data: faithful bullets are the sentences of IndoSum's human summaries, checked
// against their articles; unfaithful ones are the same sentences with one fact changed.

const grounding = evalGrounding();

describe.skipIf(grounding === null)('IndoSum human summaries (../shared/data)', () => {
  it('accepts most faithful bullets and rejects nearly all with an invented number, name or quote', () => {
    const g = grounding as GroundingEval;
    console.log(`grounding on IndoSum dev.01 (${g.articles} articles)\n${formatGrounding(g)}`);
    expect(g.faithful.total).toBeGreaterThan(2000);
    expect(g.faithful.accepted / g.faithful.total).toBeGreaterThan(0.9);
    expect(g.number.rejected / g.number.total).toBeGreaterThan(0.9);
    expect(g.name.rejected / g.name.total).toBeGreaterThan(0.98);
    expect(g.quote.rejected / g.quote.total).toBeGreaterThan(0.85);
  });
});

if (grounding === null) console.warn('SKIPPED: ../shared/data is absent; the IndoSum grounding evaluation did not run.');
