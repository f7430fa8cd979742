/**
 * Keywords: 5-10 terms that say what an article is about, names and noun phrases before single
 * common words ("Korea Utara", "Vedant Patel", "senjata").
 */
import type { Article } from './article-types.js';
import { CAPITAL, SPACE, codeAt, unitClass } from './text/chars.js';
import { Lexicon, type WordValues } from './text/lexicon.js';
import { nextKeywordToken } from './text/scan.js';
import { STOPWORDS } from './text/stopwords.js';
import { stem } from './text/stem.js';

export interface KeywordOptions {
  /** At most this many keywords (default 8, capped at 10). */
  max?: number;
  /** At least this many when the text allows (default 5). */
  min?: number;
  /** Speakers of the article's key quotes: who speaks is part of what the story is about. */
  speakers?: readonly (string | null)[];
  /** The article's word table, when the caller shares one between readers (readArticle does). */
  lexicon?: Lexicon;
}

/** Capitalised words that are not names: days, months, time zones, sentence openers, honorifics. */
const NOT_NAMES = new Set([
  'senin', 'selasa', 'rabu', 'kamis', 'jumat', "jum'at", 'sabtu', 'minggu', 'ahad',
  'januari', 'februari', 'maret', 'april', 'mei', 'juni', 'juli', 'agustus', 'september', 'oktober', 'november', 'desember',
  'wib', 'wita', 'wit', 'foto', 'editor', 'penulis', 'reporter', 'baca', 'juga', 'simak', 'lihat',
  'pak', 'bu', 'bapak', 'ibu', 'sdr', 'saudara', 'tuan', 'nyonya', 'kak', 'mas', 'mbak', 'bang',
  'dalam', 'setelah', 'sebelum', 'namun', 'tetapi', 'sementara', 'selain', 'meski', 'walau', 'menurut', 'para',
  'presiden', 'menteri', 'ketua', 'kepala', 'gubernur', 'wakil', 'direktur', 'juru', 'bicara', 'pemimpin', 'pejabat',
  'the', 'of', 'and', 'a', 'an', 'in', 'on',
]);

/** Words joining parts of one name ("Badan Pusat Statistik", "Universitas Gadjah Mada", "bin"). */
const NAME_JOINERS = new Set(['bin', 'binti', 'van', 'de', 'der', 'al', 'el', 'von', 'da', 'dos']);

interface Candidate {
  surface: Map<string, number>;
  score: number;
  count: number;
  firstPos: number;
  isName: boolean;
  inTitle: boolean;
}

/** What the picker needs to know about one surface form (a pure function of it, memoised). */
interface Word {
  /** The word as written, trailing joiners cut ("Korea", "anti-DPRK"). */
  word: string;
  lower: string;
  /** First character is a capital (see chars.ts CAPITAL). */
  capitalised: boolean;
  /** Capitalised and not a number ("Ⅻ" is both). */
  cap: boolean;
  /** A day, month, honorific, ... or a stopword: never part of a name. */
  notName: boolean;
  /** In NOT_NAMES. */
  notNameList: boolean;
  stopword: boolean;
  /** A word joining parts of a name ("bin", "van"). */
  joiner: boolean;
  /** The key it counts under as a common word (its stem), or null when it never counts. */
  wordKey: string | null;
  /** The reading's number for `lower` (set per reading, see {@link inReading}). */
  lowerId: number;
}

/** A word's entry for one reading: the number of its lowercase form there. */
function inReading(w: Word, lexicon: Lexicon): Word {
  return { ...w, lowerId: lexicon.internString(w.lower) };
}

const STARTS_WITH_NUMBER = /^\p{N}/u;

function wordInfo(word: string): Word {
  const lower = word.toLowerCase();
  const capitalised = (unitClass(codeAt(word, 0)) & CAPITAL) !== 0;
  const stopword = STOPWORDS.has(lower);
  const notNameList = NOT_NAMES.has(lower);
  let wordKey: string | null = null;
  if (!(lower.length < 4 || stopword || STARTS_WITH_NUMBER.test(lower) || notNameList)) {
    const key = stem(lower);
    if (key.length >= 3) wordKey = key;
  }
  return {
    word,
    lower,
    capitalised,
    cap: capitalised && !STARTS_WITH_NUMBER.test(word),
    notName: notNameList || stopword,
    notNameList,
    stopword,
    joiner: NAME_JOINERS.has(lower),
    wordKey,
    lowerId: -1,
  };
}

/** The words of one text, in order, with where they stand. */
interface Tokens {
  words: Word[];
  /** Offset of each word in the text. */
  index: number[];
  /** The word opens a sentence (or follows an opening quote). */
  sentenceStart: Uint8Array;
  /** Punctuation (not just space) stands between this word and the previous one. */
  afterBreak: Uint8Array;
}

const QUOTE = 0x22;
const LEFT_QUOTE = 0x201c;

/** Whether a character ends a sentence: . ! ? … */
function isTerminator(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 0x2026;
}

/** Whether a character may close a sentence after its terminator: " ” ’ ) */
function isCloser(c: number): boolean {
  return c === QUOTE || c === 0x201d || c === 0x2019 || c === 41;
}

/**
 * Whether a word starting at `i` opens a sentence: at the start, after an opening quote mark, or
 * after a terminator, closing marks and at least one space (what /[.!?…]["”’)]*\s+/ ends at).
 */
function opensSentence(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = codeAt(text, i - 1);
  if (prev === QUOTE || prev === LEFT_QUOTE) return true;
  if ((unitClass(prev) & SPACE) === 0) return false;
  let j = i - 2;
  while (j >= 0 && (unitClass(codeAt(text, j)) & SPACE) !== 0) j--;
  while (j >= 0 && isCloser(codeAt(text, j))) j--;
  return j >= 0 && isTerminator(codeAt(text, j));
}

/** Whether a character ends a token only to be cut from it: . ' ’ - */
function isTrailingJoiner(c: number): boolean {
  return c === 46 || c === 39 || c === 0x2019 || c === 45;
}

/** The words known so far and what each is. */
interface Vocabulary {
  lexicon: Lexicon;
  words: WordValues<Word, Word>;
}

function tokens(text: string, vocab: Vocabulary): Tokens {
  const words: Word[] = [];
  const index: number[] = [];
  const starts: number[] = [];
  const breaks: number[] = [];
  const span = { start: 0, end: 0 };
  let prevEnd = 0;
  for (let at = 0; nextKeywordToken(text, at, span); at = span.end) {
    const { start, end } = span;
    let cut = end;
    while (isTrailingJoiner(codeAt(text, cut - 1))) cut--;
    let afterBreak = cut < end;
    for (let k = prevEnd; k < start && !afterBreak; k++) if ((unitClass(codeAt(text, k)) & SPACE) === 0) afterBreak = true;
    prevEnd = end;
    words.push(vocab.words.get(vocab.lexicon.intern(text, start, cut)));
    index.push(start);
    starts.push(opensSentence(text, start) ? 1 : 0);
    breaks.push(afterBreak ? 1 : 0);
  }
  return { words, index, sentenceStart: Uint8Array.from(starts), afterBreak: Uint8Array.from(breaks) };
}

function stripDateline(paragraph: string, marker: string | undefined): string {
  return marker !== undefined && paragraph.startsWith(marker) ? paragraph.slice(marker.length) : paragraph;
}

/** The 5-10 keywords of an article, most telling first. */
export function extractKeywords(article: Article, opts: KeywordOptions = {}): string[] {
  const max = Math.min(Math.max(opts.max ?? 8, 1), 10);
  const min = Math.min(opts.min ?? 5, max);
  const body = article.paragraphs.map((p, i) => (i === 0 ? stripDateline(p, article.dateline?.marker) : p));
  const exclude = [article.siteName, article.dateline?.outlet];
  return keywordsFromText(article.title, body, { max, min, exclude, speakers: opts.speakers ?? [], ...(opts.lexicon !== undefined ? { lexicon: opts.lexicon } : {}) });
}

/** Lower-level entry: title and body paragraphs in, keywords out. */
export function keywordsFromText(
  title: string,
  paragraphs: readonly string[],
  opts: { max?: number; min?: number; exclude?: readonly (string | undefined)[]; speakers?: readonly (string | null)[]; lexicon?: Lexicon } = {},
): string[] {
  const max = Math.min(Math.max(opts.max ?? 8, 1), 10);
  const min = Math.min(opts.min ?? 5, max);
  const excluded = new Set((opts.exclude ?? []).filter((x): x is string => x !== undefined).map((x) => x.toLowerCase()));
  // Cap the work on pathological input: keywords come from the first ~60 kB.
  let budget = 60_000;
  const texts: string[] = [];
  for (const p of paragraphs) {
    if (budget <= 0) break;
    const piece = p.length > budget ? p.slice(0, budget) : p;
    texts.push(piece);
    budget -= piece.length;
  }


  const lexicon = opts.lexicon ?? new Lexicon();
  const vocab: Vocabulary = { lexicon, words: lexicon.values(wordInfo, inReading) };
  const docTokens = texts.map((t) => tokens(t, vocab));
  // lowercase forms seen in lowercase, and seen capitalised inside a sentence (by reading number)
  const lowerSeen = new Uint8Array(lexicon.size);
  const capitalMidSentence = new Uint8Array(lexicon.size);
  let tokenCount = 0;
  for (const toks of docTokens) {
    tokenCount += toks.words.length;
    for (let k = 0; k < toks.words.length; k++) {
      const w = toks.words[k] as Word;
      if (!w.capitalised) lowerSeen[w.lowerId] = 1;
      else if (toks.sentenceStart[k] === 0) capitalMidSentence[w.lowerId] = 1;
    }
  }

  const names = new Map<string, Candidate>();
  const words = new Map<string, Candidate>();
  let pos = 0;
  const totalTokens = tokenCount || 1;

  const addName = (parts: readonly Word[], position: number): void => {
    const surface = parts.map((w) => w.word).join(' ');
    const key = surface.toLowerCase();
    if (excluded.has(key) || /\.(com|co\.id|id|net|org)$/i.test(surface)) return;
    let c = names.get(key);
    if (c === undefined) {
      c = { surface: new Map(), score: 0, count: 0, firstPos: position, isName: true, inTitle: false };
      names.set(key, c);
    }
    c.surface.set(surface, (c.surface.get(surface) ?? 0) + 1);
    c.count += 1;
  };
  const addWord = (w: Word, position: number): void => {
    const key = w.wordKey;
    if (key === null) return;
    let c = words.get(key);
    if (c === undefined) {
      c = { surface: new Map(), score: 0, count: 0, firstPos: position, isName: false, inTitle: false };
      words.set(key, c);
    }
    c.surface.set(w.lower, (c.surface.get(w.lower) ?? 0) + 1);
    c.count += 1;
  };

  // Body text: runs of capitalised words are names, other content words count by stem. (Positions
  // only grow, so a candidate's first position is where it was created.)
  const scan = (toks: Tokens): void => {
    const run: Word[] = [];
    let runStart = 0;
    let runAtSentenceStart = false;
    const flush = (): void => {
      // Trim joiners and function words at the end ("Korea dan" -> "Korea").
      while (run.length > 0 && ((run[run.length - 1] as Word).joiner || (run[run.length - 1] as Word).stopword)) run.pop();
      // One capitalised word opening a sentence ("Penolakan") is a name only if it is capitalised elsewhere too.
      if (run.length === 1 && runAtSentenceStart && capitalMidSentence[(run[0] as Word).lowerId] !== 1) {
        addWord(run[0] as Word, runStart);
      } else if (run.length > 0) {
        addName(run, runStart);
      }
      run.length = 0;
    };
    for (let k = 0; k < toks.words.length; k++) {
      if (toks.afterBreak[k] === 1) flush();
      const w = toks.words[k] as Word;
      const sentenceStart = toks.sentenceStart[k] === 1;
      const commonOpener = sentenceStart && lowerSeen[w.lowerId] === 1;
      if (w.cap && !w.notName && !commonOpener) {
        if (run.length === 0) {
          runStart = pos;
          runAtSentenceStart = sentenceStart;
        }
        run.push(w);
      } else if (run.length > 0 && (w.joiner || (w.cap && !sentenceStart && w.stopword && !w.notNameList))) {
        // "Departemen Luar Negeri", "Menteri Dalam Negeri": a capitalised function word inside a name.
        run.push(w);
      } else {
        flush();
        if (!w.cap || commonOpener) addWord(w, pos);
      }
      pos++;
    }
    flush();
  };

  for (const toks of docTokens) scan(toks);
  // Titles are often in Title Case, so capitals there say nothing: the title only marks candidates
  // the body already has (a name it contains, a word sharing a stem).
  const titleWords = tokens(title, vocab).words;
  const titleLower = ` ${titleWords.map((w) => w.lower).join(' ')} `;
  for (const [key, c] of names) if (titleLower.includes(` ${key} `)) c.inTitle = true;
  for (const w of titleWords) {
    const c = words.get(stem(w.lower));
    if (c !== undefined) c.inTitle = true;
  }

  // A shorter name inside a longer one ("Korea" in "Korea Utara", "Kim" in "Kim Jong Un") is folded
  // into the most frequent longer name that contains it. Longer names are found through their words.
  const byWord = new Map<string, string[]>();
  for (const key of names.keys()) {
    if (!key.includes(' ')) continue;
    for (const w of new Set(key.split(' '))) {
      const list = byWord.get(w);
      if (list === undefined) byWord.set(w, [key]);
      else list.push(key);
    }
  }
  const shortestFirst = [...names.keys()].sort((a, b) => a.length - b.length);
  for (const short of shortestFirst) {
    const c = names.get(short);
    if (c === undefined) continue;
    let host: string | undefined;
    let hostCount = -1;
    for (const long of byWord.get(short.split(' ')[0] ?? '') ?? []) {
      const h = names.get(long);
      if (h === undefined || long === short || long.length <= short.length || !` ${long} `.includes(` ${short} `)) continue;
      // "AS" said five times is not part of the one "Departemen Luar Negeri AS".
      if (h.count * 2 < c.count) continue;
      if (h.count > hostCount) [host, hostCount] = [long, h.count];
    }
    const h = host !== undefined ? names.get(host) : undefined;
    if (h !== undefined && h.count >= 1) {
      h.count += c.count * 0.5;
      h.inTitle ||= c.inTitle;
      names.delete(short);
    }
  }
  // A quoted speaker's name counts as mentioned once more ("Vedant Patel" said the key line).
  const speakers = (opts.speakers ?? []).filter((x): x is string => x !== null).map((x) => ` ${x.toLowerCase()} `);
  for (const [key, c] of names) if (key.includes(' ') && speakers.some((sp) => sp.includes(` ${key} `))) c.count += 1;
  // A name's words are not also counted as common words ("Utara" -> "utara").
  for (const key of names.keys()) for (const part of key.split(' ')) words.delete(stem(part));

  const scoreOf = (c: Candidate, text: string): number => {
    const position = 1 - Math.min(c.firstPos / totalTokens, 1) * 0.5;
    const lengthBonus = c.isName && c.count >= 2 ? 1 + 0.35 * Math.min(countWords(text) - 1, 2) : 1;
    // Derived verbs ("mengutuk", "dibeli") say less about the subject than nouns do.
    const verbish = !c.isName && /^(me|di|ber|ter)/.test(text) && stem(text) !== text ? 0.6 : 1;
    return (Math.log2(1 + c.count) + (c.inTitle ? 1.5 : 0)) * position * lengthBonus * (c.isName ? 1.25 : 1) * verbish;
  };
  const ranked: { text: string; score: number; isName: boolean }[] = [];
  for (const c of names.values()) {
    if (c.count < 1) continue;
    const text = best(c);
    ranked.push({ text, score: scoreOf(c, text), isName: true });
  }
  for (const c of words.values()) {
    if (c.count < 2) continue;
    const text = best(c);
    ranked.push({ text, score: scoreOf(c, text), isName: false });
  }
  ranked.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text));

  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of ranked) {
    const key = r.text.toLowerCase();
    if (seen.has(key)) continue;
    // A single-mention name that is not in the title is weak evidence: keep it only to reach `min`.
    out.push(r.text);
    seen.add(key);
    if (out.length >= max) break;
  }
  if (out.length < min) {
    for (const c of words.values()) {
      const t = best(c);
      if (!seen.has(t.toLowerCase())) {
        out.push(t);
        seen.add(t.toLowerCase());
      }
      if (out.length >= min) break;
    }
  }
  return out;
}

function best(c: Candidate): string {
  let top = '';
  let n = -1;
  for (const [s, k] of c.surface) if (k > n) [top, n] = [s, k];
  return top;
}

function countWords(s: string): number {
  return s.split(' ').length;
}
