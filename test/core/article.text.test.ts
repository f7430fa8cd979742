/**
 * Pasted text -> Article, pinned on the product's seed (test/fixtures/seed): a TribunAmbon story
 * copied off the page with all its chrome.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { textToArticle } from '../../src/core/article.js';
import { RingkasError } from '../../src/core/errors.js';

const seed = readFileSync(fileURLToPath(new URL('../fixtures/seed/000_15a10b513c55d842.txt', import.meta.url)), 'utf8');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof RingkasError ? e.code : `not a RingkasError: ${String(e)}`;
  }
  return undefined;
}

describe('textToArticle on the seed', () => {
  const a = textToArticle(seed);

  it('finds the headline after the section label', () => {
    expect(a.title).toBe('Korea Utara Klaim Tidak Pernah Pasok Senjata ke Rusia, dan Meminta AS untuk Diam');
  });

  it('reads the editor, the dateline, the photo caption and credit', () => {
    expect(a.editor).toBe('Adjeng Hatalea');
    expect(a.dateline).toEqual({ place: 'Pyongyang', marker: 'PYONGYANG, TRIBUNAMBON.COM -', outlet: 'TRIBUNAMBON.COM' });
    expect(a.image?.caption).toBe(
      'Foto tangkapan layar yang diambil dari tayangan stasiun televisi Korea Utara, KCTV, pada 1 Agustus 2019, yang memperlihatkan siluet Pemimpin Korea Utara Kim Jong Un sedang melihat peluncuran rudal balistik di lokasi yang tidak diketahui.',
    );
    expect(a.image?.credit).toBe('AFP PHOTO / HANDOUT / KCTV');
    expect(a.language).toBe('id');
  });

  it('keeps the body from the dateline paragraph to the sign-off, as published', () => {
    expect(a.paragraphs).toHaveLength(17);
    expect(a.paragraphs[0]).toBe('PYONGYANG, TRIBUNAMBON.COM - Korea Utara mengutuk Amerika Serikan (AS) atas tuduhan transfer senjata ke Rusia untuk perang dengan Ukraina.');
    expect(a.paragraphs[1]).toBe('Korea Utara mengeklaim tidak pernah memasok senjata ke Rusia, dan tuduhan itu menodai citra negara itu.');
    expect(a.paragraphs.at(-1)).toBe('Tes itu dilakukan di tengah perpecahan di Dewan Keamanan PBB, di mana Rusia dan China telah memblokir upaya AS untuk memperketat sanksi terhadap Pyongyang.(*)');
    // Curly quotes, the typo and the stray ". ." are the publisher's and stay.
    expect(a.paragraphs[3]).toMatch(/^“Kami mengutuk keras/);
    expect(a.paragraphs.join('\n')).toContain('melakukannya. . Pejabat itu');
    // The standfirst repeated before the photo is not a paragraph of its own.
    expect(a.paragraphs.filter((p) => p.includes('mengutuk Amerika Serikan'))).toHaveLength(1);
  });

  it('leaves all the chrome out of the body', () => {
    const body = a.paragraphs.join('\n');
    for (const chrome of ['Global', 'Editor:', 'AFP PHOTO', 'Foto tangkapan layar', 'Baca juga', 'Ratusan Demonstran', 'Berita Terkait', 'Ikuti kami di', 'Berita Terkini', 'Berita Populer', '©', 'All Right Reserved']) {
      expect(body).not.toContain(chrome);
    }
    expect(a.paragraphs).not.toContain('AA');
  });

  it('turns "Baca juga:" into a link', () => {
    expect(a.links).toEqual([{ title: 'Ratusan Demonstran Ditangkap saat Aksi Protes Anti-mobilisasi di Rusia' }]);
  });

  it('takes the caller title and url when given', () => {
    const b = textToArticle(seed, { title: 'Judul dari pengguna', url: 'https://ambon.tribunnews.com/x' });
    expect(b.title).toBe('Judul dari pengguna');
    expect(b.url).toBe('https://ambon.tribunnews.com/x');
    expect(b.paragraphs).toHaveLength(17);
  });
});

describe('textToArticle on other pasted text', () => {
  it('rejoins hard-wrapped lines and titles a text that has no headline from its first sentence', () => {
    const text = [
      'Pemerintah Provinsi Jawa Barat menyiapkan anggaran tambahan untuk',
      'perbaikan jalan rusak di wilayah selatan menjelang musim hujan tahun ini.',
      '',
      'Kepala dinas mengatakan perbaikan dimulai pekan depan dan ditargetkan',
      'selesai dalam dua bulan.',
    ].join('\n');
    const a = textToArticle(text);
    expect(a.paragraphs).toEqual([
      'Pemerintah Provinsi Jawa Barat menyiapkan anggaran tambahan untuk perbaikan jalan rusak di wilayah selatan menjelang musim hujan tahun ini.',
      'Kepala dinas mengatakan perbaikan dimulai pekan depan dan ditargetkan selesai dalam dua bulan.',
    ]);
    // The first sentence, cut at a word boundary near 120 characters.
    expect(a.title).toBe('Pemerintah Provinsi Jawa Barat menyiapkan anggaran tambahan untuk perbaikan jalan rusak di wilayah selatan menjelang…');
  });

  it('reads "Penulis: A | Editor: B", a printed date and a Kompas-style dateline', () => {
    const text = [
      'Banjir Rob Genangi Pesisir Utara Jakarta',
      'Kompas.com - 05/11/2015, 15:37 WIB',
      'Penulis: Andi Saputra | Editor: Bunga Lestari',
      'JAKARTA, KOMPAS.com - Banjir rob kembali menggenangi permukiman warga di pesisir utara Jakarta pada Kamis pagi.',
      'Warga mengatakan air mulai masuk ke rumah sejak subuh dan belum surut hingga siang.',
      'Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses berita Kompas.com WhatsApp Channel',
    ].join('\n');
    const a = textToArticle(text);
    expect(a.title).toBe('Banjir Rob Genangi Pesisir Utara Jakarta');
    expect(a.byline).toBe('Andi Saputra');
    expect(a.editor).toBe('Bunga Lestari');
    expect(a.publishedAt).toBe('2015-11-05T15:37:00+07:00');
    expect(a.dateline?.place).toBe('Jakarta');
    expect(a.paragraphs).toHaveLength(2);
  });

  it('knows English and Javanese', () => {
    expect(textToArticle('The minister said on Monday that the new airport would open in March, and that it was on schedule.').language).toBe('en');
    expect(textToArticle('Warga ing desa kasebut kudu ngungsi amarga banjir sing teka wiwit bengi lan durung surut nganti saiki.').language).toBe('jv');
  });

  it('refuses empty, chrome-only and binary input with typed errors', () => {
    expect(codeOf(() => textToArticle(''))).toBe('EMPTY_INPUT');
    expect(codeOf(() => textToArticle(' \n\t '))).toBe('EMPTY_INPUT');
    expect(codeOf(() => textToArticle('Baca juga: Sesuatu\nIkuti kami di\nAA'))).toBe('EMPTY_INPUT');
    const binary = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 31) % 32));
    expect(codeOf(() => textToArticle(binary))).toBe('BINARY_INPUT');
    expect(codeOf(() => textToArticle('\ufffd'.repeat(500)))).toBe('BINARY_INPUT');
  });
});
