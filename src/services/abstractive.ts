/**
 * Abstractive summaries, optional and grounded: a Reading in, the same Reading out with either a
 * model's bullet points that passed the grounding check (`summaryKind: 'abstractive'`) or its own
 * extractive summary (`summaryKind: 'extractive'`). It never throws and never takes longer than
 * `timeoutMs` (the whole step: cache, queue and request), so a reply is never held beyond it:
 * Discord has deferred the interaction (3 s) and may edit it for 15 minutes, Telegram shows
 * "typing"; past the deadline the extractive summary is shown.
 *
 * The extractive summary stands when the model server times out, rate-limits (429, and then for
 * its Retry-After), fails (5xx, unreachable, 3 failures in a row pause it for 30 s), answers
 * something that is not a chat completion or no text, when fewer than 2 bullets pass the
 * grounding check, when the article is too short to need it, and when the daily token budget is
 * used up (logged once per UTC day). Results are cached by the article's content (sha256 of title
 * and body), grounded bullets for a week, "stay extractive" decisions for a day; failures of the
 * server are not cached. Requests in flight are limited per instance (p-queue); replies go before
 * digests.
 */
import { createHash } from 'node:crypto';
import PQueue from 'p-queue';
import type { Reading, SummaryKind } from '../core/article-types.js';
import { describeIssues, groundBullets, groundingSource, type BulletVerdict, type GroundingOptions } from '../core/grounding.js';
import { buildSummaryMessages, documentTexts, parseBullets, summaryDocument, type ChatMessage } from '../core/llm-prompt.js';
import type { Logger } from '../logger.js';
import { estimateTokens, TokenBudget } from '../adapters/llm/budget.js';
import { createMemorySummaryCache, type SummaryCache, type SummaryRecord } from '../adapters/llm/cache.js';
import { LlmError, type ChatCompleter, type LlmFailure } from '../adapters/llm/client.js';

/** Bumped when the prompt or the grounding rules change, so that old cached answers are not reused. */
export const PROMPT_VERSION = 'p1';

export type SummaryReason =
  | 'generated'
  | 'cached'
  | 'ungrounded'
  | 'budget'
  | 'short'
  | 'paused'
  | 'deadline'
  | 'error'
  | LlmFailure;

export interface SummaryOutcome {
  reading: Reading;
  kind: SummaryKind;
  reason: SummaryReason;
  /** Bullets of the answer that failed the grounding check. */
  dropped: number;
  /** Verdicts of the answer's bullets, when there was an answer. */
  verdicts?: BulletVerdict[];
  ms: number;
}

export interface SummarizeOptions {
  /** The caller gives up (shutdown, the user's request went away): the extractive summary at once. */
  signal?: AbortSignal;
  /** Replies go before digests in the queue (default 'reply'). */
  purpose?: 'reply' | 'digest';
}

export interface AbstractiveService {
  readonly model: string;
  summarize(reading: Reading, opts?: SummarizeOptions): Promise<SummaryOutcome>;
}

export interface AbstractiveServiceOptions {
  client: ChatCompleter;
  model: string;
  logger: Logger;
  /** The whole step at most, in ms (LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** Tokens per UTC day, 0 = no limit (LLM_DAILY_TOKENS). */
  dailyTokens: number;
  /** Requests in flight at once (LLM_CONCURRENCY). */
  concurrency: number;
  /** Default: an in-memory LRU of 500. */
  cache?: SummaryCache;
  /** The clock for the budget's day and the cache (default Date.now). */
  now?: () => number;
  /** max_tokens of the answer (default 400). */
  maxTokens?: number;
  /** Bullets shown at most (default 3); fewer than `minBullets` (default 2) grounded ones: extractive. */
  bullets?: number;
  minBullets?: number;
  /** Articles with a shorter body keep the extractive summary (default 300 characters). */
  minBodyChars?: number;
  grounding?: GroundingOptions;
  timeZone?: string;
}

const WEEK = 7 * 24 * 60 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;
/** Failures in a row that pause the model server, and for how long. */
const BREAKER_FAILURES = 3;
const BREAKER_PAUSE_MS = 30_000;
/** A 429 without Retry-After pauses this long; a Retry-After is honoured up to the cap. */
const RATE_LIMIT_PAUSE_MS = 10_000;
const RATE_LIMIT_PAUSE_CAP_MS = 5 * 60_000;
/** A request that would start with less time than this left is not sent. */
const MIN_REQUEST_MS = 150;

/** The cache key of an article: its content, the model and the prompt's version. */
export function contentKey(reading: Reading, model: string): string {
  const hash = createHash('sha256').update(reading.article.title).update('\n').update(reading.article.paragraphs.join('\n')).digest('hex');
  return `${PROMPT_VERSION}:${model}:${hash}`;
}

class Deadline extends Error {}

export function createAbstractiveService(options: AbstractiveServiceOptions): AbstractiveService {
  const log = options.logger.child({ component: 'abstractive' });
  const now = options.now ?? Date.now;
  const cache = options.cache ?? createMemorySummaryCache(500, now);
  const budget = new TokenBudget({ limit: options.dailyTokens, now });
  const queue = new PQueue({ concurrency: options.concurrency });
  const maxTokens = options.maxTokens ?? 400;
  const shown = options.bullets ?? 3;
  const minBullets = options.minBullets ?? 2;
  const minBody = options.minBodyChars ?? 300;
  let pausedUntil = 0;
  let failuresInARow = 0;

  function outcome(reading: Reading, kind: SummaryKind, reason: SummaryReason, started: number, extra: { bullets?: string[]; dropped?: number; verdicts?: BulletVerdict[] } = {}): SummaryOutcome {
    const out: SummaryOutcome = {
      reading: kind === 'abstractive' && extra.bullets !== undefined ? { ...reading, summary: extra.bullets, summaryKind: 'abstractive' } : { ...reading, summaryKind: 'extractive' },
      kind,
      reason,
      dropped: extra.dropped ?? 0,
      ms: Math.round(performance.now() - started),
    };
    if (extra.verdicts !== undefined) out.verdicts = extra.verdicts;
    return out;
  }

  function fromRecord(reading: Reading, record: SummaryRecord, started: number): SummaryOutcome {
    return record.kind === 'abstractive' && record.bullets.length >= minBullets
      ? outcome(reading, 'abstractive', 'cached', started, { bullets: record.bullets })
      : outcome(reading, 'extractive', 'cached', started);
  }

  /** The server's trouble: pause after a 429 or a run of failures. */
  function noteFailure(kind: LlmFailure, retryAfterMs: number | undefined): void {
    if (kind === 'rate_limited') {
      pausedUntil = Math.max(pausedUntil, now() + Math.min(retryAfterMs ?? RATE_LIMIT_PAUSE_MS, RATE_LIMIT_PAUSE_CAP_MS));
      return;
    }
    if (kind === 'timeout' || kind === 'server' || kind === 'network') {
      failuresInARow++;
      if (failuresInARow >= BREAKER_FAILURES) {
        pausedUntil = Math.max(pausedUntil, now() + BREAKER_PAUSE_MS);
        failuresInARow = 0;
        log.warn({ pauseMs: BREAKER_PAUSE_MS }, 'the model server failed several times in a row; extractive summaries for a while');
      }
    }
  }

  async function generate(reading: Reading, messages: ChatMessage[], texts: string[], language: string, key: string, signal: AbortSignal, purpose: 'reply' | 'digest', started: number): Promise<SummaryOutcome> {
    const deadlineAt = started + options.timeoutMs;
    const promptChars = messages.reduce((n, m) => n + m.content.length, 0);
    const reserved = budget.reserve(estimateTokens(promptChars) + maxTokens);
    if (!reserved.ok) {
      if (reserved.firstToday) {
        log.warn({ used: reserved.used, limit: reserved.limit, day: reserved.day }, 'daily token budget of the model server is used up; extractive summaries until the next UTC day');
      }
      return outcome(reading, 'extractive', 'budget', started);
    }
    let spent = 0;
    try {
      const completion = await queue.add(
        ({ signal: s }) => {
          // Waited in the queue until there is no time left for an answer: do not ask.
          if (deadlineAt - performance.now() < MIN_REQUEST_MS) throw new Deadline();
          return options.client.complete(messages, { maxTokens, signal: s ?? signal });
        },
        { signal, priority: purpose === 'reply' ? 1 : 0 },
      );
      spent = completion.totalTokens ?? estimateTokens(promptChars + completion.text.length);
      failuresInARow = 0;
      const bullets = parseBullets(completion.text, { truncated: completion.finishReason === 'length' });
      if (bullets.length === 0) return outcome(reading, 'extractive', 'empty', started);
      const { verdicts, supported } = groundBullets(bullets, groundingSource(texts, language), options.grounding);
      const dropped = verdicts.filter((v) => !v.supported);
      for (const v of dropped) log.debug({ bullet: v.bullet.slice(0, 200), issues: describeIssues(v.issues) }, 'bullet dropped: not supported by the article');
      const kept = supported.slice(0, shown);
      if (kept.length < minBullets) {
        await cache.set(key, { kind: 'extractive', bullets: [], reason: 'ungrounded', model: options.model, at: now() }, DAY);
        return outcome(reading, 'extractive', 'ungrounded', started, { dropped: dropped.length, verdicts });
      }
      await cache.set(key, { kind: 'abstractive', bullets: kept, model: options.model, at: now() }, WEEK);
      return outcome(reading, 'abstractive', 'generated', started, { bullets: kept, dropped: dropped.length, verdicts });
    } catch (err) {
      if (err instanceof LlmError) {
        // A timed-out request may have been billed: count its prompt.
        if (err.kind === 'timeout') spent = estimateTokens(promptChars);
        noteFailure(err.kind, err.retryAfterMs);
        return outcome(reading, 'extractive', err.kind, started);
      }
      if (err instanceof Deadline) return outcome(reading, 'extractive', 'deadline', started);
      if (signal.aborted) return outcome(reading, 'extractive', 'aborted', started);
      throw err;
    } finally {
      reserved.reservation.settle(spent);
    }
  }

  async function run(reading: Reading, opts: SummarizeOptions, signal: AbortSignal, started: number): Promise<SummaryOutcome> {
    const body = reading.article.paragraphs.reduce((n, p) => n + p.length, 0);
    if (body < minBody) return outcome(reading, 'extractive', 'short', started);
    const key = contentKey(reading, options.model);
    const known = await cache.get(key);
    if (known !== undefined) return fromRecord(reading, known, started);
    if (pausedUntil > now()) return outcome(reading, 'extractive', 'paused', started);
    const doc = summaryDocument(reading, options.timeZone !== undefined ? { timeZone: options.timeZone } : {});
    const messages = buildSummaryMessages(doc, { bullets: shown });
    return await generate(reading, messages, documentTexts(doc), doc.language, key, signal, opts.purpose ?? 'reply', started);
  }

  return {
    model: options.model,
    async summarize(reading, opts = {}) {
      const started = performance.now();
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.signal?.aborted === true) controller.abort();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Deadline());
        }, options.timeoutMs);
      });
      const aborted = new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(new Deadline());
        else controller.signal.addEventListener('abort', () => reject(new Deadline()), { once: true });
      });
      let result: SummaryOutcome;
      try {
        result = await Promise.race([run(reading, opts, controller.signal, started), deadline, aborted]);
      } catch (err) {
        if (err instanceof Deadline) {
          const reason: SummaryReason = opts.signal?.aborted === true ? 'aborted' : 'deadline';
          if (reason === 'deadline') noteFailure('timeout', undefined);
          result = outcome(reading, 'extractive', reason, started);
        } else {
          log.error({ err }, 'abstractive summary failed; the extractive one stands');
          result = outcome(reading, 'extractive', 'error', started);
        }
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      }
      const fields = { kind: result.kind, reason: result.reason, ms: result.ms, dropped: result.dropped, purpose: opts.purpose ?? 'reply', title: reading.article.title.slice(0, 120) };
      if (result.kind === 'abstractive' || result.reason === 'short' || result.reason === 'cached') log.debug(fields, 'summary chosen');
      else if (result.reason !== 'budget') log.info(fields, 'abstractive summary not used; the extractive one stands');
      return result;
    },
  };
}
