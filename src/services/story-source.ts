/**
 * Where digests find their stories: a `StorySource` answers "which stories were published between
 * these two instants, with their story cluster?" as DigestCandidates for composeDigest.
 *
 * - `corpusStorySource(window)`: over the news corpus. The corpus has to list the articles of a
 *   time window with their cluster ids (`storiesBetween`, see StoryWindow); NewsCorpus does not
 *   have that method yet.
 * - `storeStorySource({ articles })`: over the article store the corpus writes to, with its own
 *   clustering of the last two days (NewsCorpus) refreshed from the store at most once every few
 *   minutes. It works today, on any store, at the cost of a second copy of two days of stories.
 * - `StoryList`: a sorted list in memory (tests, the benchmark, the command line).
 */
import type { DigestCandidate } from '../core/digest.js';
import { NewsCorpus, type CorpusArticle } from '../core/corpus/news-corpus.js';
import type { ArticleStore } from '../adapters/store/articles.js';
import type { Logger } from '../logger.js';

export interface StorySource {
  /** Stories published in (since, now], any order. */
  candidatesSince(since: number, now: number): readonly DigestCandidate[] | Promise<readonly DigestCandidate[]>;
}

/** One story as a corpus knows it. */
export interface StoryRecord {
  id: string;
  url: string;
  outlet: string;
  title: string;
  lead?: string;
  /** Epoch ms. */
  publishedAt: number;
  clusterId: string;
  /** Summary sentences from the reader, when known. */
  summary?: readonly string[];
}

/** What digests need from the corpus: the articles of a time window, with their cluster ids. */
export interface StoryWindow {
  /** Articles published in (since, until]. */
  storiesBetween(since: number, until: number): Iterable<StoryRecord>;
}

const DAY = 24 * 3600_000;

export function toCandidate(s: StoryRecord): DigestCandidate {
  return {
    id: s.id,
    title: s.title,
    url: s.url,
    outlet: s.outlet,
    publishedAt: s.publishedAt,
    clusterId: s.clusterId,
    ...(s.lead !== undefined && s.lead !== '' ? { lead: s.lead } : {}),
    ...(s.summary !== undefined && s.summary.length > 0 ? { summary: s.summary } : {}),
  };
}

export function corpusStorySource(window: StoryWindow): StorySource {
  return {
    candidatesSince(since, now) {
      const out: DigestCandidate[] = [];
      for (const s of window.storiesBetween(since, now)) if (s.publishedAt > since && s.publishedAt <= now) out.push(toCandidate(s));
      return out;
    },
  };
}

/** Stories kept sorted by publication time; a window is two binary searches. */
export class StoryList implements StorySource, StoryWindow {
  #items: StoryRecord[] = [];
  #sorted = true;

  constructor(items: Iterable<StoryRecord> = []) {
    for (const s of items) this.add(s);
  }

  get size(): number {
    return this.#items.length;
  }

  add(s: StoryRecord): void {
    const last = this.#items[this.#items.length - 1];
    if (last !== undefined && s.publishedAt < last.publishedAt) this.#sorted = false;
    this.#items.push(s);
  }

  #ensureSorted(): StoryRecord[] {
    if (!this.#sorted) {
      this.#items.sort((a, b) => a.publishedAt - b.publishedAt);
      this.#sorted = true;
    }
    return this.#items;
  }

  /** First index whose publishedAt > t. */
  #after(t: number): number {
    const items = this.#ensureSorted();
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((items[mid] as StoryRecord).publishedAt > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  *storiesBetween(since: number, until: number): Iterable<StoryRecord> {
    const items = this.#ensureSorted();
    const end = this.#after(until);
    for (let i = this.#after(since); i < end; i++) yield items[i] as StoryRecord;
  }

  candidatesSince(since: number, now: number): DigestCandidate[] {
    const out: DigestCandidate[] = [];
    for (const s of this.storiesBetween(since, now)) out.push(toCandidate(s));
    return out;
  }
}

function lightweight(a: CorpusArticle): Omit<StoryRecord, 'clusterId'> {
  return { id: a.id, url: a.url, outlet: a.outlet, title: a.title, ...(a.lead !== '' ? { lead: a.lead.slice(0, 600) } : {}), publishedAt: a.publishedAt };
}

/**
 * Reads the stored articles published after `since` (default: a day before `now`) and clusters
 * them as the corpus does. For `ringkas digest --dry-run`.
 */
export async function loadStoredStories(articles: ArticleStore, opts: { now: number; since?: number }): Promise<StoryList> {
  const since = opts.since ?? opts.now - DAY;
  // Clusters join stories up to two days apart: take in the day before the window too.
  const corpus = new NewsCorpus({ retentionMs: opts.now - since + 2 * DAY });
  const kept: CorpusArticle[] = [];
  for await (const batch of articles.scan()) {
    for (const a of batch) if (a.publishedAt > since - DAY && a.publishedAt <= opts.now + 5 * 60_000) kept.push(a);
  }
  kept.sort((a, b) => a.publishedAt - b.publishedAt || (a.id < b.id ? -1 : 1));
  const records: Omit<StoryRecord, 'clusterId'>[] = [];
  for (const a of kept) {
    if (corpus.add(a) === 'duplicate') continue;
    if (a.publishedAt > since) records.push(lightweight(a));
  }
  return new StoryList(records.map((r) => ({ ...r, clusterId: corpus.clusterOf(r.id)?.id ?? r.id })));
}

export interface StoreStorySourceOptions {
  articles: ArticleStore;
  logger?: Logger;
  now?: () => number;
  /** Reads the store again at most this often. Default 5 minutes. */
  refreshMs?: number;
}

/**
 * Stories from the article store, clustered here. Each refresh scans the store and adds what is
 * new (a known article costs a hash comparison); stories older than two days are dropped.
 */
export function storeStorySource(opts: StoreStorySourceOptions): StorySource & { refresh(): Promise<void> } {
  const now = opts.now ?? Date.now;
  const refreshMs = opts.refreshMs ?? 5 * 60_000;
  const corpus = new NewsCorpus({ retentionMs: 2 * DAY });
  const records = new Map<string, Omit<StoryRecord, 'clusterId'>>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    const at = now();
    const cutoff = at - 2 * DAY;
    const fresh: CorpusArticle[] = [];
    for await (const batch of opts.articles.scan()) for (const a of batch) if (a.publishedAt > cutoff) fresh.push(a);
    fresh.sort((a, b) => a.publishedAt - b.publishedAt || (a.id < b.id ? -1 : 1));
    for (const a of fresh) {
      const outcome = corpus.add(a);
      if (outcome !== 'duplicate') records.set(a.id, lightweight(a));
    }
    for (const id of corpus.expire(at)) records.delete(id);
    loadedAt = at;
    opts.logger?.debug({ stories: records.size }, 'digest stories refreshed from the store');
  }

  return {
    refresh,
    async candidatesSince(since, until) {
      if (now() - loadedAt >= refreshMs) {
        loading ??= refresh().finally(() => (loading = undefined));
        await loading;
      }
      const out: DigestCandidate[] = [];
      for (const r of records.values()) {
        if (r.publishedAt <= since || r.publishedAt > until) continue;
        out.push(toCandidate({ ...r, clusterId: corpus.clusterOf(r.id)?.id ?? r.id }));
      }
      return out;
    },
  };
}
