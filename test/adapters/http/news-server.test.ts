import http from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, guardLoopbackOnly, startNewsServer, type NewsServer } from '../../helpers/news-server.js';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, timeoutMs = 5_000): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

let server: NewsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startNewsServer', () => {
  it('serves routes with status, headers and body, records requests, 404s the rest', async () => {
    server = await startNewsServer({
      '/a': { contentType: 'text/html; charset=utf-8', body: '<p>halo</p>', headers: { 'x-a': '1' } },
      '/a?v=2': { status: 201, body: 'dua' },
    });
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const a = await get(server.url('/a?x=1'));
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(a.headers['x-a']).toBe('1');
    expect(a.headers['content-length']).toBe('11');
    expect(a.body.toString()).toBe('<p>halo</p>');
    expect((await get(server.url('/a?v=2'))).status).toBe(201);
    expect((await get(server.url('/none'))).status).toBe(404);
    expect(server.hits('/a')).toBe(2);
    expect(server.requests.map((r) => r.path)).toEqual(['/a?x=1', '/a?v=2', '/none']);
  });

  it('sends no Content-Type unless asked; redirects; custom handlers; routes added later', async () => {
    server = await startNewsServer({ '/r': { redirect: '/b' }, '/b': { body: 'b' } });
    const b = await get(server.url('/b'));
    expect(b.headers['content-type']).toBeUndefined();
    const r = await get(server.url('/r'));
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/b');
    server.route('/teapot', (_req, res) => {
      res.writeHead(418);
      res.end('teh');
    });
    expect((await get(server.url('/teapot'))).status).toBe(418);
  });

  it('compresses, chunks and trickles', async () => {
    server = await startNewsServer({
      '/gz': { body: 'isi', encoding: 'gzip' },
      '/slow': { chunks: ['a', 'b', 'c'], chunkIntervalMs: 50 },
    });
    const gz = await get(server.url('/gz'));
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe('isi');
    const started = Date.now();
    const slow = await get(server.url('/slow'));
    expect(slow.body.toString()).toBe('abc');
    expect(slow.headers['transfer-encoding']).toBe('chunked');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('closes promptly even with a hanging request open', async () => {
    server = await startNewsServer({ '/hang': { hang: true }, '/late': { delayMs: 10_000, body: 'x' } });
    const pending = [get(server.url('/hang')).catch((e: unknown) => e), get(server.url('/late')).catch((e: unknown) => e)];
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await server.close();
    await server.close(); // twice is fine
    expect(Date.now() - started).toBeLessThan(1_000);
    for (const p of pending) expect(await p).toBeInstanceOf(Error);
  });

  it('listens on IPv6 loopback when asked', async (ctx) => {
    try {
      server = await startNewsServer({ '/': { body: 'v6' } }, { host: '::1' });
    } catch {
      ctx.skip('no IPv6 loopback here');
      return;
    }
    expect(server.origin).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect((await get(server.url('/'))).body.toString()).toBe('v6');
  });

  it('closedPort gives a port where connections are refused', async () => {
    const port = await closedPort();
    await expect(get(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('guardLoopbackOnly', () => {
  it('blocks connections outside loopback before they reach the socket layer', async () => {
    // Underneath the guard, a stub stands in for the real connect: nothing can leave the host
    // even if the guard lets something through.
    const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
    const real = proto.connect;
    const reached: unknown[] = [];
    proto.connect = function stub(this: net.Socket, ...args: unknown[]) {
      reached.push(args[0]);
      process.nextTick(() => this.destroy(new Error('stub')));
      return this;
    };
    const guard = guardLoopbackOnly();
    try {
      const attempt = (opts: net.NetConnectOpts): Promise<string> =>
        new Promise((resolve) => {
          const s = net.connect(opts);
          s.on('error', (e) => resolve(e.message));
        });
      expect(await attempt({ host: '10.0.0.1', port: 80 })).toMatch(/blocked connection to 10\.0\.0\.1:80/);
      expect(reached).toHaveLength(0);
      const fakeLookup = ((_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) =>
        o.all === true ? cb(null, [{ address: '169.254.169.254', family: 4 }]) : cb(null, '169.254.169.254', 4)) as unknown as net.LookupFunction;
      expect(await attempt({ host: 'metadata.example', port: 80, lookup: fakeLookup })).toBe('stub');
      expect(reached).toHaveLength(1); // handed down with a guarded lookup, which the stub never calls
      expect(await attempt({ host: '127.0.0.1', port: 9 })).toBe('stub');
      expect(guard.blocked).toEqual(['10.0.0.1:80']);
    } finally {
      guard.restore();
      proto.connect = real;
    }
  });

  it('fails a name that resolves outside loopback in the guarded lookup', async () => {
    // The stub underneath runs the (guarded) lookup as net would, then stops: no real socket.
    const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
    const real = proto.connect;
    proto.connect = function stub(this: net.Socket, ...args: unknown[]) {
      const first = args[0];
      const opts = (Array.isArray(first) ? first[0] : first) as { host: string; lookup: net.LookupFunction };
      opts.lookup(opts.host, { all: true }, (err) => {
        process.nextTick(() => this.destroy(err ?? new Error('stub: lookup passed')));
      });
      return this;
    };
    const guard = guardLoopbackOnly();
    try {
      const viaName = (answers: string[]): Promise<string> =>
        new Promise((resolve) => {
          const lookup = ((_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) =>
            o.all === true ? cb(null, answers.map((address) => ({ address, family: 4 }))) : cb(null, answers[0], 4)) as unknown as net.LookupFunction;
          const req = http.get({ host: 'site.example', port: 80, path: '/', lookup, agent: false });
          req.on('error', (e) => resolve(e.message));
        });
      expect(await viaName(['127.0.0.1'])).toBe('stub: lookup passed');
      expect(await viaName(['127.0.0.1', '192.0.2.1'])).toMatch(/blocked connection to site\.example -> 192\.0\.2\.1/);
      expect(guard.blocked).toEqual(['site.example -> 192.0.2.1']);
    } finally {
      guard.restore();
      proto.connect = real;
    }
  });
});
