/**
 * Extraction quality on the 9 shared Indonesian news pages (../shared/data/pages), scored the way
 * the ScrapingHub article-extraction-benchmark scores article bodies:
 *
 *  - tokens are runs of word characters (here Unicode-aware: letters, digits, underscore), case kept;
 *  - each text becomes a multiset of word 4-grams ("shingles"; a text of fewer than 4 tokens is one
 *    shingle of all its tokens);
 *  - per page, TP/FP/FN are counted over shingles and normalised by their sum, precision and recall
 *    are computed from them (a page with nothing expected and nothing predicted scores 1);
 *  - precision and recall are averaged over pages, and F1 is taken from the two averages.
 *
 * Readability.js over jsdom (the benchmark's reference JavaScript extractor) is measured in the
 * same run on the same pages. Titles are compared exactly; dates to the day in Asia/Jakarta.
 */
import { readFileSync, existsSync } from 'node:fs';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { htmlToArticle } from '../src/core/article.js';
import { decodeHtmlBytes } from '../src/core/charset.js';
import { isRingkasError } from '../src/core/errors.js';
import { sharedDataPath } from './shared.js';
import { table } from './table.js';

export interface GroundTruthPage {
  url: string;
  title: string;
  /** Publication time, ms since the epoch. */
  date?: number;
  img?: string;
  /** Body paragraphs joined by "\n". */
  content: string;
  source?: string;
  local_path?: string;
}

export interface PageScore {
  file: string;
  precision: number;
  recall: number;
  titleExact: boolean;
  /** undefined when the ground truth gives no date. */
  dateRight?: boolean;
  ms: number;
  error?: string;
}

export interface Row {
  system: string;
  pages: number;
  precision: number;
  recall: number;
  f1: number;
  titlesExact: number;
  datesRight: number;
  /** Pages whose ground truth gives a date. */
  datesTotal: number;
  /** Median over pages of the per-page extraction time (each page's median of the timed runs). */
  medianMs: number;
  perPage: PageScore[];
}

interface Extracted {
  body: string;
  title?: string;
  publishedAt?: string;
}

type Extractor = (html: string, url: string) => Extracted;

// --- the metric ---------------------------------------------------------------------------------

const TOKEN = /[\p{L}\p{N}_]+/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function shingles(text: string, n = 4): Map<string, number> {
  const tokens = tokenize(text);
  const counts = new Map<string, number>();
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const gram = tokens.slice(i, i + n);
    if (gram.length === 0) continue;
    const key = gram.join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Normalised TP, FP, FN of predicted vs expected shingles. */
export function shingleMatch(expected: string, predicted: string): { tp: number; fp: number; fn: number } {
  const want = shingles(expected);
  const got = shingles(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(key) ?? 0;
    const g = got.get(key) ?? 0;
    tp += Math.min(w, g);
    fp += Math.max(0, g - w);
    fn += Math.max(0, w - g);
  }
  const sum = tp + fp + fn;
  return sum > 0 ? { tp: tp / sum, fp: fp / sum, fn: fn / sum } : { tp, fp, fn };
}

export function precisionOf(m: { tp: number; fp: number; fn: number }): number {
  if (m.fp === 0 && m.fn === 0) return 1;
  if (m.tp === 0 && m.fp === 0) return 0;
  return m.tp / (m.tp + m.fp);
}

export function recallOf(m: { tp: number; fp: number; fn: number }): number {
  if (m.fp === 0 && m.fn === 0) return 1;
  if (m.tp === 0 && m.fn === 0) return 0;
  return m.tp / (m.tp + m.fn);
}

/** Calendar day of an instant in Asia/Jakarta (UTC+7, no daylight saving). */
export function jakartaDay(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

// --- the systems --------------------------------------------------------------------------------

const ringkas: Extractor = (html, url) => {
  const a = htmlToArticle(html, { url });
  return { body: a.paragraphs.join('\n'), title: a.title, ...(a.publishedAt !== undefined ? { publishedAt: a.publishedAt } : {}) };
};

const readabilityJsdom: Extractor = (html, url) => {
  const dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  const r = new Readability(dom.window.document).parse();
  dom.window.close();
  const out: Extracted = { body: r?.textContent ?? '' };
  if (r?.title !== null && r?.title !== undefined) out.title = r.title;
  if (r?.publishedTime !== null && r?.publishedTime !== undefined) out.publishedAt = r.publishedTime;
  return out;
};

// --- the run ------------------------------------------------------------------------------------

export interface LoadedPage {
  file: string;
  html: string;
  truth: GroundTruthPage;
}

/** The shared pages with their ground truth, decoded as a browser would; null without shared data. */
export function loadPages(): LoadedPage[] | null {
  const truthPath = sharedDataPath('pages', 'ground-truth.json');
  if (!existsSync(truthPath)) return null;
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, GroundTruthPage>;
  return Object.entries(truth).map(([file, t]) => {
    const bytes = new Uint8Array(readFileSync(sharedDataPath('pages', t.local_path ?? `html/${file}`)));
    return { file, html: decodeHtmlBytes(bytes).text, truth: t };
  });
}

function measure(system: string, extract: Extractor, pages: readonly LoadedPage[], runs: number): Row {
  // One untimed pass warms the JIT for both systems alike.
  for (const p of pages) {
    try {
      extract(p.html, p.truth.url);
    } catch {
      // scored below
    }
  }
  const perPage: PageScore[] = [];
  for (const p of pages) {
    const times: number[] = [];
    let out: Extracted = { body: '' };
    let error: string | undefined;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      try {
        out = extract(p.html, p.truth.url);
      } catch (e) {
        error = isRingkasError(e) ? e.code : e instanceof Error ? e.message : String(e);
      }
      times.push(performance.now() - t0);
    }
    const m = shingleMatch(p.truth.content, out.body);
    const score: PageScore = {
      file: p.file,
      precision: precisionOf(m),
      recall: recallOf(m),
      titleExact: out.title === p.truth.title,
      ms: median(times),
    };
    if (p.truth.date !== undefined) {
      const got = out.publishedAt !== undefined ? Date.parse(out.publishedAt) : Number.NaN;
      score.dateRight = !Number.isNaN(got) && jakartaDay(got) === jakartaDay(p.truth.date);
    }
    if (error !== undefined) score.error = error;
    perPage.push(score);
  }
  const precision = perPage.reduce((s, p) => s + p.precision, 0) / Math.max(1, perPage.length);
  const recall = perPage.reduce((s, p) => s + p.recall, 0) / Math.max(1, perPage.length);
  return {
    system,
    pages: perPage.length,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    titlesExact: perPage.filter((p) => p.titleExact).length,
    datesRight: perPage.filter((p) => p.dateRight === true).length,
    datesTotal: perPage.filter((p) => p.dateRight !== undefined).length,
    medianMs: median(perPage.map((p) => p.ms)),
    perPage,
  };
}

/** Ringkas and Readability.js + jsdom on the shared pages; null when ../shared is absent. */
export async function evalExtraction(opts: { runs?: number } = {}): Promise<Row[] | null> {
  const pages = loadPages();
  if (pages === null) return null;
  const runs = opts.runs ?? 3;
  return [
    measure('Ringkas', ringkas, pages, runs),
    measure('Readability.js + jsdom', readabilityJsdom, pages, runs),
  ];
}

/** The rows as a table, plus each system's per-page scores. */
export function formatExtraction(rows: readonly Row[]): string {
  const head = table(
    ['extraction (9 shared pages)', 'F1', 'P', 'R', 'titles', 'dates', 'median ms'],
    rows.map((r) => [r.system, r.f1, r.precision, r.recall, `${r.titlesExact}/${r.pages}`, `${r.datesRight}/${r.datesTotal}`, r.medianMs]),
  );
  const detail = rows.map((r) =>
    table(
      [r.system, 'P', 'R', 'title', 'date', 'ms'],
      r.perPage.map((p) => [p.file, p.precision, p.recall, p.titleExact ? 'ok' : 'x', p.dateRight === undefined ? '-' : p.dateRight ? 'ok' : 'x', p.ms]),
    ),
  );
  return [head, ...detail].join('\n\n');
}
