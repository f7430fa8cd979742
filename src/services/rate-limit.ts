/**
 * Per-key rate limits (per user, per guild, per chat): a token bucket per key, bounded in memory.
 * `take(key)` answers at once: allowed, or how long to wait. The clock is injectable for tests.
 */

export interface RateLimitOptions {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** Keys remembered at most (least recently used forgotten first); default 50,000. */
  maxKeys?: number;
  now?: () => number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #opts: Required<Omit<RateLimitOptions, 'now'>> & { now: () => number };

  constructor(opts: RateLimitOptions) {
    this.#opts = { maxKeys: 50_000, now: Date.now, ...opts };
  }

  take(key: string): RateDecision {
    const { capacity, refillPerSecond, maxKeys, now } = this.#opts;
    const t = now();
    const b = this.#buckets.get(key) ?? { tokens: capacity, at: t };
    b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 1000) * refillPerSecond);
    b.at = t;
    // Re-insert so that Map order is least-recently-used first.
    this.#buckets.delete(key);
    this.#buckets.set(key, b);
    if (this.#buckets.size > maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil(((1 - b.tokens) / refillPerSecond) * 1000) };
  }
}

/** Several limits that must all allow (e.g. per user and per guild). */
export function takeAll(pairs: readonly [RateLimiter, string][]): RateDecision {
  let worst = 0;
  for (const [limiter, key] of pairs) {
    const d = limiter.take(key);
    if (!d.allowed) worst = Math.max(worst, d.retryAfterMs);
  }
  return worst > 0 ? { allowed: false, retryAfterMs: worst } : { allowed: true };
}
