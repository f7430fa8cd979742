/**
 * Search and related stories over a set of documents (`ringkas batch`, the in-memory search): a
 * thin layer over the corpus's StoryIndex (BM25F over title, lead and body with Indonesian
 * stemming and stopwords, entity weighting, pseudo-relevance feedback, time distance when dates
 * are known) and StoryClusterer (near-duplicates are left out of each other's related stories).
 * Pure and in-memory: callers add documents and ask.
 */
import { analyzeStory } from './corpus/analyze.js';
import { StoryClusterer } from './corpus/cluster.js';
import { StoryIndex, type RankedStory } from './corpus/story-index.js';
import { STOPWORDS, stem, words } from './text/index.js';

export interface IndexDoc {
  id: string;
  title: string;
  /** Lead and body text (the first line or paragraph is read as the lead). */
  text: string;
  url?: string;
  /** Publication time (ISO 8601 or epoch ms), when known: related stories prefer nearby dates. */
  publishedAt?: string | number;
  /** Outlet, when known: related stories are spread across outlets. */
  outlet?: string;
}

export interface SearchHit {
  id: string;
  title: string;
  url?: string;
  /** Relevance in [0, 1], relative to the best possible match of the query. */
  score: number;
}

/** Body text beyond this many characters adds nothing to relevance and costs time. */
const MAX_TEXT = 20_000;

/** Index terms of a text: lowercased, stopwords dropped, stemmed. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    out.push(/^\p{N}/u.test(w) ? w : stem(w));
  }
  return out;
}

function timeOf(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function toHit(r: RankedStory): SearchHit {
  const s = r.story;
  return { id: s.id, title: s.title, ...(s.url !== undefined ? { url: s.url } : {}), score: Math.round(r.relevance * 1000) / 1000 };
}

export class NewsIndex {
  readonly #index = new StoryIndex();
  readonly #clusters = new StoryClusterer();

  get size(): number {
    return this.#index.size;
  }

  has(id: string): boolean {
    return this.#index.has(id);
  }

  add(doc: IndexDoc): void {
    if (this.#index.has(doc.id)) this.remove(doc.id);
    const text = doc.text.slice(0, MAX_TEXT);
    const cut = text.indexOf('\n');
    const lead = cut < 0 ? text : text.slice(0, cut);
    const body = cut < 0 ? '' : text.slice(cut + 1);
    const analysis = analyzeStory({ title: doc.title, lead, body });
    const when = timeOf(doc.publishedAt);
    const clusterId = this.#clusters.add({ id: doc.id, publishedAt: when ?? 0, title: analysis.title, lead: analysis.lead.length > 0 ? analysis.lead : analysis.body });
    this.#index.add(
      {
        id: doc.id,
        title: doc.title,
        ...(doc.url !== undefined ? { url: doc.url } : {}),
        ...(doc.outlet !== undefined ? { outlet: doc.outlet } : {}),
        publishedAt: when ?? Number.NaN,
        clusterId,
      },
      analysis,
    );
  }

  remove(id: string): void {
    this.#index.remove(id);
    this.#clusters.remove(id);
  }

  /** The best matches for free-text keywords, one per story cluster. */
  search(q: string, k = 5): SearchHit[] {
    return this.#index.search(q, { k }).map(toHit);
  }

  /**
   * Stories related to an indexed document: the document itself and its near-duplicates (its
   * story cluster) left out, best first, relevance at least `minScore`.
   */
  relatedTo(id: string, k = 5, minScore = 0.08): SearchHit[] {
    return this.#index.related(id, { k, minRelevance: minScore }).map(toHit);
  }
}
