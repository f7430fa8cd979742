/**
 * A BM25 index over news documents (title weighted above body) for search and related stories.
 * Pure and in-memory: callers add documents and ask; stemming and stopwords are Indonesian.
 */
import { STOPWORDS, stem, words } from './text/index.js';

export interface IndexDoc {
  id: string;
  title: string;
  /** Lead and body text. */
  text: string;
  url?: string;
}

export interface SearchHit {
  id: string;
  title: string;
  url?: string;
  /** Relevance in [0, 1], relative to the best possible match of the query. */
  score: number;
}

const K1 = 1.2;
const B = 0.75;
const TITLE_WEIGHT = 3;
/** Body text beyond this many characters adds nothing to relevance and costs time. */
const MAX_TEXT = 20_000;

interface Entry {
  doc: IndexDoc;
  terms: Map<string, number>;
  length: number;
  /** The document's own distinctive terms, for "related to this" queries. */
  signature: Map<string, number>;
}

/** Index terms of a text: lowercased, stopwords dropped, stemmed. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    out.push(/^\p{N}/u.test(w) ? w : stem(w));
  }
  return out;
}

export class NewsIndex {
  readonly #entries = new Map<string, Entry>();
  readonly #df = new Map<string, number>();
  #totalLength = 0;

  get size(): number {
    return this.#entries.size;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  add(doc: IndexDoc): void {
    if (this.#entries.has(doc.id)) this.remove(doc.id);
    const terms = new Map<string, number>();
    for (const t of indexTerms(doc.title)) terms.set(t, (terms.get(t) ?? 0) + TITLE_WEIGHT);
    for (const t of indexTerms(doc.text.slice(0, MAX_TEXT))) terms.set(t, (terms.get(t) ?? 0) + 1);
    let length = 0;
    for (const [t, n] of terms) {
      length += n;
      this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
    }
    this.#totalLength += length;
    this.#entries.set(doc.id, { doc, terms, length, signature: new Map() });
  }

  remove(id: string): void {
    const e = this.#entries.get(id);
    if (e === undefined) return;
    for (const t of e.terms.keys()) {
      const n = (this.#df.get(t) ?? 1) - 1;
      if (n <= 0) this.#df.delete(t);
      else this.#df.set(t, n);
    }
    this.#totalLength -= e.length;
    this.#entries.delete(id);
  }

  #idf(term: string): number {
    const n = this.#entries.size;
    const df = this.#df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** BM25 over weighted query terms; scores relative to the query's own best possible score. */
  #rank(query: Map<string, number>, k: number, exclude: (e: Entry) => boolean): SearchHit[] {
    const avg = this.#totalLength / Math.max(this.#entries.size, 1);
    let ideal = 0;
    for (const [t, w] of query) ideal += w * this.#idf(t) * (K1 + 1);
    if (ideal <= 0) return [];
    const hits: SearchHit[] = [];
    for (const e of this.#entries.values()) {
      if (exclude(e)) continue;
      let s = 0;
      for (const [t, w] of query) {
        const tf = e.terms.get(t);
        if (tf === undefined) continue;
        s += w * this.#idf(t) * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * e.length) / avg)));
      }
      if (s > 0) hits.push({ id: e.doc.id, title: e.doc.title, ...(e.doc.url !== undefined ? { url: e.doc.url } : {}), score: s / ideal });
    }
    hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return hits.slice(0, k);
  }

  /** The best matches for free-text keywords. */
  search(q: string, k = 5): SearchHit[] {
    const query = new Map<string, number>();
    for (const t of indexTerms(q)) query.set(t, 1);
    return this.#rank(query, k, () => false);
  }

  /**
   * Stories related to an indexed document: its most distinctive terms as the query, the document
   * itself and near-duplicates of it (same title terms) left out.
   */
  relatedTo(id: string, k = 5, minScore = 0.08): SearchHit[] {
    const self = this.#entries.get(id);
    if (self === undefined) return [];
    const query = this.#signature(self);
    const selfTitle = new Set(indexTerms(self.doc.title));
    return this.#rank(query, k * 2, (e) => e === self || nearDuplicate(selfTitle, e.doc.title))
      .filter((h) => h.score >= minScore)
      .slice(0, k);
  }

  /** The 12 terms that best tell this document apart (tf-idf), weighted. */
  #signature(e: Entry): Map<string, number> {
    if (e.signature.size > 0) return e.signature;
    const scored = [...e.terms].map(([t, tf]) => [t, Math.log(1 + tf) * this.#idf(t)] as const);
    scored.sort((a, b) => b[1] - a[1]);
    const top = scored.slice(0, 12);
    const max = top[0]?.[1] ?? 1;
    for (const [t, s] of top) e.signature.set(t, s / max);
    return e.signature;
  }
}

function nearDuplicate(selfTitle: Set<string>, otherTitle: string): boolean {
  const other = new Set(indexTerms(otherTitle));
  if (selfTitle.size === 0 || other.size === 0) return false;
  let shared = 0;
  for (const t of other) if (selfTitle.has(t)) shared++;
  return shared / Math.min(selfTitle.size, other.size) >= 0.8 && shared / Math.max(selfTitle.size, other.size) >= 0.6;
}
