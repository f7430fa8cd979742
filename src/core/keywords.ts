/**
 * Keywords: 5-10 terms that say what an article is about, names and noun phrases before single
 * common words ("Korea Utara", "Vedant Patel", "senjata").
 */
import type { Article } from './article-types.js';
import { STOPWORDS, stem } from './text/index.js';

export interface KeywordOptions {
  /** At most this many keywords (default 8, capped at 10). */
  max?: number;
  /** At least this many when the text allows (default 5). */
  min?: number;
  /** Speakers of the article's key quotes: who speaks is part of what the story is about. */
  speakers?: readonly (string | null)[];
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

const TOKEN_RE = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;

interface Candidate {
  surface: Map<string, number>;
  score: number;
  count: number;
  firstPos: number;
  isName: boolean;
  inTitle: boolean;
}

function isCapitalised(word: string): boolean {
  const first = word.charAt(0);
  return first !== first.toLowerCase() && first === first.toUpperCase();
}

function cleanToken(raw: string): string {
  return raw.replace(/[.'’-]+$/u, '');
}

/** Splits text into sentences cheaply: enough to know which capitalised word opens a sentence. */
function sentenceStarts(text: string): Set<number> {
  const starts = new Set<number>([0]);
  const re = /[.!?…]["”’)]*\s+/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) starts.add(m.index + m[0].length);
  const quoteRe = /["“]/gu;
  while ((m = quoteRe.exec(text)) !== null) starts.add(m.index + 1);
  return starts;
}

interface Tok {
  word: string;
  index: number;
  sentenceStart: boolean;
  /** Punctuation (not just space) stands between this token and the previous one. */
  afterBreak: boolean;
}

function tokens(text: string): Tok[] {
  const starts = sentenceStarts(text);
  const out: Tok[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  let prevEnd = 0;
  while ((m = TOKEN_RE.exec(text)) !== null) {
    const word = cleanToken(m[0]);
    const gap = text.slice(prevEnd, m.index);
    prevEnd = m.index + m[0].length;
    if (word === '') continue;
    out.push({ word, index: m.index, sentenceStart: starts.has(m.index), afterBreak: /[^\s]/u.test(gap) || word.length < m[0].length });
  }
  return out;
}

function stripDateline(paragraph: string, marker: string | undefined): string {
  return marker !== undefined && paragraph.startsWith(marker) ? paragraph.slice(marker.length) : paragraph;
}

/** The 5-10 keywords of an article, most telling first. */
export function extractKeywords(article: Article, opts: KeywordOptions = {}): string[] {
  const max = Math.min(Math.max(opts.max ?? 8, 1), 10);
  const min = Math.min(opts.min ?? 5, max);
  const body = article.paragraphs.map((p, i) => (i === 0 ? stripDateline(p, article.dateline?.marker) : p));
  return keywordsFromText(article.title, body, { max, min, exclude: [article.siteName, article.dateline?.outlet], speakers: opts.speakers ?? [] });
}

/** Lower-level entry: title and body paragraphs in, keywords out. */
export function keywordsFromText(
  title: string,
  paragraphs: readonly string[],
  opts: { max?: number; min?: number; exclude?: readonly (string | undefined)[]; speakers?: readonly (string | null)[] } = {},
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

  const lowerSeen = new Set<string>();
  const capitalMidSentence = new Set<string>();
  const docTokens = texts.map((t) => tokens(t));
  for (const toks of docTokens) {
    for (const t of toks) {
      if (!isCapitalised(t.word)) lowerSeen.add(t.word.toLowerCase());
      else if (!t.sentenceStart) capitalMidSentence.add(t.word.toLowerCase());
    }
  }

  const names = new Map<string, Candidate>();
  const words = new Map<string, Candidate>();
  let pos = 0;
  const totalTokens = docTokens.reduce((n, t) => n + t.length, 0) || 1;

  const addName = (parts: string[], position: number, weight: number, inTitle: boolean): void => {
    const surface = parts.join(' ');
    const key = surface.toLowerCase();
    if (excluded.has(key) || /\.(com|co\.id|id|net|org)$/i.test(surface)) return;
    const c = names.get(key) ?? { surface: new Map(), score: 0, count: 0, firstPos: position, isName: true, inTitle: false };
    c.surface.set(surface, (c.surface.get(surface) ?? 0) + 1);
    c.count += weight;
    c.inTitle ||= inTitle;
    c.firstPos = Math.min(c.firstPos, position);
    names.set(key, c);
  };
  const addWord = (word: string, position: number, weight: number, inTitle: boolean): void => {
    const lower = word.toLowerCase();
    if (lower.length < 4 || STOPWORDS.has(lower) || /^\p{N}/u.test(lower) || NOT_NAMES.has(lower)) return;
    const key = stem(lower);
    if (key.length < 3) return;
    const c = words.get(key) ?? { surface: new Map(), score: 0, count: 0, firstPos: position, isName: false, inTitle: false };
    c.surface.set(lower, (c.surface.get(lower) ?? 0) + 1);
    c.count += weight;
    c.inTitle ||= inTitle;
    c.firstPos = Math.min(c.firstPos, position);
    words.set(key, c);
  };

  const scan = (toks: Tok[], inTitle: boolean, weight: number): void => {
    let run: string[] = [];
    let runStart = 0;
    let runAtSentenceStart = false;
    const flush = (): void => {
      // Trim joiners and function words at the end ("Korea dan" -> "Korea").
      while (run.length > 0 && (NAME_JOINERS.has((run[run.length - 1] ?? '').toLowerCase()) || STOPWORDS.has((run[run.length - 1] ?? '').toLowerCase()))) run.pop();
      // One capitalised word opening a sentence ("Penolakan") is a name only if it is capitalised elsewhere too.
      if (run.length === 1 && runAtSentenceStart && !capitalMidSentence.has((run[0] ?? '').toLowerCase())) {
        addWord(run[0] ?? '', runStart, weight, inTitle);
      } else if (run.length > 0) {
        addName(run, runStart, weight, inTitle);
      }
      run = [];
    };
    for (const t of toks) {
      if (t.afterBreak) flush();
      const lower = t.word.toLowerCase();
      const cap = isCapitalised(t.word) && !/^\p{N}/u.test(t.word);
      const notName = NOT_NAMES.has(lower) || STOPWORDS.has(lower);
      const commonOpener = (t.sentenceStart || inTitle) && lowerSeen.has(lower);
      if (cap && !notName && !commonOpener) {
        if (run.length === 0) {
          runStart = pos;
          runAtSentenceStart = t.sentenceStart;
        }
        run.push(t.word);
      } else if (run.length > 0 && (NAME_JOINERS.has(lower) || (cap && !t.sentenceStart && STOPWORDS.has(lower) && !NOT_NAMES.has(lower)))) {
        // "Departemen Luar Negeri", "Menteri Dalam Negeri": a capitalised function word inside a name.
        run.push(t.word);
      } else {
        flush();
        if (!cap || commonOpener) addWord(t.word, pos, weight, inTitle);
      }
      pos++;
    }
    flush();
  };

  for (const toks of docTokens) scan(toks, false, 1);
  // Titles are often in Title Case, so capitals there say nothing: the title only marks candidates
  // the body already has (a name it contains, a word sharing a stem).
  const titleLower = ` ${tokens(title).map((t) => t.word.toLowerCase()).join(' ')} `;
  for (const [key, c] of names) if (titleLower.includes(` ${key} `)) c.inTitle = true;
  for (const t of tokens(title)) {
    const c = words.get(stem(t.word.toLowerCase()));
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
