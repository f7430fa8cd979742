import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPITAL, type Codes, LETTER, LOWER, MARK, NUMBER, SPACE, UPPER, classAt, codesOf, unitClass } from '../../../src/core/text/chars.js';
import { nextKeywordToken, nextLetterWord, nextQuoteToken, nextWord, type Span } from '../../../src/core/text/scan.js';

/** The regular expressions the scanners stand for (their specification). */
const SPECS: [string, RegExp, Scanner][] = [
  ['nextWord', /Rp(?=\d)|[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+|(?<=\p{N})[.,]\p{N}+){0,32}/gu, nextWord],
  [
    'nextQuoteToken',
    /[\p{L}\p{N}]+(?:(?:['’-]|\.(?=[\p{Ll}\p{N}])|(?<=[\p{Lu}\p{N}])\.(?=\p{Lu}(?!\p{Ll})))[\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu,
    nextQuoteToken,
  ],
  ['nextKeywordToken', /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu, nextKeywordToken],
  ['nextLetterWord', /\p{L}[\p{L}\p{N}'’-]*/gu, nextLetterWord],
];

function byRegex(re: RegExp, text: string): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(`${m.index}:${m[0]}`);
  return out;
}

type Scanner = (codes: Codes, from: number, span: Span, end?: number) => boolean;

/** The scanner's matches in text[from, end), offsets relative to `from`. */
function byScanner(next: Scanner, text: string, from = 0, end = text.length): string[] {
  const out: string[] = [];
  const span = { start: 0, end: 0 };
  const codes = codesOf(text);
  for (let at = from; next(codes, at, span, end); at = span.end) out.push(`${span.start - from}:${text.slice(span.start, span.end)}`);
  return out;
}

/** Characters where the patterns disagree if anything does: joiners, dots, cases, scripts, surrogates. */
const PIECES = [
  'a', 'b', 'Z', 'R', 'p', 'Rp', 'Rp1', '1', '0', '9', '.', ',', '-', "'", '’', '‘', ' ', '  ', '\n', '\t', '\u00a0', '\u2009',
  '\u200b', '\ufeff', '\u3000', 'é', 'É', 'ß', 'İ', 'ı', 'ǅ', 'Ω', 'ω', 'ж', 'Ж', '東', '١', '²', '½', 'Ⅻ', 'ⅻ', '\u0301', '\u20dd',
  '𝐀', '𝐚', '𝟙', '𐐀', '𐐨', '🙂', '\ud835', '\udc00', '"', '“', '”', '…', '...', '(', ')', '/', '%', 'ab', 'AB', 'Ab', 'aB',
  '12', 'KOMPAS', 'com', 'Dani', 'Tri', 'x.Y', 'X.Y', '1.Y', 'A.Bc', 'A.BC', 'a-1', '1,5', '1.000',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((xs) => xs.join(''));

describe('text scanners', () => {
  for (const [name, re, next] of SPECS) {
    it(`${name} finds exactly the matches of its regular expression`, () => {
      fc.assert(
        fc.property(text, (t) => {
          expect(byScanner(next, t)).toEqual(byRegex(re, t));
        }),
        { numRuns: 3000 },
      );
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (t) => {
          expect(byScanner(next, t)).toEqual(byRegex(re, t));
        }),
        { numRuns: 2000 },
      );
    });

    it(`${name} reads a range of a text as the regex reads that range cut out`, () => {
      fc.assert(
        fc.property(text, fc.nat(), fc.nat(), (t, x, y) => {
          const a = x % (t.length + 1);
          const b = a + (y % (t.length - a + 1));
          expect(byScanner(next, t, a, b)).toEqual(byRegex(re, t.slice(a, b)));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('caps joined parts of a word at 32 like the regex does', () => {
    const t = 'a-'.repeat(40) + 'a 1.'.repeat(3) + '1.'.repeat(40) + '1';
    expect(byScanner(nextWord, t)).toEqual(byRegex(SPECS[0]?.[1] as RegExp, t));
  });

  it('stays linear on a 10 MB single-line input', () => {
    const t0 = performance.now();
    for (const [, , next] of SPECS) byScanner(next, 'ab-'.repeat(1_000_000) + '1.'.repeat(2_000_000));
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

describe('character classes', () => {
  it('agree with the Unicode-property regexes for every BMP code unit', () => {
    const checks: [number, RegExp][] = [
      [LETTER, /^\p{L}$/u],
      [MARK, /^\p{M}$/u],
      [NUMBER, /^\p{N}$/u],
      [UPPER, /^\p{Lu}$/u],
      [LOWER, /^\p{Ll}$/u],
      [SPACE, /^\s$/u],
    ];
    for (let c = 0; c < 0x10000; c += 7) {
      const ch = String.fromCharCode(c);
      for (const [bit, re] of checks) expect((unitClass(c) & bit) !== 0).toBe(re.test(ch));
      expect((unitClass(c) & CAPITAL) !== 0).toBe(ch !== ch.toLowerCase() && ch === ch.toUpperCase());
    }
  });

  it('reads a surrogate pair as one code point', () => {
    expect(classAt(codesOf('𝐀'), 0, 2) & UPPER).toBe(UPPER);
    expect(classAt(codesOf('𝐀'), 0, 1)).toBe(0);
    expect(classAt(codesOf('\ud835x'), 0, 2)).toBe(0);
    expect(unitClass('𝐀'.charCodeAt(0))).toBe(0);
  });
});
