/**
 * Chat commands, platform-neutral. Each file exports `{ data, execute } satisfies Command`; adapters
 * (Discord, Telegram, console) turn their platform's input into a CommandInput and render the Reply.
 * A command never sees a Discord or Telegram object.
 */
import type { Article, RelatedStory } from '../src/core/article-types.js';
import type { Locale } from '../src/core/messages.js';
import type { Reply } from '../src/core/reply.js';
import type { Logger } from '../src/logger.js';
import type { ReaderService } from '../src/services/read.js';
import type { SearchService } from '../src/services/search.js';
import type { SubscriptionStore } from '../src/adapters/store/subscriptions.js';
import type { DigestPreviewer } from '../src/services/digest-preview.js';
import type { AbstractiveService } from '../src/services/abstractive.js';
import berita from './berita.js';
import digest from './digest.js';
import help from './help.js';

export interface LocalizedText {
  id: string;
  en: string;
}

export interface CommandOption {
  name: string;
  description: LocalizedText;
  type: 'string';
  required: boolean;
  maxLength?: number;
}

export interface CommandData {
  /** Lowercase command name without the slash ("berita"). */
  name: string;
  description: LocalizedText;
  options: CommandOption[];
  /**
   * Discord-style subcommands ("/digest subscribe time:07:00"). Adapters that have them pass the
   * chosen one as `options.subcommand` and its options beside it; text adapters pass `text` only.
   */
  subcommands?: { name: string; description: LocalizedText; options: CommandOption[] }[];
  /** How the command is written with its argument, for help texts ("/berita <tautan atau kata kunci>"). */
  usage: LocalizedText;
}

export interface CommandServices {
  reader: ReaderService;
  search: SearchService;
  /** Digest subscriptions; absent where no store is configured (then /digest says so politely). */
  subscriptions?: SubscriptionStore;
  /** Composes the digest a subscription would receive now (for /digest preview). */
  digest?: DigestPreviewer;
  /** The news corpus: related stories for a reading. Absent in one-shot runs. */
  corpus?: { relatedFor(article: Article, k?: number): RelatedStory[] };
  /** The clock, injectable for tests (default Date.now). */
  now?: () => number;
  /** Grounded abstractive summaries (LLM_BASE_URL, LLM_MODEL); absent = extractive only. */
  abstractive?: Pick<AbstractiveService, 'summarize'>;
}

export interface CommandContext {
  locale: Locale;
  user: { id: string; name?: string };
  place: {
    platform: 'discord' | 'telegram' | 'console';
    channelId: string;
    guildId?: string;
    isPrivate: boolean;
    /** How people see the channel ("#berita", "Grup Warga RT 5"), for replies that name it. */
    channelName?: string;
  };
  /**
   * May this user change the place's digest? Discord: Manage Channels; Telegram: a group
   * administrator (any user in a private chat); console: always. Adapters decide, commands obey.
   */
  canManage: boolean;
  services: CommandServices;
  logger: Logger;
  signal?: AbortSignal;
  /** IANA zone used to show times (default Asia/Jakarta). */
  timeZone?: string;
}

export interface CommandInput {
  /** Everything the user typed after the command name. */
  text: string;
  /** Named options (Discord slash-command options); `text` holds the main one too. */
  options: Record<string, string>;
  /** A document the user handed over instead of a link (a file on the console, a file sent in chat). */
  attachment?: { name: string; kind: 'html' | 'text'; content: string; url?: string };
}

export interface Command {
  data: CommandData;
  execute(input: CommandInput, ctx: CommandContext): Promise<Reply>;
}

/** Every command, by name. */
export function loadCommands(): Map<string, Command> {
  const list: Command[] = [berita, digest, help];
  return new Map(list.map((c) => [c.data.name, c]));
}
