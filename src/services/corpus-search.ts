/**
 * SearchService over the news corpus: `/berita <keywords>` finds the best matching stories of the
 * retention window, one per story cluster, fresher first among equals, each with its outlet, time
 * and lead; readings people ask for are remembered in the corpus too.
 */
import type { Corpus } from './corpus.js';
import type { SearchResult, SearchService } from './search.js';

export function createCorpusSearch(corpus: Corpus): SearchService {
  return {
    async search(query, k = 5) {
      return corpus.search(query, k).map((h): SearchResult => {
        const r: SearchResult = {
          id: h.id,
          title: h.title,
          score: Math.round(h.relevance * 1000) / 1000,
          publishedAt: new Date(h.publishedAt).toISOString(),
          clusterSize: h.clusterSize,
        };
        if (h.url !== undefined) r.url = h.url;
        if (h.outlet !== undefined) r.outlet = h.outlet;
        if (h.lead !== undefined) r.summary = h.lead;
        return r;
      });
    },
    remember(reading) {
      corpus.remember(reading);
    },
    get size() {
      return corpus.size;
    },
  };
}
