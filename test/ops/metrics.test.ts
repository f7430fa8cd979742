/**
 * /metrics after real traffic: the Telegram, Discord and console adapters (against the loopback
 * platforms, reading a loopback news site through the real reader and its cache), the feed poller
 * and the digest scheduler all count into one prom-client Registry, scraped over HTTP as
 * Prometheus would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCommands, type CommandServices } from '../../commands/index.js';
import { runConsole } from '../../src/adapters/console/index.js';
import { startDiscord, type DiscordBot } from '../../src/adapters/discord/index.js';
import { createFetcher, normalizeUrl } from '../../src/adapters/http/index.js';
import { createMetrics, type Metrics } from '../../src/adapters/metrics.js';
import { createHealth } from '../../src/adapters/ops/health.js';
import { startOpsServer, type OpsServer } from '../../src/adapters/ops/server.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { createReadingCache } from '../../src/adapters/store/readings.js';
import { createSubscriptionStore } from '../../src/adapters/store/subscriptions.js';
import { startTelegram, type RunningTelegram } from '../../src/adapters/telegram/index.js';
import { infoReply } from '../../src/core/reply.js';
import { createCorpus } from '../../src/services/corpus.js';
import { DeliveryError } from '../../src/services/delivery.js';
import { createDigestService } from '../../src/services/digests.js';
import { createReaderService } from '../../src/services/read.js';
import { createMemorySearch } from '../../src/services/search.js';
import { FAST_TUNING } from '../adapters/telegram/harness.js';
import { morningStories, RecordingDeliverer, subscription } from '../helpers/digest-fakes.js';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { silentLogger } from '../helpers/services.js';
import { metric } from './prom.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

let metrics: Metrics;
let ops: OpsServer;
let site: NewsServer;
let store: Store;
let services: CommandServices;
let tg: FakeTelegram;
let telegram: RunningTelegram;
let discord: FakeDiscord;
let discordBot: DiscordBot;

/** Waits until the scrape shows `name{labels}` at `value` (a reply is counted right after it was sent). */
async function until(name: string, labels: Record<string, string>, value: number): Promise<void> {
  await vi.waitFor(async () => expect(metric(await scrape(), name, labels)).toBe(value), { timeout: 5000, interval: 20 });
}

async function scrape(): Promise<string> {
  const res = await fetch(`${ops.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return res.text();
}

beforeAll(async () => {
  metrics = createMetrics();
  ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, health: createHealth({ platforms: [] }), logger: silentLogger });
  site = await startNewsServer({
    '/berita': { contentType: 'text/html; charset=utf-8', body: readFileSync(join(fixtures, 'pages', 'antara-singlepage.html')) },
    '/rss': { contentType: 'application/rss+xml; charset=utf-8', body: readFileSync(join(fixtures, 'feeds', 'tempo-ekonomi.xml')) },
  });
  store = await openStore('memory://', silentLogger);
  services = {
    reader: createReaderService({
      fetcher: createFetcher({ allowPrivate: true, totalTimeoutMs: 3000 }),
      logger: silentLogger,
      normalizeUrl,
      cache: createReadingCache(store, silentLogger),
      metrics,
    }),
    search: createMemorySearch(),
    subscriptions: createSubscriptionStore(store),
  };
  tg = await startFakeTelegram();
  telegram = await startTelegram({
    config: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot },
    services,
    commands: loadCommands(),
    logger: silentLogger,
    tuning: FAST_TUNING,
    pollTimeoutSeconds: 1,
    shutdownGraceMs: 2000,
    metrics,
  });
  discord = await startFakeDiscord();
  discordBot = await startDiscord({ config: discord.config(), services, commands: loadCommands(), logger: silentLogger, metrics });
});

afterAll(async () => {
  await telegram?.stop();
  await discordBot?.stop();
  await tg?.close();
  await discord?.close();
  await site?.close();
  await ops?.close();
  await store?.close();
});

describe('ringkas_* metrics on /metrics', () => {
  it('Telegram: commands by outcome with their latency, readings ok / cached / error code', async () => {
    const alice = tg.user({ first_name: 'Alice' });
    const chat = tg.privateChat(alice);
    const before = await scrape();
    expect(metric(before, 'ringkas_commands_total', { platform: 'telegram' })).toBeUndefined();
    // prom-client's default metrics, with the prefix.
    expect(metric(before, 'ringkas_process_cpu_user_seconds_total')).toBeGreaterThan(0);

    await tg.sendText(alice, chat, `/berita ${site.url('/berita')}`);
    await tg.waitForMessages(chat.id, 1, 15_000);
    await until('ringkas_commands_total', { platform: 'telegram' }, 1);
    let text = await scrape();
    expect(metric(text, 'ringkas_commands_total', { platform: 'telegram', command: 'berita', outcome: 'ok' })).toBe(1);
    expect(metric(text, 'ringkas_command_duration_seconds_count', { platform: 'telegram', command: 'berita' })).toBe(1);
    expect(metric(text, 'ringkas_command_duration_seconds_sum', { platform: 'telegram', command: 'berita' })).toBeGreaterThan(0);
    expect(metric(text, 'ringkas_readings_total', { outcome: 'ok' })).toBe(1);

    // The same link again: from the cache.
    await tg.sendText(alice, chat, `/berita ${site.url('/berita')}`);
    await tg.waitForMessages(chat.id, 2, 15_000);
    // A page that is not there, and a command nobody knows.
    await tg.sendText(alice, chat, `/berita ${site.url('/hilang')}`);
    await tg.waitForMessages(chat.id, 3, 15_000);
    await tg.sendText(alice, chat, '/entahlah');
    await tg.waitForMessages(chat.id, 4, 15_000);
    await until('ringkas_commands_total', { platform: 'telegram' }, 4);
    text = await scrape();
    expect(metric(text, 'ringkas_readings_total', { outcome: 'ok' })).toBe(1);
    expect(metric(text, 'ringkas_readings_total', { outcome: 'cached' })).toBe(1);
    expect(metric(text, 'ringkas_readings_total', { outcome: 'NOT_FOUND' })).toBe(1);
    expect(metric(text, 'ringkas_commands_total', { platform: 'telegram', command: 'berita', outcome: 'ok' })).toBe(2);
    expect(metric(text, 'ringkas_commands_total', { platform: 'telegram', command: 'berita', outcome: 'NOT_FOUND' })).toBe(1);
    // User input never becomes a label.
    expect(metric(text, 'ringkas_commands_total', { platform: 'telegram', command: 'unknown', outcome: 'UNKNOWN_COMMAND' })).toBe(1);
    expect(text).not.toContain('entahlah');
  });

  it('Telegram: a flood wait (429 retry_after) that auto-retry sits out is a rate-limit wait', async () => {
    const bob = tg.user({ first_name: 'Bob' });
    const chat = tg.privateChat(bob);
    tg.fail('sendMessage', { status: 429, retryAfter: 1, chatId: chat.id });
    await tg.sendText(bob, chat, '/help');
    const [help] = await tg.waitForMessages(chat.id, 1, 15_000);
    expect(help?.text).toContain('/berita');
    await until('ringkas_commands_total', { platform: 'telegram', command: 'help' }, 1);
    const text = await scrape();
    expect(metric(text, 'ringkas_rate_limit_waits_total', { platform: 'telegram' })).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'ringkas_rate_limit_wait_seconds_total', { platform: 'telegram' })).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'ringkas_commands_total', { platform: 'telegram', command: 'help', outcome: 'ok' })).toBe(1);
  });

  it('Discord: interactions by command and outcome; a 429 on a channel post is a rate-limit wait', async () => {
    const h = await discord.interact({ command: 'help' });
    await h.final(15_000);
    const cached = await discord.interact({ command: 'berita', options: { masukan: site.url('/berita') } });
    expect((await cached.final(15_000)).embeds[0]?.title).toContain('29 penerbangan');
    await until('ringkas_commands_total', { platform: 'discord' }, 2);
    let text = await scrape();
    expect(metric(text, 'ringkas_commands_total', { platform: 'discord', command: 'help', outcome: 'ok' })).toBe(1);
    expect(metric(text, 'ringkas_commands_total', { platform: 'discord', command: 'berita', outcome: 'ok' })).toBe(1);
    expect(metric(text, 'ringkas_command_duration_seconds_count', { platform: 'discord', command: 'berita' })).toBe(1);
    expect(metric(text, 'ringkas_readings_total', { outcome: 'cached' })).toBe(2);

    discord.channelBehaviour(discord.channelId, { status: 429, retryAfter: 2 });
    await expect(discordBot.deliverer.deliver(discord.channelId, infoReply('id', 'Ringkasan harian'))).rejects.toMatchObject({ reason: 'rate-limited' });
    discord.channelBehaviour(discord.channelId, undefined);
    text = await scrape();
    expect(metric(text, 'ringkas_rate_limit_waits_total', { platform: 'discord' })).toBe(1);
    expect(metric(text, 'ringkas_rate_limit_wait_seconds_total', { platform: 'discord' })).toBeGreaterThanOrEqual(1);
  });

  it('console: commands counted under platform "console"', async () => {
    const input = new PassThrough();
    const output = new Writable({ write: (_c, _e, cb) => cb() });
    const done = runConsole({ commands: loadCommands(), services, logger: silentLogger, input, output, metrics, pasteIdleMs: 10 });
    input.end('/help\n');
    await done;
    const text = await scrape();
    expect(metric(text, 'ringkas_commands_total', { platform: 'console', command: 'help', outcome: 'ok' })).toBe(1);
  });

  it('feed polls by outcome, and the time of the last round', async () => {
    const corpus = createCorpus({
      config: { FEEDS: [site.url('/rss'), site.url('/tidak-ada.xml')], RETENTION_DAYS: 3650 },
      fetcher: createFetcher({ allowPrivate: true, totalTimeoutMs: 3000 }),
      logger: silentLogger,
      schedule: false,
      pollOnStart: false,
      metrics,
    });
    await corpus.start();
    const before = Date.now();
    await corpus.pollNow();
    await corpus.stop();
    const text = await scrape();
    expect(metric(text, 'ringkas_feed_polls_total', { outcome: 'ok' })).toBe(1);
    expect(metric(text, 'ringkas_feed_polls_total', { outcome: 'error' })).toBe(1);
    const last = metric(text, 'ringkas_feed_last_poll_timestamp_seconds') ?? 0;
    expect(last * 1000).toBeGreaterThanOrEqual(before - 1);
    expect(last * 1000).toBeLessThanOrEqual(Date.now());
    expect(metrics.lastFeedPollAt()).toBe(Math.round(last * 1000));
  });

  it('digests delivered, failed (the channel is gone) and skipped (missed beyond the catch-up window)', async () => {
    const day1 = Date.parse('2026-11-30T00:00:00Z'); // 07:00 WIB
    const digestStore = await openStore('memory://', silentLogger);
    const subs = createSubscriptionStore(digestStore);
    await subs.put(subscription({ platform: 'telegram', channelId: '-1001', time: '07:00' }));
    await subs.put(subscription({ platform: 'discord', channelId: '5001', time: '07:00' }));
    await subs.put(subscription({ platform: 'telegram', channelId: '-1002', time: '03:00' }));
    const tgOut = new RecordingDeliverer('telegram');
    const dcOut = new RecordingDeliverer('discord').failAlways('5001', new DeliveryError('channel-gone', 'Unknown Channel'));
    let now = day1 - 5 * 3600_000; // 02:00 WIB: the last tick the store remembers
    const service = createDigestService({
      store: digestStore,
      subscriptions: subs,
      stories: morningStories(),
      deliverers: [tgOut, dcOut],
      logger: silentLogger,
      now: () => now,
      schedule: false,
      catchUpHours: 3,
      retry: { baseMs: 5, maxMs: 20 },
      limits: { telegram: { perChannelPerSecond: 50 }, discord: { perChannelPerSecond: 50 } },
      metrics,
    });
    await service.start();
    await service.idle();
    // The next tick comes at 07:00: 03:00 was missed by 4 hours (beyond 3), 07:00 is due now.
    now = day1;
    await service.tick(now);
    await service.idle();
    await service.stop();
    await digestStore.close();
    expect(tgOut.posts.map((p) => p.channelId)).toEqual(['-1001']);
    const text = await scrape();
    expect(metric(text, 'ringkas_digests_total', { platform: 'telegram', outcome: 'delivered' })).toBe(1);
    expect(metric(text, 'ringkas_digests_total', { platform: 'discord', outcome: 'failed' })).toBe(1);
    expect(metric(text, 'ringkas_digests_total', { platform: 'telegram', outcome: 'skipped' })).toBe(1);
  });

  it('a second registry starts from zero (one per process, never the global default)', async () => {
    const other = createMetrics();
    const text = await other.render();
    expect(metric(text, 'ringkas_commands_total')).toBeUndefined();
    expect(metric(await scrape(), 'ringkas_commands_total')).toBeGreaterThan(0);
  });
});
