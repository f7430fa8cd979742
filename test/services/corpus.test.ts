import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/adapters/http/fetch.js';
import { createArticleStore } from '../../src/adapters/store/articles.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import type { Article, Reading } from '../../src/core/article-types.js';
import { RingkasError } from '../../src/core/errors.js';
import { createCorpus, type Corpus } from '../../src/services/corpus.js';
import { createCorpusSearch } from '../../src/services/corpus-search.js';
import { closedPort, startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { silentLogger } from '../helpers/services.js';

const antara = readFileSync(new URL('../fixtures/feeds/antara-mainpage.rss.xml', import.meta.url), 'utf8');
const DAY = 24 * 3600_000;
// The Antara fixture was served on 5 November 2015.
const T0 = Date.parse('2015-11-05T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'ringkas-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another outlet's feed reporting the Lombok airport closure (written for this test). */
const OTHER = `<?xml version="1.0"?><rss version="2.0"><channel><title>Kabar Nusa - Terkini</title><link>https://kabarnusa.contoh.id/</link><description>d</description>
<item><title>Abu Gunung Barujari, Bandara Internasional Lombok ditutup dan 29 penerbangan dibatalkan</title><link>https://kabarnusa.contoh.id/berita/1/bandara-lombok-ditutup</link><guid>kabarnusa-000001</guid><pubDate>Thu, 05 Nov 2015 15:10:00 +0700</pubDate><description>Sebanyak 29 penerbangan domestik dan internasional dari dan menuju Bandara Internasional Lombok dibatalkan karena abu vulkanik erupsi Gunung Barujari.</description></item>
<item><title>Jadwal penerbangan Bandara Lombok kembali normal esok hari</title><link>https://kabarnusa.contoh.id/berita/2/penerbangan-lombok-normal</link><guid>kabarnusa-000002</guid><pubDate>Thu, 05 Nov 2015 18:00:00 +0700</pubDate><description>Angkasa Pura memperkirakan operasional Bandara Internasional Lombok kembali normal setelah abu vulkanik Gunung Barujari menipis.</description></item>
<item><title>Harga cabai di Mataram naik</title><link>https://kabarnusa.contoh.id/berita/3/harga-cabai-mataram</link><guid>kabarnusa-000003</guid><pubDate>Thu, 05 Nov 2015 16:00:00 +0700</pubDate><description>Harga cabai rawit di pasar tradisional Mataram naik menjadi Rp60.000 per kilogram.</description></item>
</channel></rss>`;

let site: NewsServer;
const fetcher = createFetcher({ allowPrivate: true, totalTimeoutMs: 4000 });

beforeAll(async () => {
  site = await startNewsServer({
    '/antara.xml': { contentType: 'application/rss+xml', body: antara, headers: { etag: '"a1"' } },
    '/nusa.xml': { contentType: 'application/rss+xml', body: OTHER },
    '/halaman.html': { contentType: 'text/html', body: '<!doctype html><html><body>bukan feed</body></html>' },
  });
});
afterAll(async () => site.close());

function corpusOver(store: Store | undefined, clock: { t: number }, feeds: string[], extra: Partial<Parameters<typeof createCorpus>[0]> = {}): Corpus {
  return createCorpus({
    config: { FEEDS: feeds, RETENTION_DAYS: 14, FEED_POLL_MINUTES: 15 },
    store,
    fetcher,
    logger: silentLogger,
    now: () => clock.t,
    schedule: false,
    ...extra,
  });
}

describe('Corpus service over a real SQLite file and loopback feeds', () => {
  const file = `sqlite://${join(dir, 'corpus.sqlite')}`;
  const clock = { t: T0 };

  it('polls every feed at start, dedups, clusters, and answers search with outlet and time', async () => {
    const store = await openStore(file, silentLogger);
    const corpus = corpusOver(store, clock, [site.url('/antara.xml'), site.url('/nusa.xml'), site.url('/halaman.html')]);
    await corpus.start();
    const summary = await corpus.firstPoll;
    expect(summary).toMatchObject({ feeds: 3, ok: 2, failed: 1, added: 23 });
    expect(corpus.size).toBe(23);

    const hits = corpus.search('penerbangan Bandara Lombok dibatalkan', 5);
    // The Antara story and Kabar Nusa's report of the same closure are one cluster: shown once.
    expect(hits[0]?.clusterSize).toBe(2);
    expect(['Antara', 'Kabar Nusa']).toContain(hits[0]?.outlet);
    expect(hits.filter((h) => /dibatalkan/.test(h.title))).toHaveLength(1);
    expect(hits.some((h) => h.title === 'Jadwal penerbangan Bandara Lombok kembali normal esok hari')).toBe(true);
    expect(hits[0]?.publishedAt).toBeLessThanOrEqual(clock.t);

    const search = createCorpusSearch(corpus);
    const results = await search.search('bandara lombok', 3);
    expect(results[0]).toMatchObject({ outlet: expect.any(String), clusterSize: expect.any(Number), publishedAt: expect.stringMatching(/^2015-11-05T/) });
    expect(results[0]?.summary).toMatch(/Lombok/);
    expect(search.size).toBe(23);

    const health = await corpus.feedHealth();
    const bad = health.find((h) => h.url === site.url('/halaman.html'));
    expect(bad).toMatchObject({ health: 'waiting', lastError: { code: 'NOT_A_FEED' }, consecutiveFailures: 1 });
    expect(health.find((h) => h.url === site.url('/antara.xml'))).toMatchObject({ health: 'ok', itemsSeen: 20, etag: '"a1"', outlet: 'Antara' });
    await corpus.stop();
    await store.close();
  });

  it('restarts from the store without losing anything, even with every feed down', async () => {
    const store = await openStore(file, silentLogger);
    const down = `http://127.0.0.1:${await closedPort()}/feed.xml`;
    const corpus = corpusOver(store, clock, [down]);
    await corpus.start();
    expect(corpus.size).toBe(23);
    expect(corpus.status.loaded).toBe(23);
    expect(corpus.search('harga cabai Mataram', 1)[0]?.title).toBe('Harga cabai di Mataram naik');
    const summary = await corpus.firstPoll;
    expect(summary).toMatchObject({ failed: 1, added: 0 });
    expect((await corpus.feedHealth())[0]?.lastError?.code).toBe('CONNECT_FAILED');
    await corpus.stop();
    await store.close();
  });

  it('related stories: the corpus (not the article, not its near-duplicates), then its own Baca juga links', async () => {
    const store = await openStore(file, silentLogger);
    const corpus = corpusOver(store, clock, [], { pollOnStart: false });
    await corpus.start();
    const article: Article = {
      url: 'http://www.antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan',
      title: '29 penerbangan Bandara Internasional Lombok dibatalkan',
      publishedAt: '2015-11-05T07:56:43.000Z',
      paragraphs: ['Mataram (ANTARA News) - Sebanyak 29 penerbangan dari dan menuju Bandara Internasional Lombok dibatalkan akibat abu vulkanik Gunung Barujari.', 'Angkasa Pura menutup bandara sampai abu menipis.'],
      links: [{ title: 'Gunung Rinjani kembali erupsi', url: 'https://www.antaranews.com/berita/527000/rinjani-erupsi' }],
      language: 'id',
    };
    const related = corpus.relatedFor(article, 3);
    expect(related[0]?.title).toBe('Jadwal penerbangan Bandara Lombok kembali normal esok hari');
    expect(related[0]).toMatchObject({ outlet: 'Kabar Nusa', publishedAt: '2015-11-05T11:00:00.000Z' });
    expect(related.some((r) => /dibatalkan/.test(r.title))).toBe(false);
    expect(related.at(-1)).toEqual({ title: 'Gunung Rinjani kembali erupsi', url: 'https://www.antaranews.com/berita/527000/rinjani-erupsi', score: 0 });
    expect(related.filter((r) => r.score > 0).every((r) => r.score <= 1)).toBe(true);

    // An article read from a link joins the corpus.
    const reading: Reading = { article: { ...article, url: 'https://berita.contoh.id/2015/11/05/kereta', title: 'Kereta bandara Kualanamu tambah jadwal', paragraphs: ['Kereta bandara Kualanamu menambah jadwal perjalanan mulai pekan depan.'], links: [] }, summary: [], quotes: [], keywords: [], related: [] };
    createCorpusSearch(corpus).remember(reading);
    expect(corpus.search('kereta Kualanamu', 1)[0]?.title).toBe('Kereta bandara Kualanamu tambah jadwal');
    await corpus.stop();
    await store.close();
  });

  it('cleanup drops articles past the retention window, in memory and in the store', async () => {
    const store = await openStore(file, silentLogger);
    const later = { t: T0 + 15 * DAY };
    const corpus = corpusOver(store, later, [], { pollOnStart: false });
    await corpus.start();
    // Loading already skips (and deletes) expired rows.
    expect(corpus.size).toBe(0);
    const { removed } = await corpus.cleanup();
    expect(removed).toBe(0);
    let left = 0;
    for await (const batch of createArticleStore(store).scan()) left += batch.length;
    expect(left).toBe(0);
    await corpus.stop();
    await store.close();
  });

  it('cleanup in a running corpus', async () => {
    const store = await openStore(`sqlite://${join(dir, 'cleanup.sqlite')}`, silentLogger);
    const c = { t: T0 };
    const corpus = corpusOver(store, c, [site.url('/nusa.xml')]);
    await corpus.start();
    await corpus.firstPoll;
    expect(corpus.size).toBe(3);
    c.t = T0 + 14 * DAY + 12 * 3600_000;
    expect((await corpus.cleanup()).removed).toBeGreaterThanOrEqual(3);
    expect(corpus.size).toBe(0);
    expect(corpus.search('cabai', 1)).toEqual([]);
    await corpus.stop();
    await store.close();
  });
});

describe('Corpus service: several instances on one store', () => {
  it('an instance that does not poll picks up what another stored, and lists a window for digests', async () => {
    const store = await openStore(`sqlite://${join(dir, 'shared.sqlite')}`, silentLogger);
    const clock = { t: T0 };
    const poller = corpusOver(store, clock, [site.url('/nusa.xml')]);
    const reader = corpusOver(store, clock, [], { pollOnStart: false });
    await reader.start();
    expect(reader.size).toBe(0);
    await poller.start();
    await poller.firstPoll;
    expect(await reader.refreshFromStore()).toBe(3);
    expect(await reader.refreshFromStore()).toBe(0);
    expect(reader.search('cabai Mataram', 1)[0]?.title).toBe('Harga cabai di Mataram naik');
    const window = reader.storiesBetween(Date.parse('2015-11-05T08:30:00Z'), Date.parse('2015-11-05T12:00:00Z'));
    expect(window.map((s) => s.title)).toEqual(['Harga cabai di Mataram naik', 'Jadwal penerbangan Bandara Lombok kembali normal esok hari']);
    expect(window[0]).toMatchObject({ outlet: 'Kabar Nusa', url: 'https://kabarnusa.contoh.id/berita/3/harga-cabai-mataram', clusterId: expect.any(String), publishedAt: Date.parse('2015-11-05T09:00:00Z') });
    await poller.stop();
    await reader.stop();
    await store.close();
  });
});

/** A store whose backend can be switched off: every operation then fails like a dead server. */
class Switchable extends Map<string, unknown> {
  down = false;
  override get(key: string): unknown {
    if (this.down) throw new Error('ECONNREFUSED');
    return super.get(key);
  }
  override set(key: string, value: unknown): this {
    if (this.down) throw new Error('ECONNREFUSED');
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    if (this.down) throw new Error('ECONNREFUSED');
    return super.delete(key);
  }
}

function switchableStore(): { store: Store; backends: Switchable[]; setDown(v: boolean): void } {
  const backends: Switchable[] = [];
  const spaces = new Map<string, Keyv<unknown>>();
  const store: Store = {
    kind: 'memory',
    namespace<V>(name: string): Keyv<V> {
      let kv = spaces.get(name);
      if (kv === undefined) {
        const backend = new Switchable();
        backends.push(backend);
        kv = new Keyv<unknown>({ store: backend as unknown as KeyvStoreAdapter, namespace: name });
        kv.on('error', () => undefined);
        spaces.set(name, kv);
      }
      return kv as Keyv<V>;
    },
    async ping() {
      if (backends.some((b) => b.down)) throw new RingkasError('STORE_UNAVAILABLE', 'down');
    },
    async close() {},
  };
  return { store, backends, setDown: (v) => backends.forEach((b) => (b.down = v)) };
}

describe('Corpus service with a store that goes down', () => {
  it('keeps answering from memory, reports the store, and writes what it kept when the store is back', async () => {
    const s = switchableStore();
    // Create the namespaces, then take the store down before start-up.
    s.store.namespace('articles');
    s.store.namespace('feeds');
    s.setDown(true);
    const clock = { t: T0 };
    const corpus = corpusOver(s.store, clock, [site.url('/nusa.xml')]);
    await corpus.start();
    const first = await corpus.firstPoll;
    expect(first?.added).toBe(3);
    expect(corpus.status).toMatchObject({ storeOk: false, pendingWrites: 3 });
    expect(corpus.search('cabai Mataram', 1)[0]?.title).toBe('Harga cabai di Mataram naik');

    s.setDown(false);
    clock.t += 15 * 60_000;
    await corpus.pollNow();
    expect(corpus.status).toMatchObject({ storeOk: true, pendingWrites: 0 });
    const kept = createArticleStore(s.store);
    let n = 0;
    for await (const batch of kept.scan()) n += batch.length;
    expect(n).toBe(3);
    await corpus.stop();
  });
});
