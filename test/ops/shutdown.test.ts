/**
 * Graceful shutdown of the compiled bot (as `npm start` runs it) on the loopback Telegram: SIGTERM
 * while a reading is in flight (the news page answers slowly). The reply still arrives, no update
 * is taken after the signal (it waits for the next process, which answers it), /healthz says
 * "down" while the bot drains, and the exit code is 0. A second signal exits at once with 1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { startDiscord } from '../../src/adapters/discord/index.js';
import { createMetrics } from '../../src/adapters/metrics.js';
import { InFlight } from '../../src/adapters/ops/inflight.js';
import { startFakeDiscord } from '../helpers/fake-discord.js';
import { silentLogger, testServices } from '../helpers/services.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import type { HealthReport } from '../../src/adapters/ops/health.js';
import { metric } from './prom.js';
import { built, root, startBot, type BotProcess } from './ops-bot.js';

const page = readFileSync(join(root, 'test', 'fixtures', 'pages', 'antara-singlepage.html'));
const SLOW_MS = 2500;

let tg: FakeTelegram;
let site: NewsServer;
let dir: string;
/** Resolvers waiting for the slow page to be requested. */
const slowRequested: (() => void)[] = [];

beforeAll(async () => {
  tg = await startFakeTelegram();
  site = await startNewsServer({
    '/lambat': (_req, res) => {
      for (const r of slowRequested.splice(0)) r();
      const timer = setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page);
      }, SLOW_MS);
      res.on('close', () => clearTimeout(timer));
    },
    '/rss': { contentType: 'application/rss+xml; charset=utf-8', body: readFileSync(join(root, 'test', 'fixtures', 'feeds', 'tempo-ekonomi.xml')) },
  });
  dir = mkdtempSync(join(tmpdir(), 'ringkas-shutdown-'));
});

afterAll(async () => {
  await tg?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    STORE_URL: `sqlite://${join(dir, 'ringkas.sqlite')}`,
    FETCH_ALLOW_PRIVATE: 'true',
    FEEDS: site.url('/rss'),
    RETENTION_DAYS: '3650',
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    SHUTDOWN_GRACE_MS: '10000',
    LOG_LEVEL: 'info',
  };
}

async function opsUrl(bot: BotProcess): Promise<string> {
  const line = await bot.waitForLog('ops endpoint listening: /healthz, /metrics');
  expect(line).toMatchObject({ host: '127.0.0.1' });
  expect(line['port']).toBeGreaterThan(0);
  return String(line['url']);
}

function slowPageRequested(): Promise<void> {
  return new Promise((resolve) => slowRequested.push(resolve));
}

describe('work in flight (in process)', () => {
  it('Discord: interactions are tracked while answered; once closed, new ones get a short "restarting" at once', async () => {
    const discord = await startFakeDiscord();
    const inFlight = new InFlight();
    const metrics = createMetrics({ defaultMetrics: false });
    const bot = await startDiscord({ config: discord.config(), services: testServices(), commands: loadCommands(), logger: silentLogger, inFlight, metrics, shutdownGraceMs: 5000 });
    try {
      const requested = slowPageRequested();
      const reading = await discord.interact({ command: 'berita', options: { masukan: site.url('/lambat?discord=1') } });
      await requested;
      expect(inFlight.size).toBe(1);
      inFlight.close();
      const late = await discord.interact({ command: 'help', locale: 'en-US' });
      expect(await late.acked(3000)).toMatchObject({ type: 4, data: { flags: 64 } });
      expect((await late.final()).embeds[0]?.description).toBe('Ringkas is restarting. Please try again in a moment.');
      expect(await inFlight.drain(10_000)).toBe(true);
      expect((await reading.final(1000)).embeds[0]?.title).toContain('29 penerbangan');
      expect(inFlight.size).toBe(0);
      const text = await metrics.render();
      expect(text).toContain('ringkas_commands_total{platform="discord",command="help",outcome="SHUTTING_DOWN"} 1');
      expect(text).toContain('ringkas_commands_total{platform="discord",command="berita",outcome="ok"} 1');
    } finally {
      await bot.stop();
      await discord.close();
    }
  });

  it('drain() is bounded: false when work outlives the timeout', async () => {
    const inFlight = new InFlight();
    let release!: () => void;
    void inFlight.track(new Promise<void>((r) => (release = r)));
    const t0 = Date.now();
    expect(await inFlight.drain(200)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
    release();
    expect(await inFlight.drain(200)).toBe(true);
  });
});

describe.skipIf(!built)('graceful shutdown of the compiled bot', () => {
  it('SIGTERM during a reading: the reply arrives, nothing new is taken, /healthz says down, exit 0', async () => {
    const first = startBot(env());
    const url = await opsUrl(first);
    await first.waitForLog('telegram long polling started');
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as HealthReport).checks.platforms['telegram']).toMatchObject({ connected: true, mode: 'polling' });

    const alice = tg.user({ first_name: 'Alice' });
    const aliceChat = tg.privateChat(alice);
    const requested = slowPageRequested();
    await tg.sendText(alice, aliceChat, `/berita ${site.url('/lambat')}`);
    await requested; // the reading is in flight now
    const signalAt = Date.now();
    first.child.kill('SIGTERM');
    await first.waitForLog('telegram polling stopped: no new updates are taken; letting replies finish', 5000);

    // Draining: the ops endpoint is still up and tells the load balancer to stop sending.
    const draining = await fetch(`${url}/healthz`);
    expect(draining.status).toBe(503);
    expect((await draining.json()) as HealthReport).toMatchObject({ status: 'down', checks: { shutdown: { stopping: true } } });

    // An update after the signal: not taken by this process.
    const bob = tg.user({ first_name: 'Bob' });
    const bobChat = tg.privateChat(bob);
    await tg.sendText(bob, bobChat, '/help');

    const [reply] = await tg.waitForMessages(aliceChat.id, 1, 20_000);
    expect(reply?.text).toContain('29 penerbangan Bandara Internasional Lombok dibatalkan');
    expect(reply?.at).toBeGreaterThan(signalAt);
    expect(await first.exited).toBe(0);
    expect(Date.now() - signalAt).toBeLessThan(10_000 + 5000);
    expect(tg.messages(bobChat.id)).toEqual([]);
    const messages = first.lines().map((l) => l['msg']);
    expect(messages).toContain('shutting down: taking no new work, letting replies in flight finish');
    expect(messages.indexOf('ringkas stopped')).toBeGreaterThan(messages.indexOf('telegram long polling stopped'));
    expect(first.lines().find((l) => l['msg'] === 'shutting down: taking no new work, letting replies in flight finish')).toMatchObject({ signal: 'SIGTERM', inFlight: 1 });

    // The update Bob sent after the signal was left for the next process, which answers it.
    const second = startBot(env());
    const url2 = await opsUrl(second);
    const [help] = await tg.waitForMessages(bobChat.id, 1, 30_000);
    expect(help?.text).toContain('/berita');
    const scraped = await (await fetch(`${url2}/metrics`)).text();
    await expect
      .poll(async () => metric(await (await fetch(`${url2}/metrics`)).text(), 'ringkas_commands_total', { platform: 'telegram', command: 'help', outcome: 'ok' }), { timeout: 5000 })
      .toBe(1);
    expect(scraped).toContain('ringkas_process_resident_memory_bytes');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(first.output() + second.output()).not.toContain(tg.token);
  }, 90_000);

  it('a second signal while draining exits at once with code 1', async () => {
    const bot = startBot(env());
    await bot.waitForLog('telegram long polling started');
    const carol = tg.user({ first_name: 'Carol' });
    const chat = tg.privateChat(carol);
    const requested = slowPageRequested();
    // Another address for the same page: the first test's reading is in the cache.
    await tg.sendText(carol, chat, `/berita ${site.url('/lambat?lagi=1')}`);
    await requested;
    bot.child.kill('SIGTERM');
    await bot.waitForLog('shutting down: taking no new work, letting replies in flight finish', 5000);
    const second = Date.now();
    bot.child.kill('SIGINT');
    expect(await bot.exited).toBe(1);
    expect(Date.now() - second).toBeLessThan(SLOW_MS);
    expect(bot.lines().some((l) => l['msg'] === 'second signal: exiting now' && l['signal'] === 'SIGINT')).toBe(true);
  }, 60_000);
});
if (!built) console.warn('graceful shutdown tests skipped: dist/ is not built (npm run build)');
