/**
 * Discord interactions in, neutral commands run, embeds out.
 *
 * A slash command is acknowledged at once (deferReply: Discord allows 3 s), then run through a
 * bounded queue and answered by editing the deferred reply with the rendered Reply. Every failure
 * becomes a short message in the user's language; nothing is left unanswered. `/berita` is rate
 * limited per user and per guild (an ephemeral "tunggu sebentar" answers at once, no deferral).
 *
 * Buttons and the story menu carry custom ids `rk:<op>:<key>[:<index>]`; the key points into an
 * in-memory ActionMemory holding what the reply was about:
 *   rk:full:<key>      "Ringkasan lengkap"  a longer summary of the article (ephemeral)
 *   rk:quotes:<key>    "Kutipan lainnya"    the article's other quotes (ephemeral)
 *   rk:related:<key>   "Berita terkait"     related stories from the corpus (ephemeral)
 *   rk:open:<key>      the story menu of a keyword search: opens the chosen story (public)
 *   rk:act:<key>:<i>   a Reply button with an `action`, routed back to its command
 *                      (`execute({ text: action, options: { action } })`)
 */
import {
  ApplicationCommandOptionType,
  MessageFlags,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type APIEmbed,
  type CommandInteractionOption,
  type Interaction,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
  type REST,
  Routes,
} from 'discord.js';
import PQueue from 'p-queue';
import type { Command, CommandContext, CommandInput, CommandServices } from '../../../commands/index.js';
import type { Reading } from '../../core/article-types.js';
import { RingkasError, toRingkasError } from '../../core/errors.js';
import { messageFor, toLocale, userMessage, type Locale } from '../../core/messages.js';
import { extractQuotes } from '../../core/quotes.js';
import { errorReply, infoReply, type Reply } from '../../core/reply.js';
import { summarize } from '../../core/summarize.js';
import type { Logger } from '../../logger.js';
import { commandLabel, outcomeOf, type Metrics } from '../metrics.js';
import type { InFlight } from '../ops/inflight.js';
import { RateLimiter, takeAll, type RateDecision, type RateLimitOptions } from '../../services/rate-limit.js';
import type { SearchResult } from '../../services/search.js';
import { LABELS } from './labels.js';
import { ActionMemory, type MemoryOptions } from './memory.js';
import { renderReply, type MessageRow, type RenderControls } from './render.js';

export interface InteractionHandlerOptions {
  commands: Map<string, Command>;
  services: CommandServices;
  logger: Logger;
  /** IANA zone for shown times (default Asia/Jakarta). */
  timeZone?: string;
  /** Per-user and per-guild limits on rate-limited commands (defaults: 5 then 1 per 6 s; 30 then 1 per s). */
  rateLimits?: { user?: RateLimitOptions; guild?: RateLimitOptions };
  /** Commands under the rate limits (default: berita). Opening a story from a menu counts too. */
  rateLimitedCommands?: readonly string[];
  /** Commands run at the same time at most (default 4); the rest wait, already acknowledged. */
  concurrency?: number;
  /**
   * A command waits (up to this long, default 2000 ms) for acknowledgements still on their way
   * before it starts: reading an article is CPU work that would otherwise delay them past 3 s.
   */
  ackPriorityMs?: number;
  /** A command still running after this long is answered with a timeout message (default 45 s). */
  commandTimeoutMs?: number;
  memory?: MemoryOptions;
  /** Interactions answered are counted here (ringkas_commands_total, ringkas_command_duration_seconds). */
  metrics?: Metrics | undefined;
  /** Interactions being handled, shared with the other adapters; once closed, new ones are turned away. */
  inFlight?: InFlight | undefined;
  /**
   * REST clients for editing replies. discord.js queues every edit of an interaction reply of one
   * application in a single sequential bucket (its bucket key holds the application id, not the
   * interaction token), so 50 concurrent replies go out one after another. Edits are spread over
   * these clients by token instead (interaction webhooks need no bot token and are not bound to
   * the global rate limit). Without them, `interaction.editReply` is used.
   */
  editClients?: readonly REST[];
}

export interface InteractionHandler {
  /** Handles one interaction; never rejects. */
  handle(interaction: Interaction): Promise<void>;
  /** Resolves when every interaction received so far has been answered (or given up on). */
  idle(): Promise<void>;
  close(): void;
}

type MemoryEntry =
  | { kind: 'reading'; reading: Reading; shownQuotes: number; related: SearchResult[] }
  | { kind: 'results'; links: { title: string; url: string }[] }
  | { kind: 'actions'; command: string; actions: string[] };

const CUSTOM_ID = /^rk:(full|quotes|related|open|act):([a-z0-9]{1,16})(?::(\d{1,2}))?$/;
/** Sentences in the "full summary". */
const FULL_SUMMARY_SENTENCES = 8;
/** Quotes looked for behind "more quotes". */
const MORE_QUOTES_MAX = 12;

/** Discord options as the neutral CommandInput: subcommand name in `options.subcommand`. */
export function toCommandInput(options: readonly CommandInteractionOption[]): CommandInput {
  const out: Record<string, string> = {};
  const words: string[] = [];
  const walk = (list: readonly CommandInteractionOption[]): void => {
    for (const o of list) {
      if (o.type === ApplicationCommandOptionType.Subcommand) {
        out['subcommand'] = o.name;
        words.push(o.name);
        walk(o.options ?? []);
      } else if (o.type === ApplicationCommandOptionType.SubcommandGroup) {
        out['group'] = o.name;
        words.push(o.name);
        walk(o.options ?? []);
      } else if (o.value !== undefined && o.value !== null) {
        out[o.name] = String(o.value);
        words.push(String(o.value));
      }
    }
  };
  walk(options);
  return { text: words.join(' '), options: out };
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

export function createInteractionHandler(opts: InteractionHandlerOptions): InteractionHandler {
  const log = opts.logger.child({ component: 'discord' });
  const userLimiter = new RateLimiter(opts.rateLimits?.user ?? { capacity: 5, refillPerSecond: 1 / 6 });
  const guildLimiter = new RateLimiter(opts.rateLimits?.guild ?? { capacity: 30, refillPerSecond: 1 });
  const limited = new Set(opts.rateLimitedCommands ?? ['berita']);
  const queue = new PQueue({ concurrency: opts.concurrency ?? 4 });
  const ackPriorityMs = opts.ackPriorityMs ?? 2000;
  let pendingAcks = 0;
  let ackWaiters: (() => void)[] = [];
  const timeoutMs = opts.commandTimeoutMs ?? 45_000;
  const memory = new ActionMemory<MemoryEntry>(opts.memory);
  const inFlight = new Set<Promise<void>>();
  /** The outcome of each interaction answered (for the metrics). */
  const outcomes = new WeakMap<Interaction, string>();

  function takeLimit(i: Interaction): RateDecision {
    const pairs: [RateLimiter, string][] = [[userLimiter, i.user.id]];
    if (i.guildId !== null) pairs.push([guildLimiter, i.guildId]);
    return takeAll(pairs);
  }

  /** The neutral context of an interaction; `services` may be wrapped to watch the reader. */
  function contextOf(i: Interaction, locale: Locale, services: CommandServices, signal: AbortSignal): CommandContext {
    const isPrivate = !i.inGuild();
    const channel = i.channel;
    const name = channel !== null && 'name' in channel && typeof channel.name === 'string' && channel.name !== '' ? `#${channel.name}` : undefined;
    return {
      locale,
      user: { id: i.user.id, name: i.user.globalName ?? i.user.username },
      place: {
        platform: 'discord',
        channelId: i.channelId ?? i.user.id,
        ...(i.guildId !== null ? { guildId: i.guildId } : {}),
        isPrivate,
        ...(name !== undefined ? { channelName: name } : i.channelId !== null && !isPrivate ? { channelName: `<#${i.channelId}>` } : {}),
      },
      // Discord computes the member's permissions in this channel (roles and overwrites).
      canManage: isPrivate || (i.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false),
      services,
      logger: log,
      signal,
      ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
    };
  }

  /** Services whose reader remembers the last Reading it produced (for the buttons). */
  function watching(): { services: CommandServices; last: () => Reading | undefined } {
    let last: Reading | undefined;
    const base = opts.services.reader;
    const keep = (r: Reading): Reading => (last = r);
    return {
      services: {
        ...opts.services,
        reader: {
          readUrl: async (url, o) => keep(await base.readUrl(url, o)),
          readText: (text, o) => keep(base.readText(text, o)),
          readHtml: (html, o) => keep(base.readHtml(html, o)),
        },
      },
      last: () => last,
    };
  }

  /** Counts an acknowledgement on its way to Discord while `send` runs. */
  async function acknowledging<T>(send: () => Promise<T>): Promise<T> {
    pendingAcks++;
    try {
      return await send();
    } finally {
      pendingAcks--;
      if (pendingAcks === 0) {
        const waiters = ackWaiters;
        ackWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  /** Resolves when no acknowledgement is on its way (or after ackPriorityMs). */
  function acksSent(): Promise<void> {
    if (pendingAcks === 0 || ackPriorityMs <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ackPriorityMs);
      ackWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Runs a command in the queue with a deadline; always resolves to a Reply. */
  async function run(command: Command, input: CommandInput, i: Interaction, locale: Locale, services: CommandServices): Promise<Reply> {
    const result = await queue.add(async () => {
      await acksSent();
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new RingkasError('FETCH_TIMEOUT', `command ran past ${timeoutMs} ms`));
          reject(new RingkasError('FETCH_TIMEOUT', `command ran past ${timeoutMs} ms`, { limitMs: timeoutMs }));
        }, timeoutMs);
      });
      try {
        return await Promise.race([command.execute(input, contextOf(i, locale, services, controller.signal)), deadline]);
      } catch (e) {
        const err = toRingkasError(e);
        log[err.code === 'INTERNAL' ? 'error' : 'info']({ err, code: err.code, command: command.data.name, user: i.user.id }, 'discord command failed');
        return errorReply(err.code, userMessage(err, locale), locale);
      } finally {
        clearTimeout(timer);
      }
    });
    return result ?? errorReply('INTERNAL', messageFor('INTERNAL', locale), locale);
  }

  /** Acknowledges at once; false when Discord no longer takes an answer. */
  async function defer(i: RepliableInteraction, ephemeral: boolean): Promise<boolean> {
    try {
      await acknowledging(() => i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}));
      return true;
    } catch (err) {
      outcomes.set(i, 'NOT_ACKNOWLEDGED');
      log.warn({ err, interaction: i.id }, 'could not acknowledge the interaction');
      return false;
    }
  }

  /** Answers without deferring (fast paths: rate limited, expired button, unknown command). */
  async function replyNow(i: RepliableInteraction, reply: Reply): Promise<void> {
    outcomes.set(i, outcomeOf(reply));
    const { embeds, components } = renderReply(reply);
    try {
      await acknowledging(() => i.reply({ embeds, components, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }));
    } catch (err) {
      log.warn({ err, interaction: i.id }, 'could not answer the interaction');
    }
  }

  /** Edits the original reply of an acknowledged interaction. */
  async function edit(i: RepliableInteraction, message: { embeds: APIEmbed[]; components: MessageRow[] }): Promise<void> {
    const clients = opts.editClients ?? [];
    if (clients.length === 0) {
      await i.editReply({ ...message, allowedMentions: { parse: [] } });
      return;
    }
    let h = 0;
    for (let k = 0; k < i.token.length; k++) h = (h * 31 + i.token.charCodeAt(k)) >>> 0;
    const rest = clients[h % clients.length] as REST;
    await rest.patch(Routes.webhookMessage(i.applicationId, i.token, '@original'), {
      body: { ...message, allowed_mentions: { parse: [] } },
      auth: false,
    });
  }

  /** Edits the deferred reply; if Discord refuses the message, says so briefly instead. */
  async function answer(i: RepliableInteraction, reply: Reply, controls: RenderControls = {}): Promise<void> {
    outcomes.set(i, outcomeOf(reply));
    try {
      await edit(i, renderReply(reply, controls));
      return;
    } catch (err) {
      log.error({ err, interaction: i.id, kind: reply.kind }, 'could not edit the reply; sending a short error instead');
    }
    const fallback = renderReply(errorReply('INTERNAL', messageFor('INTERNAL', reply.locale), reply.locale));
    try {
      await edit(i, { embeds: fallback.embeds, components: [] });
    } catch (err) {
      log.error({ err, interaction: i.id }, 'could not edit the reply at all');
    }
  }

  /** Buttons and menus that help with this reply, remembered under one key. */
  async function controlsFor(reply: Reply, reading: Reading | undefined, commandName: string): Promise<RenderControls> {
    const L = LABELS[reply.locale];
    const controls: { actions: { customId: string; label: string }[]; select?: NonNullable<RenderControls['select']> } = { actions: [] };

    if (reply.kind === 'reading' && reading !== undefined) {
      const shownQuotes = reply.blocks.reduce((n, b) => (b.type === 'quotes' ? n + b.items.length : n), 0);
      const shownLinks = new Set(reply.blocks.flatMap((b) => (b.type === 'links' ? b.items.map((l) => l.url ?? l.title) : [])));
      const related = await relatedTo(reading, shownLinks);
      const wantFull = reading.article.paragraphs.length > reading.summary.length + 1;
      const wantQuotes = reading.quotes.length > shownQuotes;
      if (wantFull || wantQuotes || related.length > 0) {
        const key = memory.put({ kind: 'reading', reading, shownQuotes, related });
        if (wantFull) controls.actions.push({ customId: `rk:full:${key}`, label: L.fullSummary });
        if (wantQuotes) controls.actions.push({ customId: `rk:quotes:${key}`, label: L.moreQuotes });
        if (related.length > 0) controls.actions.push({ customId: `rk:related:${key}`, label: L.related });
      }
    }

    if (reply.kind === 'results') {
      const links = reply.blocks.flatMap((b) => (b.type === 'links' ? b.items : [])).filter((l): l is typeof l & { url: string } => l.url !== undefined);
      if (links.length > 0) {
        const key = memory.put({ kind: 'results', links: links.map((l) => ({ title: l.title, url: l.url })) });
        controls.select = {
          customId: `rk:open:${key}`,
          placeholder: L.chooseStory,
          options: links.map((l, n) => ({ label: l.title, value: String(n), ...(l.note !== undefined ? { description: l.note } : {}) })),
        };
      }
    }

    const actions = reply.buttons.flatMap((b) => (b.action !== undefined && b.url === undefined ? [b] : []));
    if (actions.length > 0) {
      const key = memory.put({ kind: 'actions', command: commandName, actions: actions.map((a) => a.action as string) });
      actions.forEach((a, n) => controls.actions.push({ customId: `rk:act:${key}:${n}`, label: a.label }));
    }
    return controls;
  }

  /** Stories in the corpus like this one, other than itself and those already shown. */
  async function relatedTo(reading: Reading, shown: ReadonlySet<string>): Promise<SearchResult[]> {
    const { article } = reading;
    const self = new Set([article.url, article.canonicalUrl].filter((u): u is string => u !== undefined));
    const query = [article.title, ...reading.keywords.slice(0, 5)].join(' ');
    try {
      const hits = await opts.services.search.search(query, 8);
      return hits.filter((h) => !(h.url !== undefined && (self.has(h.url) || shown.has(h.url))) && h.id !== article.canonicalUrl && h.id !== article.url && !shown.has(h.title)).slice(0, 5);
    } catch (err) {
      log.warn({ err }, 'related search failed');
      return [];
    }
  }

  /** Runs a command for an acknowledged interaction and edits the answer in. */
  async function runAndAnswer(i: RepliableInteraction, command: Command, input: CommandInput, locale: Locale): Promise<void> {
    const watch = watching();
    const reply = await run(command, input, i, locale, watch.services);
    let controls: RenderControls = {};
    try {
      controls = await controlsFor(reply, watch.last(), command.data.name);
    } catch (err) {
      log.warn({ err }, 'could not add buttons to the reply');
    }
    await answer(i, reply, controls);
  }

  async function onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const locale = toLocale(i.locale);
    const command = opts.commands.get(i.commandName);
    if (command === undefined) {
      await replyNow(i, errorReply('UNKNOWN_COMMAND', messageFor('UNKNOWN_COMMAND', locale), locale));
      return;
    }
    if (limited.has(command.data.name)) {
      const d = takeLimit(i);
      if (!d.allowed) {
        log.info({ user: i.user.id, guild: i.guildId, command: command.data.name, retryAfterMs: d.retryAfterMs }, 'rate limited');
        await replyNow(i, errorReply('RATE_LIMITED', messageFor('RATE_LIMITED', locale, { seconds: seconds(d.retryAfterMs) }), locale));
        return;
      }
    }
    if (!(await defer(i, false))) return;
    await runAndAnswer(i, command, toCommandInput(i.options.data), locale);
  }

  async function onComponent(i: ButtonInteraction | StringSelectMenuInteraction): Promise<void> {
    const locale = toLocale(i.locale);
    const L = LABELS[locale];
    const m = CUSTOM_ID.exec(i.customId);
    const entry = m !== null ? memory.get(m[2] as string) : undefined;
    if (m === null || entry === undefined) {
      await replyNow(i, infoReply(locale, L.expired));
      return;
    }
    const op = m[1] as 'full' | 'quotes' | 'related' | 'open' | 'act';

    if (op === 'open' && entry.kind === 'results') {
      const link = i.isStringSelectMenu() ? entry.links[Number(i.values[0] ?? -1)] : undefined;
      const berita = opts.commands.get('berita');
      if (link === undefined || berita === undefined) {
        await replyNow(i, infoReply(locale, L.cannotOpen));
        return;
      }
      const d = takeLimit(i);
      if (!d.allowed) {
        await replyNow(i, errorReply('RATE_LIMITED', messageFor('RATE_LIMITED', locale, { seconds: seconds(d.retryAfterMs) }), locale));
        return;
      }
      if (!(await defer(i, false))) return;
      await runAndAnswer(i, berita, { text: link.url, options: { masukan: link.url } }, locale);
      return;
    }

    if (op === 'act' && entry.kind === 'actions') {
      const action = entry.actions[Number(m[3] ?? -1)];
      const command = opts.commands.get(entry.command);
      if (action === undefined || command === undefined) {
        await replyNow(i, infoReply(locale, L.expired));
        return;
      }
      if (!(await defer(i, true))) return;
      await runAndAnswer(i, command, { text: action, options: { action } }, locale);
      return;
    }

    if (entry.kind !== 'reading') {
      await replyNow(i, infoReply(locale, L.expired));
      return;
    }
    // A longer summary or more quotes is reading work too: the user's limit applies.
    const d = userLimiter.take(i.user.id);
    if (!d.allowed) {
      await replyNow(i, errorReply('RATE_LIMITED', messageFor('RATE_LIMITED', locale, { seconds: seconds(d.retryAfterMs) }), locale));
      return;
    }
    if (!(await defer(i, true))) return;
    let reply: Reply;
    try {
      reply = await queue.add(async () => {
        await acksSent();
        return readingAction(op, entry, locale);
      }) ?? errorReply('INTERNAL', messageFor('INTERNAL', locale), locale);
    } catch (e) {
      const err = toRingkasError(e);
      log.error({ err, op }, 'button action failed');
      reply = errorReply(err.code, userMessage(err, locale), locale);
    }
    await answer(i, reply);
  }

  /** "Ringkasan lengkap", "Kutipan lainnya", "Berita terkait" for a remembered reading. */
  async function readingAction(op: string, entry: Extract<MemoryEntry, { kind: 'reading' }>, locale: Locale): Promise<Reply> {
    const L = LABELS[locale];
    const { reading } = entry;
    const { article } = reading;
    const url = article.canonicalUrl ?? article.url;
    const base = { locale, kind: 'reading' as const, title: article.title, ...(url !== undefined ? { url } : {}), buttons: [] };
    switch (op) {
      case 'full': {
        const sentences = summarize(article, { sentences: FULL_SUMMARY_SENTENCES });
        if (sentences.length <= reading.summary.length) return infoReply(locale, L.alreadyFull);
        return { ...base, blocks: [{ type: 'bullets', heading: L.fullSummaryHeading, items: sentences }] };
      }
      case 'quotes': {
        const all = extractQuotes(article.paragraphs, { title: article.title, max: MORE_QUOTES_MAX });
        const more = all.slice(entry.shownQuotes);
        if (more.length === 0) return infoReply(locale, L.noMoreQuotes);
        return { ...base, blocks: [{ type: 'quotes', heading: L.moreQuotesHeading, items: more.map((q) => ({ text: q.text, speaker: q.speaker })) }] };
      }
      default: {
        if (entry.related.length === 0) return infoReply(locale, L.noRelated);
        const items = entry.related.map((h) => ({ title: h.title, ...(h.url !== undefined ? { url: h.url } : {}), ...(h.summary !== undefined ? { note: h.summary } : {}) }));
        return { ...base, blocks: [{ type: 'links', heading: L.relatedHeading, items }] };
      }
    }
  }

  async function dispatch(i: Interaction): Promise<void> {
    if (i.isChatInputCommand()) return onCommand(i);
    if (i.isButton() || i.isStringSelectMenu()) return onComponent(i);
    if (i.isAutocomplete()) {
      await i.respond([]).catch((err: unknown) => log.warn({ err }, 'could not answer autocomplete'));
      return;
    }
    if (i.isRepliable()) {
      const locale = toLocale(i.locale);
      await replyNow(i, errorReply('UNKNOWN_COMMAND', messageFor('UNKNOWN_COMMAND', locale), locale));
    }
  }

  /** What an interaction counts as: its command, "button" for components, "unknown" otherwise. */
  function labelOf(i: Interaction): string {
    if (i.isChatInputCommand()) return commandLabel(opts.commands, i.commandName);
    if (i.isMessageComponent()) return 'button';
    return 'unknown';
  }

  /** Shutting down: a short answer instead of silence (no other process takes this interaction). */
  async function turnAway(i: Interaction): Promise<void> {
    if (!i.isRepliable()) return;
    const locale = toLocale(i.locale);
    await replyNow(i, infoReply(locale, LABELS[locale].restarting));
    outcomes.set(i, 'SHUTTING_DOWN');
  }

  return {
    handle(interaction) {
      const receivedAt = performance.now();
      const work = opts.inFlight?.closed === true ? turnAway(interaction) : dispatch(interaction);
      const p = work
        .catch((err: unknown) => {
          log.error({ err, interaction: interaction.id }, 'interaction handling failed');
          outcomes.set(interaction, 'INTERNAL');
        })
        .finally(() => {
          if (interaction.isAutocomplete()) return;
          opts.metrics?.commandServed('discord', labelOf(interaction), outcomes.get(interaction) ?? 'ok', (performance.now() - receivedAt) / 1000);
        });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      void opts.inFlight?.track(p);
      return p;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close() {
      queue.clear();
      memory.clear();
    },
  };
}
