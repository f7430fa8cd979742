/**
 * Discord under load: 50 concurrent `/berita <link>` interactions through the real discord.js
 * client and the loopback Discord (test/helpers/fake-discord.ts), with the articles already in the
 * reading cache (SQLite, as the bot's default store). Reports, per interaction, the time from
 * INTERACTION_CREATE to the acknowledgement and to the final edit of the reply, and the
 * event-loop delay (perf_hooks.monitorEventLoopDelay) during the burst. Target: p99 <= 50 ms.
 *
 * The fake Discord and the news site run in the same process as the bot, so their work (parsing
 * requests, validating embeds, writing frames) is counted in the event-loop delay too.
 *
 * `benchDiscord()` returns the printable report; bench/run.ts calls it as a section.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadCommands } from '../commands/index.js';
import { startDiscord } from '../src/adapters/discord/index.js';
import { createFetcher, normalizeUrl } from '../src/adapters/http/index.js';
import { openStore } from '../src/adapters/store/index.js';
import { createReadingCache } from '../src/adapters/store/readings.js';
import { createLogger } from '../src/logger.js';
import { createReaderService } from '../src/services/read.js';
import { createMemorySearch } from '../src/services/search.js';
import { table } from '../eval/table.js';
import { startFakeDiscord, type InteractionHandle } from '../test/helpers/fake-discord.js';
import { startNewsServer } from '../test/helpers/news-server.js';

export interface DiscordBenchOptions {
  /** Interactions in the measured burst (default 50). */
  interactions?: number;
  /** Measured bursts; the figures are over all of them (default 3). */
  rounds?: number;
}

/** test/fixtures/pages, from bench/ in the sources or dist/bench/ in the build. */
function fixturePages(): string {
  let dir = import.meta.dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'test', 'fixtures', 'pages');
    if (existsSync(join(candidate, 'ground-truth.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('test/fixtures/pages not found');
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

export async function benchDiscord(opts: DiscordBenchOptions = {}): Promise<string> {
  const n = opts.interactions ?? Number(process.env['BENCH_DISCORD_N'] ?? 50);
  const rounds = opts.rounds ?? Number(process.env['BENCH_DISCORD_ROUNDS'] ?? 3);
  const pagesDir = fixturePages();
  const files = Object.keys(JSON.parse(readFileSync(join(pagesDir, 'ground-truth.json'), 'utf8')) as Record<string, unknown>);
  const routes = Object.fromEntries(files.map((f) => [`/${f}`, { contentType: 'text/html; charset=utf-8', body: readFileSync(join(pagesDir, f)) }]));
  const logger = createLogger({ level: 'silent' });
  const dataDir = mkdtempSync(join(tmpdir(), 'ringkas-bench-discord-'));

  const site = await startNewsServer(routes);
  const discord = await startFakeDiscord();
  const store = await openStore(`sqlite://${join(dataDir, 'bench.sqlite')}`, logger);
  const services = {
    reader: createReaderService({ fetcher: createFetcher({ allowPrivate: true }), logger, cache: createReadingCache(store, logger), normalizeUrl }),
    search: createMemorySearch(),
  };
  const bot = await startDiscord({
    config: discord.config(),
    services,
    commands: loadCommands(),
    logger,
    // One guild sends the whole burst: the guild limit would (rightly) slow it down.
    interactions: { rateLimits: { guild: { capacity: 100_000, refillPerSecond: 100_000 } } },
  });
  let user = 300000000000000000n;
  const burst = async (count: number): Promise<{ ack: number[]; final: number[]; failed: number }> => {
    const handles: InteractionHandle[] = await Promise.all(
      Array.from({ length: count }, (_, k) => discord.interact({ command: 'berita', options: { masukan: site.url(`/${files[k % files.length] ?? ''}`) }, user: { id: String(++user) } })),
    );
    const results = await Promise.allSettled(handles.map(async (h) => {
      const ack = await h.acked(10_000);
      const msg = await h.final(60_000);
      if (msg.embeds[0]?.title === undefined || msg.embeds[0].color === 0xd64545) throw new Error('not a reading');
      return { ack: ack.at - h.sentAt, final: msg.at - h.sentAt };
    }));
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    return { ack: ok.map((r) => r.ack), final: ok.map((r) => r.final), failed: results.length - ok.length };
  };

  try {
    // Uncached, for contrast: every page read (fetched, extracted, summarized) at once.
    const cold = monitorEventLoopDelay({ resolution: 5 });
    cold.enable();
    const first = await burst(files.length);
    cold.disable();
    // Warm the code paths up with the cache full.
    await burst(n);
    const fetchedBefore = site.requests.length;

    const ack: number[] = [];
    const final: number[] = [];
    const loopP99: number[] = [];
    const loopMax: number[] = [];
    let failed = 0;
    for (let r = 0; r < rounds; r++) {
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      const out = await burst(n);
      h.disable();
      ack.push(...out.ack);
      final.push(...out.final);
      failed += out.failed;
      loopP99.push(h.percentile(99) / 1e6);
      loopMax.push(h.max / 1e6);
    }
    const fetchedDuring = site.requests.length - fetchedBefore;
    // The same measure with no traffic: what the machine itself adds (other processes, timers).
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    idle.disable();
    const rows: (string | number)[][] = [
      ['INTERACTION_CREATE -> deferReply (ms)', percentile(ack, 50), percentile(ack, 95), Math.max(...ack)],
      ['INTERACTION_CREATE -> final edit (ms)', percentile(final, 50), percentile(final, 95), Math.max(...final)],
      ['event-loop delay p99 per burst (ms)', percentile(loopP99, 50), Math.max(...loopP99), Math.max(...loopMax)],
      [`uncached: ${files.length} pages at once -> final edit (ms)`, percentile(first.final, 50), percentile(first.final, 95), Math.max(...first.final)],
      ['uncached: event-loop delay (ms)', cold.percentile(50) / 1e6, cold.percentile(99) / 1e6, cold.max / 1e6],
      ['event-loop delay, idle for 1 s (ms)', idle.percentile(50) / 1e6, idle.percentile(99) / 1e6, idle.max / 1e6],
    ];
    return [
      `Discord: ${rounds} bursts of ${n} concurrent /berita <link> through discord.js and the loopback Discord, articles cached (SQLite); ${failed} failed, ${fetchedDuring} page fetches during the bursts`,
      table(['measure', 'p50', 'p95', 'max'], rows),
      `(burst event-loop row: median and worst of the per-burst p99, then the worst single delay; uncached and idle rows: p50, p99, max. Target: p99 <= 50 ms with cached articles)`,
    ].join('\n');
  } finally {
    await bot.stop();
    await discord.close();
    await site.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
