/**
 * Scanners for the tokenizers of the reader.
 *
 * Each scanner finds, from a position, the next match of one tokenizing regular expression and
 * gives it as a `[start, end)` span. The regular expressions are the specification (each is
 * quoted above its scanner, and test/core/text/scan.test.ts checks scanner and regex against each
 * other on random text); the scanners exist because running a Unicode-property regex per token
 * was most of the cost of reading an article. They follow the regex semantics exactly: the `u`
 * flag's code points (a surrogate pair is one character), greedy repetitions, lookarounds, and
 * the left-to-right search for the next match start. All are linear in the text.
 *
 * Scanners read the text's code units ({@link codesOf}) from `from` up to `end` (default: the
 * end) exactly as the regex would read `text.slice(0, end)`: a caller scans a sentence inside its
 * paragraph without cutting it out.
 */
import { ASCII_CLASS, type Codes, LETTER, LOWER, MARK, NUMBER, SPACE, UPPER, classAt, classBefore, unitClass, widthAt } from './chars.js';

export { codesOf } from './chars.js';

/** A match: `text.slice(start, end)`. Scanners write into one reused object. */
export interface Span {
  start: number;
  end: number;
}

const WORD_CHAR = LETTER | MARK | NUMBER;
const LETTER_OR_NUMBER = LETTER | NUMBER;

/**
 * ASCII fast paths. Most words of news text are ASCII letters and digits ended by an ASCII space
 * or punctuation mark: each scanner first takes such a word in a tight loop over this table, and
 * goes the general way (which gives the same answer) only where a word may go on: at a joiner, at
 * a character past ASCII, at "R" ("Rp" of an amount).
 */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = ((ASCII_CLASS[c] as number) & LETTER_OR_NUMBER) !== 0 ? 1 : 0;

/** Where the run of ASCII letters and digits from `i` ends (`i` itself being one). */
function asciiRunEnd(codes: Codes, i: number, end: number): number {
  let j = i + 1;
  while (j < end) {
    const d = codes[j] as number;
    if (d >= 128 || ASCII_WORD[d] === 0) break;
    j++;
  }
  return j;
}

/**
 * Where the run from `i` (an ASCII letter or digit) of ASCII letters, digits and the joiners ' -
 * (and "." with `dots`) ends; past ASCII it goes on as {@link joinedRunEnd} does.
 */
function asciiJoinedRunEnd(codes: Codes, i: number, end: number, dots: boolean): number {
  let j = i + 1;
  while (j < end) {
    const d = codes[j] as number;
    if (d >= 128 || (ASCII_WORD[d] === 0 && d !== 39 && d !== 45 && (!dots || d !== 46))) break;
    j++;
  }
  return j < end && (codes[j] as number) >= 128 ? joinedRunEnd(codes, j, end, dots) : j;
}

/** Where a maximal run of code points of class `mask` starting at `i` ends. */
function runEnd(codes: Codes, i: number, end: number, mask: number): number {
  let j = i;
  while (j < end) {
    const c = codes[j] as number;
    if (c < 128) {
      if (((ASCII_CLASS[c] as number) & mask) === 0) break;
      j++;
    } else if (c < 0xd800 || c > 0xdfff) {
      if ((unitClass(c) & mask) === 0) break;
      j++;
    } else {
      if ((classAt(codes, j, end) & mask) === 0) break;
      j += widthAt(codes, j, end);
    }
  }
  return j;
}

/** Like {@link runEnd}, also running over the joiners ' ’ - and (with `dots`) ".". */
function joinedRunEnd(codes: Codes, i: number, end: number, dots: boolean): number {
  let j = i;
  while (j < end) {
    const c = codes[j] as number;
    if (c < 128) {
      if (c === 39 || c === 45 || (dots && c === 46) || ((ASCII_CLASS[c] as number) & LETTER_OR_NUMBER) !== 0) j++;
      else break;
    } else if (c === 0x2019) j++;
    else if (c < 0xd800 || c > 0xdfff) {
      if ((unitClass(c) & LETTER_OR_NUMBER) === 0) break;
      j++;
    } else {
      if ((classAt(codes, j, end) & LETTER_OR_NUMBER) === 0) break;
      j += widthAt(codes, j, end);
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
export function nextWord(codes: Codes, from: number, span: Span, end = codes.length): boolean {
  for (let i = from; i < end; ) {
    const c = codes[i] as number;
    // (an ASCII space or punctuation mark: the common case between words)
    if (c < 128 && ((ASCII_CLASS[c] as number) & WORD_CHAR) === 0) {
      i++;
      continue;
    }
    if (c < 128 && c !== 82) {
      // an ASCII word ended by an ASCII character that cannot join (see ASCII_WORD)
      const j = asciiRunEnd(codes, i, end);
      const d = j < end ? (codes[j] as number) : 32;
      if (d < 128 && d !== 45 && d !== 39 && d !== 46 && d !== 44) {
        span.start = i;
        span.end = j;
        return true;
      }
    }
    if (c === 82 && i + 2 < end && codes[i + 1] === 112) {
      const d = codes[i + 2] as number;
      if (d >= 48 && d <= 57) {
        span.start = i;
        span.end = i + 2;
        return true;
      }
    }
    if ((classAt(codes, i, end) & WORD_CHAR) !== 0) {
      let j = runEnd(codes, i, end, WORD_CHAR);
      for (let rep = 0; rep < 32 && j < end; rep++) {
        const k = codes[j] as number;
        if (k === 45 || k === 39 || k === 0x2019) {
          if ((classAt(codes, j + 1, end) & WORD_CHAR) === 0) break;
          j = runEnd(codes, j + 1, end, WORD_CHAR);
        } else if ((k === 46 || k === 44) && (classBefore(codes, j) & NUMBER) !== 0 && (classAt(codes, j + 1, end) & NUMBER) !== 0) {
          j = runEnd(codes, j + 1, end, NUMBER);
        } else break;
      }
      span.start = i;
      span.end = j;
      return true;
    }
    i += widthAt(codes, i, end);
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
export function nextQuoteToken(codes: Codes, from: number, span: Span, end = codes.length): boolean {
  for (let i = from; i < end; ) {
    const c = codes[i] as number;
    const cls = c < 128 ? (ASCII_CLASS[c] as number) : classAt(codes, i, end);
    if ((cls & LETTER_OR_NUMBER) !== 0) {
      let j: number;
      if (c < 128) {
        // (see ASCII_WORD: the run goes on past ASCII only through a character the general way reads)
        j = asciiRunEnd(codes, i, end);
        const d = j < end ? (codes[j] as number) : 32;
        if (d < 128 && d !== 39 && d !== 45 && d !== 46) {
          span.start = i;
          span.end = j;
          return true;
        }
        if (d >= 128) j = runEnd(codes, j, end, LETTER_OR_NUMBER);
      } else j = runEnd(codes, i, end, LETTER_OR_NUMBER);
      while (j < end) {
        const k = codes[j] as number;
        let joined = false;
        if (k === 39 || k === 0x2019 || k === 45) joined = (classAt(codes, j + 1, end) & LETTER_OR_NUMBER) !== 0;
        else if (k === 46) {
          const next = classAt(codes, j + 1, end);
          joined =
            (next & (LOWER | NUMBER)) !== 0 ||
            ((classBefore(codes, j) & (UPPER | NUMBER)) !== 0 &&
              (next & UPPER) !== 0 &&
              (classAt(codes, j + 1 + widthAt(codes, j + 1, end), end) & LOWER) === 0);
        }
        if (!joined) break;
        j = runEnd(codes, j + 1, end, LETTER_OR_NUMBER);
      }
      span.start = i;
      span.end = j;
      return true;
    }
    const w = widthAt(codes, i, end);
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
export function nextKeywordToken(codes: Codes, from: number, span: Span, end = codes.length): boolean {
  for (let i = from; i < end; ) {
    const c = codes[i] as number;
    if (c < 128) {
      if (ASCII_WORD[c] === 0) {
        i++;
        continue;
      }
      span.start = i;
      span.end = asciiJoinedRunEnd(codes, i, end, true);
      return true;
    }
    if ((classAt(codes, i, end) & LETTER_OR_NUMBER) !== 0) {
      span.start = i;
      span.end = joinedRunEnd(codes, i, end, true);
      return true;
    }
    i += widthAt(codes, i, end);
  }
  return false;
}

/**
 * Content words of quote salience (quotes.ts):
 *
 *     /\p{L}[\p{L}\p{N}'’-]* /gu   (without the space)
 */
export function nextLetterWord(codes: Codes, from: number, span: Span, end = codes.length): boolean {
  for (let i = from; i < end; ) {
    const c = codes[i] as number;
    if (c < 128) {
      if (((ASCII_CLASS[c] as number) & LETTER) === 0) {
        i++;
        continue;
      }
      span.start = i;
      span.end = asciiJoinedRunEnd(codes, i, end, false);
      return true;
    }
    if ((classAt(codes, i, end) & LETTER) !== 0) {
      span.start = i;
      span.end = joinedRunEnd(codes, i, end, false);
      return true;
    }
    i += widthAt(codes, i, end);
  }
  return false;
}
