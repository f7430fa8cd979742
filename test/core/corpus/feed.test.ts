import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeedDocument, type ParsedFeed } from '../../../src/core/corpus/feed.js';
import { htmlToText } from '../../../src/core/corpus/html-text.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url), 'utf8');
const NOW = Date.parse('2030-01-01T00:00:00Z');
const parse = (xml: string, extra: Partial<Parameters<typeof parseFeedDocument>[1]> = {}): ParsedFeed =>
  parseFeedDocument(xml, { feedUrl: 'https://contoh.id/rss', now: NOW, ...extra });

function failure(fn: () => unknown): FeedParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FeedParseError);
    return e as FeedParseError;
  }
  throw new Error('expected a FeedParseError');
}

describe('parseFeedDocument on the shared real feeds', () => {
  it('reads the Antara feed: 20 items, plain-text leads, dates in +0700', () => {
    const feed = parse(fixture('antara-mainpage.rss.xml'), { feedUrl: 'http://www.antaranews.com/rss/terkini' });
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('ANTARA News - Berita Terkini');
    expect(feed.entries).toHaveLength(20);
    const first = feed.entries[0];
    expect(first?.title).toBe('29 penerbangan Bandara Internasional Lombok dibatalkan');
    expect(first?.link).toBe('http://www.antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan');
    expect(first?.key).toBe('antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan');
    expect(first?.publishedAt).toBe(Date.parse('2015-11-05T14:56:43+07:00'));
    expect(first?.dateSource).toBe('feed');
    // The <img> markup in the description is gone; the text stays.
    expect(first?.lead.startsWith('Sebanyak 29 penerbangan baik domestik')).toBe(true);
    expect(first?.lead).not.toMatch(/<img|&lt;|&amp;/);
    expect(feed.entries.every((e) => !/&nbsp;|&#13;/.test(e.lead))).toBe(true);
    expect(feed.problems).toEqual({ noLink: 0, empty: 0, undated: 0, futureDated: 0, tooOld: 0, repeated: 0 });
  });

  it('reads the Detik feed served through feedsportal: ad markup dropped from leads', () => {
    const feed = parse(fixture('detik-mainpage.rss.xml'), { feedUrl: 'http://rss.detik.com/index.php/detikcom' });
    expect(feed.entries.length).toBe(20);
    const g = feed.entries.find((e) => e.title === 'Google Umbar Kelemahan Galaxy S6 Edge');
    expect(g?.lead).toMatch(/^Galaxy S6 Edge, dengan material premium/);
    expect(g?.lead).not.toMatch(/feedsportal|<a |<img/);
    expect(g?.link).toMatch(/^http:\/\/detik\.feedsportal\.com\//);
  });

  it('reads Tempo section feeds whose guids are positions ("1".."9")', () => {
    for (const name of ['tempo-hukum.xml', 'tempo-ekonomi.xml']) {
      const feed = parse(fixture(name), { feedUrl: 'https://rss.tempo.co/hukum', now: Date.parse('2026-06-08T00:00:00Z') });
      expect(feed.entries).toHaveLength(9);
      expect(feed.entries.every((e) => e.link.startsWith('https://www.tempo.co/'))).toBe(true);
      expect(feed.entries.map((e) => e.guid)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    }
    const hukum = parse(fixture('tempo-hukum.xml'), { feedUrl: 'https://rss.tempo.co/hukum', now: Date.parse('2026-06-08T00:00:00Z') });
    expect(hukum.entries[0]?.title).toBe('Modus Dadan Hindayana dan Elite BGN dalam Korupsi Proyek MBG');
    expect(hukum.entries[0]?.publishedAt).toBe(Date.parse('2026-06-07T15:00:00+07:00'));
  });
});

describe('parseFeedDocument: Atom, RDF and JSON Feed', () => {
  it('reads Atom entries: alternate link, published date, html title and summary', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Warta Contoh</title><id>urn:warta</id><updated>2029-12-31T10:00:00Z</updated>
<link rel="alternate" href="https://warta.contoh.id/"/><link rel="self" href="https://warta.contoh.id/atom.xml"/>
<entry><title type="html">Harga cabai &amp;amp; bawang naik</title><id>tag:warta.contoh.id,2029:1001</id>
<link rel="self" href="https://warta.contoh.id/api/1001"/><link rel="alternate" href="/ekonomi/1001-harga-cabai"/>
<published>2029-12-31T09:00:00+07:00</published><updated>2029-12-31T09:30:00+07:00</updated>
<summary type="html">&lt;p&gt;Harga cabai rawit di Pasar Induk naik &lt;b&gt;dua kali lipat&lt;/b&gt;.&lt;/p&gt;</summary>
<content type="html">&lt;p&gt;Harga cabai rawit naik.&lt;/p&gt;&lt;p&gt;Pedagang mengeluh.&lt;/p&gt;</content></entry></feed>`;
    const feed = parse(xml, { feedUrl: 'https://warta.contoh.id/atom.xml' });
    expect(feed.format).toBe('atom');
    expect(feed.entries).toHaveLength(1);
    const e = feed.entries[0];
    expect(e?.title).toBe('Harga cabai & bawang naik');
    expect(e?.link).toBe('https://warta.contoh.id/ekonomi/1001-harga-cabai');
    expect(e?.guid).toBe('tag:warta.contoh.id,2029:1001');
    expect(e?.publishedAt).toBe(Date.parse('2029-12-31T02:00:00Z'));
    expect(e?.lead).toBe('Harga cabai rawit di Pasar Induk naik dua kali lipat.');
    expect(e?.body).toBe('Harga cabai rawit naik.\nPedagang mengeluh.');
  });

  it('reads RSS 1.0 / RDF items with Dublin Core dates', () => {
    const xml = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.contoh.id/"><title>RDF Contoh</title><link>https://rdf.contoh.id/</link><description>d</description></channel>
<item rdf:about="https://rdf.contoh.id/berita/7"><title>Jalan tol baru dibuka</title><link>https://rdf.contoh.id/berita/7</link><description>Jalan tol sepanjang 40 km dibuka untuk umum.</description><dc:date>2029-12-30T08:00:00+07:00</dc:date><dc:creator>Redaksi</dc:creator></item>
</rdf:RDF>`;
    const feed = parse(xml);
    expect(feed.format).toBe('rdf');
    expect(feed.entries[0]).toMatchObject({ title: 'Jalan tol baru dibuka', link: 'https://rdf.contoh.id/berita/7', author: 'Redaksi', publishedAt: Date.parse('2029-12-30T01:00:00Z') });
  });
});

describe('parseFeedDocument: bad input is counted or refused, never half-read silently', () => {
  it('refuses an HTML page with NOT_A_FEED', () => {
    expect(failure(() => parse('<!DOCTYPE html><html><head><title>Beranda</title></head><body><p>Berita</p></body></html>')).code).toBe('NOT_A_FEED');
    expect(failure(() => parse('<?xml version="1.0"?>\n<html><body>x</body></html>')).code).toBe('NOT_A_FEED');
    expect(failure(() => parse('')).code).toBe('NOT_A_FEED');
    expect(failure(() => parse('just some text')).code).toBe('NOT_A_FEED');
  });

  it('refuses truncated XML with MALFORMED_FEED', () => {
    const whole = fixture('antara-mainpage.rss.xml');
    const cut = whole.slice(0, Math.floor(whole.length / 2));
    expect(failure(() => parse(cut)).code).toBe('MALFORMED_FEED');
  });

  it('refuses a document past the size cap with FEED_TOO_LARGE', () => {
    expect(failure(() => parse(`<rss>${'x'.repeat(2000)}</rss>`, { maxChars: 1000 })).code).toBe('FEED_TOO_LARGE');
  });

  it('skips items without a link, dates undated items when seen, clamps future dates, drops repeats and old items', () => {
    const item = (inner: string): string => `<item>${inner}</item>`;
    const xml = `<rss version="2.0"><channel><title>Uji</title><link>https://uji.contoh.id/</link><description>d</description>
${item('<title>Tanpa tautan</title><description>Tidak ada link.</description><pubDate>Mon, 31 Dec 2029 10:00:00 +0700</pubDate>')}
${item('<title>Tautan javascript</title><link>javascript:alert(1)</link>')}
${item('<title>Tanpa tanggal</title><link>https://uji.contoh.id/a</link>')}
${item('<title>Tanggal masa depan</title><link>https://uji.contoh.id/b</link><pubDate>Sat, 01 Jan 2050 10:00:00 +0700</pubDate>')}
${item('<title>Tanggal ngawur</title><link>https://uji.contoh.id/c</link><pubDate>kemarin sore</pubDate>')}
${item('<title>Dua kali</title><link>https://uji.contoh.id/d?utm_source=x</link><pubDate>Mon, 31 Dec 2029 09:00:00 +0700</pubDate>')}
${item('<title>Dua kali</title><link>https://uji.contoh.id/d/</link><pubDate>Mon, 31 Dec 2029 09:00:00 +0700</pubDate>')}
${item('<title>Lama sekali</title><link>https://uji.contoh.id/e</link><pubDate>Tue, 01 Jan 2019 09:00:00 +0700</pubDate>')}
${item('<link>https://uji.contoh.id/f</link>')}
${item('<title>Relatif</title><link>/berita/g</link><pubDate>Mon, 31 Dec 2029 08:00:00 WIB</pubDate>')}
</channel></rss>`;
    const feed = parse(xml, { maxAgeMs: 30 * 24 * 3600_000 });
    expect(feed.itemCount).toBe(10);
    expect(feed.problems).toEqual({ noLink: 2, empty: 1, undated: 2, futureDated: 1, tooOld: 1, repeated: 1 });
    const byTitle = new Map(feed.entries.map((e) => [e.title, e]));
    expect([...byTitle.keys()]).toEqual(['Tanpa tanggal', 'Tanggal masa depan', 'Tanggal ngawur', 'Dua kali', 'Relatif']);
    expect(byTitle.get('Tanpa tanggal')).toMatchObject({ publishedAt: NOW, dateSource: 'seen' });
    expect(byTitle.get('Tanggal masa depan')).toMatchObject({ publishedAt: NOW, dateSource: 'clamped' });
    expect(byTitle.get('Dua kali')?.link).toBe('https://uji.contoh.id/d');
    expect(byTitle.get('Relatif')).toMatchObject({ link: 'https://uji.contoh.id/berita/g', publishedAt: Date.parse('2029-12-31T01:00:00Z') });
  });

  it('never uses a non-URL guid as a link', () => {
    const xml = '<rss version="2.0"><channel><title>t</title><link>https://x.contoh.id/</link><description>d</description><item><title>Hanya guid</title><guid>12345</guid></item><item><title>Guid URL</title><guid>https://x.contoh.id/berita/9</guid></item></channel></rss>';
    const feed = parse(xml);
    expect(feed.entries.map((e) => e.link)).toEqual(['https://x.contoh.id/berita/9']);
    expect(feed.problems.noLink).toBe(1);
  });
});

describe('htmlToText', () => {
  it('drops tags, scripts and comments, decodes entities once and twice-escaped markup', () => {
    expect(htmlToText('<p>Satu &amp; dua</p><script>alert(1)</script><!-- x --><p>tiga&nbsp;empat</p>')).toBe('Satu & dua\ntiga empat');
    expect(htmlToText('&lt;p&gt;Kutipan &amp;quot;ini&amp;quot;&lt;/p&gt;')).toBe('Kutipan &quot;ini&quot;');
    expect(htmlToText('Skor 3 &lt; 5 &#8211; “benar” &#x2014; &bogus; &#0;')).toBe('Skor 3 < 5 – “benar” — &bogus; \ufffd');
  });

  it('stays linear on hostile markup', () => {
    const hostile = '<a'.repeat(50_000) + '<script>'.repeat(5_000) + '<!--'.repeat(5_000) + `<${'b'.repeat(100_000)}` + '&#1'.repeat(20_000);
    const t0 = performance.now();
    htmlToText(hostile, 1_000_000);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
