import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, normalizeUrl } from '../../src/adapters/http/index.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { createReadingCache } from '../../src/adapters/store/readings.js';
import { createReaderService, type ReaderService } from '../../src/services/read.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { silentLogger } from '../helpers/services.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const truth = JSON.parse(readFileSync(join(fixtures, 'pages', 'ground-truth.json'), 'utf8')) as Record<string, { title: string; content: string }>;
const PAGED = '/berita/d-7222222/lima-hal-yang-perlu-diketahui-soal-kereta-cepat';

let site: NewsServer;
let store: Store;
let reader: ReaderService;

beforeAll(async () => {
  const local = (html: string): string => html.replaceAll('https://news.detik.com', 'ORIGIN');
  const paged1 = local(readFileSync(join(fixtures, 'html', 'detik-paged.html'), 'utf8'));
  const paged2 = readFileSync(join(fixtures, 'html', 'detik-paged-2.html'), 'utf8');
  site = await startNewsServer({
    '/antara': { contentType: 'text/html; charset=utf-8', body: readFileSync(join(fixtures, 'pages', 'antara-singlepage.html')) },
    // Served the way kapanlagi did: labelled latin-1, bytes in UTF-8.
    '/kapanlagi': { contentType: 'text/html; charset=iso-8859-1', body: readFileSync(join(fixtures, 'pages', 'kapanlagi-singlepage.html')) },
    [PAGED]: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(paged1.replaceAll('ORIGIN', site.origin));
    },
    [`${PAGED}/2`]: { contentType: 'text/html; charset=utf-8', body: paged2 },
    '/gambar.png': { contentType: 'image/png', body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) },
  });
  store = await openStore('memory://', silentLogger);
  reader = createReaderService({
    fetcher: createFetcher({ allowPrivate: true, totalTimeoutMs: 5000 }),
    logger: silentLogger,
    cache: createReadingCache(store, silentLogger),
    normalizeUrl,
  });
});

afterAll(async () => {
  await site.close();
  await store.close();
});

describe('reading a link', () => {
  it('reads a real page served on loopback into a full reading', async () => {
    const r = await reader.readUrl(site.url('/antara'));
    const t = truth['antara-singlepage.html'];
    expect(r.article.title).toBe(t?.title);
    expect(r.article.paragraphs.join('\n')).toBe(t?.content);
    expect(r.summary.length).toBeGreaterThan(0);
    expect(r.summary[0]).not.toMatch(/ANTARA News\) -/);
    expect(r.quotes.some((q) => q.text.startsWith('Penutupan operasional bandara'))).toBe(true);
    expect(r.keywords.length).toBeGreaterThanOrEqual(5);
  });

  it('serves the second reading of the same link from the cache (tracking parameters ignored)', async () => {
    const before = site.hits('/antara');
    const r = await reader.readUrl(`${site.url('/antara')}?utm_source=wa#x`);
    expect(r.article.title).toBe(truth['antara-singlepage.html']?.title);
    expect(site.hits('/antara')).toBe(before);
  });

  it('decodes UTF-8 bytes labelled latin-1', async () => {
    const r = await reader.readUrl(site.url('/kapanlagi'));
    expect(r.article.title).toBe(truth['kapanlagi-singlepage.html']?.title);
    expect(r.article.paragraphs.join(' ')).not.toMatch(/Ã|â€/);
  });

  it('follows the pages of a multi-page article and keeps what it could read', async () => {
    const r = await reader.readUrl(site.url(PAGED));
    const body = r.article.paragraphs.join('\n');
    expect(body).toContain('Pertama, jadwal keberangkatan pagi');
    expect(body).toContain('Kelima, operator meminta penumpang');
    // Page 3 does not exist on this site: the reading is shorter, not failed.
    expect(site.hits(`${PAGED}/2`)).toBe(1);
    expect(site.hits(`${PAGED}/3`)).toBe(1);
    expect(body.match(/Pertama, jadwal/g)?.length).toBe(1);
  });

  it('turns a missing page and an image into typed errors', async () => {
    await expect(reader.readUrl(site.url('/hilang'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reader.readUrl(site.url('/gambar.png'))).rejects.toMatchObject({ code: 'UNSUPPORTED_CONTENT_TYPE' });
  });

  it('refuses private addresses unless allowed, without a request', async () => {
    const strict = createReaderService({ fetcher: createFetcher({ totalTimeoutMs: 2000 }), logger: silentLogger });
    const before = site.requests.length;
    await expect(strict.readUrl(site.url('/antara'))).rejects.toMatchObject({ code: 'PRIVATE_ADDRESS' });
    expect(site.requests.length).toBe(before);
  });
});
