/**
 * Load (issue 7): 1,000 `/berita <link>` interactions spread evenly over 60 s through the real
 * discord.js client, the real interaction handler (default concurrency) and real services — the
 * reader with the safe fetcher, the reading cache in SQLite as the bot's default store — against
 * the loopback Discord. Two in three links were already read (cached); one in three is a link not
 * read before, served by a loopback news site after 50–400 ms (jittered, median ~140 ms).
 *
 * Reported: lost interactions (no final reply; must be 0), error replies, Discord rejections
 * (must be 0), time from INTERACTION_CREATE to the acknowledgement and to the final reply (the
 * edit of @original) p50/p95/p99, cached and uncached apart, the event-loop delay of the bot's
 * thread (perf_hooks.monitorEventLoopDelay) during the run, the throughput achieved against the
 * offered, and the heap used before and after the run, both after GC (global.gc: the bench runs
 * with --expose-gc), with PASS/FAIL against a 50 MB growth limit.
 *
 * Discord and the news site run in a worker thread (bench/load-fakes.ts), which also generates
 * the load open loop (arrivals on schedule whatever the bot does), so that the heap and the
 * event-loop delay measured here are the bot's. Every other outgoing connection is refused
 * (guardLoopbackOnly), and the fetcher resolves every name to loopback: nothing leaves the machine.
 *
 * Quick runs: BENCH_LOAD_COUNT=200 BENCH_LOAD_SECONDS=12 node --expose-gc dist/bench/run.js load
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { loadCommands } from '../commands/index.js';
import { startDiscord } from '../src/adapters/discord/index.js';
import { createFetcher, normalizeUrl } from '../src/adapters/http/index.js';
import { openStore } from '../src/adapters/store/index.js';
import { createReadingCache } from '../src/adapters/store/readings.js';
import { createLogger } from '../src/logger.js';
import { createReaderService } from '../src/services/read.js';
import { createMemorySearch } from '../src/services/search.js';
import { sharedDataPath } from '../eval/shared.js';
import { table } from '../eval/table.js';
import { guardLoopbackOnly } from '../test/helpers/news-server.js';
import type { FakesData, FakesStats, FromFakes, InteractionResult, PlannedInteraction, ToFakes } from './load-fakes.js';

const HEAP_LIMIT_MB = 50;

interface PageSource {
  label: string;
  pages: { file: string; body: Uint8Array }[];
}

/** The shared pages (../shared/data/pages), or the test fixtures when shared data is absent. */
function loadPages(): PageSource {
  const truthPath = sharedDataPath('pages', 'ground-truth.json');
  if (existsSync(truthPath)) {
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, { local_path?: string }>;
    const pages = Object.entries(truth).map(([file, t]) => ({ file, body: new Uint8Array(readFileSync(sharedDataPath('pages', t.local_path ?? `html/${file}`))) }));
    return { label: `${pages.length} pages of ../shared/data/pages`, pages };
  }
  let dir = import.meta.dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'test', 'fixtures', 'pages');
    if (existsSync(join(candidate, 'ground-truth.json'))) {
      const files = Object.keys(JSON.parse(readFileSync(join(candidate, 'ground-truth.json'), 'utf8')) as Record<string, unknown>);
      return { label: `${files.length} pages of test/fixtures/pages (../shared/data absent)`, pages: files.map((f) => ({ file: f, body: new Uint8Array(readFileSync(join(candidate, f))) })) };
    }
    dir = dirname(dir);
  }
  throw new Error('no pages: neither ../shared/data/pages nor test/fixtures/pages');
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

const mb = (bytes: number): number => Math.round((bytes / 1e6) * 10) / 10;

function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  gc();
  return true;
}

/** The worker with Discord and the news site, and a promise-based way to talk to it. */
async function startFakes(data: FakesData): Promise<{
  config: Extract<FromFakes, { type: 'ready' }>['config'];
  origin: string;
  run(items: PlannedInteraction[], intervalMs: number, onResult?: (r: InteractionResult) => void): Promise<InteractionResult[]>;
  stats(): Promise<FakesStats>;
  close(): Promise<void>;
}> {
  const worker = new Worker(new URL('./load-fakes.js', import.meta.url), { workerData: data });
  const listeners = new Set<(m: FromFakes) => void>();
  worker.on('message', (m: FromFakes) => {
    for (const l of [...listeners]) l(m);
  });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the fakes' worker exited with ${code}`)));
  });
  failed.catch(() => undefined);
  const next = <T extends FromFakes['type']>(type: T): Promise<Extract<FromFakes, { type: T }>> =>
    Promise.race([
      failed,
      new Promise<Extract<FromFakes, { type: T }>>((resolve) => {
        const l = (m: FromFakes): void => {
          if (m.type !== type) return;
          listeners.delete(l);
          resolve(m as Extract<FromFakes, { type: T }>);
        };
        listeners.add(l);
      }),
    ]);
  const send = (m: ToFakes): void => worker.postMessage(m);
  const ready = await next('ready');
  return {
    config: ready.config,
    origin: ready.origin,
    run(items, intervalMs, onResult) {
      const wanted = new Set(items.map((i) => i.k));
      const results: InteractionResult[] = [];
      const done = Promise.race([
        failed,
        new Promise<InteractionResult[]>((resolve) => {
          const l = (m: FromFakes): void => {
            if (m.type !== 'result' || !wanted.has(m.k)) return;
            results.push(m);
            onResult?.(m);
            if (results.length === items.length) {
              listeners.delete(l);
              resolve(results);
            }
          };
          listeners.add(l);
        }),
      ]);
      send({ type: 'run', items, intervalMs });
      return done;
    },
    async stats() {
      const s = next('stats');
      send({ type: 'stats' });
      return s;
    },
    async close() {
      const closed = next('closed').catch(() => undefined);
      send({ type: 'close' });
      await Promise.race([closed, sleep(5000)]);
      await worker.terminate();
    },
  };
}

export async function benchLoad(): Promise<string> {
  const count = Math.max(3, Number(process.env['BENCH_LOAD_COUNT'] ?? 1000));
  const seconds = Math.max(1, Number(process.env['BENCH_LOAD_SECONDS'] ?? 60));
  const intervalMs = (seconds * 1000) / count;
  const source = loadPages();
  const files = source.pages.map((p) => p.file);
  const logger = createLogger({ level: 'silent' });
  const dataDir = mkdtempSync(join(tmpdir(), 'ringkas-bench-load-'));
  const guard = guardLoopbackOnly();

  const fakes = await startFakes({ pages: source.pages.map((p) => ({ path: `/${p.file}`, body: p.body })), latency: { minMs: 50, maxMs: 400, seed: 7 } });
  const store = await openStore(`sqlite://${join(dataDir, 'bench.sqlite')}`, logger);
  // Every name resolves to loopback (links inside the pages, next pages): nothing leaves the machine.
  const fetcher = createFetcher({ allowPrivate: true, lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
  const services = {
    reader: createReaderService({ fetcher, logger, cache: createReadingCache(store, logger), normalizeUrl }),
    search: createMemorySearch(),
  };
  const bot = await startDiscord({
    config: fakes.config,
    services,
    commands: loadCommands(),
    logger,
    // The whole load comes from one guild of the fake: the per-guild limit would (rightly) refuse
    // most of it. Each interaction is from another user, so the per-user limit does not bite.
    interactions: { rateLimits: { guild: { capacity: 1_000_000, refillPerSecond: 1_000_000 } } },
  });

  let user = 500000000000000000n;
  const link = (file: string, v?: number): string => `${fakes.origin}/${file}${v !== undefined ? `?v=${v}` : ''}`;
  const plan = (links: readonly string[], from: number): PlannedInteraction[] => links.map((masukan, n) => ({ k: from + n, masukan, userId: String(++user) }));

  try {
    // Warm-up: every page read once (these are the "already read" links), then the cached path
    // and a few uncached links, so that the JIT and the connections are warm.
    const warm1 = await fakes.run(plan(files.map((f) => link(f)), 1_000_000), 50);
    const warm2 = await fakes.run(plan([...files, ...files, ...files].map((f, n) => (n % 3 === 2 ? link(f, 1_000_000 + n) : link(f))), 2_000_000), 20);
    const warmFailed = [...warm1, ...warm2].filter((r) => !r.reading);
    if (warmFailed.length > 0) throw new Error(`warm-up failed: ${warmFailed.map((r) => r.problem ?? '?').join(' | ')}`);

    const statsBefore = await fakes.stats();
    await sleep(500);
    const gcOk = collectGarbage();
    const before = process.memoryUsage();

    // The run: item k is uncached when k % 3 === 2 (a new ?v=k link), else a link already read.
    const links = Array.from({ length: count }, (_, k) => (k % 3 === 2 ? link(files[k % files.length] ?? '', k) : link(files[k % files.length] ?? '')));
    const uncachedK = new Set(Array.from({ length: count }, (_, k) => k).filter((k) => k % 3 === 2));
    const eld = monitorEventLoopDelay({ resolution: 5 });
    eld.enable();
    const started = Date.now();
    const results = await fakes.run(plan(links, 0), intervalMs);
    const ended = Date.now();
    eld.disable();

    await sleep(1000);
    collectGarbage();
    const after = process.memoryUsage();
    const statsAfter = await fakes.stats();

    // The same measure with no traffic, for what the machine itself adds.
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await sleep(1000);
    idle.disable();

    const lost = results.filter((r) => r.lost);
    const errors = results.filter((r) => !r.lost && !r.reading);
    const ok = results.filter((r) => r.reading && r.finalAt !== undefined);
    const final = (rs: readonly InteractionResult[]): number[] => rs.flatMap((r) => (r.finalAt !== undefined ? [r.finalAt - r.sentAt] : []));
    const acks = results.flatMap((r) => (r.ackAt !== undefined ? [r.ackAt - r.sentAt] : []));
    const lateAcks = acks.filter((a) => a > 3000).length;
    const all = final(results.filter((r) => !r.lost));
    const cached = final(ok.filter((r) => !uncachedK.has(r.k)));
    const uncached = final(ok.filter((r) => uncachedK.has(r.k)));
    const sendLag = results.map((r) => r.sentAt - r.dueAt);
    const firstSent = Math.min(...results.map((r) => r.sentAt));
    const lastSent = Math.max(...results.map((r) => r.sentAt));
    const lastFinal = Math.max(...results.flatMap((r) => (r.finalAt !== undefined ? [r.finalAt] : [])));
    const offeredRate = count / seconds;
    const sentRate = (results.length - 1) / Math.max((lastSent - firstSent) / 1000, 1e-9);
    const achievedRate = ok.length / Math.max((lastFinal - firstSent) / 1000, 1e-9);
    const fetched = statsAfter.pageRequests - statsBefore.pageRequests;
    const notFound = statsAfter.pageNotFound - statsBefore.pageNotFound;
    const delays = statsAfter.delays.slice(statsBefore.delays.length);
    const rejections = statsAfter.rejections;
    const growth = after.heapUsed - before.heapUsed;
    const pass = growth <= HEAP_LIMIT_MB * 1e6;

    const rows: (string | number)[][] = [
      ['INTERACTION_CREATE -> deferReply (ms)', percentile(acks, 50), percentile(acks, 95), percentile(acks, 99), Math.max(...acks)],
      ['INTERACTION_CREATE -> final reply, all (ms)', percentile(all, 50), percentile(all, 95), percentile(all, 99), Math.max(...all)],
      [`  cached links (${cached.length})`, percentile(cached, 50), percentile(cached, 95), percentile(cached, 99), Math.max(...cached)],
      [`  uncached links (${uncached.length})`, percentile(uncached, 50), percentile(uncached, 95), percentile(uncached, 99), Math.max(...uncached)],
      ['  news site delay for the uncached (ms)', percentile(delays, 50), percentile(delays, 95), percentile(delays, 99), Math.max(...delays)],
      ['event-loop delay, bot thread, during the run (ms)', eld.percentile(50) / 1e6, eld.percentile(95) / 1e6, eld.percentile(99) / 1e6, eld.max / 1e6],
      ['event-loop delay, idle for 1 s (ms)', idle.percentile(50) / 1e6, idle.percentile(95) / 1e6, idle.percentile(99) / 1e6, idle.max / 1e6],
      ['arrival lag of the load generator (ms)', percentile(sendLag, 50), percentile(sendLag, 95), percentile(sendLag, 99), Math.max(...sendLag)],
    ];
    const lines = [
      `Load: ${count} /berita <link> over ${seconds} s through discord.js and the loopback Discord, ${count - uncachedK.size} to links already read (cached, SQLite), ${uncachedK.size} to links not read before (news site on loopback, 50-400 ms); ${source.label}`,
      table(['measure', 'p50', 'p95', 'p99', 'max'], rows),
      `lost (no final reply): ${lost.length}${lost.length > 0 ? ` (${lost.slice(0, 3).map((r) => r.problem ?? '?').join(' | ')})` : ''}; error replies: ${errors.length}${errors.length > 0 ? ` (${errors.slice(0, 3).map((r) => r.problem ?? '?').join(' | ')})` : ''}; acknowledged after 3 s: ${lateAcks}; Discord rejections: ${rejections}${rejections > 0 ? ` (${statsAfter.rejectionSamples.join(' | ')})` : ''}`,
      `throughput: offered ${offeredRate.toFixed(1)}/s (sent ${sentRate.toFixed(1)}/s), achieved ${achievedRate.toFixed(1)} final replies/s (${ok.length} readings from the first arrival to the last reply, ${((lastFinal - firstSent) / 1000).toFixed(1)} s; run ${((ended - started) / 1000).toFixed(1)} s)`,
      `page fetches during the run: ${fetched} for ${uncachedK.size} uncached links (${notFound} to paths the site does not have); outgoing connections refused off loopback: ${guard.blocked.length}`,
      `heap used after GC: before ${mb(before.heapUsed)} MB, after ${mb(after.heapUsed)} MB, growth ${growth >= 0 ? '+' : ''}${mb(growth)} MB -> ${pass ? 'PASS' : 'FAIL'} (limit ${HEAP_LIMIT_MB} MB)${gcOk ? '' : ' [no global.gc: run node with --expose-gc for figures after GC]'}; rss ${mb(before.rss)} -> ${mb(after.rss)} MB (process, both threads)`,
      `(final reply = the edit of @original; arrivals are generated open loop in the fakes' thread; event-loop delay is sampled every 5 ms and includes those 5 ms, as in the Discord section; targets: 0 lost, 0 rejections, heap growth <= ${HEAP_LIMIT_MB} MB)`,
    ];
    return lines.join('\n');
  } finally {
    await bot.stop();
    await fakes.close();
    await store.close();
    guard.restore();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
