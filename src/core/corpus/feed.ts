/**
 * Feed documents (RSS 0.9x/2.0, Atom 0.3/1.0, RSS 1.0/RDF, and JSON Feed) -> clean entries, with
 * feedsmith doing the XML. Everything a feed gets wrong is counted, not thrown: items without a
 * usable link are skipped, items without a date are dated when first seen, dates in the future are
 * clamped to the time the feed was read, items older than the window are left out, and repeated
 * items inside one document are read once. Only a document that is not a feed at all (an HTML page,
 * junk) or cannot be read (truncated XML) throws a FeedParseError.
 */
import { DetectError, parseFeed, type AnyFeed } from 'feedsmith';
import { parseFeedDate } from './dates.js';
import { htmlToLine, htmlToText } from './html-text.js';
import { cleanStoryUrl, hostOf, storyKey } from './url.js';

export interface FeedEntry {
  /** The item's guid / Atom id, when the feed gives one. */
  guid?: string;
  /** Absolute http(s) link without tracking parameters. */
  link: string;
  /** Deduplication key of the link (see storyKey). */
  key: string;
  title: string;
  /** The description / summary as plain text (the story's lead). */
  lead: string;
  /** Full text when the feed carries it (content:encoded, Atom content), plain text. */
  body?: string;
  /** Epoch ms. */
  publishedAt: number;
  /** Where publishedAt came from: the feed, the time the item was first seen, or a clamped future date. */
  dateSource: 'feed' | 'seen' | 'clamped';
  categories: string[];
  author?: string;
}

export interface FeedProblems {
  /** Items without a usable http(s) link: skipped. */
  noLink: number;
  /** Items with neither title nor description: skipped. */
  empty: number;
  /** Items without a readable date: dated when first seen. */
  undated: number;
  /** Items dated after the time the feed was read: clamped to that time. */
  futureDated: number;
  /** Items older than the window: left out. */
  tooOld: number;
  /** Items repeated inside this document (same link or guid): read once. */
  repeated: number;
}

export interface ParsedFeed {
  format: AnyFeed['format'];
  /** The feed's own title ("ANTARA News - Berita Terkini"), plain text, when it has one. */
  title?: string;
  /** The site the feed belongs to, when it says. */
  siteUrl?: string;
  entries: FeedEntry[];
  /** How many items the document held before anything was skipped. */
  itemCount: number;
  problems: FeedProblems;
}

export type FeedErrorCode = 'NOT_A_FEED' | 'MALFORMED_FEED' | 'FEED_TOO_LARGE';

export class FeedParseError extends Error {
  readonly code: FeedErrorCode;
  constructor(code: FeedErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FeedParseError';
    this.code = code;
  }
}

export interface ParseFeedOptions {
  /** The feed's URL: relative item links resolve against it. */
  feedUrl: string;
  /** The time the feed was read (epoch ms): undated items get it, future dates are clamped to it. */
  now: number;
  /** Items older than this many ms before `now` are left out. Default: none are. */
  maxAgeMs?: number;
  /** A date this far past `now` still counts as now (clock skew). Default 10 minutes. */
  futureToleranceMs?: number;
  /** Zone of dates written without one, minutes east of UTC. Default 420 (WIB). */
  defaultOffsetMinutes?: number;
  /** Items read at most (the first ones: feeds list newest first). Default 1000. */
  maxItems?: number;
  /** Largest document accepted, in characters. Default 20,000,000. */
  maxChars?: number;
}

const LEAD_MAX = 1_200;
const BODY_MAX = 12_000;

interface RawItem {
  guid?: string | undefined;
  links: (string | undefined)[];
  title?: string | undefined;
  description?: string | undefined;
  content?: string | undefined;
  dates: (string | undefined)[];
  categories: string[];
  author?: string | undefined;
}

/** True when a document starts like an HTML page rather than a feed. */
export function looksLikeHtmlPage(text: string): boolean {
  const head = text.slice(0, 2048).replace(/^[\s\ufeff]+/, '').replace(/^<\?xml[^>]*>\s*/i, '').replace(/^(?:<!--[\s\S]*?-->\s*)+/, '');
  return /^<(?:!doctype\s+html|html|head|body)[\s>]/i.test(head);
}

/** A guid or id used as a link only when it is itself an absolute web address (never "1", "urn:..."). */
function absoluteOnly(v: string | undefined): string | undefined {
  return typeof v === 'string' && /^https?:\/\/\S+$/i.test(v.trim()) ? v : undefined;
}

function first<T>(xs: readonly T[] | undefined): T | undefined {
  return xs === undefined ? undefined : xs[0];
}

function rawItems(parsed: AnyFeed): { title?: string | undefined; siteUrl?: string | undefined; items: RawItem[] } {
  switch (parsed.format) {
    case 'rss': {
      const f = parsed.feed;
      return {
        title: f.title as string | undefined,
        siteUrl: f.link as string | undefined,
        items: (f.items ?? []).map((it) => ({
          guid: (it.guid as { value?: string } | undefined)?.value,
          links: [it.link, absoluteOnly((it.guid as { value?: string } | undefined)?.value), it.atom?.links?.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href as string | undefined],
          title: it.title ?? first(it.dc?.titles),
          description: it.description ?? first(it.dc?.descriptions),
          content: it.content?.encoded,
          dates: [it.pubDate, first(it.dc?.dates), it.atom?.published, it.atom?.updated as string | undefined],
          categories: (it.categories ?? []).map((c) => c.name as string).filter((c) => typeof c === 'string'),
          author: first(it.dc?.creators) ?? first(it.authors)?.name,
        })),
      };
    }
    case 'atom': {
      const f = parsed.feed;
      return {
        title: (f.title as { value?: string } | undefined)?.value,
        siteUrl: f.links?.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href as string | undefined,
        items: (f.entries ?? []).map((e) => {
          const links = e.links ?? [];
          const alternate = links.find((l) => (l.rel ?? 'alternate') === 'alternate') ?? links.find((l) => l.rel !== 'self' && l.rel !== 'enclosure' && l.rel !== 'replies');
          return {
            guid: e.id as string | undefined,
            links: [alternate?.href as string | undefined, absoluteOnly(e.id as string | undefined)],
            title: (e.title as { value?: string } | undefined)?.value,
            description: e.summary?.value,
            content: e.content?.value,
            dates: [e.published, e.updated as string | undefined, first(e.dc?.dates)],
            categories: (e.categories ?? []).map((c) => (c.label ?? c.term) as string).filter((c) => typeof c === 'string'),
            author: first(e.authors)?.name as string | undefined,
          };
        }),
      };
    }
    case 'rdf': {
      const f = parsed.feed;
      return {
        title: f.title as string | undefined,
        siteUrl: f.link as string | undefined,
        items: (f.items ?? []).map((it) => ({
          guid: it.rdf?.about,
          links: [it.link as string | undefined, absoluteOnly(it.rdf?.about)],
          title: it.title as string | undefined,
          description: it.description ?? first(it.dc?.descriptions),
          content: it.content?.encoded,
          dates: [first(it.dc?.dates)],
          categories: it.dc?.subjects ?? [],
          author: first(it.dc?.creators),
        })),
      };
    }
    case 'json': {
      const f = parsed.feed;
      return {
        title: f.title as string | undefined,
        siteUrl: f.home_page_url,
        items: (f.items ?? []).map((it) => ({
          guid: it.id as string | undefined,
          links: [it.url, it.external_url],
          title: it.title,
          description: it.summary ?? it.content_text,
          content: it.content_html ?? it.content_text,
          dates: [it.date_published, it.date_modified],
          categories: it.tags ?? [],
          author: first(it.authors)?.name,
        })),
      };
    }
  }
}

/** Parses one feed document. Throws FeedParseError only when the document is not a readable feed. */
export function parseFeedDocument(text: string, opts: ParseFeedOptions): ParsedFeed {
  const maxChars = opts.maxChars ?? 20_000_000;
  if (text.length > maxChars) throw new FeedParseError('FEED_TOO_LARGE', `feed larger than ${maxChars} characters`);
  const trimmed = text.replace(/^[\s\ufeff]+/, '');
  if (trimmed === '') throw new FeedParseError('NOT_A_FEED', 'empty document');
  if (looksLikeHtmlPage(trimmed)) throw new FeedParseError('NOT_A_FEED', 'an HTML page, not a feed');
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(trimmed, { maxItems: opts.maxItems ?? 1000 });
  } catch (err) {
    if (err instanceof DetectError) throw new FeedParseError('NOT_A_FEED', 'not an RSS, Atom, RDF or JSON feed', { cause: err });
    throw new FeedParseError('MALFORMED_FEED', `unreadable feed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return entriesOf(parsed, opts);
}

function entriesOf(parsed: AnyFeed, opts: ParseFeedOptions): ParsedFeed {
  const { title, siteUrl, items } = rawItems(parsed);
  const problems: FeedProblems = { noLink: 0, empty: 0, undated: 0, futureDated: 0, tooOld: 0, repeated: 0 };
  const tolerance = opts.futureToleranceMs ?? 10 * 60_000;
  const offset = opts.defaultOffsetMinutes ?? 420;
  const seenKeys = new Set<string>();
  const seenGuids = new Set<string>();
  const entries: FeedEntry[] = [];
  const base = siteUrl !== undefined && /^https?:\/\//i.test(siteUrl) ? siteUrl : opts.feedUrl;
  for (const it of items) {
    let link: string | undefined;
    let key: string | undefined;
    for (const candidate of it.links) {
      if (typeof candidate !== 'string' || candidate.trim() === '') continue;
      const href = candidate.trim();
      // Relative links resolve against the site (or the feed); other schemes (mailto:, javascript:) fail.
      link = cleanStoryUrl(href, /^[a-z][a-z0-9+.-]*:/i.test(href) ? undefined : base);
      key = link === undefined ? undefined : storyKey(link);
      if (link !== undefined && key !== undefined) break;
    }
    if (link === undefined || key === undefined || hostOf(link) === '') {
      problems.noLink++;
      continue;
    }
    const itemTitle = htmlToLine(typeof it.title === 'string' ? it.title : undefined);
    const lead = clip(htmlToText(typeof it.description === 'string' ? it.description : undefined).replace(/\n+/g, ' '), LEAD_MAX);
    const bodyText = typeof it.content === 'string' ? clip(htmlToText(it.content, BODY_MAX * 4), BODY_MAX) : '';
    if (itemTitle === '' && lead === '' && bodyText === '') {
      problems.empty++;
      continue;
    }
    const guid = typeof it.guid === 'string' && it.guid.trim() !== '' ? it.guid.trim().slice(0, 500) : undefined;
    if (seenKeys.has(key) || (guid !== undefined && seenGuids.has(guid))) {
      problems.repeated++;
      continue;
    }
    seenKeys.add(key);
    if (guid !== undefined) seenGuids.add(guid);

    let publishedAt: number | undefined;
    for (const d of it.dates) {
      publishedAt = parseFeedDate(typeof d === 'string' ? d : undefined, offset);
      if (publishedAt !== undefined) break;
    }
    let dateSource: FeedEntry['dateSource'] = 'feed';
    if (publishedAt === undefined) {
      problems.undated++;
      publishedAt = opts.now;
      dateSource = 'seen';
    } else if (publishedAt > opts.now + tolerance) {
      problems.futureDated++;
      publishedAt = opts.now;
      dateSource = 'clamped';
    }
    if (opts.maxAgeMs !== undefined && publishedAt < opts.now - opts.maxAgeMs) {
      problems.tooOld++;
      continue;
    }
    const lead0 = lead !== '' ? lead : clip(bodyText.replace(/\n+/g, ' '), 300);
    const entry: FeedEntry = {
      link,
      key,
      title: itemTitle !== '' ? clip(itemTitle, 300) : clip(lead0, 120),
      lead: lead0,
      publishedAt,
      dateSource,
      categories: it.categories.map((c) => htmlToLine(c)).filter((c) => c !== '').slice(0, 10),
    };
    if (guid !== undefined) entry.guid = guid;
    if (bodyText !== '' && bodyText !== lead0) entry.body = bodyText;
    const author = typeof it.author === 'string' ? htmlToLine(it.author) : '';
    if (author !== '') entry.author = author.slice(0, 200);
    entries.push(entry);
  }
  const out: ParsedFeed = { format: parsed.format, entries, itemCount: items.length, problems };
  const feedTitle = htmlToLine(typeof title === 'string' ? title : undefined);
  if (feedTitle !== '') out.title = feedTitle;
  if (typeof siteUrl === 'string' && /^https?:\/\//i.test(siteUrl)) out.siteUrl = siteUrl;
  return out;
}

/** Cuts text at a word boundary near `max` characters, marking the cut with "…". */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max - 1);
  return `${s.slice(0, cut > max * 0.6 ? cut : max - 1).trimEnd()}…`;
}

/** Sum of every problem count (for logs and health). */
export function problemCount(p: FeedProblems): number {
  return p.noLink + p.empty + p.undated + p.futureDated + p.tooOld + p.repeated;
}
