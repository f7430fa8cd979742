/**
 * Cache poisoning through rel=canonical (issue 7, found with the SSRF suite): a page may name any
 * URL as its canonical one. Readings are cached under the canonical URL too, so without a check a
 * page on any site could plant its (made-up) reading under a news site's URL, and everyone asking
 * for that link within a day would get it. The canonical URL is a cache key only on the page's own
 * site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, normalizeUrl, type ResolvedAddress } from '../../src/adapters/http/index.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { createReadingCache, type ReadingCache } from '../../src/adapters/store/readings.js';
import { createReaderService, sameSite, type ReaderService } from '../../src/services/read.js';
import { guardLoopbackOnly, startNewsServer, type LoopbackGuard, type NewsServer } from '../helpers/news-server.js';
import { silentLogger } from '../helpers/services.js';

const page = (canonical: string, title: string): string => `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${title}</title>
<link rel="canonical" href="${canonical}"></head><body><article><h1>${title}</h1>
${[
  'Jakarta - Pemerintah mengumumkan kebijakan baru tentang harga bahan bakar minyak yang berlaku mulai pekan depan di seluruh Indonesia.',
  'Menteri Energi mengatakan kebijakan itu diambil setelah mempertimbangkan harga minyak dunia yang naik tajam dalam sebulan terakhir.',
  '"Kami memastikan pasokan tetap aman dan harga terjangkau bagi masyarakat," kata Menteri Energi kepada wartawan di Jakarta, Senin.',
  'Sejumlah pengamat menilai kebijakan tersebut akan berdampak pada inflasi dalam beberapa bulan ke depan jika tidak diimbangi bantuan sosial.',
].map((p) => `<p>${p}</p>`).join('\n')}
</article></body></html>`;

let guard: LoopbackGuard;
let site: NewsServer;
let store: Store;
let cache: ReadingCache;
let reader: ReaderService;

beforeAll(async () => {
  guard = guardLoopbackOnly();
  site = await startNewsServer();
  site.route('/palsu', { contentType: 'text/html; charset=utf-8', body: page('https://www.kompas.com/read/2026/11/29/berita-asli', 'Berita Palsu') });
  site.route('/amp/berita/1', { contentType: 'text/html; charset=utf-8', body: page(`http://www.berita.example:${site.port}/berita/1`, 'Berita Sah') });
  store = await openStore('memory://', silentLogger);
  cache = createReadingCache(store, silentLogger);
  // "amp.berita.example" and "www.berita.example" are one public site (the loopback server).
  const lookup = async (host: string): Promise<ResolvedAddress[]> => {
    if (host.endsWith('berita.example')) return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
  reader = createReaderService({ fetcher: createFetcher({ allowedAddresses: ['127.0.0.1'], lookup, totalTimeoutMs: 3000 }), logger: silentLogger, cache, normalizeUrl });
});

afterAll(async () => {
  await site?.close();
  await store?.close();
  guard?.restore();
  expect(guard.blocked).toEqual([]);
});

describe('canonical URLs as cache keys', () => {
  it('does not cache a reading under a canonical URL on another site', async () => {
    const planted = await reader.readUrl(`http://evil.berita.example:${site.port}/palsu`);
    expect(planted.article.title).toBe('Berita Palsu');
    // Nor is the claim shown as where the story comes from.
    expect(planted.article.canonicalUrl).toBeUndefined();
    expect(planted.article.url).toBe(`http://evil.berita.example:${site.port}/palsu`);
    expect((await cache.get(normalizeUrl(`http://evil.berita.example:${site.port}/palsu`)))?.article.title).toBe('Berita Palsu');
    expect(await cache.get(normalizeUrl('https://www.kompas.com/read/2026/11/29/berita-asli'))).toBeUndefined();
    // Asking for the news site's link reads the news site (here: no such host), not the planted page.
    await expect(reader.readUrl('https://www.kompas.com/read/2026/11/29/berita-asli')).rejects.toMatchObject({ code: 'DNS_FAILED' });
  });

  it('still caches under the canonical URL on the page\'s own site (AMP -> www)', async () => {
    const hits = site.hits('/amp/berita/1');
    const r = await reader.readUrl(`http://amp.berita.example:${site.port}/amp/berita/1`);
    expect(r.article.title).toBe('Berita Sah');
    expect(r.article.canonicalUrl).toBe(`http://www.berita.example:${site.port}/berita/1`);
    const again = await reader.readUrl(`http://www.berita.example:${site.port}/berita/1`);
    expect(again.article.title).toBe('Berita Sah');
    expect(site.hits('/amp/berita/1')).toBe(hits + 1);
    expect(site.hits('/berita/1')).toBe(0); // served from the cache
  });

  it('sameSite: same host modulo www/m/amp/mobile, or a subdomain of the page\'s site', () => {
    expect(sameSite('https://www.kompas.com/read/1', 'https://amp.kompas.com/read/1')).toBe(true);
    expect(sameSite('https://nasional.kompas.com/read/1', 'https://amp.kompas.com/x')).toBe(true);
    expect(sameSite('https://news.detik.com/berita/d-1', 'https://m.detik.com/news/berita/d-1')).toBe(true);
    expect(sameSite('https://www.kompas.com/read/1', 'https://evil.example/kompas')).toBe(false);
    expect(sameSite('https://kompas.com/read/1', 'https://kompas.com.evil.example/x')).toBe(false);
    expect(sameSite('https://blogspot.com/', 'https://penipu.blogspot.com/x')).toBe(false);
    expect(sameSite('https://www.kompas.com/', 'http://127.0.0.1:8080/x')).toBe(false);
    expect(sameSite(undefined, 'https://a.id/')).toBe(false);
    expect(sameSite('bukan url', 'https://a.id/')).toBe(false);
  });
});
