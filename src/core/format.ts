/** Pure formatting helpers for people: Indonesian dates and time-zone names. */
import type { Locale } from './messages.js';

const ZONE_NAMES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/** "WIB" for Asia/Jakarta, "WITA", "WIT"; otherwise the IANA name. */
export function zoneLabel(timeZone: string): string {
  return ZONE_NAMES[timeZone] ?? timeZone;
}

/**
 * "Kamis, 5 November 2015 15.30 WIB" (id) or "Thursday, 5 November 2015 15:30 WIB" (en) for an ISO
 * timestamp, in the given IANA time zone. Returns undefined for an unparseable timestamp.
 */
export function formatDateTime(iso: string, locale: Locale, timeZone = 'Asia/Jakarta'): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const parts = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  const sep = locale === 'en' ? ':' : '.';
  return `${get('weekday')}, ${get('day')} ${get('month')} ${get('year')} ${get('hour')}${sep}${get('minute')} ${zoneLabel(timeZone)}`;
}
