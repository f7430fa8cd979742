/**
 * Keywords: 5-10 terms that say what an article is about, names and noun phrases before single
 * common words ("Korea Utara", "Vedant Patel", "senjata").
 */
import type { Article } from './article-types.js';
import { CAPITAL, type Codes, SPACE, unitClass } from './text/chars.js';
import { Lexicon } from './text/lexicon.js';
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
  /** The forms it was written in, each once in order of first use, and how often each. */
  surfaces: string[];
  surfaceCounts: number[];
  count: number;
  firstPos: number;
  isName: boolean;
  inTitle: boolean;
}

function newCandidate(firstPos: number, isName: boolean): Candidate {
  return { surfaces: [], surfaceCounts: [], count: 0, firstPos, isName, inTitle: false };
}

/** One more mention of a candidate, written `surface`. */
function count(c: Candidate, surface: string): void {
  const i = c.surfaces.indexOf(surface);
  if (i < 0) {
    c.surfaces.push(surface);
    c.surfaceCounts.push(1);
  } else c.surfaceCounts[i]!++;
  c.count += 1;
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
}

const STARTS_WITH_NUMBER = /^\p{N}/u;

function wordInfo(word: string): Word {
  const lower = word.toLowerCase();
  const capitalised = (unitClass(word.charCodeAt(0)) & CAPITAL) !== 0;
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
  };
}

/** The words of some texts, in order: their reading numbers and where they stand. */
interface Tokens {
  /** Reading number of each word (see text/lexicon.ts). */
  ids: number[];
  /** Per word: {@link SENTENCE_START} and {@link AFTER_BREAK}. */
  flags: number[];
  /** Where each text's words end in `ids`. */
  ends: number[];
}

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

/** Appends the words of `text` to `out` (tokens of text/scan.ts nextKeywordToken, trailing joiners cut). */
function tokenize(text: string, lexicon: Lexicon, out: Tokens): void {
  const t = lexicon.text(text);
  const codes = t.codes;
  const span = { start: 0, end: 0 };
  let prevEnd = 0;
  for (let at = 0; nextKeywordToken(codes, at, span); at = span.end) {
    const { start, end } = span;
    let cut = end;
    while (isTrailingJoiner(codes[cut - 1] as number)) cut--;
    let afterBreak = cut < end;
    for (let k = prevEnd; k < start && !afterBreak; k++) if ((unitClass(codes[k] as number) & SPACE) === 0) afterBreak = true;
    prevEnd = end;
    out.ids.push(t.intern(start, cut));
    out.flags.push((opensSentence(codes, start) ? SENTENCE_START : 0) | (afterBreak ? AFTER_BREAK : 0));
  }
  out.ends.push(out.ids.length);
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
  const info = lexicon.values(wordInfo);
  const body: Tokens = { ids: [], flags: [], ends: [] };
  for (const t of texts) tokenize(t, lexicon, body);
  const n = body.ids.length;
  // Lowercase forms (by reading number) seen in lowercase, and seen capitalised inside a sentence.
  const lowerIds: number[] = [];
  const lowerOf = new Array<number>(lexicon.size).fill(-1);
  for (let k = 0; k < n; k++) {
    const id = body.ids[k] as number;
    let l = lowerOf[id] as number;
    if (l < 0) {
      l = lexicon.internString(info.get(id).lower);
      lowerOf[id] = l;
    }
    lowerIds.push(l);
  }
  const lowerSeen = new Array<number>(lexicon.size).fill(0);
  const capitalMidSentence = new Array<number>(lexicon.size).fill(0);
  for (let k = 0; k < n; k++) {
    const w = info.get(body.ids[k] as number);
    const l = lowerIds[k] as number;
    if (!w.capitalised) lowerSeen[l] = 1;
    else if (((body.flags[k] as number) & SENTENCE_START) === 0) capitalMidSentence[l] = 1;
  }

  const names = new Map<string, Candidate>();
  const words = new Map<string, Candidate>();
  const totalTokens = n || 1;

  /** The name made of tokens [from, to). */
  const addName = (from: number, to: number): void => {
    let surface = info.get(body.ids[from] as number).word;
    for (let r = from + 1; r < to; r++) surface += ' ' + info.get(body.ids[r] as number).word;
    const position = from;
    const key = surface.toLowerCase();
    if (excluded.has(key) || /\.(com|co\.id|id|net|org)$/i.test(surface)) return;
    let c = names.get(key);
    if (c === undefined) {
      c = newCandidate(position, true);
      names.set(key, c);
    }
    count(c, surface);
  };
  const addWord = (w: Word, position: number): void => {
    const key = w.wordKey;
    if (key === null) return;
    let c = words.get(key);
    if (c === undefined) {
      c = newCandidate(position, false);
      words.set(key, c);
    }
    count(c, w.lower);
  };

  // Body text: runs of capitalised words are names, other content words count by stem; each text
  // is scanned on its own. A run is a range of consecutive tokens, [runFrom, runTo). (Positions
  // are token indexes: they only grow, so a candidate's first position is where it was created.)
  let runFrom = 0;
  let runTo = 0;
  let runAtSentenceStart = false;
  const flush = (): void => {
    // Trim joiners and function words at the end ("Korea dan" -> "Korea").
    while (runTo > runFrom) {
      const last = info.get(body.ids[runTo - 1] as number);
      if (!last.joiner && !last.stopword) break;
      runTo--;
    }
    // One capitalised word opening a sentence ("Penolakan") is a name only if it is capitalised elsewhere too.
    if (runTo - runFrom === 1 && runAtSentenceStart && capitalMidSentence[lowerIds[runFrom] as number] !== 1) {
      addWord(info.get(body.ids[runFrom] as number), runFrom);
    } else if (runTo > runFrom) {
      addName(runFrom, runTo);
    }
    runFrom = runTo;
  };
  let from = 0;
  for (const to of body.ends) {
    for (let k = from; k < to; k++) {
      const flags = body.flags[k] as number;
      if ((flags & AFTER_BREAK) !== 0) flush();
      const w = info.get(body.ids[k] as number);
      const sentenceStart = (flags & SENTENCE_START) !== 0;
      const commonOpener = sentenceStart && lowerSeen[lowerIds[k] as number] === 1;
      if (w.cap && !w.notName && !commonOpener) {
        if (runTo === runFrom) {
          runFrom = runTo = k;
          runAtSentenceStart = sentenceStart;
        }
        runTo++;
      } else if (runTo > runFrom && (w.joiner || (w.cap && !sentenceStart && w.stopword && !w.notNameList))) {
        // "Departemen Luar Negeri", "Menteri Dalam Negeri": a capitalised function word inside a name.
        runTo++;
      } else {
        flush();
        if (!w.cap || commonOpener) addWord(w, k);
      }
    }
    flush();
    from = to;
  }

  // Titles are often in Title Case, so capitals there say nothing: the title only marks candidates
  // the body already has (a name it contains, a word sharing a stem).
  const titleToks: Tokens = { ids: [], flags: [], ends: [] };
  tokenize(title, lexicon, titleToks);
  const titleWords = titleToks.ids.map((id) => info.get(id));
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

/** The form a candidate was most often written in (the first of equals). */
function best(c: Candidate): string {
  let top = '';
  let n = -1;
  for (let i = 0; i < c.surfaces.length; i++) {
    const k = c.surfaceCounts[i] as number;
    if (k > n) {
      top = c.surfaces[i] as string;
      n = k;
    }
  }
  return top;
}

function countWords(s: string): number {
  return s.split(' ').length;
}
