/**
 * The container setup without a container engine: the Dockerfile's HEALTHCHECK command run as is
 * against a live /healthz, the Dockerfile and compose.yaml checked for what they promise, and
 * compose.yaml's Discord topology — two processes, SHARD_COUNT=2, SHARDS=[0] and [1] — run as
 * plain processes of the compiled bot against the loopback Discord.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createHealth } from '../../src/adapters/ops/health.js';
import { startOpsServer, type OpsServer } from '../../src/adapters/ops/server.js';
import { startFakeDiscord, shardOf, type FakeDiscord } from '../helpers/fake-discord.js';
import { silentLogger } from '../helpers/services.js';
import { metric } from './prom.js';
import { built, root, startBot, type BotProcess } from './ops-bot.js';

const run = promisify(execFile);
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const compose = readFileSync(join(root, 'compose.yaml'), 'utf8');

/** The JSON-array CMD of the Dockerfile's HEALTHCHECK. */
function healthcheckCommand(): string[] {
  const m = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile);
  if (m === null) throw new Error('no HEALTHCHECK ... CMD [...] in the Dockerfile');
  return JSON.parse(m[1] as string) as string[];
}

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

describe('Dockerfile and compose.yaml', () => {
  it("the HEALTHCHECK command exits 0 on a healthy /healthz, 1 on 503 and when nothing listens", async () => {
    let healthy = true;
    const ops: OpsServer = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      health: createHealth({ platforms: [{ name: 'telegram', state: () => ({ connected: healthy }) }] }),
      logger: silentLogger,
    });
    cleanup.push(() => ops.close());
    const [cmd, ...args] = healthcheckCommand();
    expect(cmd).toBe('node');
    const check = async (port: number): Promise<number> => {
      try {
        await run(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', HTTP_PORT: String(port) }, timeout: 10_000 });
        return 0;
      } catch (err) {
        return (err as { code?: number }).code ?? -1;
      }
    };
    expect(await check(ops.port)).toBe(0);
    healthy = false;
    expect(await check(ops.port)).toBe(1);
    await ops.close();
    expect(await check(ops.port)).toBe(1);
  });

  it('multi-stage, unprivileged, node as the process, HTTP_PORT set for the health check, /app/data a volume', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm ci && npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/app\/data"\]$/m);
    expect(dockerfile).toMatch(/^ENV .*\bHTTP_PORT=8081\b/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/ringkas\.js"\]$/m);
    expect(dockerfile).not.toMatch(/^(ENTRYPOINT|CMD) .*npm/m);
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['node_modules', 'dist', 'data', '.git', '.env']) expect(ignore).toContain(p);
  });

  it('the ops endpoint and the Telegram webhook never share a port', () => {
    const webhook = { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_URL: 'https://bot.example.id/telegram' };
    expect(() => loadConfig({ ...webhook, HTTP_PORT: '8080' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...webhook, HTTP_PORT: '8080' })).toThrow(/HTTP_PORT: must differ from TELEGRAM_WEBHOOK_PORT \(8080\)/);
    expect(loadConfig({ ...webhook, HTTP_PORT: '8081' })).toMatchObject({ HTTP_PORT: 8081, TELEGRAM_WEBHOOK_PORT: 8080, HTTP_HOST: '0.0.0.0', SHUTDOWN_GRACE_MS: 10_000 });
    expect(loadConfig({ ...webhook, HTTP_PORT: '0' }).HTTP_PORT).toBe(0);
    // Long polling serves no webhook: any port will do.
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:x', HTTP_PORT: '8080' }).HTTP_PORT).toBe(8080);
    expect(loadConfig({ SHARD_COUNT: 'AUTO' }).SHARD_COUNT).toBe('auto');
  });

  it('compose.yaml: Redis and two instances on it, distinct shards, health checks, a grace period past SHUTDOWN_GRACE_MS', () => {
    expect(compose).toMatch(/^ {2}redis:\n {4}image: redis:/m);
    expect(compose).toMatch(/^ {2}ringkas-1:\n/m);
    expect(compose).toMatch(/^ {2}ringkas-2:\n/m);
    expect(compose).toContain('STORE_URL: redis://redis:6379');
    expect(compose.match(/SHARDS: "\[(\d)\]"/g)).toEqual(['SHARDS: "[0]"', 'SHARDS: "[1]"']);
    expect(compose).toContain('SHARD_COUNT: "2"');
    expect(compose).toMatch(/healthcheck:\n\s+test: \["CMD", "node", "-e"/);
    expect(compose).toMatch(/healthcheck:\n\s+test: \["CMD", "redis-cli", "ping"\]/);
    expect(compose).toContain('restart: unless-stopped');
    const grace = Number(/stop_grace_period: (\d+)s/.exec(compose)?.[1]);
    const shutdownMs = Number(/SHUTDOWN_GRACE_MS: "(\d+)"/.exec(compose)?.[1]);
    expect(grace * 1000).toBeGreaterThan(shutdownMs + 5000);
    // Telegram: webhook mode behind the balancer (never two long-pollers), on a port of its own.
    expect(compose).toContain('TELEGRAM_WEBHOOK_PORT: "8080"');
    expect(compose).toContain('HTTP_PORT: "8081"');
    expect(compose).toContain('server ringkas-1:8080');
    expect(compose).toContain('server ringkas-2:8080');
    // nginx variables escaped from compose's interpolation.
    expect(compose).not.toMatch(/(?<!\$)\$[a-z_]+;/);
  });
});

describe.skipIf(!built)("compose.yaml's Discord topology as plain processes", () => {
  it('two processes with SHARD_COUNT=2 and SHARDS=[0] / [1]: each runs its shard, each guild is answered once, by its own', async () => {
    const DISCORD_EPOCH = 1420070400000;
    const guild = (shard: number, salt: number): string => {
      for (let ms = Date.now() - DISCORD_EPOCH - salt * 1000; ; ms--) {
        const id = String((BigInt(ms) << 22n) | BigInt(salt));
        if (shardOf(id, 2) === shard) return id;
      }
    };
    const guildA = guild(0, 3);
    const guildB = guild(1, 4);
    const channelB = String(BigInt(guildB) + 1n);
    const discord: FakeDiscord = await startFakeDiscord({ guildId: guildA, extraGuilds: [{ id: guildB, channelId: channelB }], maxConcurrency: 16 });
    cleanup.push(() => discord.close());
    const env = (shards: string): Record<string, string> => ({
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      STORE_URL: 'memory://',
      FEEDS: 'http://127.0.0.1:9/none.xml',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      SHARD_COUNT: '2',
      SHARDS: shards,
      LOG_LEVEL: 'info',
    });
    const bots: BotProcess[] = [startBot(env('[0]')), startBot(env('[1]'))];
    for (const b of bots) cleanup.push(async () => b.child.exitCode === null && b.child.kill('SIGKILL'));
    const urls: string[] = [];
    for (const b of bots) {
      urls.push(String((await b.waitForLog('ops endpoint listening: /healthz, /metrics'))['url']));
      await b.waitForLog('ringkas running', 30_000);
    }
    const identified = discord.frames.filter((f) => f.direction === 'in' && f.op === 2).map((f) => JSON.stringify((f.d as { shard?: unknown }).shard));
    expect(identified.sort()).toEqual(['[0,2]', '[1,2]']);
    for (const url of urls) {
      const h = (await (await fetch(`${url}/healthz`)).json()) as { checks: { platforms: Record<string, { connected: boolean; shards: { id: number }[] }> } };
      expect(h.checks.platforms['discord']?.connected).toBe(true);
      expect(h.checks.platforms['discord']?.shards).toHaveLength(1);
    }

    const inA = await discord.interact({ command: 'help', guildId: guildA });
    const inB = await discord.interact({ command: 'help', guildId: guildB, channelId: channelB });
    for (const h of [inA, inB]) expect((await h.final(15_000)).embeds[0]?.description).toContain('/berita');
    // Each process answered the interaction of its own shard: one command each, none twice.
    const served = async (url: string): Promise<number | undefined> => metric(await (await fetch(`${url}/metrics`)).text(), 'ringkas_commands_total', { platform: 'discord', command: 'help' });
    await expect.poll(() => served(urls[0] as string), { timeout: 5000 }).toBe(1);
    await expect.poll(() => served(urls[1] as string), { timeout: 5000 }).toBe(1);
    expect(discord.requests.filter((r) => r.path.endsWith('/callback') && r.status !== 204 && r.status !== 200)).toEqual([]);

    for (const b of bots) b.child.kill('SIGTERM');
    expect(await Promise.all(bots.map((b) => b.exited))).toEqual([0, 0]);
  }, 90_000);
});
