/**
 * Operations tests: the compiled bot (`node bin/ringkas.js bot`, as `npm start` runs it) in child
 * processes, configured only through the environment and pointed at loopback fakes (Telegram,
 * Discord, news sites) and at a Redis server of the test's own (so that stopping and restarting it,
 * or a bot using the default key prefix, never disturbs anyone else's Redis).
 *
 * ```ts
 * const redis = await startRedis({ appendonly: true });
 * await seedDigests(redis.url, [{ platform: 'telegram', channelId: '42' }]);   // due this minute
 * const [a, b] = await Promise.all(['a', 'b'].map((name) => startBot(name, { ...env, STORE_URL: redis.url })));
 * await a.waitForLog('ringkas running');
 * a.kill('SIGKILL');
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { sharedState } from '../../src/adapters/scheduler/coordinator.js';
import { createDeliveryLedger } from '../../src/adapters/store/deliveries.js';
import { openStore } from '../../src/adapters/store/index.js';
import { createSubscriptionStore } from '../../src/adapters/store/subscriptions.js';
import { floorMinute, localSlot, type Platform, type Subscription } from '../../src/core/schedule.js';
import { silentLogger } from '../helpers/services.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'ringkas.js');
/** The compiled bot exists (npm test builds it before vitest runs). */
export const BUILT = existsSync(join(ROOT, 'dist', 'src', 'cli.js'));
export const MINUTE = 60_000;
export const ZONE = 'Asia/Jakarta';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns something other than undefined/false. */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

const temps: string[] = [];

/** A new temporary folder, removed by killAll(). */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ringkas-ops-${name}-`));
  temps.push(dir);
  return dir;
}

// -------------------------------------------------------------------------------------------------
// The compiled bot

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface BotProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything the process wrote (stdout and stderr), as text. */
  output(): string;
  /** Its JSON log lines, parsed. */
  logs(): LogLine[];
  /** Lines of standard error that are not JSON log lines. */
  plainErrors(): string[];
  /** Log lines with this message. */
  logged(msg: string): LogLine[];
  /** Resolves with the first log line (from the start) that matches. */
  waitForLog(match: string | ((l: LogLine) => boolean), timeoutMs?: number): Promise<LogLine>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartBotOptions {
  /** Run the process as this user and group (a root test run cannot otherwise meet "permission denied"). */
  uid?: number;
  gid?: number;
}

const running = new Set<BotProcess>();
const started: BotProcess[] = [];

/** Writes every bot's output to `<dir>/<name>.log` (for a look after a failure); returns the dir. */
export function dumpLogs(dir = join(tmpdir(), 'ringkas-ops-logs')): string {
  mkdirSync(dir, { recursive: true });
  for (const b of started) writeFileSync(join(dir, `${b.name}.log`), b.output());
  return dir;
}
const servers = new Set<RedisServer>();

/**
 * Kills (SIGKILL) every bot process and Redis server still running and removes the temporary
 * folders: for afterAll / afterEach. With OPS_DUMP_LOGS set, every bot's output is kept first.
 */
export async function killAll(): Promise<void> {
  if (process.env['OPS_DUMP_LOGS'] !== undefined) process.stderr.write(`ops bot logs in ${dumpLogs()}\n`);
  await Promise.all([...running].map((b) => b.stop('SIGKILL')));
  await Promise.all([...servers].map((r) => r.stop('SIGKILL')));
  servers.clear();
  for (const dir of temps.splice(0)) {
    try {
      // Folders a test made read-only are writable again first.
      chmodSync(dir, 0o755);
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) chmodSync(join(dir, e.name), 0o755);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Left for the system's temp cleaning.
    }
  }
}

/** The environment every bot gets: nothing from the test process but PATH. */
export function baseEnv(over: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    FETCH_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'info',
    // Loopback feeds carry stories from "now"; the retention window is wide anyway.
    RETENTION_DAYS: '3650',
  };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) env[k] = v;
  return env;
}

export function startBot(name: string, env: Record<string, string>, opts: StartBotOptions = {}): BotProcess {
  const child = spawn(process.execPath, [BIN, 'bot'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
    ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
  });
  let text = '';
  const lines: LogLine[] = [];
  const plain: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  const onErr = (chunk: Buffer): void => {
    const s = chunk.toString('utf8');
    text += s;
    partial += s;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      try {
        const v = JSON.parse(line) as LogLine;
        if (typeof v === 'object' && v !== null && typeof v.msg === 'string') lines.push(v);
        else plain.push(line);
      } catch {
        plain.push(line);
      }
    }
    for (const w of [...waiters]) w();
  };
  child.stderr?.on('data', onErr);
  child.stdout?.on('data', (c: Buffer) => (text += c.toString('utf8')));
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      alive = false;
      running.delete(bot);
      for (const w of [...waiters]) w();
      resolve({ code, signal });
    }),
  );
  const bot: BotProcess = {
    name,
    child,
    output: () => text,
    logs: () => [...lines],
    plainErrors: () => [...plain, ...(alive || partial.trim() === '' ? [] : [partial])],
    logged: (msg) => lines.filter((l) => l.msg === msg),
    waitForLog(match, timeoutMs = 30_000) {
      const test = typeof match === 'string' ? (l: LogLine) => l.msg === match : match;
      return new Promise<LogLine>((resolve, reject) => {
        const check = (): void => {
          const hit = lines.find(test);
          if (hit !== undefined) {
            done();
            resolve(hit);
          } else if (!alive) {
            done();
            reject(new Error(`bot ${name} exited before logging ${String(match)}:\n${tail(text)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`bot ${name}: no ${String(match)} within ${timeoutMs} ms:\n${tail(text)}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    exited,
    get running() {
      return alive;
    },
    async stop(signal = 'SIGTERM') {
      if (alive) child.kill(signal);
      return exited;
    },
  };
  running.add(bot);
  started.push(bot);
  return bot;
}

function tail(s: string, n = 3000): string {
  return s.length > n ? `...${s.slice(-n)}` : s;
}

// -------------------------------------------------------------------------------------------------
// A Redis of the test's own

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly running: boolean;
  /** Stops it (SIGTERM: Redis writes its append-only file and exits; SIGKILL: it just dies). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Sends one command (inline protocol) and returns the raw answer. */
  command(line: string): Promise<string>;
}

/** Is a `redis-server` binary on PATH? */
export function hasRedisServer(): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, 'redis-server')));
}

/** Sends one inline command to host:port and returns the first answer. */
export function redisCommand(port: number, line: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    let out = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`redis on ${port}: no answer to ${line}`));
    }, timeoutMs);
    sock.on('connect', () => sock.write(`${line}\r\n`));
    sock.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.endsWith('\r\n')) {
        clearTimeout(timer);
        sock.end();
        resolve(out.trim());
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * `redis-server` on a free loopback port, in the foreground as a child process. `appendonly`:
 * every write is appended to a file in `dir` (fsync every write), so that a restart keeps the data,
 * as an operator would run it; otherwise nothing is saved.
 */
export async function startRedis(opts: { appendonly?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = tempDir('redis');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'no'];
  if (opts.appendonly === true) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  else args.push('--appendonly', 'no');
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      const c = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let log = '';
      c.stdout?.on('data', (d: Buffer) => (log += d.toString('utf8')));
      c.stderr?.on('data', (d: Buffer) => (log += d.toString('utf8')));
      exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      await until(
        async () => {
          if (c.exitCode !== null) throw new Error(`redis-server exited: ${log}`);
          return (await redisCommand(port, 'PING', 500).catch(() => '')) === '+PONG';
        },
        10_000,
        `redis-server on ${port}`,
      );
    },
    async stop(signal = 'SIGTERM') {
      if (child === undefined || !server.running) return;
      child.kill(signal);
      await exited;
    },
    command: (line) => redisCommand(port, line),
  };
  await server.start();
  servers.add(server);
  return server;
}

// -------------------------------------------------------------------------------------------------
// A load balancer in front of webhook instances

export interface LoadBalancer {
  /** e.g. http://127.0.0.1:PORT */
  readonly origin: string;
  /** Requests forwarded, per backend port. */
  readonly forwarded: ReadonlyMap<number, number>;
  close(): Promise<void>;
}

/**
 * Forwards each request to the next backend in turn (round robin); a backend that refuses the
 * connection, or answers 5xx (an instance shutting down answers 503), is skipped and the next one
 * tried, as a load balancer with health checks and retries would (Telegram itself re-delivers an
 * update its webhook refused).
 */
export async function startLoadBalancer(backends: () => readonly number[]): Promise<LoadBalancer> {
  let next = 0;
  const forwarded = new Map<number, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const list = backends();
      const first = next++;
      const tryOne = (attempt: number): void => {
        if (attempt >= list.length) {
          res.writeHead(502).end();
          return;
        }
        const port = list[(first + attempt) % list.length] as number;
        const up = http.request(
          { host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${port}` }, agent: false },
          (r) => {
            if ((r.statusCode ?? 502) >= 500) {
              r.resume();
              tryOne(attempt + 1);
              return;
            }
            forwarded.set(port, (forwarded.get(port) ?? 0) + 1);
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on('error', () => tryOne(attempt + 1));
        up.end(body);
      };
      tryOne(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// -------------------------------------------------------------------------------------------------
// News and digests

export interface FeedItem {
  title: string;
  link: string;
  description: string;
  /** Minutes before now. */
  minutesAgo: number;
}

/** An RSS 2.0 feed of items published shortly before now (so that a digest due now has them). */
export function rssFeed(items: readonly FeedItem[], title = 'Warta Uji'): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const now = Date.now();
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${esc(title)}</title><link>http://127.0.0.1/</link><description>Berita uji</description><language>id</language>
${items
  .map(
    (it) =>
      `<item><title>${esc(it.title)}</title><link>${esc(it.link)}</link><guid>${esc(it.link)}</guid><description>${esc(it.description)}</description><pubDate>${new Date(now - it.minutesAgo * MINUTE).toUTCString()}</pubDate></item>`,
  )
  .join('\n')}
</channel></rss>`;
}

/** A news article page the reader can summarize (several Indonesian paragraphs). */
export function articlePage(title: string, paragraphs: readonly string[]): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${title}</title><meta property="og:site_name" content="Warta Uji"></head>
<body><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></body></html>`;
}

export const STORY = {
  title: 'Pemerintah Resmikan Bendungan Baru di Nusa Tenggara Barat',
  paragraphs: [
    'Mataram - Pemerintah meresmikan bendungan baru di Kabupaten Lombok Tengah, Nusa Tenggara Barat, pada Senin pagi untuk mengairi ribuan hektare sawah petani di wilayah selatan pulau itu.',
    'Menteri Pekerjaan Umum mengatakan bendungan tersebut mampu menampung puluhan juta meter kubik air dan akan mengurangi risiko banjir di musim hujan.',
    '"Bendungan ini kami bangun agar petani bisa menanam tiga kali dalam setahun," kata Menteri Pekerjaan Umum dalam sambutannya di lokasi peresmian.',
    'Gubernur Nusa Tenggara Barat menyambut baik peresmian itu dan berharap pasokan air bersih bagi warga di sekitar bendungan juga ikut membaik.',
    'Pembangunan bendungan dimulai empat tahun lalu dan menyerap ratusan tenaga kerja lokal, menurut keterangan resmi kementerian yang diterima wartawan.',
  ],
};

export interface SeedSubscription {
  platform: Platform;
  channelId: string;
  /** Local time of day; default: the minute now in Asia/Jakarta (due now). */
  time?: string;
  channelName?: string;
}

/**
 * Writes subscriptions due now straight into the store, and the scheduler's last processed minute
 * two minutes back: the catch-up tick of a bot started now finds them due (posted "late" by at
 * most a minute or two), without waiting for the next minute's cron tick.
 */
export async function seedDigests(storeUrl: string, subs: readonly SeedSubscription[]): Promise<{ date: string; time: string }> {
  const now = Date.now();
  const slot = localSlot(now, ZONE);
  const store = await openStore(storeUrl, silentLogger);
  try {
    await store.ping();
    const subscriptions = createSubscriptionStore(store);
    for (const s of subs) {
      const sub: Subscription = {
        platform: s.platform,
        channelId: s.channelId,
        ...(s.channelName !== undefined ? { channelName: s.channelName } : {}),
        time: s.time ?? slot.time,
        timeZone: ZONE,
        topics: [],
        locale: 'id',
        createdBy: 'ops-test',
        createdAt: new Date(now - 3600_000).toISOString(),
        paused: false,
      };
      await subscriptions.put(sub);
    }
    await createDeliveryLedger(sharedState(store)).advanceTick(floorMinute(now) - 2 * MINUTE);
  } finally {
    await store.close();
  }
  return { date: slot.date, time: slot.time };
}

/** Reads the subscriptions a store holds now (platform:channel -> time), for "nothing was lost". */
export async function storedSubscriptions(storeUrl: string, keys: readonly { platform: Platform; channelId: string }[]): Promise<(Subscription | undefined)[]> {
  const store = await openStore(storeUrl, silentLogger);
  try {
    const subs = createSubscriptionStore(store);
    return await Promise.all(keys.map((k) => subs.get(k.platform, k.channelId)));
  } finally {
    await store.close();
  }
}

export const DIGEST_TITLE = /^Ringkasan Berita, /;
