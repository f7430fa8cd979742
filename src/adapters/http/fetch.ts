/**
 * The safe fetcher: reads one web page from a link a stranger typed into a chat, without letting
 * that link reach the bot's own network (SSRF), hang the bot, or fill its memory.
 *
 * - Only http: and https:. Userinfo is stripped, never sent (`http://example.com@127.0.0.1/` goes
 *   to 127.0.0.1 and is judged as such; `http://user:pass@host/` is asked for without
 *   credentials); WHATWG URL parsing normalises odd hosts (`2130706433`, `0177.0.0.1`, `127.1`,
 *   `[::ffff:7f00:1]`, full-width digits) before they are judged.
 * - Ports that browsers refuse for http(s) (the Fetch standard's "bad ports": 25 SMTP, 6667 IRC,
 *   ...) are refused as INVALID_URL on every hop, so a link can't make the bot talk HTTP at a
 *   mail or chat server, public or not.
 * - The host is resolved once; if ANY address is not public (see address.ts) the fetch is refused
 *   with PRIVATE_ADDRESS, unless `allowPrivate`. The connection then uses exactly those vetted
 *   addresses: each fetch gets its own undici Agent whose socket `lookup` answers from the pinned,
 *   vetted answers (and vets them again) instead of asking DNS a second time, so a DNS answer that
 *   changes between check and connect (DNS rebinding) can't redirect the socket. SNI and the Host
 *   header still carry the real host name.
 * - Redirects are followed by hand, at most `maxRedirects`, and every hop is vetted the same way.
 * - One deadline covers DNS, connect, headers and body (`totalTimeoutMs`), plus a connect timeout.
 * - The body is streamed and abandoned as soon as it passes `maxBytes` (also refused up front when
 *   Content-Length announces more). gzip / deflate / br are decoded here, with the decoded size
 *   capped at `maxBytes` too (a small gzip bomb can't expand into gigabytes).
 *
 * Why undici `request` and not undici `fetch`: `request` hands back the raw response, so redirects
 * are never followed behind our back, Content-Length and the byte count refer to what really
 * crossed the wire, errors keep their codes (fetch folds them all into "TypeError: fetch failed"),
 * and decompression happens where we can cap it. The compressed body is at most `maxBytes`, so it
 * is collected and then inflated in one call with zlib's `maxOutputLength = maxBytes`; zlib stops
 * there by itself (ERR_BUFFER_TOO_LARGE -> TOO_LARGE), which a streaming pipe would not.
 * Truncated gzip/deflate/br is accepted as far as it goes (sync flush), as browsers do.
 * - text/html, application/xhtml+xml and text/plain are accepted; without a Content-Type the first
 *   bytes decide. Text is decoded with decodeHtmlBytes (BOM, header, <meta>, mislabelled UTF-8).
 * - `fetchFeed` reads feeds the same way: RSS / Atom / RDF / XML / JSON Feed types (or, mislabelled
 *   as HTML, text or octet-stream, bytes that start like a feed), the charset of the XML declaration,
 *   conditional GET (If-None-Match / If-Modified-Since; a 304 comes back as `notModified`), its own
 *   size cap, and Retry-After kept in the error of a 429 or 503.
 *
 * Every failure is a RingkasError with a code from src/core/errors.ts.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { decodeHtmlBytes } from '../../core/charset.js';
import { RingkasError } from '../../core/errors.js';
import { classifyAddress, ipFromHostname, parseIp, type AddressClass } from './address.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has (A and AAAA). Rejects when it has none. */
export type LookupFn = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface FetcherOptions {
  /** Allow loopback, private, link-local and other non-public addresses (FETCH_ALLOW_PRIVATE). Default false. */
  allowPrivate?: boolean | undefined;
  /**
   * Non-public addresses or CIDR ranges allowed anyway while `allowPrivate` is false
   * (e.g. `['10.1.2.3', '192.168.7.0/24']` for an internal mirror). Default none.
   */
  allowedAddresses?: readonly string[] | undefined;
  /** User-Agent header. Default DEFAULT_USER_AGENT (names Ringkas and where to read about it). */
  userAgent?: string | undefined;
  /** Accept-Language header. Default "id-ID,id;q=0.9,en;q=0.8". */
  acceptLanguage?: string | undefined;
  /** Time allowed to open a TCP (and TLS) connection, per hop. Default 5000 ms. */
  connectTimeoutMs?: number | undefined;
  /** Time allowed for the whole fetch: DNS, every redirect, headers and body. Default 15000 ms. */
  totalTimeoutMs?: number | undefined;
  /** Largest body accepted, in bytes, both as received and after decompression. Default 5,000,000. */
  maxBytes?: number | undefined;
  /** Redirects followed at most. Default 5. */
  maxRedirects?: number | undefined;
  /** DNS resolution (injectable for tests). Default node:dns lookup with `all: true`. */
  lookup?: LookupFn | undefined;
}

export interface FetchedPage {
  /** The URL as requested (parsed and serialised, userinfo removed). */
  url: string;
  /** The URL of the page finally read, after redirects, without #fragment. */
  finalUrl: string;
  status: number;
  /** MIME type essence, lowercased ("text/html"); the sniffed type when the server sent none. */
  contentType: string;
  kind: 'html' | 'text';
  /** The decoded document. */
  text: string;
  /** Canonical name of the encoding the text was decoded from ("utf-8", "windows-1252"). */
  charset: string;
  /** Body size in bytes after decompression. */
  bytes: number;
  /** Response headers of the final response, names lowercased, repeated headers joined by ", ". */
  headers: Record<string, string>;
}

export interface Fetcher {
  fetchPage(url: string, init?: { signal?: AbortSignal }): Promise<FetchedPage>;
}

/** What a feed request may carry: the validators of the last answer, and a size cap of its own. */
export interface FeedRequest {
  signal?: AbortSignal;
  /** ETag of the last answer: sent as If-None-Match. */
  etag?: string | undefined;
  /** Last-Modified of the last answer: sent as If-Modified-Since. */
  lastModified?: string | undefined;
  /** Largest feed accepted (never more than the fetcher's maxBytes). */
  maxBytes?: number | undefined;
}

export interface FetchedFeed {
  url: string;
  finalUrl: string;
  /** 200 (or another 2xx), or 304 when the feed did not change since the validators sent. */
  status: number;
  notModified: boolean;
  /** The feed's type: the declared one, or what the bytes are ("application/rss+xml", ...); "" on 304. */
  contentType: string;
  /** The decoded document ("" on 304). */
  text: string;
  charset: string;
  bytes: number;
  headers: Record<string, string>;
  /** Validators of this answer, to send next time. */
  etag?: string;
  lastModified?: string;
}

/**
 * Feed reading through the same guard as pages. HTTP 429 fails with RATE_LIMITED, other statuses
 * with NOT_FOUND / HTTP_ERROR; both carry `retryAfterMs` in their details when the server sent
 * Retry-After. An HTML page (or anything else that is not a feed) fails with
 * UNSUPPORTED_CONTENT_TYPE.
 */
export interface FeedFetcher {
  fetchFeed(url: string, init?: FeedRequest): Promise<FetchedFeed>;
}

export const DEFAULT_USER_AGENT = 'Mozilla/5.0 (compatible; RingkasBot/0.1; +https://github.com/ringkas/ringkas)';
export const DEFAULT_ACCEPT_LANGUAGE = 'id-ID,id;q=0.9,en;q=0.8';
export const FETCH_DEFAULTS = {
  allowPrivate: false,
  connectTimeoutMs: 5_000,
  totalTimeoutMs: 15_000,
  maxBytes: 5_000_000,
  maxRedirects: 5,
} as const;

const ACCEPT = 'text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1';
const ACCEPT_ENCODING = 'gzip, deflate, br';
const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/feed+json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';
/** Types that name a feed (or XML that may be one): accepted as declared. */
const FEED_TYPES = new Set([
  'application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/xml', 'text/xml',
  'application/feed+json', 'application/json', 'application/x-rss+xml', 'application/rss', 'text/rss+xml',
]);
/** Types feeds are often mislabelled with: accepted only when the bytes look like a feed. */
const SNIFFED_FEED_TYPES = new Set(['text/html', 'text/plain', 'application/octet-stream', 'application/xhtml+xml', 'binary/octet-stream']);
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const defaultLookup: LookupFn = async (hostname) => dnsLookup(hostname, { all: true });

export function createFetcher(opts: FetcherOptions = {}): Fetcher & FeedFetcher {
  const allowPrivate = opts.allowPrivate ?? FETCH_DEFAULTS.allowPrivate;
  const allowed = (opts.allowedAddresses ?? []).map(parseAllowed);
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const acceptLanguage = opts.acceptLanguage ?? DEFAULT_ACCEPT_LANGUAGE;
  const connectTimeoutMs = opts.connectTimeoutMs ?? FETCH_DEFAULTS.connectTimeoutMs;
  const totalTimeoutMs = opts.totalTimeoutMs ?? FETCH_DEFAULTS.totalTimeoutMs;
  const maxBytes = opts.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const maxRedirects = opts.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  const lookup = opts.lookup ?? defaultLookup;

  /** Throws PRIVATE_ADDRESS unless the address may be connected to. */
  function vetAddress(address: string, host: string): void {
    if (allowPrivate) return;
    const cls = classifyAddress(address);
    if (cls === 'public') return;
    const parsed = parseIp(address);
    if (parsed !== undefined && allowed.some((net) => matches(parsed, net))) return;
    throw privateAddress(host, cls, address);
  }

  /** Checks a URL's host before any connection; pins the vetted DNS answers for the socket. */
  async function vetHost(url: URL, pins: Map<string, ResolvedAddress[]>, deadline: Deadline): Promise<void> {
    const host = url.hostname;
    const literal = ipFromHostname(host);
    if (literal !== undefined) {
      vetAddress(literal, host);
      return; // an IP literal is connected to as is: the socket does no lookup
    }
    if (!allowPrivate && isLocalhostName(host)) throw privateAddress(host, 'loopback', host);
    if (pins.has(host)) return;
    let answers: readonly ResolvedAddress[];
    try {
      answers = await deadline.race(lookup(host));
    } catch (err) {
      if (deadline.aborted) throw deadline.error();
      throw new RingkasError('DNS_FAILED', `could not resolve ${host}`, { host, ...reason(err) }, { cause: err });
    }
    if (answers.length === 0) throw new RingkasError('DNS_FAILED', `no address for ${host}`, { host });
    const vetted: ResolvedAddress[] = [];
    for (const a of answers) {
      const canonical = parseIp(a.address);
      if (canonical === undefined) throw new RingkasError('DNS_FAILED', `bad address for ${host}`, { host });
      vetAddress(a.address, host);
      vetted.push({ address: a.address, family: canonical.kind() === 'ipv6' ? 6 : 4 });
    }
    pins.set(host, vetted);
  }

  /**
   * The socket-level lookup of this fetch's Agent: answers only from the pinned answers, vetting
   * each again, and never asks DNS. A host that was not vetted gets no address.
   */
  function pinnedLookup(pins: Map<string, ResolvedAddress[]>) {
    return (
      hostname: string,
      options: LookupOptions,
      callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
    ): void => {
      try {
        const pinned = pins.get(hostname);
        if (pinned === undefined) throw new RingkasError('INTERNAL', `host ${hostname} was not vetted`);
        const family = typeof options.family === 'number' ? options.family : 0;
        const usable = pinned.filter((a) => family === 0 || a.family === family);
        for (const a of usable) vetAddress(a.address, hostname);
        const first = usable[0];
        if (first === undefined) {
          throw Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: 'ENOTFOUND' });
        }
        if (options.all === true) callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, first.address, first.family);
      } catch (err) {
        callback(err as NodeJS.ErrnoException, '', 0);
      }
    };
  }

  /**
   * One GET through the guard: vetted hosts, pinned addresses, redirects followed by hand, one
   * deadline. `read` turns the final response into the result.
   */
  async function fetchWith<T>(
    input: string,
    signal: AbortSignal | undefined,
    headers: Record<string, string>,
    read: (requested: string, url: URL, res: Dispatcher.ResponseData, deadline: Deadline) => Promise<T>,
  ): Promise<T> {
    let url = parseTarget(input);
    const requested = url.href;
    const deadline = new Deadline(totalTimeoutMs, signal);
    const pins = new Map<string, ResolvedAddress[]>();
    const agent = new Agent({
      connect: { timeout: connectTimeoutMs, lookup: pinnedLookup(pins) },
      headersTimeout: totalTimeoutMs,
      bodyTimeout: totalTimeoutMs,
    });
    try {
      deadline.throwIfAborted();
      for (let redirects = 0; ; redirects++) {
        vetPort(url);
        await vetHost(url, pins, deadline);
        const res = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: {
            'user-agent': userAgent,
            accept: ACCEPT,
            'accept-language': acceptLanguage,
            'accept-encoding': ACCEPT_ENCODING,
            ...headers,
          },
          signal: deadline.signal,
        });
        const status = res.statusCode;
        const location = headerValue(res.headers, 'location');
        if (REDIRECT_STATUSES.has(status) && location !== undefined && location.trim() !== '') {
          discard(res.body);
          if (redirects >= maxRedirects) {
            throw new RingkasError('TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects`, { limit: maxRedirects, host: url.hostname });
          }
          url = parseTarget(location.trim(), url);
          continue;
        }
        return await read(requested, url, res, deadline);
      }
    } catch (err) {
      throw toFetchError(err, deadline);
    } finally {
      deadline.clear();
      await agent.destroy().catch(() => undefined);
    }
  }

  /** Drops a response body we will not read; its later abort must not surface as an unhandled error. */
  function discard(body: Dispatcher.ResponseData['body']): void {
    body.on('error', () => undefined);
    body.destroy();
  }

  async function fetchPage(input: string, init: { signal?: AbortSignal } = {}): Promise<FetchedPage> {
    return fetchWith(input, init.signal, {}, readPage);
  }

  /**
   * A feed (RSS, Atom, RDF, JSON Feed) through the same guard, with its own Accept header, a
   * conditional GET (If-None-Match / If-Modified-Since from the last answer), a 304 reported as
   * `notModified`, and a size cap of its own when given.
   */
  async function fetchFeed(input: string, init: FeedRequest = {}): Promise<FetchedFeed> {
    const headers: Record<string, string> = { accept: FEED_ACCEPT };
    if (init.etag !== undefined && init.etag !== '') headers['if-none-match'] = init.etag;
    if (init.lastModified !== undefined && init.lastModified !== '') headers['if-modified-since'] = init.lastModified;
    const cap = Math.max(1, Math.min(init.maxBytes ?? maxBytes, maxBytes));
    return fetchWith(input, init.signal, headers, (requested, url, res, deadline) => readFeed(requested, url, res, deadline, cap));
  }

  async function readFeed(requested: string, url: URL, res: Dispatcher.ResponseData, deadline: Deadline, cap: number): Promise<FetchedFeed> {
    const status = res.statusCode;
    const host = url.hostname;
    const finalUrl = new URL(url.href);
    finalUrl.hash = '';
    const validators = (): { etag?: string; lastModified?: string } => {
      const out: { etag?: string; lastModified?: string } = {};
      const etag = headerValue(res.headers, 'etag');
      const lastModified = headerValue(res.headers, 'last-modified');
      if (etag !== undefined && etag.trim() !== '') out.etag = etag.trim();
      if (lastModified !== undefined && lastModified.trim() !== '') out.lastModified = lastModified.trim();
      return out;
    };
    if (status === 304) {
      discard(res.body);
      return { url: requested, finalUrl: finalUrl.href, status, notModified: true, contentType: '', text: '', charset: '', bytes: 0, headers: flattenHeaders(res.headers), ...validators() };
    }
    if (status < 200 || status > 299) {
      discard(res.body);
      const retryAfterMs = parseRetryAfter(headerValue(res.headers, 'retry-after'), Date.now());
      const details: Record<string, string | number> = { status, host, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
      if (status === 404 || status === 410) throw new RingkasError('NOT_FOUND', `HTTP ${status}`, details);
      if (status === 429) throw new RingkasError('RATE_LIMITED', 'HTTP 429', details);
      throw new RingkasError('HTTP_ERROR', `HTTP ${status}`, details);
    }
    const declared = mimeEssence(headerValue(res.headers, 'content-type'));
    if (declared !== undefined && !FEED_TYPES.has(declared) && !SNIFFED_FEED_TYPES.has(declared)) {
      discard(res.body);
      throw unsupportedType(declared, host);
    }
    const length = Number(headerValue(res.headers, 'content-length') ?? NaN);
    if (Number.isFinite(length) && length > cap) {
      discard(res.body);
      throw tooLarge(cap, host);
    }
    const raw = await readCapped(res.body, cap, host);
    deadline.throwIfAborted();
    const body = await decodeContent(raw, headerValue(res.headers, 'content-encoding'), cap, status, host);
    // Servers label feeds text/html, text/plain or octet-stream, and serve HTML error pages as feeds:
    // the first bytes decide unless the type names a feed.
    const sniffed = sniffFeedType(body);
    if (declared === undefined || SNIFFED_FEED_TYPES.has(declared)) {
      if (sniffed === undefined) throw unsupportedType(declared === undefined || declared === 'application/octet-stream' ? sniffContentType(body) : declared, host);
    }
    const contentType = declared !== undefined && FEED_TYPES.has(declared) ? declared : (sniffed ?? 'application/xml');
    const header = headerValue(res.headers, 'content-type');
    const xmlEncoding = charsetFromContentTypeHeader(header) === undefined ? xmlDeclaredEncoding(body) : undefined;
    const { text, charset } = decodeHtmlBytes(body, xmlEncoding !== undefined ? `text/xml; charset=${xmlEncoding}` : header);
    return {
      url: requested,
      finalUrl: finalUrl.href,
      status,
      notModified: false,
      contentType,
      text,
      charset,
      bytes: body.byteLength,
      headers: flattenHeaders(res.headers),
      ...validators(),
    };
  }

  async function readPage(requested: string, url: URL, res: Dispatcher.ResponseData, deadline: Deadline): Promise<FetchedPage> {
    const status = res.statusCode;
    const host = url.hostname;
    if (status < 200 || status > 299) {
      discard(res.body);
      if (status === 404 || status === 410) throw new RingkasError('NOT_FOUND', `HTTP ${status}`, { status, host });
      throw new RingkasError('HTTP_ERROR', `HTTP ${status}`, { status, host });
    }
    const declared = mimeEssence(headerValue(res.headers, 'content-type'));
    if (declared !== undefined && !HTML_TYPES.has(declared) && declared !== 'text/plain') {
      discard(res.body);
      throw unsupportedType(declared, host);
    }
    const length = Number(headerValue(res.headers, 'content-length') ?? NaN);
    if (Number.isFinite(length) && length > maxBytes) {
      discard(res.body);
      throw tooLarge(maxBytes, host);
    }

    const raw = await readCapped(res.body, maxBytes, host);
    deadline.throwIfAborted();
    const body = await decodeContent(raw, headerValue(res.headers, 'content-encoding'), maxBytes, status, host);

    let contentType: string;
    if (declared === undefined) {
      contentType = sniffContentType(body);
      if (!HTML_TYPES.has(contentType) && contentType !== 'text/plain') throw unsupportedType(contentType, host);
    } else {
      contentType = declared;
      if (declared === 'text/plain') {
        // Servers label anything they don't know as text/plain: look before trusting it.
        const sniffed = sniffContentType(body);
        if (sniffed !== 'text/plain' && !HTML_TYPES.has(sniffed)) throw unsupportedType(sniffed, host);
      }
    }

    const { text, charset } = decodeHtmlBytes(body, headerValue(res.headers, 'content-type'));
    const finalUrl = new URL(url.href);
    finalUrl.hash = '';
    return {
      url: requested,
      finalUrl: finalUrl.href,
      status,
      contentType,
      kind: HTML_TYPES.has(contentType) ? 'html' : 'text',
      text,
      charset,
      bytes: body.byteLength,
      headers: flattenHeaders(res.headers),
    };
  }

  return { fetchPage, fetchFeed };
}

// ---------------------------------------------------------------------------------------------
// URLs

/**
 * Parses an absolute http(s) URL (relative to `base` for a redirect's Location).
 * INVALID_URL for junk, UNSUPPORTED_SCHEME for file:, javascript:, ftp:, data:, ...
 */
function parseTarget(input: string, base?: URL): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(input.trim()) : new URL(input, base);
  } catch (err) {
    throw new RingkasError('INVALID_URL', 'not a valid URL', {}, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RingkasError('UNSUPPORTED_SCHEME', `unsupported scheme ${url.protocol}`, { scheme: url.protocol.replace(/:$/, '') });
  }
  if (url.hostname === '') throw new RingkasError('INVALID_URL', 'URL has no host');
  // Never send credentials typed into a link; they also play no part in where it goes.
  url.username = '';
  url.password = '';
  return url;
}

const TRACKING_PARAMS = new Set(['fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'igshid', 'mc_cid', 'mc_eid']);

/**
 * A user's link as typed in a chat -> the canonical absolute URL used as a cache key (and fetched).
 *
 * - Surrounding `<...>` (Discord's no-embed form), brackets and quotes are removed, and so is
 *   trailing sentence punctuation (`kompas.com/read/123.`, `(lihat https://x.id/a)`); a closing
 *   parenthesis that belongs to the URL (balanced) stays.
 * - A link without a scheme (`kompas.com/read/...`, `//detik.com/x`) becomes https.
 * - The #fragment, userinfo, a trailing dot in the host and tracking parameters (`utm_*`,
 *   `fbclid`, `gclid` and a few other click ids) are dropped; other parameters keep their order
 *   and spelling.
 *
 * Throws INVALID_URL for text that is not a link, UNSUPPORTED_SCHEME for non-http(s) schemes.
 */
export function normalizeUrl(input: string): string {
  const s = stripChatWrapping(input);
  if (s === '' || /\s/.test(s)) throw new RingkasError('INVALID_URL', 'not a link');
  const withScheme = hasScheme(s) ? s : s.startsWith('//') ? `https:${s}` : `https://${s}`;
  const url = parseTarget(withScheme);
  url.hash = '';
  if (url.hostname.endsWith('.') && !url.hostname.startsWith('[')) url.hostname = url.hostname.slice(0, -1);
  if (url.search !== '') {
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isTrackingParam(pair));
    url.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  }
  return url.href;
}

function isTrackingParam(pair: string): boolean {
  const rawKey = pair.split('=', 1)[0] ?? '';
  let key: string;
  try {
    key = decodeURIComponent(rawKey.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    key = rawKey.toLowerCase();
  }
  return key.startsWith('utm_') || TRACKING_PARAMS.has(key);
}

function hasScheme(s: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(s);
  if (!m) return false;
  const scheme = m[1] ?? '';
  const rest = m[2] ?? '';
  if (scheme.includes('.')) return false; // kompas.com:8080/... is a host and a port
  if (/^\d+(?:[/?#]|$)/.test(rest)) return false; // localhost:8080/...
  return true;
}

const OPENERS = '<([{"\'“‘«';
const TRAILING = '.,;:!?\'"”’»…';

function stripChatWrapping(input: string): string {
  let s = input.trim();
  for (let changed = true; changed && s !== ''; ) {
    changed = false;
    const first = s[0] ?? '';
    const last = s[s.length - 1] ?? '';
    if (OPENERS.includes(first)) {
      s = s.slice(1).trim();
      changed = true;
      continue;
    }
    if (TRAILING.includes(last) || last === '>' || (last === ')' && count(s, ')') > count(s, '(')) || (last === ']' && count(s, ']') > count(s, '[')) || (last === '}' && count(s, '}') > count(s, '{'))) {
      s = s.slice(0, -1).trim();
      changed = true;
    }
  }
  return s;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/**
 * The Fetch standard's "bad ports" (https://fetch.spec.whatwg.org/#bad-port): services that are not
 * HTTP and that browsers never let a page reach over http(s).
 */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115,
  117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587,
  601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679,
  6697, 10080,
]);

/** INVALID_URL for a port that is not for the web (SMTP, SSH, IRC, ...). */
function vetPort(url: URL): void {
  if (url.port === '') return;
  const port = Number(url.port);
  if (BAD_PORTS.has(port)) throw new RingkasError('INVALID_URL', `port ${port} is not for web pages`, { host: url.hostname, port, reason: 'blocked-port' });
}

function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

// ---------------------------------------------------------------------------------------------
// Addresses

type AllowedNet = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseAllowed(entry: string): AllowedNet {
  const s = entry.trim();
  if (s.includes('/')) return ipaddr.parseCIDR(s);
  const ip = parseIp(s);
  if (ip === undefined) throw new RingkasError('BAD_OPTION', `allowedAddresses: not an address: ${s}`, { option: 'allowedAddresses' });
  return [ip, ip.kind() === 'ipv4' ? 32 : 128];
}

function matches(ip: ipaddr.IPv4 | ipaddr.IPv6, [net, bits]: AllowedNet): boolean {
  let addr = ip;
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && net.kind() === 'ipv4') {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
  return addr.kind() === net.kind() && addr.match(net, bits);
}

function privateAddress(host: string, cls: AddressClass, address: string): RingkasError {
  return new RingkasError('PRIVATE_ADDRESS', `${host} is a ${cls} address (${address})`, { host, addressClass: cls });
}

// ---------------------------------------------------------------------------------------------
// Bodies

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number, host: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      body.destroy();
      throw tooLarge(maxBytes, host);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/**
 * Undoes Content-Encoding (listed in the order applied, so undone last first). Decoded output is
 * capped at maxBytes by zlib itself (maxOutputLength), so a bomb stops at the cap.
 */
async function decodeContent(raw: Uint8Array, encodingHeader: string | undefined, maxBytes: number, status: number, host: string): Promise<Uint8Array> {
  const codings = (encodingHeader ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  let data: Uint8Array = raw;
  for (const coding of codings) {
    if (data.byteLength === 0) break;
    const zopts = { maxOutputLength: maxBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') data = await gunzip(data, zopts);
      else if (coding === 'deflate') data = looksLikeZlib(data) ? await inflate(data, zopts) : await inflateRaw(data, zopts);
      else if (coding === 'br') data = await brotli(data, { maxOutputLength: maxBytes, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
      else throw new RingkasError('UNSUPPORTED_CONTENT_TYPE', `unsupported content encoding ${coding}`, { contentEncoding: coding, host });
    } catch (err) {
      if (err instanceof RingkasError) throw err;
      if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes, host);
      throw new RingkasError('HTTP_ERROR', `could not decode ${coding} body`, { status, host, contentEncoding: coding }, { cause: err });
    }
  }
  return data;
}

/** RFC 1950 header: CM = 8 and the first two bytes a multiple of 31. */
function looksLikeZlib(b: Uint8Array): boolean {
  const b0 = b[0] ?? 0;
  const b1 = b[1] ?? 0;
  return (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
}

/**
 * The type of a body the server did not label, from its first bytes: "text/html",
 * "text/plain", or what it really is when not text ("application/pdf", "image/png", ...).
 */
export function sniffContentType(body: Uint8Array): string {
  const head = body.subarray(0, 1024);
  const startsWith = (...sig: number[]): boolean => sig.every((v, i) => head[i] === v);
  if (startsWith(0xef, 0xbb, 0xbf) || startsWith(0xfe, 0xff) || startsWith(0xff, 0xfe)) {
    const text = decodeHtmlBytes(head).text;
    return looksLikeHtml(text) ? 'text/html' : 'text/plain';
  }
  if (startsWith(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (startsWith(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (startsWith(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (startsWith(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (startsWith(0x52, 0x49, 0x46, 0x46) && head[8] === 0x57 && head[9] === 0x45 && head[10] === 0x42 && head[11] === 0x50) return 'image/webp';
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return 'application/zip';
  if (startsWith(0x1f, 0x8b)) return 'application/gzip';
  for (const b of head.subarray(0, 512)) {
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return 'application/octet-stream';
  }
  const text = new TextDecoder('latin1').decode(head);
  return looksLikeHtml(text) ? 'text/html' : 'text/plain';
}

/**
 * The feed type the first bytes show ("application/rss+xml", "application/atom+xml",
 * "application/rdf+xml", "application/feed+json"), or undefined when they are not a feed.
 */
export function sniffFeedType(body: Uint8Array): string | undefined {
  let head = new TextDecoder('latin1').decode(body.subarray(0, 4096)).replace(/^[\s\ufeff]+/, '').replace(/^\u00ef\u00bb\u00bf/, '');
  if (head.startsWith('{')) return /"version"\s*:\s*"https?:\/\/jsonfeed\.org/i.test(head) ? 'application/feed+json' : undefined;
  // Skip the XML declaration, processing instructions (stylesheets), comments and a doctype.
  for (let i = 0; i < 20; i++) {
    const m = /^(?:<\?[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[^\]]*\])?\s*>)\s*/i.exec(head);
    if (m === null) break;
    head = head.slice(m[0].length);
  }
  const root = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/.exec(head);
  if (root === null) return undefined;
  const name = (root[2] ?? '').toLowerCase();
  if (name === 'rss' || name === 'channel') return 'application/rss+xml';
  if (name === 'feed') return 'application/atom+xml';
  if (name === 'rdf') return 'application/rdf+xml';
  return undefined;
}

/** encoding="..." of an XML declaration at the start of the bytes. */
function xmlDeclaredEncoding(body: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 200)).replace(/^\u00ef\u00bb\u00bf/, '');
  const m = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/i.exec(head);
  return m?.[1];
}

function charsetFromContentTypeHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /;\s*charset\s*=\s*"?([^\s;"]+)/i.exec(value);
  return m?.[1];
}

/**
 * Retry-After (seconds, or an HTTP date) -> milliseconds from now, capped at a day; undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Math.min(Number(v) * 1000, 86_400_000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.min(Math.max(0, t - now), 86_400_000);
}

function looksLikeHtml(text: string): boolean {
  const t = text.replace(/^[\s\ufeff]+/, '');
  if (/^<\?xml/i.test(t)) return /<html[\s>]/i.test(t);
  return /^<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|meta|link|!--)(?:[\s>/]|$)/i.test(t);
}

function mimeEssence(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const essence = (value.split(';', 1)[0] ?? '').trim().toLowerCase();
  return /^[a-z0-9!#$%&'*+.^_`|~-]+\/[a-z0-9!#$%&'*+.^_`|~-]+$/.test(essence) ? essence : undefined;
}

function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0] : v;
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function unsupportedType(contentType: string, host: string): RingkasError {
  return new RingkasError('UNSUPPORTED_CONTENT_TYPE', `not a web page: ${contentType}`, { contentType, host });
}

function tooLarge(maxBytes: number, host: string): RingkasError {
  return new RingkasError('TOO_LARGE', `page larger than ${maxBytes} bytes`, { limit: maxBytes, host });
}

// ---------------------------------------------------------------------------------------------
// Deadline and errors

/** The fetch's one deadline, joined with the caller's signal. */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private timedOut = false;
  private readonly external: AbortSignal | undefined;
  private readonly onExternalAbort = (): void => this.controller.abort(this.error());

  constructor(private readonly ms: number, external: AbortSignal | undefined) {
    this.external = external;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(this.error());
    }, ms);
    if (external !== undefined) {
      if (external.aborted) this.onExternalAbort();
      else external.addEventListener('abort', this.onExternalAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** FETCH_TIMEOUT, saying whether the clock ran out or the caller gave up. */
  error(): RingkasError {
    if (!this.timedOut && this.external?.aborted === true) {
      return new RingkasError('FETCH_TIMEOUT', 'fetch aborted by the caller', { reason: 'aborted' }, { cause: this.external.reason });
    }
    return new RingkasError('FETCH_TIMEOUT', `no complete answer within ${this.ms} ms`, { limitMs: this.ms });
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.error();
  }

  /** Settles with p, or rejects as soon as the deadline passes (p is left to settle unobserved). */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.aborted) return Promise.reject(this.error());
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.error());
      this.signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  clear(): void {
    clearTimeout(this.timer);
    this.external?.removeEventListener('abort', this.onExternalAbort);
  }
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EPIPE',
  'EADDRNOTAVAIL', 'ECONNABORTED', 'EPROTO', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA']);

/** Anything thrown while fetching -> the RingkasError that says what went wrong. */
function toFetchError(err: unknown, deadline: Deadline): RingkasError {
  const inner = err instanceof AggregateError && err.errors.length > 0 ? (err.errors[0] as unknown) : err;
  if (inner instanceof RingkasError) return inner;
  if (deadline.aborted) return deadline.error();
  const code = errorCode(inner);
  if (code !== undefined) {
    if (TIMEOUT_CODES.has(code)) {
      return new RingkasError('FETCH_TIMEOUT', 'timed out', { phase: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect' : 'response' }, { cause: err });
    }
    if (DNS_CODES.has(code)) return new RingkasError('DNS_FAILED', 'could not resolve host', { reason: code }, { cause: err });
    if (CONNECT_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
      return new RingkasError('CONNECT_FAILED', 'could not connect', { reason: code }, { cause: err });
    }
    if (code.startsWith('HPE_') || code === 'UND_ERR_INFO' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      return new RingkasError('HTTP_ERROR', 'malformed HTTP response', { reason: code }, { cause: err });
    }
  }
  const message = inner instanceof Error ? inner.message : String(inner);
  return new RingkasError('INTERNAL', message, {}, { cause: err });
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function reason(err: unknown): Record<string, string> {
  const code = errorCode(err);
  return code === undefined ? {} : { reason: code };
}
