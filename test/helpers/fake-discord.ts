/**
 * A loopback Discord for tests: the REST API under `/api/v10` and a WebSocket gateway, enough for
 * the real discord.js client to log in, receive interactions and answer them.
 *
 * ```ts
 * const discord = await startFakeDiscord();
 * // DISCORD_API_URL = discord.apiUrl, DISCORD_TOKEN = discord.token
 * const bot = await startDiscord({ config: discord.config(), services, commands, logger });
 * const it = await discord.interact({ command: 'berita', options: { masukan: 'https://...' } });
 * const ack = await it.acked();          // the interaction callback (type 5 = deferred)
 * const msg = await it.final();          // the reply's final content (the edit of @original)
 * expect(msg.embeds[0]?.title).toBe('...');
 * expect(discord.rejections).toEqual([]); // nothing broke Discord's limits
 * ```
 *
 * REST: GET /gateway/bot, /gateway, /users/@me, /applications/@me; GET/PUT application commands
 * (global and guild; PUT validates names, descriptions, localizations and options like Discord);
 * POST /interactions/:id/:token/callback (404 10062 after the 3 s deadline, 400 40060 when answered
 * twice); GET/PATCH/DELETE /webhooks/:app/:token/messages/:id (`@original` arrives as
 * `%40original`); POST /webhooks/:app/:token (follow-ups); POST /channels/:id/messages (known
 * channels answer 200; unknown ones 404 10003; `channelBehaviour` makes one answer 403/429/5xx, or
 * hold the request before (`delayMs`) or the answer after (`holdAnswerMs`) the message is created).
 * `nonce` (a string of at most 25 characters, or an integer) is checked and echoed on the message;
 * with `enforce_nonce: true`, a message by the same author in the same channel with the same nonce
 * created within `nonceWindowMs` is answered (200) instead of a new one, and noted in `nonceDedups`;
 * if it was deleted since (`deleteChannelMessage`), 404 10008 Unknown Message.
 * Messages are validated against Discord's limits (embeds, components) and refused with 400 50035
 * "Invalid Form Body" as Discord would; every refusal is also kept in `rejections`.
 *
 * Gateway (plain JSON frames, no compression): HELLO on connect; heartbeat (op 1) answered with
 * ACK (op 11); IDENTIFY (op 2) answered with READY then GUILD_CREATE for each guild (the client
 * would otherwise wait 15 s for them); RESUME (op 6) with RESUMED. Sharding: IDENTIFY's
 * `shard: [id, count]` is honoured (READY and GUILD_CREATE carry only the guilds with
 * `(guild_id >> 22) % count === id`, see `extraGuilds`), a guild's interactions go to its shard's
 * connection, DMs to shard 0; GET /gateway/bot recommends `recommendedShards`. `interact`, `click` and
 * `select` dispatch INTERACTION_CREATE. Everything received is recorded (`requests`, `frames`).
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// ------------------------------------------------------------------------------------------------
// Public shapes

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  /** The guild the bot is in, and its text channel. */
  guildId?: string;
  channelId?: string;
  channelName?: string;
  /** Gateway heartbeat interval sent in HELLO (default 41250). */
  heartbeatIntervalMs?: number;
  /** Time allowed between INTERACTION_CREATE and the callback (default 3000, as Discord). */
  ackDeadlineMs?: number;
  /** Shards GET /gateway/bot recommends (default 1): what `shards: 'auto'` spawns. */
  recommendedShards?: number;
  /** session_start_limit.max_concurrency of GET /gateway/bot (default 1: one IDENTIFY per 5 s). */
  maxConcurrency?: number;
  /**
   * More guilds the bot is in, each with a text channel (ids are snowflakes: a guild belongs to
   * shard `(id >> 22) % shardCount`). Each arrives in READY and GUILD_CREATE on its own shard only.
   */
  extraGuilds?: { id: string; channelId: string; name?: string }[];
  /**
   * Which gateway session an interaction goes to when several are identified (several processes
   * with one token): the newest (default), or each in turn, so that every interaction reaches
   * exactly one of them.
   */
  dispatch?: 'newest' | 'round-robin';
  /**
   * How long a message's nonce is enforced (`enforce_nonce`). Discord says only "the past few
   * minutes"; default 5 minutes.
   */
  nonceWindowMs?: number;
}

/** A Create Message with enforce_nonce answered with the message created before with that nonce. */
export interface NonceDedup {
  channelId: string;
  nonce: string | number;
  /** The message returned (created earlier). */
  messageId: string;
  at: number;
}

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, decoded ("/webhooks/1/abc/messages/@original"). */
  path: string;
  /** The path as it arrived ("%40original"). */
  rawPath: string;
  query: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  status: number;
  at: number;
}

export interface GatewayFrame {
  direction: 'in' | 'out';
  /** The [shard id, shard count] of the connection, once it identified with one. */
  shard?: [number, number];
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
  at: number;
}

export interface Rejection {
  method: string;
  path: string;
  problems: string[];
  body: unknown;
}

/** A message as the fake stores it (Discord's message object, the parts tests look at typed). */
export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: FakeEmbed[];
  components: FakeRow[];
  flags: number;
  [key: string]: unknown;
}

export interface FakeEmbed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  author?: { name: string };
  footer?: { text: string };
  fields?: { name: string; value: string; inline?: boolean }[];
}

export interface FakeComponent {
  type: number;
  style?: number;
  label?: string;
  url?: string;
  custom_id?: string;
  placeholder?: string;
  options?: { label: string; value: string; description?: string }[];
}

export interface FakeRow {
  type: number;
  components: FakeComponent[];
}

export interface InteractOptions {
  /** Command name ("berita"). */
  command: string;
  /** String options by name ("masukan": "https://..."). */
  options?: Record<string, string | number | boolean>;
  /** Subcommand name ("subscribe"); `options` are then its options. */
  subcommand?: string;
  /** The raw `data.options` list, sent as is (for malformed input). */
  rawOptions?: unknown[];
  user?: { id?: string; username?: string; globalName?: string };
  /** The user's Discord locale (default "id"). */
  locale?: string;
  /** Member permissions in the channel, as Discord computes them; default a plain member. */
  permissions?: bigint;
  /** Shorthand: a plain member with (true) or without Manage Channels. */
  manageChannels?: boolean;
  /** A direct message with the bot instead of the guild channel. */
  dm?: boolean;
  guildId?: string;
  channelId?: string;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** When INTERACTION_CREATE was sent (Date.now()). */
  readonly sentAt: number;
  /** The first interaction callback (its `type`: 4 reply, 5 deferred, 6 deferred update, 7 update). */
  acked(timeoutMs?: number): Promise<{ type: number; at: number; data?: unknown }>;
  /** The reply's content once it is there: a type 4/7 callback, or the first edit of @original. */
  final(timeoutMs?: number): Promise<FakeMessage & { at: number }>;
  /** Every version of the original message, in order. */
  readonly versions: readonly (FakeMessage & { at: number })[];
}

export interface ChannelBehaviour {
  status: number;
  code?: number;
  message?: string;
  /** For 429: seconds to wait. */
  retryAfter?: number;
  /**
   * Hold the request this long first. With status 200 it is then posted normally, unless the
   * client hung up meanwhile (its process died): then nothing is posted.
   */
  delayMs?: number;
  /**
   * With status 200: create the message at once, then hold the answer this long (Discord accepted
   * the post, the client has not heard so yet). A client that hangs up meanwhile gets no answer,
   * but the message stays posted.
   */
  holdAnswerMs?: number;
}

export interface FakeDiscord {
  /** The REST base to give the bot as DISCORD_API_URL ("http://127.0.0.1:PORT/api"). */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly channelName: string;
  readonly botUser: { id: string; username: string };
  /** Every REST request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Every gateway frame sent or received. */
  readonly frames: readonly GatewayFrame[];
  /** Messages Discord would have refused, with why. */
  readonly rejections: readonly Rejection[];
  /** Registered commands: "global" or a guild id -> the stored commands. */
  readonly commands: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  /** The config fragment that points the bot here. */
  config(): { DISCORD_TOKEN: string; DISCORD_APPLICATION_ID: string; DISCORD_API_URL: string; DISCORD_GUILD_ID: string | undefined };
  /** Resolves when a client has identified and received READY and its guilds. */
  ready(timeoutMs?: number): Promise<void>;
  interact(opts: InteractOptions): Promise<InteractionHandle>;
  /** Presses a button on a message the bot sent. */
  click(message: FakeMessage, customId: string, opts?: Omit<InteractOptions, 'command' | 'options' | 'subcommand' | 'rawOptions'>): Promise<InteractionHandle>;
  /** Picks values in a select menu on a message the bot sent. */
  select(message: FakeMessage, customId: string, values: string[], opts?: Omit<InteractOptions, 'command' | 'options' | 'subcommand' | 'rawOptions'>): Promise<InteractionHandle>;
  /** Messages posted to a channel with POST /channels/:id/messages (and not deleted). */
  channelMessages(channelId: string): readonly FakeMessage[];
  /** Every Create Message that enforce_nonce answered with an existing message, in order. */
  readonly nonceDedups: readonly NonceDedup[];
  /** Deletes a posted message, as a moderator would; its nonce stays enforced (10008 on a repeat). */
  deleteChannelMessage(channelId: string, messageId: string): void;
  /** Makes POST /channels/:id/messages answer this way (undefined: back to normal). */
  channelBehaviour(channelId: string, behaviour: ChannelBehaviour | undefined): void;
  /** Adds a channel the bot can post to. */
  addChannel(channelId: string): void;
  /** Gateway sessions identified and open now. */
  readonly liveSessions: number;
  /**
   * Drops every gateway connection, as a network failure or a Discord restart does: `terminate`
   * (default) cuts the TCP connection; a close code (e.g. 4000, resumable) closes it cleanly.
   */
  dropConnections(how?: { code?: number }): void;
  close(): Promise<void>;
}

// ------------------------------------------------------------------------------------------------
// Permissions and ids

export const PERMISSIONS = {
  ManageChannels: 1n << 4n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ReadMessageHistory: 1n << 16n,
  UseApplicationCommands: 1n << 31n,
} as const;

export const PLAIN_MEMBER = PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages | PERMISSIONS.EmbedLinks | PERMISSIONS.ReadMessageHistory | PERMISSIONS.UseApplicationCommands;

const DISCORD_EPOCH = 1420070400000n;

/** The shard a guild's events go to: (guild_id >> 22) % shardCount; DMs (no guild) go to shard 0. */
export function shardOf(guildId: string | undefined, shardCount: number): number {
  if (guildId === undefined || shardCount <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
let increment = 0n;

/** A fresh snowflake (time-ordered, unique in this process). */
export function snowflake(): string {
  increment = (increment + 1n) & 4095n;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment);
}

// ------------------------------------------------------------------------------------------------
// Validation as Discord does it

const LOCALES = new Set([
  'id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR', 'ro', 'fi', 'sv-SE',
  'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko',
]);
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function isHttpUrl(u: unknown, max: number): boolean {
  if (typeof u !== 'string' || u.length > max) return false;
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Length rules; embed text is trimmed by Discord before the minimum is checked, ids are not. */
function checkLength(problems: string[], path: string, v: unknown, min: number, max: number, required = false, trims = true): void {
  if (v === undefined || v === null) {
    if (required) problems.push(`${path}: required`);
    return;
  }
  if (typeof v !== 'string') {
    problems.push(`${path}: not a string`);
    return;
  }
  if (v.length > max) problems.push(`${path}: must be ${max} or fewer in length (is ${v.length})`);
  if (min > 0 && (trims ? v.trim() : v).length < min) problems.push(`${path}: must be ${min} or more in length`);
}

/** Problems Discord would find in a message body (content, embeds, components). */
export function validateMessage(body: unknown, opts: { requireContent?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null) return ['body: not an object'];
  const b = body as Record<string, unknown>;
  checkLength(problems, 'content', b['content'], 0, 2000);
  const embeds = b['embeds'];
  let total = 0;
  if (embeds !== undefined && embeds !== null) {
    if (!Array.isArray(embeds)) problems.push('embeds: not an array');
    else {
      if (embeds.length > 10) problems.push('embeds: must be 10 or fewer in length');
      embeds.forEach((e: unknown, i) => {
        const p = `embeds.${i}`;
        if (typeof e !== 'object' || e === null) return void problems.push(`${p}: not an object`);
        const em = e as Record<string, unknown>;
        checkLength(problems, `${p}.title`, em['title'], 0, 256);
        checkLength(problems, `${p}.description`, em['description'], 0, 4096);
        if (em['url'] !== undefined && !isHttpUrl(em['url'], 2048)) problems.push(`${p}.url: not a well formed URL`);
        if (em['color'] !== undefined && (typeof em['color'] !== 'number' || !Number.isInteger(em['color']) || em['color'] < 0 || em['color'] > 0xffffff)) problems.push(`${p}.color: out of range`);
        const author = em['author'] as Record<string, unknown> | undefined;
        if (author !== undefined) checkLength(problems, `${p}.author.name`, author['name'], 1, 256, true);
        const footer = em['footer'] as Record<string, unknown> | undefined;
        if (footer !== undefined) checkLength(problems, `${p}.footer.text`, footer['text'], 1, 2048, true);
        const fields = em['fields'];
        if (fields !== undefined) {
          if (!Array.isArray(fields)) problems.push(`${p}.fields: not an array`);
          else {
            if (fields.length > 25) problems.push(`${p}.fields: must be 25 or fewer in length`);
            fields.forEach((f: unknown, j) => {
              const fr = (f ?? {}) as Record<string, unknown>;
              checkLength(problems, `${p}.fields.${j}.name`, fr['name'], 1, 256, true);
              checkLength(problems, `${p}.fields.${j}.value`, fr['value'], 1, 1024, true);
              total += (str(fr['name']) ?? '').length + (str(fr['value']) ?? '').length;
            });
          }
        }
        total += (str(em['title']) ?? '').length + (str(em['description']) ?? '').length + (str(author?.['name']) ?? '').length + (str(footer?.['text']) ?? '').length;
        const hasSomething = ['title', 'description', 'fields', 'footer', 'author', 'image', 'thumbnail'].some((k) => em[k] !== undefined);
        if (!hasSomething) problems.push(`${p}: an embed needs content`);
      });
      if (total > 6000) problems.push(`embeds: embed size exceeds maximum size of 6000 (is ${total})`);
    }
  }
  const rows = b['components'];
  if (rows !== undefined && rows !== null) {
    if (!Array.isArray(rows)) problems.push('components: not an array');
    else {
      if (rows.length > 5) problems.push('components: must be 5 or fewer in length');
      const ids = new Set<string>();
      rows.forEach((r: unknown, i) => {
        const row = (r ?? {}) as Record<string, unknown>;
        const p = `components.${i}`;
        if (row['type'] !== 1) return void problems.push(`${p}.type: an action row is type 1`);
        const comps = row['components'];
        if (!Array.isArray(comps) || comps.length === 0 || comps.length > 5) return void problems.push(`${p}.components: must be 1 to 5 components`);
        const hasSelect = comps.some((c: unknown) => (c as Record<string, unknown> | null)?.['type'] === 3);
        if (hasSelect && comps.length > 1) problems.push(`${p}.components: a select menu must be alone in its row`);
        comps.forEach((c: unknown, j) => {
          const cp = `${p}.components.${j}`;
          const comp = (c ?? {}) as Record<string, unknown>;
          const cid = comp['custom_id'];
          if (cid !== undefined) {
            checkLength(problems, `${cp}.custom_id`, cid, 1, 100, true, false);
            if (typeof cid === 'string') {
              if (ids.has(cid)) problems.push(`${cp}.custom_id: component custom id cannot be duplicated`);
              ids.add(cid);
            }
          }
          if (comp['type'] === 2) {
            const style = comp['style'];
            if (typeof style !== 'number' || style < 1 || style > 6) problems.push(`${cp}.style: invalid button style`);
            checkLength(problems, `${cp}.label`, comp['label'], 0, 80);
            if (style === 5) {
              if (!isHttpUrl(comp['url'], 512)) problems.push(`${cp}.url: a link button needs a well formed URL of at most 512`);
              if (cid !== undefined) problems.push(`${cp}.custom_id: a link button cannot have a custom id`);
            } else if (cid === undefined) problems.push(`${cp}.custom_id: required`);
          } else if (comp['type'] === 3) {
            if (cid === undefined) problems.push(`${cp}.custom_id: required`);
            checkLength(problems, `${cp}.placeholder`, comp['placeholder'], 0, 150);
            const options = comp['options'];
            if (!Array.isArray(options) || options.length === 0 || options.length > 25) problems.push(`${cp}.options: must be 1 to 25 options`);
            else {
              const values = new Set<string>();
              options.forEach((o: unknown, k) => {
                const op = (o ?? {}) as Record<string, unknown>;
                checkLength(problems, `${cp}.options.${k}.label`, op['label'], 1, 100, true);
                checkLength(problems, `${cp}.options.${k}.value`, op['value'], 1, 100, true, false);
                checkLength(problems, `${cp}.options.${k}.description`, op['description'], 0, 100);
                const v = str(op['value']);
                if (v !== undefined) {
                  if (values.has(v)) problems.push(`${cp}.options.${k}.value: duplicated`);
                  values.add(v);
                }
              });
            }
          } else problems.push(`${cp}.type: unsupported component type ${String(comp['type'])}`);
        });
      });
    }
  }
  if (opts.requireContent === true) {
    const empty = (str(b['content']) ?? '') === '' && (!Array.isArray(embeds) || embeds.length === 0) && (!Array.isArray(rows) || rows.length === 0);
    if (empty) problems.push('Cannot send an empty message');
  }
  return problems;
}

function checkLocalizations(problems: string[], path: string, map: unknown, check: (v: unknown, p: string) => void): void {
  if (map === undefined || map === null) return;
  if (typeof map !== 'object') return void problems.push(`${path}: not an object`);
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    if (!LOCALES.has(k)) problems.push(`${path}.${k}: invalid locale`);
    check(v, `${path}.${k}`);
  }
}

function checkName(problems: string[], path: string, v: unknown): void {
  if (typeof v !== 'string' || !NAME.test(v) || v !== v.toLowerCase()) problems.push(`${path}: invalid command or option name ${JSON.stringify(v)}`);
}

function checkDescription(problems: string[], path: string, v: unknown): void {
  checkLength(problems, path, v, 1, 100, true);
}

function checkOptions(problems: string[], path: string, options: unknown, depth: number): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) return void problems.push(`${path}: not an array`);
  if (options.length > 25) problems.push(`${path}: must be 25 or fewer in length`);
  const names = new Set<string>();
  let optionalSeen = false;
  const kinds = new Set<string>();
  options.forEach((o: unknown, i) => {
    const p = `${path}.${i}`;
    const op = (o ?? {}) as Record<string, unknown>;
    const type = op['type'];
    if (typeof type !== 'number' || type < 1 || type > 11) return void problems.push(`${p}.type: invalid option type`);
    kinds.add(type === 1 || type === 2 ? 'sub' : 'value');
    checkName(problems, `${p}.name`, op['name']);
    if (typeof op['name'] === 'string') {
      if (names.has(op['name'])) problems.push(`${p}.name: duplicated`);
      names.add(op['name']);
    }
    checkLocalizations(problems, `${p}.name_localizations`, op['name_localizations'], (v, q) => checkName(problems, q, v));
    checkDescription(problems, `${p}.description`, op['description']);
    checkLocalizations(problems, `${p}.description_localizations`, op['description_localizations'], (v, q) => checkDescription(problems, q, v));
    if (type === 1 || type === 2) {
      if (depth >= (type === 1 ? 2 : 1)) problems.push(`${p}: subcommands nested too deep`);
      if (op['required'] !== undefined && op['required'] !== false) problems.push(`${p}.required: subcommands cannot be required`);
      checkOptions(problems, `${p}.options`, op['options'], depth + 1);
    } else {
      if (op['required'] === true && optionalSeen) problems.push(`${p}.required: required options must be placed before non-required options`);
      if (op['required'] !== true) optionalSeen = true;
      if (op['max_length'] !== undefined && (typeof op['max_length'] !== 'number' || op['max_length'] < 1 || op['max_length'] > 6000)) problems.push(`${p}.max_length: 1 to 6000`);
    }
  });
  if (kinds.size > 1) problems.push(`${path}: subcommands cannot be mixed with other options`);
}

/** Problems Discord would find in a bulk overwrite of application commands. */
export function validateCommands(body: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(body)) return ['body: not an array'];
  if (body.length > 100) problems.push('body: at most 100 commands');
  const names = new Set<string>();
  body.forEach((c: unknown, i) => {
    const p = `${i}`;
    const cmd = (c ?? {}) as Record<string, unknown>;
    const type = cmd['type'] ?? 1;
    if (type !== 1) problems.push(`${p}.type: only chat input commands are expected here`);
    checkName(problems, `${p}.name`, cmd['name']);
    if (typeof cmd['name'] === 'string') {
      if (names.has(cmd['name'])) problems.push(`${p}.name: application command names must be unique`);
      names.add(cmd['name']);
    }
    checkLocalizations(problems, `${p}.name_localizations`, cmd['name_localizations'], (v, q) => checkName(problems, q, v));
    checkDescription(problems, `${p}.description`, cmd['description']);
    checkLocalizations(problems, `${p}.description_localizations`, cmd['description_localizations'], (v, q) => checkDescription(problems, q, v));
    checkOptions(problems, `${p}.options`, cmd['options'], 0);
  });
  return problems;
}

// ------------------------------------------------------------------------------------------------
// The server

interface InteractionState {
  id: string;
  token: string;
  sentAt: number;
  deadline: number;
  channelId: string;
  guildId?: string;
  user: Record<string, unknown>;
  commandName?: string;
  ack?: { type: number; at: number; data?: unknown };
  original?: FakeMessage;
  versions: (FakeMessage & { at: number })[];
  waiters: (() => void)[];
}

interface Connection {
  ws: WebSocket;
  /** [id, count] from IDENTIFY (absent: unsharded, i.e. [0, 1]). */
  shard?: [number, number];
  seq: number;
  sessionId?: string;
  identified: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-bot-token.ringkas.test';
  const applicationId = options.applicationId ?? snowflake();
  const guildId = options.guildId ?? snowflake();
  const channelId = options.channelId ?? snowflake();
  const channelName = options.channelName ?? 'berita-harian';
  const ackDeadlineMs = options.ackDeadlineMs ?? 3000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41250;
  const botUser = { id: applicationId, username: 'Ringkas', discriminator: '0000', global_name: 'Ringkas', avatar: null, bot: true, flags: 0 };

  const requests: RecordedRequest[] = [];
  const frames: GatewayFrame[] = [];
  const rejections: Rejection[] = [];
  const commands = new Map<string, Record<string, unknown>[]>();
  const interactions = new Map<string, InteractionState>();
  const byToken = new Map<string, InteractionState>();
  const channels = new Set([channelId]);
  const behaviours = new Map<string, ChannelBehaviour>();
  const posted = new Map<string, FakeMessage[]>();
  const messages = new Map<string, FakeMessage>();
  const nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
  /** "<channel>\u0000<author>\u0000<nonce>" -> the message created with it, and when. */
  const nonces = new Map<string, { messageId: string; at: number }>();
  const nonceDedups: NonceDedup[] = [];
  const connections = new Set<Connection>();
  const sessions = new Set<string>();
  const sockets = new Set<Socket>();
  const allGuilds = [{ id: guildId, channelId, name: channelName }, ...(options.extraGuilds ?? [])];
  for (const g of options.extraGuilds ?? []) channels.add(g.channelId);
  let readyResolve: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (readyResolve = resolve));
  let closed = false;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
      res.end(JSON.stringify({ message: String(err), code: 0 }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/gateway')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onGateway(ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  // ---------------------------------------------------------------------------------------------- REST

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (raw === '') return undefined;
    const type = req.headers['content-type'] ?? '';
    if (!type.includes('application/json')) return { __unparsed: raw.slice(0, 2000), contentType: type };
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return { __invalidJson: raw.slice(0, 2000) };
    }
  }

  function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): number {
    if (body === undefined) {
      res.writeHead(status, headers);
      res.end();
    } else {
      res.writeHead(status, { ...JSON_HEADERS, ...headers });
      res.end(JSON.stringify(body));
    }
    return status;
  }

  function invalidForm(res: ServerResponse, method: string, path: string, problems: string[], body: unknown): number {
    rejections.push({ method, path, problems, body });
    const errors: Record<string, unknown> = {};
    for (const p of problems) {
      const [where, ...rest] = p.split(': ');
      errors[where ?? 'body'] = { _errors: [{ code: 'BASE_TYPE_INVALID', message: rest.join(': ') || p }] };
    }
    return send(res, 400, { message: 'Invalid Form Body', code: 50035, errors });
  }

  function messageFrom(body: Record<string, unknown>, base: Partial<FakeMessage> & { channel_id: string }, type: number, st?: InteractionState): FakeMessage {
    const now = new Date().toISOString();
    return {
      id: base.id ?? snowflake(),
      channel_id: base.channel_id,
      ...(st?.guildId !== undefined ? { guild_id: st.guildId } : {}),
      author: botUser,
      content: str(body['content']) ?? base.content ?? '',
      timestamp: (base['timestamp'] as string | undefined) ?? now,
      edited_timestamp: base.id !== undefined ? now : null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: (body['embeds'] as FakeEmbed[] | undefined) ?? base.embeds ?? [],
      components: (body['components'] as FakeRow[] | undefined) ?? base.components ?? [],
      pinned: false,
      type,
      flags: typeof body['flags'] === 'number' ? body['flags'] : (base.flags ?? 0),
      application_id: applicationId,
      ...(st !== undefined
        ? {
            webhook_id: applicationId,
            interaction_metadata: { id: st.id, type: 2, user: st.user, authorizing_integration_owners: {} },
          }
        : {}),
    };
  }

  function noteVersion(st: InteractionState, msg: FakeMessage): void {
    st.original = msg;
    messages.set(msg.id, msg);
    st.versions.push({ ...msg, at: Date.now() });
    for (const w of st.waiters.splice(0)) w();
  }

  function authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bot ${token}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const prefix = '/api/v10';
    const rawPath = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const path = rawPath.split('/').map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    }).join('/');
    const record: RecordedRequest = { method, path, rawPath, query: url.search, headers: req.headers, body, status: 0, at: Date.now() };
    requests.push(record);
    record.status = await route(method, path, url, body, req, res, url.pathname.startsWith(prefix));
  }

  async function route(method: string, path: string, url: URL, body: unknown, req: IncomingMessage, res: ServerResponse, versioned: boolean): Promise<number> {
    if (!versioned) return send(res, 404, { message: '404: Not Found', code: 0 });
    const seg = path.split('/').filter((s) => s !== '');
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const needAuth = (): boolean => {
      if (authorized(req)) return true;
      send(res, 401, { message: '401: Unauthorized', code: 0 });
      return false;
    };

    // /interactions/:id/:token/callback
    if (seg[0] === 'interactions' && seg[3] === 'callback' && method === 'POST') {
      const st = interactions.get(seg[1] ?? '');
      if (st === undefined || st.token !== seg[2]) return send(res, 404, { message: 'Unknown interaction', code: 10062 });
      if (st.ack !== undefined) return send(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      if (Date.now() > st.deadline) return send(res, 404, { message: 'Unknown interaction', code: 10062 });
      const type = b['type'];
      if (typeof type !== 'number' || ![1, 4, 5, 6, 7, 8, 9].includes(type)) return invalidForm(res, method, path, ['type: invalid interaction callback type'], body);
      const data = (b['data'] ?? {}) as Record<string, unknown>;
      if (type === 4 || type === 7) {
        const problems = validateMessage(data, { requireContent: true });
        if (problems.length > 0) return invalidForm(res, method, path, problems, body);
      }
      st.ack = { type, at: Date.now(), data: b['data'] };
      if (type === 4) noteVersion(st, messageFrom(data, { channel_id: st.channelId }, 20, st));
      if (type === 5) st.original = messageFrom({ flags: (data['flags'] as number | undefined) ?? 0 }, { channel_id: st.channelId }, 20, st);
      for (const w of st.waiters.splice(0)) w();
      if (url.searchParams.get('with_response') === 'true') {
        return send(res, 200, { interaction: { id: st.id, type: 2, activity_instance_id: null, response_message_id: st.original?.id ?? null, response_message_loading: type === 5, response_message_ephemeral: false }, resource: { type, ...(type === 4 && st.original !== undefined ? { message: st.original } : {}) } });
      }
      return send(res, 204);
    }

    // /webhooks/:app/:token[/messages/:id]
    if (seg[0] === 'webhooks') {
      const st = byToken.get(seg[2] ?? '');
      if (seg[1] !== applicationId || st === undefined) return send(res, 404, { message: 'Unknown Webhook', code: 10015 });
      if (seg[3] === 'messages' && seg[4] !== undefined) {
        const which = seg[4];
        const msg = which === '@original' ? st.original : messages.get(which);
        if (st.ack === undefined || msg === undefined) return send(res, 404, { message: 'Unknown Message', code: 10008 });
        if (method === 'GET') return send(res, 200, msg);
        if (method === 'DELETE') {
          messages.delete(msg.id);
          return send(res, 204);
        }
        if (method === 'PATCH') {
          const problems = validateMessage(body);
          if (problems.length > 0) return invalidForm(res, method, path, problems, body);
          const edited = messageFrom(b, msg, msg.type as number, st);
          if (which === '@original' || msg.id === st.original?.id) noteVersion(st, edited);
          else messages.set(edited.id, edited);
          return send(res, 200, edited);
        }
      }
      if (seg.length === 3 && method === 'POST') {
        if (st.ack === undefined) return send(res, 404, { message: 'Unknown Webhook', code: 10015 });
        const problems = validateMessage(body, { requireContent: true });
        if (problems.length > 0) return invalidForm(res, method, path, problems, body);
        const msg = messageFrom(b, { channel_id: st.channelId }, 0, st);
        messages.set(msg.id, msg);
        return send(res, 200, msg);
      }
      return send(res, 405, { message: '405: Method Not Allowed', code: 0 });
    }

    if (!needAuth()) return 401;

    if (path === '/gateway/bot' && method === 'GET') {
      return send(res, 200, { url: gatewayUrl, shards: options.recommendedShards ?? 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: options.maxConcurrency ?? 1 } });
    }
    if (path === '/gateway' && method === 'GET') return send(res, 200, { url: gatewayUrl });
    if (path === '/users/@me' && method === 'GET') return send(res, 200, botUser);
    if (path === '/applications/@me' && method === 'GET') return send(res, 200, { id: applicationId, name: 'Ringkas', description: '', bot_public: true, bot_require_code_grant: false, verify_key: 'fake', flags: 0, bot: botUser });

    // /applications/:app/commands and /applications/:app/guilds/:guild/commands
    if (seg[0] === 'applications' && seg[1] !== undefined && seg[seg.length - 1] === 'commands' && (seg.length === 3 || (seg.length === 5 && seg[2] === 'guilds'))) {
      if (seg[1] !== applicationId) return send(res, 403, { message: 'Missing Access', code: 50001 });
      const scope = seg.length === 5 ? (seg[3] as string) : 'global';
      if (scope !== 'global' && scope !== guildId) return send(res, 403, { message: 'Missing Access', code: 50001 });
      if (method === 'GET') return send(res, 200, commands.get(scope) ?? []);
      if (method === 'PUT') {
        const problems = validateCommands(body);
        if (problems.length > 0) return invalidForm(res, method, path, problems, body);
        const previous = new Map((commands.get(scope) ?? []).map((c) => [c['name'] as string, c['id'] as string]));
        const stored = (body as Record<string, unknown>[]).map((c) => ({
          id: previous.get(c['name'] as string) ?? snowflake(),
          application_id: applicationId,
          version: snowflake(),
          type: 1,
          default_member_permissions: null,
          nsfw: false,
          ...(scope !== 'global' ? { guild_id: scope } : {}),
          ...c,
        }));
        commands.set(scope, stored);
        return send(res, 200, stored);
      }
    }

    // /channels/:id/messages
    if (seg[0] === 'channels' && seg[2] === 'messages' && seg.length === 3 && method === 'POST') {
      const id = seg[1] as string;
      const behaviour = behaviours.get(id);
      if (behaviour?.delayMs !== undefined) {
        // Held; ends early when the client hangs up.
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(t);
            res.off('close', done);
            resolve();
          };
          const t = setTimeout(done, behaviour.delayMs);
          res.on('close', done);
        });
        if (res.destroyed || req.socket.destroyed) return 0;
      }
      if (behaviour !== undefined && behaviour.status !== 200) {
        const headers: Record<string, string> = {};
        if (behaviour.status === 429) {
          const after = behaviour.retryAfter ?? 1;
          headers['retry-after'] = String(Math.ceil(after));
          headers['x-ratelimit-scope'] = 'user';
          return send(res, 429, { message: 'You are being rate limited.', retry_after: after, global: false }, headers);
        }
        if (behaviour.status >= 500) return send(res, behaviour.status, { message: `${behaviour.status}: Server Error`, code: 0 });
        return send(res, behaviour.status, { message: behaviour.message ?? 'Error', code: behaviour.code ?? 0 }, headers);
      }
      if (!channels.has(id)) return send(res, 404, { message: 'Unknown Channel', code: 10003 });
      const problems = validateMessage(body, { requireContent: true });
      const nonce = b['nonce'];
      if (nonce !== undefined && nonce !== null && !(typeof nonce === 'string' ? nonce.length <= 25 : Number.isSafeInteger(nonce))) {
        problems.push('nonce: must be a string of 25 or fewer in length, or an integer');
      }
      if (problems.length > 0) return invalidForm(res, method, path, problems, body);
      const hasNonce = typeof nonce === 'string' || typeof nonce === 'number';
      const nonceKey = hasNonce ? `${id}\u0000${botUser.id}\u0000${String(nonce)}` : undefined;
      if (nonceKey !== undefined && b['enforce_nonce'] === true) {
        const earlier = nonces.get(nonceKey);
        if (earlier !== undefined && Date.now() - earlier.at <= nonceWindowMs) {
          const existing = (posted.get(id) ?? []).find((m) => m.id === earlier.messageId);
          if (existing === undefined) return send(res, 404, { message: 'Unknown Message', code: 10008 });
          nonceDedups.push({ channelId: id, nonce: nonce as string | number, messageId: existing.id, at: Date.now() });
          return send(res, 200, existing);
        }
      }
      const msg: FakeMessage = { ...messageFrom(b, { channel_id: id }, 0), ...(hasNonce ? { nonce } : {}) };
      messages.set(msg.id, msg);
      posted.set(id, [...(posted.get(id) ?? []), msg]);
      if (nonceKey !== undefined) nonces.set(nonceKey, { messageId: msg.id, at: Date.now() });
      if (behaviour?.holdAnswerMs !== undefined) {
        // Posted; the answer is held, and lost if the client hangs up meanwhile.
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(t);
            res.off('close', done);
            resolve();
          };
          const t = setTimeout(done, behaviour.holdAnswerMs);
          res.on('close', done);
        });
        if (res.destroyed || req.socket.destroyed) return 200;
      }
      return send(res, 200, msg);
    }

    return send(res, 404, { message: '404: Not Found', code: 0 });
  }

  // ---------------------------------------------------------------------------------------------- Gateway

  function sendFrame(conn: Connection, payload: { op: number; t?: string | null; s?: number | null; d: unknown }): void {
    frames.push({ direction: 'out', ...payload, ...(conn.shard !== undefined ? { shard: conn.shard } : {}), at: Date.now() });
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(payload));
  }

  function dispatch(conn: Connection, t: string, d: unknown): void {
    conn.seq += 1;
    sendFrame(conn, { op: 0, t, s: conn.seq, d });
  }

  function guildCreate(g: { id: string; channelId: string; name?: string } = { id: guildId, channelId }): Record<string, unknown> {
    const guildId = g.id;
    const channelId = g.channelId;
    const channelName = g.name ?? options.channelName ?? 'berita-harian';
    return {
      id: guildId,
      name: 'Warga Ringkas',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [{ id: guildId, name: '@everyone', permissions: String(PLAIN_MEMBER), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'id',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 3,
      voice_states: [],
      members: [{ user: botUser, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      channels: [{ id: channelId, type: 0, name: channelName, position: 0, permission_overwrites: [], nsfw: false, parent_id: null, topic: null, rate_limit_per_user: 0, last_message_id: null, flags: 0 }],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  function onGateway(ws: WebSocket): void {
    const conn: Connection = { ws, seq: 0, identified: false };
    connections.add(conn);
    ws.on('close', () => connections.delete(conn));
    sendFrame(conn, { op: 10, d: { heartbeat_interval: heartbeatIntervalMs } });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return void ws.close(4002, 'Decode error');
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse((data as Buffer).toString('utf8')) as { op?: unknown; d?: unknown };
      } catch {
        return void ws.close(4002, 'Decode error');
      }
      const op = typeof payload.op === 'number' ? payload.op : -1;
      frames.push({ direction: 'in', op, d: payload.d, ...(conn.shard !== undefined ? { shard: conn.shard } : {}), at: Date.now() });
      switch (op) {
        case 1:
          sendFrame(conn, { op: 11, d: null });
          return;
        case 2: {
          const d = (payload.d ?? {}) as Record<string, unknown>;
          if (d['token'] !== token && d['token'] !== `Bot ${token}`) return void ws.close(4004, 'Authentication failed.');
          if (conn.identified) return void ws.close(4005, 'Already authenticated.');
          const shard = d['shard'];
          if (shard !== undefined) {
            const [id, count] = Array.isArray(shard) ? (shard as unknown[]) : [];
            if (typeof id !== 'number' || typeof count !== 'number' || !Number.isInteger(id) || !Number.isInteger(count) || count < 1 || id < 0 || id >= count) {
              return void ws.close(4010, 'Invalid shard.');
            }
            conn.shard = [id, count];
          }
          const [shardId, shardCount] = conn.shard ?? [0, 1];
          const shardGuilds = allGuilds.filter((g) => shardOf(g.id, shardCount) === shardId);
          conn.identified = true;
          conn.sessionId = snowflake();
          sessions.add(conn.sessionId);
          dispatch(conn, 'READY', {
            v: 10,
            user: botUser,
            guilds: shardGuilds.map((g) => ({ id: g.id, unavailable: true })),
            session_id: conn.sessionId,
            resume_gateway_url: gatewayUrl,
            shard: [shardId, shardCount],
            application: { id: applicationId, flags: 0 },
            private_channels: [],
            presences: [],
            relationships: [],
            user_settings: {},
            guild_join_requests: [],
            geo_ordered_rtc_regions: [],
          });
          for (const g of shardGuilds) dispatch(conn, 'GUILD_CREATE', guildCreate(g));
          readyResolve();
          return;
        }
        case 6: {
          const d = (payload.d ?? {}) as Record<string, unknown>;
          if (d['token'] !== token || typeof d['session_id'] !== 'string' || !sessions.has(d['session_id'])) {
            sendFrame(conn, { op: 9, d: false });
            return;
          }
          conn.identified = true;
          conn.sessionId = d['session_id'];
          conn.seq = typeof d['seq'] === 'number' ? d['seq'] : conn.seq;
          dispatch(conn, 'RESUMED', {});
          return;
        }
        default:
          return;
      }
    });
  }

  /**
   * The connection that receives events of a guild (undefined: a DM, which goes to shard 0), as
   * Discord routes them: to shard (guild_id >> 22) % shard count. Unsharded: liveConnection().
   */
  function connectionFor(gid: string | undefined): Connection {
    const sharded = [...connections].filter((c) => c.identified && c.ws.readyState === c.ws.OPEN && c.shard !== undefined && c.shard[1] > 1);
    if (sharded.length === 0) return liveConnection();
    const conn = sharded.filter((c) => c.shard !== undefined && shardOf(gid, c.shard[1]) === c.shard[0]).at(-1);
    if (conn === undefined) throw new Error(`fake Discord: no connected shard receives guild ${gid ?? '(DM)'}`);
    return conn;
  }

  let turn = 0;
  function liveConnection(): Connection {
    const live = [...connections].filter((c) => c.identified && c.ws.readyState === c.ws.OPEN);
    const conn = options.dispatch === 'round-robin' ? live[turn++ % Math.max(1, live.length)] : live[live.length - 1];
    if (conn === undefined) throw new Error('fake Discord: no client is connected to the gateway');
    return conn;
  }

  // ---------------------------------------------------------------------------------------------- Interactions

  function who(opts: Omit<InteractOptions, 'command'>): Record<string, unknown> {
    const id = opts.user?.id ?? '100000000000000001';
    return { id, username: opts.user?.username ?? `pembaca${id.slice(-4)}`, global_name: opts.user?.globalName ?? null, discriminator: '0', avatar: null, public_flags: 0 };
  }

  async function send_(type: number, data: Record<string, unknown>, opts: Omit<InteractOptions, 'command'>, message?: FakeMessage): Promise<InteractionHandle> {
    await ready();
    const id = snowflake();
    const itoken = `itok_${id}_${Math.random().toString(36).slice(2)}`;
    const user = who(opts);
    const dm = opts.dm === true;
    const gid = opts.guildId ?? guildId;
    const cid = opts.channelId ?? (dm ? `9${String(user['id']).slice(1)}` : channelId);
    const perms = opts.permissions ?? (opts.manageChannels === true ? PLAIN_MEMBER | PERMISSIONS.ManageChannels : PLAIN_MEMBER);
    const appPermissions = String(PLAIN_MEMBER);
    const payload: Record<string, unknown> = {
      id,
      application_id: applicationId,
      type,
      data,
      token: itoken,
      version: 1,
      locale: opts.locale ?? 'id',
      app_permissions: appPermissions,
      entitlements: [],
      attachment_size_limit: 10_485_760,
      ...(message !== undefined ? { message } : {}),
      ...(dm
        ? {
            user,
            channel_id: cid,
            channel: { id: cid, type: 1, last_message_id: null, flags: 0, recipients: [user] },
            context: 1,
            authorizing_integration_owners: { '0': '0' },
          }
        : {
            guild_id: gid,
            guild: { id: gid, locale: 'id', features: [] },
            guild_locale: 'id',
            channel_id: cid,
            channel: { id: cid, type: 0, name: channelName, guild_id: gid, position: 0, permission_overwrites: [], nsfw: false, parent_id: null, topic: null, rate_limit_per_user: 0, last_message_id: null, flags: 0, permissions: appPermissions },
            member: { user, roles: [], permissions: String(perms), joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null, premium_since: null, communication_disabled_until: null },
            context: 0,
            authorizing_integration_owners: { '0': gid },
          }),
    };
    const sentAt = Date.now();
    const st: InteractionState = {
      id,
      token: itoken,
      sentAt,
      deadline: sentAt + ackDeadlineMs,
      channelId: cid,
      ...(dm ? {} : { guildId: gid }),
      user,
      versions: [],
      waiters: [],
    };
    interactions.set(id, st);
    byToken.set(itoken, st);
    dispatch(connectionFor(dm ? undefined : gid), 'INTERACTION_CREATE', payload);

    const waitFor = <T>(what: string, get: () => T | undefined, timeoutMs: number): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          const v = get();
          if (v === undefined) return false;
          clearTimeout(timer);
          resolve(v);
          return true;
        };
        const timer = setTimeout(() => {
          reject(new Error(`fake Discord: no ${what} for interaction ${id} within ${timeoutMs} ms (ack: ${JSON.stringify(st.ack ?? null)}; rejections: ${JSON.stringify(rejections.slice(-3))})`));
        }, timeoutMs);
        if (check()) return;
        const waiter = (): void => {
          if (!check()) st.waiters.push(waiter);
        };
        st.waiters.push(waiter);
      });

    return {
      id,
      token: itoken,
      sentAt,
      versions: st.versions,
      acked: (timeoutMs = 20_000) => waitFor('acknowledgement', () => st.ack, timeoutMs),
      final: (timeoutMs = 20_000) => waitFor('reply', () => st.versions[0], timeoutMs),
    };
  }

  function ready(timeoutMs = 20_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake Discord: no client identified on the gateway')), timeoutMs);
      void readyPromise.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  function optionList(opts: InteractOptions): unknown[] {
    if (opts.rawOptions !== undefined) return opts.rawOptions;
    const values = Object.entries(opts.options ?? {}).map(([name, value]) => ({
      name,
      type: typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : Number.isInteger(value) ? 4 : 10,
      value,
    }));
    return opts.subcommand !== undefined ? [{ name: opts.subcommand, type: 1, options: values }] : values;
  }

  return {
    apiUrl: `${origin}/api`,
    gatewayUrl,
    token,
    applicationId,
    guildId,
    channelId,
    channelName,
    botUser: { id: botUser.id, username: botUser.username },
    requests,
    frames,
    rejections,
    commands,
    config: () => ({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId, DISCORD_API_URL: `${origin}/api`, DISCORD_GUILD_ID: undefined }),
    ready,
    interact(opts) {
      const registered = [...(commands.get(opts.guildId ?? guildId) ?? []), ...(commands.get('global') ?? [])].find((c) => c['name'] === opts.command);
      return send_(2, { id: (registered?.['id'] as string | undefined) ?? snowflake(), name: opts.command, type: 1, options: optionList(opts) }, opts);
    },
    click(message, customId, opts = {}) {
      return send_(3, { custom_id: customId, component_type: 2 }, opts, message);
    },
    select(message, customId, values, opts = {}) {
      return send_(3, { custom_id: customId, component_type: 3, values }, opts, message);
    },
    channelMessages: (id) => posted.get(id) ?? [],
    nonceDedups,
    deleteChannelMessage(cid, mid) {
      posted.set(cid, (posted.get(cid) ?? []).filter((m) => m.id !== mid));
      messages.delete(mid);
    },
    channelBehaviour(id, behaviour) {
      if (behaviour === undefined) behaviours.delete(id);
      else behaviours.set(id, behaviour);
    },
    addChannel: (id) => void channels.add(id),
    get liveSessions() {
      return [...connections].filter((c) => c.identified && c.ws.readyState === c.ws.OPEN).length;
    },
    dropConnections(how = {}) {
      for (const c of connections) {
        if (how.code !== undefined) c.ws.close(how.code, 'dropped by the test');
        else c.ws.terminate();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of connections) c.ws.terminate();
      wss.close();
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
