/**
 * The Discord adapter: a discord.js client on the gateway (the gateway URL comes from
 * `GET /gateway/bot` on DISCORD_API_URL, so a REST proxy or a test fake can stand there), the
 * slash commands registered at start (globally, or in DISCORD_GUILD_ID), interactions handled by
 * interactions.ts, and a Deliverer posting digests through REST.
 *
 * ```ts
 * const discord = await startDiscord({ config, services, commands: loadCommands(), logger });
 * await scheduler.use(discord.deliverer);
 * // on shutdown
 * await discord.stop();
 * ```
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Options, REST, RESTEvents, Status } from 'discord.js';
import type { Command, CommandServices } from '../../../commands/index.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../metrics.js';
import type { InFlight } from '../ops/inflight.js';
import { createDeliveryRest, DiscordDeliverer } from './deliverer.js';
import { createInteractionHandler, type InteractionHandler, type InteractionHandlerOptions } from './interactions.js';
import { registerCommands } from './register.js';

export { DiscordDeliverer, createDeliveryRest, toDeliveryError } from './deliverer.js';
export { createInteractionHandler, toCommandInput } from './interactions.js';
export { registerCommands, toApplicationCommand, toApplicationCommands } from './register.js';
export { renderReply, embedLength, EMBED_LIMITS, COMPONENT_LIMITS } from './render.js';
export { deployCommands } from './deploy.js';

/** REST clients that edit replies in parallel. */
const EDIT_CLIENTS = 8;

export type DiscordConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_GUILD_ID' | 'DISCORD_API_URL'> & Partial<Pick<Config, 'DIGEST_TIMEZONE' | 'SHARD_COUNT'>>;

export interface StartDiscordOptions {
  config: DiscordConfig;
  services: CommandServices;
  commands: Map<string, Command>;
  logger: Logger;
  /** Register the slash commands at start (default true). */
  register?: boolean;
  /** How long to wait for the gateway to be ready, in ms (default 30000). */
  readyTimeoutMs?: number;
  /** Rate limits, concurrency, timeouts of interaction handling (see InteractionHandlerOptions). */
  interactions?: Partial<Pick<InteractionHandlerOptions, 'rateLimits' | 'rateLimitedCommands' | 'concurrency' | 'commandTimeoutMs' | 'memory'>>;
  /** Commands served and REST rate-limit waits (ringkas_* metrics). */
  metrics?: Metrics | undefined;
  /** Interactions being handled, shared with the other adapters (graceful shutdown). */
  inFlight?: InFlight | undefined;
  /** How long stop() waits for interactions being answered, in ms (default 10000: SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
}

export interface DiscordBot {
  client: Client;
  deliverer: DiscordDeliverer;
  handler: InteractionHandler;
  /** For /healthz: connected when every shard's gateway connection is ready. */
  connection(): { connected: boolean; shards: { id: number; status: string }[] };
  /** Waits (up to shutdownGraceMs) for interactions being answered, then closes the gateway. Safe to call twice. */
  stop(): Promise<void>;
}

/** The REST base without a trailing slash, or undefined for discord.com. */
export function apiBase(config: Pick<Config, 'DISCORD_API_URL'>): string | undefined {
  return config.DISCORD_API_URL !== undefined ? config.DISCORD_API_URL.replace(/\/+$/, '') : undefined;
}

/**
 * discord.js sharding options for SHARD_COUNT, internal sharding (every shard in this process):
 * unset -> none (one shard); n -> shards 0..n-1 of n; auto -> as many as Discord recommends
 * (GET /gateway/bot). Under discord.js's ShardingManager (which sets SHARDS and SHARD_COUNT in each
 * child's environment), the manager decides: nothing is set here.
 */
export function shardOptions(shardCount: Config['SHARD_COUNT'], env: Record<string, string | undefined> = process.env): { shards?: number[] | 'auto'; shardCount?: number } {
  if (shardCount === undefined || env['SHARDS'] !== undefined) return {};
  // discord.js reads SHARD_COUNT from the environment when shardCount is left at its default (1);
  // "auto" there would be NaN, so auto carries a placeholder count it replaces at login.
  if (shardCount === 'auto') return { shards: 'auto', shardCount: 2 };
  return { shards: Array.from({ length: shardCount }, (_, i) => i), shardCount };
}

/** A discord.js client for Ringkas: the Guilds intent only, small caches, mentions never parsed. */
export function createDiscordClient(config: Pick<Config, 'DISCORD_API_URL'> & Partial<Pick<Config, 'SHARD_COUNT'>>): Client {
  const api = apiBase(config);
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    ...shardOptions(config.SHARD_COUNT),
    ...(api !== undefined ? { rest: { api } } : {}),
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (m) => m.id === m.client.user.id },
      UserManager: 1000,
      ReactionManager: 0,
      PresenceManager: 0,
      VoiceStateManager: 0,
      GuildStickerManager: 0,
      GuildEmojiManager: 0,
    }),
  });
}

export async function startDiscord(opts: StartDiscordOptions): Promise<DiscordBot> {
  const { config, logger } = opts;
  const log = logger.child({ component: 'discord' });
  const token = config.DISCORD_TOKEN;
  if (token === undefined) throw new Error('DISCORD_TOKEN is not set');

  const client = createDiscordClient(config);
  const api = apiBase(config);
  // Reply edits spread over a few REST clients (see InteractionHandlerOptions.editClients).
  const editClients = Array.from({ length: EDIT_CLIENTS }, () => new REST({ ...(api !== undefined ? { api } : {}) }));
  const handler = createInteractionHandler({
    commands: opts.commands,
    services: opts.services,
    logger,
    editClients,
    ...(config.DIGEST_TIMEZONE !== undefined ? { timeZone: config.DIGEST_TIMEZONE } : {}),
    ...(opts.metrics !== undefined ? { metrics: opts.metrics } : {}),
    ...(opts.inFlight !== undefined ? { inFlight: opts.inFlight } : {}),
    ...opts.interactions,
  });
  client.on(Events.InteractionCreate, (interaction) => void handler.handle(interaction));
  const metrics = opts.metrics;
  const countWait = (info: { timeToReset: number; retryAfter: number }): void => metrics?.rateLimitWait('discord', Math.max(info.timeToReset, info.retryAfter, 0) / 1000);
  if (metrics !== undefined) for (const rest of [client.rest, ...editClients]) rest.on(RESTEvents.RateLimited, countWait);
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.ShardError, (err, shardId) => log.warn({ err, shardId }, 'discord gateway error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord warning'));
  client.on(Events.ShardReconnecting, (shardId) => log.info({ shardId }, 'discord gateway reconnecting'));

  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(readyTimeoutMs) });
  ready.catch(() => undefined);
  try {
    await client.login(token);
    await ready;
  } catch (err) {
    await client.destroy().catch(() => undefined);
    for (const rest of editClients) {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
    throw err instanceof Error && err.name === 'AbortError' ? new Error(`the Discord gateway was not ready within ${readyTimeoutMs} ms`, { cause: err }) : err;
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord ready');

  if (opts.register !== false) {
    const applicationId = config.DISCORD_APPLICATION_ID ?? client.application?.id;
    if (applicationId === undefined) {
      log.error('no application id: set DISCORD_APPLICATION_ID to register the slash commands');
    } else {
      try {
        const done = await registerCommands(client.rest, { applicationId, guildId: config.DISCORD_GUILD_ID }, opts.commands.values());
        log.info({ count: done.length, scope: config.DISCORD_GUILD_ID !== undefined ? `guild ${config.DISCORD_GUILD_ID}` : 'global' }, 'slash commands registered');
      } catch (err) {
        // The commands registered before keep working; the bot stays up.
        log.error({ err }, 'slash command registration failed');
      }
    }
  }

  const deliveryRest: REST = createDeliveryRest({ token, api: apiBase(config), ...(metrics !== undefined ? { onRateLimit: countWait } : {}) });
  const deliverer = new DiscordDeliverer({ rest: deliveryRest, logger });
  let stopped: Promise<void> | undefined;
  return {
    client,
    deliverer,
    handler,
    connection() {
      const shards = [...client.ws.shards.values()].map((s) => ({ id: s.id, status: Status[s.status] ?? String(s.status) }));
      return { connected: stopped === undefined && shards.length > 0 && [...client.ws.shards.values()].every((s) => s.status === Status.Ready), shards };
    },
    stop() {
      stopped ??= (async () => {
        const graceMs = opts.shutdownGraceMs ?? 10_000;
        await Promise.race([handler.idle(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
        handler.close();
        await client.destroy();
        for (const rest of [deliveryRest, ...editClients]) {
          rest.clearHashSweeper();
          rest.clearHandlerSweeper();
        }
        log.info('discord stopped');
      })();
      return stopped;
    },
  };
}
