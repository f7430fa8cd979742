/**
 * htmlToArticle on hand-made pages (test/fixtures/html): Tribun-style chrome, multi-page articles,
 * pages that are not articles, a story only in JSON-LD, other languages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { htmlToArticle, mergePages } from '../../src/core/article.js';
import { RingkasError } from '../../src/core/errors.js';

function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/html/${name}`, import.meta.url)), 'utf8');
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof RingkasError ? e.code : `not a RingkasError: ${String(e)}`;
  }
  return undefined;
}

const TRIBUN_URL = 'https://ambon.tribunnews.com/2024/12/20/harga-cabai-rawit-di-ambon-naik-jelang-natal';
const DETIK_URL = 'https://news.detik.com/berita/d-7222222/lima-hal-yang-perlu-diketahui-soal-kereta-cepat';

describe('a Tribun-style article', () => {
  const a = htmlToArticle(fixture('tribun-style.html'), { url: TRIBUN_URL });

  it('reads the metadata', () => {
    expect(a.title).toBe('Harga Cabai Rawit di Ambon Naik Jelang Natal');
    expect(a.canonicalUrl).toBe(TRIBUN_URL);
    expect(a.siteName).toBe('Tribunambon.com');
    expect(a.publishedAt).toBe('2024-12-20T09:15:00+09:00');
    expect(a.byline).toBe('Fulan Rahman');
    expect(a.editor).toBe('Siti Aminah');
    expect(a.image).toEqual({
      url: 'https://img.example-tribun.test/foto/2024/12/20/cabai-rawit.jpg',
      caption: 'Pedagang menata cabai rawit di Pasar Mardika, Ambon, Kamis (19/12/2024).',
      credit: 'TRIBUNAMBON.COM/FULAN RAHMAN',
    });
  });

  it('keeps the bold dateline in the first paragraph and ends at the sign-off', () => {
    expect(a.paragraphs[0]).toBe('AMBON, TRIBUNAMBON.COM - Harga cabai rawit di sejumlah pasar tradisional di Kota Ambon naik tajam menjelang perayaan Natal tahun ini.');
    expect(a.dateline).toEqual({ place: 'Ambon', marker: 'AMBON, TRIBUNAMBON.COM -', outlet: 'TRIBUNAMBON.COM' });
    expect(a.paragraphs.at(-1)).toMatch(/\(\*\)$/);
    expect(a.paragraphs).toHaveLength(5);
  });

  it('moves "Baca juga" to links and drops the rest of the chrome', () => {
    expect(a.links).toEqual([{ title: 'Stok Beras di Maluku Aman hingga Tahun Baru', url: 'https://ambon.tribunnews.com/2024/12/18/stok-beras-di-maluku-aman-hingga-tahun-baru' }]);
    const body = a.paragraphs.join('\n');
    for (const chrome of ['Laporan Wartawan', 'Baca juga', 'Artikel ini telah tayang', 'Tampilkan Semua', 'Bagikan', 'Berita Terkait', 'Harga Bawang Merah', '©']) {
      expect(body).not.toContain(chrome);
    }
  });

  it('offers the whole story at ?page=all as the next page', () => {
    expect(a.nextPages).toEqual([`${TRIBUN_URL}?page=all`]);
    const all = htmlToArticle(fixture('tribun-style.html'), { url: `${TRIBUN_URL}?page=all` });
    expect(all.nextPages).toBeUndefined();
  });
});

describe('a detik-style article over several pages', () => {
  const first = htmlToArticle(fixture('detik-paged.html'), { url: DETIK_URL });
  const second = htmlToArticle(fixture('detik-paged-2.html'), { url: `${DETIK_URL}/2` });

  it('lists the further pages in order, absolute', () => {
    expect(first.nextPages).toEqual([`${DETIK_URL}/2`, `${DETIK_URL}/3`]);
    expect(first.paragraphs.join('\n')).not.toMatch(/Halaman/);
  });

  it('reads the first page', () => {
    expect(first.paragraphs[0]).toMatch(/^Jakarta - Kereta cepat Jakarta-Bandung/);
    expect(first.byline).toBe('Anisa Putri');
    expect(first.publishedAt).toBe('2024-03-04T10:30:00+07:00');
  });

  it('merges pages: first page metadata, paragraphs in order without repeats', () => {
    const merged = mergePages(first, [second, first]);
    expect(merged.title).toBe(first.title);
    expect(merged.byline).toBe('Anisa Putri');
    expect(merged.dateline).toEqual(first.dateline);
    expect(merged.nextPages).toBeUndefined();
    expect(merged.paragraphs).toEqual([...first.paragraphs, ...second.paragraphs]);
    expect(merged.paragraphs.at(-1)).toBe('(aik/aik)');
    expect(merged.language).toBe('id');
  });
});

describe('current newsroom layouts', () => {
  it('detik: ad slots, video embeds and tag lines dropped; a "Baca juga" table Readability removes still becomes a link', () => {
    const a = htmlToArticle(fixture('detik-modern.html'), { url: 'https://news.detik.com/berita/d-7600000/pemprov-dki-siapkan-200-pompa' });
    expect(a.byline).toBe('Rahmat Hidayat');
    expect(a.publishedAt).toBe('2024-11-12T14:05:00+07:00');
    expect(a.image?.caption).toBe('Petugas memeriksa pompa air di Jakarta Utara.');
    expect(a.image?.credit).toBe('Andi Pratama/detikcom');
    expect(a.links).toEqual([{ title: 'BMKG Prediksi Hujan Lebat Sepekan ke Depan', url: 'https://news.detik.com/berita/d-7600001/bmkg-prediksi-hujan-lebat' }]);
    expect(a.paragraphs).toHaveLength(5);
    expect(a.paragraphs[0]).toMatch(/^Jakarta - Pemerintah Provinsi DKI Jakarta/);
    expect(a.paragraphs.at(-1)).toBe('(rdh/imk)');
    expect(a.paragraphs.join('\n')).not.toMatch(/ADVERTISEMENT|SCROLL TO|Gambas|Simak Video|Tag:|Berita satu|Copyright/);
  });

  it('CNN Indonesia: "Baca juga:" heading with a linked headline, "--" dateline, the site is not the author', () => {
    const a = htmlToArticle(fixture('cnn-style.html'), { url: 'https://www.cnnindonesia.com/ekonomi/20241021/ekspor-kopi' });
    expect(a.dateline).toEqual({ place: 'Jakarta', marker: 'Jakarta, CNN Indonesia --', outlet: 'CNN Indonesia' });
    expect(a.links).toEqual([{ title: 'Harga Kopi Dunia Capai Rekor Tertinggi', url: 'https://www.cnnindonesia.com/ekonomi/1/harga-kopi-dunia' }]);
    expect(a.byline).toBeUndefined();
    expect(a.paragraphs).toHaveLength(5);
    expect(a.paragraphs.at(-1)).toBe('(pta/sfr)');
  });
});

describe('pages that are not articles', () => {
  it('refuses a home page', () => {
    expect(codeOf(() => htmlToArticle(fixture('homepage.html'), { url: 'https://kabar.example/' }))).toBe('NOT_AN_ARTICLE');
  });

  it('refuses a JavaScript-only shell', () => {
    expect(codeOf(() => htmlToArticle(fixture('script-shell.html'), { url: 'https://app.example/' }))).toBe('SCRIPT_ONLY_PAGE');
    expect(codeOf(() => htmlToArticle('<div id="root"></div><script src=app.js></script>', {}))).toBe('SCRIPT_ONLY_PAGE');
  });

  it('refuses empty and binary input', () => {
    expect(codeOf(() => htmlToArticle('', {}))).toBe('EMPTY_INPUT');
    expect(codeOf(() => htmlToArticle('   ', {}))).toBe('EMPTY_INPUT');
    expect(codeOf(() => htmlToArticle('\u0000\u0001\u0002\u0003'.repeat(100), {}))).toBe('BINARY_INPUT');
    expect(codeOf(() => htmlToArticle('<html><body></body></html>', {}))).toBe('NOT_AN_ARTICLE');
  });
});

describe('other pages', () => {
  it('reads a story carried only in JSON-LD articleBody', () => {
    const a = htmlToArticle(fixture('jsonld-body.html'), { url: 'https://wartakotahujan.example/bogor/bus-listrik' });
    expect(a.title).toBe('Pemkot Bogor Tambah 40 Bus Listrik');
    expect(a.byline).toBe('Rina Wulandari');
    expect(a.publishedAt).toBe('2024-06-11T07:00:00Z');
    expect(a.paragraphs).toHaveLength(3);
    expect(a.dateline?.place).toBe('Bogor');
  });

  it('reads an English article and a Javanese one', () => {
    const en = htmlToArticle(fixture('english.html'), { url: 'https://islandpost.example/bali-airport' });
    expect(en.language).toBe('en');
    expect(en.title).toBe('Volcano eruption closes Bali airport');
    expect(en.dateline).toEqual({ place: 'Denpasar', marker: 'DENPASAR (Reuters) -', outlet: 'Reuters' });
    const jv = htmlToArticle(fixture('javanese.html'), {});
    expect(jv.language).toBe('jv');
    expect(jv.paragraphs).toHaveLength(3);
  });

  it('reads a bare fragment without <html>, resolving links against the given URL', () => {
    const html = '<h1>Judul</h1><p>SURABAYA, KOMPAS.com - Warga Surabaya memadati taman kota pada akhir pekan untuk menikmati udara segar setelah hujan.</p><p>Baca juga: <a href="/read/2024/1/1/lain">Berita Lain</a></p><p>Pengelola taman menambah petugas kebersihan dan tempat sampah di sejumlah titik agar taman tetap nyaman.</p>';
    const a = htmlToArticle(html, { url: 'https://regional.kompas.com/read/2024/1/2/x' });
    expect(a.links).toEqual([{ title: 'Berita Lain', url: 'https://regional.kompas.com/read/2024/1/1/lain' }]);
    expect(a.paragraphs).toHaveLength(2);
    expect(a.dateline?.place).toBe('Surabaya');
  });
});
