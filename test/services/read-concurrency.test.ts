/**
 * Bounded fetching of users' links (the read service's queue, src/services/fetch-queue.ts), against
 * a loopback news site that answers slowly and counts the requests it is serving at once. Several
 * host names lead to it (the fetcher's injectable `lookup`), so per-host and global limits can be
 * told apart:
 *
 * - at most FETCH_PER_HOST requests at once at one host (www. or not), while another host goes on
 *   in parallel; at most FETCH_CONCURRENCY at once in all;
 * - the same link asked for by 30 people at once: one request at the site, 30 equal readings;
 *   other read options get a reading of their own; one caller giving up does not cancel the
 *   others' reading;
 * - a request whose caller gave up while it waited in line never reaches the site;
 * - a wait in line past the cap: BUSY, with its Indonesian message, and no request at the site;
 *   the wait counts against FETCH_TIMEOUT_MS;
 * - after a burst, nothing is left in line, running, or in flight.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFetcher, normalizeUrl, type ResolvedAddress } from '../../src/adapters/http/index.js';
import { RingkasError } from '../../src/core/errors.js';
import { userMessage } from '../../src/core/messages.js';
import { createReaderService, type ReaderServiceOptions } from '../../src/services/read.js';
import { hostKey } from '../../src/services/fetch-queue.js';
import { guardLoopbackOnly, startNewsServer, type LoopbackGuard, type NewsServer } from '../helpers/news-server.js';
import { silentLogger } from '../helpers/services.js';

const PARAGRAPHS = [
  'Jakarta - Pemerintah mengumumkan kebijakan baru tentang harga bahan bakar minyak yang berlaku mulai pekan depan di seluruh Indonesia.',
  'Menteri Energi mengatakan kebijakan itu diambil setelah mempertimbangkan harga minyak dunia yang naik tajam dalam sebulan terakhir.',
  '"Kami memastikan pasokan tetap aman dan harga terjangkau bagi masyarakat," kata Menteri Energi kepada wartawan di Jakarta, Senin.',
  'Sejumlah pengamat menilai kebijakan tersebut akan berdampak pada inflasi dalam beberapa bulan ke depan jika tidak diimbangi bantuan sosial.',
  'Pemerintah juga menyiapkan bantuan langsung tunai bagi keluarga miskin agar daya beli tetap terjaga selama masa penyesuaian harga.',
];
const PAGE = `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Harga BBM Naik Pekan Depan</title></head>
<body><article><h1>Harga BBM Naik Pekan Depan</h1>${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}</article></body></html>`;
const BUSY_ID = 'Maaf, situs itu sedang lambat dan banyak permintaan mengantre. Coba lagi sebentar lagi, ya.';

let guard: LoopbackGuard;
let site: NewsServer;
/** Requests the site is serving now and at most, per host (www. set aside) and in all. */
const live = new Map<string, number>();
const peak = new Map<string, number>();
let liveAll = 0;
let peakAll = 0;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A route that answers after `ms` (the article, or `status` with an error page), counting requests in flight. */
function slow(ms: number, status = 200) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^www\./, '');
    live.set(host, (live.get(host) ?? 0) + 1);
    peak.set(host, Math.max(peak.get(host) ?? 0, live.get(host) ?? 0));
    liveAll++;
    peakAll = Math.max(peakAll, liveAll);
    const t = setTimeout(() => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(status === 200 ? PAGE : '<h1>500</h1>');
    }, ms);
    res.on('close', () => {
      clearTimeout(t);
      live.set(host, (live.get(host) ?? 1) - 1);
      liveAll--;
    });
  };
}

const url = (host: string, path: string): string => `http://${host}:${site.port}${path}`;

/** A reader on the loopback site, with the limits under test. */
function reader(limits: Pick<ReaderServiceOptions, 'concurrency' | 'perHost' | 'timeoutMs' | 'maxQueueWaitMs'>) {
  // Every *.berita.example is the loopback site; nothing else resolves.
  const lookup = async (host: string): Promise<ResolvedAddress[]> => {
    if (host.endsWith('berita.example')) return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
  return createReaderService({ fetcher: createFetcher({ allowedAddresses: ['127.0.0.1'], lookup, totalTimeoutMs: 5000 }), logger: silentLogger, normalizeUrl, ...limits });
}

async function codeOf(p: Promise<unknown>): Promise<RingkasError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RingkasError);
  return err as RingkasError;
}

beforeAll(async () => {
  guard = guardLoopbackOnly();
  site = await startNewsServer({
    '/lambat': slow(300),
    '/sama': slow(250),
    '/rusak': slow(100, 500),
    '/lama': slow(1000),
    '/tunda': slow(300),
    '/diam': slow(60_000), // never in time
  });
});

beforeEach(() => {
  live.clear();
  peak.clear();
  peakAll = 0;
});

afterAll(async () => {
  await site?.close();
  guard?.restore();
  expect(guard.blocked).toEqual([]);
});

describe('the host a request queues under', () => {
  it('is the hostname, lowercased, without www.', () => {
    expect(hostKey('https://WWW.Kompas.com/read/1')).toBe('kompas.com');
    expect(hostKey('https://kompas.com./read/1')).toBe('kompas.com');
    expect(hostKey('https://news.detik.com/berita/1')).toBe('news.detik.com');
    expect(hostKey('not a url')).toBe('');
  });
});

describe('per-host and global limits', () => {
  it('holds one host at FETCH_PER_HOST requests at once (www. or not) while another host goes on in parallel', async () => {
    const r = reader({ perHost: 4, concurrency: 16, timeoutMs: 10_000 });
    const t0 = Date.now();
    const a = Array.from({ length: 12 }, (_, i) => r.readUrl(url(i % 2 === 0 ? 'www.satu.berita.example' : 'satu.berita.example', `/lambat?a=${i}`)));
    const b = Array.from({ length: 12 }, (_, i) => r.readUrl(url('dua.berita.example', `/lambat?b=${i}`)));
    const readings = await Promise.all([...a, ...b]);
    const elapsed = Date.now() - t0;
    expect(readings.every((x) => x.article.title === 'Harga BBM Naik Pekan Depan')).toBe(true);
    // Exactly the cap at each host (12 requests fill every slot), both hosts at once.
    expect(peak.get('satu.berita.example')).toBe(4);
    expect(peak.get('dua.berita.example')).toBe(4);
    expect(peakAll).toBe(8);
    expect(site.requests.filter((q) => /^\/lambat\?[ab]=/.test(q.path))).toHaveLength(24);
    // 12 per host, 4 at a time, 300 ms each: three waves (the two hosts side by side: peakAll above).
    expect(elapsed).toBeGreaterThanOrEqual(850);
    expect(r.load()).toEqual({ running: 0, waiting: 0, hosts: 0, readings: 0 });
  });

  it('holds all hosts together at FETCH_CONCURRENCY', async () => {
    const r = reader({ perHost: 4, concurrency: 3, timeoutMs: 10_000 });
    const hosts = ['satu', 'dua', 'tiga'].map((h) => `${h}.berita.example`);
    const all = hosts.flatMap((h) => Array.from({ length: 4 }, (_, i) => r.readUrl(url(h, `/lambat?g=${h}-${i}`))));
    await Promise.all(all);
    expect(peakAll).toBe(3);
    for (const h of hosts) expect(peak.get(h)).toBeLessThanOrEqual(3);
    expect(r.load()).toEqual({ running: 0, waiting: 0, hosts: 0, readings: 0 });
  });
});

describe('the same link asked for at once', () => {
  it('30 people, one uncached link: one request at the site, 30 equal readings', async () => {
    const r = reader({ perHost: 4, concurrency: 16, timeoutMs: 10_000 });
    const before = site.hits('/sama');
    // Spellings that normalize to one URL (tracking parameters and #fragments dropped) share it too.
    const spellings = [url('satu.berita.example', '/sama'), `${url('satu.berita.example', '/sama')}?utm_source=wa`, `${url('satu.berita.example', '/sama')}#baca`];
    const readings = await Promise.all(Array.from({ length: 30 }, (_, i) => r.readUrl(spellings[i % 3] as string)));
    expect(site.hits('/sama') - before).toBe(1);
    expect(readings).toHaveLength(30);
    for (const x of readings) expect(x).toEqual(readings[0]);
    expect(readings[0]?.article.title).toBe('Harga BBM Naik Pekan Depan');
    expect(r.load()).toEqual({ running: 0, waiting: 0, hosts: 0, readings: 0 });
  });

  it('shares only between equal read options', async () => {
    const r = reader({ perHost: 4, concurrency: 16, timeoutMs: 10_000 });
    const before = site.hits('/sama');
    const link = url('dua.berita.example', '/sama');
    const [plain, short] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => r.readUrl(link))),
      Promise.all(Array.from({ length: 10 }, () => r.readUrl(link, { sentences: 1, maxQuotes: 1 }))),
    ]);
    expect(site.hits('/sama') - before).toBe(2);
    for (const x of short) {
      expect(x.summary).toHaveLength(1);
      expect(x).toEqual(short[0]);
    }
    for (const x of plain) expect(x).toEqual(plain[0]);
    expect(plain[0]?.summary.length).toBeGreaterThan(1);
  });

  it('shares a failure too: one request, everyone told', async () => {
    const r = reader({ perHost: 4, concurrency: 16, timeoutMs: 10_000 });
    const before = site.hits('/rusak');
    const errors = await Promise.all(Array.from({ length: 10 }, () => codeOf(r.readUrl(url('satu.berita.example', '/rusak?bersama')))));
    expect(site.hits('/rusak') - before).toBe(1);
    expect(errors.map((e) => e.code)).toEqual(Array.from({ length: 10 }, () => 'HTTP_ERROR'));
  });

  it('one caller giving up does not cancel the reading of the others; the last one does', async () => {
    const r = reader({ perHost: 4, concurrency: 16, timeoutMs: 10_000 });
    const before = site.hits('/lama');
    const quitter = new AbortController();
    const link = url('tiga.berita.example', '/lama?bersama');
    const gone = codeOf(r.readUrl(link, { signal: quitter.signal }));
    const stay = [r.readUrl(link), r.readUrl(link, { signal: new AbortController().signal })];
    await sleep(150);
    quitter.abort();
    const t0 = Date.now();
    expect((await gone).code).toBe('FETCH_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(100); // answered at once, not when the page comes
    const readings = await Promise.all(stay);
    expect(readings.map((x) => x.article.title)).toEqual(['Harga BBM Naik Pekan Depan', 'Harga BBM Naik Pekan Depan']);
    expect(site.hits('/lama') - before).toBe(1);

    // Everyone gives up: the request toward the site is dropped.
    const all = [new AbortController(), new AbortController()];
    const calls = all.map((c) => codeOf(r.readUrl(url('tiga.berita.example', '/lama?semua'), { signal: c.signal })));
    await sleep(150);
    expect(live.get('tiga.berita.example')).toBe(1);
    for (const c of all) c.abort();
    expect((await Promise.all(calls)).map((e) => e.code)).toEqual(['FETCH_TIMEOUT', 'FETCH_TIMEOUT']);
    await expect.poll(() => live.get('tiga.berita.example'), { timeout: 1000 }).toBe(0);
    await expect.poll(() => r.load(), { timeout: 1000 }).toEqual({ running: 0, waiting: 0, hosts: 0, readings: 0 });
  });
});

describe('waiting in line', () => {
  it('a request whose caller gave up while it waited never reaches the site', async () => {
    const r = reader({ perHost: 1, concurrency: 16, timeoutMs: 10_000 });
    const first = r.readUrl(url('satu.berita.example', '/lambat?antre=1'));
    const quitter = new AbortController();
    const t0 = Date.now();
    const gaveUp = codeOf(r.readUrl(url('satu.berita.example', '/lambat?antre=2'), { signal: quitter.signal }));
    const third = r.readUrl(url('satu.berita.example', '/lambat?antre=3'));
    await sleep(50);
    expect(r.load()).toMatchObject({ running: 1, waiting: 2, hosts: 1 });
    quitter.abort();
    const err = await gaveUp;
    expect(err.code).toBe('FETCH_TIMEOUT');
    expect(err.details['reason']).toBe('aborted');
    expect(Date.now() - t0).toBeLessThan(250); // at once, not after the first page
    expect(r.load()).toMatchObject({ running: 1, waiting: 1 });
    await Promise.all([first, third]);
    await sleep(50);
    expect(site.requests.map((q) => q.path).filter((p) => p.startsWith('/lambat?antre='))).toEqual(['/lambat?antre=1', '/lambat?antre=3']);
    // Already given up before asking: not even queued.
    const before = site.requests.length;
    const pre = new AbortController();
    pre.abort();
    expect((await codeOf(r.readUrl(url('satu.berita.example', '/lambat?antre=4'), { signal: pre.signal }))).code).toBe('FETCH_TIMEOUT');
    expect(site.requests.length).toBe(before);
    expect(r.load()).toEqual({ running: 0, waiting: 0, hosts: 0, readings: 0 });
  });

  it('a wait past the cap answers BUSY, in Indonesian by default, and never reaches the site', async () => {
    const r = reader({ perHost: 1, concurrency: 16, timeoutMs: 3000, maxQueueWaitMs: 300 });
    const first = r.readUrl(url('dua.berita.example', '/lama?sibuk=1'));
    await sleep(20);
    const t0 = Date.now();
    const err = await codeOf(r.readUrl(url('dua.berita.example', '/lama?sibuk=2')));
    const waited = Date.now() - t0;
    expect(err.code).toBe('BUSY');
    expect(err.details['host']).toBe('dua.berita.example');
    expect(userMessage(err)).toBe(BUSY_ID);
    expect(userMessage(err, 'en')).toBe('Sorry, that site is slow right now and many requests are waiting in line. Please try again in a moment.');
    expect(waited).toBeGreaterThanOrEqual(280);
    expect(waited).toBeLessThan(700);
    // Another host is not kept waiting by this one's line.
    const other = await r.readUrl(url('satu.berita.example', '/lambat?sibuk=3'));
    expect(other.article.title).toBe('Harga BBM Naik Pekan Depan');
    await first;
    expect(site.hits('/lama?sibuk=2')).toBe(0);
    expect(site.hits('/lama?sibuk=1')).toBe(1);
  });

  it('the wait counts against FETCH_TIMEOUT_MS: by default half of it in line at most, the page gets the rest', async () => {
    // timeoutMs 1000: at most 500 ms in line. The fetcher alone would allow 5000 ms.
    const r = reader({ perHost: 1, concurrency: 16, timeoutMs: 1000 });
    const t0 = Date.now();
    const first = r.readUrl(url('satu.berita.example', '/tunda?batas=1')); // 300 ms
    const silent = codeOf(r.readUrl(url('satu.berita.example', '/diam?batas=2'))); // waits ~300 ms, then never answered
    const late = codeOf(r.readUrl(url('satu.berita.example', '/tunda?batas=3'))); // waits past 500 ms
    await first;
    const busy = await late;
    expect(busy.code).toBe('BUSY');
    expect(Date.now() - t0).toBeLessThan(800);
    const timedOut = await silent;
    const total = Date.now() - t0;
    expect(timedOut.code).toBe('FETCH_TIMEOUT');
    expect(timedOut.details['limitMs']).toBe(1000);
    expect(Number(timedOut.details['waitedMs'])).toBeGreaterThanOrEqual(250);
    // Wait and fetch within the 1000 ms together (not 300 ms + the fetcher's 5000 ms).
    expect(total).toBeGreaterThanOrEqual(900);
    expect(total).toBeLessThan(1400);
    expect(userMessage(timedOut)).toBe('Maaf, situs berita itu terlalu lama menjawab. Coba lagi sebentar lagi.');
  });
});

describe('after a burst', () => {
  it('nothing stays in line, running, or in flight at the site', async () => {
    const r = reader({ perHost: 2, concurrency: 4, timeoutMs: 1200, maxQueueWaitMs: 400 });
    const hosts = ['satu', 'dua', 'tiga'].map((h) => `${h}.berita.example`);
    const quitters: AbortController[] = [];
    const calls = Array.from({ length: 45 }, (_, i) => {
      const host = hosts[i % 3] as string;
      const path = ['/lambat', '/rusak', '/diam'][i % 5 === 0 ? 2 : i % 2] as string;
      const c = new AbortController();
      if (i % 7 === 0) quitters.push(c);
      // Some links asked for twice (shared), the rest unique.
      return r.readUrl(url(host, `${path}?ledak=${i % 9 === 0 ? 'dua-kali' : i}`), { signal: c.signal }).then(
        () => 'ok',
        (e: unknown) => (e instanceof RingkasError ? e.code : 'other'),
      );
    });
    await sleep(100);
    expect(r.load().waiting).toBeGreaterThan(0);
    for (const c of quitters) c.abort();
    const outcomes = await Promise.all(calls);
    const counts = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }), {});
    expect(Object.keys(counts).sort()).toEqual(['BUSY', 'FETCH_TIMEOUT', 'HTTP_ERROR', 'ok']);
    expect(peakAll).toBeLessThanOrEqual(4);
    for (const h of hosts) expect(peak.get(h) ?? 0).toBeLessThanOrEqual(2);
    expect(r.load()).toEqual({ running: 0, waiting: 0, hosts: 0, readings: 0 });
    await expect.poll(() => liveAll, { timeout: 1000 }).toBe(0);
  });
});
