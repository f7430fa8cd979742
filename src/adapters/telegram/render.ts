/**
 * Reply -> Telegram messages. The reply becomes one HTML tree (bold title linked to the article,
 * outlet and time in italics, summary bullets, quotes in <blockquote> with their speaker, related
 * links, keywords), which is then cut into messages of at most 4096 visible characters at
 * paragraph, line or sentence boundaries. Buttons go under the last message.
 */
import type { InlineKeyboardButton } from 'grammy/types';
import type { Reply, ReplyBlock, ReplyButton } from '../../core/reply.js';
import { cleanText, countElements, el, link, plainText, safeHref, sliceNodes, toHtml, type HtmlNode } from './html.js';

/** Telegram's limit on a message's text, counted after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram shows at most 100 entities of a message; a part never carries more. */
export const TELEGRAM_ENTITY_LIMIT = 100;
/** Telegram's limit on callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;

export interface TelegramPart {
  /** The message text in Telegram HTML (parse_mode "HTML"). */
  html: string;
  /** What the reader sees (for logs and tests). */
  text: string;
  /** Inline keyboard rows (only on the last part). */
  keyboard?: InlineKeyboardButton[][];
  /** Telegram shows a link preview only when the message is nothing but a link. */
  linkPreview: boolean;
}

export interface RenderOptions {
  /** Visible characters per message (default 4096). */
  limit?: number;
  /** Entities per message (default 100). */
  maxEntities?: number;
  /** Extra buttons appended after the reply's own (the adapter's "Kutipan lainnya" / "Berita terkait"). */
  extraButtons?: ReplyButton[];
}

const BULLET = '• ';

function blockNodes(block: ReplyBlock): HtmlNode[] {
  const out: HtmlNode[] = [];
  if (block.heading !== undefined && block.heading.trim() !== '') out.push(el('b', cleanText(block.heading.trim())), '\n');
  switch (block.type) {
    case 'text':
      out.push(cleanText(block.text.trim()));
      break;
    case 'bullets':
      block.items.forEach((item, i) => {
        if (i > 0) out.push('\n');
        out.push(BULLET + cleanText(item.trim()));
      });
      if (block.note !== undefined && block.note.trim() !== '') out.push('\n', el('i', cleanText(block.note.trim())));
      break;
    case 'quotes':
      block.items.forEach((q, i) => {
        if (i > 0) out.push('\n');
        const inner: HtmlNode[] = [`“${cleanText(q.text.trim())}”`];
        if (q.speaker !== null && q.speaker.trim() !== '') inner.push('\n— ', el('i', cleanText(q.speaker.trim())));
        out.push(el('blockquote', ...inner));
      });
      break;
    case 'links':
      block.items.forEach((l, i) => {
        if (i > 0) out.push('\n');
        out.push(BULLET, ...link(l.url, cleanText(l.title.trim())));
        if (l.note !== undefined && l.note.trim() !== '') out.push(' — ', el('i', cleanText(l.note.trim())));
      });
      break;
  }
  return out;
}

/** The whole reply as one HTML tree (before splitting). */
export function replyNodes(reply: Reply): HtmlNode[] {
  const sections: HtmlNode[][] = [];
  const head: HtmlNode[] = [];
  if (reply.title !== undefined && reply.title.trim() !== '') head.push(el('b', ...link(reply.url, cleanText(reply.title.trim()))));
  if (reply.meta !== undefined && reply.meta.trim() !== '') {
    if (head.length > 0) head.push('\n');
    head.push(el('i', cleanText(reply.meta.trim())));
  }
  if (head.length > 0) sections.push(head);
  for (const block of reply.blocks) {
    const nodes = blockNodes(block);
    if (plainText(nodes).trim() !== '') sections.push(nodes);
  }
  if (reply.footer !== undefined && reply.footer.trim() !== '') sections.push([el('i', cleanText(reply.footer.trim()))]);
  const out: HtmlNode[] = [];
  sections.forEach((s, i) => {
    if (i > 0) out.push('\n\n');
    out.push(...s);
  });
  return out;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Where a part may end, best first: 3 = a paragraph break, 2 = a line break, 1 = after a sentence,
 * 0 = between words. Returns the rank of ending a part at `pos` (text before pos), or -1.
 */
function breakRank(text: string, pos: number): number {
  const next = text[pos];
  if (next === '\n') return text[pos + 1] === '\n' || text[pos - 1] === '\n' ? 3 : 2;
  if (!isSpace(next)) return -1;
  if (/[.!?…]["”’»)\]]*$/.test(text.slice(Math.max(0, pos - 4), pos))) return 1;
  return 0;
}

/** The end of the next part starting at `start`, at most `limit` characters on. */
function chooseEnd(text: string, start: number, limit: number): number {
  const hardEnd = Math.min(text.length, start + limit);
  if (hardEnd === text.length) return hardEnd;
  // A boundary in the second half of the window is preferred, so that parts are not tiny.
  const half = start + Math.floor(limit / 2);
  let best = -1;
  let bestRank = -1;
  for (const lowest of [half, start + 1]) {
    for (let p = hardEnd; p > lowest; p--) {
      const r = breakRank(text, p);
      if (r > bestRank) {
        bestRank = r;
        best = p;
        if (r === 3) break;
      }
    }
    if (best !== -1) return best;
  }
  // One unbroken run of text longer than a message: cut it, but never inside a surrogate pair.
  let cut = hardEnd;
  if (cut > start + 1 && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return cut;
}

/**
 * Cuts a tree into parts of at most `limit` visible characters and `maxEntities` elements, at the
 * best boundaries available. Whitespace at the cuts is dropped (Telegram trims it anyway).
 */
export function splitNodes(nodes: readonly HtmlNode[], limit = TELEGRAM_TEXT_LIMIT, maxEntities = TELEGRAM_ENTITY_LIMIT): HtmlNode[][] {
  const text = plainText(nodes);
  const parts: HtmlNode[][] = [];
  let start = 0;
  while (start < text.length) {
    while (start < text.length && isSpace(text[start])) start++;
    if (start >= text.length) break;
    let window = limit;
    let end = chooseEnd(text, start, window);
    let part = sliceNodes(nodes, start, trimEnd(text, start, end));
    while (countElements(part) > maxEntities && window > 1) {
      window = Math.max(1, Math.floor(window * 0.7));
      end = chooseEnd(text, start, window);
      part = sliceNodes(nodes, start, trimEnd(text, start, end));
    }
    parts.push(part);
    start = end;
  }
  return parts;
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isSpace(text[e - 1])) e--;
  return e;
}

/** Inline keyboard: action buttons side by side, then link buttons side by side (two per row). */
function keyboardOf(buttons: readonly ReplyButton[]): InlineKeyboardButton[][] {
  const actions: InlineKeyboardButton[] = [];
  const links: InlineKeyboardButton[] = [];
  for (const b of buttons) {
    const label = cleanText(b.label).trim().slice(0, 64) || '…';
    const href = safeHref(b.url);
    if (href !== undefined) links.push({ text: label, url: href });
    else if (b.action !== undefined && b.action !== '' && Buffer.byteLength(b.action, 'utf8') <= CALLBACK_DATA_LIMIT) actions.push({ text: label, callback_data: b.action });
  }
  const rows: InlineKeyboardButton[][] = [];
  for (const list of [actions, links]) for (let i = 0; i < list.length; i += 2) rows.push(list.slice(i, i + 2));
  return rows;
}

const JUST_A_LINK = /^https?:\/\/\S+$/i;

/** The reply as Telegram messages, in order. Never empty: an empty reply becomes "…". */
export function renderReply(reply: Reply, opts: RenderOptions = {}): TelegramPart[] {
  const nodes = replyNodes(reply);
  let chunks = splitNodes(nodes, opts.limit ?? TELEGRAM_TEXT_LIMIT, opts.maxEntities ?? TELEGRAM_ENTITY_LIMIT);
  if (chunks.length === 0) chunks = [['…']];
  const keyboard = keyboardOf([...reply.buttons, ...(opts.extraButtons ?? [])]);
  return chunks.map((chunk, i) => {
    const text = plainText(chunk);
    const part: TelegramPart = { html: toHtml(chunk), text, linkPreview: JUST_A_LINK.test(text.trim()) };
    if (i === chunks.length - 1 && keyboard.length > 0) part.keyboard = keyboard;
    return part;
  });
}
