/**
 * Char-code scanners for the tokenizers of the reader.
 *
 * Each scanner finds, from a position, the next match of one tokenizing regular expression and
 * gives it as a `[start, end)` span. The regular expressions are the specification (each is
 * quoted above its scanner, and test/core/text/scan.test.ts checks scanner and regex against each
 * other on random text); the scanners exist because running a Unicode-property regex per token
 * was most of the cost of reading an article. They follow the regex semantics exactly: the `u`
 * flag's code points (a surrogate pair is one character), greedy repetitions, lookarounds, and
 * the left-to-right search for the next match start. All are linear in the text.
 *
 * Each scanner reads `text` from `from` up to `end` (default: its length) exactly as the regex
 * would read `text.slice(0, end)`: callers scan a sentence inside its paragraph without cutting it
 * out (charCodeAt on a sliced string is much slower than on the flat paragraph).
 */
import { LETTER, LOWER, MARK, NUMBER, SPACE, UPPER, classAt, classBefore, codeAt, unitClass } from './chars.js';

/** A match: `text.slice(start, end)`. Scanners write into one reused object. */
export interface Span {
  start: number;
  end: number;
}

const WORD_CHAR = LETTER | MARK | NUMBER;
const LETTER_OR_NUMBER = LETTER | NUMBER;

/** Code units of the code point at `i` (2 for a surrogate pair ending before `end`). */
function width(text: string, i: number, end: number): number {
  const c = codeAt(text, i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < end && (codeAt(text, i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

/** The classes of the code point at `i` (0 at or past `end`; a pair cut by `end` is a lone surrogate). */
function classOf(text: string, i: number, end: number): number {
  if (i >= end) return 0;
  const c = codeAt(text, i);
  if (c < 0xd800 || c > 0xdfff) return unitClass(c);
  return i + 1 < end ? classAt(text, i) : unitClass(c);
}

/**
 * Where a maximal run starting at `i` ends: code points of class `mask`, or (when `joiners` is
 * true) the ASCII/typographic joiners ' ’ - and, with `dots`, "." as well.
 */
function runEnd(text: string, i: number, end: number, mask: number, joiners = false, dots = false): number {
  let j = i;
  while (j < end) {
    const c = codeAt(text, j);
    if (c < 0xd800 || c > 0xdfff) {
      if ((unitClass(c) & mask) !== 0 || (joiners && (c === 39 || c === 45 || c === 0x2019 || (dots && c === 46)))) j++;
      else break;
    } else {
      if ((classOf(text, j, end) & mask) === 0) break;
      j += width(text, j, end);
    }
  }
  return j;
}

// ---------------------------------------------------------------------------------------------

/**
 * Words of the text layer (tokenize.ts):
 *
 *     /Rp(?=\d)|[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+|(?<=\p{N})[.,]\p{N}+){0,32}/gu
 *
 * "Rp" stuck to an amount is a word of its own; words join with - ' ’, and numbers with . or ,
 * (at most 32 joined parts per word).
 */
export function nextWord(text: string, from: number, span: Span, end = text.length): boolean {
  for (let i = from; i < end; ) {
    const c = codeAt(text, i);
    if (c === 82 && i + 2 < end && codeAt(text, i + 1) === 112) {
      const d = codeAt(text, i + 2);
      if (d >= 48 && d <= 57) {
        span.start = i;
        span.end = i + 2;
        return true;
      }
    }
    if ((classOf(text, i, end) & WORD_CHAR) !== 0) {
      let j = runEnd(text, i, end, WORD_CHAR);
      for (let rep = 0; rep < 32 && j < end; rep++) {
        const k = codeAt(text, j);
        if (k === 45 || k === 39 || k === 0x2019) {
          if ((classOf(text, j + 1, end) & WORD_CHAR) === 0) break;
          j = runEnd(text, j + 1, end, WORD_CHAR);
        } else if ((k === 46 || k === 44) && (classBefore(text, j) & NUMBER) !== 0 && (classOf(text, j + 1, end) & NUMBER) !== 0) {
          j = runEnd(text, j + 1, end, NUMBER);
        } else break;
      }
      span.start = i;
      span.end = j;
      return true;
    }
    i += width(text, i, end);
  }
  return false;
}

/**
 * Tokens of the quote finder (quotes.ts): words and single punctuation marks,
 *
 *     /[\p{L}\p{N}]+(?:(?:['’-]|\.(?=[\p{Ll}\p{N}])|(?<=[\p{Lu}\p{N}])\.(?=\p{Lu}(?!\p{Ll})))[\p{L}\p{N}]+)*
 *      |[^\s\p{L}\p{N}]/gu
 *
 * Words join with ' ’ - and with the dots of "3.016", "KOMPAS.com" and "TRIBUNAMBON.COM", but not
 * with a dot between a lower-case letter and a capital ("Dani.Tri"). A combining mark is a
 * punctuation token here.
 */
export function nextQuoteToken(text: string, from: number, span: Span, end = text.length): boolean {
  for (let i = from; i < end; ) {
    const cls = classOf(text, i, end);
    if ((cls & LETTER_OR_NUMBER) !== 0) {
      let j = runEnd(text, i, end, LETTER_OR_NUMBER);
      while (j < end) {
        const k = codeAt(text, j);
        let joined = false;
        if (k === 39 || k === 0x2019 || k === 45) joined = (classOf(text, j + 1, end) & LETTER_OR_NUMBER) !== 0;
        else if (k === 46) {
          const next = classOf(text, j + 1, end);
          joined =
            (next & (LOWER | NUMBER)) !== 0 ||
            ((classBefore(text, j) & (UPPER | NUMBER)) !== 0 &&
              (next & UPPER) !== 0 &&
              (classOf(text, j + 1 + width(text, j + 1, end), end) & LOWER) === 0);
        }
        if (!joined) break;
        j = runEnd(text, j + 1, end, LETTER_OR_NUMBER);
      }
      span.start = i;
      span.end = j;
      return true;
    }
    const w = width(text, i, end);
    if ((cls & SPACE) === 0) {
      span.start = i;
      span.end = i + w;
      return true;
    }
    i += w;
  }
  return false;
}

/**
 * Tokens of the keyword picker (keywords.ts), before trailing joiners are cut:
 *
 *     /[\p{L}\p{N}][\p{L}\p{N}'’.-]* /gu   (without the space)
 */
export function nextKeywordToken(text: string, from: number, span: Span, end = text.length): boolean {
  for (let i = from; i < end; i += width(text, i, end)) {
    if ((classOf(text, i, end) & LETTER_OR_NUMBER) !== 0) {
      span.start = i;
      span.end = runEnd(text, i, end, LETTER_OR_NUMBER, true, true);
      return true;
    }
  }
  return false;
}

/**
 * Content words of quote salience (quotes.ts):
 *
 *     /\p{L}[\p{L}\p{N}'’-]* /gu   (without the space)
 */
export function nextLetterWord(text: string, from: number, span: Span, end = text.length): boolean {
  for (let i = from; i < end; i += width(text, i, end)) {
    if ((classOf(text, i, end) & LETTER) !== 0) {
      span.start = i;
      span.end = runEnd(text, i, end, LETTER_OR_NUMBER, true, false);
      return true;
    }
  }
  return false;
}
