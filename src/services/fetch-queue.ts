/**
 * The queue in front of the page fetcher for user links: a slow or failing site cannot tie up the
 * bot, and the bot never hammers a site.
 *
 * - At most `concurrency` pages are fetched at once in all (FETCH_CONCURRENCY, default 16) and at
 *   most `perHost` at once from one host (FETCH_PER_HOST, default 4). The host is the URL's
 *   hostname, lowercased, without a leading `www.` (www.kompas.com and kompas.com are one host).
 *   A request takes its host's slot first and then a global one, so requests for a busy host wait
 *   in that host's line without holding global slots that other sites could use.
 * - Waiting counts against the caller's time. The wait is capped (`maxQueueWaitMs`, by default
 *   half of `timeoutMs`); past it the request leaves the line with BUSY. Once it is fetched, the
 *   page gets what is left of `timeoutMs` (FETCH_TIMEOUT_MS), so wait and fetch together stay
 *   within it.
 * - A caller that gives up (its AbortSignal) while waiting leaves the line at once: the page is
 *   never fetched. During the fetch the signal goes to the fetcher, which stops.
 * - A slot is given back only when the fetch has really ended, never earlier.
 *
 * Redirects are followed inside the slot of the host that was asked for.
 */
import PQueue from 'p-queue';
import { RingkasError } from '../core/errors.js';
import type { PageFetcher } from './read.js';

export interface FetchQueueOptions {
  /** Pages fetched at once in all (FETCH_CONCURRENCY). Default 16. */
  concurrency?: number | undefined;
  /** Pages fetched at once from one host (FETCH_PER_HOST). Default 4. */
  perHost?: number | undefined;
  /** Time for one page, waiting in line included (FETCH_TIMEOUT_MS). Default 15000 ms. */
  timeoutMs?: number | undefined;
  /** Longest wait in line before BUSY. Default half of `timeoutMs`; never more than `timeoutMs`. */
  maxQueueWaitMs?: number | undefined;
}

export const FETCH_QUEUE_DEFAULTS = { concurrency: 16, perHost: 4, timeoutMs: 15_000 } as const;

/** What the queue holds now: pages being fetched, requests waiting, hosts with either. */
export interface FetchQueueLoad {
  running: number;
  waiting: number;
  hosts: number;
}

export interface QueuedPageFetcher extends PageFetcher {
  load(): FetchQueueLoad;
}

/** The queue's key for a URL: hostname lowercased, trailing dot and a leading `www.` removed. */
export function hostKey(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
  } catch {
    return ''; // not a URL: the fetcher refuses it at once (INVALID_URL)
  }
}

export function queuePageFetcher(fetcher: PageFetcher, options: FetchQueueOptions = {}): QueuedPageFetcher {
  const concurrency = options.concurrency ?? FETCH_QUEUE_DEFAULTS.concurrency;
  const perHost = options.perHost ?? FETCH_QUEUE_DEFAULTS.perHost;
  const timeoutMs = options.timeoutMs ?? FETCH_QUEUE_DEFAULTS.timeoutMs;
  const maxWaitMs = Math.min(options.maxQueueWaitMs ?? Math.floor(timeoutMs / 2), timeoutMs);
  const global = new PQueue({ concurrency });
  const hosts = new Map<string, PQueue>();
  /** Requests taken in by fetchPage and not yet settled: waiting (host or global line) or running. */
  let admitted = 0;
  let running = 0;

  function hostQueue(host: string): PQueue {
    let q = hosts.get(host);
    if (q === undefined) {
      const created = new PQueue({ concurrency: perHost });
      // An idle host's queue is dropped, so the map holds only hosts with work.
      created.on('idle', () => {
        if (created.size === 0 && created.pending === 0 && hosts.get(host) === created) hosts.delete(host);
      });
      hosts.set(host, created);
      q = created;
    }
    return q;
  }

  return {
    async fetchPage(url, init = {}) {
      const caller = init.signal;
      if (caller?.aborted === true) throw callerGaveUp(caller);
      const host = hostKey(url);
      const queued = performance.now();
      // Aborted only while the request waits in line (never once it runs, so a running fetch keeps
      // its slot until it has really ended): by the wait cap (BUSY) or by the caller.
      const waiting = new AbortController();
      let started = false;
      const onCallerAbort = (): void => {
        if (!started && caller !== undefined) waiting.abort(callerGaveUp(caller));
      };
      caller?.addEventListener('abort', onCallerAbort, { once: true });
      const waitTimer = setTimeout(() => {
        if (!started) waiting.abort(new RingkasError('BUSY', `waited ${maxWaitMs} ms in line for ${host || url}`, { host, waitedMs: maxWaitMs }));
      }, maxWaitMs);
      const leaveLine = (): void => {
        clearTimeout(waitTimer);
        caller?.removeEventListener('abort', onCallerAbort);
      };

      const fetchNow = async (): Promise<Awaited<ReturnType<PageFetcher['fetchPage']>>> => {
        started = true;
        leaveLine();
        running++;
        const waitedMs = Math.round(performance.now() - queued);
        const budget = new AbortController();
        const budgetTimer = setTimeout(() => budget.abort(), Math.max(timeoutMs - waitedMs, 1));
        const signal = caller !== undefined ? AbortSignal.any([caller, budget.signal]) : budget.signal;
        try {
          return await fetcher.fetchPage(url, { signal });
        } catch (err) {
          if (budget.signal.aborted && caller?.aborted !== true) {
            throw new RingkasError('FETCH_TIMEOUT', `no complete answer within ${timeoutMs} ms (${waitedMs} ms of it in line)`, { limitMs: timeoutMs, waitedMs }, { cause: err });
          }
          throw err;
        } finally {
          clearTimeout(budgetTimer);
          running--;
        }
      };

      admitted++;
      try {
        return await hostQueue(host).add(() => global.add(fetchNow, { signal: waiting.signal }), { signal: waiting.signal });
      } finally {
        admitted--;
        leaveLine();
      }
    },
    load() {
      return { running, waiting: admitted - running, hosts: hosts.size };
    },
  };
}

/** What a request gets when its caller gave up before its page was fetched (as the fetcher says it). */
function callerGaveUp(signal: AbortSignal): RingkasError {
  return new RingkasError('FETCH_TIMEOUT', 'fetch aborted by the caller', { reason: 'aborted' }, { cause: signal.reason });
}
