/**
 * Composition: config -> logger -> store -> services. Used by the bot (src/index.ts) and the CLI.
 */
import { createFetcher, normalizeUrl } from './adapters/http/index.js';
import { openStore, type Store } from './adapters/store/index.js';
import { createReadingCache } from './adapters/store/readings.js';
import { createSubscriptionStore, type IndexedSubscriptionStore } from './adapters/store/subscriptions.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './adapters/metrics.js';
import { createReaderService, type ReaderService } from './services/read.js';
import { createMemorySearch, type SearchService } from './services/search.js';
import { instanceName, sharedState, storeRunCoordinator } from './adapters/scheduler/coordinator.js';
import { corpusConfigFrom, createCorpus, type Corpus } from './services/corpus.js';
import { createCorpusSearch } from './services/corpus-search.js';
import type { DigestPreviewer } from './services/digest-preview.js';
import { abstractiveFromConfig } from './adapters/llm/index.js';
import type { AbstractiveService } from './services/abstractive.js';

export interface Services {
  reader: ReaderService;
  search: SearchService;
  store?: Store;
  subscriptions?: IndexedSubscriptionStore;
  corpus?: Corpus;
  /** Set once the digest scheduler runs (for /digest preview). */
  digest?: DigestPreviewer;
  /** Grounded abstractive summaries; only with LLM_BASE_URL and LLM_MODEL set. */
  abstractive?: AbstractiveService;
  close(): Promise<void>;
}

export function fetcherFromConfig(config: Config): ReturnType<typeof createFetcher> {
  return createFetcher({
    allowPrivate: config.FETCH_ALLOW_PRIVATE,
    totalTimeoutMs: config.FETCH_TIMEOUT_MS,
    maxBytes: config.FETCH_MAX_BYTES,
  });
}

/** How many pages of user links are fetched at once, and how long one may take, waiting in line included. */
export function readerLimits(config: Config): { concurrency: number; perHost: number; timeoutMs: number } {
  return { concurrency: config.FETCH_CONCURRENCY, perHost: config.FETCH_PER_HOST, timeoutMs: config.FETCH_TIMEOUT_MS };
}

/** Services for one-shot CLI runs: no store, nothing left open. */
export function createCliServices(config: Config, logger: Logger): Services {
  const reader = createReaderService({ fetcher: fetcherFromConfig(config), logger, normalizeUrl: safeNormalize, ...readerLimits(config) });
  const abstractive = abstractiveFromConfig(config, logger);
  return { reader, search: createMemorySearch(), ...(abstractive !== undefined ? { abstractive } : {}), async close() {} };
}

/**
 * Services for the bot: the store (sqlite/redis) opened and checked, readings cached in it, and the
 * news corpus loaded from it (its first feed poll runs in the background).
 */
export async function createBotServices(config: Config, logger: Logger, opts: { pollFeeds?: boolean; metrics?: Metrics | undefined } = {}): Promise<Services> {
  const store = await openStore(config.STORE_URL, logger);
  await store.ping();
  const cache = createReadingCache(store, logger);
  const fetcher = fetcherFromConfig(config);
  const reader = createReaderService({ fetcher, logger, cache, normalizeUrl: safeNormalize, metrics: opts.metrics, ...readerLimits(config) });
  const corpus = createCorpus({
    config: corpusConfigFrom(config),
    store,
    fetcher,
    logger,
    metrics: opts.metrics,
    // Several instances on one Redis: each poll tick runs on one of them; the others read what it stored.
    ...(store.kind === 'redis' ? { runCoordinator: storeRunCoordinator(sharedState(store, { prefix: 'ringkas:feeds:' }), instanceName()) } : {}),
    ...(opts.pollFeeds === false ? { schedule: false, pollOnStart: false } : {}),
  });
  await corpus.start();
  const abstractive = abstractiveFromConfig(config, logger, { store });
  return {
    reader,
    ...(abstractive !== undefined ? { abstractive } : {}),
    search: createCorpusSearch(corpus),
    store,
    subscriptions: createSubscriptionStore(store),
    corpus,
    async close() {
      await corpus.stop();
      await store.close();
    },
  };
}

function safeNormalize(url: string): string {
  try {
    return normalizeUrl(url);
  } catch {
    return url;
  }
}
