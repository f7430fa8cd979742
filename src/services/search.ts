/**
 * Search over the stories Ringkas knows. Until the feed corpus exists, the index holds every
 * article this instance has read; the corpus (feeds) feeds the same index.
 */
import type { Reading } from '../core/article-types.js';
import { NewsIndex, type SearchHit } from '../core/related.js';

export interface SearchResult extends SearchHit {
  summary?: string;
  /** The outlet that published the story ("Antara"), when known. */
  outlet?: string;
  /** ISO 8601 time of publication, when known. */
  publishedAt?: string;
  /** Stories in the story's cluster (the same event from several outlets), when known. */
  clusterSize?: number;
}

export interface SearchService {
  search(query: string, k?: number): Promise<SearchResult[]>;
  /** Remembers a reading so that later searches can find it. */
  remember(reading: Reading): void;
  readonly size: number;
}

export function createMemorySearch(): SearchService {
  const index = new NewsIndex();
  const summaries = new Map<string, string>();
  return {
    async search(query, k = 5) {
      return index.search(query, k).map((h) => {
        const summary = summaries.get(h.id);
        return summary !== undefined ? { ...h, summary } : h;
      });
    },
    remember(reading) {
      const { article } = reading;
      const id = article.canonicalUrl ?? article.url ?? `text:${article.title}`;
      index.add({ id, title: article.title, text: article.paragraphs.join('\n'), ...(article.canonicalUrl ?? article.url ? { url: (article.canonicalUrl ?? article.url) as string } : {}) });
      const first = reading.summary[0];
      if (first !== undefined) summaries.set(id, first);
    },
    get size() {
      return index.size;
    },
  };
}
