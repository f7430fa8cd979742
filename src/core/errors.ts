/**
 * Typed error identifiers. Code anywhere throws or returns a RingkasError with one of these codes;
 * messages.ts turns a code into a short, polite sentence in the user's language.
 */
export const ERROR_CODES = [
  'EMPTY_INPUT',
  'INPUT_TOO_LARGE',
  'INVALID_URL',
  'UNSUPPORTED_SCHEME',
  'PRIVATE_ADDRESS',
  'DNS_FAILED',
  'CONNECT_FAILED',
  'FETCH_TIMEOUT',
  'BUSY',
  'TOO_MANY_REDIRECTS',
  'HTTP_ERROR',
  'NOT_FOUND',
  'TOO_LARGE',
  'UNSUPPORTED_CONTENT_TYPE',
  'NOT_AN_ARTICLE',
  'SCRIPT_ONLY_PAGE',
  'BINARY_INPUT',
  'FILE_NOT_FOUND',
  'STORE_UNAVAILABLE',
  'RATE_LIMITED',
  'FORBIDDEN',
  'UNKNOWN_COMMAND',
  'BAD_OPTION',
  'BAD_INPUT',
  'NO_RESULTS',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class RingkasError extends Error {
  readonly code: ErrorCode;
  /** Values the message may mention (a status code, a limit, a host). Never secrets. */
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, message?: string, details: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.name = 'RingkasError';
    this.code = code;
    this.details = details;
  }
}

export function isRingkasError(e: unknown): e is RingkasError {
  return e instanceof RingkasError;
}

/** Wraps anything thrown into a RingkasError (INTERNAL unless it already is one). */
export function toRingkasError(e: unknown): RingkasError {
  if (e instanceof RingkasError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new RingkasError('INTERNAL', message, {}, { cause: e });
}
