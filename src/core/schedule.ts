/**
 * Digest subscriptions as values, and the parsing of what people type for them: a time of day
 * ("07.00", "7:00", "19:30") and a time zone ("WIB", "WITA", "WIT", or an IANA name). Pure.
 */
import type { Locale } from './messages.js';

export type Platform = 'discord' | 'telegram' | 'console';

export interface Subscription {
  platform: Platform;
  /** Discord channel id, Telegram chat id, "console". */
  channelId: string;
  guildId?: string;
  channelName?: string;
  /** Local time of day, "HH:MM" (24 h). */
  time: string;
  /** IANA time zone, e.g. "Asia/Jakarta". */
  timeZone: string;
  /** Keywords the digest is limited to; empty = all news. */
  topics: string[];
  locale: Locale;
  createdBy: string;
  /** ISO timestamp. */
  createdAt: string;
  paused: boolean;
  /** Why it was paused (channel gone, bot blocked, missing permission). */
  pausedReason?: string;
}

const ZONE_ALIASES: Record<string, string> = {
  wib: 'Asia/Jakarta',
  wita: 'Asia/Makassar',
  wit: 'Asia/Jayapura',
  jakarta: 'Asia/Jakarta',
  makassar: 'Asia/Makassar',
  jayapura: 'Asia/Jayapura',
};

/** "07.00", "7:00", "0700", "19.30" -> "07:00" / "19:30"; undefined when it is not a time of day. */
export function parseTimeOfDay(input: string): string | undefined {
  const m = /^\s*(\d{1,2})(?:[.:h]?(\d{2}))?\s*$/i.exec(input);
  if (m === null) return undefined;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** "WIB" -> "Asia/Jakarta", "asia/makassar" -> "Asia/Makassar"; undefined when unknown. */
export function parseTimeZone(input: string): string | undefined {
  const key = input.trim().toLowerCase();
  if (key === '') return undefined;
  const alias = ZONE_ALIASES[key];
  if (alias !== undefined) return alias;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: input.trim() }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Topics typed as "politik, ekonomi" or "politik ekonomi" -> ["politik", "ekonomi"] (at most 10, each at most 40 characters). */
export function parseTopics(input: string): string[] {
  const parts = input.includes(',') ? input.split(',') : input.split(/\s+/);
  const out: string[] = [];
  for (const p of parts) {
    const t = p.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, 40);
    if (t !== '' && !out.includes(t)) out.push(t);
    if (out.length >= 10) break;
  }
  return out;
}

/** "07.00" (id) or "07:00" (en). */
export function formatTimeOfDay(time: string, locale: Locale): string {
  return locale === 'id' ? time.replace(':', '.') : time;
}
