/**
 * Keywords: 5-10 terms that say what an article is about, names and noun phrases before single
 * common words ("Korea Utara", "Vedant Patel", "senjata").
 */
import type { Article } from './article-types.js';
import { CAPITAL, type Codes, SPACE, codeAt, unitClass } from './text/chars.js';
import { Lexicon, type WordStore } from './text/lexicon.js';
import { nextKeywordToken } from './text/scan.js';
import { STOPWORDS } from './text/stopwords.js';
import { stem } from './text/stem.js';

export interface KeywordOptions {
  /** At most this many keywords (default 8, capped at 10). */
  max?: number;
  /** At least this many when the text allows (default 5). */
  min?: number;
  /** Speakers of the article's key quotes: who speaks is part of what the story is about. */
  speakers?: readonly (string | null)[] | undefined;
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

/** A name or a common word that may become a keyword. */
interface Candidate<S> {
  /** The forms it was written in, each once in order of first use, and how often each. */
  surfaces: S[];
  surfaceCounts: number[];
  count: number;
  firstPos: number;
  isName: boolean;
  inTitle: boolean;
}

/** A name: its surfaces are as written ("Korea Utara"). */
interface Name extends Candidate<string> {
  /** Its words, lowercase ("korea", "utara"), and the store ids of their stems. */
  parts: string[];
  stems: number[];
}

/** A common word, counted by stem: its surfaces are store ids of lowercase forms. */
type Common = Candidate<number>;

/** One more mention of a candidate, written `surface`. */
function count<S>(c: Candidate<S>, surface: S): void {
  const i = c.surfaces.indexOf(surface);
  if (i < 0) {
    c.surfaces.push(surface);
    c.surfaceCounts.push(1);
  } else c.surfaceCounts[i]!++;
  c.count += 1;
}

/** First character is a capital (see chars.ts CAPITAL). */
const CAPITALISED = 1;
/** Capitalised and not a number ("Ⅻ" is both). */
const CAP = 2;
/** A day, month, honorific, ... or a stopword: never part of a name. */
const NOT_NAME = 4;
/** In NOT_NAMES. */
const NOT_NAME_LIST = 8;
const STOPWORD = 16;
/** A word joining parts of a name ("bin", "van"). */
const JOINER = 32;
/** Ends like a domain ("Kompas.com"): a name ending with it is an outlet, not a keyword. */
const DOMAIN = 64;

const STARTS_WITH_NUMBER = /^\p{N}/u;

/**
 * What the picker needs to know about one surface form, the word as written with trailing
 * joiners cut ("Korea", "anti-DPRK"): a pure function of it, packed in the word store as
 * [{@link CAPITALISED} | {@link CAP} | ..., store id of its lowercase, store id of its stem,
 * store id of the key it counts under as a common word (its stem) or -1 when it never counts].
 */
function wordFacts(word: string, store: WordStore): readonly number[] {
  const lower = word.toLowerCase();
  const capitalised = (unitClass(word.charCodeAt(0)) & CAPITAL) !== 0;
  const stopword = STOPWORDS.has(lower);
  const notNameList = NOT_NAMES.has(lower);
  const stemmed = stem(lower);
  const stemId = store.internString(stemmed);
  let wordKey = -1;
  if (!(lower.length < 4 || stopword || STARTS_WITH_NUMBER.test(lower) || notNameList) && stemmed.length >= 3) wordKey = stemId;
  let bits = 0;
  if (capitalised) bits |= CAPITALISED;
  if (capitalised && !STARTS_WITH_NUMBER.test(word)) bits |= CAP;
  if (notNameList || stopword) bits |= NOT_NAME;
  if (notNameList) bits |= NOT_NAME_LIST;
  if (stopword) bits |= STOPWORD;
  if (NAME_JOINERS.has(lower)) bits |= JOINER;
  if (/\.(com|co\.id|id|net|org)$/i.test(word)) bits |= DOMAIN;
  return [bits, store.internString(lower), stemId, wordKey];
}

/** Derived verbs ("mengutuk", "dibeli") say less about the subject than nouns do. */
function derivedVerb(lower: string): boolean {
  return /^(me|di|ber|ter)/.test(lower) && stem(lower) !== lower;
}

/**
 * The words of the texts being read, in order, one column per thing known about them (index k
 * is the k-th word). One set of columns serves every reading, grown when a longer text comes:
 * an article then costs no arrays of its own per word. (Reading fills them from the start, and
 * nothing keeps them across calls.)
 */
class Columns {
  /** Words written so far. */
  n = 0;
  /** Reading number of each word (see text/lexicon.ts). */
  ids = new Int32Array(1024);
  /** {@link SENTENCE_START} and {@link AFTER_BREAK}. */
  flags = new Int32Array(1024);
  /** What the word is ({@link wordFacts}): its bits, and store ids of its lowercase, its stem and its key. */
  bits = new Int32Array(1024);
  lower = new Int32Array(1024);
  stem = new Int32Array(1024);
  key = new Int32Array(1024);
  /** Reading number of its lowercase form. */
  lowerIds = new Int32Array(1024);
  /** By reading number of a lowercase form: {@link SEEN_LOWER} | {@link SEEN_CAPITAL_MID}. */
  seen = new Uint8Array(1024);

  /** Makes room for `n` words. */
  reserve(n: number): void {
    if (n <= this.ids.length) return;
    const size = Math.max(n, this.ids.length * 2);
    this.ids = grownTo(this.ids, size);
    this.flags = grownTo(this.flags, size);
    this.bits = grownTo(this.bits, size);
    this.lower = grownTo(this.lower, size);
    this.stem = grownTo(this.stem, size);
    this.key = grownTo(this.key, size);
    this.lowerIds = grownTo(this.lowerIds, size);
  }

  /** Clears {@link seen} for reading numbers below `n`. */
  clearSeen(n: number): void {
    if (n > this.seen.length) this.seen = new Uint8Array(Math.max(n, this.seen.length * 2));
    else this.seen.fill(0, 0, n);
  }
}

function grownTo(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

const columns = new Columns();

/**
 * The common words of a reading by the store id of their stem, in order of first use, as a Map
 * would keep them, found through arrays over the store's ids (an entry is valid where its stamp
 * is the reading's): a reading looks a word up some 230 times. One table, reused: keywordsFromText
 * does not call itself.
 */
class StemTable {
  private slotOf = new Int32Array(1024);
  private stampOf = new Int32Array(1024);
  private stamp = 0;
  /** The words in order of first use; a deleted one leaves null. */
  list: (Common | null)[] = [];

  /** Empties the table for a reading of a store with `size` forms. */
  reset(size: number): void {
    if (this.stampOf.length < size || this.stamp === 0x7fffffff) this.grow(size, true);
    this.stamp++;
    this.list = [];
  }

  get(id: number): Common | undefined {
    if (id >= this.stampOf.length || this.stampOf[id] !== this.stamp) return undefined;
    return this.list[this.slotOf[id] as number] ?? undefined;
  }

  /** Adds the word of stem `id` (not in the table). */
  set(id: number, c: Common): void {
    // (a stem interned during the reading can be newer than the table)
    if (id >= this.stampOf.length) this.grow(id + 1, false);
    this.stampOf[id] = this.stamp;
    this.slotOf[id] = this.list.length;
    this.list.push(c);
  }

  delete(id: number): void {
    if (id >= this.stampOf.length || this.stampOf[id] !== this.stamp) return;
    this.list[this.slotOf[id] as number] = null;
    this.stampOf[id] = 0;
  }

  private grow(size: number, fresh: boolean): void {
    const n = Math.max(size, 2 * this.stampOf.length);
    const stampOf = new Int32Array(n);
    const slotOf = new Int32Array(n);
    if (!fresh) {
      stampOf.set(this.stampOf);
      slotOf.set(this.slotOf);
    } else this.stamp = 0;
    this.stampOf = stampOf;
    this.slotOf = slotOf;
  }
}

const stemTable = new StemTable();

/** The lowercase form is written in lowercase somewhere. */
const SEEN_LOWER = 1;
/** The lowercase form is written capitalised inside a sentence somewhere. */
const SEEN_CAPITAL_MID = 2;

/** The word opens a sentence (or follows an opening quote). */
const SENTENCE_START = 1;
/** Punctuation (not just space) stands between this word and the previous one. */
const AFTER_BREAK = 2;

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
function opensSentence(codes: Codes, i: number): boolean {
  if (i === 0) return true;
  const prev = codes[i - 1] as number;
  if (prev === QUOTE || prev === LEFT_QUOTE) return true;
  if ((unitClass(prev) & SPACE) === 0) return false;
  let j = i - 2;
  while (j >= 0 && (unitClass(codes[j] as number) & SPACE) !== 0) j--;
  while (j >= 0 && isCloser(codes[j] as number)) j--;
  return j >= 0 && isTerminator(codes[j] as number);
}

/** Whether a character ends a token only to be cut from it: . ' ’ - */
function isTrailingJoiner(c: number): boolean {
  return c === 46 || c === 39 || c === 0x2019 || c === 45;
}

/**
 * Appends the words of `text` to `out` (ids and flags; tokens of text/scan.ts nextKeywordToken,
 * trailing joiners cut).
 */
function tokenize(text: string, lexicon: Lexicon, out: Columns): void {
  const t = lexicon.text(text);
  const codes = t.codes;
  const span = { start: 0, end: 0 };
  let prevEnd = 0;
  // (a word takes one character at least, and one more to end it)
  out.reserve(out.n + (codes.length >> 1) + 1);
  const ids = out.ids;
  const flags = out.flags;
  let n = out.n;
  for (let at = 0; nextKeywordToken(codes, at, span); at = span.end) {
    const start = span.start;
    const end = span.end;
    let cut = end;
    while (isTrailingJoiner(codes[cut - 1] as number)) cut--;
    let afterBreak = cut < end;
    for (let k = prevEnd; k < start && !afterBreak; k++) if ((unitClass(codes[k] as number) & SPACE) === 0) afterBreak = true;
    prevEnd = end;
    ids[n] = t.intern(start, cut);
    flags[n] = (opensSentence(codes, start) ? SENTENCE_START : 0) | (afterBreak ? AFTER_BREAK : 0);
    n++;
  }
  out.n = n;
}

function stripDateline(paragraph: string, marker: string | undefined): string {
  return marker !== undefined && paragraph.startsWith(marker) ? paragraph.slice(marker.length) : paragraph;
}

/** The 5-10 keywords of an article, most telling first. */
export function extractKeywords(article: Article, opts: KeywordOptions = {}): string[] {
  const max = Math.min(Math.max(opts.max ?? 8, 1), 10);
  const min = Math.min(opts.min ?? 5, max);
  const body = article.paragraphs.map((p, i) => (i === 0 ? stripDateline(p, article.dateline?.marker) : p));
  // (the quotes read the whole first paragraph: its words are looked up once for both)
  const first = article.paragraphs[0];
  if (opts.lexicon !== undefined && first !== undefined && body[0] !== first) opts.lexicon.textWithin(body[0] as string, first);
  const exclude = [article.siteName, article.dateline?.outlet];
  // (speakers stay undefined when there are none: see spacedLowercase)
  const o: { max: number; min: number; exclude: (string | undefined)[]; speakers: readonly (string | null)[] | undefined; lexicon?: Lexicon } = { max, min, exclude, speakers: opts.speakers };
  if (opts.lexicon !== undefined) o.lexicon = opts.lexicon;
  return keywordsFromText(article.title, body, o);
}

/** Lower-level entry: title and body paragraphs in, keywords out. */
export function keywordsFromText(
  title: string,
  paragraphs: readonly string[],
  opts: { max?: number; min?: number; exclude?: readonly (string | undefined)[]; speakers?: readonly (string | null)[] | undefined; lexicon?: Lexicon } = {},
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
  const store = lexicon.store;
  const facts = lexicon.facts(wordFacts, 4);
  const body = columns;
  body.n = 0;
  // where each text's words end
  const ends: number[] = [];
  for (const t of texts) {
    tokenize(t, lexicon, body);
    ends.push(body.n);
  }
  const n = body.n;
  // What each token is (see wordFacts), and the reading number of its lowercase form.
  const { ids, bits: bitsOf, lower: lowerOf, stem: stemOf, key: keyOf, lowerIds } = body;
  for (let k = 0; k < n; k++) {
    const id = ids[k] as number;
    const row = facts.row(id);
    const data = facts.data;
    const lower = data[row + 1] as number;
    bitsOf[k] = data[row] as number;
    lowerOf[k] = lower;
    stemOf[k] = data[row + 2] as number;
    keyOf[k] = data[row + 3] as number;
    // (most words are written in lowercase: their lowercase form is themselves)
    lowerIds[k] = lower === lexicon.storeId(id) ? id : lexicon.number(lower);
  }
  // Lowercase forms (by reading number) seen in lowercase, and seen capitalised inside a sentence.
  body.clearSeen(lexicon.size);
  const seenAs = body.seen;
  const flagsOf = body.flags;
  for (let k = 0; k < n; k++) {
    const l = lowerIds[k] as number;
    if (((bitsOf[k] as number) & CAPITALISED) === 0) seenAs[l]! |= SEEN_LOWER;
    else if (((flagsOf[k] as number) & SENTENCE_START) === 0) seenAs[l]! |= SEEN_CAPITAL_MID;
  }

  const names = new Map<string, Name>();
  /** By the store id of their stem. */
  const words = stemTable;
  words.reset(store.size);
  const totalTokens = n || 1;

  /** The name made of tokens [from, to). */
  const addName = (from: number, to: number): void => {
    // (the surface ends with the last word, and the pattern of a domain has no space)
    if (((bitsOf[to - 1] as number) & DOMAIN) !== 0) return;
    // The key is the surface in lowercase: the words' lowercase forms (lowercasing never makes nor
    // takes a space), kept in the store, so that a one-word name costs no new string.
    let surface = lexicon.form(ids[from] as number);
    let key = store.forms[lowerOf[from] as number] as string;
    for (let r = from + 1; r < to; r++) {
      surface += ' ' + lexicon.form(ids[r] as number);
      key += ' ' + (store.forms[lowerOf[r] as number] as string);
    }
    const position = from;
    if (excluded.size > 0 && excluded.has(key)) return;
    const c = names.get(key);
    if (c === undefined) {
      // (arrays made at their size: most candidates are met once or twice, and an array grown by
      // push takes room for 16 entries at once)
      const parts = new Array<string>(to - from);
      const stems = new Array<number>(to - from);
      for (let r = from; r < to; r++) {
        parts[r - from] = store.forms[lowerOf[r] as number] as string;
        stems[r - from] = stemOf[r] as number;
      }
      names.set(key, { surfaces: [surface], surfaceCounts: [1], count: 1, firstPos: position, isName: true, inTitle: false, parts, stems });
    } else count(c, surface);
  };
  /** The common word at token k. */
  const addWord = (k: number): void => {
    const key = keyOf[k] as number;
    if (key < 0) return;
    const c = words.get(key);
    if (c === undefined) words.set(key, { surfaces: [lowerOf[k] as number], surfaceCounts: [1], count: 1, firstPos: k, isName: false, inTitle: false });
    else count(c, lowerOf[k] as number);
  };

  // Body text: runs of capitalised words are names, other content words count by stem; each text
  // is scanned on its own. A run is a range of consecutive tokens, [runFrom, runTo). (Positions
  // are token indexes: they only grow, so a candidate's first position is where it was created.)
  let runFrom = 0;
  let runTo = 0;
  let runAtSentenceStart = false;
  const flush = (): void => {
    // Trim joiners and function words at the end ("Korea dan" -> "Korea").
    while (runTo > runFrom && ((bitsOf[runTo - 1] as number) & (JOINER | STOPWORD)) !== 0) runTo--;
    // One capitalised word opening a sentence ("Penolakan") is a name only if it is capitalised elsewhere too.
    if (runTo - runFrom === 1 && runAtSentenceStart && ((seenAs[lowerIds[runFrom] as number] as number) & SEEN_CAPITAL_MID) === 0) {
      addWord(runFrom);
    } else if (runTo > runFrom) {
      addName(runFrom, runTo);
    }
    runFrom = runTo;
  };
  let from = 0;
  for (const to of ends) {
    for (let k = from; k < to; k++) {
      const flags = flagsOf[k] as number;
      if ((flags & AFTER_BREAK) !== 0) flush();
      const bits = bitsOf[k] as number;
      const sentenceStart = (flags & SENTENCE_START) !== 0;
      const commonOpener = sentenceStart && ((seenAs[lowerIds[k] as number] as number) & SEEN_LOWER) !== 0;
      if ((bits & (CAP | NOT_NAME)) === CAP && !commonOpener) {
        if (runTo === runFrom) {
          runFrom = runTo = k;
          runAtSentenceStart = sentenceStart;
        }
        runTo++;
      } else if (runTo > runFrom && ((bits & JOINER) !== 0 || ((bits & (CAP | STOPWORD | NOT_NAME_LIST)) === (CAP | STOPWORD) && !sentenceStart))) {
        // "Departemen Luar Negeri", "Menteri Dalam Negeri": a capitalised function word inside a name.
        runTo++;
      } else {
        flush();
        if ((bits & CAP) === 0 || commonOpener) addWord(k);
      }
    }
    flush();
    from = to;
  }

  // Titles are often in Title Case, so capitals there say nothing: the title only marks candidates
  // the body already has (a name it contains, a word sharing a stem).
  // (the title's words go after the body's in the columns)
  tokenize(title, lexicon, body);
  if (body.n > n) {
    const lowers: string[] = [];
    const stems: number[] = [];
    for (let k = n; k < body.n; k++) {
      const row = facts.row(body.ids[k] as number);
      lowers.push(store.forms[facts.data[row + 1] as number] as string);
      stems.push(facts.data[row + 2] as number);
    }
    const titleLower = ` ${lowers.join(' ')} `;
    for (const [key, c] of names) if (titleLower.includes(` ${key} `)) c.inTitle = true;
    for (const s of stems) {
      const c = words.get(s);
      if (c !== undefined) c.inTitle = true;
    }
  }

  // A shorter name inside a longer one ("Korea" in "Korea Utara", "Kim" in "Kim Jong Un") is folded
  // into the most frequent longer name that contains it. Longer names are found through their words.
  const byWord = new Map<string, string[]>();
  for (const [key, c] of names) {
    if (c.parts.length < 2) continue;
    const parts = c.parts;
    for (let j = 0; j < parts.length; j++) {
      const w = parts[j] as string;
      if (parts.indexOf(w) !== j) continue; // (each word once)
      const list = byWord.get(w);
      if (list === undefined) byWord.set(w, [key]);
      else list.push(key);
    }
  }
  if (byWord.size > 0) {
    // (only a name whose first word is in a longer name can fold)
    const shortestFirst: string[] = [];
    for (const [key, c] of names) if (byWord.has(c.parts[0] ?? '')) shortestFirst.push(key);
    // (shortest first, keeping the order of equals: what a stable sort by length gives, without a comparator per pair)
    for (let i = 1; i < shortestFirst.length; i++) {
      const x = shortestFirst[i] as string;
      let j = i;
      while (j > 0 && (shortestFirst[j - 1] as string).length > x.length) {
        shortestFirst[j] = shortestFirst[j - 1] as string;
        j--;
      }
      shortestFirst[j] = x;
    }
    for (const short of shortestFirst) {
      const c = names.get(short);
      if (c === undefined) continue;
      const longs = byWord.get(c.parts[0] ?? '');
      if (longs === undefined) continue;
      let host: Name | undefined;
      let hostCount = -1;
      for (const long of longs) {
        const h = names.get(long);
        if (h === undefined || long === short || long.length <= short.length || !containsWords(long, short)) continue;
        // "AS" said five times is not part of the one "Departemen Luar Negeri AS".
        if (h.count * 2 < c.count) continue;
        if (h.count > hostCount) [host, hostCount] = [h, h.count];
      }
      if (host !== undefined && host.count >= 1) {
        host.count += c.count * 0.5;
        host.inTitle ||= c.inTitle;
        names.delete(short);
      }
    }
  }
  // A quoted speaker's name counts as mentioned once more ("Vedant Patel" said the key line).
  const speakers = spacedLowercase(opts.speakers);
  if (speakers.length > 0) {
    for (const [key, c] of names) {
      if (c.parts.length < 2) continue;
      const spaced = ` ${key} `;
      for (const sp of speakers) {
        if (sp.includes(spaced)) {
          c.count += 1;
          break;
        }
      }
    }
  }
  // A name's words are not also counted as common words ("Utara" -> "utara").
  for (const c of names.values()) for (const s of c.stems) words.delete(s);

  /** (`words`: how many words the candidate has; a name's surfaces all have one per part) */
  const scoreOf = (c: Candidate<unknown>, words: number, verbish: boolean): number => {
    const position = 1 - Math.min(c.firstPos / totalTokens, 1) * 0.5;
    const lengthBonus = c.isName && c.count >= 2 ? 1 + 0.35 * Math.min(words - 1, 2) : 1;
    return (Math.log2(1 + c.count) + (c.inTitle ? 1.5 : 0)) * position * lengthBonus * (c.isName ? 1.25 : 1) * (verbish ? 0.6 : 1);
  };
  const ranked: { text: string; score: number; isName: boolean }[] = [];
  for (const c of names.values()) {
    if (c.count < 1) continue;
    const text = c.surfaces[best(c)] as string;
    ranked.push({ text, score: scoreOf(c, c.parts.length, false), isName: true });
  }
  for (const c of words.list) {
    if (c === null || c.count < 2) continue;
    const id = c.surfaces[best(c)] as number;
    const text = store.forms[id] as string;
    ranked.push({ text, score: scoreOf(c, 1, store.value(derivedVerb, id)), isName: false });
  }
  sortRanked(ranked);

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
    for (const c of words.list) {
      if (c === null) continue;
      const t = store.forms[c.surfaces[best(c)] as number] as string;
      if (!seen.has(t.toLowerCase())) {
        out.push(t);
        seen.add(t.toLowerCase());
      }
      if (out.length >= min) break;
    }
  }
  return out;
}

/**
 * The speakers, lowercase between spaces (null ones left out). (A plain loop in a function of its
 * own: written inline in keywordsFromText, the filter and map it replaces made V8 bail out of
 * keywordsFromText's optimized code ("wrong map") on about one reading in ten of the bench, every
 * time, as code compiled for a long-running loop is entered again after such a bail-out; here a
 * bail-out costs this small function once. readArticle passes undefined rather than an empty list.)
 */
function spacedLowercase(given: readonly (string | null)[] | undefined): string[] {
  const out: string[] = [];
  if (given === undefined) return out;
  for (let i = 0; i < given.length; i++) {
    const x = given[i];
    if (typeof x === 'string') out.push(` ${x.toLowerCase()} `);
  }
  return out;
}

/**
 * Sorts candidates best first, equal scores by their text (localeCompare), equals kept in order:
 * what the stable `sort((a, b) => b.score - a.score || a.text.localeCompare(b.text))` gives, by
 * binary insertion with the comparison written out (a few dozen candidates an article).
 */
function sortRanked(ranked: { text: string; score: number }[]): void {
  for (let i = 1; i < ranked.length; i++) {
    const x = ranked[i] as { text: string; score: number };
    // the first place whose entry x goes before (after all its equals)
    let lo = 0;
    let hi = i;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = ranked[mid] as { text: string; score: number };
      const before = x.score !== m.score ? x.score > m.score : x.text.localeCompare(m.text) < 0;
      if (before) hi = mid;
      else lo = mid + 1;
    }
    for (let j = i; j > lo; j--) ranked[j] = ranked[j - 1] as { text: string; score: number };
    ranked[lo] = x;
  }
}

/** Whether `short` stands in `long` as whole words: ` ${long} `.includes(` ${short} `), without making the strings. */
function containsWords(long: string, short: string): boolean {
  const n = short.length;
  for (let p = long.indexOf(short); p >= 0; p = long.indexOf(short, p + 1)) {
    if ((p === 0 || codeAt(long, p - 1) === 32) && (p + n === long.length || codeAt(long, p + n) === 32)) return true;
  }
  return false;
}

/** Which of its forms a candidate was most often written in (the first of equals). */
function best(c: Candidate<unknown>): number {
  let top = 0;
  let n = -1;
  for (let i = 0; i < c.surfaces.length; i++) {
    const k = c.surfaceCounts[i] as number;
    if (k > n) {
      top = i;
      n = k;
    }
  }
  return top;
}

