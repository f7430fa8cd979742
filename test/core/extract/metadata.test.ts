import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/extract/dom.js';
import { cleanByline, cleanTitle, hostLabel, readPageMeta } from '../../../src/core/extract/metadata.js';

describe('titles and bylines', () => {
  it('names the site from its host', () => {
    expect(hostLabel('http://regional.kompas.com/read/2015/11/04/x')).toBe('kompas');
    expect(hostLabel('http://nasional.republika.co.id/berita/x')).toBe('republika');
    expect(hostLabel('https://www.antaranews.com/berita/1')).toBe('antaranews');
    expect(hostLabel('not a url')).toBeUndefined();
  });

  it('removes the site from a title, wherever it sits', () => {
    expect(cleanTitle('Polres Lhokseumawe Serahkan Anggota Di Minimi ke Kejaksaan - Kompas.com Regional', ['kompas'])).toBe('Polres Lhokseumawe Serahkan Anggota Di Minimi ke Kejaksaan');
    expect(cleanTitle('Marcella Zalianty Promo Pariwisata Indonesia Lewat Film | Republika Online', ['Republika Online', 'republika'])).toBe('Marcella Zalianty Promo Pariwisata Indonesia Lewat Film');
    expect(cleanTitle("KapanLagi.com: Brandon Salim Makin Dekat Dengan Sivia Blink di 'HEART BEAT'", ['KapanLagi.com', 'kapanlagi'])).toBe("Brandon Salim Makin Dekat Dengan Sivia Blink di 'HEART BEAT'");
    expect(cleanTitle('Sering Depresi Berat, Hati-Hati Diabetes! - Health :: Okezone Lifestyle', ['okezone'])).toBe('Sering Depresi Berat, Hati-Hati Diabetes!');
    expect(cleanTitle('Harga Cabai Naik - Tribunambon.com', ['tribunnews'])).toBe('Harga Cabai Naik - Tribunambon.com'); // the host says tribunnews
    expect(cleanTitle('Harga Cabai Naik - Tribunambon.com', ['Tribunambon.com'])).toBe('Harga Cabai Naik');
  });

  it('keeps separators that belong to the story', () => {
    expect(cleanTitle('Tri Indonesia: Broadband Dorong Ekosistem Digital Dalam Negeri', ['liputan6'])).toBe('Tri Indonesia: Broadband Dorong Ekosistem Digital Dalam Negeri');
    expect(cleanTitle('Jokowi - Prabowo Bertemu di Istana', ['kompas'])).toBe('Jokowi - Prabowo Bertemu di Istana');
  });

  it('cleans bylines to a name', () => {
    expect(cleanByline('Pewarta: Nur Imansyah', [])).toBe('Nur Imansyah');
    expect(cleanByline('Fino Yurio Kristo - detikinet', ['detikinet'])).toBe('Fino Yurio Kristo');
    expect(cleanByline('Kontributor Lhokseumawe, Masriadi', [])).toBe('Masriadi');
    expect(cleanByline('Kompas Cyber Media', ['kompas'])).toBeUndefined();
    expect(cleanByline('https://www.facebook.com/detikdotcom', [])).toBeUndefined();
    expect(cleanByline('   ', [])).toBeUndefined();
  });
});

describe('readPageMeta', () => {
  function meta(html: string, url?: string) {
    const { doc, index } = parseDocument(html, url);
    return readPageMeta(doc, index, url);
  }

  it('prefers Open Graph and JSON-LD, resolves URLs against the page', () => {
    const m = meta(
      `<html><head><meta property="og:title" content="Judul Berita - Kompas.com"><meta property="og:site_name" content="KOMPAS.com">
       <meta property="og:image" content="/foto/a.jpg"><link rel="canonical" href="/read/1/judul">
       <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2024-01-02T03:04:05+07:00","author":{"name":"Ani"}}]}</script>
       </head><body><h1>Judul Berita</h1><p>Teks.</p></body></html>`,
      'https://www.kompas.com/read/1/judul?utm=x',
    );
    expect(m.title).toBe('Judul Berita');
    expect(m.siteName).toBe('KOMPAS.com');
    expect(m.image?.url).toBe('https://www.kompas.com/foto/a.jpg');
    expect(m.canonicalUrl).toBe('https://www.kompas.com/read/1/judul');
    expect(m.publishedAt).toBe('2024-01-02T03:04:05+07:00');
    expect(m.byline).toBe('Ani');
    expect(m.declaresArticle).toBe(true);
  });

  it('takes the date printed nearest the headline, not the masthead or a list', () => {
    const m = meta(`<html><body><div class="top">Rabu, 4 November 2015</div><ul><li>Senin, 2 November 2015 10:00 WIB</li></ul>
      <h1>Judul</h1><div>Rabu, 4 November 2015 | 21:04 WIB</div><p>Teks.</p>
      <ul><li>Kamis, 5 November 2015 08:00 WIB</li></ul></body></html>`);
    expect(m.publishedAt).toBe('2015-11-04T21:04:00+07:00');
  });

  it('survives broken JSON-LD and missing everything', () => {
    const m = meta('<html><head><script type="application/ld+json">{not json</script></head><body><p>x</p></body></html>');
    expect(m.title).toBeUndefined();
    expect(m.publishedAt).toBeUndefined();
    expect(m.declaresArticle).toBe(false);
  });
});
