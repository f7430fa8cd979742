/**
 * Sentence splitting for Indonesian news paragraphs.
 *
 * One left-to-right scan, no regular expression over the whole text, so a 10 MB paragraph on one
 * line is split in linear time. A boundary is a terminator ("." "!" "?" "…" or a run of them),
 * followed by any closing quotes/brackets stuck to it, then whitespace, then something that can
 * open a sentence (an upper-case letter, an opening quote or bracket, sometimes a digit). A "."
 * is not a boundary after:
 *  - a known abbreviation: titles and ranks (Dr., Prof., H., Hj., Kol., Brigjen., Kompol., AKBP.),
 *    addresses (Jl., No., Kec.), "Rp.", "tgl.", months ("Jan.") ...;
 *  - initials and degrees written with inner dots ("B.J. Habibie", "S.H.", "S.Pd.", "M.Si.",
 *    "a.n.") or a lone letter ("Susilo B. Yudhoyono");
 *  - a list number opening the sentence ("1. Pertama ...").
 * "dll.", "dsb.", "dst.", "dkk.", "Tbk." and "Jr." end a sentence only when a capital follows.
 * Dots inside a token never split ("1.000.000", "3.016", "pukul 08.00", "Liputan6.com",
 * "TRIBUNAMBON.COM"), except a missing space between two sentences ("tersebut.Namun").
 *
 * Quotations that run over several sentences are split like any other text, which is how news
 * copy is read and how IndoSum splits it: in `"Tidak hanya tarif tapi apa saja harus diatur.
 * Dipanggil keduanya ... Kan bisa saling melengkapi, " ucap Zulkifli.` the opening quote stays
 * with the first sentence and the closing quote with the attribution in the last. A closing quote
 * right after the terminator ("... diatur." Kan) stays with its sentence. Callers that need the
 * whole quotation (quotes.ts) join the sentences back.
 *
 * Stray repeated terminators ("melakukannya. . Pejabat") stay at the end of the sentence they
 * follow; pre-tokenized text ("kata dia . Kemudian") splits after the lone ".". Blank lines and
 * line breaks followed by a capital are hard boundaries. Sentences come back trimmed; apart
 * from whitespace between sentences no character is lost.
 */

import { type Codes, SPACE, codesOf, unitClass } from './chars.js';

/** Abbreviations (lowercase, without the final dot) after which a "." never ends a sentence. */
const NEVER_END = new Set([
  // titles, honorifics
  'dr', 'drs', 'dra', 'drg', 'ir', 'prof', 'h', 'hj', 'kh', 'ust', 'ustz', 'pdt', 'rm', 'st', 'sdr', 'sdri',
  'bpk', 'bp', 'ny', 'nn', 'tn', 'yth', 'mr', 'mrs', 'ms', 'mt', 'moh', 'muh', 'mhd', 'abd', 'dipl',
  // military and police ranks
  'jend', 'jen', 'letjen', 'mayjen', 'brigjen', 'laksamana', 'laksdya', 'laksda', 'laksma', 'marsdya', 'marsda',
  'marsma', 'kol', 'letkol', 'kapt', 'lettu', 'letda', 'serka', 'serma', 'sertu', 'serda', 'kopka',
  'koptu', 'kopda', 'praka', 'pratu', 'prada', 'kombes', 'kombespol', 'akbp', 'kompol', 'akp', 'iptu', 'ipda',
  'aiptu', 'aipda', 'bripka', 'brigpol', 'briptu', 'bripda', 'bharaka', 'bharatu', 'bharada', 'irjen', 'komjen',
  'inf', 'czi', 'pnb', 'arh', 'psk', 'chk', 'adm', 'purn', 'pol',
  // places and addresses
  'jl', 'jln', 'gg', 'kp', 'ds', 'kel', 'kec', 'kab', 'prov', 'rt', 'rw', 'no', 'kav', 'lt',
  // money, dates, misc
  'rp', 'tgl', 'thn', 'bln', 'ttd', 'pt', 'cv', 'ud', 'ltd', 'inc', 'corp',
  'vs', 'sbg', 'utk', 'dgn', 'yg', 'dg', 'dlm', 'krn', 'kpd', 'ca', 'cf',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'agu', 'ags', 'agt', 'sep', 'sept', 'okt', 'nov', 'des', 'dec', 'aug', 'oct',
]);

/** Abbreviations that usually close a list or a company name: they end a sentence before a capital. */
const MAY_END = new Set([
  'dll', 'dsb', 'dst', 'dkk', 'tbk', 'jr', 'sr', 'etc', 'cs', 'tsb', 'vol', 'ed', 'th', 'co', 'pd', 'sd', 'smp', 'sma', 'smk',
]);

/** Top-level domains: "Okezone.Com" is a name, not "Okezone." + "Com". */
const TLDS = new Set(['com', 'co', 'id', 'net', 'org', 'go', 'ac', 'info', 'tv', 'news', 'my', 'sg', 'io', 'biz', 'web']);

const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']', '}']);
const OPENERS = new Set(['"', "'", '“', '‘', '«', '(', '[']);

const UPPER_RE = /\p{Lu}/u;
const LOWER_RE = /\p{Ll}/u;
const LETTER_RE = /\p{L}/u;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\u00a0' || c === '\f' || c === '\v' || c === '\u2009' || c === '\u202f';
}
function isTerminator(c: string | undefined): boolean {
  return c === '.' || c === '!' || c === '?' || c === '…';
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isUpper(c: string | undefined): boolean {
  return c !== undefined && UPPER_RE.test(c);
}
function isLower(c: string | undefined): boolean {
  return c !== undefined && LOWER_RE.test(c);
}

/** Whether a sentence may begin at `k` (the first non-space character after a terminator). */
function opensSentence(text: string, k: number): boolean {
  const c = text[k];
  if (c === undefined) return false;
  if (isUpper(c) || isDigit(c)) return true;
  if (OPENERS.has(c)) {
    // an opening quote or bracket, unless a lower-case word follows it
    let m = k + 1;
    while (m < text.length && m < k + 4 && (isSpace(text[m]) || OPENERS.has(text[m] as string))) m++;
    return !isLower(text[m]);
  }
  return false;
}

/** The token that ends at `end` (exclusive): back to whitespace or an opening quote/bracket. */
function tokenBefore(text: string, end: number, floor: number): string {
  let b = end;
  while (b > floor && end - b < 40) {
    const c = text[b - 1];
    if (isSpace(c) || OPENERS.has(c as string)) break;
    b--;
  }
  return text.slice(b, end);
}

/** Whether the "." at `i` (a single dot ending `word`) belongs to an abbreviation or initial. */
function dotIsAbbreviation(word: string, nextIsUpper: boolean): boolean {
  if (word === '') return false;
  const lower = word.toLowerCase();
  if (NEVER_END.has(lower)) return true;
  if (MAY_END.has(lower)) return !nextIsUpper;
  // a lone letter: an initial ("B." in "Susilo B. Yudhoyono")
  if (word.length === 1 && LETTER_RE.test(word)) return true;
  // initials and degrees with inner dots: "B.J", "S.H", "S.Pd", "M.Si", "a.n", "U.S"
  if (word.includes('.')) {
    const parts = word.split('.');
    if (parts.length <= 6 && parts.every((p) => p.length >= 1 && p.length <= 3 && /^\p{L}+$/u.test(p))) return true;
  }
  return false;
}

/** Splits one paragraph into trimmed sentences (see the module comment for the rules). */
export function splitSentences(paragraph: string): string[] {
  const spans = sentenceSpans(paragraph);
  const out: string[] = [];
  for (let k = 0; k < spans.length; k += 2) out.push(paragraph.slice(spans[k], spans[k + 1]));
  return out;
}

/** What {@link sentenceSpans} stops at: a line break and the terminators. */
const STOPS = ['\n', '.', '!', '?', '…'];

function isTrimmed(c: number): boolean {
  return (unitClass(c) & SPACE) !== 0;
}

/**
 * Where the sentences of {@link splitSentences} are in the paragraph: `[start0, end0, start1,
 * end1, ...]`, each range already trimmed (`paragraph.slice(start, end)` is the sentence).
 * `codes` are the paragraph's code units, when the caller has them.
 */
export function sentenceSpans(paragraph: string, codes: Codes = codesOf(paragraph)): number[] {
  const text = paragraph;
  const n = text.length;
  const out: number[] = [];
  let start = 0;
  const emit = (end: number, next: number): void => {
    // what String.prototype.trim removes (white space and line terminators, i.e. \s)
    let a = start;
    let b = end;
    while (a < b && isTrimmed(codes[a] as number)) a++;
    while (b > a && isTrimmed(codes[b - 1] as number)) b--;
    if (b > a) out.push(a, b);
    start = next;
  };

  // Most characters are neither a line break nor a terminator (. ! ? …): the scan jumps from one
  // of those to the next, found by indexOf (a native search, much faster than a loop in script).
  const next = [-2, -2, -2, -2, -2];
  const nextStop = (from: number): number => {
    let best = n;
    for (let s = 0; s < 5; s++) {
      let at = next[s] as number;
      if (at !== -1 && at < from) {
        at = text.indexOf(STOPS[s] as string, from);
        next[s] = at;
      }
      if (at !== -1 && at < best) best = at;
    }
    return best;
  };
  let i = 0;
  while (i < n) {
    i = nextStop(i);
    if (i >= n) break;
    const c = text[i];
    if (c === '\n') {
      // a blank line, or a line break before a capital, is a hard boundary
      let k = i + 1;
      let blank = false;
      while (k < n && isSpace(text[k])) {
        if (text[k] === '\n') blank = true;
        k++;
      }
      if (k < n && (blank || opensSentence(text, k)) && text.slice(start, i).trim().length > 0) {
        emit(i, k);
        i = k;
        continue;
      }
      i = k;
      continue;
    }
    if (!isTerminator(c)) {
      i++;
      continue;
    }

    // the terminator run: "." "?!" "..." and stray ". ." (dots separated by spaces)
    let j = i + 1;
    let dots = c === '.' ? 1 : 0;
    let others = c === '.' ? 0 : 1;
    for (;;) {
      if (j < n && isTerminator(text[j])) {
        if (text[j] === '.') dots++;
        else others++;
        j++;
        continue;
      }
      // ". ." : spaces, then a lone "." followed by a space or the end
      let m = j;
      while (m < n && m < j + 3 && (text[m] === ' ' || text[m] === '\u00a0')) m++;
      if (m > j && text[m] === '.' && (m + 1 >= n || isSpace(text[m + 1]))) {
        dots++;
        j = m + 1;
        continue;
      }
      break;
    }
    // closing quotes and brackets stuck to the terminator stay with the sentence
    let closers = 0;
    while (j < n && CLOSERS.has(text[j] as string)) {
      j++;
      closers++;
    }
    if (j >= n) break;

    if (!isSpace(text[j])) {
      // "tersebut.Namun": a missing space between two sentences
      if (c === '.' && dots === 1 && others === 0 && closers === 0 && isLower(text[i - 1]) && isUpper(text[j]) && isLower(text[j + 1])) {
        const before = tokenBefore(text, i, start);
        let e = j;
        while (e < n && e < j + 12 && LETTER_RE.test(text[e] as string)) e++;
        const after = text.slice(j, e).toLowerCase();
        if (!/[\d.@/]/.test(before) && !TLDS.has(after)) {
          emit(j, j);
          i = j;
          continue;
        }
      }
      i = j;
      continue;
    }

    let k = j;
    while (k < n && isSpace(text[k])) k++;
    if (k >= n) break;
    if (!opensSentence(text, k)) {
      i = k;
      continue;
    }

    if (c === '.' && dots === 1 && others === 0 && closers === 0) {
      const word = tokenBefore(text, i, start);
      const next = text[k];
      if (dotIsAbbreviation(word, isUpper(next))) {
        i = k;
        continue;
      }
      // a list number opening the sentence: "1. Pertama"
      if (/^\d{1,2}$/.test(word) && text.slice(start, i - word.length).trim() === '') {
        i = k;
        continue;
      }
      // before a digit, split only after an ordinary word or number ("... 2019. 20 orang")
      if (isDigit(next) && (word.length < 2 || /^\p{Lu}+$/u.test(word))) {
        i = k;
        continue;
      }
    }
    emit(j, k);
    i = k;
  }
  emit(n, n);
  return out;
}

/** Splits several paragraphs, keeping each sentence's paragraph index. */
export function splitParagraphs(paragraphs: readonly string[]): { text: string; paragraph: number; index: number }[] {
  const out: { text: string; paragraph: number; index: number }[] = [];
  paragraphs.forEach((p, pi) => {
    splitSentences(p).forEach((s, si) => out.push({ text: s, paragraph: pi, index: si }));
  });
  return out;
}
