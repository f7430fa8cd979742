/**
 * The SSRF suite (issue 7): every way a link from a chat may try to make the bot connect to the
 * machine it runs on or to the network behind it, with FETCH_ALLOW_PRIVATE off.
 *
 * Ground truth is a real listener: a "canary" TCP server on 127.0.0.1, 127.0.0.2 and ::1 (same
 * port) that records every connection it receives. Each refused link is aimed at the canary's port
 * and the canary must have received nothing. guardLoopbackOnly() makes sure no attempt can leave
 * the machine at all (an attempt elsewhere is blocked before any packet and recorded).
 *
 * Each refusal is also checked through /berita (classifyInput -> normalizeUrl -> reader -> fetcher
 * -> userMessage): the user gets the polite Indonesian sentence, not an error.
 */
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import berita from '../../../commands/berita.js';
import type { CommandContext } from '../../../commands/index.js';
import { createFetcher, normalizeUrl, type LookupFn, type ResolvedAddress } from '../../../src/adapters/http/index.js';
import type { ErrorCode } from '../../../src/core/errors.js';
import { messageFor, userMessage } from '../../../src/core/messages.js';
import { createReaderService } from '../../../src/services/read.js';
import { createMemorySearch } from '../../../src/services/search.js';
import { guardLoopbackOnly, startNewsServer, type LoopbackGuard, type NewsServer } from '../../helpers/news-server.js';
import { silentLogger } from '../../helpers/services.js';
import { expectCode } from '../../helpers/errors.js';

const HTML = '<!doctype html><html><head><title>Berita</title></head><body><article><h1>Berita</h1><p>Jakarta — Isi berita yang cukup panjang untuk dibaca.</p></article></body></html>';
const PRIVATE_ID = 'Maaf, tautan itu mengarah ke alamat jaringan internal, jadi tidak saya buka.';
const SCHEME_ID = 'Maaf, saya hanya bisa membuka tautan http:// atau https://.';
const INVALID_ID = 'Maaf, tautan itu tidak bisa saya kenali. Periksa lagi alamatnya, ya.';

// ------------------------------------------------------------------------------------------------
// Helpers

interface Canary {
  readonly port: number;
  /** "local address <- remote address" of every connection received. */
  readonly connections: readonly string[];
  /** Forgets the connections recorded so far (for the control test). */
  reset(): void;
  close(): Promise<void>;
}

/** A TCP listener on the same port at every host given; records connections and drops them. */
async function startCanary(hosts: readonly string[]): Promise<Canary> {
  const connections: string[] = [];
  const sockets = new Set<Socket>();
  for (let attempt = 0; attempt < 20; attempt++) {
    const servers: net.Server[] = [];
    let port = 0;
    try {
      for (const host of hosts) {
        const server = net.createServer((socket) => {
          connections.push(`${socket.localAddress ?? '?'} <- ${socket.remoteAddress ?? '?'}`);
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.destroy();
        });
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => resolve());
        });
        servers.push(server);
        port = (server.address() as AddressInfo).port;
      }
    } catch (err) {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      if ((err as { code?: unknown }).code === 'EADDRINUSE') continue;
      throw err;
    }
    return {
      port,
      connections,
      reset: () => void connections.splice(0),
      async close() {
        for (const s of sockets) s.destroy();
        await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      },
    };
  }
  throw new Error('no common free port for the canary');
}

/** A fake DNS: name -> answers (or a function giving the answers of the n-th question); records every question. */
function fakeDns(table: Record<string, readonly string[] | ((n: number) => readonly string[])>): LookupFn & { calls: string[] } {
  const calls: string[] = [];
  const asked = new Map<string, number>();
  const fn = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const n = asked.get(hostname) ?? 0;
    asked.set(hostname, n + 1);
    const entry = table[hostname];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const list = typeof entry === 'function' ? entry(n) : entry;
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(fn, { calls });
}

/** /berita <link> with a reader on the given fetcher: the text the user would read. */
async function beritaSays(fetcher: ReturnType<typeof createFetcher>, link: string): Promise<string> {
  const ctx: CommandContext = {
    locale: 'id',
    user: { id: 'u-ssrf' },
    place: { platform: 'telegram', channelId: '1', isPrivate: true },
    canManage: true,
    services: { reader: createReaderService({ fetcher, logger: silentLogger, normalizeUrl }), search: createMemorySearch() },
    logger: silentLogger,
  };
  const reply = await berita.execute({ text: link, options: {} }, ctx);
  expect(reply.kind, link).toBe('error');
  return reply.blocks.map((b) => ('text' in b ? b.text : '')).join('\n');
}

// ------------------------------------------------------------------------------------------------
// Fixtures

let guard: LoopbackGuard;
let canary: Canary;
/** A site on 127.0.0.1 that plays a public news site (allowedAddresses) and redirects inward. */
let site: NewsServer;
let P: number;
let blockedBefore: number;

beforeAll(async () => {
  guard = guardLoopbackOnly();
  canary = await startCanary(['127.0.0.1', '127.0.0.2', '::1']);
  P = canary.port;
  site = await startNewsServer({ '/artikel': { contentType: 'text/html; charset=utf-8', body: HTML } });
});

beforeEach(() => {
  blockedBefore = guard.blocked.length;
});

afterEach(() => {
  // Whatever a test did, the machine's own listener was never reached...
  expect(canary.connections).toEqual([]);
});

afterAll(async () => {
  await site?.close();
  await canary?.close();
  guard?.restore();
});

/** Names the fake DNS knows. "news.example" is the stand-in public site (127.0.0.1, allowed where said). */
const names = (): ReturnType<typeof fakeDns> =>
  fakeDns({
    'news.example': ['127.0.0.1'],
    '127.0.0.1.nip.io': ['127.0.0.1'],
    '127.0.0.2.nip.io': ['127.0.0.2'],
    'localtest.me': ['127.0.0.1', '::1'],
    'metadata.google.internal': ['169.254.169.254'],
  });

/** FETCH_ALLOW_PRIVATE off, the fake DNS. */
const strict = (lookup: LookupFn = names()) => createFetcher({ lookup, totalTimeoutMs: 3000 });
/** FETCH_ALLOW_PRIVATE off, but 127.0.0.1 (the stand-in public site) allowed; 127.0.0.2 and the rest are not. */
const withPublicSite = (lookup: LookupFn = names()) => createFetcher({ lookup, allowedAddresses: ['127.0.0.1'], totalTimeoutMs: 3000 });

// ------------------------------------------------------------------------------------------------

describe('the canary', () => {
  it('does see a fetch that is let through (control: FETCH_ALLOW_PRIVATE on)', async () => {
    const open = createFetcher({ allowPrivate: true, totalTimeoutMs: 3000, lookup: names() });
    for (const link of [`http://127.0.0.1:${P}/`, `http://127.0.0.2:${P}/`, `http://[::1]:${P}/`, `http://2130706433:${P}/`, `http://127.0.0.1.nip.io:${P}/`]) {
      await expectCode(open.fetchPage(link), 'CONNECT_FAILED'); // the canary hangs up at once
    }
    expect(canary.connections.map((c) => c.split(' <- ')[0])).toEqual(['127.0.0.1', '127.0.0.2', '::1', '127.0.0.1', '127.0.0.1']);
    canary.reset();
  });
});

describe('DNS answers that point inside', () => {
  const ANSWERS: [string, string][] = [
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.5', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%lo', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['fc00::5', 'unique-local'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
  ];

  it.each(ANSWERS)('refuses a name that resolves to %s (%s), asking DNS once and connecting nowhere', async (address, cls) => {
    const lookup = fakeDns({ 'berita.example': [address] });
    const err = await expectCode(strict(lookup).fetchPage(`http://berita.example:${P}/artikel`), 'PRIVATE_ADDRESS');
    expect(err.details).toMatchObject({ host: 'berita.example', addressClass: cls });
    expect(userMessage(err, 'id')).toBe(PRIVATE_ID);
    expect(lookup.calls).toEqual(['berita.example']);
    expect(guard.blocked.length).toBe(blockedBefore);
  });

  it('refuses 127.0.0.1.nip.io and metadata.google.internal from their answers', async () => {
    for (const host of ['127.0.0.1.nip.io', 'localtest.me', 'metadata.google.internal']) {
      const lookup = names();
      const err = await expectCode(strict(lookup).fetchPage(`http://${host}:${P}/`), 'PRIVATE_ADDRESS');
      expect(err.details.host).toBe(host);
      expect(lookup.calls).toEqual([host]);
    }
  });

  it('refuses a mixed answer (one public, one private) in either order, connecting to neither', async () => {
    for (const answer of [['93.184.216.34', '127.0.0.1'], ['127.0.0.1', '93.184.216.34'], ['2606:4700::1111', '::1'], ['93.184.216.34', '10.0.0.5']]) {
      const lookup = fakeDns({ 'campur.example': answer });
      const err = await expectCode(strict(lookup).fetchPage(`http://campur.example:${P}/`), 'PRIVATE_ADDRESS');
      expect(err.details.host).toBe('campur.example');
      expect(lookup.calls).toEqual(['campur.example']);
    }
    // Not even the public address was tried.
    expect(guard.blocked.length).toBe(blockedBefore);
  });

  it('DNS rebinding: the name is resolved once per fetch and the socket goes to the address that was checked', async () => {
    // First answer: the (allowed) site on 127.0.0.1. Every later answer: the canary on 127.0.0.2.
    const lookup = fakeDns({ 'rebind.example': (n) => (n === 0 ? ['127.0.0.1'] : ['127.0.0.2']) });
    site.route('/ke-sini', { redirect: '/artikel' });
    const f = withPublicSite(lookup);
    const before = site.requests.length;
    // Same port as the canary's? No: the site has its own port. Aim both hops at the site's port on a name.
    const page = await f.fetchPage(`http://rebind.example:${site.port}/ke-sini`);
    expect(page.finalUrl).toBe(`http://rebind.example:${site.port}/artikel`);
    expect(page.text).toBe(HTML);
    expect(site.requests.length).toBe(before + 2); // both hops reached the checked address
    expect(lookup.calls).toEqual(['rebind.example']); // no second question, so no second answer
    // The next fetch asks again and is refused on the new (private) answer.
    await expectCode(f.fetchPage(`http://rebind.example:${P}/artikel`), 'PRIVATE_ADDRESS');
    expect(lookup.calls).toEqual(['rebind.example', 'rebind.example']);
  });

  it('DNS rebinding with a public first answer: the only connection attempt is to that public address', async () => {
    // 93.184.216.34 is public, so it passes the check; guardLoopbackOnly blocks the attempt before
    // any packet leaves and records where it went. The loopback answer that would follow is never used.
    const lookup = fakeDns({ 'rebind2.example': (n) => (n === 0 ? ['93.184.216.34'] : ['127.0.0.1']) });
    await expectCode(strict(lookup).fetchPage(`http://rebind2.example:${P}/`), 'CONNECT_FAILED');
    expect(lookup.calls).toEqual(['rebind2.example']);
    expect(guard.blocked.slice(blockedBefore)).toEqual(['rebind2.example -> 93.184.216.34']);
  });
});

describe('URL forms that name this machine', () => {
  // PORT is the canary's: if any of these were fetched, the canary would see it.
  const FORMS = [
    'http://127.0.0.1:PORT/',
    'https://127.0.0.1:PORT/',
    'http://[::1]:PORT/',
    'http://[::ffff:127.0.0.1]:PORT/',
    'http://[::ffff:7f00:1]:PORT/',
    'http://[0:0:0:0:0:ffff:127.0.0.1]:PORT/',
    'http://[::127.0.0.1]:PORT/', // IPv4-compatible
    'http://[64:ff9b::127.0.0.1]:PORT/', // NAT64
    'http://2130706433:PORT/',
    'http://0x7f000001:PORT/',
    'http://0177.0.0.1:PORT/',
    'http://0x7f.0.0.1:PORT/',
    'http://127.1:PORT/',
    'http://127.0.1:PORT/',
    'http://017700000001:PORT/',
    'http://127.000.000.001:PORT/',
    'http://%31%32%37.0.0.1:PORT/',
    'http://１２７.０.０.１:PORT/', // full-width digits, mapped by IDNA
    'http://127.0.0.1.:PORT/',
    'http://127.0.0.2:PORT/',
    'http://example.com@127.0.0.1:PORT/',
    'http://example.com:80@127.0.0.1:PORT/',
    'http://127.0.0.1:PORT#@example.com/',
    'http://127.0.0.1:PORT\\@example.com/',
    'http://localhost:PORT/',
    'http://LOCALHOST.:PORT/',
    'http://berita.localhost:PORT/',
    'http://127.0.0.1.nip.io:PORT/',
    'http://0:PORT/',
    'http://0.0.0.0:PORT/',
    'http://[::]:PORT/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://10.0.0.5/',
    'http://[fd00::1]/',
    'http://100.64.0.1/',
  ];

  it.each(FORMS)('refuses %s without connecting', async (form) => {
    const link = form.replace('PORT', String(P));
    const lookup = names();
    const err = await expectCode(strict(lookup).fetchPage(link), 'PRIVATE_ADDRESS');
    expect(userMessage(err, 'id')).toBe(PRIVATE_ID);
    expect(guard.blocked.length).toBe(blockedBefore);
  });

  it('gives the same polite answer through /berita for every form', async () => {
    const f = strict();
    for (const form of FORMS) {
      expect({ form, says: await beritaSays(f, form.replace('PORT', String(P))) }).toEqual({ form, says: PRIVATE_ID });
    }
    expect(guard.blocked.length).toBe(blockedBefore);
  });

  it('judges the odd IPv4 spellings by what the URL parser makes of them', () => {
    for (const form of ['http://2130706433/', 'http://0x7f000001/', 'http://0177.0.0.1/', 'http://127.1/', 'http://017700000001/', 'http://１２７.０.０.１/', 'http://%31%32%37.0.0.1/']) {
      expect(new URL(form).hostname).toBe('127.0.0.1');
    }
    expect(new URL('http://example.com@127.0.0.1/').hostname).toBe('127.0.0.1');
    expect(new URL('http://127.0.0.1#@example.com/').hostname).toBe('127.0.0.1');
  });

  it.each([
    ['file:///etc/passwd', 'UNSUPPORTED_SCHEME', SCHEME_ID],
    ['file://127.0.0.1/etc/passwd', 'UNSUPPORTED_SCHEME', SCHEME_ID],
    ['gopher://127.0.0.1:PORT/_SET%20x%201', 'UNSUPPORTED_SCHEME', SCHEME_ID],
    ['ftp://127.0.0.1:PORT/', 'UNSUPPORTED_SCHEME', SCHEME_ID],
    ['data:text/html,<h1>hai</h1>', 'UNSUPPORTED_SCHEME', SCHEME_ID],
    ['javascript:alert(1)', 'UNSUPPORTED_SCHEME', SCHEME_ID],
    ['ws://127.0.0.1:PORT/', 'UNSUPPORTED_SCHEME', SCHEME_ID],
    ['dict://127.0.0.1:PORT/info', 'UNSUPPORTED_SCHEME', SCHEME_ID],
    ['http://127.0.0.1:99999/', 'INVALID_URL', INVALID_ID],
    ['http://[::1/', 'INVALID_URL', INVALID_ID],
  ] as const)('refuses %s with %s', async (form, code, says) => {
    const lookup = names();
    const err = await expectCode(strict(lookup).fetchPage(form.replace('PORT', String(P))), code);
    expect(userMessage(err, 'id')).toBe(says);
    expect(lookup.calls).toEqual([]);
  });

  it('refuses ports that are not for the web, even on an allowed host, before asking DNS', async () => {
    for (const port of [21, 22, 25, 110, 143, 465, 587, 6667, 10080]) {
      const lookup = names();
      const err = await expectCode(withPublicSite(lookup).fetchPage(`http://news.example:${port}/artikel`), 'INVALID_URL');
      expect(err.details).toMatchObject({ port, reason: 'blocked-port' });
      expect(userMessage(err, 'id')).toBe(INVALID_ID);
      expect(lookup.calls).toEqual([]);
    }
    // Also with FETCH_ALLOW_PRIVATE on.
    await expectCode(createFetcher({ allowPrivate: true }).fetchPage('http://127.0.0.1:25/'), 'INVALID_URL');
    // An internal service on any port is refused for its address.
    for (const port of [6379, 11211, 5432, 9200, 2375, 8500]) {
      await expectCode(strict().fetchPage(`http://127.0.0.1:${port}/`), 'PRIVATE_ADDRESS');
    }
    // Ordinary web ports are fine.
    const ok = await withPublicSite().fetchPage(`http://news.example:${site.port}/artikel`);
    expect(ok.text).toBe(HTML);
  });
});

describe('redirects to each form', () => {
  // The public site answers with a redirect to an inward address, aimed at the canary's port.
  const TARGETS: [string, ErrorCode][] = [
    ['http://127.0.0.2:PORT/', 'PRIVATE_ADDRESS'],
    ['http://[::1]:PORT/', 'PRIVATE_ADDRESS'],
    ['http://[::ffff:127.0.0.2]:PORT/', 'PRIVATE_ADDRESS'],
    ['http://[::ffff:7f00:2]:PORT/', 'PRIVATE_ADDRESS'],
    ['http://2130706434:PORT/', 'PRIVATE_ADDRESS'],
    ['http://0x7f000002:PORT/', 'PRIVATE_ADDRESS'],
    ['http://0177.0.0.2:PORT/', 'PRIVATE_ADDRESS'],
    ['http://127.2:PORT/', 'PRIVATE_ADDRESS'],
    ['http://017700000002:PORT/', 'PRIVATE_ADDRESS'],
    ['http://example.com@127.0.0.2:PORT/', 'PRIVATE_ADDRESS'],
    ['http://127.0.0.2:PORT#@example.com/', 'PRIVATE_ADDRESS'],
    ['//127.0.0.2:PORT/', 'PRIVATE_ADDRESS'],
    ['http://localhost:PORT/', 'PRIVATE_ADDRESS'],
    ['http://LOCALHOST.:PORT/', 'PRIVATE_ADDRESS'],
    ['http://127.0.0.2.nip.io:PORT/', 'PRIVATE_ADDRESS'],
    ['http://0:PORT/', 'PRIVATE_ADDRESS'],
    ['http://[::]:PORT/', 'PRIVATE_ADDRESS'],
    ['http://169.254.169.254/latest/meta-data/', 'PRIVATE_ADDRESS'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'PRIVATE_ADDRESS'],
    ['http://10.0.0.5/', 'PRIVATE_ADDRESS'],
    ['http://[fd00::1]/', 'PRIVATE_ADDRESS'],
    ['file:///etc/passwd', 'UNSUPPORTED_SCHEME'],
    ['gopher://127.0.0.2:PORT/_INFO', 'UNSUPPORTED_SCHEME'],
    ['ftp://127.0.0.2:PORT/', 'UNSUPPORTED_SCHEME'],
    ['data:text/html,<h1>hai</h1>', 'UNSUPPORTED_SCHEME'],
    ['http://news.example:25/', 'INVALID_URL'],
  ];

  it.each(TARGETS.map(([target, code], n) => [n, target, code] as const))('#%i: a redirect to %s is refused (%s)', async (n, target, code) => {
    const location = target.replace('PORT', String(P));
    for (const status of [301, 302, 303, 307, 308]) site.route(`/pindah/${n}/${status}`, { status, redirect: location });
    for (const status of [302, 307]) {
      const lookup = names();
      const before = site.requests.length;
      const err = await expectCode(withPublicSite(lookup).fetchPage(`http://news.example:${site.port}/pindah/${n}/${status}`), code);
      expect(site.requests.length).toBe(before + 1); // only the redirecting page was asked
      expect(lookup.calls.every((h) => h === 'news.example' || h.endsWith('.nip.io') || h === 'metadata.google.internal')).toBe(true);
      if (code === 'PRIVATE_ADDRESS') expect(userMessage(err, 'id')).toBe(PRIVATE_ID);
    }
    expect(guard.blocked.length).toBe(blockedBefore);
  });

  it('refuses an inward hop at the end of a chain of public redirects', async () => {
    site.route('/rantai/1', { redirect: '/rantai/2' });
    site.route('/rantai/2', { redirect: `http://news.example:${site.port}/rantai/3` });
    site.route('/rantai/3', { redirect: `http://2130706434:${P}/` });
    const before = site.requests.length;
    const err = await expectCode(withPublicSite().fetchPage(`http://news.example:${site.port}/rantai/1`), 'PRIVATE_ADDRESS');
    expect(err.details.addressClass).toBe('loopback');
    expect(site.requests.length).toBe(before + 3);
  });

  it('gives the polite answer through /berita for a redirect inward', async () => {
    site.route('/ke-dalam', { redirect: `http://[::ffff:127.0.0.2]:${P}/` });
    expect(await beritaSays(withPublicSite(), `http://news.example:${site.port}/ke-dalam`)).toBe(PRIVATE_ID);
  });
});

describe('credentials in links', () => {
  it('strips userinfo: the site never receives it, and it appears in no URL the fetcher returns', async () => {
    const before = site.requests.length;
    const page = await withPublicSite().fetchPage(`http://pengguna:rahasia@news.example:${site.port}/artikel`);
    expect(page.text).toBe(HTML);
    const req = site.requests[before];
    expect(req?.path).toBe('/artikel');
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.headers['proxy-authorization']).toBeUndefined();
    expect(JSON.stringify(req?.headers)).not.toContain('rahasia');
    expect(page.url).toBe(`http://news.example:${site.port}/artikel`);
    expect(page.finalUrl).toBe(`http://news.example:${site.port}/artikel`);
  });

  it('strips userinfo from a redirect target too', async () => {
    site.route('/dengan-sandi', { redirect: `http://admin:hunter2@news.example:${site.port}/artikel` });
    const before = site.requests.length;
    const page = await withPublicSite().fetchPage(`http://news.example:${site.port}/dengan-sandi`);
    expect(page.finalUrl).toBe(`http://news.example:${site.port}/artikel`);
    const hop = site.requests[before + 1];
    expect(hop?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(hop?.headers)).not.toContain('hunter2');
  });

  it('drops userinfo from the cache key (normalizeUrl)', () => {
    expect(normalizeUrl('https://user:pass@www.kompas.com/read/1')).toBe('https://www.kompas.com/read/1');
    expect(normalizeUrl('http://example.com@127.0.0.1/x')).toBe('http://127.0.0.1/x');
  });

  it('says so in English too', () => {
    expect(messageFor('PRIVATE_ADDRESS', 'en')).toBe('Sorry, that link points to an internal network address, so I will not open it.');
  });
});
