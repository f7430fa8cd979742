/**
 * The Telegram adapter: start the grammY bot with long polling (default) or a webhook
 * (TELEGRAM_WEBHOOK_URL set), and stop it cleanly.
 *
 * ```ts
 * const tg = await startTelegram({ config, services, commands: loadCommands(), logger });
 * scheduler.addDeliverer(tg.deliverer);      // digests
 * process.once('SIGTERM', () => void tg.stop());
 * ```
 *
 * Long polling: `bot.start()` resolves only when polling stops, so it is not awaited here; `done`
 * settles then. Webhook: a node:http server on TELEGRAM_WEBHOOK_PORT receives POSTs on the path
 * of TELEGRAM_WEBHOOK_URL, checks the X-Telegram-Bot-Api-Secret-Token header (grammY's
 * webhookCallback) and answers at once; several instances may run behind a load balancer.
 * `stop()` stops receiving updates, lets the requests in progress finish (a grace period, then
 * they are aborted), and closes the kept-alive connections to the Bot API.
 */
import { createHash } from 'node:crypto';
import type { Bot } from 'grammy';
import type { Command, CommandServices } from '../../../commands/index.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../metrics.js';
import type { InFlight } from '../ops/inflight.js';
import { ALLOWED_UPDATES, createTelegramBot, type TelegramBotOptions } from './bot.js';
import type { TelegramDeliverer } from './delivery.js';
import { startWebhookServer, type WebhookServer } from './webhook.js';

export { createTelegramBot, ALLOWED_UPDATES, type TelegramBot, type TelegramBotOptions } from './bot.js';
export { TelegramDeliverer, toDeliveryError, chatIdOf } from './delivery.js';
export { renderReply, replyNodes, splitNodes, TELEGRAM_TEXT_LIMIT, type TelegramPart } from './render.js';

/** The configuration keys the adapter reads (a subset of src/config.ts's Config). */
export interface TelegramConfig {
  TELEGRAM_BOT_TOKEN?: string | undefined;
  /** Bot API root; a trailing slash is removed (grammY refuses one). */
  TELEGRAM_API_ROOT?: string | undefined;
  /** Public HTTPS URL Telegram posts updates to; turns webhook mode on. */
  TELEGRAM_WEBHOOK_URL?: string | undefined;
  /** Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -). Default: derived from the token. */
  TELEGRAM_WEBHOOK_SECRET?: string | undefined;
  /** Port the webhook server listens on (default 8080). */
  TELEGRAM_WEBHOOK_PORT?: number | undefined;
  /** Address the webhook server listens on (default 0.0.0.0). */
  TELEGRAM_WEBHOOK_HOST?: string | undefined;
  DIGEST_TIMEZONE?: string | undefined;
}

export interface StartTelegramOptions {
  config: TelegramConfig;
  services: CommandServices;
  commands: Map<string, Command>;
  logger: Logger;
  /** Tuning (throttling, retries, rate limits, ...); see TelegramBotOptions. */
  tuning?: Partial<Omit<TelegramBotOptions, 'token' | 'apiRoot' | 'commands' | 'services' | 'logger' | 'timeZone'>>;
  /** How long stop() lets requests in progress finish before aborting them, in ms (default 10000). */
  shutdownGraceMs?: number;
  /** Long-polling timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Commands served and rate-limit waits (ringkas_* metrics). */
  metrics?: Metrics | undefined;
  /** Updates being handled, shared with the other adapters (graceful shutdown). */
  inFlight?: InFlight | undefined;
}

export interface RunningTelegram {
  bot: Bot;
  deliverer: TelegramDeliverer;
  mode: 'polling' | 'webhook';
  /** The webhook server, in webhook mode. */
  webhook?: WebhookServer;
  /**
   * Resolves when the bot stops receiving updates through stop(); rejects when long polling failed
   * for good (401: token revoked; 409: another instance polls with the same token). Await it to
   * exit the process with an error in that case.
   */
  done: Promise<void>;
  /**
   * For /healthz: polling — polling runs and its last getUpdates succeeded; webhook — the webhook
   * server listens (the webhook was set at start).
   */
  connection(): { connected: boolean; mode: 'polling' | 'webhook'; [detail: string]: unknown };
  /** Stops receiving updates (polling or the webhook server), lets handled ones finish, closes connections. */
  stop(): Promise<void>;
}

/** The webhook secret when none is configured: the same on every instance, unguessable without the token. */
export function defaultWebhookSecret(token: string): string {
  return createHash('sha256').update(`ringkas-webhook:${token}`).digest('base64url').slice(0, 48);
}

export async function startTelegram(opts: StartTelegramOptions): Promise<RunningTelegram> {
  const { config, logger } = opts;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (token === undefined || token === '') throw new Error('TELEGRAM_BOT_TOKEN is not set');
  const log = logger.child({ component: 'telegram' });
  const apiRoot = (config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const tg = createTelegramBot({
    ...opts.tuning,
    token,
    apiRoot,
    commands: opts.commands,
    services: opts.services,
    logger,
    ...(config.DIGEST_TIMEZONE !== undefined ? { timeZone: config.DIGEST_TIMEZONE } : {}),
    ...(opts.metrics !== undefined ? { metrics: opts.metrics } : {}),
    ...(opts.inFlight !== undefined ? { inFlight: opts.inFlight } : {}),
  });
  const { bot } = tg;
  // How the last getUpdates went (for /healthz): grammY keeps polling through errors by itself.
  const polls: { lastOkAt?: number; lastErrorAt?: number; lastError?: string } = {};
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const res = await prev(method, payload, signal);
      if (res.ok) polls.lastOkAt = Date.now();
      else {
        polls.lastErrorAt = Date.now();
        polls.lastError = `${res.error_code}: ${res.description}`.replaceAll(token, '[redacted]');
      }
      return res;
    } catch (err) {
      // An abort is our own stop(), not a lost connection.
      if (signal?.aborted !== true) {
        polls.lastErrorAt = Date.now();
        polls.lastError = (err instanceof Error ? err.message : String(err)).replaceAll(token, '[redacted]');
      }
      throw err;
    }
  });
  const grace = opts.shutdownGraceMs ?? 10_000;

  try {
    await bot.init();
  } catch (err) {
    tg.closeConnections();
    throw err;
  }
  log.info({ username: bot.botInfo.username }, 'telegram bot identified');
  try {
    await tg.setCommands();
  } catch (err) {
    log.warn({ err }, 'setMyCommands failed; the command list in Telegram may be stale');
  }

  async function drain(): Promise<void> {
    tg.flushPastes();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), grace);
    });
    const result = await Promise.race([tg.idle().then(() => 'idle' as const), late]);
    clearTimeout(timer);
    if (result === 'late') {
      log.warn({ graceMs: grace }, 'telegram requests still running at shutdown; aborting them');
      tg.abort();
      await Promise.race([tg.idle(), new Promise((r) => setTimeout(r, 2000).unref())]);
    }
  }

  if (config.TELEGRAM_WEBHOOK_URL !== undefined && config.TELEGRAM_WEBHOOK_URL !== '') {
    const url = config.TELEGRAM_WEBHOOK_URL;
    const secret = config.TELEGRAM_WEBHOOK_SECRET ?? defaultWebhookSecret(token);
    const server = await startWebhookServer({
      bot,
      path: new URL(url).pathname,
      secretToken: secret,
      port: config.TELEGRAM_WEBHOOK_PORT ?? 8080,
      host: config.TELEGRAM_WEBHOOK_HOST ?? '0.0.0.0',
      logger: log,
    });
    try {
      await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    } catch (err) {
      await server.close();
      tg.closeConnections();
      throw err;
    }
    log.info({ url, port: server.port }, 'telegram webhook set');
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    let stopping: Promise<void> | undefined;
    return {
      bot,
      deliverer: tg.deliverer,
      mode: 'webhook',
      webhook: server,
      done,
      connection: () => ({ connected: stopping === undefined && server.listening, mode: 'webhook', port: server.port }),
      stop() {
        stopping ??= (async () => {
          // The webhook stays set: other instances behind the load balancer keep receiving updates.
          const closed = server.close();
          log.info('telegram webhook closed to new updates (503); letting replies finish');
          await closed;
          await drain();
          tg.closeConnections();
          resolveDone();
          log.info('telegram webhook server stopped');
        })();
        return stopping;
      },
    };
  }

  // Long polling.
  let onStarted!: () => void;
  const started = new Promise<void>((r) => (onStarted = r));
  const polling = bot.start({ allowed_updates: [...ALLOWED_UPDATES], timeout: opts.pollTimeoutSeconds ?? 30, onStart: () => onStarted() });
  const done = polling.then(
    () => undefined,
    (err: unknown) => {
      log.fatal({ err }, 'telegram polling stopped with an error');
      throw err;
    },
  );
  // Marked handled, so that not awaiting `done` is no unhandled rejection; awaiting it still throws.
  done.catch(() => undefined);
  const first = await Promise.race([started.then(() => 'started' as const), polling.then(() => 'ended' as const, (err: unknown) => err)]);
  if (first !== 'started') {
    tg.closeConnections();
    throw first === 'ended' ? new Error('telegram polling ended before it started') : first;
  }
  log.info('telegram long polling started');
  let stopping: Promise<void> | undefined;
  return {
    bot,
    deliverer: tg.deliverer,
    mode: 'polling',
    done,
    connection() {
      const failing = polls.lastErrorAt !== undefined && (polls.lastOkAt === undefined || polls.lastErrorAt > polls.lastOkAt);
      return {
        connected: stopping === undefined && bot.isRunning() && !failing,
        mode: 'polling',
        ...(polls.lastOkAt !== undefined ? { lastPollOkAt: new Date(polls.lastOkAt).toISOString() } : {}),
        ...(failing ? { lastError: polls.lastError } : {}),
      };
    },
    stop() {
      stopping ??= (async () => {
        try {
          if (bot.isRunning()) await bot.stop();
        } catch (err) {
          log.warn({ err }, 'telegram: confirming the last update on stop failed');
        }
        log.info('telegram polling stopped: no new updates are taken; letting replies finish');
        await done.catch(() => undefined);
        await drain();
        tg.closeConnections();
        log.info('telegram long polling stopped');
      })();
      return stopping;
    },
  };
}
