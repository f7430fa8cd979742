/**
 * Posting to a channel without a user's command (digests): each platform adapter provides a
 * Deliverer; failures say whether trying again can help.
 */
import type { Reply } from '../core/reply.js';
import type { Platform } from '../core/schedule.js';

export type DeliveryFailure =
  /** The channel or chat no longer exists. */
  | 'channel-gone'
  /** The bot may not post there (missing permission, kicked from the group). */
  | 'forbidden'
  /** The user blocked the bot (Telegram private chats). */
  | 'blocked'
  /** The platform asked us to slow down; retry after `retryAfterMs`. */
  | 'rate-limited'
  /** A network error or 5xx: retry with backoff. */
  | 'transient';

export class DeliveryError extends Error {
  readonly reason: DeliveryFailure;
  readonly retryAfterMs: number | undefined;

  constructor(reason: DeliveryFailure, message: string, opts: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'DeliveryError';
    this.reason = reason;
    this.retryAfterMs = opts.retryAfterMs;
  }

  /** Permanent failures pause the subscription instead of retrying forever. */
  get permanent(): boolean {
    return this.reason === 'channel-gone' || this.reason === 'forbidden' || this.reason === 'blocked';
  }
}

export interface DeliveryOptions {
  /**
   * Names one delivery (a digest's ledger record), the same on every retry of it, in this process
   * or after a restart. A platform that can deduplicate posts (Discord's message nonce) uses it so
   * that retrying a post the platform had in fact accepted does not post it twice; others ignore it.
   */
  idempotencyKey?: string;
}

export interface Deliverer {
  readonly platform: Platform;
  /**
   * The platform deduplicates repeats with the same `idempotencyKey` (for a limited time: Discord,
   * a few minutes). Absent: a repeat is posted again.
   */
  readonly deduplicates?: boolean;
  /** Posts the reply to the channel; throws DeliveryError on failure. */
  deliver(channelId: string, reply: Reply, opts?: DeliveryOptions): Promise<void>;
}
