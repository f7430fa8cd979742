/**
 * A fake Telegram Bot API on loopback, for running the real grammY client end to end.
 *
 * ```ts
 * const tg = await startFakeTelegram();
 * const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });   // no trailing slash
 * ...start the bot (long polling or webhook)...
 * const alice = tg.user({ first_name: 'Alice' });
 * tg.sendText(alice, tg.privateChat(alice), '/berita https://...');    // pushes an update
 * const [reply] = await tg.waitForMessages(alice.id, 1);              // the bot's answers
 * expect(reply.text).toContain('...');
 * await tg.close();
 * ```
 *
 * It serves `POST /bot<token>/<method>` with JSON bodies: getMe, getUpdates (long polling that
 * honours `offset`, `limit` and `timeout`; 409 while a webhook is set or when a newer poll
 * arrives), setWebhook, deleteWebhook, getWebhookInfo, sendMessage, sendChatAction,
 * setMyCommands, getMyCommands, getChatMember, answerCallbackQuery, editMessageText,
 * editMessageReplyMarkup. Other methods answer 404 "Not Found", a wrong token 401 "Unauthorized".
 *
 * It validates what it receives the way Telegram does and answers with Telegram's errors: HTML
 * parse mode with only the tags Telegram accepts, properly nested, balanced and escaped (400
 * "Bad Request: can't parse entities: ..."), text of 1..4096 characters after parsing, inline
 * keyboards (callback_data 1..64 bytes, http(s) URLs), replies to existing messages, known
 * chats (400 "Bad Request: chat not found"), blocked and kicked bots (403).
 *
 * Failures can be scripted per method (`fail`): 429 with retry_after, 403, 5xx bursts, a reset
 * connection, a slow answer (`delayMs`, `holdAnswerMs`). With a webhook set (setWebhook), pushed
 * updates are POSTed to it with the X-Telegram-Bot-Api-Secret-Token header instead of being queued
 * for getUpdates.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// -------------------------------------------------------------------------------------------------
// Telegram HTML, parsed the way the Bot API parses it.

export interface ParsedEntity {
  type: string;
  /** In UTF-16 code units, like Telegram. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface ParsedText {
  text: string;
  entities: ParsedEntity[];
}

export class EntityParseError extends Error {}

const FORMATTING: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
};
const OTHER_TAGS = new Set(['a', 'code', 'pre', 'blockquote', 'tg-emoji', 'tg-time']);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function byteOffset(s: string, index: number): number {
  return Buffer.byteLength(s.slice(0, index), 'utf8');
}

function decodeEntities(raw: string, whole: string, at: number): string {
  return raw.replace(/&([^;\s&<>]*);?/g, (m, name: string, off: number) => {
    const pos = at + off;
    if (!m.endsWith(';')) throw new EntityParseError(`Character "&" is reserved and must be escaped as "&amp;" at byte offset ${byteOffset(whole, pos)}`);
    const named = NAMED_ENTITIES[name];
    if (named !== undefined) return named;
    const num = /^#(\d{1,7})$/.exec(name) ?? null;
    const hex = /^#[xX]([0-9a-fA-F]{1,6})$/.exec(name) ?? null;
    const code = num !== null ? Number(num[1]) : hex !== null ? parseInt(hex[1] ?? '', 16) : undefined;
    if (code === undefined || code > 0x10ffff || code === 0 || (code >= 0xd800 && code <= 0xdfff)) {
      throw new EntityParseError(`Unsupported HTML entity "${m}" at byte offset ${byteOffset(whole, pos)}`);
    }
    return String.fromCodePoint(code);
  });
}

/** Telegram reads JSON as UTF-8: a lone UTF-16 surrogate (half an emoji) cannot be encoded. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

function validUrl(url: string, schemes: readonly string[]): boolean {
  try {
    const u = new URL(url);
    return schemes.includes(u.protocol) && (u.protocol === 'tg:' || u.hostname !== '');
  } catch {
    return false;
  }
}

/**
 * Parses Telegram HTML into text and entities, or throws EntityParseError with a message like the
 * Bot API's. Stricter than nothing, as strict as the documentation: every `<`, `>` and `&` outside
 * tags and entities must be escaped; only documented tags and attributes; nesting rules enforced.
 */
export function parseTelegramHtml(html: string): ParsedText {
  let text = '';
  const entities: ParsedEntity[] = [];
  const stack: { name: string; type: string; start: number; at: number; url?: string; language?: string }[] = [];
  let i = 0;
  const fail = (msg: string, at: number): never => {
    throw new EntityParseError(`${msg} at byte offset ${byteOffset(html, at)}`);
  };
  while (i < html.length) {
    const c = html[i] as string;
    if (c === '>') fail('Character ">" is reserved and must be escaped as "&gt;"', i);
    if (c !== '<') {
      const next = html.indexOf('<', i);
      const stop = next === -1 ? html.length : next;
      const gt = html.indexOf('>', i);
      const chunkEnd = gt !== -1 && gt < stop ? gt : stop;
      text += decodeEntities(html.slice(i, chunkEnd), html, i);
      i = chunkEnd;
      continue;
    }
    const end = /^<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/.exec(html.slice(i));
    if (end !== null) {
      const name = (end[1] ?? '').toLowerCase();
      const top = stack.pop();
      if (top === undefined) fail(`Unexpected end tag "</${name}>"`, i);
      else if (top.name !== name) fail(`Unmatched end tag, expected "</${top.name}>", found "</${name}>"`, i);
      else if (text.length > top.start && top.type !== '') {
        const e: ParsedEntity = { type: top.type, offset: top.start, length: text.length - top.start };
        if (top.url !== undefined) e.url = top.url;
        if (top.language !== undefined) e.language = top.language;
        entities.push(e);
      }
      i += end[0].length;
      continue;
    }
    const start = /^<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*)\s*>/.exec(html.slice(i));
    if (start === null) fail('Unexpected character "<", which must be escaped as "&lt;"', i);
    const name = (start?.[1] ?? '').toLowerCase();
    const attrs = new Map<string, string>();
    for (const a of (start?.[2] ?? '').matchAll(/([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?/g)) {
      attrs.set((a[1] ?? '').toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? '', html, i));
    }
    if (!(name in FORMATTING) && !OTHER_TAGS.has(name)) fail(`Unsupported start tag "${name}"`, i);
    let type = FORMATTING[name] ?? name;
    let url: string | undefined;
    const inside = stack.map((s) => s.name);
    if (inside.includes('code') || (inside.includes('pre') && name !== 'code')) fail(`Can't use tag "${name}" inside a code or pre entity`, i);
    switch (name) {
      case 'span':
        if (attrs.get('class') !== 'tg-spoiler') fail('Tag "span" must have class "tg-spoiler"', i);
        break;
      case 'a': {
        const href = attrs.get('href');
        if (href === undefined || !validUrl(href, ['http:', 'https:', 'tg:', 'mailto:', 'ton:'])) fail(`Wrong URL "${href ?? ''}" in tag "a"`, i);
        if (inside.includes('a')) fail('Nested links are not allowed', i);
        type = href?.startsWith('tg://user') === true ? 'text_mention' : 'text_link';
        url = href;
        break;
      }
      case 'blockquote':
        if (inside.includes('blockquote')) fail('Blockquotes can\'t be nested', i);
        type = attrs.has('expandable') ? 'expandable_blockquote' : 'blockquote';
        break;
      case 'code': {
        const cls = attrs.get('class');
        const parent = stack.at(-1);
        if (cls !== undefined && (parent?.name !== 'pre' || !cls.startsWith('language-'))) fail('Programming language can be specified only for a code inside pre', i);
        // <pre><code class="language-x"> is one pre entity with a language.
        if (parent?.name === 'pre') {
          if (cls !== undefined) parent.language = cls.slice('language-'.length);
          type = '';
        }
        break;
      }
      case 'tg-emoji':
        if (!/^\d+$/.test(attrs.get('emoji-id') ?? '')) fail('Tag "tg-emoji" must have a numeric "emoji-id"', i);
        type = 'custom_emoji';
        break;
      case 'tg-time':
        if (!/^\d+$/.test(attrs.get('unix') ?? '')) fail('Tag "tg-time" must have a numeric "unix"', i);
        type = 'date_time';
        break;
      default:
        break;
    }
    const frame: (typeof stack)[number] = { name, type, start: text.length, at: i };
    if (url !== undefined) frame.url = url;
    stack.push(frame);
    i += start?.[0].length ?? 1;
  }
  const open = stack.pop();
  if (open !== undefined) throw new EntityParseError(`Can't find end tag corresponding to start tag "${open.name}"`);
  return trimParsed({ text, entities: entities.sort((a, b) => a.offset - b.offset || b.length - a.length) });
}

/** Telegram strips leading and trailing whitespace and moves the entities with the text. */
function trimParsed(p: ParsedText): ParsedText {
  const lead = p.text.length - p.text.trimStart().length;
  const text = p.text.trim();
  const entities: ParsedEntity[] = [];
  for (const e of p.entities) {
    const from = Math.max(0, e.offset - lead);
    const to = Math.min(text.length, e.offset - lead + e.length);
    if (to > from) entities.push({ ...e, offset: from, length: to - from });
  }
  return { text, entities };
}

// -------------------------------------------------------------------------------------------------
// Bot API objects (the parts the fake uses).

export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
}

export interface UserMessage {
  message_id: number;
  date: number;
  chat: FakeChat;
  from?: FakeUser;
  sender_chat?: FakeChat;
  text?: string;
  caption?: string;
  entities?: ParsedEntity[];
  caption_entities?: ParsedEntity[];
  forward_origin?: Record<string, unknown>;
  reply_to_message?: UserMessage;
  [key: string]: unknown;
}

export interface FakeUpdate {
  update_id: number;
  message?: UserMessage;
  channel_post?: UserMessage;
  callback_query?: { id: string; from: FakeUser; chat_instance: string; data: string; message?: Record<string, unknown> };
  my_chat_member?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A message the bot sent (sendMessage), as Telegram stored it. */
export interface SentMessage {
  message_id: number;
  chat_id: number;
  /** The `text` parameter as sent (HTML when parse_mode is HTML). */
  html: string;
  /** The text after entity parsing, as users see it. */
  text: string;
  entities: ParsedEntity[];
  parse_mode?: string;
  reply_markup?: { inline_keyboard: { text: string; url?: string; callback_data?: string }[][] };
  link_preview_options?: { is_disabled?: boolean; url?: string };
  reply_parameters?: { message_id: number; allow_sending_without_reply?: boolean };
  message_thread_id?: number;
  /** How many times editMessageText / editMessageReplyMarkup changed it. */
  edits: number;
  at: number;
}

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  /** HTTP status answered (0 for a reset connection). */
  status: number;
  description?: string;
  at: number;
}

export interface ScriptedFailure {
  /** error_code and HTTP status, e.g. 429, 403, 502. */
  status?: number;
  description?: string;
  /** parameters.retry_after (seconds), for 429. */
  retryAfter?: number;
  /** parameters.migrate_to_chat_id, for 400 "group chat was upgraded to a supergroup chat". */
  migrateTo?: number;
  /** Destroy the connection without answering (a network error for the client). */
  reset?: boolean;
  /** How many calls fail (default 1). */
  times?: number;
  /** Only calls for this chat_id fail. */
  chatId?: number;
  /**
   * Hold the call this long before anything else. Then, with `status` or `reset`, it fails as
   * scripted; with neither it goes through normally, unless the client hung up meanwhile (its
   * process died): then it is dropped unprocessed, as a request that never reached Telegram.
   */
  delayMs?: number;
  /** Carry the call out at once (the message is sent) but hold the answer this long. */
  holdAnswerMs?: number;
}

export type ChatState = 'ok' | 'blocked' | 'kicked' | 'deactivated' | 'gone';
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const bad = (description: string, parameters?: Record<string, unknown>): ApiFailure => new ApiFailure(400, `Bad Request: ${description}`, parameters);

export interface FakeTelegram {
  readonly token: string;
  /** e.g. `http://127.0.0.1:40123` (no trailing slash): grammY's `client.apiRoot`. */
  readonly apiRoot: string;
  readonly bot: FakeUser & { username: string };
  /** Every API call received, in order. */
  readonly calls: readonly RecordedCall[];
  /** Calls of one method. */
  callsOf(method: string): RecordedCall[];
  /** Messages the bot sent (to one chat, or all), in order, as they are now (after edits). */
  messages(chatId?: number): SentMessage[];
  /** sendChatAction actions per chat, in order. */
  actions(chatId: number): string[];
  /** setMyCommands by "<scope type>:<language code>" ("default:", "default:en"). */
  readonly commands: ReadonlyMap<string, { command: string; description: string }[]>;
  /** answerCallbackQuery calls, in order. */
  readonly callbackAnswers: readonly { callback_query_id: string; text?: string; show_alert?: boolean }[];
  /** The webhook set with setWebhook, if any. */
  readonly webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | undefined;
  /** Status of every webhook POST, in order. */
  readonly webhookDeliveries: readonly { update_id: number; status: number }[];

  /** A new user (ids count up from 1000). */
  user(over?: Partial<FakeUser>): FakeUser;
  /** The private chat with a user (registered as known). */
  privateChat(user: FakeUser): FakeChat;
  /** A group or supergroup (registered as known); ids are negative. */
  group(title: string, type?: 'group' | 'supergroup'): FakeChat;
  /** A channel (registered as known). */
  channel(title: string): FakeChat;
  /** Registers a chat as known (sendMessage to unknown chats fails with "chat not found"). */
  addChat(chat: FakeChat): void;
  /** A user's status in a chat for getChatMember (default "member"). */
  setMember(chatId: number, userId: number, status: MemberStatus): void;
  /** Makes sending to a chat fail the way Telegram does when the bot was blocked, kicked, ... */
  setChatState(chatId: number, state: ChatState): void;
  /** Scripts failures for a method. */
  fail(method: string, failure: ScriptedFailure): void;

  /** Queues an update (or POSTs it to the webhook); returns it with its update_id. */
  pushUpdate(update: Omit<FakeUpdate, 'update_id'>): Promise<FakeUpdate>;
  /** A text message from a user; `/command` and URLs get their entities like Telegram's. */
  sendText(from: FakeUser, chat: FakeChat, text: string, extra?: Partial<UserMessage>): Promise<UserMessage>;
  /** A post in a channel. */
  postInChannel(chat: FakeChat, text: string): Promise<UserMessage>;
  /** Presses an inline button of a bot message; returns the callback query id. */
  pressButton(from: FakeUser, message: SentMessage, callbackData: string): Promise<string>;
  /** POSTs an update to the webhook with the given secret (or none), returns the HTTP status. */
  postToWebhook(update: Omit<FakeUpdate, 'update_id'>, secret: string | undefined): Promise<number>;

  /** Resolves with the chat's first `count` bot messages once there are that many. */
  waitForMessages(chatId: number, count: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** Resolves once the predicate holds (checked after every call). */
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number, what?: string): Promise<T>;
  /** getUpdates requests currently held open. */
  readonly pendingPolls: number;
  close(): Promise<void>;
}

export interface FakeTelegramOptions {
  token?: string;
  botUsername?: string;
}

// Telegram's own chat actions.
const CHAT_ACTIONS = new Set(['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note']);

/** Entities Telegram adds to what a user types: the leading /command and bare links. */
function userEntities(text: string): ParsedEntity[] {
  const out: ParsedEntity[] = [];
  const cmd = /^\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?/.exec(text);
  if (cmd !== null) out.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+/g)) out.push({ type: 'url', offset: m.index, length: m[0].length });
  return out;
}

export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = opts.token ?? '123456:TEST-token_for-ringkas';
  const botUser = { id: 123456, is_bot: true, first_name: 'Ringkas', username: opts.botUsername ?? 'RingkasTestBot' };
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const calls: RecordedCall[] = [];
  const sent: SentMessage[] = [];
  const actions = new Map<number, string[]>();
  const commands = new Map<string, { command: string; description: string }[]>();
  const callbackAnswers: { callback_query_id: string; text?: string; show_alert?: boolean }[] = [];
  const webhookDeliveries: { update_id: number; status: number }[] = [];
  const chats = new Map<number, FakeChat>();
  const chatStates = new Map<number, ChatState>();
  const members = new Map<string, MemberStatus>();
  const failures = new Map<string, ScriptedFailure[]>();
  const messageIds = new Map<number, number>();
  const knownMessages = new Set<string>();
  const openCallbacks = new Set<string>();
  const users = new Map<number, FakeUser>();
  let webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | undefined;
  let queue: FakeUpdate[] = [];
  let nextUpdateId = 1;
  let nextUserId = 1000;
  let nextGroupId = 100;
  let nextCallback = 1;
  let poll: { resolve: (answer: ApiAnswer) => void; offset: number; limit: number } | undefined;
  let closed = false;
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const changed = (): void => void events.emit('change');
  const nextMessageId = (chatId: number): number => {
    const id = (messageIds.get(chatId) ?? 0) + 1;
    messageIds.set(chatId, id);
    knownMessages.add(`${chatId}:${id}`);
    return id;
  };
  const addChat = (chat: FakeChat): void => void chats.set(chat.id, chat);

  function chatOf(payload: Record<string, unknown>): FakeChat {
    const raw = payload['chat_id'];
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
    if (id === undefined) {
      if (typeof raw === 'string' && raw.startsWith('@')) {
        const byName = [...chats.values()].find((c) => c.username !== undefined && `@${c.username}` === raw);
        if (byName !== undefined) return byName;
      }
      throw bad('chat not found');
    }
    const chat = chats.get(id);
    if (chat === undefined || chatStates.get(id) === 'gone') throw bad('chat not found');
    return chat;
  }

  function canPost(chat: FakeChat): void {
    switch (chatStates.get(chat.id) ?? 'ok') {
      case 'blocked':
        throw new ApiFailure(403, 'Forbidden: bot was blocked by the user');
      case 'kicked':
        throw new ApiFailure(403, `Forbidden: bot was kicked from the ${chat.type === 'supergroup' ? 'supergroup' : chat.type === 'channel' ? 'channel' : 'group'} chat`);
      case 'deactivated':
        throw new ApiFailure(403, 'Forbidden: user is deactivated');
      default:
    }
  }

  function parseText(payload: Record<string, unknown>, field = 'text'): ParsedText {
    const raw = payload[field];
    if (typeof raw !== 'string') throw bad('message text is empty');
    if (hasLoneSurrogate(raw)) throw bad('text must be encoded in UTF-8');
    const mode = payload['parse_mode'];
    let parsed: ParsedText;
    if (mode === undefined || mode === '') parsed = { text: raw.trim(), entities: [] };
    else if (mode === 'HTML') {
      try {
        parsed = parseTelegramHtml(raw);
      } catch (e) {
        if (e instanceof EntityParseError) throw bad(`can't parse entities: ${e.message}`);
        throw e;
      }
    } else throw bad(`unsupported parse_mode "${String(mode)}"`);
    if (parsed.text.length === 0) throw bad('message text is empty');
    if (parsed.text.length > 4096) throw bad('message is too long');
    return parsed;
  }

  function checkMarkup(markup: unknown): SentMessage['reply_markup'] | undefined {
    if (markup === undefined) return undefined;
    const kb = (markup as { inline_keyboard?: unknown }).inline_keyboard;
    if (!Array.isArray(kb)) throw bad('can\'t parse reply keyboard markup JSON object');
    for (const row of kb) {
      if (!Array.isArray(row)) throw bad('can\'t parse inline keyboard button: InlineKeyboardButton must be an Object');
      for (const b of row as Record<string, unknown>[]) {
        if (typeof b['text'] !== 'string' || b['text'].trim() === '') throw bad('inline keyboard button text must be non-empty');
        const data = b['callback_data'];
        const url = b['url'];
        if ((data === undefined) === (url === undefined)) throw bad('can\'t parse inline keyboard button: Text buttons are unallowed in the inline keyboard');
        if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)) throw bad('BUTTON_DATA_INVALID');
        if (url !== undefined && (typeof url !== 'string' || !validUrl(url, ['http:', 'https:', 'tg:']))) throw bad(`inline keyboard button URL '${String(url)}' is invalid: Wrong HTTP URL`);
      }
    }
    return markup as SentMessage['reply_markup'];
  }

  function publicMessage(m: SentMessage, chat: FakeChat): Record<string, unknown> {
    return {
      message_id: m.message_id,
      date: Math.floor(m.at / 1000),
      chat,
      from: botUser,
      text: m.text,
      ...(m.entities.length > 0 ? { entities: m.entities } : {}),
      ...(m.reply_markup !== undefined ? { reply_markup: m.reply_markup } : {}),
    };
  }

  function findSent(payload: Record<string, unknown>): { m: SentMessage; chat: FakeChat } {
    const chat = chatOf(payload);
    const id = Number(payload['message_id']);
    const m = sent.find((s) => s.chat_id === chat.id && s.message_id === id);
    if (m === undefined) throw bad('message to edit not found');
    return { m, chat };
  }

  const methods: Record<string, (p: Record<string, unknown>) => unknown> = {
    getMe: () => ({ ...botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),
    getWebhookInfo: () => ({ url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: queue.length }),
    setWebhook: (p) => {
      const url = p['url'];
      if (typeof url !== 'string' || url === '') {
        webhook = undefined;
        return true;
      }
      if (!validUrl(url, ['http:', 'https:'])) throw bad('bad webhook: Failed to resolve host');
      const secret = p['secret_token'];
      if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) throw bad('secret token contains unallowed characters');
      if (p['drop_pending_updates'] === true) queue = [];
      webhook = { url, ...(typeof secret === 'string' ? { secret_token: secret } : {}), ...(Array.isArray(p['allowed_updates']) ? { allowed_updates: p['allowed_updates'] as string[] } : {}) };
      return true;
    },
    deleteWebhook: (p) => {
      webhook = undefined;
      if (p['drop_pending_updates'] === true) queue = [];
      return true;
    },
    sendMessage: (p) => {
      const chat = chatOf(p);
      canPost(chat);
      const parsed = parseText(p);
      const markup = checkMarkup(p['reply_markup']);
      const rp = p['reply_parameters'] as SentMessage['reply_parameters'] | undefined;
      if (rp !== undefined && !knownMessages.has(`${chat.id}:${rp.message_id}`) && rp.allow_sending_without_reply !== true) throw bad('message to be replied not found');
      const m: SentMessage = { message_id: nextMessageId(chat.id), chat_id: chat.id, html: p['text'] as string, text: parsed.text, entities: parsed.entities, edits: 0, at: Date.now() };
      if (typeof p['parse_mode'] === 'string') m.parse_mode = p['parse_mode'];
      if (markup !== undefined) m.reply_markup = markup;
      if (p['link_preview_options'] !== undefined) m.link_preview_options = p['link_preview_options'] as NonNullable<SentMessage['link_preview_options']>;
      if (rp !== undefined) m.reply_parameters = rp;
      if (typeof p['message_thread_id'] === 'number') m.message_thread_id = p['message_thread_id'];
      sent.push(m);
      return publicMessage(m, chat);
    },
    editMessageText: (p) => {
      const { m, chat } = findSent(p);
      canPost(chat);
      const parsed = parseText(p);
      const markup = checkMarkup(p['reply_markup']);
      if (m.html === p['text'] && JSON.stringify(m.reply_markup) === JSON.stringify(markup)) {
        throw bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      m.html = p['text'] as string;
      m.text = parsed.text;
      m.entities = parsed.entities;
      if (markup !== undefined) m.reply_markup = markup;
      else delete m.reply_markup;
      m.edits++;
      return publicMessage(m, chat);
    },
    editMessageReplyMarkup: (p) => {
      const { m, chat } = findSent(p);
      const markup = checkMarkup(p['reply_markup']);
      if (JSON.stringify(m.reply_markup) === JSON.stringify(markup)) throw bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      if (markup !== undefined) m.reply_markup = markup;
      else delete m.reply_markup;
      m.edits++;
      return publicMessage(m, chat);
    },
    sendChatAction: (p) => {
      const chat = chatOf(p);
      canPost(chat);
      const action = p['action'];
      if (typeof action !== 'string' || !CHAT_ACTIONS.has(action)) throw bad('wrong parameter action in request');
      const list = actions.get(chat.id) ?? [];
      list.push(action);
      actions.set(chat.id, list);
      return true;
    },
    setMyCommands: (p) => {
      const list = p['commands'];
      if (!Array.isArray(list) || list.length > 100) throw bad('commands must be an array of at most 100 commands');
      for (const c of list as { command?: unknown; description?: unknown }[]) {
        if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw bad('BOT_COMMAND_INVALID');
        if (typeof c.description !== 'string' || c.description.trim() === '' || c.description.length > 256) throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      const lang = typeof p['language_code'] === 'string' ? p['language_code'] : '';
      if (lang !== '' && !/^[a-z]{2}$/.test(lang)) throw bad('LANG_CODE_INVALID');
      const scope = (p['scope'] as { type?: string } | undefined)?.type ?? 'default';
      commands.set(`${scope}:${lang}`, list as { command: string; description: string }[]);
      return true;
    },
    getMyCommands: (p) => {
      const lang = typeof p['language_code'] === 'string' ? p['language_code'] : '';
      const scope = (p['scope'] as { type?: string } | undefined)?.type ?? 'default';
      return commands.get(`${scope}:${lang}`) ?? [];
    },
    getChatMember: (p) => {
      const chat = chatOf(p);
      const userId = Number(p['user_id']);
      if (!Number.isInteger(userId) || userId <= 0) throw bad('invalid user_id specified');
      const user = users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` };
      const status = members.get(`${chat.id}:${userId}`) ?? (chat.type === 'private' ? 'member' : 'member');
      return { status, user, ...(status === 'administrator' ? { can_be_edited: false, can_manage_chat: true, can_change_info: true, can_delete_messages: true, can_invite_users: true, can_restrict_members: true, can_pin_messages: true, can_promote_members: false, can_manage_video_chats: true, is_anonymous: false } : {}) };
    },
    answerCallbackQuery: (p) => {
      const id = p['callback_query_id'];
      if (typeof id !== 'string' || !openCallbacks.has(id)) throw bad('query is too old and response timeout expired or query ID is invalid');
      const text = p['text'];
      if (text !== undefined && (typeof text !== 'string' || text.length > 200)) throw bad('MESSAGE_TOO_LONG');
      openCallbacks.delete(id);
      callbackAnswers.push({ callback_query_id: id, ...(typeof text === 'string' ? { text } : {}), ...(p['show_alert'] === true ? { show_alert: true } : {}) });
      return true;
    },
  };

  function takeFailure(method: string, payload: Record<string, unknown>): ScriptedFailure | undefined {
    const list = failures.get(method);
    if (list === undefined) return undefined;
    const idx = list.findIndex((f) => f.chatId === undefined || Number(payload['chat_id']) === f.chatId);
    if (idx === -1) return undefined;
    const f = list[idx] as ScriptedFailure;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) list.splice(idx, 1);
    return f;
  }

  function answerPoll(offset: number, limit: number): ApiAnswer {
    const result = queue.filter((u) => u.update_id >= offset).slice(0, limit);
    return { status: 200, body: { ok: true, result } };
  }

  function getUpdates(p: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<ApiAnswer> {
    if (webhook !== undefined) throw new ApiFailure(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = typeof p['offset'] === 'number' ? p['offset'] : 0;
    const limit = Math.min(100, Math.max(1, typeof p['limit'] === 'number' ? p['limit'] : 100));
    const timeout = Math.max(0, typeof p['timeout'] === 'number' ? p['timeout'] : 0);
    // Confirming: every update below the offset is forgotten.
    if (offset > 0) queue = queue.filter((u) => u.update_id >= offset);
    // A newer poll ends the one held open, as Telegram does.
    if (poll !== undefined) {
      poll.resolve({ status: 409, body: { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' } });
      poll = undefined;
    }
    const ready = answerPoll(offset, limit);
    if ((ready.body['result'] as unknown[]).length > 0 || timeout === 0 || closed) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const me = {
        offset,
        limit,
        resolve: (a: ApiAnswer) => {
          clearTimeout(timer);
          timers.delete(timer);
          res.off('close', gone);
          if (poll === me) poll = undefined;
          changed();
          resolve(a);
        },
      };
      const timer = setTimeout(() => me.resolve(answerPoll(offset, limit)), timeout * 1000);
      timers.add(timer);
      const gone = (): void => {
        if (!res.writableEnded) me.resolve({ status: 0, body: {} });
      };
      res.on('close', gone);
      poll = me;
      changed();
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec((req.url ?? '').split('?', 1)[0] ?? '');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (a: ApiAnswer): void => {
      if (a.status === 0 || res.destroyed) return;
      const body = JSON.stringify(a.body);
      res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (m === null || m[1] !== token) {
      send({ status: m === null ? 404 : 401, body: { ok: false, error_code: m === null ? 404 : 401, description: m === null ? 'Not Found' : 'Unauthorized' } });
      return;
    }
    const method = m[2] as string;
    let payload: Record<string, unknown> = {};
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['content-type'] ?? '';
    const call: RecordedCall = { method, payload, status: 200, at: Date.now() };
    calls.push(call);
    const answer = async (): Promise<ApiAnswer> => {
      if (raw !== '') {
        if (!type.startsWith('application/json')) throw bad('this fake accepts JSON bodies only');
        try {
          payload = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          throw bad('can\'t parse JSON');
        }
        call.payload = payload;
      }
      const failure = takeFailure(method, payload);
      // Ends early when the client hangs up.
      const hold = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          const done = (): void => {
            clearTimeout(t);
            timers.delete(t);
            res.off('close', done);
            resolve();
          };
          const t = setTimeout(done, ms);
          timers.add(t);
          res.on('close', done);
        });
      if (failure?.delayMs !== undefined) {
        await hold(failure.delayMs);
        if (res.destroyed || req.socket.destroyed) return { status: 0, body: {} };
      }
      if (failure?.reset === true) return { status: 0, body: {} };
      const slowOnly = failure !== undefined && failure.status === undefined && (failure.delayMs !== undefined || failure.holdAnswerMs !== undefined);
      if (failure !== undefined && !slowOnly) {
        const status = failure.status ?? 500;
        const parameters: Record<string, unknown> = {};
        if (failure.retryAfter !== undefined) parameters['retry_after'] = failure.retryAfter;
        if (failure.migrateTo !== undefined) parameters['migrate_to_chat_id'] = failure.migrateTo;
        const description =
          failure.description ??
          (status === 429 ? `Too Many Requests: retry after ${failure.retryAfter ?? 1}` : status >= 500 ? 'Internal Server Error' : status === 403 ? 'Forbidden: bot was blocked by the user' : 'Bad Request');
        throw new ApiFailure(status, description, Object.keys(parameters).length > 0 ? parameters : undefined);
      }
      if (method === 'getUpdates') return getUpdates(payload, req, res);
      const fn = methods[method];
      if (fn === undefined) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
      const result = fn(payload);
      if (failure?.holdAnswerMs !== undefined) {
        changed();
        await hold(failure.holdAnswerMs);
      }
      return { status: 200, body: { ok: true, result } };
    };
    let a: ApiAnswer;
    try {
      a = await answer();
    } catch (e) {
      if (!(e instanceof ApiFailure)) throw e;
      a = { status: e.status, body: { ok: false, error_code: e.status, description: e.description, ...(e.parameters !== undefined ? { parameters: e.parameters } : {}) } };
    }
    call.status = a.status;
    if (a.body['ok'] === false) call.description = a.body['description'] as string;
    if (a.status === 0) {
      req.socket.destroy();
      changed();
      return;
    }
    send(a);
    changed();
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function postJson(url: string, body: unknown, secret: string | undefined): Promise<number> {
    return new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
      if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
      const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  function register(msg: UserMessage): void {
    addChat(msg.chat);
    if (msg.from !== undefined) users.set(msg.from.id, msg.from);
    knownMessages.add(`${msg.chat.id}:${msg.message_id}`);
  }

  const fake: FakeTelegram = {
    token,
    apiRoot,
    bot: botUser,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    messages: (chatId) => (chatId === undefined ? [...sent] : sent.filter((s) => s.chat_id === chatId)),
    actions: (chatId) => [...(actions.get(chatId) ?? [])],
    commands,
    callbackAnswers,
    get webhook() {
      return webhook;
    },
    webhookDeliveries,
    user(over = {}) {
      const u: FakeUser = { id: nextUserId++, is_bot: false, first_name: 'Pengguna', language_code: 'id', ...over };
      users.set(u.id, u);
      return u;
    },
    privateChat(user) {
      const chat: FakeChat = { id: user.id, type: 'private', first_name: user.first_name, ...(user.username !== undefined ? { username: user.username } : {}) };
      addChat(chat);
      return chat;
    },
    group(title, type = 'group') {
      const n = nextGroupId++;
      const chat: FakeChat = { id: type === 'supergroup' ? -1001000000000 - n : -n, type, title };
      addChat(chat);
      return chat;
    },
    channel(title) {
      const n = nextGroupId++;
      const chat: FakeChat = { id: -1002000000000 - n, type: 'channel', title };
      addChat(chat);
      return chat;
    },
    addChat,
    setMember: (chatId, userId, status) => void members.set(`${chatId}:${userId}`, status),
    setChatState: (chatId, state) => void chatStates.set(chatId, state),
    fail(method, failure) {
      const list = failures.get(method) ?? [];
      list.push({ ...failure });
      failures.set(method, list);
    },
    async pushUpdate(partial) {
      const update = { ...partial, update_id: nextUpdateId++ } as FakeUpdate;
      for (const msg of [update.message, update.channel_post]) if (msg !== undefined) register(msg);
      if (webhook !== undefined) {
        const status = await postJson(webhook.url, update, webhook.secret_token);
        webhookDeliveries.push({ update_id: update.update_id, status });
        changed();
        return update;
      }
      queue.push(update);
      if (poll !== undefined) {
        const p = poll;
        const a = answerPoll(p.offset, p.limit);
        if ((a.body['result'] as unknown[]).length > 0) p.resolve(a);
      }
      changed();
      return update;
    },
    async sendText(from, chat, text, extra = {}) {
      const msg: UserMessage = { message_id: nextMessageId(chat.id), date: Math.floor(Date.now() / 1000), chat, from, text, ...extra };
      if (extra.entities === undefined) {
        const entities = userEntities(text);
        if (entities.length > 0) msg.entities = entities;
      }
      await fake.pushUpdate({ message: msg });
      return msg;
    },
    async postInChannel(chat, text) {
      const msg: UserMessage = { message_id: nextMessageId(chat.id), date: Math.floor(Date.now() / 1000), chat, sender_chat: chat, text };
      const entities = userEntities(text);
      if (entities.length > 0) msg.entities = entities;
      await fake.pushUpdate({ channel_post: msg });
      return msg;
    },
    async pressButton(from, message, callbackData) {
      const id = String(nextCallback++);
      openCallbacks.add(id);
      const chat = chats.get(message.chat_id) as FakeChat;
      await fake.pushUpdate({ callback_query: { id, from, chat_instance: String(chat.id), data: callbackData, message: publicMessage(message, chat) } });
      return id;
    },
    postToWebhook(partial, secret) {
      if (webhook === undefined) return Promise.reject(new Error('no webhook set'));
      const update = { ...partial, update_id: nextUpdateId++ } as FakeUpdate;
      for (const msg of [update.message, update.channel_post]) if (msg !== undefined) register(msg);
      return postJson(webhook.url, update, secret);
    },
    waitForMessages(chatId, count, timeoutMs = 10_000) {
      return fake.waitFor(() => {
        const list = sent.filter((s) => s.chat_id === chatId);
        return list.length >= count ? list.slice(0, count) : undefined;
      }, timeoutMs, `${count} message(s) in chat ${chatId}`);
    },
    waitFor(check, timeoutMs = 10_000, what = 'condition') {
      return new Promise((resolve, reject) => {
        const first = check();
        if (first !== undefined && first !== false) return resolve(first);
        const onChange = (): void => {
          const v = check();
          if (v !== undefined && v !== false) {
            clearTimeout(timer);
            events.off('change', onChange);
            resolve(v);
          }
        };
        const timer = setTimeout(() => {
          events.off('change', onChange);
          reject(new Error(`fake Telegram: timed out after ${timeoutMs} ms waiting for ${what}; calls: ${calls.map((c) => `${c.method}:${c.status}`).join(', ')}`));
        }, timeoutMs);
        events.on('change', onChange);
      });
    },
    get pendingPolls() {
      return poll === undefined ? 0 : 1;
    },
    async close() {
      if (closed) return;
      closed = true;
      poll?.resolve({ status: 200, body: { ok: true, result: [] } });
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
