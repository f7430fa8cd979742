/**
 * Related-stories quality on the Tempo corpus (../shared/data/tempo/items_history.jsonl, 7,190
 * items of 2025-26 with title and description): precision@5 of Ringkas's related stories on a
 * hand-judged set of queries (test/fixtures/related/tempo-related.json), beside a plain TF-IDF
 * cosine baseline measured in the same run.
 *
 * - Both systems see the whole corpus; the query item itself is never a candidate.
 * - Copies of the query's own story (marked `duplicates` in the labels: the same report
 *   republished, or the same event with the same facts) are taken out of both ranked lists before
 *   the top 5 is cut: related stories must leave them out, and neither system is credited for them.
 * - A story counts when it is in the query's `relevant` list (same event, or the same ongoing
 *   story); anything else, judged or not, counts as wrong. `judged@5` says how much of each top 5
 *   was judged by hand.
 * - Ringkas: NewsCorpus.relatedTo (BM25F signature query, entities weighted, time distance, story
 *   clusters, one per cluster). Baseline: TF-IDF (log tf, idf) cosine over lowercased words of
 *   title + description, stopwords removed, no stemming, no time, no clusters.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeedDate } from '../src/core/corpus/dates.js';
import type { FeedEntry } from '../src/core/corpus/feed.js';
import { NewsCorpus } from '../src/core/corpus/news-corpus.js';
import { storyKey } from '../src/core/corpus/url.js';
import { STOPWORDS, words } from '../src/core/text/index.js';
import { repoRoot, sharedDataPath } from './shared.js';
import { table } from './table.js';

export interface TempoItem {
  feed: string;
  title: string;
  link: string;
  pubDate: string;
  description: string;
}

export interface RelatedLabel {
  /** The query item's link. */
  query: string;
  /** Its title (items with the very same title are duplicates). */
  title: string;
  /** Its pubDate as the feed gave it. */
  published?: string;
  /** Links judged related (same event or same ongoing story). */
  relevant: string[];
  /** Links judged copies of the query's own story: left out of every ranked list. */
  duplicates?: string[];
  /** Links judged not related. */
  notRelevant: string[];
}

export interface LabelFile {
  source: string;
  guidelines: string;
  labels: RelatedLabel[];
}

export const LABELS_PATH = join(repoRoot, 'test', 'fixtures', 'related', 'tempo-related.json');

/** The 7,190 Tempo items, or null when ../shared is absent. */
export function loadTempoItems(file = sharedDataPath('tempo', 'items_history.jsonl')): TempoItem[] | null {
  if (!existsSync(file)) return null;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TempoItem);
}

export function loadLabels(path = LABELS_PATH): LabelFile {
  return JSON.parse(readFileSync(path, 'utf8')) as LabelFile;
}

export function tempoEntry(o: TempoItem): FeedEntry | undefined {
  const key = storyKey(o.link);
  const publishedAt = parseFeedDate(o.pubDate);
  if (key === undefined || publishedAt === undefined) return undefined;
  return { link: o.link, key, title: o.title, lead: o.description, publishedAt, dateSource: 'feed', categories: [] };
}

/** A ranker: the links of the best related items for a query link, best first. */
export type Ranker = (queryLink: string, k: number) => string[];

/** Ringkas: every item in one NewsCorpus (no retention cut), related by id. */
export function ringkasRanker(items: readonly TempoItem[]): Ranker {
  const corpus = new NewsCorpus({ retentionMs: 100 * 365 * 24 * 3600_000 });
  const latest = Math.max(...items.map((o) => parseFeedDate(o.pubDate) ?? 0));
  const byFeed = new Map<string, FeedEntry[]>();
  for (const o of items) {
    const e = tempoEntry(o);
    if (e === undefined) continue;
    const list = byFeed.get(o.feed) ?? [];
    list.push(e);
    byFeed.set(o.feed, list);
  }
  for (const [feed, entries] of byFeed) corpus.ingestEntries({ url: `https://rss.tempo.co/${feed}`, title: 'Tempo' }, entries, latest);
  return (link, k) => {
    const id = corpus.idForUrl(link);
    return id === undefined ? [] : corpus.relatedTo(id, { k }).map((h) => h.url as string);
  };
}

function baselineTokens(text: string): string[] {
  return words(text).filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** Plain TF-IDF cosine over title + description (no stemming, no time, no clusters). */
export function tfidfRanker(items: readonly TempoItem[]): Ranker {
  const docs = items.map((o) => baselineTokens(`${o.title} ${o.description}`));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  const vectors = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of tf) {
      const w = (1 + Math.log(c)) * Math.log(n / (df.get(t) ?? 1));
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
  const postings = new Map<string, number[]>();
  vectors.forEach((v, i) => {
    for (const t of v.keys()) {
      const p = postings.get(t);
      if (p === undefined) postings.set(t, [i]);
      else p.push(i);
    }
  });
  const index = new Map(items.map((o, i) => [o.link, i]));
  return (link, k) => {
    const q = index.get(link);
    if (q === undefined) return [];
    const qv = vectors[q] as Map<string, number>;
    const scores = new Map<number, number>();
    for (const [t, w] of qv) for (const i of postings.get(t) ?? []) if (i !== q) scores.set(i, (scores.get(i) ?? 0) + w * ((vectors[i] as Map<string, number>).get(t) ?? 0));
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([i]) => (items[i] as TempoItem).link);
  };
}

export interface RelatedRow {
  system: string;
  queries: number;
  p5: number;
  p1: number;
  mrr: number;
  /** Share of the top-5 items that were judged by hand. */
  judged5: number;
}

const normTitle = (t: string): string => t.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Scores one ranker on the labels. Duplicates of each query are taken out of its list first: the
 * labelled ones, and any item with the query's very title (Tempo republished some items under a
 * second host, satu.tempo.co and www.tempo.co).
 */
export function scoreRanker(system: string, rank: Ranker, labels: readonly RelatedLabel[], items: readonly TempoItem[] = []): RelatedRow {
  const titles = new Map(items.map((o) => [o.link, normTitle(o.title)]));
  let p5 = 0;
  let p1 = 0;
  let mrr = 0;
  let judged = 0;
  for (const l of labels) {
    const dup = new Set(l.duplicates ?? []);
    const own = normTitle(l.title);
    for (const [link, t] of titles) if (t === own) dup.add(link);
    const rel = new Set(l.relevant);
    const known = new Set([...l.relevant, ...l.notRelevant, ...dup]);
    const top = rank(l.query, 30).filter((u) => u !== l.query && !dup.has(u)).slice(0, 5);
    const hits = top.map((u) => rel.has(u));
    p5 += hits.filter(Boolean).length / 5;
    p1 += hits[0] === true ? 1 : 0;
    const first = hits.indexOf(true);
    mrr += first < 0 ? 0 : 1 / (first + 1);
    judged += top.filter((u) => known.has(u)).length / Math.max(top.length, 1);
  }
  const n = Math.max(labels.length, 1);
  return { system, queries: labels.length, p5: p5 / n, p1: p1 / n, mrr: mrr / n, judged5: judged / n };
}

/** Rows for Ringkas and the TF-IDF baseline; null when the Tempo data is absent. */
export function evalRelated(): RelatedRow[] | null {
  const items = loadTempoItems();
  if (items === null) return null;
  const { labels } = loadLabels();
  return [scoreRanker('Ringkas related', ringkasRanker(items), labels, items), scoreRanker('TF-IDF cosine (baseline)', tfidfRanker(items), labels, items)];
}

export function formatRelated(rows: readonly RelatedRow[]): string {
  return table(
    ['system', 'queries', 'P@5', 'P@1', 'MRR', 'judged@5'],
    rows.map((r) => [r.system, r.queries, r.p5, r.p1, r.mrr, r.judged5]),
  );
}

/** The printable table (or a loud note when ../shared is absent). */
export function relatedEvalReport(): string {
  const rows = evalRelated();
  if (rows === null) return 'related stories: ../shared/data/tempo is absent, skipped';
  return `Related stories, Tempo corpus (7,190 items), hand-judged queries (test/fixtures/related/tempo-related.json)\n${formatRelated(rows)}`;
}
