import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeHtmlBytes, decodeWindows1252, prescanMetaCharset } from '../../src/core/charset.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/charset/${name}`, import.meta.url)));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Encodes text in windows-1252 (the subset these tests use). */
function cp1252(s: string): Uint8Array {
  const special: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '…': 0x85 };
  return Uint8Array.from([...s].map((ch) => {
    const code = special[ch] ?? ch.codePointAt(0) ?? 0;
    if (code > 0xff) throw new Error(`not in cp1252 table: ${ch}`);
    return code;
  }));
}

const CP1252_TEXT = 'Rp 1.000 – “kutipan” – Menteri’s café';

describe('decodeHtmlBytes', () => {
  it('decodes hand-made windows-1252 bytes declared in the header', () => {
    const bytes = cp1252(`<p>${CP1252_TEXT}</p>`);
    const out = decodeHtmlBytes(bytes, 'text/html; charset=windows-1252');
    expect(out.text).toBe(`<p>${CP1252_TEXT}</p>`);
    expect(out.charset).toBe('windows-1252');
  });

  it('treats latin-1 labels as windows-1252 (WHATWG), so 0x93/0x94 are curly quotes', () => {
    const out = decodeHtmlBytes(cp1252(CP1252_TEXT), 'text/html; charset="ISO-8859-1"');
    expect(out.text).toBe(CP1252_TEXT);
    expect(out.charset).toBe('windows-1252');
  });

  it('finds <meta charset> and <meta http-equiv> when the header has none', () => {
    const a = cp1252(`<html><head><meta charset="windows-1252"><title>x</title></head><body>${CP1252_TEXT}</body></html>`);
    expect(decodeHtmlBytes(a, 'text/html').text).toContain(CP1252_TEXT);
    const b = cp1252(`<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=iso-8859-1'></head><body>${CP1252_TEXT}</body></html>`);
    const out = decodeHtmlBytes(b);
    expect(out.text).toContain(CP1252_TEXT);
    expect(out.charset).toBe('windows-1252');
  });

  it('lets the header win over <meta>', () => {
    const bytes = cp1252(`<meta charset="utf-8"><p>${CP1252_TEXT}</p>`);
    expect(decodeHtmlBytes(bytes, 'text/html; charset=windows-1252').text).toContain(CP1252_TEXT);
  });

  it('ignores a <meta> inside a comment and one past the first 4 KB', () => {
    const commented = cp1252(`<!-- <meta charset="iso-8859-2"> --><meta charset="windows-1252"><p>${CP1252_TEXT}</p>`);
    expect(prescanMetaCharset(commented)).toBe('windows-1252');
    const late = utf8(`${' '.repeat(5000)}<meta charset="windows-1252">`);
    expect(prescanMetaCharset(late)).toBeUndefined();
  });

  it('decodes the kapanlagi page excerpt (declares iso-8859-1, bytes are UTF-8) as UTF-8', () => {
    const bytes = fixture('kapanlagi-excerpt.html');
    expect(prescanMetaCharset(bytes)).toBe('iso-8859-1');
    const out = decodeHtmlBytes(bytes, 'text/html; charset=iso-8859-1');
    expect(out.charset).toBe('utf-8');
    expect(out.text).toContain('kantor <b>KapanLagi.com®</b>, Tebet');
    expect(out.text).toContain('musikal/©KapanLagi.com®/M. Akrom Sukarya');
    expect(out.text).not.toContain('Â');
    // Without a header, the meta says iso-8859-1: same correction.
    expect(decodeHtmlBytes(bytes).text).toContain('KapanLagi.com®');
  });

  it('notices UTF-8 labelled ascii / us-ascii too, but not real windows-1252', () => {
    const s = 'Jakarta — “kutipan” ©';
    expect(decodeHtmlBytes(utf8(s), 'text/plain; charset=us-ascii')).toEqual({ text: s, charset: 'utf-8' });
    expect(decodeHtmlBytes(cp1252(s), 'text/plain; charset=us-ascii')).toEqual({ text: s, charset: 'windows-1252' });
  });

  it('keeps pure-ASCII documents under their declared label', () => {
    expect(decodeHtmlBytes(utf8('<p>abc</p>'), 'text/html; charset=iso-8859-1')).toEqual({ text: '<p>abc</p>', charset: 'windows-1252' });
  });

  it('honours a byte-order mark over every declaration and strips it', () => {
    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('“ya”')]);
    expect(decodeHtmlBytes(bom, 'text/html; charset=windows-1252')).toEqual({ text: '“ya”', charset: 'utf-8' });
    const le = Uint8Array.from([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]);
    expect(decodeHtmlBytes(le, 'text/html; charset=utf-8')).toEqual({ text: 'hi', charset: 'utf-16le' });
  });

  it('defaults to utf-8; unknown labels fall back to utf-8', () => {
    expect(decodeHtmlBytes(utf8('Tahu “isi”'))).toEqual({ text: 'Tahu “isi”', charset: 'utf-8' });
    expect(decodeHtmlBytes(utf8('Tahu “isi”'), 'text/html; charset=klingon-8')).toEqual({ text: 'Tahu “isi”', charset: 'utf-8' });
    expect(decodeHtmlBytes(utf8('<meta charset="nonsense"><p>é</p>')).charset).toBe('utf-8');
  });

  it('decodes other single-byte encodings Node ships (iso-8859-2 via meta)', () => {
    const bytes = Uint8Array.from([...utf8('<meta charset="iso-8859-2"><p>'), 0xa3, 0xf3, 0x64, 0xbc, ...utf8('</p>')]);
    const out = decodeHtmlBytes(bytes);
    expect(out.charset).toBe('iso-8859-2');
    expect(out.text).toContain('Łódź');
  });

  it('treats a <meta> claiming UTF-16 as UTF-8 (the bytes it was read from are ASCII-compatible)', () => {
    expect(decodeHtmlBytes(utf8('<meta charset="utf-16"><p>é</p>'))).toEqual({ text: '<meta charset="utf-16"><p>é</p>', charset: 'utf-8' });
  });

  it('with nothing declared, reads mostly-non-UTF-8 bytes as windows-1252', () => {
    expect(decodeHtmlBytes(cp1252(CP1252_TEXT))).toEqual({ text: CP1252_TEXT, charset: 'windows-1252' });
    // UTF-8 with one broken byte stays UTF-8.
    const mostly = Uint8Array.from([...utf8('“a” “b” '), 0xff]);
    expect(decodeHtmlBytes(mostly).charset).toBe('utf-8');
  });
});

describe('charsetFromContentType', () => {
  it('reads quoted, unquoted and absent parameters', () => {
    expect(charsetFromContentType('text/html; charset=UTF-8')).toBe('UTF-8');
    expect(charsetFromContentType('text/html;charset="iso-8859-1"; foo=bar')).toBe('iso-8859-1');
    expect(charsetFromContentType('text/html')).toBeUndefined();
    expect(charsetFromContentType(undefined)).toBeUndefined();
  });
});

describe('decodeWindows1252', () => {
  it('maps 0x80-0x9F per the WHATWG index (Node 20 TextDecoder does not)', () => {
    const high = decodeWindows1252(Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i));
    expect(high).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ');
    const rest = Uint8Array.from({ length: 224 }, (_, i) => (i < 128 ? i : i + 32));
    expect(decodeWindows1252(rest)).toBe(String.fromCharCode(...rest));
  });

  it('handles inputs longer than one internal chunk', () => {
    const big = new Uint8Array(20_000).fill(0x93);
    expect(decodeWindows1252(big)).toBe('“'.repeat(20_000));
  });
});
