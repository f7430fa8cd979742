/**
 * A fake news site on loopback for tests: serves the routes you give it, records every request,
 * and can misbehave the ways real sites do (slow, silent, trickling, redirecting, compressed).
 *
 * ```ts
 * const site = await startNewsServer({
 *   '/berita/1': { contentType: 'text/html; charset=utf-8', body: '<html>...</html>' },
 *   '/lama': { redirect: '/berita/1' },                        // 302 + Location
 *   '/pindah': { status: 301, redirect: 'http://other.example/' },
 *   '/gz': { contentType: 'text/html', body: html, encoding: 'gzip' },
 *   '/lambat': { contentType: 'text/html', chunks: ['<p>a', 'b</p>'], chunkIntervalMs: 500 },
 *   '/diam': { hang: true },                                   // reads the request, never answers
 *   '/tunda': { delayMs: 200, body: 'ok' },                    // answers late
 *   '/custom': (req, res) => { res.writeHead(418); res.end(); },
 * });
 * await fetcher.fetchPage(site.url('/berita/1'));
 * expect(site.hits('/berita/1')).toBe(1);
 * await site.close();
 * ```
 *
 * - Listens on 127.0.0.1 (or `{ host: '::1' }`) port 0; `origin` is e.g. `http://127.0.0.1:40123`.
 * - Routes match the request's path with query first, then its path alone. Unknown paths get 404.
 * - No Content-Type is sent unless you give `contentType` or a `content-type` header.
 * - A `body` is sent in one piece with Content-Length; `chunks` are sent with chunked encoding
 *   (no Content-Length, unless you set one in `headers`, which may lie).
 * - `close()` ends open connections (also hanging ones) and pending timers; call it in afterAll /
 *   afterEach. It is safe to call twice.
 *
 * `guardLoopbackOnly()` (below) makes the test process refuse any outgoing TCP connection that is
 * not to loopback: a safety net for tests of the SSRF guard.
 */
import dns from 'node:dns';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';

export interface RouteSpec {
  /** Status code. Default 200, or 302 when `redirect` is set. */
  status?: number;
  /** Shorthand for the Content-Type header. */
  contentType?: string;
  /** Extra response headers (a `content-length` here is sent as given, even if false). */
  headers?: Record<string, string | readonly string[]>;
  /** Location header (relative or absolute). */
  redirect?: string;
  /** Whole body, sent at once. */
  body?: string | Uint8Array;
  /** Body sent piece by piece with chunked transfer encoding. */
  chunks?: readonly (string | Uint8Array)[];
  /** Pause before each chunk after the first, in ms (a trickling body). Default 0. */
  chunkIntervalMs?: number;
  /** Pause before the status line, in ms. Default 0. */
  delayMs?: number;
  /** Never answer (the connection stays open until the client gives up or close()). */
  hang?: boolean;
  /** Compress `body` (or the joined chunks) and send Content-Encoding. */
  encoding?: 'gzip' | 'deflate' | 'deflate-raw' | 'br';
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type Route = RouteSpec | RouteHandler;

export interface RecordedRequest {
  method: string;
  /** Path with query, as sent. */
  path: string;
  headers: IncomingMessage['headers'];
}

export interface NewsServer {
  /** `http://127.0.0.1:PORT` or `http://[::1]:PORT`. */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** How many requests asked for this path (with or without its query). */
  hits(path: string): number;
  /** Adds or replaces a route. */
  route(path: string, route: Route): void;
  close(): Promise<void>;
}

export async function startNewsServer(routes: Record<string, Route> = {}, options: { host?: '127.0.0.1' | '::1' } = {}): Promise<NewsServer> {
  const host = options.host ?? '127.0.0.1';
  const table = new Map<string, Route>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0 || closed) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = table.get(path) ?? table.get(path.split('?', 1)[0] ?? path);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    if (typeof route === 'function') {
      await route(req, res);
      return;
    }
    if (route.hang === true) return;
    await sleep(route.delayMs ?? 0);
    if (closed || res.destroyed) return;

    const headers: Record<string, string | readonly string[]> = {};
    if (route.contentType !== undefined) headers['content-type'] = route.contentType;
    if (route.redirect !== undefined) headers.location = route.redirect;
    Object.assign(headers, route.headers ?? {});
    const status = route.status ?? (route.redirect !== undefined ? 302 : 200);

    let pieces: Buffer[] | undefined = route.chunks?.map((c) => Buffer.from(c));
    let body: Buffer | undefined = route.body === undefined ? undefined : Buffer.from(route.body);
    if (route.encoding !== undefined) {
      const whole = body ?? Buffer.concat(pieces ?? []);
      const packed = compress(whole, route.encoding);
      headers['content-encoding'] = route.encoding === 'deflate-raw' ? 'deflate' : route.encoding;
      if (pieces !== undefined) pieces = split(packed, pieces.length);
      else body = packed;
    }

    if (pieces === undefined) {
      const payload = body ?? Buffer.alloc(0);
      if (!hasHeader(headers, 'content-length')) headers['content-length'] = String(payload.byteLength);
      res.writeHead(status, headers as http.OutgoingHttpHeaders);
      res.end(payload);
      return;
    }
    res.writeHead(status, headers as http.OutgoingHttpHeaders);
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) await sleep(route.chunkIntervalMs ?? 0);
      if (closed || res.destroyed) return;
      res.write(pieces[i]);
    }
    res.end();
  }

  const server = http.createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;

  return {
    origin,
    host,
    port,
    url: (path) => new URL(path, origin).href,
    requests,
    hits: (path) => requests.filter((r) => r.path === path || r.path.split('?', 1)[0] === path).length,
    route: (path, route) => void table.set(path, route),
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on loopback where nothing listens (bound, then released): connecting is refused. */
export async function closedPort(host: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, host, () => resolve());
  });
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function compress(data: Buffer, encoding: NonNullable<RouteSpec['encoding']>): Buffer {
  switch (encoding) {
    case 'gzip':
      return zlib.gzipSync(data);
    case 'deflate':
      return zlib.deflateSync(data);
    case 'deflate-raw':
      return zlib.deflateRawSync(data);
    case 'br':
      return zlib.brotliCompressSync(data);
  }
}

function split(data: Buffer, parts: number): Buffer[] {
  const n = Math.max(1, parts);
  const size = Math.ceil(data.byteLength / n);
  const out: Buffer[] = [];
  for (let i = 0; i < data.byteLength; i += size) out.push(data.subarray(i, i + size));
  return out;
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

// -------------------------------------------------------------------------------------------------

export interface LoopbackGuard {
  /** "host:port" (or the resolved address) of every connection attempt that was blocked. */
  readonly blocked: readonly string[];
  restore(): void;
}

const LOOPBACK = (address: string): boolean =>
  /^127\./.test(address) ||
  address === '::1' ||
  /^::ffff:127\./i.test(address) ||
  /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/i.test(address) ||
  address === 'localhost';

/**
 * Until restore(), every TCP connection this process opens (net, http, undici, tls) must go to
 * loopback: a connection to an IP literal elsewhere, or to a name resolving elsewhere, fails with
 * an error before any packet leaves, and is recorded in `blocked`. Install it in tests that
 * exercise the SSRF guard, so a regression can't make the test suite contact a private address.
 */
export function guardLoopbackOnly(): LoopbackGuard {
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  const original = proto.connect;
  const blocked: string[] = [];

  proto.connect = function guardedConnect(this: Socket, ...args: unknown[]): unknown {
    const first = args[0];
    let opts: Record<string, unknown> | undefined;
    if (Array.isArray(first)) opts = first[0] as Record<string, unknown>; // net.connect()'s normalized form
    else if (typeof first === 'object' && first !== null) opts = first as Record<string, unknown>;
    else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      const h = typeof args[1] === 'string' ? args[1] : 'localhost';
      opts = { port: first, host: h };
      args = [opts, ...args.slice(typeof args[1] === 'string' ? 2 : 1)];
    }
    if (opts === undefined || typeof opts.path === 'string') return original.apply(this, args); // unix socket
    const host = typeof opts.host === 'string' ? opts.host : 'localhost';
    const fail = (what: string): Error => {
      blocked.push(what);
      return Object.assign(new Error(`guardLoopbackOnly: blocked connection to ${what}`), { code: 'ECONNREFUSED' });
    };
    if (net.isIP(host) !== 0) {
      if (!LOOPBACK(host)) {
        const err = fail(`${host}:${String(opts.port)}`);
        process.nextTick(() => this.destroy(err));
        return this;
      }
      return original.apply(this, args);
    }
    const inner = (typeof opts.lookup === 'function' ? opts.lookup : dns.lookup) as (
      hostname: string,
      o: dns.LookupOptions,
      cb: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
    ) => void;
    opts.lookup = (hostname: string, o: dns.LookupOptions, cb: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
      inner(hostname, o, (err, address, family) => {
        if (err) return cb(err, address, family);
        const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
        const bad = list.find((a) => !LOOPBACK(a));
        if (bad !== undefined) return cb(fail(`${hostname} -> ${bad}`), Array.isArray(address) ? [] : '', family);
        cb(null, address, family);
      });
    };
    return original.apply(this, args);
  };

  return {
    blocked,
    restore() {
      proto.connect = original;
    },
  };
}
