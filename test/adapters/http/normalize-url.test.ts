import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../../src/adapters/http/fetch.js';
import { RingkasError } from '../../../src/core/errors.js';

function codeOf(input: string): string {
  try {
    normalizeUrl(input);
  } catch (err) {
    expect(err).toBeInstanceOf(RingkasError);
    return (err as RingkasError).code;
  }
  return 'OK';
}

describe('normalizeUrl', () => {
  it.each([
    ['kompas.com/read/2024/01/02/123/judul-berita', 'https://kompas.com/read/2024/01/02/123/judul-berita'],
    ['www.detik.com', 'https://www.detik.com/'],
    ['//detik.com/x', 'https://detik.com/x'],
    ['HTTPS://News.Detik.COM/Berita/d-1', 'https://news.detik.com/Berita/d-1'],
    ['http://kompas.com:80/a', 'http://kompas.com/a'],
    ['kompas.com:8080/a', 'https://kompas.com:8080/a'],
    ['localhost:3000/a', 'https://localhost:3000/a'],
    ['  https://kompas.com/a  ', 'https://kompas.com/a'],
    ['<https://kompas.com/a>', 'https://kompas.com/a'],
    ['https://kompas.com/a.', 'https://kompas.com/a'],
    ['https://kompas.com/a?!', 'https://kompas.com/a'],
    ['https://kompas.com/a,', 'https://kompas.com/a'],
    ['(https://kompas.com/a)', 'https://kompas.com/a'],
    ['“https://kompas.com/a”', 'https://kompas.com/a'],
    ['https://id.wikipedia.org/wiki/Kompas_(surat_kabar)', 'https://id.wikipedia.org/wiki/Kompas_(surat_kabar)'],
    ['(https://id.wikipedia.org/wiki/Kompas_(surat_kabar)).', 'https://id.wikipedia.org/wiki/Kompas_(surat_kabar)'],
    ['https://kompas.com/a#komentar', 'https://kompas.com/a'],
    ['https://kompas.com/a?utm_source=wa&utm_medium=share&page=2&fbclid=XYZ&gclid=1', 'https://kompas.com/a?page=2'],
    ['https://kompas.com/a?UTM_Campaign=x', 'https://kompas.com/a'],
    ['https://kompas.com/a?utm_source=x', 'https://kompas.com/a'],
    ['https://kompas.com/a?q=a+b&amp&x=%7E', 'https://kompas.com/a?q=a+b&amp&x=%7E'],
    ['https://user:pass@kompas.com/a', 'https://kompas.com/a'],
    ['https://kompas.com./a', 'https://kompas.com/a'],
    ['https://kompas.com/a/?page=all', 'https://kompas.com/a/?page=all'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)', 'UNSUPPORTED_SCHEME'],
    ['file:///etc/passwd', 'UNSUPPORTED_SCHEME'],
    ['ftp://x', 'UNSUPPORTED_SCHEME'],
    ['mailto:redaksi@kompas.com', 'UNSUPPORTED_SCHEME'],
    ['', 'INVALID_URL'],
    ['   ', 'INVALID_URL'],
    ['<>', 'INVALID_URL'],
    ['ini bukan tautan', 'INVALID_URL'],
    ['https://', 'INVALID_URL'],
  ])('%s is refused with %s', (input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  it('is idempotent', () => {
    for (const input of ['kompas.com/read/1?utm_source=x&id=2#a', '<https://detik.com/x)>', 'https://id.wikipedia.org/wiki/A_(b)']) {
      const once = normalizeUrl(input);
      expect(normalizeUrl(once)).toBe(once);
    }
  });
});
