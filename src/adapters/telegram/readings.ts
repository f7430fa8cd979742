/**
 * The readings behind the inline buttons. /berita returns a Reply, not the Reading, so the adapter
 * hands commands a reader that remembers its recent readings (bounded, least recently used out);
 * "Kutipan lainnya" (more quotes) and "Berita terkait" (related stories) then answer from them.
 * Callback data is `q:<key>` / `r:<key>`, where the key is a short hash of the article's URL
 * (callback_data holds 64 bytes at most; URLs are often longer).
 */
import { createHash } from 'node:crypto';
import type { CommandServices } from '../../../commands/index.js';
import type { Reading } from '../../core/article-types.js';
import type { Locale } from '../../core/messages.js';
import type { Reply, ReplyButton } from '../../core/reply.js';
import type { ReaderService } from '../../services/read.js';

export const ACTION_MORE_QUOTES = 'q';
export const ACTION_RELATED = 'r';

const LABELS = {
  id: {
    moreQuotes: 'Kutipan lainnya',
    related: 'Berita terkait',
    moreQuotesTitle: (t: string) => `Kutipan lainnya: ${t}`,
    relatedTitle: (t: string) => `Berita terkait: ${t}`,
    quotes: 'Kutipan',
  },
  en: {
    moreQuotes: 'More quotes',
    related: 'Related stories',
    moreQuotesTitle: (t: string) => `More quotes: ${t}`,
    relatedTitle: (t: string) => `Related to: ${t}`,
    quotes: 'Quotes',
  },
} as const;

/** The identity of a reading as its reply shows it: the reply's URL (canonical first), else its title. */
export function identityOf(urlOrUndefined: string | undefined, title: string): string {
  return urlOrUndefined ?? `text:${title}`;
}

/** A short, URL-safe key for an identity (fits callback_data with room to spare). */
export function readingKey(identity: string): string {
  return createHash('sha256').update(identity).digest('base64url').slice(0, 16);
}

export function readingIdentity(reading: Reading): string {
  const { article } = reading;
  return identityOf(article.canonicalUrl ?? article.url, article.title);
}

/** Recent readings by key, least recently used forgotten first. */
export class ReadingMemory {
  readonly #map = new Map<string, Reading>();
  readonly #max: number;

  constructor(max = 500) {
    this.#max = max;
  }

  remember(reading: Reading): Reading {
    const key = readingKey(readingIdentity(reading));
    this.#map.delete(key);
    this.#map.set(key, reading);
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value;
      if (oldest !== undefined) this.#map.delete(oldest);
    }
    return reading;
  }

  get(key: string): Reading | undefined {
    const r = this.#map.get(key);
    if (r !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, r);
    }
    return r;
  }
}

/** The reader, remembering every reading it returns. */
export function rememberingReader(reader: ReaderService, memory: ReadingMemory): ReaderService {
  return {
    readUrl: async (url, opts) => memory.remember(await reader.readUrl(url, opts)),
    readText: (text, opts) => memory.remember(reader.readText(text, opts)),
    readHtml: (html, opts) => memory.remember(reader.readHtml(html, opts)),
  };
}

function quotesShown(reply: Reply): number {
  return reply.blocks.reduce((n, b) => n + (b.type === 'quotes' ? b.items.length : 0), 0);
}

function relatedQuery(reading: Reading): string {
  return reading.keywords.length > 0 ? reading.keywords.slice(0, 6).join(' ') : reading.article.title;
}

async function relatedHits(reading: Reading, services: CommandServices, k: number) {
  const self = readingIdentity(reading);
  const hits = await services.search.search(relatedQuery(reading), k + 1);
  return hits.filter((h) => h.id !== self && h.url !== self && h.title.trim() !== reading.article.title.trim()).slice(0, k);
}

/** The buttons that help under a reading: more quotes when some were left out, related when the index has any. */
export async function readingButtons(reply: Reply, memory: ReadingMemory, services: CommandServices): Promise<ReplyButton[]> {
  if (reply.kind !== 'reading' || reply.title === undefined) return [];
  const key = readingKey(identityOf(reply.url, reply.title));
  const reading = memory.get(key);
  if (reading === undefined) return [];
  const L = LABELS[reply.locale];
  const buttons: ReplyButton[] = [];
  if (reading.quotes.length > quotesShown(reply)) buttons.push({ label: L.moreQuotes, action: `${ACTION_MORE_QUOTES}:${key}` });
  const shown = new Set(reply.blocks.flatMap((b) => (b.type === 'links' ? b.items.map((i) => i.url ?? i.title) : [])));
  try {
    const hits = await relatedHits(reading, services, 5);
    if (hits.some((h) => !shown.has(h.url ?? h.title))) buttons.push({ label: L.related, action: `${ACTION_RELATED}:${key}` });
  } catch {
    // The search index is a nicety here; no button when it fails.
  }
  return buttons;
}

/** Every quote after the first `skip`, as a reply; undefined when there are none. */
export function moreQuotesReply(reading: Reading, locale: Locale, skip: number): Reply | undefined {
  const rest = reading.quotes.slice(skip);
  if (rest.length === 0) return undefined;
  const L = LABELS[locale];
  const url = reading.article.canonicalUrl ?? reading.article.url;
  return {
    locale,
    kind: 'reading',
    title: L.moreQuotesTitle(reading.article.title),
    ...(url !== undefined ? { url } : {}),
    blocks: [{ type: 'quotes', items: rest.map((q) => ({ text: q.text, speaker: q.speaker })) }],
    buttons: [],
  };
}

/** Stories from the index related to the reading, as a reply; undefined when there are none. */
export async function relatedReply(reading: Reading, locale: Locale, services: CommandServices): Promise<Reply | undefined> {
  const hits = await relatedHits(reading, services, 8);
  const seen = new Set(hits.map((h) => h.url ?? h.title));
  const own = reading.related.filter((r) => !seen.has(r.url ?? r.title) && r.title.trim() !== '').slice(0, Math.max(0, 8 - hits.length));
  const items = [
    ...hits.map((h) => ({ title: h.title, ...(h.url !== undefined ? { url: h.url } : {}), ...(h.summary !== undefined ? { note: h.summary } : {}) })),
    ...own.map((r) => ({ title: r.title, ...(r.url !== undefined ? { url: r.url } : {}) })),
  ];
  if (items.length === 0) return undefined;
  return { locale, kind: 'results', title: LABELS[locale].relatedTitle(reading.article.title), blocks: [{ type: 'links', items }], buttons: [] };
}
