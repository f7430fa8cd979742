/**
 * The http adapter: the safe fetcher for untrusted links (SSRF guard, limits, decompression,
 * charset decoding) and the address policy behind it.
 */
export {
  createFetcher,
  normalizeUrl,
  sniffContentType,
  DEFAULT_USER_AGENT,
  DEFAULT_ACCEPT_LANGUAGE,
  FETCH_DEFAULTS,
  type Fetcher,
  type FetcherOptions,
  type FetchedPage,
  type LookupFn,
  type ResolvedAddress,
  type FeedFetcher,
  type FetchedFeed,
  type FeedRequest,
  sniffFeedType,
  parseRetryAfter,
} from './fetch.js';
export { classifyAddress, isForbiddenAddress, ipFromHostname, parseIp, type AddressClass } from './address.js';
