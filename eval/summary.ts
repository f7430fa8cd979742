/**
 * Summary quality on IndoSum dev.01: ROUGE-1/2/L F1 (x100, averaged over articles) of
 * 3-sentence summaries against the human summaries, for Ringkas, LEAD-3 and the oracle.
 *
 * - Ringkas: `summarizeParagraphs` on the detokenized paragraphs, 3 sentences, no title (IndoSum
 *   has none; the id is a truncated slug and is not used).
 * - LEAD-3: the first 3 sentences of the dataset's own split, as published baselines do.
 * - LEAD-3 cleaned: the first 3 sentences Ringkas would consider (dateline stripped, boilerplate
 *   and questions skipped), to show how much of the gain is cleaning rather than selection.
 * - ORACLE: the sentences IndoSum labels as the extractive oracle.
 * Candidate and reference go through the same tokenizer and normalization (eval/rouge.ts).
 * `half` "a" is the even-indexed articles (used for tuning), "b" the odd-indexed ones.
 */
import { summarizeWith, DEFAULT_WEIGHTS, type SummaryWeights } from '../src/core/summarize.js';
import { loadIndoSum, type IndoSumArticle } from './indosum.js';
import { rouge, rougeTokenizeText, rougeTokens } from './rouge.js';

export interface Row {
  system: string;
  articles: number;
  r1: number;
  r2: number;
  rl: number;
}

export interface EvalSummaryOptions {
  /** IndoSum jsonl file; default ../shared/data/indosum/dev.01.jsonl */
  file?: string;
  /** "all" (default), "a" (even-indexed articles) or "b" (odd-indexed) */
  half?: 'all' | 'a' | 'b';
  /** weights to evaluate instead of the defaults (tuning) */
  weights?: SummaryWeights;
  /** sentences per summary (default 3) */
  sentences?: number;
}

type System = (a: IndoSumArticle) => string[];

/** Rows for Ringkas, LEAD-3, LEAD-3 cleaned and ORACLE; null when the data is absent. */
export async function evalSummary(opts: EvalSummaryOptions = {}): Promise<Row[] | null> {
  const data = opts.file !== undefined ? loadIndoSum(opts.file) : loadIndoSum();
  if (data === null) return null;
  const half = opts.half ?? 'all';
  const articles = data.filter((_, i) => half === 'all' || (half === 'a' ? i % 2 === 0 : i % 2 === 1));
  const k = opts.sentences ?? 3;
  const weights = opts.weights ?? DEFAULT_WEIGHTS;

  const systems: [string, System][] = [
    ['Ringkas', (a) => summarizeWith(a.paragraphs, { sentences: k }, weights)],
    ['LEAD-3', (a) => a.sentences.flat().slice(0, k)],
    ['LEAD-3 cleaned', (a) => summarizeWith(a.paragraphs, { sentences: k }, LEAD_ONLY)],
    ['ORACLE', (a) => a.sentences.flatMap((p, pi) => p.filter((_, si) => a.goldLabels[pi]?.[si] === true))],
  ];
  return systems.map(([name, system]) => scoreSystem(name, system, articles));
}

/** Weights that reduce Ringkas to "the first k usable sentences". */
const LEAD_ONLY: SummaryWeights = {
  ...DEFAULT_WEIGHTS,
  position: 1,
  centrality: 0,
  title: 0,
  redundancy: 0,
  quoteOpen: 0,
  quoteFragment: 0,
  shortPenalty: 0,
  longPenalty: 0,
};

function scoreSystem(name: string, system: System, articles: readonly IndoSumArticle[]): Row {
  let r1 = 0;
  let r2 = 0;
  let rl = 0;
  for (const a of articles) {
    const cand = rougeTokenizeText(system(a).join(' '));
    const ref = rougeTokens(a.summaryTokens.flat());
    const s = rouge(cand, ref);
    r1 += s.rouge1.f1;
    r2 += s.rouge2.f1;
    rl += s.rougeL.f1;
  }
  const n = Math.max(1, articles.length);
  return { system: name, articles: articles.length, r1: (100 * r1) / n, r2: (100 * r2) / n, rl: (100 * rl) / n };
}

/** Formats rows as a small fixed-width table. */
export function formatRows(rows: readonly Row[]): string {
  const lines = ['system            articles   R-1    R-2    R-L'];
  for (const r of rows) {
    lines.push(`${r.system.padEnd(18)}${String(r.articles).padStart(8)}  ${r.r1.toFixed(2).padStart(5)}  ${r.r2.toFixed(2).padStart(5)}  ${r.rl.toFixed(2).padStart(5)}`);
  }
  return lines.join('\n');
}
