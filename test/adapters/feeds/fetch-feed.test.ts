import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, parseRetryAfter, sniffFeedType } from '../../../src/adapters/http/fetch.js';
import type { RingkasError } from '../../../src/core/errors.js';
import { failure } from '../../helpers/errors.js';
import { guardLoopbackOnly, startNewsServer, type LoopbackGuard, type NewsServer } from '../../helpers/news-server.js';

const antara = readFileSync(new URL('../../fixtures/feeds/antara-mainpage.rss.xml', import.meta.url));
const ATOM = '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2030-01-01T00:00:00Z</updated></feed>';
// "Café – “kutipan”" in windows-1252, declared only in the XML declaration.
const CP1252_FEED = Buffer.concat([
  Buffer.from('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>Caf'),
  Buffer.from([0xe9, 0x20, 0x96, 0x20, 0x93]),
  Buffer.from('kutipan'),
  Buffer.from([0x94]),
  Buffer.from('</title></channel></rss>'),
]);

let site: NewsServer;
let guard: LoopbackGuard;
const fetcher = createFetcher({ allowPrivate: true, totalTimeoutMs: 5000, maxBytes: 2_000_000 });

const codeOf = (p: Promise<unknown>): Promise<RingkasError> => failure(p);

beforeAll(async () => {
  guard = guardLoopbackOnly();
  const loop: Record<string, { redirect: string }> = {};
  for (let i = 0; i < 10; i++) loop[`/loop/${i}`] = { redirect: `/loop/${(i + 1) % 10}` };
  site = await startNewsServer({
    '/rss': { contentType: 'application/rss+xml; charset=utf-8', body: antara, headers: { etag: '"v1"', 'last-modified': 'Thu, 05 Nov 2015 08:08:01 GMT' } },
    '/atom-as-html': { contentType: 'text/html', body: ATOM },
    '/xml-untyped': { body: antara },
    '/gz': { contentType: 'text/xml', body: antara, encoding: 'gzip' },
    '/cp1252': { contentType: 'application/xml', body: CP1252_FEED },
    '/html': { contentType: 'text/html; charset=utf-8', body: '<!doctype html><html><body><h1>Beranda</h1></body></html>' },
    '/json': { contentType: 'application/pdf', body: '%PDF-1.4' },
    '/big': { contentType: 'application/rss+xml', body: `<rss>${'x'.repeat(3_000_000)}</rss>` },
    '/big-chunked': { contentType: 'application/rss+xml', chunks: Array.from({ length: 40 }, () => 'y'.repeat(100_000)) },
    '/slow-down': { status: 429, headers: { 'retry-after': '120' }, body: 'tunggu' },
    '/maintenance': { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' }, body: 'x' },
    '/gone': { status: 410, body: 'x' },
    '/conditional': (req: IncomingMessage, res: ServerResponse) => {
      if (req.headers['if-none-match'] === '"v2"' || req.headers['if-modified-since'] === 'Sat, 01 Jan 2030 00:00:00 GMT') {
        res.writeHead(304, { etag: '"v2"' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/atom+xml', etag: '"v2"', 'last-modified': 'Sat, 01 Jan 2030 00:00:00 GMT' });
      res.end(ATOM);
    },
    ...loop,
  });
});

afterAll(async () => {
  await site.close();
  guard.restore();
});

describe('fetchFeed', () => {
  it('reads an RSS feed with its validators and asks for feed types', async () => {
    const feed = await fetcher.fetchFeed(site.url('/rss'));
    expect(feed).toMatchObject({ status: 200, notModified: false, contentType: 'application/rss+xml', etag: '"v1"', lastModified: 'Thu, 05 Nov 2015 08:08:01 GMT', charset: 'utf-8' });
    expect(feed.text).toContain('<title>ANTARA News - Berita Terkini</title>');
    const req = site.requests.find((r) => r.path === '/rss');
    expect(req?.headers.accept).toMatch(/^application\/rss\+xml, application\/atom\+xml/);
    expect(req?.headers['if-none-match']).toBeUndefined();
  });

  it('sends If-None-Match / If-Modified-Since and reports a 304 as notModified', async () => {
    const first = await fetcher.fetchFeed(site.url('/conditional'));
    expect(first).toMatchObject({ status: 200, etag: '"v2"', notModified: false });
    const byEtag = await fetcher.fetchFeed(site.url('/conditional'), { etag: first.etag });
    expect(byEtag).toMatchObject({ status: 304, notModified: true, text: '' });
    const byDate = await fetcher.fetchFeed(site.url('/conditional'), { lastModified: first.lastModified });
    expect(byDate.notModified).toBe(true);
    const sent = site.requests.filter((r) => r.path === '/conditional');
    expect(sent[1]?.headers['if-none-match']).toBe('"v2"');
    expect(sent[2]?.headers['if-modified-since']).toBe('Sat, 01 Jan 2030 00:00:00 GMT');
  });

  it('accepts a feed mislabelled text/html or unlabelled, and compressed feeds', async () => {
    expect((await fetcher.fetchFeed(site.url('/atom-as-html'))).contentType).toBe('application/atom+xml');
    expect((await fetcher.fetchFeed(site.url('/xml-untyped'))).contentType).toBe('application/rss+xml');
    expect((await fetcher.fetchFeed(site.url('/gz'))).text).toContain('ANTARA News');
  });

  it('decodes the charset named in the XML declaration', async () => {
    const feed = await fetcher.fetchFeed(site.url('/cp1252'));
    expect(feed.charset).toBe('windows-1252');
    expect(feed.text).toContain('Café – “kutipan”');
  });

  it('refuses an HTML page and other types with UNSUPPORTED_CONTENT_TYPE', async () => {
    expect((await codeOf(fetcher.fetchFeed(site.url('/html')))).details).toMatchObject({ contentType: 'text/html' });
    expect((await codeOf(fetcher.fetchFeed(site.url('/json')))).code).toBe('UNSUPPORTED_CONTENT_TYPE');
  });

  it('stops a feed past its size cap (declared or streamed) with TOO_LARGE', async () => {
    expect((await codeOf(fetcher.fetchFeed(site.url('/big')))).code).toBe('TOO_LARGE');
    expect((await codeOf(fetcher.fetchFeed(site.url('/big-chunked'), { maxBytes: 500_000 }))).code).toBe('TOO_LARGE');
    // A per-request cap never raises the fetcher's own.
    expect((await codeOf(fetcher.fetchFeed(site.url('/big-chunked'), { maxBytes: 50_000_000 }))).code).toBe('TOO_LARGE');
  });

  it('reports 429 as RATE_LIMITED and 503 as HTTP_ERROR, both with retryAfterMs', async () => {
    const limited = await codeOf(fetcher.fetchFeed(site.url('/slow-down')));
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.details).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    const down = await codeOf(fetcher.fetchFeed(site.url('/maintenance')));
    expect(down.code).toBe('HTTP_ERROR');
    expect(down.details['retryAfterMs']).toBe(86_400_000);
    expect((await codeOf(fetcher.fetchFeed(site.url('/gone')))).code).toBe('NOT_FOUND');
  });

  it('gives up on a feed that redirects forever', async () => {
    expect((await codeOf(fetcher.fetchFeed(site.url('/loop/0')))).code).toBe('TOO_MANY_REDIRECTS');
  });

  it('keeps the SSRF guard: loopback refused unless allowed', async () => {
    const strict = createFetcher({ totalTimeoutMs: 2000 });
    expect((await codeOf(strict.fetchFeed(site.url('/rss')))).code).toBe('PRIVATE_ADDRESS');
    expect(site.requests.filter((r) => r.path === '/rss')).toHaveLength(1);
  });
});

describe('sniffFeedType and parseRetryAfter', () => {
  it('knows feeds by their root element, past declarations, stylesheets and comments', () => {
    const b = (s: string): Uint8Array => Buffer.from(s);
    expect(sniffFeedType(b('<?xml version="1.0"?>\n<?xml-stylesheet href="a.xsl"?><!-- c --><rss version="2.0">'))).toBe('application/rss+xml');
    expect(sniffFeedType(b('\ufeff<feed xmlns="http://www.w3.org/2005/Atom">'))).toBe('application/atom+xml');
    expect(sniffFeedType(b('<rdf:RDF xmlns:rdf="x">'))).toBe('application/rdf+xml');
    expect(sniffFeedType(b('{"version": "https://jsonfeed.org/version/1.1", "items": []}'))).toBe('application/feed+json');
    expect(sniffFeedType(b('<!DOCTYPE html><html>'))).toBeUndefined();
    expect(sniffFeedType(b('<?xml version="1.0"?><html>'))).toBeUndefined();
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('30', 0)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
