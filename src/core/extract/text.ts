/**
 * Small text helpers shared by the extractors: whitespace normalisation, word counts, the
 * "does this look like a sentence of prose" test, and title-casing of shouted place names.
 */

/** Whitespace (as JavaScript's \\s knows it, nbsp included). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Characters that render as nothing (zero-width marks, BOM, soft hyphen). */
function isInvisible(c: number): boolean {
  return (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff || c === 0xad;
}

const UTF16 = new TextDecoder('utf-16le');

/** True when a text has nothing to clean: no edge spaces, no runs, no odd spaces or marks. */
function alreadyClean(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  if (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(n - 1))) return false;
  let prevSpace = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if (isSpace(c) || isInvisible(c)) {
      return false;
    } else {
      prevSpace = false;
    }
  }
  return true;
}

/**
 * Collapses every run of whitespace (nbsp included) to one space and trims; drops zero-width
 * marks. Linear, without a regular expression or millions of small strings: clean text is
 * returned as is, anything else is copied once into a buffer.
 */
export function cleanText(text: string): string {
  if (alreadyClean(text)) return text;
  const n = text.length;
  const out = new Uint16Array(n);
  let len = 0;
  let pendingSpace = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      pendingSpace = len > 0;
    } else if (!isInvisible(c)) {
      if (pendingSpace) out[len++] = 32;
      pendingSpace = false;
      out[len++] = c;
    }
  }
  return UTF16.decode(out.subarray(0, len));
}

/** The text's lines, each cleaned (blank lines become empty strings, kept as paragraph breaks). */
export function cleanLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => cleanText(line));
}

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** Number of words in a text, counting at most `stopAt` (cheap on huge inputs). */
export function countWords(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  let n = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) {
    n += 1;
    if (n >= stopAt) break;
  }
  WORD.lastIndex = 0;
  return n;
}

/** Characters of a text that take part in its comparison key. */
const KEY_CHARS = 4000;

/**
 * A comparison key: lower case, letters and digits only, single spaces; built from the first
 * KEY_CHARS characters (plenty to tell paragraphs apart, and cheap on a 10 MB one).
 */
export function textKey(text: string): string {
  const s = text.length > KEY_CHARS ? text.slice(0, KEY_CHARS) : text;
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Ends the way a sentence of prose ends (allowing a closing quote or bracket after the stop). */
export function endsLikeSentence(text: string): boolean {
  const tail = text.length > 120 ? text.slice(-120) : text;
  return /[.!?…]["'”’)\]]*$|[.!?]\s*\([^()]{0,40}\)$|["”]$/.test(tail);
}

/**
 * A paragraph of prose rather than a label, a heading, a name or a date: several words and
 * a sentence ending, or simply long.
 */
export function isProse(text: string): boolean {
  const n = countWords(text, 25);
  if (n >= 20) return true;
  return n >= 7 && endsLikeSentence(text);
}

/**
 * "PYONGYANG" -> "Pyongyang", "BANDAR LAMPUNG" -> "Bandar Lampung"; short acronyms ("NTB", "DKI")
 * and words already in mixed case are kept as written.
 */
export function titleCasePlace(text: string): string {
  return text
    .split(/(\s+|-)/)
    .map((word) => {
      const letters = word.replace(/[^\p{L}]/gu, '');
      if (letters.length <= 3) return word;
      if (letters !== letters.toUpperCase()) return word;
      const lower = word.toLowerCase();
      return lower.replace(/\p{L}/u, (c) => c.toUpperCase());
    })
    .join('');
}

/** Share of control and replacement characters in a sample: high means binary, not text. */
export function binaryRatio(text: string, sample = 4096): number {
  const s = text.length > sample ? text.slice(0, sample) : text;
  if (s.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd || (c >= 0x7f && c < 0xa0)) bad += 1;
  }
  return bad / s.length;
}

/** Cuts a text at a word boundary near `max` characters, adding an ellipsis when cut. */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
