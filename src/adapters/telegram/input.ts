/**
 * What a Telegram message asks the bot for: a command with its argument, or (in a private chat) a
 * bare link, a forwarded post with a link, or pasted article text read as /berita.
 */
import type { Message, MessageEntity } from 'grammy/types';
import { findLink } from '../../core/input.js';

export interface Invocation {
  /** Lowercase command name without the slash ("berita", "digest", "help", "start"). */
  command: string;
  /** The argument: everything after the command, or the link chosen for /berita. */
  text: string;
  /** Typed as a /command (false for a bare link or text in a private chat). */
  explicit: boolean;
  /** The command was addressed to this bot by name ("/berita@RingkasBot"). */
  addressed: boolean;
}

/** The parts of a message this module reads (a Message, or the message it replies to). */
export type MessageLike = Pick<Message, 'text' | 'entities' | 'caption' | 'caption_entities' | 'forward_origin' | 'is_automatic_forward'>;

/** Links of at most this many words are read as the link alone (like classifyInput). */
const SHORT_MESSAGE_WORDS = 40;

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

/** The first link in the text from `from` on: a `url` entity, a `text_link`, or one findLink sees. */
export function firstLink(text: string, entities: readonly MessageEntity[], from = 0): string | undefined {
  for (const e of [...entities].sort((a, b) => a.offset - b.offset)) {
    if (e.offset < from) continue;
    if (e.type === 'text_link') return e.url;
    if (e.type === 'url') {
      const raw = text.slice(e.offset, e.offset + e.length);
      return /^https?:\/\//i.test(raw) ? raw : (findLink(raw) ?? `https://${raw}`);
    }
  }
  return undefined;
}

/** The text and entities of a message (a caption for media posts). */
export function bodyOf(msg: MessageLike): { text: string; entities: MessageEntity[] } {
  if (msg.text !== undefined) return { text: msg.text, entities: msg.entities ?? [] };
  if (msg.caption !== undefined) return { text: msg.caption, entities: msg.caption_entities ?? [] };
  return { text: '', entities: [] };
}

/**
 * What /berita should read from a message, starting at `from`: the link, when the message is a
 * forwarded post or short enough to be "a link with a few words"; else the text itself (which
 * the command classifies as pasted article or keywords).
 */
export function beritaArgument(msg: MessageLike, from = 0): string {
  const { text, entities } = bodyOf(msg);
  const rest = text.slice(from).trim();
  const link = firstLink(text, entities, from);
  const forwarded = msg.forward_origin !== undefined || msg.is_automatic_forward === true;
  if (link !== undefined && (forwarded || wordCount(rest) <= SHORT_MESSAGE_WORDS)) return link;
  return rest;
}

/**
 * The invocation in a message, or undefined when the message is not for this bot (a command for
 * another bot, chatter in a group, a sticker).
 */
export function invocationOf(msg: Message, botUsername: string, isPrivate: boolean): Invocation | undefined {
  const { text, entities } = bodyOf(msg);
  const cmd = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (cmd !== undefined) {
    const token = text.slice(1, cmd.length);
    const [rawName = '', target] = token.split('@', 2);
    if (target !== undefined && target.toLowerCase() !== botUsername.toLowerCase()) return undefined;
    const command = rawName.toLowerCase();
    let arg = command === 'berita' ? beritaArgument(msg, cmd.length) : text.slice(cmd.length).trim();
    // "/berita" sent as a reply to a message with a link reads that message.
    if (command === 'berita' && arg === '' && msg.reply_to_message !== undefined) arg = beritaArgument(msg.reply_to_message);
    return { command, text: arg, explicit: true, addressed: target !== undefined };
  }
  if (!isPrivate) return undefined;
  const arg = beritaArgument(msg);
  if (arg === '') return undefined;
  return { command: 'berita', text: arg, explicit: false, addressed: true };
}
