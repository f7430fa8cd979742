import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type LookupFn, type ResolvedAddress } from '../../../src/adapters/http/fetch.js';
import { closedPort, guardLoopbackOnly, startNewsServer, type LoopbackGuard, type NewsServer } from '../../helpers/news-server.js';
import { expectCode } from '../../helpers/errors.js';

const kapanlagi = readFileSync(new URL('../../fixtures/charset/kapanlagi-excerpt.html', import.meta.url));
const HTML = '<!doctype html><html><head><title>Berita</title></head><body><p>Jakarta — “Ini kutipan,” katanya.</p></body></html>';
/** "Rp 1.000 – “kutipan”" in windows-1252. */
const CP1252 = Buffer.from([0x52, 0x70, 0x20, 0x31, 0x2e, 0x30, 0x30, 0x30, 0x20, 0x96, 0x20, 0x93, ...Buffer.from('kutipan'), 0x94]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(64, 0x01)]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** A fake DNS: name -> answers; records every question. Unknown names fail like ENOTFOUND. */
function fakeDns(table: Record<string, readonly string[] | (() => readonly string[])>): LookupFn & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const entry = table[hostname];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const list = typeof entry === 'function' ? entry() : entry;
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(fn, { calls });
}

let guard: LoopbackGuard;
let site: NewsServer;
let port: number;

beforeAll(async () => {
  guard = guardLoopbackOnly();
  const chain: Record<string, { redirect: string }> = {};
  for (let n = 1; n <= 8; n++) chain[`/chain/${n}`] = { redirect: n === 1 ? 'artikel' : `/chain/${n - 1}` };
  site = await startNewsServer({
    '/artikel': { contentType: 'text/html; charset=utf-8', body: HTML, headers: { 'x-test': 'ya', 'set-cookie': ['a=1', 'b=2'] } },
    '/chain/artikel': { contentType: 'text/html; charset=utf-8', body: HTML },
    ...chain,
    '/cp1252': { contentType: 'text/html; charset=windows-1252', body: CP1252 },
    '/kapanlagi': { contentType: 'text/html; charset=iso-8859-1', body: kapanlagi },
    '/xhtml': { contentType: 'application/xhtml+xml', body: HTML },
    '/plain': { contentType: 'text/plain; charset=utf-8', body: 'Teks biasa saja.' },
    '/untyped-html': { body: `  \n${HTML}` },
    '/untyped-text': { body: 'Hanya teks.' },
    '/untyped-pdf': { body: PDF },
    '/plain-png': { contentType: 'text/plain', body: PNG },
    '/doc.pdf': { contentType: 'application/pdf', body: PDF },
    '/foto.jpg': { contentType: 'image/jpeg', body: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) },
    '/feed.json': { contentType: 'application/json', body: '{}' },
    '/gzip': { contentType: 'text/html; charset=utf-8', body: HTML, encoding: 'gzip' },
    '/deflate': { contentType: 'text/html; charset=utf-8', body: HTML, encoding: 'deflate' },
    '/deflate-raw': { contentType: 'text/html; charset=utf-8', body: HTML, encoding: 'deflate-raw' },
    '/br': { contentType: 'text/html; charset=utf-8', body: HTML, encoding: 'br' },
    '/gzip-chunked': { contentType: 'text/html; charset=utf-8', chunks: [HTML.slice(0, 40), HTML.slice(40)], encoding: 'gzip' },
    '/zstd': { contentType: 'text/html', body: 'xx', headers: { 'content-encoding': 'zstd' } },
    '/bad-gzip': { contentType: 'text/html', body: 'definitely not gzip', headers: { 'content-encoding': 'gzip' } },
    '/bomb': { contentType: 'text/html', body: Buffer.alloc(20_000_000, 0x61), encoding: 'gzip' },
    '/big': { contentType: 'text/html', body: 'x'.repeat(5_000) },
    '/exact': { contentType: 'text/html', body: 'x'.repeat(1_000) },
    '/big-chunked': { contentType: 'text/html', chunks: Array.from({ length: 10 }, () => 'y'.repeat(500)) },
    '/lying-length': { contentType: 'text/html', headers: { 'content-length': '900000000' }, chunks: [] },
    '/hilang': { status: 404, contentType: 'text/html', body: 'not here' },
    '/dihapus': { status: 410, body: 'gone' },
    '/rusak': { status: 500, body: 'oops' },
    '/sibuk': { status: 503, body: 'busy' },
    '/no-location': { status: 302 },
    '/relative': { redirect: '../artikel?x=1' },
    '/to-same-host': { redirect: '/artikel' },
    '/to-metadata': { redirect: 'http://metadata.example/latest/meta-data/' },
    '/to-intranet': { redirect: 'http://intranet.example/' },
    '/to-10': { status: 301, redirect: 'http://10.0.0.1/' },
    '/to-link-local': { redirect: 'http://169.254.169.254/latest/meta-data/' },
    '/to-file': { redirect: 'file:///etc/passwd' },
    '/to-ftp': { redirect: 'ftp://news.example/x' },
    '/hang': { hang: true },
    '/slow-headers': { delayMs: 2_000, contentType: 'text/html', body: HTML },
    '/trickle': { contentType: 'text/html', chunks: Array.from({ length: 40 }, () => 'z'), chunkIntervalMs: 100 },
  });
  port = site.port;
  // Redirect targets that name this server's port.
  site.route('/to-other-host', { redirect: `http://news2.example:${port}/artikel` });
  site.route('/to-loopback', { redirect: `http://127.0.0.2:${port}/artikel` });
  site.route('/to-mapped', { redirect: `http://[::ffff:127.0.0.2]:${port}/artikel` });
  site.route('/to-decimal', { status: 307, redirect: `http://2130706434:${port}/artikel` });
});

afterEach(() => {
  // The fetcher never even tried to open a connection outside loopback.
  expect(guard.blocked).toEqual([]);
});

afterAll(async () => {
  await site.close();
  guard.restore();
});

/** Loopback test servers are private addresses: the plain path uses allowPrivate. */
const open = () => createFetcher({ allowPrivate: true, maxBytes: 1_000_000 });

describe('fetchPage: reading pages', () => {
  it('reads an HTML page with a charset header, sending a Ringkas UA and Indonesian Accept-Language', async () => {
    const page = await open().fetchPage(site.url('/artikel#komentar'));
    expect(page).toMatchObject({
      url: site.url('/artikel#komentar'),
      finalUrl: site.url('/artikel'),
      status: 200,
      contentType: 'text/html',
      kind: 'html',
      text: HTML,
      charset: 'utf-8',
      bytes: Buffer.byteLength(HTML),
    });
    expect(page.headers['x-test']).toBe('ya');
    expect(page.headers['set-cookie']).toBe('a=1, b=2');
    const req = site.requests.at(-1);
    expect(req?.path).toBe('/artikel');
    expect(req?.headers['user-agent']).toMatch(/RingkasBot\/[\d.]+; \+https:\/\//);
    expect(req?.headers['accept-language']).toBe('id-ID,id;q=0.9,en;q=0.8');
    expect(req?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('decodes windows-1252 bytes declared in the header', async () => {
    const page = await open().fetchPage(site.url('/cp1252'));
    expect(page.text).toBe('Rp 1.000 – “kutipan”');
    expect(page.charset).toBe('windows-1252');
  });

  it('reads the kapanlagi page (labelled iso-8859-1, bytes UTF-8) as UTF-8', async () => {
    const page = await open().fetchPage(site.url('/kapanlagi'));
    expect(page.charset).toBe('utf-8');
    expect(page.text).toContain('KapanLagi.com®</b>, Tebet');
  });

  it('accepts xhtml and text/plain; sniffs pages without a Content-Type', async () => {
    const f = open();
    expect(await f.fetchPage(site.url('/xhtml'))).toMatchObject({ kind: 'html', contentType: 'application/xhtml+xml' });
    expect(await f.fetchPage(site.url('/plain'))).toMatchObject({ kind: 'text', contentType: 'text/plain', text: 'Teks biasa saja.' });
    expect(await f.fetchPage(site.url('/untyped-html'))).toMatchObject({ kind: 'html', contentType: 'text/html' });
    expect(await f.fetchPage(site.url('/untyped-text'))).toMatchObject({ kind: 'text', contentType: 'text/plain', text: 'Hanya teks.' });
  });

  it('refuses PDF, images and other types, naming the type', async () => {
    const f = open();
    expect((await expectCode(f.fetchPage(site.url('/doc.pdf')), 'UNSUPPORTED_CONTENT_TYPE')).details.contentType).toBe('application/pdf');
    expect((await expectCode(f.fetchPage(site.url('/foto.jpg')), 'UNSUPPORTED_CONTENT_TYPE')).details.contentType).toBe('image/jpeg');
    expect((await expectCode(f.fetchPage(site.url('/feed.json')), 'UNSUPPORTED_CONTENT_TYPE')).details.contentType).toBe('application/json');
    expect((await expectCode(f.fetchPage(site.url('/untyped-pdf')), 'UNSUPPORTED_CONTENT_TYPE')).details.contentType).toBe('application/pdf');
    expect((await expectCode(f.fetchPage(site.url('/plain-png')), 'UNSUPPORTED_CONTENT_TYPE')).details.contentType).toBe('image/png');
  });

  it.each(['/gzip', '/deflate', '/deflate-raw', '/br', '/gzip-chunked'])('decompresses %s', async (path) => {
    const page = await open().fetchPage(site.url(path));
    expect(page.text).toBe(HTML);
    expect(page.bytes).toBe(Buffer.byteLength(HTML));
  });

  it('fails cleanly on an unknown or broken content encoding', async () => {
    const f = open();
    expect((await expectCode(f.fetchPage(site.url('/zstd')), 'UNSUPPORTED_CONTENT_TYPE')).details.contentEncoding).toBe('zstd');
    await expectCode(f.fetchPage(site.url('/bad-gzip')), 'HTTP_ERROR');
  });

  it('maps 404/410 to NOT_FOUND and other errors to HTTP_ERROR with the status', async () => {
    const f = open();
    expect((await expectCode(f.fetchPage(site.url('/hilang')), 'NOT_FOUND')).details.status).toBe(404);
    expect((await expectCode(f.fetchPage(site.url('/dihapus')), 'NOT_FOUND')).details.status).toBe(410);
    expect((await expectCode(f.fetchPage(site.url('/rusak')), 'HTTP_ERROR')).details.status).toBe(500);
    expect((await expectCode(f.fetchPage(site.url('/sibuk')), 'HTTP_ERROR')).details.status).toBe(503);
    expect((await expectCode(f.fetchPage(site.url('/no-location')), 'HTTP_ERROR')).details.status).toBe(302);
  });

  it('reports a refused connection as CONNECT_FAILED', async () => {
    const dead = await closedPort();
    await expectCode(open().fetchPage(`http://127.0.0.1:${dead}/`), 'CONNECT_FAILED');
  });

  it('reads from an IPv6 loopback server', async (ctx) => {
    let v6: NewsServer;
    try {
      v6 = await startNewsServer({ '/x': { contentType: 'text/html', body: HTML } }, { host: '::1' });
    } catch {
      ctx.skip('no IPv6 loopback here');
      return;
    }
    try {
      expect((await open().fetchPage(`${v6.origin}/x`)).text).toBe(HTML);
      const dns = fakeDns({ 'v6.example': ['::1'] });
      const f = createFetcher({ allowPrivate: true, lookup: dns });
      expect((await f.fetchPage(`http://v6.example:${v6.port}/x`)).text).toBe(HTML);
    } finally {
      await v6.close();
    }
  });
});

describe('fetchPage: size limits', () => {
  const small = () => createFetcher({ allowPrivate: true, maxBytes: 1_000 });

  it('refuses a body whose Content-Length is over the cap', async () => {
    expect((await expectCode(small().fetchPage(site.url('/big')), 'TOO_LARGE')).details.limit).toBe(1_000);
  });

  it('accepts a body of exactly the cap', async () => {
    expect((await small().fetchPage(site.url('/exact'))).bytes).toBe(1_000);
  });

  it('stops reading a chunked body (no Content-Length) once past the cap', async () => {
    await expectCode(small().fetchPage(site.url('/big-chunked')), 'TOO_LARGE');
  });

  it('refuses up front when Content-Length announces too much', async () => {
    await expectCode(small().fetchPage(site.url('/lying-length')), 'TOO_LARGE');
  });

  it('caps the decompressed size too (gzip bomb)', async () => {
    const f = createFetcher({ allowPrivate: true, maxBytes: 1_000_000 });
    await expectCode(f.fetchPage(site.url('/bomb')), 'TOO_LARGE');
  });
});

describe('fetchPage: timeouts', () => {
  it('gives up on a server that never answers', async () => {
    const started = Date.now();
    const err = await expectCode(createFetcher({ allowPrivate: true, totalTimeoutMs: 300 }).fetchPage(site.url('/hang')), 'FETCH_TIMEOUT');
    expect(err.details.limitMs).toBe(300);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('applies the connect timeout (a TLS handshake that never completes)', async () => {
    // A TCP server that accepts and then says nothing: for https the connection is not
    // established until the handshake completes, so the connect timeout fires.
    const sockets = new Set<net.Socket>();
    const mute = net.createServer((s) => void sockets.add(s));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port: mutePort } = mute.address() as net.AddressInfo;
      const started = Date.now();
      const f = createFetcher({ allowPrivate: true, connectTimeoutMs: 200, totalTimeoutMs: 10_000 });
      const err = await expectCode(f.fetchPage(`https://127.0.0.1:${mutePort}/`), 'FETCH_TIMEOUT');
      expect(err.details.phase).toBe('connect');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  it('gives up on headers that come too late', async () => {
    await expectCode(createFetcher({ allowPrivate: true, totalTimeoutMs: 300 }).fetchPage(site.url('/slow-headers')), 'FETCH_TIMEOUT');
  });

  it('gives up on a body that trickles past the total timeout', async () => {
    const started = Date.now();
    await expectCode(createFetcher({ allowPrivate: true, totalTimeoutMs: 500 }).fetchPage(site.url('/trickle')), 'FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('gives up on DNS that never answers', async () => {
    const f = createFetcher({ totalTimeoutMs: 200, lookup: () => new Promise<never>(() => undefined) });
    await expectCode(f.fetchPage('http://slow-dns.example/'), 'FETCH_TIMEOUT');
  });

  it('stops when the caller aborts', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await expectCode(open().fetchPage(site.url('/hang'), { signal: ac.signal }), 'FETCH_TIMEOUT');
    expect(err.details.reason).toBe('aborted');
    const already = AbortSignal.abort();
    await expectCode(open().fetchPage(site.url('/artikel'), { signal: already }), 'FETCH_TIMEOUT');
  });
});

describe('fetchPage: redirects', () => {
  it('follows a relative Location', async () => {
    const page = await open().fetchPage(site.url('/relative'));
    expect(page.finalUrl).toBe(site.url('/artikel?x=1'));
    expect(page.url).toBe(site.url('/relative'));
  });

  it('follows a chain of 5 redirects and refuses a 6th', async () => {
    const f = open();
    const page = await f.fetchPage(site.url('/chain/5'));
    expect(page.finalUrl).toBe(site.url('/chain/artikel'));
    expect(page.text).toBe(HTML);
    const before = site.hits('/chain/artikel');
    const err = await expectCode(f.fetchPage(site.url('/chain/6')), 'TOO_MANY_REDIRECTS');
    expect(err.details.limit).toBe(5);
    expect(site.hits('/chain/artikel')).toBe(before);
    await expectCode(createFetcher({ allowPrivate: true, maxRedirects: 0 }).fetchPage(site.url('/chain/1')), 'TOO_MANY_REDIRECTS');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    await expectCode(open().fetchPage(site.url('/to-file')), 'UNSUPPORTED_SCHEME');
    await expectCode(open().fetchPage(site.url('/to-ftp')), 'UNSUPPORTED_SCHEME');
  });
});

describe('fetchPage: SSRF guard', () => {
  /**
   * "news.example" and "news2.example" stand for public sites: the fake DNS answers 127.0.0.1,
   * which this fetcher is told to accept (allowedAddresses), while every other non-public
   * address stays forbidden. The others resolve to addresses that must never be contacted.
   */
  const dns = () =>
    fakeDns({
      'news.example': ['127.0.0.1'],
      'news2.example': ['127.0.0.1'],
      'metadata.example': ['169.254.169.254'],
      'intranet.example': ['10.0.0.1'],
      'mapped.example': ['::ffff:127.0.0.1'],
      'nat64.example': ['64:ff9b::a00:1'],
      'mixed.example': ['93.184.216.34', '10.0.0.1'],
      'public.example': ['93.184.216.34'],
      'empty.example': [],
    });
  const guarded = (lookup: LookupFn) => createFetcher({ allowedAddresses: ['127.0.0.1'], lookup });
  const strict = (lookup: LookupFn) => createFetcher({ lookup });

  it('connects to the vetted address with the real Host header', async () => {
    const lookup = dns();
    const page = await guarded(lookup).fetchPage(`http://news.example:${port}/artikel`);
    expect(page.text).toBe(HTML);
    expect(site.requests.at(-1)?.headers.host).toBe(`news.example:${port}`);
    expect(lookup.calls).toEqual(['news.example']);
  });

  it('resolves each host once per fetch: a DNS answer that changes (rebinding) is never used', async () => {
    let n = 0;
    const answers = ['127.0.0.1', '10.0.0.1', '169.254.169.254'];
    const lookup = fakeDns({ 'rebind.example': () => [answers[Math.min(n++, answers.length - 1)] ?? '10.0.0.1'] });
    const site2 = guarded(lookup);
    const page = await site2.fetchPage(`http://rebind.example:${port}/to-same-host`);
    expect(page.finalUrl).toBe(`http://rebind.example:${port}/artikel`);
    expect(lookup.calls).toEqual(['rebind.example']);
    // A new fetch asks again, and now gets (and refuses) the private answer.
    await expectCode(site2.fetchPage(`http://rebind.example:${port}/artikel`), 'PRIVATE_ADDRESS');
  });

  it('vets a redirect to another host', async () => {
    const lookup = dns();
    const page = await guarded(lookup).fetchPage(`http://news.example:${port}/to-other-host`);
    expect(page.finalUrl).toBe(`http://news2.example:${port}/artikel`);
    expect(lookup.calls).toEqual(['news.example', 'news2.example']);
  });

  it.each([
    ['/to-metadata', 'link-local'],
    ['/to-intranet', 'private'],
    ['/to-10', 'private'],
    ['/to-link-local', 'link-local'],
    ['/to-loopback', 'loopback'],
    ['/to-decimal', 'loopback'], // 2130706434 = 127.0.0.2
    ['/to-mapped', 'loopback'], // [::ffff:127.0.0.2], judged by the IPv4 inside
  ])('refuses a public page redirecting to a forbidden address (%s)', async (path, cls) => {
    const lookup = dns();
    const f = guarded(lookup);
    const start = `http://news.example:${port}${path}`;
    const hitsBefore = site.requests.length;
    const err = await expectCode(f.fetchPage(start), 'PRIVATE_ADDRESS');
    expect(err.details.addressClass).toBe(cls);
    expect(site.requests.length).toBe(hitsBefore + 1); // only the redirecting page was asked
  });

  it('applies allowedAddresses to IPv4-mapped forms too', async () => {
    const page = await guarded(dns()).fetchPage(`http://[::ffff:127.0.0.1]:${port}/artikel`);
    expect(page.text).toBe(HTML);
  });

  it.each([
    ['metadata.example', 'link-local'],
    ['intranet.example', 'private'],
    ['mapped.example', 'loopback'],
    ['nat64.example', 'private'],
    ['mixed.example', 'private'],
  ])('refuses %s from its DNS answer, before connecting', async (host, cls) => {
    const lookup = dns();
    const hitsBefore = site.requests.length;
    const err = await expectCode(strict(lookup).fetchPage(`http://${host}:${port}/artikel`), 'PRIVATE_ADDRESS');
    expect(err.details).toMatchObject({ host, addressClass: cls });
    expect(lookup.calls).toEqual([host]);
    expect(site.requests.length).toBe(hitsBefore);
  });

  it('reports DNS failures as DNS_FAILED', async () => {
    const lookup = dns();
    expect((await expectCode(strict(lookup).fetchPage('http://nowhere.example/'), 'DNS_FAILED')).details).toMatchObject({ host: 'nowhere.example', reason: 'ENOTFOUND' });
    await expectCode(strict(lookup).fetchPage('http://empty.example/'), 'DNS_FAILED');
  });

  it.each([
    `http://2130706433:PORT/artikel`,
    `http://0177.0.0.1:PORT/artikel`,
    `http://0x7f.0.0.1:PORT/artikel`,
    `http://127.1:PORT/artikel`,
    `http://[::1]:PORT/artikel`,
    `http://[::ffff:127.0.0.1]:PORT/artikel`,
    `http://example.com@127.0.0.1:PORT/artikel`,
    `http://news.example:x@127.0.0.1:PORT/artikel`,
    `http://0.0.0.0:PORT/artikel`,
    `http://0:PORT/artikel`,
    `http://[::]:PORT/artikel`,
    `http://169.254.169.254/latest/meta-data/`,
    `http://[fd00::1]/`,
    `http://10.0.0.1/`,
    `http://localhost:PORT/artikel`,
    `http://LOCALHOST./`,
    `http://api.localhost/`,
  ])('refuses %s without a connection or a DNS question', async (template) => {
    const lookup = dns();
    const hitsBefore = site.requests.length;
    await expectCode(strict(lookup).fetchPage(template.replace('PORT', String(port))), 'PRIVATE_ADDRESS');
    expect(lookup.calls).toEqual([]);
    expect(site.requests.length).toBe(hitsBefore);
  });

  it.each([
    ['file:///etc/passwd', 'UNSUPPORTED_SCHEME'],
    ['javascript:alert(1)', 'UNSUPPORTED_SCHEME'],
    ['ftp://x', 'UNSUPPORTED_SCHEME'],
    ['data:text/html,<p>hi</p>', 'UNSUPPORTED_SCHEME'],
    ['gopher://127.0.0.1:6379/_INFO', 'UNSUPPORTED_SCHEME'],
    ['not a url', 'INVALID_URL'],
    ['', 'INVALID_URL'],
    ['http://', 'INVALID_URL'],
    ['http://1.2.3.4.5/', 'INVALID_URL'],
  ] as const)('refuses %s with %s', async (input, code) => {
    const lookup = dns();
    await expectCode(strict(lookup).fetchPage(input), code);
    expect(lookup.calls).toEqual([]);
  });

  it('refuses localhost with the default (system) lookup without asking it', async () => {
    await expectCode(createFetcher().fetchPage(`http://localhost:${port}/artikel`), 'PRIVATE_ADDRESS');
  });

  it('allows private addresses only when told to', async () => {
    const lookup = dns();
    const page = await createFetcher({ allowPrivate: true, lookup }).fetchPage(`http://mapped.example:${port}/artikel`);
    expect(page.text).toBe(HTML);
  });
});
