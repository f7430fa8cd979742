/**
 * The grammY bot: Telegram updates in, commands run, Replies rendered as Telegram HTML out.
 *
 * - Messages and channel posts: `/berita`, `/digest`, `/help`, `/start` (also `/cmd@ThisBot`); in a
 *   private chat a bare link, a forwarded post with a link or pasted article text is /berita (a
 *   paste Telegram split into several messages is joined again).
 * - Callback queries from the inline buttons ("Kutipan lainnya", "Berita terkait").
 * - my_chat_member: a bot blocked by the user or removed from a group pauses that chat's digest;
 *   a group that became a supergroup keeps its digest.
 *
 * Updates are handled off the polling loop: one chat's requests run in order, different chats in
 * parallel (bounded), so a slow news site never holds up everyone else. Outgoing calls pass
 * through the throttler (Telegram's per-chat and global limits) and auto-retry (flood waits).
 */
import http from 'node:http';
import https from 'node:https';
import { autoRetry, type AutoRetryOptions } from '@grammyjs/auto-retry';
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import { Bot, GrammyError, type Transformer } from 'grammy';
import type { CallbackQuery, ChatMemberUpdated, Message, UserFromGetMe } from 'grammy/types';
import PQueue from 'p-queue';
import type { Command, CommandContext, CommandServices } from '../../../commands/index.js';
import { parseDigestInput } from '../../../commands/digest.js';
import { messageFor, toLocale, type Locale } from '../../core/messages.js';
import { errorReply, infoReply, type Reply, type ReplyButton } from '../../core/reply.js';
import type { Logger } from '../../logger.js';
import { commandLabel, outcomeOf, type Metrics } from '../metrics.js';
import type { InFlight } from '../ops/inflight.js';
import { RateLimiter, takeAll, type RateLimitOptions } from '../../services/rate-limit.js';
import { chatIdOf, TelegramDeliverer } from './delivery.js';
import { firstLink, invocationOf } from './input.js';
import {
  ACTION_MORE_QUOTES,
  ACTION_RELATED,
  moreQuotesReply,
  ReadingMemory,
  readingButtons,
  relatedReply,
  rememberingReader,
} from './readings.js';
import { renderReply } from './render.js';

/** Updates the bot asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'channel_post', 'callback_query', 'my_chat_member'] as const;

export interface TelegramBotOptions {
  token: string;
  /** Bot API root without a trailing slash (default https://api.telegram.org). */
  apiRoot?: string;
  commands: Map<string, Command>;
  services: CommandServices;
  logger: Logger;
  /** IANA zone for times shown (default Asia/Jakarta). */
  timeZone?: string;
  /**
   * Outgoing throttling (@grammyjs/transformer-throttler options). Default: the plugin's defaults,
   * which follow Telegram's limits (30 messages/s overall, 1/s per private chat, 20/min per group).
   * `false` turns it off.
   */
  throttle?: APIThrottlerOptions | false;
  /** @grammyjs/auto-retry options. Default: wait out flood waits up to 60 s, retry 5xx 3 times. */
  retry?: Partial<AutoRetryOptions>;
  /**
   * Requests per user and per group chat (token buckets). Default: a burst of 6 then one every 5 s
   * per user; a burst of 15 then one every 2 s per group. `false` turns limits off.
   */
  rateLimits?: { user?: RateLimitOptions; chat?: RateLimitOptions } | false;
  /** How often "typing…" is renewed while reading, in ms (default 4500; Telegram shows it ~5 s). */
  typingIntervalMs?: number;
  /** How long to wait for the rest of a long paste Telegram split into messages, in ms (default 1500). */
  pasteIdleMs?: number;
  /** Updates handled at once across chats (default 16). */
  concurrency?: number;
  /** Known bot info (skips getMe), mostly for tests. */
  botInfo?: UserFromGetMe;
  /** Commands served and rate-limit waits are counted here. */
  metrics?: Metrics | undefined;
  /** Every update handled is tracked here (graceful shutdown waits for them). */
  inFlight?: InFlight | undefined;
}

export interface TelegramBot {
  bot: Bot;
  deliverer: TelegramDeliverer;
  /** Resolves when no update is being handled or waiting. */
  idle(): Promise<void>;
  /** Handles waiting pastes now instead of after the idle time (used on shutdown). */
  flushPastes(): void;
  /** Aborts readings in progress (their users get a short error reply). */
  abort(): void;
  /** Closes the kept-alive connections to the Bot API. Call last. */
  closeConnections(): void;
  /** Registers the command list with setMyCommands, in Indonesian (default) and English. */
  setCommands(): Promise<void>;
}

const DEFAULT_USER_LIMIT: RateLimitOptions = { capacity: 6, refillPerSecond: 1 / 5 };
const DEFAULT_CHAT_LIMIT: RateLimitOptions = { capacity: 15, refillPerSecond: 1 / 2 };
/** Quotes a reading shows (readingToReply's default); "Kutipan lainnya" shows the rest. */
const QUOTES_SHOWN = 3;
/** A message at least this long may be the first piece of a paste Telegram split. */
const PASTE_PIECE_MIN = 3000;
/** Methods that post into a chat: throttled. Reads (getChatMember) and chat actions are not. */
const THROTTLED = /^(send|edit|copy|forward)/;

const HELP_EXTRA = {
  id: [
    'Di obrolan pribadi, cukup kirim tautan berita, teruskan unggahan yang berisi tautan, atau tempel teks artikelnya.',
    'Di grup, hanya admin yang bisa mengubah /digest.',
  ].join('\n'),
  en: [
    'In a private chat, just send a news link, forward a post with a link, or paste the article text.',
    'In groups, only administrators can change /digest.',
  ].join('\n'),
} as const;

const GREETING = {
  id: (name: string | undefined) => `Halo${name !== undefined ? `, ${name}` : ''}! Saya Ringkas.`,
  en: (name: string | undefined) => `Hello${name !== undefined ? `, ${name}` : ''}! I am Ringkas.`,
} as const;

const EXPIRED = {
  id: 'Maaf, tombol ini sudah kedaluwarsa. Kirim ulang tautannya, ya.',
  en: 'Sorry, this button has expired. Please send the link again.',
} as const;
const NOTHING_MORE = {
  id: { q: 'Tidak ada kutipan lain di artikel ini.', r: 'Belum ada berita terkait.' },
  en: { q: 'There are no other quotes in this article.', r: 'There are no related stories yet.' },
} as const;

const PAUSED_REASON = {
  kicked: 'bot dikeluarkan dari obrolan',
  left: 'bot keluar dari obrolan',
  blocked: 'bot diblokir',
} as const;

/** Runs tasks one after another per key, different keys in parallel, at most `concurrency` at once. */
class ChatQueues {
  readonly #chains = new Map<string, Promise<void>>();
  readonly #pool: PQueue;
  readonly #pending = new Set<Promise<void>>();
  readonly #onError: (err: unknown) => void;
  readonly #onTask: ((task: Promise<void>) => void) | undefined;

  constructor(concurrency: number, onError: (err: unknown) => void, onTask?: (task: Promise<void>) => void) {
    this.#pool = new PQueue({ concurrency });
    this.#onError = onError;
    this.#onTask = onTask;
  }

  run(key: string, task: () => Promise<void>): void {
    const prev = this.#chains.get(key) ?? Promise.resolve();
    const next: Promise<void> = prev
      .then(() => this.#pool.add(task))
      .catch(this.#onError)
      .finally(() => {
        if (this.#chains.get(key) === next) this.#chains.delete(key);
        this.#pending.delete(next);
      });
    this.#chains.set(key, next);
    this.#pending.add(next);
    this.#onTask?.(next);
  }

  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}

export function createTelegramBot(opts: TelegramBotOptions): TelegramBot {
  const apiRoot = (opts.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const log = opts.logger.child({ component: 'telegram' });
  // Our own keep-alive agent, so that stop() can close the connections grammY keeps open.
  const agent = apiRoot.startsWith('https:') ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const bot = new Bot(opts.token, {
    client: { apiRoot, baseFetchConfig: { agent, compress: true } },
    ...(opts.botInfo !== undefined ? { botInfo: opts.botInfo } : {}),
  });

  const metrics = opts.metrics;
  if (metrics !== undefined) {
    // Innermost: sees every answer, so each flood wait (429 retry_after) auto-retry sits out is counted.
    const floodWaits: Transformer = async (prev, method, payload, signal) => {
      const res = await prev(method, payload, signal);
      if (!res.ok && res.error_code === 429) metrics.rateLimitWait('telegram', res.parameters?.retry_after ?? 0);
      return res;
    };
    bot.api.config.use(floodWaits);
  }
  if (opts.throttle !== false) {
    const throttle = apiThrottler(opts.throttle ?? {});
    // A call the throttler held back noticeably is a rate-limit wait too.
    const timed: Transformer =
      metrics === undefined
        ? throttle
        : (prev, method, payload, signal) => {
            const queuedAt = performance.now();
            return throttle(
              (m, p, s) => {
                const waited = (performance.now() - queuedAt) / 1000;
                if (waited >= 0.1) metrics.rateLimitWait('telegram', waited);
                return prev(m, p, s);
              },
              method,
              payload,
              signal,
            );
          };
    const throttled: Transformer = (prev, method, payload, signal) => (THROTTLED.test(method) && method !== 'sendChatAction' ? timed(prev, method, payload, signal) : prev(method, payload, signal));
    bot.api.config.use(throttled);
  }
  const retry = autoRetry({ maxDelaySeconds: 60, maxRetryAttempts: 3, rethrowHttpErrors: true, ...opts.retry });
  // A "typing…" that fails is not worth waiting for, and grammY's polling loop handles getUpdates
  // errors itself; everything else is retried on flood waits and server errors.
  const retried: Transformer = (prev, method, payload, signal) =>
    method === 'sendChatAction' || method === 'getUpdates' ? prev(method, payload, signal) : retry(prev, method, payload, signal);
  bot.api.config.use(retried);

  const deliverer = new TelegramDeliverer(bot.api, {
    logger: log,
    onMigrate: (from, to) => moveSubscription(from, to),
  });
  const memory = new ReadingMemory();
  const services: CommandServices = { ...opts.services, reader: rememberingReader(opts.services.reader, memory) };
  const stopping = new AbortController();
  const queues = new ChatQueues(
    opts.concurrency ?? 16,
    (err) => log.error({ err }, 'telegram update failed'),
    opts.inFlight !== undefined ? (task) => void opts.inFlight?.track(task) : undefined,
  );
  const limits = opts.rateLimits === false ? undefined : { user: new RateLimiter(opts.rateLimits?.user ?? DEFAULT_USER_LIMIT), chat: new RateLimiter(opts.rateLimits?.chat ?? DEFAULT_CHAT_LIMIT) };
  const warnedUntil = new Map<string, number>();
  const pastes = new Map<number, { parts: string[]; msg: Message; timer: NodeJS.Timeout }>();
  const typingEvery = opts.typingIntervalMs ?? 4500;

  // ---------------------------------------------------------------------------------------------
  // Sending

  interface Target {
    chatId: number;
    threadId?: number;
    replyTo?: number;
  }

  async function send(target: Target, reply: Reply, extraButtons: ReplyButton[] = []): Promise<void> {
    const parts = renderReply(reply, { extraButtons });
    for (const [i, part] of parts.entries()) {
      const common = {
        link_preview_options: { is_disabled: !part.linkPreview },
        ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
        ...(i === 0 && target.replyTo !== undefined ? { reply_parameters: { message_id: target.replyTo, allow_sending_without_reply: true } } : {}),
        ...(part.keyboard !== undefined ? { reply_markup: { inline_keyboard: part.keyboard } } : {}),
      };
      try {
        await bot.api.sendMessage(target.chatId, part.html, { parse_mode: 'HTML', ...common });
      } catch (e) {
        // Never expected (the renderer escapes everything), but a reader should not lose the answer.
        if (e instanceof GrammyError && e.error_code === 400 && /can't parse entities/i.test(e.description)) {
          log.error({ err: e, html: part.html.slice(0, 500) }, 'telegram refused our HTML; sending plain text');
          await bot.api.sendMessage(target.chatId, part.text, common);
        } else throw e;
      }
    }
  }

  function keepTyping(target: Target): () => void {
    let stopped = false;
    const ping = (): void => {
      if (stopped) return;
      bot.api.sendChatAction(target.chatId, 'typing', target.threadId !== undefined ? { message_thread_id: target.threadId } : {}).catch((err: unknown) => log.debug({ err }, 'chat action failed'));
    };
    ping();
    const timer = setInterval(ping, typingEvery);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Rate limits: refused requests get one polite answer, then silence until they are allowed again.

  function allowed(userKey: string, chatKey: string | undefined): { ok: true } | { ok: false; warn: boolean; seconds: number } {
    if (limits === undefined) return { ok: true };
    const pairs: [RateLimiter, string][] = [[limits.user, userKey]];
    if (chatKey !== undefined) pairs.push([limits.chat, chatKey]);
    const d = takeAll(pairs);
    if (d.allowed) return { ok: true };
    const now = Date.now();
    const key = chatKey === undefined ? userKey : `${chatKey}|${userKey}`;
    const until = warnedUntil.get(key) ?? 0;
    const warn = until <= now;
    if (warn) warnedUntil.set(key, now + d.retryAfterMs);
    if (warnedUntil.size > 10_000) for (const [k, t] of warnedUntil) if (t <= now) warnedUntil.delete(k);
    return { ok: false, warn, seconds: Math.max(1, Math.ceil(d.retryAfterMs / 1000)) };
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  function contextFor(msg: Message, locale: Locale, canManage: boolean): CommandContext {
    const chat = msg.chat;
    const from = msg.from;
    const sender = msg.sender_chat;
    const isPrivate = chat.type === 'private';
    const title = 'title' in chat ? chat.title : undefined;
    const name = from !== undefined ? (from.username !== undefined ? `@${from.username}` : [from.first_name, from.last_name].filter(Boolean).join(' ')) : sender !== undefined && 'title' in sender ? sender.title : undefined;
    return {
      locale,
      user: { id: String(from?.id ?? sender?.id ?? chat.id), ...(name !== undefined && name !== '' ? { name } : {}) },
      place: { platform: 'telegram', channelId: String(chat.id), isPrivate, ...(title !== undefined ? { channelName: title } : {}) },
      canManage,
      services,
      logger: log,
      signal: stopping.signal,
      ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
    };
  }

  /** May the sender change this chat's digest? Private chats and channels: yes; groups: administrators. */
  async function canManage(msg: Message): Promise<boolean> {
    const chat = msg.chat;
    if (chat.type === 'private' || chat.type === 'channel') return true;
    // An anonymous administrator posts as the group itself.
    if (msg.sender_chat?.id === chat.id) return true;
    if (msg.from === undefined) return false;
    try {
      const member = await bot.api.getChatMember(chat.id, msg.from.id);
      return member.status === 'creator' || member.status === 'administrator';
    } catch (err) {
      log.warn({ err, chat: chat.id }, 'getChatMember failed; treating the sender as a member');
      return false;
    }
  }

  /** The help command's reply with what is particular to Telegram; /start greets first. */
  async function helpReply(locale: Locale, ctx: CommandContext, greet: { name: string | undefined } | undefined): Promise<Reply> {
    const help = opts.commands.get('help');
    const base = help !== undefined ? await help.execute({ text: '', options: {} }, ctx) : infoReply(locale, '', 'Ringkas');
    const blocks = [...base.blocks, { type: 'text' as const, text: HELP_EXTRA[locale] }];
    if (greet !== undefined) blocks.unshift({ type: 'text', text: GREETING[locale](greet.name) });
    return { ...base, blocks: blocks.filter((b) => b.type !== 'text' || b.text.trim() !== '') };
  }

  async function runInvocation(msg: Message, command: string, text: string, explicit: boolean, addressed: boolean): Promise<void> {
    const receivedAt = performance.now();
    const served = (name: string, outcome: Reply | 'SEND_FAILED'): void =>
      metrics?.commandServed('telegram', commandLabel(opts.commands, name), typeof outcome === 'string' ? outcome : outcomeOf(outcome), (performance.now() - receivedAt) / 1000);
    const chat = msg.chat;
    const isPrivate = chat.type === 'private';
    const locale = toLocale(msg.from?.language_code);
    const target: Target = {
      chatId: chat.id,
      ...(msg.is_topic_message === true && msg.message_thread_id !== undefined ? { threadId: msg.message_thread_id } : {}),
      ...(!isPrivate && chat.type !== 'channel' ? { replyTo: msg.message_id } : {}),
    };
    const name = command === 'start' ? 'help' : command;
    const cmd = opts.commands.get(name);
    if (cmd === undefined) {
      // In groups, a /command without our name may be meant for another bot.
      if (isPrivate || addressed) {
        const unknown = errorReply('UNKNOWN_COMMAND', messageFor('UNKNOWN_COMMAND', locale), locale);
        await send(target, unknown);
        served(name, unknown);
      }
      return;
    }
    let manage = isPrivate || chat.type === 'channel';
    if (name === 'digest' && !manage) {
      const action = parseDigestInput({ text, options: {} });
      if (action.kind === 'subscribe' || action.kind === 'unsubscribe') manage = await canManage(msg);
    }
    const ctx = contextFor(msg, locale, manage);
    if (name === 'help') {
      const help = await helpReply(locale, ctx, command === 'start' ? { name: msg.from?.first_name } : undefined);
      await send(target, help);
      served(name, help);
      return;
    }
    const stopTyping = name === 'berita' ? keepTyping(target) : () => {};
    let reply: Reply;
    let extra: ReplyButton[] = [];
    try {
      reply = await cmd.execute({ text, options: {} }, ctx);
      if (reply.kind === 'reading') extra = await readingButtons(reply, memory, services);
    } catch (err) {
      log.error({ err, command: name }, 'telegram command failed');
      reply = errorReply('INTERNAL', messageFor('INTERNAL', locale), locale);
    } finally {
      stopTyping();
    }
    log.info({ command: name, chat: chat.id, kind: reply.kind, code: reply.error?.code, explicit }, 'telegram command answered');
    try {
      await send(target, reply, extra);
    } catch (err) {
      served(name, 'SEND_FAILED');
      throw err;
    }
    served(name, reply);
  }

  function limitKeys(msg: Message): { user: string; chat: string | undefined } {
    const who = msg.from?.id ?? msg.sender_chat?.id ?? msg.chat.id;
    return { user: `u:${who}`, chat: msg.chat.type === 'private' ? undefined : `c:${msg.chat.id}` };
  }

  function dispatch(msg: Message, command: string, text: string, explicit: boolean, addressed: boolean): void {
    const keys = limitKeys(msg);
    const verdict = allowed(keys.user, keys.chat);
    const chatKey = String(msg.chat.id);
    if (!verdict.ok) {
      log.info({ chat: msg.chat.id, user: keys.user }, 'telegram request rate-limited');
      metrics?.commandServed('telegram', commandLabel(opts.commands, command === 'start' ? 'help' : command), 'RATE_LIMITED', 0);
      if (verdict.warn) {
        const locale = toLocale(msg.from?.language_code);
        queues.run(chatKey, () => send({ chatId: msg.chat.id }, errorReply('RATE_LIMITED', messageFor('RATE_LIMITED', locale, { seconds: verdict.seconds }), locale)));
      }
      return;
    }
    queues.run(chatKey, () => runInvocation(msg, command, text, explicit, addressed));
  }

  function flushPaste(chatId: number): void {
    const p = pastes.get(chatId);
    if (p === undefined) return;
    clearTimeout(p.timer);
    pastes.delete(chatId);
    let joined = '';
    for (const part of p.parts) joined += joined === '' ? part : `${/[.!?…"”’]$/.test(joined) ? '\n' : ' '}${part}`;
    dispatch(p.msg, 'berita', joined, false, true);
  }

  function onMessage(msg: Message): void {
    const isPrivate = msg.chat.type === 'private';
    if (msg.migrate_to_chat_id !== undefined) {
      const from = String(msg.chat.id);
      const to = String(msg.migrate_to_chat_id);
      queues.run(from, () => moveSubscription(from, to));
      return;
    }
    const username = bot.botInfo.username;
    const inv = invocationOf(msg, username, isPrivate);
    const pending = pastes.get(msg.chat.id);
    if (pending !== undefined) {
      // The next piece of a split paste: plain text, no command.
      if (inv !== undefined && !inv.explicit && msg.text !== undefined) {
        pending.parts.push(msg.text.trim());
        pending.timer.refresh();
        return;
      }
      flushPaste(msg.chat.id);
    }
    if (inv === undefined) {
      // A photo, sticker or file without a link in a private chat: say what the bot can read.
      const media = msg.photo ?? msg.sticker ?? msg.document ?? msg.video ?? msg.voice ?? msg.audio ?? msg.animation ?? msg.video_note;
      if (isPrivate && media !== undefined) dispatch(msg, 'berita', '', false, true);
      return;
    }
    if (isPrivate && !inv.explicit && msg.text !== undefined && msg.text.length >= PASTE_PIECE_MIN && inv.text === msg.text.trim()) {
      // Possibly the first piece of a long paste: wait briefly for the rest.
      const timer = setTimeout(() => flushPaste(msg.chat.id), opts.pasteIdleMs ?? 1500);
      pastes.set(msg.chat.id, { parts: [inv.text], msg, timer });
      return;
    }
    dispatch(msg, inv.command, inv.text, inv.explicit, inv.addressed);
  }

  // ---------------------------------------------------------------------------------------------
  // Buttons

  async function onCallback(cq: CallbackQuery): Promise<void> {
    const locale = toLocale(cq.from.language_code);
    const answer = (text?: string): Promise<unknown> =>
      bot.api.answerCallbackQuery(cq.id, text !== undefined ? { text } : {}).catch((err: unknown) => log.debug({ err }, 'answerCallbackQuery failed'));
    const m = /^([a-z]+):([A-Za-z0-9_-]{1,40})$/.exec(cq.data ?? '');
    const message = cq.message;
    if (m === null || message === undefined || (m[1] !== ACTION_MORE_QUOTES && m[1] !== ACTION_RELATED)) {
      await answer(messageFor('UNKNOWN_COMMAND', locale));
      return;
    }
    const verdict = allowed(`u:${cq.from.id}`, message.chat.type === 'private' ? undefined : `c:${message.chat.id}`);
    if (!verdict.ok) {
      await answer(messageFor('RATE_LIMITED', locale, { seconds: verdict.seconds }));
      return;
    }
    const action = m[1];
    const key = m[2] as string;
    let reading = memory.get(key);
    const target: Target = { chatId: message.chat.id, ...('message_thread_id' in message && message.is_topic_message === true && message.message_thread_id !== undefined ? { threadId: message.message_thread_id } : {}) };
    if (reading === undefined) {
      // Not in this instance's memory (a restart, another instance): the title link of the message.
      const entities = 'entities' in message ? (message.entities ?? []) : [];
      const url = firstLink('text' in message ? (message.text ?? '') : '', entities.filter((e) => e.type === 'text_link'));
      if (url === undefined) {
        await answer(EXPIRED[locale]);
        return;
      }
      await answer();
      const stopTyping = keepTyping(target);
      try {
        reading = await services.reader.readUrl(url, { signal: stopping.signal });
      } catch (err) {
        log.info({ err, url }, 'could not re-read the article for a button');
        stopTyping();
        await send(target, errorReply('INTERNAL', EXPIRED[locale], locale));
        return;
      }
      stopTyping();
    } else await answer();
    const reply = action === ACTION_MORE_QUOTES ? moreQuotesReply(reading, locale, QUOTES_SHOWN) : await relatedReply(reading, locale, services);
    await send(target, reply ?? infoReply(locale, NOTHING_MORE[locale][action]));
    // The button has done its work: take it off the message (so it is not pressed twice).
    const markup = 'reply_markup' in message ? message.reply_markup : undefined;
    if (markup !== undefined) {
      const rows = markup.inline_keyboard.map((row) => row.filter((b) => !('callback_data' in b) || b.callback_data !== cq.data)).filter((row) => row.length > 0);
      await bot.api
        .editMessageReplyMarkup(message.chat.id, message.message_id, { reply_markup: { inline_keyboard: rows } })
        .catch((err: unknown) => log.debug({ err }, 'could not remove the used button'));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Membership: blocked or removed -> the digest pauses at once (the deliverer also reports it).

  async function moveSubscription(from: string, to: string): Promise<void> {
    const store = opts.services.subscriptions;
    if (store === undefined) return;
    const sub = await store.get('telegram', from);
    if (sub === undefined) return;
    await store.put({ ...sub, channelId: to });
    await store.remove('telegram', from);
    log.info({ from, to }, 'telegram digest moved to the supergroup');
  }

  async function onMembership(update: ChatMemberUpdated): Promise<void> {
    const status = update.new_chat_member.status;
    if (status !== 'kicked' && status !== 'left') return;
    const store = opts.services.subscriptions;
    if (store === undefined) return;
    const channelId = String(update.chat.id);
    const sub = await store.get('telegram', channelId);
    if (sub === undefined || sub.paused) return;
    const reason = update.chat.type === 'private' ? PAUSED_REASON.blocked : status === 'kicked' ? PAUSED_REASON.kicked : PAUSED_REASON.left;
    await store.put({ ...sub, paused: true, pausedReason: reason });
    log.info({ chat: channelId, status }, 'telegram digest paused: the bot can no longer post there');
  }

  // ---------------------------------------------------------------------------------------------

  bot.on(['message', 'channel_post'], (ctx) => {
    if (ctx.msg !== undefined) onMessage(ctx.msg);
  });
  bot.on('callback_query', (ctx) => {
    const cq = ctx.callbackQuery;
    queues.run(`cb:${cq.message?.chat.id ?? cq.from.id}`, () => onCallback(cq));
  });
  bot.on('my_chat_member', (ctx) => {
    const u = ctx.myChatMember;
    queues.run(String(u.chat.id), () => onMembership(u));
  });
  bot.catch((err) => log.error({ err: err.error, update: err.ctx.update.update_id }, 'telegram middleware failed'));

  return {
    bot,
    deliverer,
    idle: () => queues.idle(),
    flushPastes() {
      for (const chatId of [...pastes.keys()]) flushPaste(chatId);
    },
    abort: () => stopping.abort(),
    closeConnections: () => agent.destroy(),
    async setCommands() {
      for (const locale of ['id', 'en'] as const) {
        const list = [...opts.commands.values()]
          .filter((c) => /^[a-z0-9_]{1,32}$/.test(c.data.name))
          .map((c) => ({ command: c.data.name, description: c.data.description[locale].slice(0, 256) }));
        await bot.api.setMyCommands(list, locale === 'en' ? { language_code: 'en' } : {});
      }
    },
  };
}

export { chatIdOf };
