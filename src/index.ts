/**
 * The bot's composition root: config -> logger -> store -> services -> adapters; SIGINT/SIGTERM.
 * With no platform token set it opens the local console chat over the same commands.
 */
import { parseArgs } from 'node:util';
import { loadCommands } from '../commands/index.js';
import { runConsole } from './adapters/console/index.js';
import { createBotServices } from './app.js';
import { loadConfig, platformsOf } from './config.js';
import { toLocale } from './core/messages.js';
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
  if (!useConsole) {
    const which = [platforms.discord ? 'DISCORD_TOKEN' : undefined, platforms.telegram ? 'TELEGRAM_BOT_TOKEN' : undefined].filter(Boolean).join(' and ');
    logger.fatal({ platforms }, `${which} is set, but this build has no Discord or Telegram adapter yet; unset it to use the console`);
    return 1;
  }
  const services = await createBotServices(config, logger);
  logger.info({ store: services.store?.kind }, 'ringkas console ready');
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    void services.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  try {
    await runConsole({
      commands: loadCommands(),
      services,
      logger,
      input: opts.stdin,
      output: opts.stdout,
      locale: toLocale(values.lang ?? 'id'),
      timeZone: config.DIGEST_TIMEZONE,
    });
  } finally {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    await services.close();
  }
  return 0;
}
