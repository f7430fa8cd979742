/**
 * The news corpus service: follows the configured feeds, keeps what they publish in the store, and
 * answers "what is there about X?" (search) and "what is related to this?" (relatedFor).
 *
 *   const corpus = createCorpus({ config, store, fetcher, logger });
 *   await corpus.start();   // loads the store into the index, polls every feed once (in the
 *                           // background: corpus.firstPoll), then on cron every N minutes
 *   corpus.search('banjir bandang', 5);
 *   corpus.relatedFor(reading.article, 5);
 *   await corpus.stop();    // cron stopped, queued reads dropped, the running poll let finish
 *
 * A store that is down is reported (logged once, `status.storeOk`), and the corpus goes on in
 * memory: new articles wait in a bounded queue and are written when the store answers again; a
 * store that was down at start-up is loaded when it comes back.
 */
import type { Article, Reading, RelatedStory } from '../core/article-types.js';
import { toRingkasError } from '../core/errors.js';
import type { ParsedFeed } from '../core/corpus/feed.js';
import { articleId, NewsCorpus, type CorpusArticle, type CorpusHit, type StoryRecord } from '../core/corpus/news-corpus.js';
import { outletName } from '../core/corpus/outlets.js';
import { storyKey, cleanStoryUrl } from '../core/corpus/url.js';
import { FeedPoller, type FeedPollerOptions, type FeedPollResult, type IngestOutcome } from '../adapters/feeds/poller.js';
import type { FeedFetcher } from '../adapters/http/fetch.js';
import { scheduleFeedJobs, type FeedJobs, type RunCoordinator } from '../adapters/scheduler/feeds.js';
import { createArticleStore, type ArticleStore } from '../adapters/store/articles.js';
import { createFeedStateStore, type FeedState } from '../adapters/store/feed-state.js';
import type { Store } from '../adapters/store/index.js';
import type { Logger } from '../logger.js';

/** The configuration the corpus reads (FEED_POLL_MINUTES and RETENTION_DAYS are optional). */
export interface CorpusConfig {
  FEEDS: readonly string[];
  /** Minutes between polls. Default 15. */
  FEED_POLL_MINUTES?: number | undefined;
  /** Days articles are kept. Default 14. */
  RETENTION_DAYS?: number | undefined;
  /** Zone of the cron expressions. Default Asia/Jakarta. */
  DIGEST_TIMEZONE?: string | undefined;
}

/**
 * The corpus's settings from the app's config; FEED_POLL_MINUTES and RETENTION_DAYS are read from
 * the environment as a fallback while config.ts does not parse them (invalid values are ignored
 * there: config.ts is where they should be validated).
 */
export function corpusConfigFrom(config: { FEEDS: readonly string[]; DIGEST_TIMEZONE?: string; FEED_POLL_MINUTES?: unknown; RETENTION_DAYS?: unknown }, env: Record<string, string | undefined> = {}): CorpusConfig {
  const num = (v: unknown, lo: number, hi: number): number | undefined => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    return Number.isInteger(n) && n >= lo && n <= hi ? n : undefined;
  };
  return {
    FEEDS: config.FEEDS,
    FEED_POLL_MINUTES: num(config.FEED_POLL_MINUTES, 1, 1440) ?? num(env['FEED_POLL_MINUTES'], 1, 1440),
    RETENTION_DAYS: num(config.RETENTION_DAYS, 1, 36_500) ?? num(env['RETENTION_DAYS'], 1, 36_500),
    DIGEST_TIMEZONE: config.DIGEST_TIMEZONE,
  };
}

export interface CorpusOptions {
  config: CorpusConfig;
  /** The shared store (sqlite/redis/memory). Without one the corpus lives in memory only. */
  store?: Store | undefined;
  fetcher: FeedFetcher;
  logger: Logger;
  /** The clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** Start the cron jobs in start(). Default true. */
  schedule?: boolean;
  /** Poll every feed once in start(). Default true. */
  pollOnStart?: boolean;
  /** Several instances on one Redis: each cron tick runs on one of them. */
  runCoordinator?: RunCoordinator;
  /** Requests at once per host (1 or 2). Default 1. */
  perHostConcurrency?: number;
  /** Backoff after a failed feed, doubling per failure. Default 60 s. */
  backoffBaseMs?: number;
  /** Feed poll counters (ringkas_feed_polls_total, ringkas_feed_last_poll_timestamp_seconds). */
  metrics?: FeedPollerOptions['metrics'];
}

export interface PollSummary {
  feeds: number;
  ok: number;
  notModified: number;
  skipped: number;
  failed: number;
  added: number;
  results: FeedPollResult[];
}

/** A related story with where and when it was published. */
export interface CorpusRelated extends RelatedStory {
  outlet?: string;
  publishedAt?: string;
}

export interface FeedHealth extends FeedState {
  /** ok, failing (last poll failed), waiting (backoff or host pause), never (not polled yet). */
  health: 'ok' | 'failing' | 'waiting' | 'never';
  configured: boolean;
}

export interface CorpusStatus {
  storeOk: boolean;
  /** Articles loaded from the store at start-up (or when it came back). */
  loaded: number;
  /** Articles waiting to be written because the store failed. */
  pendingWrites: number;
  lastPollAt?: number;
}

export interface Corpus {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when the first poll started by start() has finished (at once without one). */
  readonly firstPoll: Promise<PollSummary | undefined>;
  /** Polls every feed now (feeds in backoff wait unless force). */
  pollNow(opts?: { force?: boolean }): Promise<PollSummary>;
  /** Entries of one feed document -> the corpus and the store (what the poller does per feed). */
  ingest(feedUrl: string, feed: ParsedFeed, fetchedAt: number): Promise<IngestOutcome>;
  /** Drops articles past the retention window, in memory and in the store. */
  cleanup(): Promise<{ removed: number }>;
  /** The best stories of the window for keywords: one per cluster, with outlet and time. */
  search(query: string, k?: number): CorpusHit[];
  /**
   * Related stories for an article: from the corpus (the article itself and its near-duplicates
   * left out, outlets diversified), then the article's own "Baca juga" links (score 0).
   */
  relatedFor(article: Article, k?: number): CorpusRelated[];
  /** Adds an article someone read to the corpus (and the store). */
  remember(reading: Reading): void;
  /** The stories published in (since, until] with their story clusters (for digests). */
  storiesBetween(since: number, until: number): StoryRecord[];
  /** Adds stored articles this instance does not hold yet (written by another instance). */
  refreshFromStore(): Promise<number>;
  /** Health of the configured feeds (and of stored feeds no longer configured). */
  feedHealth(): Promise<FeedHealth[]>;
  readonly size: number;
  readonly status: CorpusStatus;
}

const DAY = 24 * 3600_000;
const MAX_PENDING = 50_000;

export function createCorpus(opts: CorpusOptions): Corpus {
  const log = opts.logger.child({ component: 'corpus' });
  const now = opts.now ?? Date.now;
  const retentionMs = Math.max(1, opts.config.RETENTION_DAYS ?? 14) * DAY;
  const pollMinutes = opts.config.FEED_POLL_MINUTES ?? 15;
  const feeds = [...new Set(opts.config.FEEDS)];
  const core = new NewsCorpus({ retentionMs });
  const articles: ArticleStore | undefined = opts.store !== undefined ? createArticleStore(opts.store, { retentionMs }) : undefined;
  const states = opts.store !== undefined ? createFeedStateStore(opts.store) : undefined;
  const poller = new FeedPoller({
    fetcher: opts.fetcher,
    states,
    logger: opts.logger,
    now,
    maxAgeMs: retentionMs,
    ...(opts.perHostConcurrency !== undefined ? { perHostConcurrency: opts.perHostConcurrency } : {}),
    ...(opts.backoffBaseMs !== undefined ? { backoffBaseMs: opts.backoffBaseMs } : {}),
    metrics: opts.metrics,
  });
  const pending = new Map<string, CorpusArticle>();
  const status: CorpusStatus = { storeOk: articles !== undefined, loaded: 0, pendingWrites: 0 };
  let loadedFromStore = articles === undefined;
  let jobs: FeedJobs | undefined;
  let running: Promise<PollSummary> | undefined;
  let started = false;
  let stopped = false;
  let firstPoll: Promise<PollSummary | undefined> = Promise.resolve(undefined);

  function storeFailed(err: unknown, what: string): void {
    const e = toRingkasError(err);
    if (status.storeOk) log.error({ err: e, code: e.code, what }, 'store unavailable: the corpus carries on in memory and writes when the store answers again');
    status.storeOk = false;
  }

  function storeBack(): void {
    if (!status.storeOk) log.info('store answers again');
    status.storeOk = true;
  }

  /** Loads every stored article into the index (once; again later if the store was down). */
  async function load(): Promise<void> {
    if (articles === undefined || loadedFromStore) return;
    const t0 = Date.now();
    const at = now();
    const cutoff = at - retentionMs;
    let n = 0;
    const expired: string[] = [];
    try {
      for await (const batch of articles.scan()) {
        batch.sort((a, b) => a.publishedAt - b.publishedAt || (a.id < b.id ? -1 : 1));
        for (const a of batch) {
          if (a.publishedAt < cutoff) {
            expired.push(a.id);
            continue;
          }
          if (core.add(a) !== 'duplicate') n++;
        }
      }
      loadedFromStore = true;
      status.loaded += n;
      poller.trustStoredValidatorsBefore(at);
      storeBack();
      log.info({ articles: n, ms: Date.now() - t0 }, 'corpus loaded from the store');
      if (expired.length > 0) await articles.delete(expired).catch((err: unknown) => storeFailed(err, 'delete'));
    } catch (err) {
      storeFailed(err, 'load');
    }
  }

  /** Stored articles this instance does not hold yet (another instance polled them). */
  async function refreshFromStore(): Promise<number> {
    if (articles === undefined) return 0;
    if (!loadedFromStore) {
      await load();
      return status.loaded;
    }
    const cutoff = now() - retentionMs;
    let n = 0;
    try {
      for await (const batch of articles.scan()) {
        const fresh = batch.filter((a) => a.publishedAt >= cutoff && !core.has(a.id));
        fresh.sort((a, b) => a.publishedAt - b.publishedAt || (a.id < b.id ? -1 : 1));
        for (const a of fresh) if (core.add(a) === 'added') n++;
      }
      storeBack();
    } catch (err) {
      storeFailed(err, 'refresh');
    }
    if (n > 0) log.info({ articles: n, size: core.size }, 'articles from other instances added');
    // Whoever polled, the feeds were read then: that is this instance's poll age too (/healthz).
    if (states !== undefined) {
      try {
        const known = await states.getMany(feeds);
        for (const st of known.values()) {
          const at = st.lastAttemptAt;
          if (at !== undefined && at > (status.lastPollAt ?? 0)) status.lastPollAt = at;
        }
      } catch (err) {
        storeFailed(err, 'feed states');
      }
    }
    return n;
  }

  async function flushPending(): Promise<boolean> {
    if (articles === undefined) return false;
    if (pending.size === 0) return true;
    try {
      await articles.put([...pending.values()], now());
      log.info({ articles: pending.size }, 'articles kept while the store was down are now written');
      pending.clear();
      status.pendingWrites = 0;
      storeBack();
      return true;
    } catch (err) {
      storeFailed(err, 'write');
      return false;
    }
  }

  async function keep(list: readonly CorpusArticle[]): Promise<boolean> {
    if (articles === undefined) return false;
    if (list.length === 0) return flushPending();
    if (pending.size > 0 && !(await flushPending())) {
      queue(list);
      return false;
    }
    try {
      await articles.put(list, now());
      storeBack();
      return true;
    } catch (err) {
      storeFailed(err, 'write');
      queue(list);
      return false;
    }
  }

  function queue(list: readonly CorpusArticle[]): void {
    for (const a of list) {
      if (pending.size >= MAX_PENDING) {
        const oldest = pending.keys().next().value;
        if (oldest !== undefined) pending.delete(oldest);
      }
      pending.set(a.id, a);
    }
    status.pendingWrites = pending.size;
  }

  async function ingest(feedUrl: string, feed: ParsedFeed, fetchedAt: number): Promise<IngestOutcome> {
    const report = core.ingestEntries({ url: feedUrl, ...(feed.title !== undefined ? { title: feed.title } : {}) }, feed.entries, fetchedAt);
    if (report.fromOtherFeeds > 0 || report.guidConflicts > 0) {
      log.debug({ feed: feedUrl, fromOtherFeeds: report.fromOtherFeeds, guidConflicts: report.guidConflicts }, 'items already known from other feeds');
    }
    const changed = [...report.added, ...report.updated];
    const stored = await keep(changed);
    const first = feed.entries[0];
    const outcome: IngestOutcome = { added: report.added.length, stored: stored || articles === undefined };
    if (first !== undefined) outcome.outlet = outletName(first.link, feedUrl, feed.title);
    return outcome;
  }

  async function pollNow(o: { force?: boolean } = {}): Promise<PollSummary> {
    if (running !== undefined) return running;
    const run = (async (): Promise<PollSummary> => {
      await load();
      const results = await poller.pollAll(feeds, ingest, o);
      status.lastPollAt = now();
      const summary: PollSummary = { feeds: results.length, ok: 0, notModified: 0, skipped: 0, failed: 0, added: 0, results };
      for (const r of results) {
        if (r.status === 'ok') summary.ok++;
        else if (r.status === 'not-modified') summary.notModified++;
        else if (r.status === 'skipped') summary.skipped++;
        else summary.failed++;
        summary.added += r.added ?? 0;
      }
      log.info({ feeds: summary.feeds, ok: summary.ok, notModified: summary.notModified, skipped: summary.skipped, failed: summary.failed, added: summary.added, size: core.size }, 'feeds polled');
      return summary;
    })();
    running = run;
    try {
      return await run;
    } finally {
      running = undefined;
    }
  }

  async function cleanup(): Promise<{ removed: number }> {
    const at = now();
    const ids = core.expire(at);
    let removed = ids.length;
    for (const id of ids) pending.delete(id);
    status.pendingWrites = pending.size;
    if (articles !== undefined) {
      try {
        await articles.delete(ids);
        // Rows this instance never held (written by another instance, or before a crash).
        removed += await articles.deleteOlderThan(at - retentionMs);
        storeBack();
      } catch (err) {
        storeFailed(err, 'cleanup');
      }
    }
    if (removed > 0) log.info({ removed, size: core.size }, 'articles past the retention window removed');
    return { removed };
  }

  function relatedFor(article: Article, k = 5): CorpusRelated[] {
    const url = article.canonicalUrl ?? article.url;
    const published = article.publishedAt !== undefined ? Date.parse(article.publishedAt) : Number.NaN;
    const [lead, ...rest] = article.paragraphs;
    const hits = core.relatedFor(
      {
        title: article.title,
        lead: lead ?? '',
        body: rest.join('\n'),
        ...(url !== undefined ? { url } : {}),
        ...(Number.isFinite(published) ? { publishedAt: published } : {}),
      },
      { k, now: now() },
    );
    const out: CorpusRelated[] = hits.map((h) => ({
      id: h.id,
      ...(h.url !== undefined ? { url: h.url } : {}),
      title: h.title,
      score: Math.round(h.relevance * 1000) / 1000,
      ...(h.outlet !== undefined ? { outlet: h.outlet } : {}),
      publishedAt: new Date(h.publishedAt).toISOString(),
    }));
    const seenKeys = new Set(out.map((r) => (r.url !== undefined ? storyKey(r.url) : undefined)).filter((x) => x !== undefined));
    const seenTitles = new Set(out.map((r) => r.title.toLowerCase()));
    for (const link of article.links) {
      const key = link.url !== undefined ? storyKey(link.url) : undefined;
      if ((key !== undefined && seenKeys.has(key)) || seenTitles.has(link.title.toLowerCase())) continue;
      if (key !== undefined) seenKeys.add(key);
      seenTitles.add(link.title.toLowerCase());
      out.push({ ...(link.url !== undefined ? { url: link.url } : {}), title: link.title, score: 0 });
    }
    return out;
  }

  function remember(reading: Reading): void {
    const a = reading.article;
    const link = a.canonicalUrl ?? a.url;
    const url = link !== undefined ? cleanStoryUrl(link) : undefined;
    const key = url !== undefined ? storyKey(url) : undefined;
    if (url === undefined || key === undefined || a.title.trim() === '') return;
    const at = now();
    const published = a.publishedAt !== undefined ? Date.parse(a.publishedAt) : Number.NaN;
    const [lead, ...rest] = a.paragraphs;
    const article: CorpusArticle = {
      id: articleId(key),
      url,
      key,
      feedUrl: '',
      outlet: a.siteName !== undefined && a.siteName.length <= 40 ? a.siteName : outletName(url, url),
      title: a.title,
      lead: (lead ?? '').slice(0, 1_200),
      publishedAt: Number.isFinite(published) && published <= at ? published : at,
      seenAt: at,
    };
    if (rest.length > 0) article.body = rest.join('\n').slice(0, 12_000);
    if (article.publishedAt < at - retentionMs) return;
    if (core.add(article) === 'duplicate') return;
    void keep([article]);
  }

  async function feedHealth(): Promise<FeedHealth[]> {
    const at = now();
    const configured = await poller.states(feeds);
    let others: FeedState[] = [];
    if (states !== undefined) {
      try {
        others = (await states.list()).filter((s) => !feeds.includes(s.url));
      } catch (err) {
        storeFailed(err, 'feed states');
      }
    }
    const judge = (s: FeedState, isConfigured: boolean): FeedHealth => {
      let health: FeedHealth['health'];
      if (s.lastAttemptAt === undefined) health = 'never';
      else if (s.nextAttemptAt !== undefined && s.nextAttemptAt > at && s.consecutiveFailures > 0) health = 'waiting';
      else if (s.consecutiveFailures > 0) health = 'failing';
      else health = 'ok';
      return { ...s, outlet: s.outlet ?? outletName(s.url, s.url, s.title), health, configured: isConfigured };
    };
    return [...configured.map((s) => judge(s, true)), ...others.map((s) => judge(s, false))];
  }

  return {
    async start() {
      if (started) return;
      started = true;
      stopped = false;
      await load();
      if (opts.pollOnStart !== false && feeds.length > 0) {
        firstPoll = pollNow().catch((err: unknown) => {
          log.error({ err }, 'first poll failed');
          return undefined;
        });
      }
      if (opts.schedule !== false) {
        jobs = scheduleFeedJobs({
          pollMinutes,
          timezone: opts.config.DIGEST_TIMEZONE ?? 'Asia/Jakarta',
          poll: () => pollNow(),
          cleanup,
          // With a run coordinator only one instance polls each tick: the others read what it stored.
          ...(opts.runCoordinator !== undefined ? { refresh: refreshFromStore } : {}),
          logger: opts.logger,
          runCoordinator: opts.runCoordinator,
        });
        log.info({ feeds: feeds.length, every: jobs.pollExpression, retentionDays: retentionMs / DAY }, 'feed polling scheduled');
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      started = false;
      const j = jobs;
      jobs = undefined;
      poller.clear();
      await j?.stop();
      // Let a poll in progress finish its feeds in flight (they hold no more than one request per host).
      if (running !== undefined) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([running.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, 20_000)))]);
        clearTimeout(timer);
      }
      await flushPending();
    },
    get firstPoll() {
      return firstPoll;
    },
    pollNow,
    ingest,
    cleanup,
    search(query, k = 5) {
      return core.search(query, { k, now: now() });
    },
    relatedFor,
    remember,
    feedHealth,
    storiesBetween: (since, until) => core.storiesBetween(since, until),
    refreshFromStore,
    get size() {
      return core.size;
    },
    get status() {
      return { ...status };
    },
  };
}
