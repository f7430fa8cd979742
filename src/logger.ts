/** pino logger with every secret-bearing field redacted. */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Paths pino censors wherever they appear in a log record. */
export const REDACT_PATHS = [
  'token', '*.token', 'apiKey', '*.apiKey', 'authorization', '*.authorization', 'headers.authorization',
  'config.DISCORD_TOKEN', 'config.TELEGRAM_BOT_TOKEN', 'config.LLM_API_KEY', 'config.TELEGRAM_WEBHOOK_SECRET',
  'DISCORD_TOKEN', 'TELEGRAM_BOT_TOKEN', 'LLM_API_KEY', 'TELEGRAM_WEBHOOK_SECRET',
  'secret', '*.secret',
];

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream | undefined } = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { app: 'ringkas' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Logs go to stderr so that stdout stays the CLI's own output (JSON lines, readings).
  return opts.destination !== undefined ? pino(options, opts.destination) : pino(options, pino.destination(2));
}
