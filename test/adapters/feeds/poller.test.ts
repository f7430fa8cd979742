import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FeedPoller, type IngestFn } from '../../../src/adapters/feeds/poller.js';
import { createFetcher } from '../../../src/adapters/http/fetch.js';
import { openStore } from '../../../src/adapters/store/index.js';
import { createFeedStateStore } from '../../../src/adapters/store/feed-state.js';
import type { ParsedFeed } from '../../../src/core/corpus/feed.js';
import { createLogger } from '../../../src/logger.js';
import { guardLoopbackOnly, startNewsServer, type LoopbackGuard, type NewsServer } from '../../helpers/news-server.js';

const antara = readFileSync(new URL('../../fixtures/feeds/antara-mainpage.rss.xml', import.meta.url), 'utf8');
const T0 = Date.parse('2015-11-06T00:00:00Z');

/** Log lines captured as objects (pino JSON). */
function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } as unknown as NodeJS.WritableStream;
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

function rss(items: string, title = 'Uji'): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>https://uji.contoh.id/</link><description>d</description>${items}</channel></rss>`;
}

let site: NewsServer;
let guard: LoopbackGuard;
let clock = T0;
const now = (): number => clock;
const fetcher = createFetcher({ allowPrivate: true, totalTimeoutMs: 4000, maxBytes: 60_000_000 });
const ingested: { url: string; feed: ParsedFeed }[] = [];
const ingest: IngestFn = async (url, feed) => {
  ingested.push({ url, feed });
  return { added: feed.entries.length, stored: true };
};

let inFlight = 0;
let maxInFlight = 0;

/** A slow feed that counts how many requests are open at once. */
function polite(_req: IncomingMessage, res: ServerResponse): void {
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  setTimeout(() => {
    inFlight--;
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rss(''));
  }, 60);
}

beforeAll(async () => {
  guard = guardLoopbackOnly();
  const loop: Record<string, { redirect: string }> = {};
  for (let i = 0; i < 8; i++) loop[`/loop/${i}`] = { redirect: `/loop/${(i + 1) % 8}` };
  site = await startNewsServer({
    '/antara': (req: IncomingMessage, res: ServerResponse) => {
      if (req.headers['if-none-match'] === '"antara-1"') {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"antara-1"' });
      res.end(antara);
    },
    '/html': { contentType: 'text/html', body: '<!doctype html><html><body>Halaman depan</body></html>' },
    '/truncated': { contentType: 'application/rss+xml', body: antara.slice(0, 5000) },
    '/huge': { contentType: 'application/rss+xml', chunks: Array.from({ length: 50 }, (_, i) => (i === 0 ? '<rss version="2.0"><channel>' : '') + `<item><title>x</title><description>${'z'.repeat(1_048_000)}</description></item>`) },
    '/odd': {
      contentType: 'application/rss+xml',
      body: rss(
        '<item><title>Tanpa tautan</title></item>' +
          '<item><title>Tanpa tanggal</title><link>https://uji.contoh.id/a</link></item>' +
          '<item><title>Masa depan</title><link>https://uji.contoh.id/b</link><pubDate>Sat, 01 Jan 2050 10:00:00 +0700</pubDate></item>' +
          '<item><title>Biasa</title><link>https://uji.contoh.id/c</link><pubDate>Thu, 05 Nov 2015 10:00:00 +0700</pubDate></item>',
      ),
    },
    '/flaky': { status: 500, body: 'rusak' },
    '/slow-host/a': { status: 429, headers: { 'retry-after': '600' }, body: 'pelan-pelan' },
    '/slow-host/b': { contentType: 'application/rss+xml', body: rss('') },
    '/polite/1': polite,
    '/polite/2': polite,
    '/polite/3': polite,
    '/polite/4': polite,
    ...loop,
  });
});

afterAll(async () => {
  await site.close();
  guard.restore();
});

beforeEach(() => {
  clock = T0;
  ingested.length = 0;
});

describe('FeedPoller', () => {
  it('reads a feed, keeps its ETag, and asks conditionally the next time (304: nothing ingested)', async () => {
    const poller = new FeedPoller({ fetcher, logger: createLogger({ level: 'silent' }), now });
    const first = await poller.poll(site.url('/antara'), ingest);
    expect(first).toMatchObject({ status: 'ok', entries: 20, added: 20 });
    expect(first.state).toMatchObject({ etag: '"antara-1"', itemsSeen: 20, lastItemCount: 20, consecutiveFailures: 0, title: 'ANTARA News - Berita Terkini' });
    clock += 15 * 60_000;
    const second = await poller.poll(site.url('/antara'), ingest);
    expect(second.status).toBe('not-modified');
    expect(second.state.itemsSeen).toBe(20);
    expect(second.state.notModifiedCount).toBe(1);
    expect(ingested).toHaveLength(1);
    const sent = site.requests.filter((r) => r.path === '/antara');
    expect(sent.at(-1)?.headers['if-none-match']).toBe('"antara-1"');
  });

  it('keeps validators in the store and uses them after a restart only when told the articles were loaded', async () => {
    const store = await openStore('memory://', createLogger({ level: 'silent' }));
    const states = createFeedStateStore(store);
    const a = new FeedPoller({ fetcher, states, logger: createLogger({ level: 'silent' }), now });
    await a.poll(site.url('/antara'), ingest);
    expect((await states.get(site.url('/antara')))?.etag).toBe('"antara-1"');
    clock += 60_000;
    // A new process that has not loaded the articles must not trust the stored ETag.
    const b = new FeedPoller({ fetcher, states, logger: createLogger({ level: 'silent' }), now });
    expect((await b.poll(site.url('/antara'), ingest)).status).toBe('ok');
    // One that loaded them after that answer may.
    const c = new FeedPoller({ fetcher, states, logger: createLogger({ level: 'silent' }), now });
    c.trustStoredValidatorsBefore(clock + 1);
    expect((await c.poll(site.url('/antara'), ingest)).status).toBe('not-modified');
    await store.close();
  });

  it('logs each bad feed against its own URL, backs it off, and reads the others', async () => {
    const { logger, lines } = capturingLogger();
    const poller = new FeedPoller({ fetcher, logger, now, maxFeedBytes: 10_000_000 });
    const urls = ['/html', '/truncated', '/huge', '/loop/0', '/flaky', '/odd', '/antara'].map((p) => site.url(p));
    const results = await poller.pollAll(urls, ingest);
    const by = new Map(results.map((r) => [new URL(r.url).pathname, r]));
    expect(by.get('/html')).toMatchObject({ status: 'error', error: { code: 'NOT_A_FEED' } });
    expect(by.get('/truncated')).toMatchObject({ status: 'error', error: { code: 'MALFORMED_FEED' } });
    expect(by.get('/huge')).toMatchObject({ status: 'error', error: { code: 'TOO_LARGE' } });
    expect(by.get('/loop/0')).toMatchObject({ status: 'error', error: { code: 'TOO_MANY_REDIRECTS' } });
    expect(by.get('/flaky')).toMatchObject({ status: 'error', error: { code: 'HTTP_ERROR' } });
    expect(by.get('/flaky')?.state.lastError?.status).toBe(500);
    expect(by.get('/odd')).toMatchObject({ status: 'ok', entries: 3, problems: { noLink: 1, undated: 1, futureDated: 1 } });
    expect(by.get('/antara')).toMatchObject({ status: 'ok', entries: 20 });
    for (const path of ['/html', '/truncated', '/huge', '/loop/0', '/flaky']) {
      const line = lines.find((l) => l['feed'] === site.url(path) && l['msg'] === 'feed failed: skipped until its backoff ends');
      expect(line, path).toBeDefined();
      expect(line?.['level']).toBe(40);
    }
    expect(lines.some((l) => l['feed'] === site.url('/odd') && l['msg'] === 'feed items with problems (counted, skipped or fixed)')).toBe(true);
    expect(ingested.map((i) => new URL(i.url).pathname).sort()).toEqual(['/antara', '/odd']);
  });

  it('backs off a failing feed: 1, 2, 4 minutes, then reads it again', async () => {
    const poller = new FeedPoller({ fetcher, logger: createLogger({ level: 'silent' }), now, backoffBaseMs: 60_000 });
    const url = site.url('/flaky');
    const hits = (): number => site.hits('/flaky');
    const before = hits();
    expect((await poller.poll(url, ingest)).state.nextAttemptAt).toBe(clock + 60_000);
    clock += 30_000;
    expect((await poller.poll(url, ingest)).status).toBe('skipped');
    expect(hits()).toBe(before + 1);
    clock += 31_000;
    const second = await poller.poll(url, ingest);
    expect(second.state.consecutiveFailures).toBe(2);
    expect(second.state.nextAttemptAt).toBe(clock + 120_000);
    clock += 121_000;
    expect((await poller.poll(url, ingest)).state.nextAttemptAt).toBe(clock + 240_000);
    expect(hits()).toBe(before + 3);
    // force reads it anyway.
    expect((await poller.poll(url, ingest, { force: true })).status).toBe('error');
  });

  it('pauses the whole host for Retry-After on 429', async () => {
    const poller = new FeedPoller({ fetcher, logger: createLogger({ level: 'silent' }), now });
    const a = await poller.poll(site.url('/slow-host/a'), ingest);
    expect(a).toMatchObject({ status: 'error', error: { code: 'RATE_LIMITED' } });
    expect(a.state.nextAttemptAt).toBe(clock + 600_000);
    const hitsB = site.hits('/slow-host/b');
    expect((await poller.poll(site.url('/slow-host/b'), ingest)).status).toBe('skipped');
    expect(site.hits('/slow-host/b')).toBe(hitsB);
    clock += 601_000;
    expect((await poller.poll(site.url('/slow-host/b'), ingest)).status).toBe('ok');
  });

  it('asks one host one request at a time (two when configured)', async () => {
    const urls = [1, 2, 3, 4].map((i) => site.url(`/polite/${i}`));
    maxInFlight = 0;
    await new FeedPoller({ fetcher, logger: createLogger({ level: 'silent' }), now }).pollAll(urls, ingest);
    expect(maxInFlight).toBe(1);
    maxInFlight = 0;
    await new FeedPoller({ fetcher, logger: createLogger({ level: 'silent' }), now, perHostConcurrency: 2 }).pollAll(urls, ingest);
    expect(maxInFlight).toBe(2);
  });
});
