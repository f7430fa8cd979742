/**
 * Scores src/core/quotes.ts against the hand-annotated set in test/fixtures/quotes/annotations.json
 * (the seed article, the 9 shared pages, 26 IndoSum dev articles; each document carries its own
 * paragraphs, so this needs nothing from ../shared).
 *
 * - A reported quote matches an annotated one when, after lowercasing and reducing punctuation to
 *   spaces, the reported text contains the annotated text (a prefix of >= 6 words or the whole
 *   quote), or the annotated text contains the reported one (>= 4 words). Matching is one-to-one.
 * - recall = matched annotated quotes / annotated quotes.
 * - precision = matched reported quotes / reported quotes, where a reported quote matching an
 *   `optional` (borderline) quote counts neither way.
 * - speaker accuracy = matched quotes whose speaker equals the annotated one, either containing
 *   the other, case-insensitively (null only matches null).
 * - notQuoteHits: reported quotes that are one of the document's `notQuotes` (scare quotes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractQuotes } from '../src/core/quotes.js';
import type { Quote } from '../src/core/article-types.js';
import { repoRoot } from './shared.js';
import { table } from './table.js';

export interface AnnotatedQuote {
  text: string;
  speaker: string | null;
}

export interface AnnotatedDocument {
  id: string;
  source: { file: string; id: string; outlet?: string };
  split: 'dev' | 'heldout';
  title: string;
  paragraphs: string[];
  quotes: AnnotatedQuote[];
  optional?: string[];
  notQuotes?: string[];
}

export interface Row {
  /** Which documents: all, dev (tuned on) or heldout. */
  split: 'all' | 'dev' | 'heldout';
  documents: number;
  /** Annotated key quotes. */
  gold: number;
  /** Reported quotes (optional matches excluded). */
  predicted: number;
  matched: number;
  recall: number;
  precision: number;
  speakerAccuracy: number;
  notQuoteHits: number;
  /** One line per miss, false alarm or wrong speaker, for reading. */
  problems: string[];
}

export const ANNOTATIONS_PATH = join(repoRoot, 'test', 'fixtures', 'quotes', 'annotations.json');

export function loadAnnotations(path = ANNOTATIONS_PATH): AnnotatedDocument[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { documents: AnnotatedDocument[] };
  return raw.documents;
}

export function normalizeForMatch(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

const words = (s: string): number => (s === '' ? 0 : s.split(' ').length);

export function quoteMatches(annotated: string, reported: string): boolean {
  const a = normalizeForMatch(annotated);
  const r = normalizeForMatch(reported);
  if (a === '' || r === '') return false;
  return r.includes(a) || (a.includes(r) && words(r) >= 4);
}

export function speakerMatches(annotated: string | null, reported: string | null): boolean {
  if (annotated === null || reported === null) return annotated === reported;
  const a = annotated.toLowerCase().replace(/\s+/g, ' ').trim();
  const r = reported.toLowerCase().replace(/\s+/g, ' ').trim();
  return a !== '' && r !== '' && (a.includes(r) || r.includes(a));
}

export interface DocumentResult {
  id: string;
  gold: number;
  predicted: number;
  matched: number;
  speakerOk: number;
  notQuoteHits: number;
  problems: string[];
}

/** Scores one document's reported quotes. */
export function scoreDocument(doc: AnnotatedDocument, reported: readonly Quote[]): DocumentResult {
  const used = new Set<number>();
  let predicted = 0;
  let matched = 0;
  let speakerOk = 0;
  let notQuoteHits = 0;
  const problems: string[] = [];
  for (const q of reported) {
    const gi = doc.quotes.findIndex((g, i) => !used.has(i) && quoteMatches(g.text, q.text));
    if (gi >= 0) {
      used.add(gi);
      predicted++;
      matched++;
      const g = doc.quotes[gi] as AnnotatedQuote;
      if (speakerMatches(g.speaker, q.speaker)) speakerOk++;
      else problems.push(`${doc.id}: speaker ${JSON.stringify(q.speaker)} != ${JSON.stringify(g.speaker)} for "${g.text.slice(0, 60)}"`);
      continue;
    }
    if ((doc.optional ?? []).some((o) => quoteMatches(o, q.text))) continue;
    predicted++;
    const nq = (doc.notQuotes ?? []).find((n) => normalizeForMatch(n) === normalizeForMatch(q.text));
    if (nq !== undefined) notQuoteHits++;
    problems.push(`${doc.id}: false alarm${nq !== undefined ? ' (a notQuote)' : ''} "${q.text.slice(0, 80)}" (${JSON.stringify(q.speaker)})`);
  }
  doc.quotes.forEach((g, i) => {
    if (!used.has(i)) problems.push(`${doc.id}: missed "${g.text.slice(0, 80)}" (${JSON.stringify(g.speaker)})`);
  });
  return { id: doc.id, gold: doc.quotes.length, predicted, matched, speakerOk, notQuoteHits, problems };
}

/** Runs the extractor over the annotated set (all documents, or one split) and scores it. */
export function evalQuotes(split: Row['split'] = 'all', docs: AnnotatedDocument[] = loadAnnotations()): Row {
  const chosen = docs.filter((d) => split === 'all' || d.split === split);
  let gold = 0;
  let predicted = 0;
  let matched = 0;
  let speakerOk = 0;
  let notQuoteHits = 0;
  const problems: string[] = [];
  for (const d of chosen) {
    const reported = extractQuotes(d.paragraphs, { title: d.title, max: 100 });
    const r = scoreDocument(d, reported);
    gold += r.gold;
    predicted += r.predicted;
    matched += r.matched;
    speakerOk += r.speakerOk;
    notQuoteHits += r.notQuoteHits;
    problems.push(...r.problems);
  }
  return {
    split,
    documents: chosen.length,
    gold,
    predicted,
    matched,
    recall: gold === 0 ? 1 : matched / gold,
    precision: predicted === 0 ? 1 : matched / predicted,
    speakerAccuracy: matched === 0 ? 1 : speakerOk / matched,
    notQuoteHits,
    problems,
  };
}

/** The three splits as a printable table. */
export function quoteEvalReport(docs: AnnotatedDocument[] = loadAnnotations()): string {
  const rows = (['all', 'dev', 'heldout'] as const).map((s) => evalQuotes(s, docs));
  return table(
    ['quotes', 'docs', 'gold', 'reported', 'recall', 'precision', 'speaker acc', 'scare hits'],
    rows.map((r) => [r.split, r.documents, r.gold, r.predicted, r.recall, r.precision, r.speakerAccuracy, r.notQuoteHits]),
  );
}
