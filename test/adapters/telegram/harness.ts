/**
 * The Telegram bot under test: the real adapter (grammY, throttler, auto-retry) against the fake
 * Bot API, with real services (reader, fetcher, memory search, memory store) on loopback.
 */
import { loadCommands, type CommandServices } from '../../../commands/index.js';
import { createFetcher, normalizeUrl } from '../../../src/adapters/http/index.js';
import { openStore, type Store } from '../../../src/adapters/store/index.js';
import { createSubscriptionStore } from '../../../src/adapters/store/subscriptions.js';
import { startTelegram, type RunningTelegram, type StartTelegramOptions, type TelegramConfig } from '../../../src/adapters/telegram/index.js';
import { createReaderService } from '../../../src/services/read.js';
import { createMemorySearch } from '../../../src/services/search.js';
import { startFakeTelegram, type FakeTelegram } from '../../helpers/fake-telegram.js';
import { silentLogger } from '../../helpers/services.js';

export interface Harness {
  tg: FakeTelegram;
  bot: RunningTelegram;
  services: CommandServices;
  store: Store;
  close(): Promise<void>;
}

export interface HarnessOptions {
  allowPrivate?: boolean;
  fetchTimeoutMs?: number;
  maxBytes?: number;
  config?: Partial<TelegramConfig>;
  tuning?: StartTelegramOptions['tuning'];
  /** Start the bot (default true); false gives a fake and services only. */
  start?: boolean;
}

/** Quick, loose limits for tests: throttling on but fast, no rate limits unless asked. */
export const FAST_TUNING: NonNullable<StartTelegramOptions['tuning']> = {
  throttle: { global: { reservoir: 1000, reservoirRefreshAmount: 1000, reservoirRefreshInterval: 1000 }, group: { maxConcurrent: 1, minTime: 20 }, out: { maxConcurrent: 1, minTime: 20 } },
  rateLimits: false,
  typingIntervalMs: 300,
  pasteIdleMs: 300,
};

export async function createServices(opts: HarnessOptions = {}): Promise<{ services: CommandServices; store: Store }> {
  const store = await openStore('memory://', silentLogger);
  const services: CommandServices = {
    reader: createReaderService({
      fetcher: createFetcher({ allowPrivate: opts.allowPrivate ?? true, totalTimeoutMs: opts.fetchTimeoutMs ?? 3000, ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}) }),
      logger: silentLogger,
      normalizeUrl,
    }),
    search: createMemorySearch(),
    subscriptions: createSubscriptionStore(store),
    now: () => Date.parse('2026-11-29T00:00:00Z'),
  };
  return { services, store };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const tg = await startFakeTelegram();
  const { services, store } = await createServices(opts);
  const bot = await startTelegram({
    config: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, DIGEST_TIMEZONE: 'Asia/Jakarta', ...opts.config },
    services,
    commands: loadCommands(),
    logger: silentLogger,
    tuning: { ...FAST_TUNING, ...opts.tuning },
    shutdownGraceMs: 3000,
  });
  return {
    tg,
    bot,
    services,
    store,
    async close() {
      await bot.stop();
      await tg.close();
      await store.close();
    },
  };
}
