/**
 * The optional model server (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL): an OpenAI-compatible chat
 * completions client, the daily token budget, the summary cache, and the factory that puts them
 * behind the abstractive summary service. Without LLM_BASE_URL and LLM_MODEL nothing is built and
 * nothing changes.
 */
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { createAbstractiveService, type AbstractiveService } from '../../services/abstractive.js';
import type { Store } from '../store/index.js';
import { createMemorySummaryCache, createStoreSummaryCache } from './cache.js';
import { createChatClient } from './client.js';

export { createChatClient, chatCompletionsUrl, redactUrl, LlmError, type ChatClient, type ChatCompleter, type ChatCompletion, type LlmFailure } from './client.js';
export { TokenBudget, estimateTokens } from './budget.js';
export { createMemorySummaryCache, createStoreSummaryCache, type SummaryCache, type SummaryRecord } from './cache.js';

export type LlmConfig = Pick<Config, 'LLM_BASE_URL' | 'LLM_API_KEY' | 'LLM_MODEL' | 'LLM_TIMEOUT_MS' | 'LLM_DAILY_TOKENS' | 'LLM_CONCURRENCY'> &
  Partial<Pick<Config, 'DIGEST_TIMEZONE'>>;

export interface AbstractiveFromConfigOptions {
  /** Caches summaries in the store (shared by instances on Redis); an in-memory LRU without one. */
  store?: Store | undefined;
  now?: () => number;
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
}

/** The abstractive summary service, or undefined when LLM_BASE_URL or LLM_MODEL is unset. */
export function abstractiveFromConfig(config: LlmConfig, logger: Logger, opts: AbstractiveFromConfigOptions = {}): AbstractiveService | undefined {
  if (config.LLM_BASE_URL === undefined || config.LLM_MODEL === undefined) return undefined;
  const client = createChatClient({
    baseUrl: config.LLM_BASE_URL,
    model: config.LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    ...(config.LLM_API_KEY !== undefined ? { apiKey: config.LLM_API_KEY } : {}),
    ...(opts.fetch !== undefined ? { fetch: opts.fetch } : {}),
  });
  const now = opts.now ?? Date.now;
  const cache = opts.store !== undefined ? createStoreSummaryCache(opts.store, logger) : createMemorySummaryCache(500, now);
  logger.info(
    {
      component: 'abstractive',
      endpoint: client.endpoint,
      model: config.LLM_MODEL,
      timeoutMs: config.LLM_TIMEOUT_MS,
      dailyTokens: config.LLM_DAILY_TOKENS,
      concurrency: config.LLM_CONCURRENCY,
      auth: config.LLM_API_KEY !== undefined,
    },
    'abstractive summaries on',
  );
  return createAbstractiveService({
    client,
    model: config.LLM_MODEL,
    logger,
    timeoutMs: config.LLM_TIMEOUT_MS,
    dailyTokens: config.LLM_DAILY_TOKENS,
    concurrency: config.LLM_CONCURRENCY,
    cache,
    now,
    ...(config.DIGEST_TIMEZONE !== undefined ? { timeZone: config.DIGEST_TIMEZONE } : {}),
  });
}
