/**
 * The news corpus's speed and memory (`npm run bench`, section "corpus"):
 *  1. Ingest: the 7,190 Tempo items of ../shared/data/tempo/items_history.jsonl, written as RSS
 *     documents of 100 items per section feed, each parsed (feedsmith), deduplicated, clustered,
 *     indexed and stored in a fresh SQLite file through the Corpus service, timed end to end; then
 *     a restart: the index rebuilt from that file.
 *  2. Scale: a synthetic corpus of 50,000 articles (titles, leads and bodies of five leads recombined
 *     from the Tempo items with a seeded generator, spread over 14 days), indexed in memory:
 *     search p50/p95 over 1,000 keyword queries, related p50/p95 over 1,000 articles, and the heap
 *     the index holds (after a forced GC when node runs with --expose-gc).
 * Numbers are printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/adapters/store/index.js';
import { parseFeedDocument } from '../src/core/corpus/feed.js';
import { NewsCorpus, type CorpusArticle } from '../src/core/corpus/news-corpus.js';
import { parseFeedDate } from '../src/core/corpus/dates.js';
import { createLogger } from '../src/logger.js';
import { createCorpus } from '../src/services/corpus.js';
import { loadTempoItems, type TempoItem } from '../eval/related.js';
import { table } from '../eval/table.js';
import { prng } from './prng.js';

const DAY = 24 * 3600_000;
const logger = createLogger({ level: 'silent' });

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The items as the feeds would have served them: one RSS document per 100 items of a section. */
export function tempoFeeds(items: readonly TempoItem[], perDocument = 100): { url: string; xml: string }[] {
  const bySection = new Map<string, TempoItem[]>();
  for (const o of items) {
    const list = bySection.get(o.feed) ?? [];
    list.push(o);
    bySection.set(o.feed, list);
  }
  const docs: { url: string; xml: string }[] = [];
  for (const [section, list] of bySection) {
    for (let i = 0; i < list.length; i += perDocument) {
      const body = list
        .slice(i, i + perDocument)
        .map((o) => `<item><title>${escapeXml(o.title)}</title><link>${escapeXml(o.link)}</link><pubDate>${escapeXml(o.pubDate)}</pubDate><description>${escapeXml(o.description)}</description></item>`)
        .join('\n');
      docs.push({ url: `https://rss.tempo.co/${section}`, xml: `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Tempo ${section}</title><link>https://www.tempo.co/</link><description>Tempo</description>\n${body}\n</channel></rss>` });
    }
  }
  return docs;
}

async function benchIngest(items: readonly TempoItem[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ringkas-bench-corpus-'));
  const url = `sqlite://${join(dir, 'corpus.sqlite')}`;
  const latest = Math.max(...items.map((o) => parseFeedDate(o.pubDate) ?? 0));
  const config = { FEEDS: [], RETENTION_DAYS: 3650 };
  const docs = tempoFeeds(items);
  try {
    const store = await openStore(url, logger);
    await store.ping();
    const corpus = createCorpus({ config, store, fetcher: { fetchFeed: () => Promise.reject(new Error('offline')) }, logger, now: () => latest, schedule: false, pollOnStart: false });
    await corpus.start();
    const t0 = performance.now();
    let parsed = 0;
    let added = 0;
    for (const d of docs) {
      const feed = parseFeedDocument(d.xml, { feedUrl: d.url, now: latest });
      parsed += feed.entries.length;
      added += (await corpus.ingest(d.url, feed, latest)).added;
    }
    const ingestMs = performance.now() - t0;
    const clusters = new Set(corpus.storiesBetween(0, latest + 1).map((s) => s.clusterId)).size;
    await corpus.stop();
    await store.close();

    const again = await openStore(url, logger);
    const t1 = performance.now();
    const restarted = createCorpus({ config, store: again, fetcher: { fetchFeed: () => Promise.reject(new Error('offline')) }, logger, now: () => latest, schedule: false, pollOnStart: false });
    await restarted.start();
    const loadMs = performance.now() - t1;
    const reloaded = restarted.size;
    await restarted.stop();
    await again.close();

    return [
      `Corpus ingest: ${items.length} Tempo items in ${docs.length} RSS documents -> parse, dedup, cluster, index, SQLite (one process, bar < 5 s)`,
      table(
        ['step', 'items', 'ms', 'items/s'],
        [
          ['parse + dedup + cluster + index + store', parsed, Math.round(ingestMs), Math.round((parsed / ingestMs) * 1000)],
          ['restart: rebuild from SQLite', reloaded, Math.round(loadMs), Math.round((reloaded / loadMs) * 1000)],
        ],
      ),
      `new articles ${added}, duplicates ${parsed - added}, story clusters ${clusters} (${added - clusters} stories joined another's cluster)`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Articles recombined from the Tempo items: title words of two items, a lead, a body of five leads. */
export function syntheticArticles(items: readonly TempoItem[], n: number, now: number): CorpusArticle[] {
  const rnd = prng(20_251_129);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const outlets = ['Antara', 'Kompas', 'Detik', 'Tempo', 'CNN Indonesia', 'Liputan6', 'Republika', 'Okezone', 'Suara', 'Tribunnews'];
  const out: CorpusArticle[] = [];
  for (let i = 0; i < n; i++) {
    const a = pick(items);
    const b = pick(items);
    const words = a.title.split(' ');
    const extra = b.title.split(' ');
    const title = [...words.slice(0, Math.max(3, Math.ceil(words.length * 0.7))), ...extra.slice(0, 3)].join(' ');
    const body = Array.from({ length: 5 }, () => pick(items).description).join(' ');
    const id = `syn-${i}`;
    out.push({
      id,
      url: `https://${pick(outlets).toLowerCase().replace(/\s/g, '')}.example/berita/${i}`,
      key: `synthetic/${i}`,
      feedUrl: 'https://synthetic.example/rss',
      outlet: pick(outlets),
      title,
      lead: a.description,
      body,
      publishedAt: now - Math.floor(rnd() * 14 * DAY),
      seenAt: now,
    });
  }
  return out;
}

function heapUsed(): number {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) {
    g();
    g();
  }
  return process.memoryUsage().heapUsed;
}

async function benchScale(items: readonly TempoItem[], n = 50_000): Promise<string> {
  const now = Date.parse('2026-06-08T00:00:00Z');
  const articles = syntheticArticles(items, n, now);
  const bodyWords = Math.round(articles.slice(0, 2000).reduce((sum, a) => sum + (a.body ?? '').split(/\s+/).length, 0) / Math.min(2000, articles.length));
  const gcOn = (globalThis as { gc?: () => void }).gc !== undefined;
  const before = heapUsed();
  const t0 = performance.now();
  const corpus = new NewsCorpus({ retentionMs: 14 * DAY });
  for (const a of articles) corpus.add(a);
  const buildMs = performance.now() - t0;
  // The articles' texts are the store's, not the index's: drop them before measuring.
  articles.length = 0;
  const after = heapUsed();

  const rnd = prng(7);
  const queries: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const words = (items[Math.floor(rnd() * items.length)] as TempoItem).title.split(' ').filter((w) => w.length > 3);
    const start = Math.floor(rnd() * Math.max(1, words.length - 2));
    queries.push(words.slice(start, start + 1 + Math.floor(rnd() * 3)).join(' ') || 'harga');
  }
  for (const q of queries.slice(0, 100)) corpus.search(q, { k: 5, now });
  const searchTimes = queries.map((q) => {
    const s = performance.now();
    corpus.search(q, { k: 5, now });
    return performance.now() - s;
  });
  const ids = Array.from({ length: 1000 }, () => `syn-${Math.floor(rnd() * n)}`);
  for (const id of ids.slice(0, 100)) corpus.relatedTo(id, { k: 5 });
  const relatedTimes = ids.map((id) => {
    const s = performance.now();
    corpus.relatedTo(id, { k: 5 });
    return performance.now() - s;
  });
  const probe = items.slice(0, 200).map((o) => ({ title: o.title, lead: o.description, publishedAt: now - DAY }));
  const probeTimes = probe.map((p) => {
    const s = performance.now();
    corpus.relatedFor(p, { k: 5, now });
    return performance.now() - s;
  });
  const mem = process.memoryUsage();
  return [
    `Corpus at scale: ${n.toLocaleString('en')} synthetic articles (Tempo text recombined, bodies of ~${bodyWords} words, 14 days), one core`,
    table(
      ['operation', 'runs', 'p50 ms', 'p95 ms', 'max ms', 'bar'],
      [
        ['search (1-3 keywords)', searchTimes.length, percentile(searchTimes, 50), percentile(searchTimes, 95), percentile(searchTimes, 100), 'p95 <= 10'],
        ['related (article in the corpus)', relatedTimes.length, percentile(relatedTimes, 50), percentile(relatedTimes, 95), percentile(relatedTimes, 100), 'p95 <= 20'],
        ['related (article read from a link)', probeTimes.length, percentile(probeTimes, 50), percentile(probeTimes, 95), percentile(probeTimes, 100), '-'],
      ],
    ),
    `index built in ${(buildMs / 1000).toFixed(1)} s; heap held by the index ${((after - before) / 1e6).toFixed(1)} MB (bar <= 300 MB${gcOn ? '' : '; run node with --expose-gc for an exact figure'}); heap used ${(mem.heapUsed / 1e6).toFixed(1)} MB, rss ${(mem.rss / 1e6).toFixed(1)} MB; ${corpus.size} articles held`,
  ].join('\n');
}

/** The printable corpus section of `npm run bench`. */
export async function benchCorpus(opts: { articles?: number } = {}): Promise<string> {
  const items = loadTempoItems();
  if (items === null) return 'corpus: ../shared/data/tempo is absent, skipped';
  return `${await benchIngest(items)}\n\n${await benchScale(items, opts.articles ?? 50_000)}`;
}
