/**
 * Hostile and broken input: every call returns an Article or throws a RingkasError, quickly.
 * Fixed cases from the brief, then properties over random strings and random HTML (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article-types.js';
import { htmlToArticle, textToArticle } from '../../src/core/article.js';
import { isRingkasError } from '../../src/core/errors.js';

/** Calls fn and reports what happened and how long it took; anything but a RingkasError is a failure. */
function outcome(fn: () => Article): { ms: number; article?: Article; code?: string } {
  const t0 = performance.now();
  try {
    const article = fn();
    return { ms: performance.now() - t0, article };
  } catch (e) {
    if (!isRingkasError(e)) throw e;
    return { ms: performance.now() - t0, code: e.code };
  }
}

function checkArticle(a: Article): void {
  expect(typeof a.title).toBe('string');
  expect(Array.isArray(a.paragraphs)).toBe(true);
  expect(Array.isArray(a.links)).toBe(true);
  expect(['id', 'en', 'jv', 'und']).toContain(a.language);
  for (const p of a.paragraphs) expect(p.trim()).not.toBe('');
  if (a.publishedAt !== undefined) expect(Number.isNaN(Date.parse(a.publishedAt))).toBe(false);
  if (a.nextPages !== undefined) expect(a.nextPages.length).toBeLessThanOrEqual(10);
}

const TEN_MB = 10 * 1024 * 1024;
const BUDGET_MS = 2000;

describe('bad input, fixed cases (each under 2 s)', () => {
  const cases: [string, () => string][] = [
    ['10 MB of text on one line', () => 'kata '.repeat(TEN_MB / 5)],
    ['10 MB on one line with non-breaking spaces', () => 'kata\u00a0'.repeat(TEN_MB / 5)],
    ['10 MB paragraph in HTML', () => `<html><body><p>${'kata '.repeat(TEN_MB / 5)}</p></body></html>`],
    ['10 MB of tags', () => '<b>x</b> '.repeat(TEN_MB / 9)],
    ['10 MB of "<"', () => '<'.repeat(TEN_MB)],
    ['10 MB of entities', () => '&lt;'.repeat(TEN_MB / 4)],
    ['an unterminated script tag repeated', () => '<script'.repeat(TEN_MB / 7)],
    ['HTML nested 10,000 deep', () => `<html><body>${'<div>'.repeat(10_000)}${'halo dunia '.repeat(60)}${'</div>'.repeat(10_000)}</body></html>`],
    ['unclosed tags 10,000 deep', () => `${'<div><span>'.repeat(10_000)}teks`],
    ['binary bytes', () => String.fromCharCode(...Array.from({ length: 65_536 }, (_, i) => (i * 7919) % 256))],
  ];

  it.each(cases)('%s', (_name, make) => {
    const input = make();
    for (const fn of [() => htmlToArticle(input, {}), () => textToArticle(input)]) {
      const r = outcome(fn);
      expect(r.ms).toBeLessThan(BUDGET_MS);
      if (r.article !== undefined) checkArticle(r.article);
    }
  });

  it('a 10 MB one-line text still gives a best-effort article', () => {
    const a = textToArticle('kata '.repeat(TEN_MB / 5));
    expect(a.paragraphs).toHaveLength(1);
    expect(a.title.length).toBeLessThanOrEqual(121);
  });

  it('deep nesting keeps the text', () => {
    const a = htmlToArticle(`<html><body>${'<div>'.repeat(10_000)}${'halo dunia '.repeat(60)}${'</div>'.repeat(10_000)}</body></html>`, {});
    expect(a.paragraphs.join(' ')).toContain('halo dunia halo dunia');
  });

  it('a bad page URL is ignored, not fatal', () => {
    const a = htmlToArticle('<p>JAKARTA, KOMPAS.com - Warga memadati taman kota pada akhir pekan untuk menikmati udara segar setelah hujan turun sejak pagi, dan pedagang kaki lima ikut meramaikan suasana.</p>', { url: 'not a url' });
    expect(a.url).toBeUndefined();
    expect(a.paragraphs).toHaveLength(1);
  });
});

/** Pieces random HTML is made of: tags, chrome, datelines, dates, entities, stray brackets. */
const PIECES = [
  '<p>', '</p>', '<div class="content">', '</div>', '<a href="/read/1">', '<a href="?page=2">2</a>', '</a>', '<br>', '<script>', '</script>',
  '<style>', '</style>', '<!--', '-->', '<h1>', '</h1>', '<h2>', '</h2>', '<ul><li>', '</li></ul>', '<figure><img src="a.jpg"><figcaption>',
  '</figcaption></figure>', '<meta property="og:title" content="Judul - Kompas.com">', '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2015-11-05T14:56:43+07:00"}</script>',
  '<time datetime="2015-11-05 T10:08:58Z">', '</time>', '<table><tr><td>', '</td></tr></table>', '<html>', '<body>', '</body>', '</html>', '<head>', '</head>',
  '&amp;', '&lt;', '&#x41;', '&nbsp;', '<', '>', '"', "'", '\u00a0', '\n', ' ',
  'Baca juga: ', 'Editor: Nama', 'Penulis: A | Editor: B', 'JAKARTA, KOMPAS.com - ', 'Mataram, NTB (ANTARA News) - ', '(*)', '(fyk/ash)', '(AFP PHOTO / X)',
  'Kamis, 5 November 2015 15:30 WIB', '05/11/2015 15:37 WIB', '© 2025 Network', 'Berita Terkait', 'AA',
  'Korea Utara mengutuk Amerika Serikat atas tuduhan transfer senjata. ', 'Warga mengungsi karena banjir yang datang sejak malam. ',
];

const randomHtml = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 })), { maxLength: 120 }).map((xs) => xs.join(''));

describe('properties: always an Article or a RingkasError', () => {
  it('htmlToArticle over random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const r = outcome(() => htmlToArticle(s, {}));
        if (r.article !== undefined) checkArticle(r.article);
      }),
      { numRuns: 300 },
    );
  });

  it('htmlToArticle over random HTML, with and without a page URL', () => {
    fc.assert(
      fc.property(randomHtml, fc.constantFrom(undefined, 'https://regional.kompas.com/read/2015/11/04/1/judul', 'http://x'), (html, url) => {
        const r = outcome(() => htmlToArticle(html, url !== undefined ? { url } : {}));
        if (r.article !== undefined) checkArticle(r.article);
      }),
      { numRuns: 300 },
    );
  });

  it('textToArticle over random strings and random chrome-laden text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), randomHtml), fc.option(fc.string({ maxLength: 30 }), { nil: undefined }), (text, title) => {
        const r = outcome(() => textToArticle(text, title !== undefined ? { title } : {}));
        if (r.article !== undefined) checkArticle(r.article);
      }),
      { numRuns: 300 },
    );
  });
});
