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

// ---------------------------------------------------------------------------------------------
// Local clocks for the scheduler. A subscription is due when the wall clock of its zone shows its
// time of day; the scheduler ticks once per UTC minute and asks, per zone in use, which local times
// of day that minute stands for. Still pure: the instant is passed in.

export const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;

/** A local time of day on a local date: "2026-11-30" and "07:00". */
export interface LocalSlot {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** Local time of day, HH:MM (24 h). */
  time: string;
}

/** The instant rounded down to its UTC minute (epoch ms). */
export function floorMinute(instant: number): number {
  return Math.floor(instant / MINUTE_MS) * MINUTE_MS;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

function clockFormat(timeZone: string): Intl.DateTimeFormat {
  let f = clockFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    clockFormats.set(timeZone, f);
  }
  return f;
}

/**
 * The wall clock of the zone at an instant, as if it were UTC (epoch ms of the local date and time,
 * seconds dropped). The difference to the instant is the zone's offset at that moment.
 */
export function wallClock(instant: number, timeZone: string): number {
  let y = 0;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  for (const p of clockFormat(timeZone).formatToParts(instant)) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') mo = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
    else if (p.type === 'hour') h = Number(p.value) % 24;
    else if (p.type === 'minute') mi = Number(p.value);
  }
  return Date.UTC(y, mo - 1, d, h, mi);
}

function slotOfWall(wall: number): LocalSlot {
  const t = new Date(wall);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return {
    date: `${String(t.getUTCFullYear()).padStart(4, '0')}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`,
    time: `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`,
  };
}

/** The local date and time of day of an instant in a zone ("2026-11-30", "07:00"). */
export function localSlot(instant: number, timeZone: string): LocalSlot {
  return slotOfWall(wallClock(instant, timeZone));
}

/**
 * The local times of day that fall due at a UTC minute in a zone. Usually exactly one: the local
 * time of that minute. When the clock jumps forward (daylight saving time starts: 02:00 becomes
 * 03:00 in Europe/Berlin), the local times the jump skipped are due at the first minute after it,
 * so that a digest set for 02:30 is posted at 03:00 that day rather than not at all. When the clock
 * falls back, a local time happens twice; both minutes return it, and the delivery ledger (one
 * record per subscription, local date and time) posts it once.
 */
export function dueLocalSlots(minute: number, timeZone: string): LocalSlot[] {
  const at = floorMinute(minute);
  const cur = wallClock(at, timeZone);
  const prev = wallClock(at - MINUTE_MS, timeZone);
  if (cur - prev <= MINUTE_MS) return [slotOfWall(cur)];
  // A forward jump: every local minute after the previous one up to this one (at most a day).
  const out: LocalSlot[] = [];
  for (let w = Math.max(prev + MINUTE_MS, cur - DAY_MS + MINUTE_MS); w <= cur; w += MINUTE_MS) out.push(slotOfWall(w));
  return out;
}

/** "07:00" -> 420. */
export function minuteOfDay(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * The first UTC minute strictly after `after` at which a subscription set for `time` in `timeZone`
 * falls due, by the rule of dueLocalSlots: the minute whose wall clock shows `time`, the earlier
 * one when the clock falls back, and the first minute after the jump when the clock jumps over it.
 * For status lines, tests and the benchmark.
 */
export function nextDueAt(time: string, timeZone: string, after: number): number {
  const start = floorMinute(after) + MINUTE_MS;
  const target = minuteOfDay(time) * MINUTE_MS;
  const offsetAt = (x: number): number => wallClock(x, timeZone) - floorMinute(x);
  let day = Math.floor(wallClock(start, timeZone) / DAY_MS) * DAY_MS - DAY_MS;
  for (let i = 0; i < 4; i++, day += DAY_MS) {
    const wall = day + target;
    // The offsets before and after any change near that day; one of them is right.
    const candidates = [...new Set([wall - offsetAt(wall - 12 * 3600_000), wall - offsetAt(wall + 12 * 3600_000)])].sort((a, b) => a - b);
    const exact = candidates.filter((m) => wallClock(m, timeZone) === wall);
    let due: number;
    if (exact.length > 0) due = exact[0] as number;
    else {
      // Skipped by a forward jump: the first minute whose wall clock is past it.
      let lo = candidates[0] as number;
      let hi = candidates[candidates.length - 1] as number;
      while (hi - lo > MINUTE_MS) {
        const mid = floorMinute(lo + (hi - lo) / 2);
        if (wallClock(mid, timeZone) >= wall) hi = mid;
        else lo = mid;
      }
      due = wallClock(lo, timeZone) >= wall ? lo : hi;
    }
    if (due >= start) return due;
  }
  return start;
}
