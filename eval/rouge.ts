/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 on token lists, as the IndoSum paper scores summaries:
 * tokens lowercased, punctuation-only tokens dropped, every digit replaced by 0.
 * Candidate and reference must be tokenized the same way: use {@link rougeTokenizeText} for
 * plain text and {@link rougeTokens} for an already tokenized text (IndoSum's own tokens).
 */
import { tokenize } from '../src/core/text/tokenize.js';

export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

const WORDISH = /[\p{L}\p{N}]/u;

/**
 * Normalizes tokens for ROUGE: lowercase, digits -> 0, punctuation-only tokens dropped. A token
 * with inner punctuation is cut there ("ke-17" -> "ke" "00", "jurnal.id" -> "jurnal" "id",
 * "Dr." -> "dr"), on both sides alike, so that IndoSum's own tokens and the project tokenizer's
 * give the same lists for the same text.
 */
export function rougeTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tokens) {
    if (!WORDISH.test(raw)) continue;
    const lower = raw.toLowerCase().replace(/[0-9]/g, '0');
    for (const part of lower.split(/[^\p{L}\p{M}\p{N}]+/u)) if (part.length > 0) out.push(part);
  }
  return out;
}

/** Tokenizes plain text (with the project tokenizer) and normalizes the tokens for ROUGE. */
export function rougeTokenizeText(text: string): string[] {
  return rougeTokens(tokenize(text));
}

function score(overlap: number, candidateCount: number, referenceCount: number): RougeScore {
  const precision = candidateCount === 0 ? 0 : overlap / candidateCount;
  const recall = referenceCount === 0 ? 0 : overlap / referenceCount;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N: clipped n-gram overlap between candidate and reference. */
export function rougeN(candidate: readonly string[], reference: readonly string[], n: number): RougeScore {
  const cand = ngramCounts(candidate, n);
  const ref = ngramCounts(reference, n);
  let overlap = 0;
  for (const [gram, c] of cand) overlap += Math.min(c, ref.get(gram) ?? 0);
  return score(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

/** Length of the longest common subsequence (two rows, O(n*m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = ai === b[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, cur[j - 1] as number);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

/** ROUGE-L on the whole token lists (summary-level LCS without sentence splitting). */
export function rougeL(candidate: readonly string[], reference: readonly string[]): RougeScore {
  return score(lcsLength(candidate, reference), candidate.length, reference.length);
}

/** ROUGE-1, -2 and -L of already normalized token lists. */
export function rouge(candidate: readonly string[], reference: readonly string[]): RougeScores {
  return { rouge1: rougeN(candidate, reference, 1), rouge2: rougeN(candidate, reference, 2), rougeL: rougeL(candidate, reference) };
}
