/**
 * Characters for the hand-written scanners of the text layer: code units and their classes.
 *
 * The tokenizers were first written as Unicode-property regular expressions (`\p{L}`, `\p{Lu}`,
 * `\s`, ...), and running them per token was the main cost of reading an article. The scanners
 * now walk the text's UTF-16 code units, read once into an array ({@link codesOf}, through
 * {@link codeAt}: a plain `charCodeAt` can cost a method lookup per character), and ask this
 * module what each character is. The answers are computed by the very same regular expressions,
 * once per character, and kept in a table: the scanners classify exactly as the regexes did,
 * whatever the Unicode version of the engine.
 *
 * Two views, because the original code used both:
 *  - per UTF-16 code unit ({@link unitClass}): what `/\p{Lu}/u.test(s[i])` says about one code
 *    unit (a lone surrogate half is never a letter);
 *  - per code point ({@link classAt}): what a `u`-flag regex sees at a position, where a surrogate
 *    pair is one character (U+1D400 "𝐀" is an upper-case letter).
 */

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
/** `\s` of a `u`-flag regex (Unicode white space and line terminators, U+FEFF); what `trim` removes. */
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

/** The classes of one UTF-16 code unit taken alone. */
export function unitClass(c: number): number {
  const bits = units[c] as number;
  if (bits !== 0) return bits & ~KNOWN;
  const computed = classify(String.fromCharCode(c));
  units[c] = computed | KNOWN;
  return computed;
}

/**
 * The classes of the ASCII code units, filled when the module loads: most characters of news
 * text are ASCII, and the scanners read them here without the check for a filled entry.
 */
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_CLASS[c] = unitClass(c);

function astralClass(hi: number, lo: number): number {
  const cp = (hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
  let bits = astral.get(cp);
  if (bits === undefined) {
    bits = classify(String.fromCodePoint(cp));
    astral.set(cp, bits);
  }
  return bits;
}

/**
 * A text's UTF-16 code units, read once ({@link codesOf}): a view into a shared block of memory
 * (see {@link codesOf}). A plain array of the code units takes 8 bytes a unit on the heap, and
 * the articles' texts were a tenth of what a reading allocates.
 */
export type Codes = Uint16Array;

/**
 * `String.prototype.charCodeAt`, taken once. A library that subclasses String (`class
 * VerbatimString extends String` in @redis/client, loaded with the store) leaves
 * String.prototype in V8's slow "dictionary" mode, and optimized code then looks the method up
 * on each call instead of reading the character in place: 7 times slower per character in the
 * bench process (and in the app), where a call through this reference stays fast.
 */
const charCodeAt = String.prototype.charCodeAt;

/** The code unit at `i` of `s` (`s.charCodeAt(i)`: NaN outside), fast whatever state String.prototype is in (see above). */
export function codeAt(s: string, i: number): number {
  return charCodeAt.call(s, i);
}

/** Code units per block of {@link codesOf}. */
const BLOCK = 1 << 16;
let block = new Uint16Array(BLOCK);
let blockUsed = 0;

/**
 * The UTF-16 code units of `text`. Texts are copied one after the other into a block (128 kB)
 * and each gets a view of its part: a typed array of its own would cost a separate allocation
 * outside the heap per text. A full block is never written again: a new one is started, and the
 * old one lives as long as a view of it does.
 */
export function codesOf(text: string): Codes {
  const n = text.length;
  let codes: Uint16Array;
  if (n > BLOCK >> 3) codes = new Uint16Array(n);
  else {
    if (blockUsed + n > BLOCK) {
      block = new Uint16Array(BLOCK);
      blockUsed = 0;
    }
    codes = block.subarray(blockUsed, blockUsed + n);
    blockUsed += n;
  }
  for (let i = 0; i < n; i++) codes[i] = codeAt(text, i);
  return codes;
}

/**
 * The classes of the code point at `i` of `codes`, reading no further than `end`: a surrogate
 * pair is one character, a lone surrogate (or a pair cut by `end`) is nothing; 0 at or past `end`.
 */
export function classAt(codes: Codes, i: number, end: number): number {
  if (i >= end) return 0;
  const c = codes[i] as number;
  if (c < 0xd800 || c > 0xdbff || i + 1 >= end) return unitClass(c);
  const d = codes[i + 1] as number;
  return (d & 0xfc00) === 0xdc00 ? astralClass(c, d) : unitClass(c);
}

/** Code units of the code point at `i` (2 for a surrogate pair ending before `end`). */
export function widthAt(codes: Codes, i: number, end: number): number {
  const c = codes[i] as number;
  return c >= 0xd800 && c <= 0xdbff && i + 1 < end && ((codes[i + 1] as number) & 0xfc00) === 0xdc00 ? 2 : 1;
}

/** The classes of the code point that ends just before `i` (what a lookbehind sees). */
export function classBefore(codes: Codes, i: number): number {
  if (i <= 0) return 0;
  const c = codes[i - 1] as number;
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const h = codes[i - 2] as number;
    if (h >= 0xd800 && h <= 0xdbff) return astralClass(h, c);
  }
  return unitClass(c);
}
