/**
 * Character classes for the hand-written scanners of the text layer.
 *
 * The tokenizers were first written as Unicode-property regular expressions (`\p{L}`, `\p{Lu}`,
 * `\s`, ...). Running such a regex over every word is the main cost of reading an article, so the
 * scanners walk char codes instead and ask this module what a character is. The answers are
 * computed by the very same regular expressions, once per character, and kept in a table: the
 * scanners therefore classify exactly as the regexes did, whatever the Unicode version of the
 * engine, without their per-match cost.
 *
 * Two views, because the original code used both:
 *  - per UTF-16 code unit ({@link unitClass}): what `/\p{Lu}/u.test(s[i])` says about one code
 *    unit (a lone surrogate half is never a letter);
 *  - per code point ({@link classAt}): what a `u`-flag regex sees at a position, where a surrogate
 *    pair is one character (U+1D400 "𝐀" is an upper-case letter).
 */

const charCodeAtOf = String.prototype.charCodeAt;

/**
 * `text.charCodeAt(i)`, for hot loops. The reader's strings come in many internal kinds (flat
 * one-byte or two-byte, slices of a paragraph, concatenations), and V8 looks a method up through a
 * slow generic path when one call site has seen too many of them; calling the one builtin
 * directly keeps every loop on the fast path (several times faster on mixed input).
 */
export function codeAt(text: string, i: number): number {
  return charCodeAtOf.call(text, i);
}

/** `\p{L}`: a letter. */
export const LETTER = 1;
/** `\p{M}`: a combining mark. */
export const MARK = 2;
/** `\p{N}`: a digit or other number character. */
export const NUMBER = 4;
/** `\p{Lu}`: an upper-case letter. */
export const UPPER = 8;
/** `\p{Ll}`: a lower-case letter. */
export const LOWER = 16;
/** `\s` of a `u`-flag regex (Unicode white space and line terminators, U+FEFF). */
export const SPACE = 32;
/**
 * Keywords' notion of a capital: `c !== c.toLowerCase() && c === c.toUpperCase()` for the code
 * unit (true for "A" and "İ", false for "a", for titlecase "ǅ" and for non-letters).
 */
export const CAPITAL = 64;
const KNOWN = 128;

const LETTER_RE = /^\p{L}$/u;
const MARK_RE = /^\p{M}$/u;
const NUMBER_RE = /^\p{N}$/u;
const UPPER_RE = /^\p{Lu}$/u;
const LOWER_RE = /^\p{Ll}$/u;
const SPACE_RE = /^\s$/u;

function classify(ch: string): number {
  let bits = 0;
  if (LETTER_RE.test(ch)) bits |= LETTER;
  if (MARK_RE.test(ch)) bits |= MARK;
  if (NUMBER_RE.test(ch)) bits |= NUMBER;
  if (UPPER_RE.test(ch)) bits |= UPPER;
  if (LOWER_RE.test(ch)) bits |= LOWER;
  if (SPACE_RE.test(ch)) bits |= SPACE;
  if (ch.length === 1 && ch !== ch.toLowerCase() && ch === ch.toUpperCase()) bits |= CAPITAL;
  return bits;
}

/** Classes of every UTF-16 code unit, filled on first use (bit KNOWN marks a filled entry). */
const units = new Uint8Array(0x10000);
/** Classes of code points beyond the BMP (rare in news: math letters, emoji). */
const astral = new Map<number, number>();

/** The classes of one UTF-16 code unit taken alone (`c` from `charCodeAt`). */
export function unitClass(c: number): number {
  const bits = units[c] as number;
  if (bits !== 0) return bits & ~KNOWN;
  const computed = classify(String.fromCharCode(c));
  units[c] = computed | KNOWN;
  return computed;
}

/**
 * The classes of the code point at `i` (a surrogate pair counts as one character; a lone
 * surrogate is nothing). See {@link widthAt} for its length in code units.
 */
export function classAt(text: string, i: number): number {
  const c = codeAt(text, i);
  if (c < 0xd800 || c > 0xdbff) return unitClass(c);
  const d = codeAt(text, i + 1);
  if ((d & 0xfc00) !== 0xdc00) return unitClass(c); // a lone high surrogate (NaN & x is 0)
  const cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  let bits = astral.get(cp);
  if (bits === undefined) {
    bits = classify(String.fromCodePoint(cp));
    astral.set(cp, bits);
  }
  return bits;
}

/** Code units of the code point at `i`: 2 for a surrogate pair, else 1. */
export function widthAt(text: string, i: number): number {
  const c = codeAt(text, i);
  if (c < 0xd800 || c > 0xdbff) return 1;
  const d = codeAt(text, i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}

/** The classes of the code point that ends just before `i` (what a lookbehind sees). */
export function classBefore(text: string, i: number): number {
  if (i <= 0) return 0;
  const c = codeAt(text, i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const h = codeAt(text, i - 2);
    if (h >= 0xd800 && h <= 0xdbff) return classAt(text, i - 2);
  }
  return unitClass(c);
}
