/** A Reading (or search results) as a platform-neutral Reply, in the user's language. */
import type { Reading } from './article-types.js';
import { formatDateTime } from './format.js';
import { abstractiveSummaryLabel, type Locale } from './messages.js';
import type { Reply, ReplyBlock } from './reply.js';

const LABELS = {
  id: { summary: 'Ringkasan', quotes: 'Kutipan penting', related: 'Baca juga', keywords: 'Kata kunci', open: 'Baca artikel', by: 'oleh' },
  en: { summary: 'Summary', quotes: 'Key quotes', related: 'Related stories', keywords: 'Keywords', open: 'Read the article', by: 'by' },
} as const;

export interface PresentOptions {
  timeZone?: string;
  /** At most this many quotes shown (default 3). */
  maxQuotes?: number;
  /** At most this many related links (default 5). */
  maxRelated?: number;
}

/** The outlet's name: site name, else the host without "www.". */
export function outletOf(reading: Reading): string | undefined {
  const { article } = reading;
  if (article.siteName !== undefined && article.siteName.trim() !== '') return article.siteName.trim();
  const url = article.canonicalUrl ?? article.url;
  if (url === undefined) return article.dateline?.outlet;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
}

export function readingToReply(reading: Reading, locale: Locale, opts: PresentOptions = {}): Reply {
  const L = LABELS[locale];
  const { article } = reading;
  const url = article.canonicalUrl ?? article.url;
  const when = article.publishedAt !== undefined ? formatDateTime(article.publishedAt, locale, opts.timeZone) : undefined;
  const meta = [outletOf(reading), when, article.dateline?.place].filter((x): x is string => x !== undefined && x !== '');
  const blocks: ReplyBlock[] = [];
  if (reading.summary.length > 0) {
    // Only a model's summary is labelled: an extractive one is the article's own sentences.
    const note = reading.summaryKind === 'abstractive' ? { note: abstractiveSummaryLabel(locale) } : {};
    blocks.push({ type: 'bullets', heading: L.summary, items: reading.summary, ...note });
  }
  const quotes = reading.quotes.slice(0, opts.maxQuotes ?? 3);
  if (quotes.length > 0) blocks.push({ type: 'quotes', heading: L.quotes, items: quotes.map((q) => ({ text: q.text, speaker: q.speaker })) });
  const related = reading.related.slice(0, opts.maxRelated ?? 5);
  if (related.length > 0) {
    blocks.push({ type: 'links', heading: L.related, items: related.map((r) => ({ title: r.title, ...(r.url !== undefined ? { url: r.url } : {}) })) });
  }
  return {
    locale,
    kind: 'reading',
    title: article.title,
    ...(url !== undefined ? { url } : {}),
    ...(meta.length > 0 ? { meta: meta.join(' · ') } : {}),
    blocks,
    ...(reading.keywords.length > 0 ? { footer: `${L.keywords}: ${reading.keywords.join(', ')}` } : {}),
    ...(reading.summaryKind !== undefined ? { summaryKind: reading.summaryKind } : {}),
    buttons: url !== undefined ? [{ label: L.open, url }] : [],
  };
}
