/**
 * Word tokenization for Indonesian text.
 *
 * A word is a run of letters/digits (with combining marks) that may be joined by hyphens or
 * apostrophes ("masing-masing", "anti-DPRK", "Jum'at", "ke-17") and, between digits, by "." or
 * "," ("1.000.000", "1,5", "08.00"). Everything else is punctuation. All patterns here are
 * linear: each repetition starts with a character the previous one cannot consume, and the
 * joined parts of one token are capped (32) so a 10 MB "1.1.1..." cannot exhaust the regex stack.
 *
 * Words are found by a char-code scanner (scan.ts, {@link nextWord}) that matches exactly what
 * WORD_PATTERN matches; the regular expression stays as the specification and for {@link tokenize}.
 */
import { codeAt } from './chars.js';
import { Lexicon } from './lexicon.js';
import { nextWord } from './scan.js';
import { STOPWORDS } from './stopwords.js';
import { stem } from './stem.js';

/** "Rp" stuck to an amount ("Rp1.000") is a word of its own. */
const WORD_PATTERN = /Rp(?=\d)|[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+|(?<=\p{N})[.,]\p{N}+){0,32}/gu;
/** Words, or single non-space non-word characters (punctuation), "..." kept together. */
const TOKEN_RE = new RegExp(`${WORD_PATTERN.source}|\\.{2,}|[^\\s\\p{L}\\p{M}\\p{N}]`, 'gu');
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** All tokens of `text` in order, original case: words and single punctuation marks. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

/** Lowercase word tokens of `text` (no punctuation); reduplications and numbers stay whole. */
export function words(text: string): string[] {
  const out: string[] = [];
  const span = { start: 0, end: 0 };
  for (let at = 0; nextWord(text, at, span); at = span.end) out.push(text.slice(span.start, span.end).toLowerCase());
  return out;
}

/** True when a token has at least one letter or digit (i.e. it is not punctuation). */
export function isWordToken(token: string): boolean {
  return HAS_LETTER_OR_DIGIT.test(token);
}

/** True for a token made only of digits and digit separators ("2017", "1.000", "1,5"). */
export function isNumberToken(token: string): boolean {
  if (token.length === 0) return false;
  for (let i = 0; i < token.length; i++) {
    const c = codeAt(token, i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 44)) return false;
  }
  return true;
}

/** What scoring needs from a text, in one pass: its word count and its content terms. */
export interface TextAnalysis {
  wordCount: number;
  terms: string[];
}

/** What {@link analyze} makes of one surface form. */
interface WordTerms {
  /** The term it contributes (stemmed), or null when it is dropped (stopword, one letter). */
  term: string | null;
  /** Its lowercase form, kept instead of `term` when the word stands inside a sentence: a capitalised name. */
  name: string | null;
}

/** {@link WordTerms} as word numbers of the reading (-1 for none). */
interface TermNumbers {
  term: number;
  name: number;
}

function wordTerms(raw: string): WordTerms {
  const w = raw.toLowerCase();
  if (w.length < 2 || STOPWORDS.has(w)) return { term: null, name: null };
  if (isNumberToken(w)) return { term: w, name: null };
  const name = raw !== w && raw.length > 1 && raw[1] === (raw[1] as string).toLowerCase() ? w : null;
  const s = stem(w);
  return { term: s.length >= 2 && !STOPWORDS.has(s) ? s : null, name };
}

function termNumbers(t: WordTerms, lexicon: Lexicon): TermNumbers {
  return { term: t.term === null ? -1 : lexicon.internString(t.term), name: t.name === null ? -1 : lexicon.internString(t.name) };
}

/**
 * The content terms of `text[start, end)` as in {@link analyze}, appended to `out` as word
 * numbers of the reading (the term of t is `lexicon.form(t)`); returns the word count. Reads the
 * range in place.
 */
export function termIds(lexicon: Lexicon, text: string, start: number, end: number, out: number[]): number {
  const table = lexicon.values(wordTerms, termNumbers);
  const span = { start: 0, end: 0 };
  let wordCount = 0;
  for (let at = start; nextWord(text, at, span, end); at = span.end) {
    wordCount++;
    const w = table.get(lexicon.intern(text, span.start, span.end));
    if (w.name >= 0 && !opensSentence(text, span.start, start)) out.push(w.name);
    else if (w.term >= 0) out.push(w.term);
  }
  return wordCount;
}

/**
 * Word count and content terms of `text`: lowercase words, stopwords and one-letter words
 * dropped, numbers kept as they are, the rest stemmed, except capitalised words inside a
 * sentence (names: "Erdogan", "Nainggolan"), which are kept whole.
 */
export function analyze(text: string): TextAnalysis {
  const lexicon = new Lexicon();
  const ids: number[] = [];
  const wordCount = termIds(lexicon, text, 0, text.length, ids);
  return { wordCount, terms: ids.map((id) => lexicon.form(id)) };
}

/** Whether the word at `index` opens a sentence (only spaces and openers before it, back to `floor`). */
function opensSentence(text: string, index: number, floor: number): boolean {
  for (let i = index - 1; i >= floor && i >= index - 8; i--) {
    const c = codeAt(text, i);
    if (c === 32 || c === 9 || c === 0xa0) continue;
    // . ! ? " “ ‘ ' : ( [ - – — and a line break
    return (
      c === 46 || c === 33 || c === 63 || c === 34 || c === 0x201c || c === 0x2018 || c === 39 || c === 58 || c === 40 || c === 91 ||
      c === 45 || c === 0x2013 || c === 0x2014 || c === 10
    );
  }
  return true;
}

/** Content terms of `text` for similarity and keywords (see {@link analyze}). */
export function terms(text: string): string[] {
  return analyze(text).terms;
}
