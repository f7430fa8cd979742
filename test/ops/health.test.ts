/**
 * /healthz over HTTP, from real parts: a SQLite store, the Discord adapter on the loopback Discord,
 * the Telegram adapter long-polling the loopback Bot API. It says ok (200) while everything holds,
 * and 503 with the failing check named when the feed poll is overdue, Discord's gateway drops,
 * Telegram's polling fails, or the store is closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { startDiscord, type DiscordBot } from '../../src/adapters/discord/index.js';
import { createMetrics } from '../../src/adapters/metrics.js';
import { createHealth, type HealthReport } from '../../src/adapters/ops/health.js';
import { startOpsServer, type OpsServer } from '../../src/adapters/ops/server.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { startTelegram, type RunningTelegram } from '../../src/adapters/telegram/index.js';
import { FAST_TUNING } from '../adapters/telegram/harness.js';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { silentLogger, testServices } from '../helpers/services.js';

const MIN = 60_000;
let dir: string;
let store: Store;
let tg: FakeTelegram;
let telegram: RunningTelegram;
let discord: FakeDiscord;
let discordBot: DiscordBot;
let ops: OpsServer;
const now = Date.now();
let lastPoll: number | undefined;
let stopping = false;

async function healthz(): Promise<{ status: number; body: HealthReport }> {
  const res = await fetch(`${ops.url}/healthz`);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return { status: res.status, body: (await res.json()) as HealthReport };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringkas-health-'));
  store = await openStore(`sqlite://${join(dir, 'ringkas.sqlite')}`, silentLogger);
  tg = await startFakeTelegram();
  telegram = await startTelegram({
    config: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot },
    services: testServices(),
    commands: loadCommands(),
    logger: silentLogger,
    tuning: FAST_TUNING,
    pollTimeoutSeconds: 1,
    shutdownGraceMs: 1000,
  });
  discord = await startFakeDiscord();
  discordBot = await startDiscord({ config: discord.config(), services: testServices(), commands: loadCommands(), logger: silentLogger });
  const health = createHealth({
    store,
    platforms: [
      { name: 'telegram', state: () => telegram.connection() },
      { name: 'discord', state: () => discordBot.connection() },
    ],
    lastFeedPollAt: () => lastPoll,
    feedPollMinutes: 15,
    stopping: () => stopping,
    startedAt: now - 10 * MIN,
    now: () => now,
  });
  ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: createMetrics({ defaultMetrics: false }), health, logger: silentLogger });
});

afterAll(async () => {
  await ops?.close();
  await telegram?.stop();
  await discordBot?.stop();
  await tg?.close();
  await discord?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /healthz', () => {
  it('200 and status ok: the store answers, both platforms connected, feeds polled recently', async () => {
    lastPoll = now - 2 * MIN;
    const { status, body } = await healthz();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.uptimeSeconds).toBe(600);
    expect(body.checks.store).toMatchObject({ ok: true, kind: 'sqlite' });
    expect(body.checks.store?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.checks.platforms['discord']).toEqual({ ok: true, connected: true, shards: [{ id: 0, status: 'Ready' }] });
    expect(body.checks.platforms['telegram']).toMatchObject({ ok: true, connected: true, mode: 'polling' });
    expect(body.checks.feeds).toEqual({ ok: true, lastPollAt: new Date(lastPoll).toISOString(), ageSeconds: 120, maxAgeSeconds: 2700 });
    expect(body.checks.shutdown).toBeUndefined();
  });

  it('before the first feed poll the age counts from the start; past 3 × FEED_POLL_MINUTES it is 503 degraded', async () => {
    lastPoll = undefined;
    let r = await healthz();
    expect(r.status).toBe(200);
    expect(r.body.checks.feeds).toMatchObject({ ok: true, lastPollAt: null, ageSeconds: 600 });
    lastPoll = now - 46 * MIN;
    r = await healthz();
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('degraded');
    expect(r.body.checks.feeds).toMatchObject({ ok: false, ageSeconds: 46 * 60, maxAgeSeconds: 45 * 60 });
    lastPoll = now - MIN;
    expect((await healthz()).status).toBe(200);
  });

  it('shutting down: 503 down, so that a load balancer stops sending', async () => {
    stopping = true;
    const r = await healthz();
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ status: 'down', checks: { shutdown: { ok: false, stopping: true } } });
    stopping = false;
    expect((await healthz()).status).toBe(200);
  });

  it('/metrics and the rest of the endpoint', async () => {
    const metrics = await fetch(`${ops.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# TYPE ringkas_commands_total counter');
    expect((await fetch(`${ops.url}/nope`)).status).toBe(404);
    expect((await fetch(`${ops.url}/healthz`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${ops.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it("Discord's gateway lost: 503 degraded, discord not connected, telegram still is", async () => {
    await discord.close();
    await vi.waitFor(async () => expect((await healthz()).body.checks.platforms['discord']?.connected).toBe(false), { timeout: 10_000, interval: 50 });
    const r = await healthz();
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('degraded');
    expect(r.body.checks.platforms['discord']?.ok).toBe(false);
    expect((r.body.checks.platforms['discord']?.['shards'] as { status: string }[])[0]?.status).not.toBe('Ready');
    expect(r.body.checks.platforms['telegram']).toMatchObject({ ok: true, connected: true });
  });

  it('Telegram polling failing as well: 503 down, no platform connected, the last error shown without the token', async () => {
    await tg.close();
    await vi.waitFor(async () => expect((await healthz()).body.checks.platforms['telegram']?.connected).toBe(false), { timeout: 10_000, interval: 50 });
    const r = await healthz();
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('down');
    expect(r.body.checks.platforms['telegram']).toMatchObject({ ok: false, connected: false, mode: 'polling' });
    expect(typeof r.body.checks.platforms['telegram']?.['lastError']).toBe('string');
    expect(JSON.stringify(r.body)).not.toContain(tg.token);
  });

  it('the store closed: 503 down, store check failed with the reason', async () => {
    await store.close();
    const r = await healthz();
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('down');
    expect(r.body.checks.store).toMatchObject({ ok: false, kind: 'sqlite' });
    expect(r.body.checks.store?.error).toMatch(/closed/);
  });
});
