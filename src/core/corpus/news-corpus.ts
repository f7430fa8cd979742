/**
 * The news corpus in memory: deduplication (normalized URL and guid), story clusters and the
 * story index, joined. Pure: the service (src/services/corpus.ts) feeds it entries from feeds and
 * articles from the store, and passes the time in.
 *
 * Deduplication: an entry is the same article as one already held when its URL key is the same
 * (see storyKey), or when it carries the same guid from the same site (guids shorter than 5
 * characters, such as Tempo's "1", "2", ... positions, are ignored; so is a guid whose title has
 * nothing in common with the article it would match: a CMS reusing guids is not a duplicate).
 * A known article whose title or lead changed is updated (a correction), keeping its id.
 */
import { analyzeStory, type StoryAnalysis } from './analyze.js';
import { StoryClusterer } from './cluster.js';
import { clip, type FeedEntry } from './feed.js';
import { outletName } from './outlets.js';
import { StoryIndex, type IndexRelatedOptions, type RankedStory } from './story-index.js';
import { domainOf, hostOf, stableHash, storyKey } from './url.js';

/** One article of the corpus, as stored. */
export interface CorpusArticle {
  /** Stable id: a hash of the URL key. */
  id: string;
  /** The link readers get. */
  url: string;
  /** Deduplication key of the URL. */
  key: string;
  guid?: string;
  /** The feed it came from ("" for an article a reader read). */
  feedUrl: string;
  /** Outlet display name ("Antara"). */
  outlet: string;
  title: string;
  lead: string;
  body?: string;
  /** Epoch ms. */
  publishedAt: number;
  /** Epoch ms when this instance first saw it. */
  seenAt: number;
  categories?: string[];
}

export interface CorpusHit {
  id: string;
  title: string;
  url?: string;
  outlet?: string;
  lead?: string;
  publishedAt: number;
  /** Ranking score (relevance with freshness or time distance). */
  score: number;
  /** Text relevance in [0, 1]. */
  relevance: number;
  clusterId: string;
  /** Stories in the cluster (1 when the story stands alone). */
  clusterSize: number;
}

/** A story of a time window, for digests. */
export interface StoryRecord {
  id: string;
  url: string;
  outlet: string;
  title: string;
  lead?: string;
  /** Epoch ms. */
  publishedAt: number;
  clusterId: string;
}

export interface IngestReport {
  added: CorpusArticle[];
  updated: CorpusArticle[];
  /** Entries already held (same URL key or guid). */
  duplicates: number;
  /** Of those, how many were first seen through another feed. */
  fromOtherFeeds: number;
  /** Entries whose guid matched an unrelated article (kept as new). */
  guidConflicts: number;
}

export interface CorpusOptions {
  /** Articles older than this are dropped by expire(). Default 14 days. */
  retentionMs?: number;
  /** Stories further apart never share a cluster. Default 2 days. */
  clusterWindowMs?: number;
}

interface Held {
  key: string;
  guidKey?: string;
  feedUrl: string;
  publishedAt: number;
  /** Hash of title + lead, to notice corrections. */
  fp: string;
  titleTerms: string[];
}

const LEAD_IN_INDEX = 400;
const DAY = 24 * 3600_000;

export function guidKeyOf(guid: string | undefined, link: string): string | undefined {
  if (guid === undefined) return undefined;
  const g = guid.trim();
  if (g.length < 5) return undefined;
  return `${domainOf(hostOf(link))}|${g}`;
}

export function articleId(key: string): string {
  return stableHash(key);
}

/** A corpus article from a feed entry. */
export function articleFromEntry(entry: FeedEntry, feed: { url: string; title?: string }, now: number): CorpusArticle {
  const a: CorpusArticle = {
    id: articleId(entry.key),
    url: entry.link,
    key: entry.key,
    feedUrl: feed.url,
    outlet: outletName(entry.link, feed.url, feed.title),
    title: entry.title,
    lead: entry.lead,
    publishedAt: entry.publishedAt,
    seenAt: now,
  };
  if (entry.guid !== undefined) a.guid = entry.guid;
  if (entry.body !== undefined) a.body = entry.body;
  if (entry.categories.length > 0) a.categories = entry.categories;
  return a;
}

function titleOverlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const sb = new Set(b);
  let n = 0;
  for (const t of new Set(a)) if (sb.has(t)) n++;
  return n / Math.min(new Set(a).size, sb.size);
}

export class NewsCorpus {
  readonly retentionMs: number;
  readonly #index = new StoryIndex();
  readonly #clusters: StoryClusterer;
  readonly #held = new Map<string, Held>();
  readonly #byKey = new Map<string, string>();
  readonly #byGuid = new Map<string, string>();

  constructor(opts: CorpusOptions = {}) {
    this.retentionMs = opts.retentionMs ?? 14 * DAY;
    this.#clusters = new StoryClusterer(opts.clusterWindowMs !== undefined ? { windowMs: opts.clusterWindowMs } : {});
  }

  get size(): number {
    return this.#held.size;
  }

  has(id: string): boolean {
    return this.#held.has(id);
  }

  /** The id of the article held under this link (any spelling of it), if any. */
  idForUrl(url: string): string | undefined {
    const key = storyKey(url);
    return key === undefined ? undefined : this.#byKey.get(key);
  }

  clusterOf(id: string): { id: string; size: number } | undefined {
    const c = this.#clusters.clusterOf(id);
    return c === undefined ? undefined : { id: c, size: this.#clusters.sizeOf(c) };
  }

  /** Ids and dates of every article held (for retention and the store). */
  *entries(): IterableIterator<{ id: string; publishedAt: number; feedUrl: string }> {
    for (const [id, h] of this.#held) yield { id, publishedAt: h.publishedAt, feedUrl: h.feedUrl };
  }

  /**
   * Entries of one feed poll -> what is new, what changed, what was already held. New and changed
   * articles are indexed and clustered at once; the caller stores them.
   */
  ingestEntries(feed: { url: string; title?: string }, entries: readonly FeedEntry[], now: number): IngestReport {
    const report: IngestReport = { added: [], updated: [], duplicates: 0, fromOtherFeeds: 0, guidConflicts: 0 };
    for (const entry of entries) {
      if (entry.publishedAt < now - this.retentionMs) continue;
      const article = articleFromEntry(entry, feed, now);
      const outcome = this.#accept(article);
      if (outcome.kind === 'added') report.added.push(outcome.article);
      else if (outcome.kind === 'updated') report.updated.push(outcome.article);
      else {
        report.duplicates++;
        if (outcome.otherFeed) report.fromOtherFeeds++;
      }
      if (outcome.guidConflict) report.guidConflicts++;
    }
    return report;
  }

  /** Adds an article (from the store, or read by a reader). Returns what happened to it. */
  add(article: CorpusArticle, analysis?: StoryAnalysis): 'added' | 'updated' | 'duplicate' {
    return this.#accept(article, analysis).kind;
  }

  remove(id: string): boolean {
    const h = this.#held.get(id);
    if (h === undefined) return false;
    this.#held.delete(id);
    if (this.#byKey.get(h.key) === id) this.#byKey.delete(h.key);
    if (h.guidKey !== undefined && this.#byGuid.get(h.guidKey) === id) this.#byGuid.delete(h.guidKey);
    // Other spellings of the same article's key point at it too.
    for (const [k, v] of this.#byKey) if (v === id) this.#byKey.delete(k);
    this.#index.remove(id);
    this.#clusters.remove(id);
    return true;
  }

  /** Drops every article published before now - retention; returns their ids. */
  expire(now: number): string[] {
    const cutoff = now - this.retentionMs;
    const old: string[] = [];
    for (const [id, h] of this.#held) if (h.publishedAt < cutoff) old.push(id);
    if (old.length === 0) return old;
    const gone = new Set(old);
    for (const id of old) {
      const h = this.#held.get(id) as Held;
      this.#held.delete(id);
      if (h.guidKey !== undefined && this.#byGuid.get(h.guidKey) === id) this.#byGuid.delete(h.guidKey);
      this.#index.remove(id);
      this.#clusters.remove(id);
    }
    for (const [k, v] of this.#byKey) if (gone.has(v)) this.#byKey.delete(k);
    return old;
  }

  /**
   * The stories published in (since, until], with their clusters (what digests are made of), in
   * publication order.
   */
  storiesBetween(since: number, until: number): StoryRecord[] {
    const out: StoryRecord[] = [];
    for (const s of this.#index.stories()) {
      if (!(s.publishedAt > since && s.publishedAt <= until)) continue;
      const r: StoryRecord = { id: s.id, url: s.url ?? '', outlet: s.outlet ?? '', title: s.title, publishedAt: s.publishedAt, clusterId: s.clusterId };
      if (s.lead !== undefined && s.lead !== '') r.lead = s.lead;
      out.push(r);
    }
    return out.sort((a, b) => a.publishedAt - b.publishedAt || (a.id < b.id ? -1 : 1));
  }

  /** The best stories for keywords: one per cluster, fresher first among equals. */
  search(query: string, opts: { k?: number; now?: number; minRelevance?: number } = {}): CorpusHit[] {
    const ranked = this.#index.search(query, {
      k: opts.k ?? 5,
      ...(opts.now !== undefined ? { now: opts.now, since: opts.now - this.retentionMs } : {}),
      ...(opts.minRelevance !== undefined ? { minRelevance: opts.minRelevance } : {}),
    });
    return ranked.map((r) => this.#hit(r));
  }

  /** Stories related to an article held in the corpus. */
  relatedTo(id: string, opts: Omit<IndexRelatedOptions, 'excludeIds' | 'excludeClusters'> = {}): CorpusHit[] {
    return this.#index.related(id, { ...opts, k: opts.k ?? 5 }).map((r) => this.#hit(r));
  }

  /**
   * Stories related to any article (one read from a link, say): the article itself (by URL) and
   * its near-duplicates are left out.
   */
  relatedFor(story: { title: string; lead?: string; body?: string; url?: string; publishedAt?: number }, opts: { k?: number; now?: number } = {}): CorpusHit[] {
    const ownId = story.url !== undefined ? this.idForUrl(story.url) : undefined;
    if (ownId !== undefined) return this.relatedTo(ownId, opts);
    const analysis = analyzeStory({ title: story.title, lead: story.lead ?? '', body: story.body ?? '' });
    const when = story.publishedAt ?? opts.now;
    const lead = analysis.lead.length > 0 ? analysis.lead : analysis.body;
    const dupes = this.#clusters.nearDuplicateClusters({ publishedAt: when ?? 0, title: analysis.title, lead });
    const ranked = this.#index.related(
      { analysis, ...(when !== undefined ? { publishedAt: when } : {}) },
      { k: opts.k ?? 5, excludeClusters: dupes },
    );
    return ranked.map((r) => this.#hit(r));
  }

  #hit(r: RankedStory): CorpusHit {
    const s = r.story;
    const hit: CorpusHit = {
      id: s.id,
      title: s.title,
      publishedAt: s.publishedAt,
      score: r.score,
      relevance: r.relevance,
      clusterId: s.clusterId,
      clusterSize: Math.max(1, this.#clusters.sizeOf(s.clusterId)),
    };
    if (s.url !== undefined) hit.url = s.url;
    if (s.outlet !== undefined) hit.outlet = s.outlet;
    if (s.lead !== undefined && s.lead !== '') hit.lead = s.lead;
    return hit;
  }

  #accept(article: CorpusArticle, given?: StoryAnalysis): { kind: 'added' | 'updated' | 'duplicate'; article: CorpusArticle; otherFeed: boolean; guidConflict: boolean } {
    const guidKey = guidKeyOf(article.guid, article.url);
    const fp = stableHash(`${article.title}\n${article.lead}`);
    let existing = this.#byKey.get(article.key);
    let guidConflict = false;
    let analysis = given;
    if (existing === undefined && guidKey !== undefined) {
      const byGuid = this.#byGuid.get(guidKey);
      if (byGuid !== undefined) {
        analysis ??= analyzeStory({ title: article.title, lead: article.lead, body: article.body ?? '' });
        const other = this.#held.get(byGuid);
        if (other !== undefined && titleOverlap(analysis.title, other.titleTerms) >= 0.3) existing = byGuid;
        else guidConflict = true;
      }
    }
    if (existing !== undefined) {
      const h = this.#held.get(existing) as Held;
      // Another spelling of a known article's link now finds it directly.
      if (!this.#byKey.has(article.key)) this.#byKey.set(article.key, existing);
      if (h.fp === fp || article.title === '') {
        return { kind: 'duplicate', article, otherFeed: h.feedUrl !== article.feedUrl, guidConflict };
      }
      // A correction: same article, new title or lead. Keep its id, first date and feed.
      const current = this.#index.get(existing);
      const updated: CorpusArticle = { ...article, id: existing, key: h.key, feedUrl: h.feedUrl, publishedAt: h.publishedAt };
      if (current?.outlet !== undefined) updated.outlet = current.outlet;
      this.#insert(updated, fp, guidKey ?? h.guidKey, given);
      return { kind: 'updated', article: updated, otherFeed: false, guidConflict };
    }
    const added = { ...article, id: this.#held.has(article.id) ? stableHash(`${article.key}#${article.feedUrl}`) : article.id };
    this.#insert(added, fp, guidKey, analysis);
    return { kind: 'added', article: added, otherFeed: false, guidConflict };
  }

  #insert(a: CorpusArticle, fp: string, guidKey: string | undefined, given?: StoryAnalysis): void {
    const analysis = given ?? analyzeStory({ title: a.title, lead: a.lead, body: a.body ?? '' });
    const held: Held = { key: a.key, feedUrl: a.feedUrl, publishedAt: a.publishedAt, fp, titleTerms: analysis.title };
    if (guidKey !== undefined) {
      held.guidKey = guidKey;
      if (!this.#byGuid.has(guidKey)) this.#byGuid.set(guidKey, a.id);
    }
    this.#held.set(a.id, held);
    this.#byKey.set(a.key, a.id);
    const clusterId = this.#clusters.add({ id: a.id, publishedAt: a.publishedAt, title: analysis.title, lead: analysis.lead.length > 0 ? analysis.lead : analysis.body });
    this.#index.add(
      {
        id: a.id,
        title: a.title,
        url: a.url,
        outlet: a.outlet,
        lead: clip(a.lead, LEAD_IN_INDEX),
        publishedAt: a.publishedAt,
        clusterId,
      },
      analysis,
    );
  }
}
