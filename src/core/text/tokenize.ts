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
import { type Codes, codesOf } from './chars.js';
import { Lexicon, type WordStore } from './lexicon.js';
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
  const codes = codesOf(text);
  const span = { start: 0, end: 0 };
  for (let at = 0; nextWord(codes, at, span); at = span.end) out.push(text.slice(span.start, span.end).toLowerCase());
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
    const c = token.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 44)) return false;
  }
  return true;
}

/** What scoring needs from a text, in one pass: its word count and its content terms. */
export interface TextAnalysis {
  wordCount: number;
  terms: string[];
}

const DROPPED = [-1, -1] as const;

/**
 * What {@link analyze} makes of one surface form, as store ids of its terms (-1 for none):
 *  - the term it contributes (stemmed), or -1 when it is dropped (stopword, one letter);
 *  - its lowercase form, kept instead of the term when the word stands inside a sentence: a
 *    capitalised name.
 */
function wordTerms(raw: string, store: WordStore): readonly [term: number, name: number] {
  const w = raw.toLowerCase();
  if (w.length < 2 || STOPWORDS.has(w)) return DROPPED;
  if (isNumberToken(w)) return [store.internString(w), -1];
  const name = raw !== w && raw.length > 1 && raw[1] === (raw[1] as string).toLowerCase() ? store.internString(w) : -1;
  const s = stem(w);
  return [s.length >= 2 && !STOPWORDS.has(s) ? store.internString(s) : -1, name];
}

/**
 * The content terms of `text[start, end)` as in {@link analyze}, appended to `out` as ids of the
 * lexicon's store (the term of t is `lexicon.store.forms[t]`); returns the word count. Reads the
 * range in place.
 */
export function termIds(lexicon: Lexicon, text: string, start: number, end: number, out: number[]): number {
  const facts = lexicon.facts(wordTerms, 2);
  const t = lexicon.text(text);
  const codes = t.codes;
  const span = { start: 0, end: 0 };
  let wordCount = 0;
  for (let at = start; nextWord(codes, at, span, end); at = span.end) {
    wordCount++;
    const row = facts.row(t.intern(span.start, span.end));
    const data = facts.data;
    const term = data[row] as number;
    const name = data[row + 1] as number;
    if (name >= 0 && !opensSentence(codes, span.start, start)) out.push(name);
    else if (term >= 0) out.push(term);
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
  return { wordCount, terms: ids.map((id) => lexicon.store.forms[id] as string) };
}

/** Whether the word at `index` opens a sentence (only spaces and openers before it, back to `floor`). */
function opensSentence(codes: Codes, index: number, floor: number): boolean {
  for (let i = index - 1; i >= floor && i >= index - 8; i--) {
    const c = codes[i] as number;
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
