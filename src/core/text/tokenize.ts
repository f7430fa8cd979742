/**
 * Word tokenization for Indonesian text.
 *
 * A word is a run of letters/digits (with combining marks) that may be joined by hyphens or
 * apostrophes ("masing-masing", "anti-DPRK", "Jum'at", "ke-17") and, between digits, by "." or
 * "," ("1.000.000", "1,5", "08.00"). Everything else is punctuation. All patterns here are
 * linear: each repetition starts with a character the previous one cannot consume, and the
 * joined parts of one token are capped (32) so a 10 MB "1.1.1..." cannot exhaust the regex stack.
 */
import { STOPWORDS } from './stopwords.js';
import { stem } from './stem.js';

// "Rp" stuck to an amount ("Rp1.000") is a word of its own.
const WORD_RE = /Rp(?=\d)|[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+|(?<=\p{N})[.,]\p{N}+){0,32}/gu;
/** Words, or single non-space non-word characters (punctuation), "..." kept together. */
const TOKEN_RE = /Rp(?=\d)|[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+|(?<=\p{N})[.,]\p{N}+){0,32}|\.{2,}|[^\s\p{L}\p{M}\p{N}]/gu;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** All tokens of `text` in order, original case: words and single punctuation marks. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

/** Lowercase word tokens of `text` (no punctuation); reduplications and numbers stay whole. */
export function words(text: string): string[] {
  const out = text.match(WORD_RE);
  if (out === null) return [];
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as string).toLowerCase();
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

const ANALYZE_RE = new RegExp(WORD_RE.source, 'gu');
const SENTENCE_OPENERS = new Set(['.', '!', '?', '"', '“', '‘', "'", ':', '(', '[', '-', '–', '—', '\n']);

/**
 * Word count and content terms of `text`: lowercase words, stopwords and one-letter words
 * dropped, numbers kept as they are, the rest stemmed, except capitalised words inside a
 * sentence (names: "Erdogan", "Nainggolan"), which are kept whole.
 */
export function analyze(text: string): TextAnalysis {
  const out: string[] = [];
  let wordCount = 0;
  const re = ANALYZE_RE;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    wordCount++;
    const raw = m[0];
    const w = raw.toLowerCase();
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    if (isNumberToken(w)) {
      out.push(w);
      continue;
    }
    if (raw !== w && raw.length > 1 && raw[1] === (raw[1] as string).toLowerCase() && !opensSentence(text, m.index)) {
      out.push(w);
      continue;
    }
    const s = stem(w);
    if (s.length >= 2 && !STOPWORDS.has(s)) out.push(s);
  }
  return { wordCount, terms: out };
}

/** Whether the word at `index` opens a sentence (only spaces and openers before it). */
function opensSentence(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0 && i >= index - 8; i--) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\u00a0') continue;
    return SENTENCE_OPENERS.has(c);
  }
  return true;
}

/** Content terms of `text` for similarity and keywords (see {@link analyze}). */
export function terms(text: string): string[] {
  return analyze(text).terms;
}
