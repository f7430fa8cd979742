/**
 * The read use case: a link or a text in, a Reading out. Joins the pure reader to the fetcher and
 * the reading cache; follows multi-page articles up to a cap.
 */
import type { Article, Reading } from '../core/article-types.js';
import { htmlToArticle, mergePages, textToArticle } from '../core/article.js';
import { RingkasError, toRingkasError } from '../core/errors.js';
import { MAX_INPUT_CHARS } from '../core/input.js';
import { readArticle, type ReadOptions } from '../core/reader.js';
import type { Logger } from '../logger.js';
import type { ReadingCache } from '../adapters/store/readings.js';
import type { Metrics } from '../adapters/metrics.js';

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
}

export interface ReaderService {
  readUrl(url: string, opts?: ReadOptions & { signal?: AbortSignal; fresh?: boolean }): Promise<Reading>;
  readText(text: string, opts?: ReadOptions & { url?: string; title?: string }): Reading;
  readHtml(html: string, opts?: ReadOptions & { url?: string }): Reading;
}

export function createReaderService(options: ReaderServiceOptions): ReaderService {
  const { fetcher, cache } = options;
  const log = options.logger.child({ component: 'reader' });
  const maxPages = options.maxPages ?? 5;
  const normalize = options.normalizeUrl ?? ((u: string) => u);

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
      const started = performance.now();
      const fetched = await fetchArticle(key, opts.signal).catch((err: unknown) => {
        options.metrics?.reading(toRingkasError(err).code);
        throw err;
      });
      // A page's canonical link is its own claim. Off the page's own site it is not believed: it
      // would be shown as where the story comes from (a page could pass itself off as a news
      // site's) and become a cache key (it could plant its reading under that site's URL).
      const article = trustedCanonical(fetched, key);
      const reading = readArticle(article, opts);
      options.metrics?.reading('ok');
      log.info({ url: key, finalUrl: article.url, ms: Math.round(performance.now() - started), paragraphs: article.paragraphs.length }, 'article read');
      if (cache !== undefined && cacheable) {
        const keys = [key, article.url, article.canonicalUrl].filter((u): u is string => u !== undefined).map((u) => normalize(u));
        await cache.set(keys, reading);
      }
      return reading;
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
  };
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
