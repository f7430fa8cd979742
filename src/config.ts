/**
 * Configuration: one zod schema over process.env. `loadConfig` reports every problem at once
 * (ConfigError lists them all), never the first only.
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
  .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/i.test(v), { message: 'must be an http(s) URL' });

/** Major Indonesian outlets' RSS feeds: the default corpus when FEEDS is unset. */
export const DEFAULT_FEEDS = [
  'https://www.antaranews.com/rss/terkini.xml',
  'https://www.kompas.com/getrss/all',
  'https://news.detik.com/berita/rss',
  'https://www.tribunnews.com/rss',
  'https://www.cnnindonesia.com/nasional/rss',
  'https://rss.tempo.co/nasional',
  'https://feed.liputan6.com/rss/news',
  'https://www.republika.co.id/rss',
  'https://sindikasi.okezone.com/index.php/rss/0/RSS2.0',
  'https://www.suara.com/rss/news',
  'https://feeds.bbci.co.uk/indonesia/rss.xml',
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configSchema = z.object({
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_URL: optionalUrl,
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: optionalUrl.transform((v) => v ?? 'https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
    message: 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -',
  }),
  TELEGRAM_WEBHOOK_PORT: z.coerce.number().int().min(1).max(65_535).default(8080),
  TELEGRAM_WEBHOOK_HOST: optionalString,
  STORE_URL: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? 'sqlite://./data/ringkas.sqlite' : v.trim()))
    .refine((v) => /^(sqlite:\/\/.+|redis:\/\/.+|rediss:\/\/.+|memory:\/\/)$/.test(v), {
      message: 'must be sqlite://<path>, redis://host:port or memory://',
    }),
  FEEDS: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? DEFAULT_FEEDS : v.split(',').map((s) => s.trim()).filter((s) => s !== '')))
    .refine((list) => list.every((u) => /^https?:\/\/\S+$/i.test(u)), { message: 'must be comma-separated http(s) URLs' }),
  FEED_POLL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(14),
  DIGEST_TIMEZONE: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? 'Asia/Jakarta' : v.trim()))
    .refine((tz) => isTimeZone(tz), { message: 'must be an IANA time zone such as Asia/Jakarta' }),
  DIGEST_CATCHUP_HOURS: z.coerce.number().min(0).max(24).default(3),
  FETCH_ALLOW_PRIVATE: bool,
  FETCH_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
  FETCH_MAX_BYTES: z.coerce.number().int().min(10_000).max(50_000_000).default(5_000_000),
  /** Pages of user links fetched at once, per instance. */
  FETCH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Pages of user links fetched at once from one site (host without www.), per instance. */
  FETCH_PER_HOST: z.coerce.number().int().min(1).max(64).default(4),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional().default('info'),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  /** Per request to the model server; past it the extractive summary is shown. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(200).max(120_000).default(8_000),
  /** Tokens (prompt + completion, as the server reports them) per UTC day; 0 = no limit. */
  LLM_DAILY_TOKENS: z.coerce.number().int().min(0).default(200_000),
  /** Requests to the model server in flight at once, per instance. */
  LLM_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** /healthz and /metrics; unset = no HTTP endpoint (0 = any free port). */
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  HTTP_HOST: optionalString.transform((v) => v ?? '0.0.0.0'),
  /** Discord shards: unset = one; a number, or `auto` for Discord's recommendation. */
  SHARD_COUNT: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim().toLowerCase()))
    .refine((v) => v === undefined || v === 'auto' || /^[1-9][0-9]{0,4}$/.test(v), { message: 'must be a positive number or auto' })
    .transform((v): number | 'auto' | undefined => (v === undefined || v === 'auto' ? v : Number(v))),
  /** On SIGTERM/SIGINT, how long in-flight replies may take to finish. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Parses the environment; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) {
    const c = result.data;
    // The ops endpoint and the Telegram webhook are separate servers: they cannot share a port.
    if (c.TELEGRAM_WEBHOOK_URL !== undefined && c.HTTP_PORT !== undefined && c.HTTP_PORT !== 0 && c.HTTP_PORT === c.TELEGRAM_WEBHOOK_PORT) {
      throw new ConfigError([`HTTP_PORT: must differ from TELEGRAM_WEBHOOK_PORT (${c.TELEGRAM_WEBHOOK_PORT}): /healthz and /metrics have a port of their own`]);
    }
    return c;
  }
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new ConfigError(problems);
}

/** Which platforms the configuration turns on. */
export function platformsOf(config: Config): { discord: boolean; telegram: boolean } {
  return { discord: config.DISCORD_TOKEN !== undefined, telegram: config.TELEGRAM_BOT_TOKEN !== undefined };
}
