/**
 * Bad input through the whole reader (text or HTML -> Article -> summary, quotes, keywords): a typed
 * error or a best-effort reading, never a crash or a hang. Each case runs under a 2 s guard, the
 * bound the product promises.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToArticle, textToArticle } from '../../src/core/article.js';
import { RingkasError } from '../../src/core/errors.js';
import { readArticle } from '../../src/core/reader.js';
import type { Reading } from '../../src/core/article-types.js';

function readText(text: string): Reading | RingkasError {
  try {
    return readArticle(textToArticle(text));
  } catch (e) {
    if (e instanceof RingkasError) return e;
    throw e;
  }
}

function readHtml(html: string): Reading | RingkasError {
  try {
    return readArticle(htmlToArticle(html, { url: 'https://contoh.co.id/berita/1' }));
  } catch (e) {
    if (e instanceof RingkasError) return e;
    throw e;
  }
}

const GUARD = 2000;

describe('the reader on bad input', () => {
  it('empty and whitespace input is EMPTY_INPUT', () => {
    for (const s of ['', '   ', '\n\n\t']) expect(readText(s)).toMatchObject({ code: 'EMPTY_INPUT' });
    expect(readHtml('')).toMatchObject({ code: 'EMPTY_INPUT' });
  });

  it('10 MB on one line gives a best-effort reading', () => {
    const line = 'Pemerintah menaikkan harga beras, kata menteri "kami siap" di Jakarta. '.repeat(145_000);
    expect(line.length).toBeGreaterThan(10_000_000);
    const r = readText(line);
    expect(r).not.toBeInstanceOf(RingkasError);
    expect((r as Reading).summary.length).toBeGreaterThan(0);
    expect((r as Reading).summary.join(' ').length).toBeLessThan(5000);
  }, GUARD * 3);

  it('10 MB of one word without spaces or punctuation does not hang', () => {
    const r = readText('a'.repeat(10_000_000));
    expect(r instanceof RingkasError || Array.isArray((r as Reading).summary)).toBe(true);
  }, GUARD * 3);

  it('HTML nested 10,000 deep is read or refused, not crashed', () => {
    const deep = `<html><body>${'<div>'.repeat(10_000)}<p>${'Berita tentang banjir di Semarang yang merendam ratusan rumah warga. '.repeat(5)}</p>${'</div>'.repeat(10_000)}</body></html>`;
    const r = readHtml(deep);
    if (r instanceof RingkasError) expect(['NOT_AN_ARTICLE', 'EMPTY_INPUT']).toContain(r.code);
    else expect(r.article.paragraphs.join(' ')).toContain('banjir di Semarang');
  }, GUARD);

  it('binary bytes are BINARY_INPUT', () => {
    const bytes = Array.from({ length: 20_000 }, (_, i) => String.fromCharCode((i * 7919) % 32)).join('');
    expect(readText(bytes)).toMatchObject({ code: 'BINARY_INPUT' });
    expect(readText('\uFFFD'.repeat(5000))).toMatchObject({ code: 'BINARY_INPUT' });
  }, GUARD);

  it('a homepage and a JavaScript shell are typed errors', () => {
    const home = `<html><head><title>Berita Terkini</title></head><body><ul>${Array.from({ length: 60 }, (_, i) => `<li><a href="/berita/${i}">Judul berita nomor ${i} hari ini</a></li>`).join('')}</ul></body></html>`;
    expect(readHtml(home)).toMatchObject({ code: 'NOT_AN_ARTICLE' });
    expect(readHtml('<html><head><script src="/app.js"></script></head><body><div id="root"></div></body></html>')).toMatchObject({ code: 'SCRIPT_ONLY_PAGE' });
  }, GUARD);

  it('English and Javanese articles get a best-effort reading with their language', () => {
    const en = readText('Floods hit Jakarta\n\nHeavy rain flooded parts of Jakarta on Monday, forcing hundreds of residents to leave their homes. "We had to move everything upstairs," said resident Budi Santoso. The city government said pumps were working at full capacity and the water should recede by Tuesday.');
    expect(en).not.toBeInstanceOf(RingkasError);
    expect((en as Reading).article.language).toBe('en');
    expect((en as Reading).summary.length).toBeGreaterThan(0);
    const jv = readText('Banjir ing Semarang\n\nUdan deres wiwit wingi sore njalari banjir ing pirang-pirang kampung ing Semarang. Warga padha ngungsi menyang bale desa amarga banyune saya dhuwur. Pamarentah kutha ngirim prau karet kanggo nulungi warga sing isih ana ing omah.');
    expect(jv).not.toBeInstanceOf(RingkasError);
    expect((jv as Reading).article.language).toBe('jv');
  }, GUARD);

  it('any text gives a reading or a typed error (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000, unit: 'grapheme' }), (s) => {
        const r = readText(s);
        if (r instanceof RingkasError) return true;
        return r.summary.every((x) => typeof x === 'string') && r.quotes.every((q) => typeof q.text === 'string') && r.keywords.length <= 10;
      }),
      { numRuns: 300 },
    );
  }, GUARD * 5);

  it('any quote-and-punctuation soup gives a reading or a typed error (property)', () => {
    const piece = fc.constantFrom('"', '“', '”', '‘', '’', "'", '.', ',', ' kata ', ' ujarnya', 'Budi', ' Rp 1.000', '\n', '(*)', 'Baca juga: ', 'Jakarta -', '...');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), (parts) => {
        const r = readText(parts.join(''));
        return r instanceof RingkasError || Array.isArray(r.quotes);
      }),
      { numRuns: 300 },
    );
  }, GUARD * 5);
});
