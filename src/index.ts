/**
 * The bot's composition root: config -> logger -> store -> services -> adapters; SIGINT/SIGTERM.
 * With no platform token set it opens the local console chat over the same commands.
 */
import { parseArgs } from 'node:util';
import { loadCommands } from '../commands/index.js';
import { runConsole } from './adapters/console/index.js';
import { startDiscord } from './adapters/discord/index.js';
import { startTelegram } from './adapters/telegram/index.js';
import { createBotServices } from './app.js';
import { loadConfig, platformsOf } from './config.js';
import { toLocale } from './core/messages.js';
import type { Deliverer } from './services/delivery.js';
import { createDigestService, type DigestService } from './services/digests.js';
import { corpusStorySource } from './services/story-source.js';
import type { Services } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createLogger } from './logger.js';

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
  const logger = createLogger({ level: config.LOG_LEVEL });
  const platforms = platformsOf(config);
  const useConsole = opts.forceConsole === true || (!platforms.discord && !platforms.telegram);
  const services = await createBotServices(config, logger);
  const commands = loadCommands();

  if (useConsole) {
    // The console previews digests; it posts none (no platform to post to).
    const previewer = digestService(config, services, [], logger, { schedule: false });
    if (previewer !== undefined) services.digest = previewer;
    logger.info({ store: services.store?.kind }, 'ringkas console ready');
    const shutdown = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      void services.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    try {
      await runConsole({ commands, services, logger, input: opts.stdin, output: opts.stdout, locale: toLocale(values.lang ?? 'id'), timeZone: config.DIGEST_TIMEZONE });
    } finally {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      await services.close();
    }
    return 0;
  }

  const deliverers: Deliverer[] = [];

  const running: { name: string; stop(): Promise<void>; done: Promise<void> }[] = [];
  try {
    if (platforms.telegram) {
      const telegram = await startTelegram({ config, services, commands, logger });
      deliverers.push(telegram.deliverer);
      running.push({ name: 'telegram', stop: () => telegram.stop(), done: telegram.done });
    }
    if (platforms.discord) {
      const discord = await startDiscord({ config, services, commands, logger });
      deliverers.push(discord.deliverer);
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
    await services.close();
    return 1;
  }
  // Daily digests: one minute tick finds the subscriptions due and posts through the platforms.
  const digests = digestService(config, services, deliverers, logger);
  if (digests !== undefined) {
    services.digest = digests;
    await digests.start();
  }
  logger.info({ platforms: running.map((r) => r.name), store: services.store?.kind }, 'ringkas running');

  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    stopping ??= (async () => {
      await digests?.stop();
      await Promise.allSettled(running.map((r) => r.stop()));
      await services.close();
    })();
    return stopping;
  };
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    void stopAll().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
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

function digestService(config: Config, services: Services, deliverers: Deliverer[], logger: Logger, opts: { schedule?: boolean } = {}): DigestService | undefined {
  if (services.store === undefined || services.corpus === undefined) return undefined;
  const reader = services.reader;
  return createDigestService({
    store: services.store,
    ...(services.subscriptions !== undefined ? { subscriptions: services.subscriptions } : {}),
    stories: corpusStorySource(services.corpus),
    deliverers,
    logger,
    catchUpHours: config.DIGEST_CATCHUP_HOURS,
    readSummary: async (url) => (await reader.readUrl(url)).summary,
    ...(opts.schedule !== undefined ? { schedule: opts.schedule } : {}),
  });
}
