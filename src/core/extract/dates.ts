/**
 * Publication dates as Indonesian news sites write them, to ISO 8601.
 *
 * Machine forms: "2015-11-05T14:56:43+07:00", "2016-02-16T02:10:56Z", "2016-02-16 09:10:56",
 * "2015-11-05 T10:08:58Z" (sic). Human forms: "Kamis, 5 November 2015 15:30 WIB",
 * "Kamis, 05/11/2015 15:37 WIB", "05 Nov 2015, 15:30 WIB", "Rabu, 4 November 2015 | 21:04 WIB",
 * "Kamis, 5 November 2015 - 15:56 wib", "16 Feb 2016 at 09:10 WIB", "November 5, 2015".
 * Zones: WIB = +07:00, WITA = +08:00, WIT = +09:00, GMT/UTC with an optional offset. A time
 * without a zone is read as WIB, the zone of nearly every Indonesian newsroom.
 */

export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Minutes east of UTC when the source says; undefined when it gives no zone. */
  offset?: number;
  /** The source said "Z" (UTC), as opposed to a numeric offset. */
  zulu?: boolean;
}

export interface DateHit extends DateParts {
  /** Where the date starts in the searched text, and how long it is there. */
  index: number;
  length: number;
}

/** WIB: what a zone-less Indonesian time means. */
export const DEFAULT_OFFSET = 7 * 60;

const ZONES: Readonly<Record<string, number>> = { wib: 420, wita: 480, wit: 540, gmt: 0, utc: 0 };

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, januari: 1, january: 1,
  feb: 2, februari: 2, february: 2, peb: 2, pebruari: 2,
  mar: 3, maret: 3, march: 3,
  apr: 4, april: 4,
  mei: 5, may: 5,
  jun: 6, juni: 6, june: 6,
  jul: 7, juli: 7, july: 7,
  agu: 8, agt: 8, agus: 8, agustus: 8, aug: 8, august: 8,
  sep: 9, sept: 9, september: 9,
  okt: 10, oct: 10, oktober: 10, october: 10,
  nov: 11, nop: 11, november: 11, nopember: 11,
  des: 12, dec: 12, desember: 12, december: 12,
};

const MONTH_NAME =
  'jan(?:uari|uary)?|feb(?:ruari|ruary)?|peb(?:ruari)?|mar(?:et|ch)?|apr(?:il)?|mei|may|jun[ei]?|jul[iy]?|agu(?:stus|s)?|agt|aug(?:ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|nop(?:ember)?|des(?:ember)?|dec(?:ember)?';

// Every quantifier below is bounded, so a search is linear in the text length.
const TIME = String.raw`(?:[\s,|–—-]{0,6}(?:pukul|jam|at|@)?\s{0,3}(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?`;
const ZONE = String.raw`(?:\s{0,3}(wib|wita|wit|gmt|utc)\b(?:\s{0,2}([+-])\s{0,2}(\d{1,2})(?::?(\d{2}))?)?)?`;

/** "5 November 2015 15:30 WIB" (day, month name, year). */
const DMY_NAME = new RegExp(String.raw`\b(\d{1,2})\s{0,3}(${MONTH_NAME})\.?,?\s{1,3}(\d{4})\b${TIME}${ZONE}`, 'iu');
/** "November 5, 2015" (month name, day, year). */
const MDY_NAME = new RegExp(String.raw`\b(${MONTH_NAME})\.?\s{1,3}(\d{1,2}),?\s{1,3}(\d{4})\b${TIME}${ZONE}`, 'iu');
/** "05/11/2015 15:37 WIB" (day first, as Indonesia writes it). */
const DMY_NUM = new RegExp(String.raw`\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b${TIME}${ZONE}`, 'iu');
/** "2015-11-05T14:56:43+07:00" and lenient variants. */
const ISO = /(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]{1,3}(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?\s{0,2}(Z|[+-]\d{2}(?::?\d{2})?)?/i;

function num(s: string | undefined): number | undefined {
  return s === undefined ? undefined : Number.parseInt(s, 10);
}

function valid(p: DateParts): boolean {
  if (p.year < 1970 || p.year > 2200 || p.month < 1 || p.month > 12 || p.day < 1) return false;
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  if (p.day > daysInMonth) return false;
  if (p.hour !== undefined && (p.hour > 23 || (p.minute ?? 0) > 59 || (p.second ?? 0) > 59)) return false;
  if (p.offset !== undefined && Math.abs(p.offset) > 14 * 60) return false;
  return true;
}

function withTimeAndZone(p: DateParts, m: RegExpExecArray, at: number): DateParts {
  const out: DateParts = { ...p };
  const hour = num(m[at]);
  const minute = num(m[at + 1]);
  if (hour !== undefined && minute !== undefined) {
    out.hour = hour;
    out.minute = minute;
    const second = num(m[at + 2]);
    if (second !== undefined) out.second = second;
  }
  const zone = m[at + 3]?.toLowerCase();
  if (zone !== undefined) {
    let offset = ZONES[zone] ?? 0;
    const sign = m[at + 4];
    const h = num(m[at + 5]);
    if (sign !== undefined && h !== undefined) offset = (sign === '-' ? -1 : 1) * (h * 60 + (num(m[at + 6]) ?? 0));
    out.offset = offset;
  }
  return out;
}

/** Parses a machine-readable timestamp (ISO 8601 and the lenient forms sites emit). */
export function parseMachineDate(value: string): DateParts | undefined {
  const s = value.trim().slice(0, 80);
  const m = ISO.exec(s);
  if (m === null || m.index > 3) {
    // Some sites put a human date in a machine slot.
    return findHumanDate(s);
  }
  const p: DateParts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const hour = num(m[4]);
  const minute = num(m[5]);
  if (hour !== undefined && minute !== undefined) {
    p.hour = hour;
    p.minute = minute;
    const second = num(m[6]);
    if (second !== undefined) p.second = second;
  }
  const zone = m[7];
  if (zone !== undefined) {
    if (zone.toUpperCase() === 'Z') {
      p.offset = 0;
      p.zulu = true;
    } else {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      p.offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
    }
  }
  return valid(p) ? p : undefined;
}

/**
 * Finds the first human-written date in a text (Indonesian or English month names, or
 * day/month/year numbers), with its time and zone when they follow it.
 */
export function findHumanDate(text: string): DateHit | undefined {
  const hits: DateHit[] = [];
  const named = DMY_NAME.exec(text);
  if (named !== null) {
    const month = MONTHS[(named[2] ?? '').toLowerCase()];
    if (month !== undefined) {
      const p = withTimeAndZone({ year: Number(named[3]), month, day: Number(named[1]) }, named, 4);
      if (valid(p)) hits.push({ ...p, index: named.index, length: named[0].length });
    }
  }
  const mdy = MDY_NAME.exec(text);
  if (mdy !== null) {
    const month = MONTHS[(mdy[1] ?? '').toLowerCase()];
    if (month !== undefined) {
      const p = withTimeAndZone({ year: Number(mdy[3]), month, day: Number(mdy[2]) }, mdy, 4);
      if (valid(p)) hits.push({ ...p, index: mdy.index, length: mdy[0].length });
    }
  }
  const numeric = DMY_NUM.exec(text);
  if (numeric !== null) {
    const p = withTimeAndZone({ year: Number(numeric[3]), month: Number(numeric[2]), day: Number(numeric[1]) }, numeric, 4);
    if (valid(p)) hits.push({ ...p, index: numeric.index, length: numeric[0].length });
  }
  if (hits.length === 0) {
    const iso = ISO.exec(text);
    if (iso !== null) {
      const p = parseMachineDate(iso[0]);
      if (p !== undefined) hits.push({ ...p, index: iso.index, length: iso[0].length });
    }
  }
  hits.sort((a, b) => a.index - b.index);
  return hits[0];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** ISO 8601 with the source's offset ("2015-11-05T15:30:00+07:00"); zone-less times read as WIB. */
export function toIso(p: DateParts, defaultOffset = DEFAULT_OFFSET): string {
  const offset = p.offset ?? defaultOffset;
  const date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  const time = `${pad(p.hour ?? 0)}:${pad(p.minute ?? 0)}:${pad(p.second ?? 0)}`;
  if (offset === 0 && p.zulu === true) return `${date}T${time}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Milliseconds since the epoch of a date (zone-less read as WIB). */
export function toEpochMs(p: DateParts, defaultOffset = DEFAULT_OFFSET): number {
  const offset = p.offset ?? defaultOffset;
  return Date.UTC(p.year, p.month - 1, p.day, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) - offset * 60_000;
}

/** True when a text is nothing but a date (and its day name, time, zone, separators). */
export function isDateOnly(text: string): boolean {
  if (text.length > 80) return false;
  const hit = findHumanDate(text);
  if (hit === undefined) return false;
  const rest = (text.slice(0, hit.index) + text.slice(hit.index + hit.length))
    // "Kompas.com - 05/11/2015, 15:37 WIB": the outlet's name may lead the date.
    .replace(/^\s*[\p{L}\d-]{2,30}\.(?:com|co\.id|id|net|tv|co)\b/iu, '')
    .replace(/\b(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday|on|at|pukul|diperbarui|dipublikasikan|diterbitkan|published|updated|terbit|update)\b/giu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
  return rest.length <= 3;
}
