import { describe, expect, it } from 'vitest';
import { classifyInput, findLink } from '../../src/core/input.js';

describe('classifyInput', () => {
  it('finds links, with or without a scheme, in chat text', () => {
    expect(classifyInput('https://www.kompas.com/read/2026/11/29/x')).toEqual({ kind: 'url', url: 'https://www.kompas.com/read/2026/11/29/x' });
    expect(classifyInput('baca ini <https://detik.com/a/b>.')).toEqual({ kind: 'url', url: 'https://detik.com/a/b' });
    expect(classifyInput('kompas.com/read/2026/11/29/berita')).toEqual({ kind: 'url', url: 'https://kompas.com/read/2026/11/29/berita' });
    expect(findLink('lihat (https://id.wikipedia.org/wiki/Jakarta_(kota)) ya')).toBe('https://id.wikipedia.org/wiki/Jakarta_(kota)');
  });

  it('tells keywords from pasted articles', () => {
    expect(classifyInput('  banjir   jakarta ')).toEqual({ kind: 'keywords', query: 'banjir jakarta' });
    const article = 'Korea Utara mengutuk Amerika Serikat atas tuduhan transfer senjata ke Rusia. '.repeat(5);
    expect(classifyInput(article).kind).toBe('text');
    expect(classifyInput('   ')).toEqual({ kind: 'empty' });
  });

  it('treats a long text that merely mentions a link as text', () => {
    const text = `${'Ini adalah kalimat panjang tentang berita hari ini. '.repeat(10)} Sumber: https://antaranews.com/berita/1`;
    expect(classifyInput(text).kind).toBe('text');
  });
});
