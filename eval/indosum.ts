/** Loads IndoSum (kata-ai, CC BY-SA 4.0) articles from ../shared/data and detokenizes them. */
import { existsSync, readFileSync } from 'node:fs';
import { detokenize, detokenizeParagraph } from '../src/core/text/detokenize.js';
import { sharedDataPath } from './shared.js';

export interface IndoSumArticle {
  id: string;
  category: string;
  source: string;
  /** Detokenized paragraphs, as plain text. */
  paragraphs: string[];
  /** Detokenized sentences per paragraph (the dataset's own sentence split). */
  sentences: string[][];
  /** Oracle labels per sentence, parallel to `sentences`. */
  goldLabels: boolean[][];
  /** The human summary, detokenized, one string per sentence. */
  summary: string[];
  /** The human summary's tokens per sentence (for ROUGE). */
  summaryTokens: string[][];
}

interface RawRow {
  id: string;
  category: string;
  source: string;
  paragraphs: string[][][];
  gold_labels: boolean[][];
  summary: string[][];
}

export function loadIndoSum(file = sharedDataPath('indosum', 'dev.01.jsonl')): IndoSumArticle[] | null {
  if (!existsSync(file)) return null;
  const out: IndoSumArticle[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as RawRow;
    out.push({
      id: row.id,
      category: row.category,
      source: row.source,
      paragraphs: row.paragraphs.map((p) => detokenizeParagraph(p)),
      sentences: row.paragraphs.map((p) => p.map((s) => detokenize(s))),
      goldLabels: row.gold_labels,
      summary: row.summary.map((s) => detokenize(s)),
      summaryTokens: row.summary,
    });
  }
  return out;
}
