/**
 * Discord sharding (SHARD_COUNT): discord.js's internal sharding against the loopback Discord, which
 * routes each guild's events to shard (guild_id >> 22) % shard count as Discord does. A bot with
 * SHARD_COUNT=2 (or auto, Discord recommending 2) opens two gateway connections, receives each
 * guild on its own shard, and answers interactions arriving on either.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadCommands } from '../../../commands/index.js';
import { createDiscordClient, shardOptions, startDiscord, type DiscordBot } from '../../../src/adapters/discord/index.js';
import { createMetrics } from '../../../src/adapters/metrics.js';
import { startFakeDiscord, shardOf, type FakeDiscord, type FakeMessage } from '../../helpers/fake-discord.js';
import { silentLogger, testServices } from '../../helpers/services.js';

const DISCORD_EPOCH = 1420070400000;

/** A guild id (snowflake) that Discord routes to `shard` of `count`. */
function guildOnShard(shard: number, count: number, salt: number): string {
  for (let ms = Date.now() - DISCORD_EPOCH - salt * 1000; ; ms--) {
    const id = String((BigInt(ms) << 22n) | BigInt(salt));
    if (shardOf(id, count) === shard) return id;
  }
}

const plain = (m: FakeMessage): string => [m.embeds[0]?.title, m.embeds[0]?.description].filter(Boolean).join('\n');

let discord: FakeDiscord | undefined;
let bot: DiscordBot | undefined;
afterEach(async () => {
  await bot?.stop();
  await discord?.close();
  bot = undefined;
  discord = undefined;
});

async function shardedBot(shardCount: number | 'auto'): Promise<{ discord: FakeDiscord; bot: DiscordBot; guilds: [string, string]; channelB: string }> {
  const guildA = guildOnShard(0, 2, 1);
  const guildB = guildOnShard(1, 2, 2);
  const channelB = String(BigInt(guildB) + 1n);
  discord = await startFakeDiscord({ guildId: guildA, extraGuilds: [{ id: guildB, channelId: channelB, name: 'kabar-kedua' }], recommendedShards: 2, maxConcurrency: 16 });
  bot = await startDiscord({
    config: { ...discord.config(), SHARD_COUNT: shardCount },
    services: testServices(),
    commands: loadCommands(),
    logger: silentLogger,
    metrics: createMetrics({ defaultMetrics: false }),
    readyTimeoutMs: 20_000,
  });
  return { discord, bot, guilds: [guildA, guildB], channelB };
}

async function expectTwoShardsAnswering(d: FakeDiscord, b: DiscordBot, [guildA, guildB]: [string, string], channelB: string): Promise<void> {
  // Two gateway connections, one IDENTIFY per shard: [0, 2] and [1, 2].
  const identifies = d.frames.filter((f) => f.direction === 'in' && f.op === 2).map((f) => (f.d as { shard?: unknown }).shard);
  expect(identifies.map((s) => JSON.stringify(s)).sort()).toEqual(['[0,2]', '[1,2]']);
  expect(b.client.ws.shards.size).toBe(2);
  expect(b.connection()).toEqual({ connected: true, shards: [{ id: 0, status: 'Ready' }, { id: 1, status: 'Ready' }].sort((x, y) => x.id - y.id) });
  // Each guild arrived on its own shard only (READY lists, GUILD_CREATE sent there), and both are cached.
  const created = d.frames.filter((f) => f.direction === 'out' && f.t === 'GUILD_CREATE').map((f) => [(f.d as { id: string }).id, f.shard?.[0]]);
  expect(created).toEqual(expect.arrayContaining([[guildA, 0], [guildB, 1]]));
  expect(created).toHaveLength(2);
  expect(b.client.guilds.cache.get(guildA)?.shardId).toBe(0);
  expect(b.client.guilds.cache.get(guildB)?.shardId).toBe(1);

  // An interaction in each guild travels over that guild's shard, and each is answered.
  const inA = await d.interact({ command: 'help', guildId: guildA });
  const inB = await d.interact({ command: 'help', guildId: guildB, channelId: channelB });
  const dm = await d.interact({ command: 'help', dm: true, user: { id: '300000000000000001' } });
  for (const h of [inA, inB, dm]) expect(plain(await h.final(15_000))).toContain('/berita');
  const routed = new Map(d.frames.filter((f) => f.direction === 'out' && f.t === 'INTERACTION_CREATE').map((f) => [(f.d as { id: string }).id, f.shard?.[0]]));
  expect(routed.get(inA.id)).toBe(0);
  expect(routed.get(inB.id)).toBe(1);
  expect(routed.get(dm.id)).toBe(0);
  expect(d.rejections).toEqual([]);
}

describe('Discord sharding (SHARD_COUNT)', () => {
  it('SHARD_COUNT=2: two gateway connections, each guild on its shard, interactions answered on both', async () => {
    const s = await shardedBot(2);
    await expectTwoShardsAnswering(s.discord, s.bot, s.guilds, s.channelB);
  });

  it('SHARD_COUNT=auto: as many shards as GET /gateway/bot recommends (2 here)', async () => {
    const s = await shardedBot('auto');
    expect(s.discord.requests.some((r) => r.path === '/gateway/bot')).toBe(true);
    expect(s.bot.client.options.shardCount).toBe(2);
    await expectTwoShardsAnswering(s.discord, s.bot, s.guilds, s.channelB);
  });

  it('unset: one connection; SHARDS from a ShardingManager wins over SHARD_COUNT', async () => {
    expect(shardOptions(undefined)).toEqual({});
    expect(shardOptions(3, {})).toEqual({ shards: [0, 1, 2], shardCount: 3 });
    expect(shardOptions(3, { SHARDS: '[1]', SHARD_COUNT: '3' })).toEqual({});
    expect(shardOptions('auto', {})).toMatchObject({ shards: 'auto' });
    discord = await startFakeDiscord();
    bot = await startDiscord({ config: discord.config(), services: testServices(), commands: loadCommands(), logger: silentLogger });
    expect(discord.frames.filter((f) => f.direction === 'in' && f.op === 2)).toHaveLength(1);
    expect(bot.connection()).toEqual({ connected: true, shards: [{ id: 0, status: 'Ready' }] });
  });

  it('SHARD_COUNT=auto in the environment does not confuse discord.js (it reads SHARD_COUNT itself)', () => {
    const before = process.env['SHARD_COUNT'];
    process.env['SHARD_COUNT'] = 'auto';
    try {
      const client = createDiscordClient({ DISCORD_API_URL: undefined, SHARD_COUNT: 'auto' });
      expect(client.options.shards).toBe('auto');
      void client.destroy();
    } finally {
      if (before === undefined) delete process.env['SHARD_COUNT'];
      else process.env['SHARD_COUNT'] = before;
    }
  });
});
