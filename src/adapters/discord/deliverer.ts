/**
 * Posting a Reply (a digest) to a Discord channel by id through discord.js REST, with failures
 * sorted into what the scheduler can do about them:
 *   404 / 10003 Unknown Channel                    -> 'channel-gone'  (pause the subscription)
 *   403 / 50001 Missing Access / 50013 Permissions -> 'forbidden'     (pause the subscription)
 *   50007 Cannot send messages to this user        -> 'blocked'       (pause the subscription)
 *   429                                            -> 'rate-limited'  (retry after retryAfterMs)
 *   5xx, network errors, timeouts, anything else   -> 'transient'     (retry with backoff)
 *
 * Its REST client rejects rate limits instead of waiting them out and does not retry by itself
 * (`createDeliveryRest`), so that the scheduler decides about every retry.
 *
 * Retries do not post twice (within Discord's nonce window). A delivery with an idempotency key
 * (a digest: its ledger record) is posted with `nonce` (derived from the key: the same on every
 * retry, in this process or after a restart) and `enforce_nonce: true`. Discord documents it on
 * Create Message: "If true and nonce is present, it will be checked for uniqueness in the past few
 * minutes. If another message was created by the same author with the same nonce, that message
 * will be returned and no new message will be created" (change log "Enforced Nonces on Create
 * Message Endpoint", 12 February 2024; discord/discord-api-docs#6647). The window is not given in
 * numbers, only "a few minutes"; a retry after it may post again. Also from #6647 (Discord's
 * author of the feature): when the message with that nonce was deleted meanwhile, Discord answers
 * Unknown Message (10008) instead of posting it again; the delivery counts as done (it was posted,
 * and someone removed it), not as a channel that is gone. The nonce also carries the channel, so
 * whether Discord's scope is per author or per author and channel makes no difference here.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes, type RateLimitData } from 'discord.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../logger.js';
import { DeliveryError, type Deliverer, type DeliveryOptions } from '../../services/delivery.js';
import { renderReply } from './render.js';

/** Discord JSON error codes that mean the channel is gone or closed to us. */
const UNKNOWN_CHANNEL = 10003;
const MISSING_ACCESS = 50001;
const CANNOT_MESSAGE_USER = 50007;
const MISSING_PERMISSIONS = 50013;
/** Create Message with enforce_nonce: the earlier message with this nonce was deleted. */
const UNKNOWN_MESSAGE = 10008;

/** Discord's longest string nonce. */
export const NONCE_MAX_LENGTH = 25;

/**
 * The nonce of part `part` of a delivery (a digest posts one message, part 0; a delivery split in
 * several messages gives each its own part number): 25 hex digits of SHA-256 of the idempotency
 * key and the part, the same for the same delivery whoever sends it and however often.
 */
export function discordNonce(idempotencyKey: string, part = 0): string {
  return createHash('sha256').update(`${idempotencyKey}\u0000${part}`).digest('hex').slice(0, NONCE_MAX_LENGTH);
}

/** The delivery failure a discord.js REST error stands for. */
export function toDeliveryError(e: unknown, channelId = ''): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const where = channelId !== '' ? ` (channel ${channelId})` : '';
  if (e instanceof RateLimitError) {
    const retryAfterMs = Math.max(0, Math.ceil(Math.max(e.retryAfter, e.timeToReset, e.sublimitTimeout)));
    return new DeliveryError('rate-limited', `Discord rate limit on ${e.route}${where}`, { retryAfterMs, cause: e });
  }
  if (e instanceof DiscordAPIError) {
    const code = typeof e.code === 'number' ? e.code : Number(e.code);
    if (code === UNKNOWN_CHANNEL || e.status === 404) return new DeliveryError('channel-gone', `Discord: unknown channel${where} [${e.status}/${String(e.code)}]`, { cause: e });
    if (code === CANNOT_MESSAGE_USER) return new DeliveryError('blocked', `Discord: cannot message this user${where} [${e.status}/${String(e.code)}]`, { cause: e });
    if (code === MISSING_ACCESS || code === MISSING_PERMISSIONS || e.status === 403) {
      return new DeliveryError('forbidden', `Discord: missing access or permission${where} [${e.status}/${String(e.code)}]`, { cause: e });
    }
    if (e.status === 429) {
      const raw = e.rawError as { retry_after?: unknown };
      const retryAfterMs = typeof raw.retry_after === 'number' ? Math.ceil(raw.retry_after * 1000) : 1000;
      return new DeliveryError('rate-limited', `Discord rate limit${where}`, { retryAfterMs, cause: e });
    }
    return new DeliveryError('transient', `Discord refused the message${where} [${e.status}/${String(e.code)}]: ${e.message}`, { cause: e });
  }
  if (e instanceof HTTPError) return new DeliveryError('transient', `Discord answered ${e.status}${where}`, { cause: e });
  const message = e instanceof Error ? e.message : String(e);
  return new DeliveryError('transient', `could not reach Discord${where}: ${message}`, { cause: e });
}

export interface DeliveryRestOptions {
  token: string;
  /** REST base, as DISCORD_API_URL (default https://discord.com/api). */
  api?: string | undefined;
  /** One request's deadline in ms (default 15000). */
  timeoutMs?: number;
  /** Told about every rate limit met (before the request is rejected for the scheduler to wait). */
  onRateLimit?: (info: RateLimitData) => void;
}

/** A REST client for deliveries: rate limits reject at once, no automatic retries. */
export function createDeliveryRest(opts: DeliveryRestOptions): REST {
  return new REST({
    ...(opts.api !== undefined ? { api: opts.api.replace(/\/+$/, '') } : {}),
    retries: 0,
    timeout: opts.timeoutMs ?? 15_000,
    rejectOnRateLimit: (info) => {
      opts.onRateLimit?.(info);
      return true;
    },
  }).setToken(opts.token);
}

export interface DiscordDelivererOptions {
  rest: REST;
  logger: Logger;
}

export class DiscordDeliverer implements Deliverer {
  readonly platform = 'discord' as const;
  readonly deduplicates = true;
  readonly #rest: REST;
  readonly #log: Logger;

  constructor(opts: DiscordDelivererOptions) {
    this.#rest = opts.rest;
    this.#log = opts.logger.child({ component: 'discord-delivery' });
  }

  async deliver(channelId: string, reply: Reply, opts: DeliveryOptions = {}): Promise<void> {
    if (!/^\d{1,25}$/.test(channelId)) throw new DeliveryError('channel-gone', `"${channelId}" is not a Discord channel id`);
    // Digests carry link buttons only: action buttons need an interaction to answer them.
    const { embeds, components } = renderReply({ ...reply, buttons: reply.buttons.filter((b) => b.url !== undefined) });
    // One message (one embed): part 0 of the delivery.
    const nonce = opts.idempotencyKey !== undefined ? discordNonce(opts.idempotencyKey, 0) : undefined;
    try {
      await this.#rest.post(Routes.channelMessages(channelId), {
        body: { embeds, components, allowed_mentions: { parse: [] }, ...(nonce !== undefined ? { nonce, enforce_nonce: true } : {}) },
      });
      this.#log.info({ channelId, kind: reply.kind, nonce }, 'posted to channel');
    } catch (e) {
      if (nonce !== undefined && e instanceof DiscordAPIError && Number(e.code) === UNKNOWN_MESSAGE) {
        this.#log.info({ channelId, kind: reply.kind, nonce }, 'already posted with this nonce and deleted since: not posting again');
        return;
      }
      const err = toDeliveryError(e, channelId);
      this.#log[err.permanent ? 'warn' : 'info']({ channelId, reason: err.reason, retryAfterMs: err.retryAfterMs, err: e }, 'delivery failed');
      throw err;
    }
  }
}
