/**
 * The read use case: a link or a text in, a Reading out. Joins the pure reader to the fetcher and
 * the reading cache; follows multi-page articles up to a cap.
 *
 * Page fetches go through a queue (fetch-queue.ts): FETCH_CONCURRENCY pages at once in all,
 * FETCH_PER_HOST from one host, a capped wait in line (BUSY past it) that counts against
 * FETCH_TIMEOUT_MS. Identical links asked for at the same time (same normalized URL, same read
 * options) share one reading: one fetch, every caller answered. A caller that gives up leaves
 * the shared reading; it is called off only when every caller has given up.
 */
import type { Article, Reading } from '../core/article-types.js';
import { htmlToArticle, mergePages, textToArticle } from '../core/article.js';
import { RingkasError, toRingkasError } from '../core/errors.js';
import { MAX_INPUT_CHARS } from '../core/input.js';
import { readArticle, type ReadOptions } from '../core/reader.js';
import type { Logger } from '../logger.js';
import type { ReadingCache } from '../adapters/store/readings.js';
import type { Metrics } from '../adapters/metrics.js';
import { queuePageFetcher, type FetchQueueLoad } from './fetch-queue.js';

/** What the read service needs from the network: one page, vetted and decoded. */
export interface PageFetcher {
  fetchPage(url: string, init?: { signal?: AbortSignal }): Promise<{ finalUrl: string; kind: 'html' | 'text'; text: string }>;
}

export interface ReaderServiceOptions {
  fetcher: PageFetcher;
  logger: Logger;
  cache?: ReadingCache;
  /** Pages of one multi-page article read at most (default 5). */
  maxPages?: number;
  /** Turns a link as typed into the cache key; identity by default. */
  normalizeUrl?: (url: string) => string;
  /** Counts readings by outcome (ok, cached, error code): ringkas_readings_total. */
  metrics?: Pick<Metrics, 'reading'> | undefined;
  /** Pages fetched at once in all (FETCH_CONCURRENCY). Default 16. */
  concurrency?: number | undefined;
  /** Pages fetched at once from one host (FETCH_PER_HOST). Default 4. */
  perHost?: number | undefined;
  /** Time for one page, its wait in line included (FETCH_TIMEOUT_MS). Default 15000 ms. */
  timeoutMs?: number | undefined;
  /** Longest wait in line before BUSY. Default half of `timeoutMs`. */
  maxQueueWaitMs?: number | undefined;
}

/** The reader's load: the fetch queue's, and readings in flight (each shared by its callers). */
export interface ReaderLoad extends FetchQueueLoad {
  readings: number;
}

export interface ReaderService {
  readUrl(url: string, opts?: ReadOptions & { signal?: AbortSignal; fresh?: boolean }): Promise<Reading>;
  readText(text: string, opts?: ReadOptions & { url?: string; title?: string }): Reading;
  readHtml(html: string, opts?: ReadOptions & { url?: string }): Reading;
}

export function createReaderService(options: ReaderServiceOptions): ReaderService & { load(): ReaderLoad } {
  const { cache } = options;
  const fetcher = queuePageFetcher(options.fetcher, {
    concurrency: options.concurrency,
    perHost: options.perHost,
    timeoutMs: options.timeoutMs,
    maxQueueWaitMs: options.maxQueueWaitMs,
  });
  const log = options.logger.child({ component: 'reader' });
  const maxPages = options.maxPages ?? 5;
  const normalize = options.normalizeUrl ?? ((u: string) => u);
  /** Readings in flight, by normalized URL and read options. */
  const flights = new Map<string, Flight>();

  /** Fetches, reads and caches one link (the work a flight shares). */
  async function produce(key: string, opts: ReadOptions, cacheable: boolean, signal: AbortSignal): Promise<Reading> {
    const started = performance.now();
    const fetched = await fetchArticle(key, signal);
    // A page's canonical link is its own claim. Off the page's own site it is not believed: it
    // would be shown as where the story comes from (a page could pass itself off as a news
    // site's) and become a cache key (it could plant its reading under that site's URL).
    const article = trustedCanonical(fetched, key);
    const reading = readArticle(article, opts);
    log.info({ url: key, finalUrl: article.url, ms: Math.round(performance.now() - started), paragraphs: article.paragraphs.length }, 'article read');
    if (cache !== undefined && cacheable) {
      const keys = [key, article.url, article.canonicalUrl].filter((u): u is string => u !== undefined).map((u) => normalize(u));
      await cache.set(keys, reading);
    }
    return reading;
  }

  /**
   * The flight's reading for one caller. A caller that gives up (its signal) is answered at once
   * and leaves; the flight is called off when the last caller has left.
   */
  function follow(flightKey: string, flight: Flight, signal: AbortSignal | undefined): Promise<Reading> {
    flight.callers++;
    return new Promise<Reading>((resolve, reject) => {
      let left = false;
      const leave = (): boolean => {
        if (left) return false;
        left = true;
        flight.callers--;
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = (): void => {
        if (signal === undefined || !leave()) return;
        const err = new RingkasError('FETCH_TIMEOUT', 'reading abandoned by the caller', { reason: 'aborted' }, { cause: signal.reason });
        reject(err);
        if (flight.callers === 0) {
          if (flights.get(flightKey) === flight) flights.delete(flightKey);
          flight.controller.abort(err);
        }
      };
      flight.reading.then(
        (r) => {
          if (leave()) resolve(r);
        },
        (e: unknown) => {
          if (leave()) reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function fetchArticle(url: string, signal: AbortSignal | undefined): Promise<Article> {
    const page = await fetcher.fetchPage(url, signal !== undefined ? { signal } : {});
    if (page.kind === 'text') return { ...textToArticle(page.text, { url: page.finalUrl }), url: page.finalUrl };
    const first = htmlToArticle(page.text, { url: page.finalUrl });
    const next = (first.nextPages ?? []).slice(0, Math.max(maxPages - 1, 0));
    if (next.length === 0) return first;
    const rest: Article[] = [];
    const seen = new Set([page.finalUrl, url]);
    for (const nextUrl of next) {
      if (seen.has(nextUrl)) continue;
      seen.add(nextUrl);
      try {
        const p = await fetcher.fetchPage(nextUrl, signal !== undefined ? { signal } : {});
        if (p.kind !== 'html') break;
        rest.push(htmlToArticle(p.text, { url: p.finalUrl }));
      } catch (err) {
        // A missing later page leaves a shorter article, not a failed reading.
        log.warn({ err: toRingkasError(err), url: nextUrl }, 'next page could not be read');
        break;
      }
    }
    return mergePages(first, rest);
  }

  return {
    async readUrl(url, opts = {}) {
      const key = normalize(url);
      const cacheable = opts.sentences === undefined && opts.maxQuotes === undefined;
      if (cache !== undefined && cacheable && opts.fresh !== true) {
        const hit = await cache.get(key);
        if (hit !== undefined) {
          log.debug({ url: key }, 'reading from cache');
          options.metrics?.reading('cached');
          return hit;
        }
      }
      // The same link with the same read options, already being read: share that reading.
      const { signal, fresh: _fresh, ...readOpts } = opts;
      if (signal?.aborted === true) {
        options.metrics?.reading('FETCH_TIMEOUT');
        throw new RingkasError('FETCH_TIMEOUT', 'reading abandoned by the caller', { reason: 'aborted' }, { cause: signal.reason });
      }
      const flightKey = JSON.stringify([key, Object.entries(readOpts).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))]);
      let flight = flights.get(flightKey);
      if (flight === undefined) {
        const controller = new AbortController();
        const created: Flight = { controller, callers: 0, reading: produce(key, readOpts, cacheable, controller.signal) };
        // The flight ends when its reading settles; later callers find the cache (or read again).
        created.reading.then(
          () => flights.get(flightKey) === created && flights.delete(flightKey),
          () => flights.get(flightKey) === created && flights.delete(flightKey),
        );
        flights.set(flightKey, created);
        flight = created;
      } else {
        log.debug({ url: key, callers: flight.callers + 1 }, 'joining a reading in flight');
      }
      try {
        const reading = await follow(flightKey, flight, signal);
        options.metrics?.reading('ok');
        return reading;
      } catch (err) {
        options.metrics?.reading(toRingkasError(err).code);
        throw err;
      }
    },
    readText(text, opts = {}) {
      if (text.length > MAX_INPUT_CHARS) throw new RingkasError('INPUT_TOO_LARGE', 'text too large', { limit: `${MAX_INPUT_CHARS / 1_000_000} juta karakter` });
      const article = textToArticle(text, {
        ...(opts.url !== undefined ? { url: opts.url } : {}),
        ...(opts.title !== undefined ? { title: opts.title } : {}),
      });
      return readArticle(article, opts);
    },
    readHtml(html, opts = {}) {
      if (html.length > MAX_INPUT_CHARS * 5) throw new RingkasError('INPUT_TOO_LARGE', 'html too large');
      return readArticle(htmlToArticle(html, opts.url !== undefined ? { url: opts.url } : {}), opts);
    },
    load() {
      return { ...fetcher.load(), readings: flights.size };
    },
  };
}

/** One reading in flight, shared by every caller asking for the same link with the same options. */
interface Flight {
  reading: Promise<Reading>;
  /** Called off (queue left, fetch stopped) when every caller has given up. */
  controller: AbortController;
  /** Callers waiting for it now. */
  callers: number;
}

/** The article with its canonical URL only when that is on the page's own site ({@link sameSite}). */
function trustedCanonical(article: Article, requested: string): Article {
  if (article.canonicalUrl === undefined || sameSite(article.canonicalUrl, article.url ?? requested)) return article;
  const { canonicalUrl: _claimed, ...rest } = article;
  return rest;
}

/**
 * True when `claimed` (a page's canonical URL) is on the same site as `page`, the URL the page was
 * really read from: the same host once a leading www., m., amp. or mobile. is set aside
 * (amp.kompas.com -> www.kompas.com), or a subdomain of it (m.detik.com -> news.detik.com).
 */
export function sameSite(claimed: string | undefined, page: string | undefined): boolean {
  if (claimed === undefined || page === undefined) return false;
  let a: string;
  let b: string;
  try {
    a = siteHost(new URL(claimed));
    b = siteHost(new URL(page));
  } catch {
    return false;
  }
  return a === b || (b.includes('.') && a.endsWith(`.${b}`));
}

function siteHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, '').replace(/^(?:www|m|amp|mobile)\./, '');
}
