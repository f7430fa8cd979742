/**
 * Extractive summaries of Indonesian news articles.
 *
 * News puts the facts first, so the score of a sentence is a position prior plus content signals:
 *  - position: a decaying prior over the sentence's rank among the usable sentences;
 *  - centrality: TF-IDF cosine of the sentence to the rest of the article (terms are stemmed
 *    content words; IDF from the article's own sentences);
 *  - title overlap: the share of the title's terms the sentence contains;
 *  - shape: penalties for very short or very long sentences, for sentences that are fragments of a
 *    longer quotation (a dangling quote mark), and for sentences that open with a quotation.
 * Sentences are then picked greedily with MMR (score minus similarity to what is already
 * picked), and returned in article order. Boilerplate ("Baca juga", "(*)", promo, share and
 * photo-credit lines, source lines, URLs), questions and sentences under four words are never
 * picked. The dateline marker ("PYONGYANG, TRIBUNAMBON.COM -", "Jakarta, CNN Indonesia --") is
 * taken off the first sentence, a trailing "(*)" or agency code ("(ant)") and stray " ." are
 * cleaned. Deterministic: ties go to the earlier sentence.
 *
 * Cost: linear in the text for splitting and terms, quadratic only in the number of candidate
 * sentences, which is capped ({@link MAX_SENTENCES}); text past {@link MAX_CHARS} is not read.
 */
import type { Article } from './article-types.js';
import { type Codes, SPACE, codeAt, unitClass } from './text/chars.js';
import { sentenceSpans } from './text/sentences.js';
import { Lexicon } from './text/lexicon.js';
import { termIds } from './text/tokenize.js';

export interface SummaryOptions {
  /** Number of sentences; default from the article's length (2 for very short, 3, 4 for long). */
  sentences?: number;
  /** The article's word table, when the caller shares one between readers (readArticle does). */
  lexicon?: Lexicon;
}

export interface ParagraphSummaryOptions extends SummaryOptions {
  /** The article title, for title overlap. */
  title?: string;
  /**
   * The dateline marker that opens the first paragraph ("PYONGYANG, TRIBUNAMBON.COM -").
   * When absent, a dateline of the usual shapes is recognised and stripped anyway.
   */
  dateline?: string;
}

/** Tunable weights of the sentence score (exported for the evaluation scripts). */
export interface SummaryWeights {
  /** weight of the position prior */
  position: number;
  /** the prior is 1 / (1 + rank / positionScale) ** positionPower */
  positionScale: number;
  positionPower: number;
  /** weight of centrality (cosine to the rest of the article, scaled to the best sentence) */
  centrality: number;
  /** weight of title overlap */
  title: number;
  /** MMR redundancy penalty */
  redundancy: number;
  /** cosine to a picked sentence above which a sentence is a duplicate and never picked */
  duplicate: number;
  /** penalty for a sentence opening with a quotation mark */
  quoteOpen: number;
  /** penalty for a sentence with an unbalanced quotation mark (piece of a longer quote) */
  quoteFragment: number;
  /** words under which a sentence is penalised as short, and the penalty */
  shortWords: number;
  shortPenalty: number;
  /** words above which a sentence is penalised as long, and the penalty per extra word */
  longWords: number;
  longPenalty: number;
}

/**
 * Defaults tuned on the even-indexed half of IndoSum dev.01 and checked on the odd half
 * (eval/summary.ts); the title weight was checked with the URL slug standing in for the title.
 */
export const DEFAULT_WEIGHTS: SummaryWeights = {
  position: 1,
  positionScale: 0.5,
  positionPower: 0.5,
  centrality: 0.1,
  title: 0.1,
  redundancy: 0.1,
  duplicate: 0.8,
  quoteOpen: 0.1,
  quoteFragment: 0.1,
  shortWords: 12,
  shortPenalty: 0.3,
  longWords: 30,
  longPenalty: 0.01,
};

/** Candidate sentences considered at most (the rest of a very long text is not scored). */
export const MAX_SENTENCES = 150;
/** Characters of body text read at most. */
export const MAX_CHARS = 100_000;

/** Summarizes an Article: its paragraphs, title and dateline marker. */
export function summarize(article: Article, opts: SummaryOptions = {}): string[] {
  const o: ParagraphSummaryOptions = { title: article.title };
  if (article.dateline?.marker !== undefined) o.dateline = article.dateline.marker;
  if (opts.sentences !== undefined) o.sentences = opts.sentences;
  if (opts.lexicon !== undefined) o.lexicon = opts.lexicon;
  return summarizeParagraphs(article.paragraphs, o);
}

/** Summarizes body paragraphs; sentences come back in article order, cleaned. */
export function summarizeParagraphs(paragraphs: readonly string[], opts: ParagraphSummaryOptions = {}): string[] {
  return summarizeWith(paragraphs, opts, DEFAULT_WEIGHTS);
}

interface Candidate {
  /** order in the article */
  order: number;
  /** the sentence as split (cleaned only when returned) */
  text: string;
  /** where it is: paragraph text (as read) and range */
  source: string;
  start: number;
  end: number;
  /**
   * content terms (stems), as ids of the lexicon's store (see termIds): terms[termFrom, termTo)
   * of the reading's terms (one array for all sentences)
   */
  termFrom: number;
  termTo: number;
  wordCount: number;
  boilerplate: boolean;
}

/** The summarizer with explicit weights (for evaluation and tuning). */
export function summarizeWith(paragraphs: readonly string[], opts: ParagraphSummaryOptions, weights: SummaryWeights): string[] {
  const lexicon = opts.lexicon ?? new Lexicon();
  const terms: number[] = [];
  const candidates = collectCandidates(paragraphs, opts.dateline, lexicon, terms);
  const usable = candidates.filter((c) => !c.boilerplate);
  if (usable.length === 0) return [];
  const totalWords = usable.reduce((n, c) => n + c.wordCount, 0);
  const want = Math.max(1, Math.min(usable.length, opts.sentences ?? defaultLength(usable.length, totalWords)));
  const picked = usable.length <= want ? usable : rank(usable, terms, opts.title, weights, want, lexicon);
  return picked
    .sort((a, b) => a.order - b.order)
    .map((c) => cleanSentence(c.text))
    .filter((t) => t.length > 0);
}

/** 2 sentences for very short articles, 3 for most, 4 for long ones. */
function defaultLength(sentences: number, totalWords: number): number {
  if (sentences <= 5 || totalWords < 150) return 2;
  if (sentences >= 30 && totalWords >= 900) return 4;
  return 3;
}

// ---------------------------------------------------------------------------------------------
// candidates

/** The candidate sentences; their terms are appended to `terms`. */
function collectCandidates(paragraphs: readonly string[], marker: string | undefined, lexicon: Lexicon, terms: number[]): Candidate[] {
  const out: Candidate[] = [];
  let budget = MAX_CHARS;
  for (let pi = 0; pi < paragraphs.length && out.length < MAX_SENTENCES && budget > 0; pi++) {
    let para = paragraphs[pi] ?? '';
    let truncated = false;
    if (para.length > budget) {
      para = para.slice(0, budget);
      truncated = true;
    }
    budget -= para.length;
    if (out.length === 0) {
      const whole = para;
      para = stripDateline(para, marker);
      // (the other readers read the whole paragraph: its words are looked up once for all)
      if (para !== whole) lexicon.textWithin(para, whole);
    }
    // (an inline link opens with a bracket: most paragraphs have none)
    if (para.includes('(') || para.includes('[')) para = para.replace(INLINE_LINK_RE, ' ');
    const codes = lexicon.codes(para);
    const spans = sentenceSpans(para, codes);
    // A boilerplate phrase inside a sentence is inside its paragraph: most paragraphs are clean.
    const clean = !BOILERPLATE_ANYWHERE.test(para);
    if (truncated && spans.length > 2) spans.length -= 2; // a sentence cut in half
    for (let k = 0; k < spans.length; k += 2) {
      if (out.length >= MAX_SENTENCES) break;
      const start = spans[k] as number;
      const end = spans[k + 1] as number;
      const text = para.slice(start, end);
      const termFrom = terms.length;
      const wordCount = termIds(lexicon, para, start, end, terms);
      out.push({ order: out.length, text, source: para, start, end, termFrom, termTo: terms.length, wordCount, boilerplate: isBoilerplate(text, codes, start, end, wordCount, clean) });
    }
  }
  return out;
}

const DASHES = new Set(['-', '–', '—']);
const DOMAIN_RE = /[A-Za-z0-9][A-Za-z0-9-]*\.(?:com|co\.id|co|id|net|org|news|tv)\b/i;

/**
 * Removes a dateline marker from the start of the first paragraph: the given marker, or one of
 * the usual shapes ("PLACE, OUTLET.COM -", "Place, CNN Indonesia --", "Place (ANTARA News) -",
 * "Outlet.com-", "INGGRIS -", "Jakarta -").
 */
export function stripDateline(text: string, marker?: string): string {
  const t = text.trimStart();
  if (marker !== undefined && marker.length > 0 && t.startsWith(marker)) return t.slice(marker.length).trimStart();
  // the first dash within the opening 90 characters
  const head = t.slice(0, 90);
  let dash = -1;
  for (let i = 1; i < head.length; i++) {
    if (DASHES.has(head[i] as string)) {
      dash = i;
      break;
    }
  }
  if (dash < 0) return t;
  const prefix = head.slice(0, dash).trim();
  if (prefix.length === 0 || /[!?"“”]/.test(prefix)) return t;
  const spaced = head[dash - 1] === ' ' || head[dash + 1] === ' ';
  // the end of the marker: the dash(es) and the spaces around them
  let end = dash + 1;
  while (end < t.length && (t[end] === ' ' || DASHES.has(t[end] as string))) end++;
  const rest = t.slice(end);
  if (rest.length === 0 || !/^[\p{Lu}\p{N}"“'‘(]/u.test(rest)) return t;

  const words = prefix.split(/\s+/);
  const hasDomain = DOMAIN_RE.test(prefix);
  const hasParen = /\([^)]{2,30}\)$/.test(prefix);
  const allCaps = /^[\p{Lu}\s,.()]+$/u.test(prefix) && /\p{Lu}{3}/u.test(prefix);
  // "Place, Outlet": a comma with at most 4 words after it
  const comma = prefix.indexOf(',');
  const placeOutlet = comma > 0 && prefix.slice(comma + 1).trim().split(/\s+/).length <= 4 && /^\p{Lu}/u.test(prefix) && words.length <= 7;
  if (prefix.includes('.') && !hasDomain) return t; // a sentence ended before the dash
  if (hasDomain || hasParen || allCaps) return words.length <= 7 ? rest : t;
  if (spaced && placeOutlet) return rest;
  if (spaced && words.length === 1 && /^\p{Lu}\p{Ll}+$/u.test(prefix)) return rest; // "Jakarta - "
  return t;
}

/** An inline "(Baca juga: ...)" / "[Lihat juga ...]" inside a paragraph. */
const INLINE_LINK_RE = /[([]\s*(?:baca|lihat|simak|tonton) juga\b[^)\]\n]{0,200}[)\]]/gi;

/** Trailing codes: "(*)", "(ant)", "(rls/dtk)", "[PageSix.com]" after the final punctuation. */
const TRAILING_CODE_RE = /([.!?"”’])\s*[([][\w*/.,&+ -]{1,24}[)\]]\s*$/u;

/** Cleans a sentence for display: trailing agency codes, stray spaces before punctuation. */
export function cleanSentence(s: string): string {
  // (each replacement runs only where it can match: most sentences need none of them)
  let t = singleSpaced(s) ? s.trim() : s.replace(/\s+/g, ' ').trim();
  if (t.startsWith('(*)')) t = t.replace(/^\(\*\)\s*/, '');
  for (let i = 0; i < 2; i++) if (t.endsWith(')') || t.endsWith(']')) t = t.replace(TRAILING_CODE_RE, '$1');
  t = t.replace(/(\S)\s+([.,;:!?])(?=\s|$)/g, '$1$2');
  if (t.endsWith('.') && doubledStop(t)) t = t.replace(/([.!?])(?:\s*\.)+$/, '$1');
  return t.trim();
}

/** Whether `s` has no white space but single spaces (\s+ -> " " would change nothing). */
function singleSpaced(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = codeAt(s, i);
    if (c === 32 ? isSpaceCode(codeAt(s, i + 1)) : isSpaceCode(c)) return false;
  }
  return true;
}

function isSpaceCode(c: number): boolean {
  return c === c && (unitClass(c) & SPACE) !== 0;
}

/** For `t` ending with ".": whether [.!?] comes before that final "." (spaces between), as /([.!?])(?:\s*\.)+$/ needs. */
function doubledStop(t: string): boolean {
  let i = t.length - 2;
  while (i >= 0 && isSpaceCode(codeAt(t, i))) i--;
  const c = codeAt(t, i);
  return c === 46 || c === 33 || c === 63;
}

const BOILERPLATE_START =
  /^(?:baca(?:[\s_]+juga)?\s*[:_-]|baca_juga|lihat juga|simak(?: juga| video| berita)|tonton(?: juga| video)|saksikan(?: juga| video)|ikuti(?: kami| berita| terus| update)|follow (?:us|kami)|editor\s*:|penulis\s*:|reporter\s*:|pewarta\s*:|penyunting\s*:|sumber\s*:|foto\s*:|keterangan foto|klik (?:di )?(?:sini|link)|download|unduh aplikasi|dapatkan (?:update|berita|informasi)|advertisement|scroll to|berita terkait|artikel terkait|halaman selanjutnya|copyright|hak cipta|©)/i;
const BOILERPLATE_ANYWHERE =
  /(?:https?:\/\/|www\.|bit\.ly\/|all rights? reserved|adalah portal berita|bisa menjadi member|dilarang mengutip|gabung (?:di )?grup|join (?:our )?channel|(?:share|bagikan) (?:artikel|berita) ini)/i;

/**
 * Whether the sentence text (codes[start, end) of its paragraph) is boilerplate; `clean` when its
 * paragraph holds no {@link BOILERPLATE_ANYWHERE} phrase (then no sentence of it does).
 */
function isBoilerplate(text: string, codes: Codes, start: number, end: number, wordCount: number, clean: boolean): boolean {
  if (wordCount < 4) return true;
  if (BOILERPLATE_START.test(text) || (!clean && BOILERPLATE_ANYWHERE.test(text))) return true;
  // bracketed source lines ("[PageSix.com]"), photo credits "(Foto: ...)"
  if (/^[([].*[)\]]\.?$/.test(text)) return true;
  if (/^\(?(?:foto|photo|ilustrasi|dok)\b/i.test(text)) return true;
  // a question is not a summary: "?" then only closing quotes and brackets (" ” ’ ))
  let i = end - 1;
  while (i >= start && (codes[i] === 0x22 || codes[i] === 0x201d || codes[i] === 0x2019 || codes[i] === 0x29)) i--;
  if (i >= start && codes[i] === 0x3f) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// scoring

/** Quotation marks of text[start, end): whether it opens with one, whether they are unbalanced. */
function quoteBalance(text: string, start: number, end: number): { opens: boolean; unbalanced: boolean } {
  const straight = occurrences(text, '"', start, end);
  const open = occurrences(text, '“', start, end);
  const close = occurrences(text, '”', start, end);
  const first = start < end ? text.charCodeAt(start) : NaN;
  const opens = first === 0x22 || first === 0x201c || first === 0x27 || first === 0x2018;
  return { opens, unbalanced: straight % 2 === 1 || open !== close };
}

/** How often `ch` occurs in text[start, end) (found by indexOf: most sentences have no quotation mark). */
function occurrences(text: string, ch: string, start: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf(ch, start); i >= 0 && i < end; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * The sentences' sparse TF-IDF vectors, stored flat: sentence i has the entries from[i] to
 * from[i + 1] of `ids` (ascending) and `xs` (weights), and the norm norms[i].
 */
interface Vectors {
  ids: Int32Array;
  xs: Float64Array;
  from: Int32Array;
  norms: Float64Array;
}

/**
 * Working arrays of {@link rank}, kept from one ranking to the next and grown when too small: a
 * ranking needs about fifteen arrays, and making them anew each time was a tenth of its cost.
 * (rank never runs inside another ranking: what it calls does not rank, so one set serves all.)
 */
class Scratch {
  private readonly ints: Int32Array[] = [];
  private readonly floats: Float64Array[] = [];

  /** Integer array number `slot`, of length n at least, its first n entries set to `fill`. */
  int(slot: number, n: number, fill = 0): Int32Array {
    let a = this.ints[slot];
    if (a === undefined || a.length < n) {
      a = new Int32Array(Math.max(n, 2 * (a?.length ?? 32)));
      this.ints[slot] = a;
    }
    a.fill(fill, 0, n);
    return a;
  }

  private stamps = new Int32Array(1024);
  private locals = new Int32Array(1024);
  private stamp = 0;

  /**
   * Arrays over the store's ids (`size` of them at least) for numbering terms, with a stamp new
   * to this ranking: an entry is valid where stampOf holds the stamp.
   */
  termNumbering(size: number): { stampOf: Int32Array; localOf: Int32Array; stamp: number } {
    if (this.stamps.length < size || this.stamp === 0x7fffffff) {
      this.stamps = new Int32Array(Math.max(size, 2 * this.stamps.length));
      this.locals = new Int32Array(this.stamps.length);
      this.stamp = 0;
    }
    return { stampOf: this.stamps, localOf: this.locals, stamp: ++this.stamp };
  }

  /** Float array number `slot`, of length n at least, its first n entries 0. */
  float(slot: number, n: number): Float64Array {
    let a = this.floats[slot];
    if (a === undefined || a.length < n) {
      a = new Float64Array(Math.max(n, 2 * (a?.length ?? 32)));
      this.floats[slot] = a;
    }
    a.fill(0, 0, n);
    return a;
  }
}

const scratch = new Scratch();

/** Sorts a short list of integers in place, ascending. */
function sortInts(a: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const x = a[i] as number;
    let j = i - 1;
    while (j >= from && (a[j] as number) > x) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = x;
  }
}

function rank(cands: Candidate[], terms: readonly number[], title: string | undefined, w: SummaryWeights, want: number, lexicon: Lexicon): Candidate[] {
  const n = cands.length;
  // number terms in order of first occurrence in these sentences; document frequency
  // (by the store id of the term, its number here: localOf[id], valid where stampOf[id] is this
  // ranking's stamp; arrays over the whole store, never cleared)
  // Sentence i has the terms sentIds[sentFrom[i], sentFrom[i + 1]), ascending.
  let nTerms = 0;
  let total = 0;
  for (const c of cands) total += c.termTo - c.termFrom;
  const { stampOf, localOf, stamp } = scratch.termNumbering(lexicon.store.size);
  const sentIds = scratch.int(0, total);
  const sentFrom = scratch.int(1, n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const c = cands[i] as Candidate;
    sentFrom[i] = at;
    for (let k = c.termFrom; k < c.termTo; k++) {
      const t = terms[k] as number;
      let id: number;
      if (stampOf[t] === stamp) id = localOf[t] as number;
      else {
        id = nTerms++;
        stampOf[t] = stamp;
        localOf[t] = id;
      }
      sentIds[at++] = id;
    }
    sortInts(sentIds, sentFrom[i] as number, at);
  }
  sentFrom[n] = at;
  const df = scratch.int(2, nTerms);
  for (let i = 0; i < n; i++) {
    for (let k = sentFrom[i] as number, end = sentFrom[i + 1] as number; k < end; k++) if (k === sentFrom[i] || sentIds[k] !== sentIds[k - 1]) df[sentIds[k] as number]!++;
  }
  // (a document frequency is 1..n: one logarithm per value, not per term)
  const idfOf = scratch.float(0, n + 1);
  for (let f = 1; f <= n; f++) idfOf[f] = Math.log(1 + n / f);
  const idf = scratch.float(1, nTerms);
  for (let t = 0; t < nTerms; t++) idf[t] = idfOf[df[t] as number] as number;

  // sentence vectors and the article vector
  const doc = scratch.float(2, nTerms);
  const vec: Vectors = { ids: scratch.int(3, total), xs: scratch.float(3, total), from: scratch.int(4, n + 1), norms: scratch.float(4, n) };
  let m = 0;
  for (let i = 0; i < n; i++) {
    const start = m;
    for (let k = sentFrom[i] as number, end = sentFrom[i + 1] as number; k < end; k++) {
      const id = sentIds[k] as number;
      if (k > (sentFrom[i] as number) && id === sentIds[k - 1]) vec.xs[m - 1]! += idf[id] as number;
      else {
        vec.ids[m] = id;
        vec.xs[m] = idf[id] as number;
        m++;
      }
    }
    let sq = 0;
    for (let k = start; k < m; k++) {
      const x = vec.xs[k] as number;
      sq += x * x;
      doc[vec.ids[k] as number]! += x;
    }
    vec.from[i] = start;
    vec.norms[i] = Math.sqrt(sq);
  }
  vec.from[n] = m;

  // centrality: cosine of each sentence to the article without it
  let docSq = 0;
  for (let t = 0; t < nTerms; t++) docSq += (doc[t] as number) ** 2;
  const central = scratch.float(5, n);
  let maxCentral = 1e-9;
  for (let i = 0; i < n; i++) {
    let dot = 0;
    let selfSq = 0;
    for (let k = vec.from[i] as number, end = vec.from[i + 1] as number; k < end; k++) {
      const x = vec.xs[k] as number;
      const d = doc[vec.ids[k] as number] as number;
      dot += x * (d - x);
      selfSq += x * (2 * d - x);
    }
    const norm = vec.norms[i] as number;
    const restNorm = Math.sqrt(Math.max(0, docSq - selfSq));
    const c = norm > 0 && restNorm > 0 ? dot / (norm * restNorm) : 0;
    central[i] = c;
    if (c > maxCentral) maxCentral = c;
  }

  // title overlap, weighted by IDF (title terms absent from the article count in the mass)
  const titleIds: number[] = [];
  let titleMass = 0;
  if (title !== undefined) {
    const titleTerms: number[] = [];
    termIds(lexicon, title, 0, title.length, titleTerms);
    for (const t of new Set(titleTerms)) {
      // (a title word new to the store has an id past the arrays)
      const id = t < stampOf.length && stampOf[t] === stamp ? (localOf[t] as number) : -1;
      if (id < 0) titleMass += Math.log(1 + 2 * n);
      else {
        titleIds.push(id);
        titleMass += idf[id] as number;
      }
    }
  }

  const scores = scratch.float(6, n);
  for (let i = 0; i < n; i++) {
    const c = cands[i] as Candidate;
    const prior = 1 / (1 + i / w.positionScale) ** w.positionPower;
    let s = w.position * prior + w.centrality * ((central[i] as number) / maxCentral);
    if (titleMass > 0 && titleIds.length > 0) {
      let hit = 0;
      for (const id of titleIds) if (hasId(vec.ids, vec.from[i] as number, vec.from[i + 1] as number, id)) hit += idf[id] as number;
      s += w.title * (hit / titleMass);
    }
    const q = quoteBalance(c.source, c.start, c.end);
    if (q.opens) s -= w.quoteOpen;
    if (q.unbalanced) s -= w.quoteFragment;
    if (c.wordCount < w.shortWords) s -= w.shortPenalty * (1 - c.wordCount / w.shortWords);
    if (c.wordCount > w.longWords) s -= w.longPenalty * (c.wordCount - w.longWords);
    scores[i] = s;
  }

  // MMR: greedy, each pick penalised by its similarity to the sentences already picked
  const chosen: number[] = [];
  const taken = scratch.int(5, n);
  const maxSim = scratch.float(7, n);
  const dense = scratch.float(8, nTerms);
  while (chosen.length < want) {
    let best = -1;
    let bestVal = -Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i] === 1 || (maxSim[i] as number) > w.duplicate) continue;
      const val = (scores[i] as number) - w.redundancy * (maxSim[i] as number);
      if (val > bestVal) {
        bestVal = val;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    taken[best] = 1;
    const bestNorm = vec.norms[best] as number;
    if (bestNorm === 0) continue;
    const bFrom = vec.from[best] as number;
    const bTo = vec.from[best + 1] as number;
    for (let k = bFrom; k < bTo; k++) dense[vec.ids[k] as number] = vec.xs[k] as number;
    for (let i = 0; i < n; i++) {
      const norm = vec.norms[i] as number;
      if (taken[i] === 1 || norm === 0) continue;
      let dot = 0;
      for (let k = vec.from[i] as number, end = vec.from[i + 1] as number; k < end; k++) dot += (vec.xs[k] as number) * (dense[vec.ids[k] as number] as number);
      const sim = dot / (norm * bestNorm);
      if (sim > (maxSim[i] as number)) maxSim[i] = sim;
    }
    for (let k = bFrom; k < bTo; k++) dense[vec.ids[k] as number] = 0;
  }
  return chosen.map((i) => cands[i] as Candidate);
}

/** Whether the ascending ids[from..to) hold `id`. */
function hasId(ids: Int32Array, from: number, to: number, id: number): boolean {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = ids[mid] as number;
    if (x === id) return true;
    if (x < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
