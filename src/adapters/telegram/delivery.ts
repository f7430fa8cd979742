/**
 * Posting to a Telegram chat without a user's command (digests). Failures become DeliveryErrors
 * that say whether trying again can help: a bot that was blocked or removed from a chat is a
 * permanent failure (the subscription is paused), a flood wait or a server error is not.
 */
import { GrammyError, HttpError, type Api } from 'grammy';
import type { Reply } from '../../core/reply.js';
import { DeliveryError, type Deliverer } from '../../services/delivery.js';
import type { Logger } from '../../logger.js';
import { renderReply } from './render.js';

/** A Telegram chat id as the Bot API wants it: a number, or "@channelusername". */
export function chatIdOf(channelId: string): number | string {
  return /^-?\d+$/.test(channelId) ? Number(channelId) : channelId;
}

/**
 * A failed Bot API call as a DeliveryError:
 * - 403 "bot was blocked by the user" -> blocked; 403 "user is deactivated" -> channel-gone;
 *   any other 403 (kicked from the group, not a member, cannot initiate) -> forbidden;
 * - 400 "chat not found" -> channel-gone; 400 about rights ("not enough rights", "CHAT_WRITE_FORBIDDEN",
 *   "need administrator rights", "TOPIC_CLOSED") -> forbidden;
 * - 429 -> rate-limited with retry_after; 5xx, other errors and network failures -> transient.
 */
export function toDeliveryError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  if (e instanceof GrammyError) {
    const d = e.description;
    const opts = { cause: e };
    if (e.error_code === 403) {
      if (/blocked by the user/i.test(d)) return new DeliveryError('blocked', d, opts);
      if (/deactivated/i.test(d)) return new DeliveryError('channel-gone', d, opts);
      return new DeliveryError('forbidden', d, opts);
    }
    if (e.error_code === 400) {
      if (/chat not found|chat_id_invalid|peer_id_invalid/i.test(d)) return new DeliveryError('channel-gone', d, opts);
      if (/not enough rights|chat_write_forbidden|need administrator rights|have no rights|topic_closed|not a member/i.test(d)) return new DeliveryError('forbidden', d, opts);
      return new DeliveryError('transient', d, opts);
    }
    if (e.error_code === 429) {
      const seconds = e.parameters.retry_after;
      return new DeliveryError('rate-limited', d, { ...opts, ...(seconds !== undefined ? { retryAfterMs: seconds * 1000 } : {}) });
    }
    return new DeliveryError('transient', d, opts);
  }
  if (e instanceof HttpError) return new DeliveryError('transient', e.message, { cause: e });
  return new DeliveryError('transient', e instanceof Error ? e.message : String(e), { cause: e });
}

export interface TelegramDelivererOptions {
  logger?: Logger;
  /**
   * Called when a group turned into a supergroup (Telegram answers with migrate_to_chat_id): the
   * message is sent to the new chat, and the caller may move the subscription. Default: log only.
   */
  onMigrate?: (fromChatId: string, toChatId: string) => void | Promise<void>;
}

export class TelegramDeliverer implements Deliverer {
  readonly platform = 'telegram' as const;
  readonly #api: Api;
  readonly #opts: TelegramDelivererOptions;

  /**
   * `api` is the bot's Api: with the bot's transformers installed (outgoing throttling, auto-retry
   * of flood waits), digests to many chats stay inside Telegram's limits.
   */
  constructor(api: Api, opts: TelegramDelivererOptions = {}) {
    this.#api = api;
    this.#opts = opts;
  }

  async deliver(channelId: string, reply: Reply): Promise<void> {
    let chatId = chatIdOf(channelId);
    const parts = renderReply(reply);
    for (const part of parts) {
      const send = (to: number | string) =>
        this.#api.sendMessage(to, part.html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: !part.linkPreview },
          ...(part.keyboard !== undefined ? { reply_markup: { inline_keyboard: part.keyboard } } : {}),
        });
      try {
        await send(chatId);
      } catch (e) {
        const migrated = e instanceof GrammyError ? e.parameters.migrate_to_chat_id : undefined;
        if (migrated === undefined) throw toDeliveryError(e);
        this.#opts.logger?.info({ from: String(chatId), to: String(migrated) }, 'telegram chat migrated to a supergroup');
        await this.#opts.onMigrate?.(String(chatId), String(migrated));
        chatId = migrated;
        try {
          await send(chatId);
        } catch (e2) {
          throw toDeliveryError(e2);
        }
      }
    }
  }
}
