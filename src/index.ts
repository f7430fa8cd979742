/**
 * The bot's composition root: config -> logger -> store -> services -> adapters; SIGINT/SIGTERM.
 * With no platform token set it opens the local console chat over the same commands.
 */
import { parseArgs } from 'node:util';
import { loadCommands } from '../commands/index.js';
import { runConsole } from './adapters/console/index.js';
import { startDiscord } from './adapters/discord/index.js';
import { createMetrics, type Metrics } from './adapters/metrics.js';
import { createHealth } from './adapters/ops/health.js';
import { InFlight } from './adapters/ops/inflight.js';
import { startOpsServer, type OpsServer } from './adapters/ops/server.js';
import { defaultWebhookSecret, startTelegram } from './adapters/telegram/index.js';
import { createBotServices } from './app.js';
import { loadConfig, platformsOf } from './config.js';
import { toLocale } from './core/messages.js';
import type { Deliverer } from './services/delivery.js';
import { createDigestService, type DigestService } from './services/digests.js';
import { corpusStorySource } from './services/story-source.js';
import type { Services } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createLogger, secretValues } from './logger.js';

export interface RunBotOptions {
  argv: string[];
  env: Record<string, string | undefined>;
  forceConsole?: boolean;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

export async function runBot(opts: RunBotOptions): Promise<number> {
  const { values } = parseArgs({ args: opts.argv, options: { lang: { type: 'string' } }, allowPositionals: false });
  const config = loadConfig(opts.env);
  // Every secret of the configuration (the derived webhook secret too) is scrubbed from every log line.
  const secrets = secretValues(config);
  if (config.TELEGRAM_BOT_TOKEN !== undefined && config.TELEGRAM_WEBHOOK_SECRET === undefined) secrets.push(defaultWebhookSecret(config.TELEGRAM_BOT_TOKEN));
  const logger = createLogger({ level: config.LOG_LEVEL, secrets, env: opts.env });
  const platforms = platformsOf(config);
  const useConsole = opts.forceConsole === true || (!platforms.discord && !platforms.telegram);
  const metrics = createMetrics();
  // Command handlers in flight, shared by the adapters: a shutdown waits for them (SHUTDOWN_GRACE_MS).
  const inFlight = new InFlight();
  const graceMs = config.SHUTDOWN_GRACE_MS;
  const services = await createBotServices(config, logger, { metrics });
  const commands = loadCommands();

  if (useConsole) {
    // The console previews digests; it posts none (no platform to post to).
    const previewer = digestService(config, services, [], logger, { schedule: false });
    if (previewer !== undefined) services.digest = previewer;
    logger.info({ store: services.store?.kind }, 'ringkas console ready');
    let consoleStopping = false;
    const shutdown = (signal: string): void => {
      if (consoleStopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      consoleStopping = true;
      logger.info({ signal, inFlight: inFlight.size }, 'shutting down');
      inFlight.close();
      void inFlight
        .drain(graceMs)
        .then(() => services.close())
        .finally(() => process.exit(0));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    try {
      await runConsole({ commands, services, logger, input: opts.stdin, output: opts.stdout, locale: toLocale(values.lang ?? 'id'), timeZone: config.DIGEST_TIMEZONE, metrics, inFlight });
    } finally {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      await services.close();
    }
    return 0;
  }

  const deliverers: Deliverer[] = [];

  const running: { name: string; stop(): Promise<void>; done: Promise<void> }[] = [];
  // /healthz and /metrics (HTTP_PORT): up before the platforms connect, so that a start can be watched.
  const probes = new Map<string, () => { connected: boolean; [detail: string]: unknown }>();
  let stopping: Promise<void> | undefined;
  let ops: OpsServer | undefined;
  if (config.HTTP_PORT !== undefined) {
    const configured = (['telegram', 'discord'] as const).filter((p) => platforms[p]);
    const health = createHealth({
      store: services.store,
      platforms: configured.map((name) => ({ name, state: () => probes.get(name)?.() ?? { connected: false, starting: true } })),
      lastFeedPollAt: () => latest(services.corpus?.status.lastPollAt, metrics.lastFeedPollAt()),
      feedPollMinutes: config.FEED_POLL_MINUTES,
      stopping: () => stopping !== undefined,
    });
    try {
      ops = await startOpsServer({ host: config.HTTP_HOST, port: config.HTTP_PORT, metrics, health, logger });
    } catch (err) {
      logger.fatal({ err, host: config.HTTP_HOST, port: config.HTTP_PORT }, 'the HTTP endpoint (HTTP_PORT) could not listen');
      await services.close();
      return 1;
    }
    logger.info({ url: ops.url, host: ops.host, port: ops.port }, 'ops endpoint listening: /healthz, /metrics');
  }
  let digests: DigestService | undefined = undefined;
  let started = false;
  let pendingSignal: string | undefined;
  /**
   * Graceful stop: no new work (polling stops, the webhook answers 503, Discord interactions get a
   * short "restarting"), replies in flight finish within SHUTDOWN_GRACE_MS, the digest cron stops
   * (deliveries under way finish or are handed over), the feed poller and the store close. A
   * watchdog exits 1 if all that hangs far past the grace period.
   */
  const stopAll = (): Promise<void> => {
    stopping ??= (async () => {
      inFlight.close();
      const watchdog = setTimeout(() => {
        logger.error({ graceMs, inFlight: inFlight.size }, 'shutdown did not finish in time; exiting');
        process.exit(1);
      }, graceMs + 30_000);
      watchdog.unref();
      const digestsStopped = digests?.stop();
      await Promise.allSettled(running.map((r) => r.stop()));
      if (!(await inFlight.drain(graceMs))) logger.warn({ inFlight: inFlight.size, graceMs }, 'replies still running after the grace period: abandoned');
      await digestsStopped;
      await ops?.close();
      await services.close();
      logger.info('ringkas stopped');
    })();
    return stopping;
  };
  const shutdown = (signal: string): void => {
    if (stopping !== undefined || (!started && pendingSignal !== undefined)) {
      // The operator insists: no more waiting.
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    if (!started) {
      // Mid-start (a platform connecting): stop as soon as everything started is known.
      pendingSignal = signal;
      logger.info({ signal }, 'signal during start: stopping once started');
      return;
    }
    logger.info({ signal, inFlight: inFlight.size, graceMs }, 'shutting down: taking no new work, letting replies in flight finish');
    void stopAll().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  const common = { config, services, commands, logger, metrics, inFlight, shutdownGraceMs: graceMs };
  try {
    if (platforms.telegram) {
      const telegram = await startTelegram(common);
      deliverers.push(telegram.deliverer);
      probes.set('telegram', () => telegram.connection());
      running.push({ name: 'telegram', stop: () => telegram.stop(), done: telegram.done });
    }
    if (platforms.discord) {
      const discord = await startDiscord(common);
      deliverers.push(discord.deliverer);
      probes.set('discord', () => discord.connection());
      // The gateway client reconnects by itself; it runs until stop().
      let stopped!: () => void;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      running.push({
        name: 'discord',
        stop: async () => {
          await discord.stop();
          stopped();
        },
        done,
      });
    }
  } catch (err) {
    logger.fatal({ err }, 'a platform could not start');
    await Promise.allSettled(running.map((r) => r.stop()));
    await ops?.close();
    await services.close();
    return 1;
  }
  // Daily digests: one minute tick finds the subscriptions due and posts through the platforms.
  digests = digestService(config, services, deliverers, logger, { metrics, stopTimeoutMs: graceMs });
  if (digests !== undefined) {
    services.digest = digests;
    await digests.start();
  }
  logger.info({ platforms: running.map((r) => r.name), store: services.store?.kind }, 'ringkas running');
  started = true;
  if (pendingSignal !== undefined) shutdown(pendingSignal);

  try {
    // Runs until a signal stops the platforms, or one of them fails for good.
    await Promise.all(running.map((r) => r.done));
    await stopAll();
    return 0;
  } catch (err) {
    logger.fatal({ err }, 'a platform stopped for good');
    await stopAll();
    return 1;
  }
}

/** The later of two instants, either of which may be missing. */
function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function digestService(
  config: Config,
  services: Services,
  deliverers: Deliverer[],
  logger: Logger,
  opts: { schedule?: boolean; metrics?: Metrics; stopTimeoutMs?: number } = {},
): DigestService | undefined {
  if (services.store === undefined || services.corpus === undefined) return undefined;
  const reader = services.reader;
  return createDigestService({
    store: services.store,
    ...(services.subscriptions !== undefined ? { subscriptions: services.subscriptions } : {}),
    stories: corpusStorySource(services.corpus),
    deliverers,
    logger,
    catchUpHours: config.DIGEST_CATCHUP_HOURS,
    // Digest items take a grounded abstractive summary where one is configured (same budget, after replies).
    readSummary: async (url) => {
      const reading = await reader.readUrl(url);
      return services.abstractive !== undefined ? (await services.abstractive.summarize(reading, { purpose: 'digest' })).reading.summary : reading.summary;
    },
    ...(opts.schedule !== undefined ? { schedule: opts.schedule } : {}),
    ...(opts.metrics !== undefined ? { metrics: opts.metrics } : {}),
    ...(opts.stopTimeoutMs !== undefined ? { stopTimeoutMs: opts.stopTimeoutMs } : {}),
  });
}
