import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/core/article-types.js';
import { parseDocument } from '../../../src/core/extract/dom.js';
import { mergePages, nextPagesOf } from '../../../src/core/extract/multipage.js';

function next(html: string, url: string | undefined): string[] | undefined {
  return nextPagesOf(parseDocument(html, url).index, url);
}

describe('nextPagesOf', () => {
  const kompas = 'https://nasional.kompas.com/read/2024/01/02/10000001/judul-berita';

  it('prefers the show-all page (Kompas, Tribun)', () => {
    const html = `<a href="${kompas}?page=2">2</a><a href="${kompas}?page=3">3</a><a href="?page=all">Show All</a>`;
    expect(next(html, kompas)).toEqual([`${kompas}?page=all`]);
    expect(next(html, `${kompas}?page=all`)).toBeUndefined();
  });

  it('lists numbered pages after this one, in order, capped at 10 (Okezone, detik)', () => {
    const links = Array.from({ length: 15 }, (_, i) => `<a href="?page=${15 - i}">${15 - i}</a>`).join('');
    expect(next(links, `${kompas}?page=1`)).toEqual(Array.from({ length: 10 }, (_, i) => `${kompas}?page=${i + 2}`));
    expect(next(links, `${kompas}?page=14`)).toEqual([`${kompas}?page=15`]);
    const detik = 'https://news.detik.com/berita/d-7222222/judul';
    expect(next(`<a href="${detik}/2">Halaman selanjutnya</a>`, detik)).toEqual([`${detik}/2`]);
    expect(next(`<a href="${detik}/3">3</a><a href="${detik}/1">1</a>`, `${detik}/2`)).toEqual([`${detik}/3`]);
  });

  it('ignores other articles, other sites, and pages without a URL', () => {
    const html = '<a href="https://nasional.kompas.com/read/2024/01/03/1/lain?page=2">2</a><a href="https://other.example/x?page=2">2</a>';
    expect(next(html, kompas)).toBeUndefined();
    expect(next('<a href="?page=2">2</a>', undefined)).toBeUndefined();
  });
});

describe('mergePages', () => {
  const base: Article = { title: 'T', paragraphs: ['Satu.', 'Dua.'], links: [{ title: 'L', url: 'https://x/1' }], language: 'id', byline: 'A', nextPages: ['https://x?page=2'] };

  it('keeps the first page metadata and removes repeated paragraphs and links', () => {
    const second: Article = { title: 'T2', paragraphs: ['Dua.', 'Tiga.'], links: [{ title: 'L', url: 'https://x/1' }, { title: 'M' }], language: 'id', editor: 'E' };
    const merged = mergePages(base, [second]);
    expect(merged).toEqual({ title: 'T', paragraphs: ['Satu.', 'Dua.', 'Tiga.'], links: [{ title: 'L', url: 'https://x/1' }, { title: 'M' }], language: 'und', byline: 'A', editor: 'E' });
  });

  it('is the first page when there is nothing more', () => {
    const { nextPages: _n, ...rest } = base;
    expect(mergePages(base, [])).toEqual({ ...rest, language: 'und' });
  });
});
