/**
 * The nine real pages (test/fixtures/pages, copied from ../shared/data/pages) through
 * htmlToArticle: exact titles, dates to the day, bodies scored with the article-extraction-benchmark
 * shingle metric, and what each page teaches about Indonesian newsroom chrome.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article-types.js';
import { htmlToArticle } from '../../src/core/article.js';
import { decodeHtmlBytes } from '../../src/core/charset.js';
import { jakartaDay, precisionOf, recallOf, shingleMatch, type GroundTruthPage } from '../../eval/extraction.js';

const dir = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));
const truth = JSON.parse(readFileSync(`${dir}ground-truth.json`, 'utf8')) as Record<string, GroundTruthPage>;
const files = Object.keys(truth);

const cache = new Map<string, Article>();
function read(file: string): Article {
  const hit = cache.get(file);
  if (hit !== undefined) return hit;
  const html = decodeHtmlBytes(new Uint8Array(readFileSync(`${dir}${file}`))).text;
  const article = htmlToArticle(html, { url: truth[file]?.url ?? '' });
  cache.set(file, article);
  return article;
}

function body(a: Article): string {
  return a.paragraphs.join('\n');
}

describe('htmlToArticle on the nine shared pages', () => {
  it('has all nine fixtures', () => {
    expect(files).toHaveLength(9);
  });

  it.each(files)('%s: title exact, date to the day, body close to the ground truth', (file) => {
    const t = truth[file];
    if (t === undefined) throw new Error(file);
    const a = read(file);
    expect(a.title).toBe(t.title);
    if (t.date !== undefined) {
      expect(a.publishedAt).toBeDefined();
      expect(jakartaDay(Date.parse(a.publishedAt ?? ''))).toBe(jakartaDay(t.date));
      expect(a.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/);
    }
    const m = shingleMatch(t.content, body(a));
    expect(precisionOf(m)).toBeGreaterThanOrEqual(0.95);
    expect(recallOf(m)).toBeGreaterThanOrEqual(0.97);
    expect(a.language).toBe('id');
    expect(a.url).toBe(t.url);
    // No page chrome in any body.
    expect(body(a)).not.toMatch(/Editor\s*:|Penulis\s*:|COPYRIGHT|©|Baca Juga|Jangan Lewatkan|\d+\s+views|Credits \(|berlangganan/i);
  });

  it('averages to F1 >= 0.95 over the nine pages (benchmark metric)', () => {
    let p = 0;
    let r = 0;
    for (const file of files) {
      const m = shingleMatch(truth[file]?.content ?? '', body(read(file)));
      p += precisionOf(m);
      r += recallOf(m);
    }
    p /= files.length;
    r /= files.length;
    expect((2 * p * r) / (p + r)).toBeGreaterThanOrEqual(0.95);
  });

  it('antara: dateline with region and outlet kept in the body, editor and byline out of it, caption and credit', () => {
    const a = read('antara-singlepage.html');
    expect(a.paragraphs[0]).toMatch(/^Mataram, NTB \(ANTARA News\) - Sebanyak 29 penerbangan/);
    expect(a.dateline).toEqual({ place: 'Mataram, NTB', marker: 'Mataram, NTB (ANTARA News) -', outlet: 'ANTARA News' });
    expect(a.editor).toBe('Ade Marboen');
    expect(a.byline).toBe('Nur Imansyah');
    expect(a.image?.credit).toBe('ANTARA FOTO/Budi Setya');
    expect(a.image?.caption).toMatch(/^Dokumentasi petugas Badan Meteorologi/);
    expect(body(a)).not.toContain('Dokumentasi petugas'); // the caption is not body
    expect(body(a)).not.toContain('DPR-RI prihatin'); // nor the "popular" list after the story
    expect(a.publishedAt).toBe('2015-11-05T14:56:43+07:00');
  });

  it('detik: a lone "Jakarta -" joins the first paragraph; the sign-off stays last; byline without the channel', () => {
    const a = read('detik-singlepage.html');
    expect(a.paragraphs[0]).toMatch(/^Jakarta - Galaxy S6 Edge, dengan material premium/);
    expect(a.paragraphs.at(-1)).toBe('(fyk/ash)');
    expect(a.dateline).toEqual({ place: 'Jakarta', marker: 'Jakarta -' });
    expect(a.byline).toBe('Fino Yurio Kristo');
    // "2015-11-05 T10:08:58Z" is Jakarta wall-clock time mislabelled as UTC: the page prints 10:08 WIB.
    expect(a.publishedAt).toBe('2015-11-05T10:08:58+07:00');
    expect(a.image).toEqual({ url: 'http://images.detik.com/content/2015/11/05/323/100204_anda.jpg', caption: 'Galaxy S6 Edge & S6', credit: 'ist' });
  });

  it('kapanlagi: UTF-8 bytes labelled latin-1, outlet-only marker, mid-story photo caption dropped, related list dropped', () => {
    const a = read('kapanlagi-singlepage.html');
    expect(body(a)).toContain('KapanLagi.com®');
    expect(a.paragraphs[0]).toMatch(/^Kapanlagi\.com - Brandon Nicholas Salim/);
    expect(a.dateline).toEqual({ place: '', marker: 'Kapanlagi.com -', outlet: 'Kapanlagi.com' });
    expect(body(a)).not.toContain('Heart Beat bikin Brandon terpukau');
    expect(body(a)).not.toContain("'HEART BEAT' Bukan Hanya Sekedar");
    expect(a.paragraphs.at(-1)).toBe('(kpl/pur/tch)');
    expect(a.publishedAt).toBe('2015-11-05T11:52:00+07:00');
    expect(a.image?.credit).toBe('KapanLagi.com / M. Akrom Sukarya');
  });

  it('kompas: site suffix removed from the title, date printed beside the headline, credits from the table', () => {
    const a = read('kompas-singlepage.html');
    expect(a.title).toBe('Polres Lhokseumawe Serahkan Anggota Di Minimi ke Kejaksaan');
    expect(a.publishedAt).toBe('2015-11-04T21:04:00+07:00');
    expect(a.dateline?.place).toBe('Lhokseumawe');
    expect(a.dateline?.marker).toBe('LHOKSEUMAWE, KOMPAS.com –');
    expect(a.byline).toBe('Masriadi');
    expect(a.editor).toBe('Ervan Hardoko');
    expect(a.image?.credit).toBe('KOMPAS.COM/MASRIADI');
    const b = read('kompas-singlepage2.html');
    expect(b.title).toBe('Menteri Yuddy Ancam PNS yang Rankingnya Terendah Akan "Dipangkas"');
    expect(b.dateline?.marker).toBe('JAKARTA, KOMPAS.com —');
  });

  it('liputan6: "Baca Juga" list becomes links with URLs; nothing after the sign-off', () => {
    const a = read('liputan6-singlepage.html');
    expect(a.links).toEqual([
      { title: 'Telkomsel Targetkan Selimuti 40 Kota dengan 4G di Akhir 2016', url: 'http://tekno.liputan6.com/read/2436559/telkomsel-targetkan-selimuti-40-kota-dengan-4g-di-akhir-2016' },
      { title: 'Ubisoft Pastikan Watch Dogs 2 Dirilis di Awal 2017', url: 'http://tekno.liputan6.com/read/2434629/ubisoft-pastikan-watch-dogs-2-dirilis-di-awal-2017' },
      { title: 'Waspada, iPhone Anda Bisa Rusak Total Jika Ubah ke Tanggal Ini', url: 'http://tekno.liputan6.com/read/2436337/waspada-iphone-anda-bisa-rusak-total-jika-ubah-ke-tanggal-ini' },
    ]);
    expect(body(a)).not.toContain('Telkomsel Targetkan');
    expect(a.paragraphs.at(-1)).toBe('(Cas/Isk)');
    expect(a.byline).toBe('Corry Anestia');
    expect(a.dateline).toEqual({ place: 'Jakarta', marker: 'Liputan6.com, Jakarta -', outlet: 'Liputan6.com' });
    expect(a.canonicalUrl).toBe('http://tekno.liputan6.com/read/2436773/tri-indonesia-broadband-dorong-ekosistem-digital-dalam-negeri');
  });

  it('okezone (no <html> element) and republika: the story without a dateline, and "Red:" as editor', () => {
    const o = read('okezone-singlepage.html');
    expect(o.paragraphs[0]).toMatch(/^DEPRESI jadi satu momok/);
    expect(o.dateline).toBeUndefined();
    const r = read('republika-singlepage.html');
    expect(r.title).toBe('Marcella Zalianty Promo Pariwisata Indonesia Lewat Film');
    expect(r.editor).toBe('Yudha Manggala P Putra');
    expect(r.siteName).toBe('Republika Online');
    expect(r.dateline?.marker).toBe('REPUBLIKA.CO.ID, JAKARTA --');
  });
});
