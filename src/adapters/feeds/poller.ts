/**
 * The feed poller: reads feeds politely and keeps each feed's health.
 *
 * - Through the safe fetcher (SSRF guard, timeouts, size cap, redirects capped), as feeds.
 * - Conditional GET: the ETag / Last-Modified of a feed's last good answer go out as
 *   If-None-Match / If-Modified-Since; a 304 costs nothing more.
 * - Politeness: one p-queue per host (1 request at a time by default, 2 at most), a global cap on
 *   feeds read at once, and backoff: a failing feed waits 1, 2, 4, ... minutes (up to 6 hours)
 *   before it is read again; a 429 or 503 with Retry-After pauses the whole host for that long.
 * - Every problem is logged against its feed and recorded in its state; the other feeds go on.
 *
 * Parsing is pure (src/core/corpus/feed.ts); what to do with the entries is the caller's
 * `ingest` callback, run inside the feed's queue slot so that a feed's state is written after its
 * articles are kept.
 */
import PQueue from 'p-queue';
import { RingkasError, toRingkasError } from '../../core/errors.js';
import { FeedParseError, parseFeedDocument, problemCount, type ParsedFeed } from '../../core/corpus/feed.js';
import type { FeedFetcher } from '../http/fetch.js';
import { emptyFeedState, type FeedState, type FeedStateStore } from '../store/feed-state.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../metrics.js';

export interface IngestOutcome {
  /** New articles the feed brought in. */
  added: number;
  /** The outlet the feed's stories belong to, when known. */
  outlet?: string;
  /** Whether they were stored (validators are kept only when they were). */
  stored: boolean;
}

export interface FeedPollerOptions {
  fetcher: FeedFetcher;
  /** Where feed states live; without it they live in memory only. */
  states?: FeedStateStore | undefined;
  logger: Logger;
  now?: () => number;
  /** Requests at once to one host: 1 (default) or 2. */
  perHostConcurrency?: number;
  /** Feeds read at once in all. Default 6. */
  concurrency?: number;
  /** First backoff after a failure. Default 60 s; doubles per failure. */
  backoffBaseMs?: number;
  /** Longest backoff. Default 6 hours. */
  backoffMaxMs?: number;
  /** Largest feed accepted in bytes (never more than the fetcher's own cap). Default 5,000,000. */
  maxFeedBytes?: number;
  /** Items older than this are left out when parsing. */
  maxAgeMs?: number;
  /** Counts feed reads by outcome and when a round of polls finished. */
  metrics?: Pick<Metrics, 'feedPoll' | 'feedPollsFinished'> | undefined;
}

export type PollStatus = 'ok' | 'not-modified' | 'skipped' | 'error';

export interface FeedPollResult {
  url: string;
  status: PollStatus;
  /** Why a feed was skipped (backoff) or failed. */
  reason?: string;
  error?: { code: string; message: string };
  /** Entries parsed (status ok). */
  entries?: number;
  added?: number;
  problems?: Record<string, number>;
  state: FeedState;
}

export type IngestFn = (url: string, feed: ParsedFeed, fetchedAt: number) => Promise<IngestOutcome>;

export class FeedPoller {
  readonly #fetcher: FeedFetcher;
  readonly #store: FeedStateStore | undefined;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #perHost: number;
  readonly #global: PQueue;
  readonly #hosts = new Map<string, PQueue>();
  readonly #hostPausedUntil = new Map<string, number>();
  readonly #states = new Map<string, FeedState>();
  /** Validators this process got itself (safe to use: their items went through its ingest). */
  readonly #ownValidators = new Set<string>();
  readonly #opts: Required<Pick<FeedPollerOptions, 'backoffBaseMs' | 'backoffMaxMs' | 'maxFeedBytes'>> & Pick<FeedPollerOptions, 'maxAgeMs'>;
  readonly #metrics: FeedPollerOptions['metrics'];
  /** States loaded from the store at this time; validators saved before it are covered by the loaded articles. */
  #trustValidatorsBefore = 0;
  #storeWarned = false;

  constructor(opts: FeedPollerOptions) {
    this.#fetcher = opts.fetcher;
    this.#store = opts.states;
    this.#log = opts.logger.child({ component: 'feeds' });
    this.#now = opts.now ?? Date.now;
    this.#metrics = opts.metrics;
    this.#perHost = Math.min(2, Math.max(1, opts.perHostConcurrency ?? 1));
    this.#global = new PQueue({ concurrency: Math.max(1, opts.concurrency ?? 6) });
    this.#opts = {
      backoffBaseMs: opts.backoffBaseMs ?? 60_000,
      backoffMaxMs: opts.backoffMaxMs ?? 6 * 3600_000,
      maxFeedBytes: opts.maxFeedBytes ?? 5_000_000,
      ...(opts.maxAgeMs !== undefined ? { maxAgeMs: opts.maxAgeMs } : {}),
    };
  }

  /**
   * Validators stored before `at` may be used for conditional GETs: the caller loaded every stored
   * article at that time, so a 304 cannot hide items this process never saw.
   */
  trustStoredValidatorsBefore(at: number): void {
    this.#trustValidatorsBefore = at;
  }

  /** The states of these feeds (stored ones, or fresh ones). */
  async states(urls: readonly string[]): Promise<FeedState[]> {
    await this.#load(urls);
    return urls.map((u) => this.#states.get(u) ?? emptyFeedState(u));
  }

  /** Reads every feed once (politely), ingesting what each brings; never throws for one feed's failure. */
  async pollAll(urls: readonly string[], ingest: IngestFn, opts: { force?: boolean } = {}): Promise<FeedPollResult[]> {
    await this.#load(urls);
    const unique = [...new Set(urls)];
    const results = await Promise.all(unique.map((url) => this.poll(url, ingest, opts)));
    this.#metrics?.feedPollsFinished(this.#now());
    return results;
  }

  /** Reads one feed (waiting for its host's turn). */
  async poll(url: string, ingest: IngestFn, opts: { force?: boolean } = {}): Promise<FeedPollResult> {
    await this.#load([url]);
    const host = hostKey(url);
    let queue = this.#hosts.get(host);
    if (queue === undefined) {
      queue = new PQueue({ concurrency: this.#perHost });
      this.#hosts.set(host, queue);
    }
    const q = queue;
    const result = (await this.#global.add(() => q.add(() => this.#pollNow(url, host, ingest, opts.force === true)))) as FeedPollResult;
    this.#metrics?.feedPoll(result.status);
    return result;
  }

  /** Waits for every queued read to finish. */
  async idle(): Promise<void> {
    await this.#global.onIdle();
    await Promise.all([...this.#hosts.values()].map((q) => q.onIdle()));
  }

  /** Drops queued reads that have not started. */
  clear(): void {
    this.#global.clear();
    for (const q of this.#hosts.values()) q.clear();
  }

  async #load(urls: readonly string[]): Promise<void> {
    const missing = urls.filter((u) => !this.#states.has(u));
    if (missing.length === 0) return;
    if (this.#store === undefined) {
      for (const u of missing) this.#states.set(u, emptyFeedState(u));
      return;
    }
    try {
      const stored = await this.#store.getMany(missing);
      for (const [u, s] of stored) if (!this.#states.has(u)) this.#states.set(u, s);
    } catch (err) {
      this.#warnStore(err);
    }
    for (const u of missing) if (!this.#states.has(u)) this.#states.set(u, emptyFeedState(u));
  }

  #warnStore(err: unknown): void {
    const e = toRingkasError(err);
    if (!this.#storeWarned) this.#log.error({ err: e, code: e.code }, 'feed state store unavailable: feed health is kept in memory until it answers');
    this.#storeWarned = true;
  }

  async #save(state: FeedState, withValidators = true): Promise<void> {
    this.#states.set(state.url, state);
    if (this.#store === undefined) return;
    const persisted = { ...state };
    if (!withValidators) {
      delete persisted.etag;
      delete persisted.lastModified;
    }
    try {
      await this.#store.set(persisted);
      if (this.#storeWarned) this.#log.info('feed state store answers again');
      this.#storeWarned = false;
    } catch (err) {
      this.#warnStore(err);
    }
  }

  async #pollNow(url: string, host: string, ingest: IngestFn, force: boolean): Promise<FeedPollResult> {
    const now = this.#now();
    const prev = this.#states.get(url) ?? emptyFeedState(url);
    const log = this.#log.child({ feed: url });
    const pausedUntil = this.#hostPausedUntil.get(host) ?? 0;
    if (!force && pausedUntil > now) {
      log.debug({ until: new Date(pausedUntil).toISOString() }, 'host asked us to wait (Retry-After): feed skipped');
      return { url, status: 'skipped', reason: `host paused until ${new Date(pausedUntil).toISOString()}`, state: prev };
    }
    if (!force && prev.nextAttemptAt !== undefined && prev.nextAttemptAt > now) {
      log.debug({ until: new Date(prev.nextAttemptAt).toISOString(), failures: prev.consecutiveFailures }, 'feed in backoff: skipped');
      return { url, status: 'skipped', reason: `backoff until ${new Date(prev.nextAttemptAt).toISOString()}`, state: prev };
    }

    const useValidators = this.#ownValidators.has(url) || (prev.lastSuccessAt !== undefined && prev.lastSuccessAt <= this.#trustValidatorsBefore);
    const started = { ...prev, lastAttemptAt: now };
    try {
      const fetched = await this.#fetcher.fetchFeed(url, {
        ...(useValidators && prev.etag !== undefined ? { etag: prev.etag } : {}),
        ...(useValidators && prev.lastModified !== undefined ? { lastModified: prev.lastModified } : {}),
        maxBytes: this.#opts.maxFeedBytes,
      });
      const fetchedAt = this.#now();
      if (fetched.notModified) {
        const state: FeedState = {
          ...started,
          lastSuccessAt: fetchedAt,
          consecutiveFailures: 0,
          notModifiedCount: (prev.notModifiedCount ?? 0) + 1,
        };
        delete state.nextAttemptAt;
        await this.#save(state);
        log.debug('feed not modified (304)');
        return { url, status: 'not-modified', state };
      }
      const parsed = parseFeedDocument(fetched.text, {
        feedUrl: fetched.finalUrl,
        now: fetchedAt,
        ...(this.#opts.maxAgeMs !== undefined ? { maxAgeMs: this.#opts.maxAgeMs } : {}),
      });
      const outcome = await ingest(url, parsed, fetchedAt);
      const problems = Object.fromEntries(Object.entries(parsed.problems).filter(([, n]) => n > 0));
      const state: FeedState = {
        ...started,
        lastSuccessAt: fetchedAt,
        consecutiveFailures: 0,
        itemsSeen: prev.itemsSeen + outcome.added,
        lastItemCount: parsed.itemCount,
        lastNewCount: outcome.added,
        lastProblems: problems,
      };
      delete state.nextAttemptAt;
      if (parsed.title !== undefined) state.title = parsed.title;
      if (outcome.outlet !== undefined) state.outlet = outcome.outlet;
      delete state.etag;
      delete state.lastModified;
      if (fetched.etag !== undefined) state.etag = fetched.etag;
      if (fetched.lastModified !== undefined) state.lastModified = fetched.lastModified;
      if (fetched.etag !== undefined || fetched.lastModified !== undefined) this.#ownValidators.add(url);
      // Validators are stored only when the articles they stand for were: otherwise a restart would
      // get 304 for items it never kept.
      await this.#save(state, outcome.stored);
      const problemTotal = problemCount(parsed.problems);
      if (problemTotal > 0) log.warn({ problems }, 'feed items with problems (counted, skipped or fixed)');
      log.info({ items: parsed.itemCount, added: outcome.added, format: parsed.format }, 'feed read');
      return { url, status: 'ok', entries: parsed.entries.length, added: outcome.added, problems, state };
    } catch (err) {
      return this.#failed(url, host, started, err, log);
    }
  }

  async #failed(url: string, host: string, prev: FeedState, err: unknown, log: Logger): Promise<FeedPollResult> {
    const now = this.#now();
    let code: string;
    let message: string;
    let status: number | undefined;
    let retryAfterMs: number | undefined;
    if (err instanceof FeedParseError) {
      code = err.code;
      message = err.message;
    } else {
      const e = err instanceof RingkasError ? err : toRingkasError(err);
      code = e.code;
      message = e.message;
      if (e.code === 'UNSUPPORTED_CONTENT_TYPE' && e.details['contentType'] === 'text/html') {
        code = 'NOT_A_FEED';
        message = 'the feed URL serves an HTML page';
      }
      status = typeof e.details['status'] === 'number' ? e.details['status'] : undefined;
      retryAfterMs = typeof e.details['retryAfterMs'] === 'number' ? e.details['retryAfterMs'] : undefined;
    }
    const failures = prev.consecutiveFailures + 1;
    let wait = Math.min(this.#opts.backoffMaxMs, this.#opts.backoffBaseMs * 2 ** Math.min(failures - 1, 20));
    if (code === 'RATE_LIMITED' || status === 503) {
      // The host said how long to wait (or we wait at least 5 minutes); every feed on it waits.
      wait = Math.min(Math.max(retryAfterMs ?? 5 * 60_000, wait), 24 * 3600_000);
      this.#hostPausedUntil.set(host, now + wait);
    }
    const state: FeedState = {
      ...prev,
      consecutiveFailures: failures,
      nextAttemptAt: now + wait,
      lastError: { at: now, code, message: message.slice(0, 300), ...(status !== undefined ? { status } : {}) },
    };
    await this.#save(state);
    log.warn({ code, status, failures, retryInMs: wait, err: message }, 'feed failed: skipped until its backoff ends');
    return { url, status: 'error', reason: message, error: { code, message }, state };
  }
}

function hostKey(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}
