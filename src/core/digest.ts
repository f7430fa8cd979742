/**
 * Digest composition: the morning paper of a channel. From the stories published since the last
 * digest (at most 24 h), keep those matching the subscription's topics, one per story cluster,
 * rank them by how many outlets carry the story, recency and weight, and say each in a sentence or
 * two. Pure: candidates, subscription and clock in; a Digest (and its Reply) out.
 */
import { indexTerms } from './related.js';
import { formatDateTime, zoneLabel } from './format.js';
import type { Locale } from './messages.js';
import type { Reply } from './reply.js';
import { splitSentences } from './text/index.js';

export interface DigestCandidate {
  id: string;
  title: string;
  url: string;
  outlet: string;
  /** Epoch ms. */
  publishedAt: number;
  /** The feed's description or the article's lead. */
  lead?: string;
  /** Stories about the same event share a cluster id. */
  clusterId: string;
  /** Summary sentences from the reader, when the article could be read. */
  summary?: readonly string[];
}

export interface DigestItem {
  title: string;
  url: string;
  /** Distinct outlets carrying the story, the item's own outlet first. */
  outlets: string[];
  publishedAt: number;
  /** One or two sentences. */
  summary: string;
  score: number;
}

export interface Digest {
  /** "Ringkasan Berita, Senin 30 November 2026" */
  title: string;
  timeZone: string;
  locale: Locale;
  items: DigestItem[];
  since: number;
  now: number;
}

export interface ComposeOptions {
  now: number;
  /** Stories published after this (epoch ms); clamped to at most 24 h before `now`. */
  since: number;
  topics?: readonly string[];
  locale: Locale;
  timeZone: string;
  /** Items at most (default 8). */
  max?: number;
}

const DAY = 24 * 3600_000;
const SUMMARY_CHARS = 320;

/** "Ringkasan Berita, Senin 30 November 2026" / "News Digest, Monday 30 November 2026", in the zone. */
export function digestTitle(now: number, timeZone: string, locale: Locale): string {
  const date = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).formatToParts(new Date(now));
  const get = (t: Intl.DateTimeFormatPartTypes): string => date.find((p) => p.type === t)?.value ?? '';
  return `${locale === 'en' ? 'News Digest' : 'Ringkasan Berita'}, ${get('weekday')} ${get('day')} ${get('month')} ${get('year')}`;
}

function matchesTopics(terms: ReadonlySet<string>, topics: readonly (readonly string[])[]): boolean {
  if (topics.length === 0) return true;
  // A topic of several words matches when all its words are there ("harga beras").
  return topics.some((t) => t.length > 0 && t.every((w) => terms.has(w)));
}

/** One or two sentences that say the story: the reader's summary, else the lead, else nothing. */
function shortSummary(c: DigestCandidate): string {
  const source = c.summary !== undefined && c.summary.length > 0 ? c.summary.join(' ') : (c.lead ?? '');
  const sentences = splitSentences(source.replace(/\s+/g, ' ').trim());
  let out = '';
  for (const s of sentences) {
    if (out !== '' && (out.length + s.length > SUMMARY_CHARS || out.split(/(?<=[.!?])\s/).length >= 2)) break;
    out = out === '' ? s : `${out} ${s}`;
  }
  if (out.length > SUMMARY_CHARS) out = `${out.slice(0, SUMMARY_CHARS - 1).replace(/\s+\S*$/, '')}…`;
  return out;
}

export function composeDigest(candidates: readonly DigestCandidate[], opts: ComposeOptions): Digest {
  const since = Math.max(opts.since, opts.now - DAY);
  const max = Math.max(1, Math.min(opts.max ?? 8, 15));
  const topics = (opts.topics ?? []).map((t) => indexTerms(t));
  const clusters = new Map<string, DigestCandidate[]>();
  for (const c of candidates) {
    if (c.publishedAt <= since || c.publishedAt > opts.now + 5 * 60_000) continue;
    const list = clusters.get(c.clusterId);
    if (list === undefined) clusters.set(c.clusterId, [c]);
    else list.push(c);
  }
  const items: DigestItem[] = [];
  for (const members of clusters.values()) {
    const terms = new Set(members.flatMap((m) => indexTerms(`${m.title} ${m.lead ?? ''}`)));
    if (!matchesTopics(terms, topics)) continue;
    // The cluster speaks through its best-documented member: a reader's summary, else the longest lead, else the earliest.
    const lead = [...members].sort(
      (a, b) => Number(b.summary !== undefined) - Number(a.summary !== undefined) || (b.lead?.length ?? 0) - (a.lead?.length ?? 0) || a.publishedAt - b.publishedAt,
    )[0] as DigestCandidate;
    const outlets = [lead.outlet, ...new Set(members.map((m) => m.outlet).filter((o) => o !== lead.outlet))];
    const latest = Math.max(...members.map((m) => m.publishedAt));
    const ageHours = (opts.now - latest) / 3600_000;
    const score = 2 * Math.log2(1 + outlets.length) + Math.log2(members.length) * 0.5 + Math.exp(-ageHours / 12) + (lead.summary !== undefined ? 0.2 : 0);
    items.push({ title: lead.title, url: lead.url, outlets, publishedAt: latest, summary: shortSummary(lead), score });
  }
  items.sort((a, b) => b.score - a.score || b.publishedAt - a.publishedAt || a.title.localeCompare(b.title));
  return { title: digestTitle(opts.now, opts.timeZone, opts.locale), timeZone: opts.timeZone, locale: opts.locale, items: items.slice(0, max), since, now: opts.now };
}

const WORDS = {
  id: {
    carried: (n: number) => (n > 1 ? `diberitakan ${n} media` : undefined),
    empty: 'Belum ada berita baru yang cocok sejak ringkasan terakhir.',
    topics: (t: readonly string[]) => `Topik: ${t.join(', ')}`,
    footer: (n: number, tz: string) => `${n} berita · waktu ${zoneLabel(tz)} · Ringkas`,
  },
  en: {
    carried: (n: number) => (n > 1 ? `reported by ${n} outlets` : undefined),
    empty: 'No new matching stories since the last digest.',
    topics: (t: readonly string[]) => `Topics: ${t.join(', ')}`,
    footer: (n: number, tz: string) => `${n} stories · ${zoneLabel(tz)} time · Ringkas`,
  },
} as const;

function clock(ms: number, timeZone: string, locale: Locale): string {
  const full = formatDateTime(new Date(ms).toISOString(), locale, timeZone) ?? '';
  // "Senin, 30 November 2026 07.15 WIB" -> "07.15"
  const m = /(\d{2}[.:]\d{2}) \S+$/.exec(full);
  return m?.[1] ?? '';
}

/** The digest as a platform-neutral Reply (the adapters render it within their limits). */
export function digestToReply(d: Digest, topics: readonly string[] = []): Reply {
  const W = WORDS[d.locale];
  if (d.items.length === 0) {
    return { locale: d.locale, kind: 'info', title: d.title, blocks: [{ type: 'text', text: W.empty }], buttons: [] };
  }
  return {
    locale: d.locale,
    kind: 'results',
    title: d.title,
    ...(topics.length > 0 ? { meta: W.topics(topics) } : {}),
    blocks: [
      {
        type: 'links',
        items: d.items.map((it) => ({
          title: it.title,
          url: it.url,
          note: [it.summary, [it.outlets.slice(0, 3).join(', '), W.carried(it.outlets.length), clock(it.publishedAt, d.timeZone, d.locale)].filter((x) => x !== undefined && x !== '').join(' · ')]
            .filter((x) => x !== '')
            .join('\n'),
        })),
      },
    ],
    footer: W.footer(d.items.length, d.timeZone),
    buttons: [],
  };
}
