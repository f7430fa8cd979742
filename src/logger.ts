/**
 * pino logger: JSON lines on stderr (pretty only with NODE_ENV=development and pino-pretty
 * installed), secret-bearing fields redacted by path, and — whatever a line holds (error messages,
 * stacks, URLs: grammY's network errors carry `https://api.telegram.org/bot<TOKEN>/...`) — every
 * known secret value scrubbed from the finished line before it is written.
 */
import { createRequire } from 'node:module';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Paths pino censors wherever they appear in a log record. */
export const REDACT_PATHS = [
  'token', '*.token', 'apiKey', '*.apiKey', 'authorization', '*.authorization', 'headers.authorization',
  'config.DISCORD_TOKEN', 'config.TELEGRAM_BOT_TOKEN', 'config.LLM_API_KEY', 'config.TELEGRAM_WEBHOOK_SECRET',
  'DISCORD_TOKEN', 'TELEGRAM_BOT_TOKEN', 'LLM_API_KEY', 'TELEGRAM_WEBHOOK_SECRET',
  'secret', '*.secret',
  'password', '*.password', 'secretToken', '*.secretToken', 'secret_token', '*.secret_token', 'err.payload.secret_token',
  '*.headers.authorization', 'headers["x-telegram-bot-api-secret-token"]', '*.headers["x-telegram-bot-api-secret-token"]',
];

const CENSOR = '[redacted]';

/** Environment variables whose values are secrets. */
export const SECRET_ENV_KEYS = ['DISCORD_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'LLM_API_KEY'] as const;
/** Environment variables holding URLs that may carry a password (redis://:password@host). */
const URL_ENV_KEYS = ['STORE_URL', 'REDIS_URL'] as const;

/** The secret values of an environment (or a Config): tokens, keys, and passwords inside URLs. */
export function secretValues(source: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const key of SECRET_ENV_KEYS) {
    const v = source[key];
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
  }
  for (const key of URL_ENV_KEYS) {
    const v = source[key];
    if (typeof v !== 'string') continue;
    const m = /^[a-z][a-z0-9+.-]*:\/\/([^@/]*)@/i.exec(v.trim());
    const auth = m?.[1];
    if (auth === undefined) continue;
    const colon = auth.indexOf(':');
    const password = colon >= 0 ? auth.slice(colon + 1) : auth;
    if (password !== '') {
      out.push(password);
      try {
        out.push(decodeURIComponent(password));
      } catch {
        // Not percent-encoded: the raw form is enough.
      }
    }
  }
  return out;
}

/**
 * A function that replaces every secret (as written, percent-encoded, and JSON-escaped) in a string.
 * Values shorter than 6 characters are left alone (they would blank out ordinary words).
 */
export function secretScrubber(secrets: readonly (string | undefined)[]): (line: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s === undefined || s.length < 6) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  // Longest first, so that a secret containing another is replaced whole.
  const list = [...forms].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (line) => line;
  return (line) => {
    let out = line;
    for (const f of list) if (out.includes(f)) out = out.replaceAll(f, CENSOR);
    return out;
  };
}

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go (default stderr). */
  destination?: NodeJS.WritableStream | undefined;
  /** Secret values scrubbed from every line, besides those of `env`. */
  secrets?: readonly (string | undefined)[];
  /** The environment: its secrets (SECRET_ENV_KEYS, URL passwords) are scrubbed; NODE_ENV=development turns pretty printing on. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Whether pino-pretty can be loaded (it is no dependency of Ringkas). */
function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  const env = opts.env ?? process.env;
  const scrub = secretScrubber([...secretValues(env), ...(opts.secrets ?? [])]);
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { app: 'ringkas' },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: scrub },
  };
  if (opts.destination !== undefined) return pino(options, opts.destination);
  if (env['NODE_ENV'] === 'development' && prettyAvailable()) {
    // Development only: readable lines on stderr (the scrub above still runs first).
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  // Logs go to stderr so that stdout stays the CLI's own output (JSON lines, readings).
  return pino(options, pino.destination(2));
}
