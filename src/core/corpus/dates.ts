/**
 * Feed dates -> epoch milliseconds, deterministically (never the process time zone). RSS uses
 * RFC 822 ("Fri, 05 Jun 2026 14:30:00 +0700"), Atom and Dublin Core ISO 8601; Indonesian feeds
 * add their own spellings: Indonesian day and month names ("Kamis, 05 Nov 2015", "Mei", "Agu"),
 * zone names (WIB, WITA, WIT) and dates without any zone, which are read in `defaultOffsetMinutes`
 * (default +07:00, WIB).
 */

const MONTHS: Record<string, number> = {
  jan: 0, januari: 0, january: 0,
  feb: 1, februari: 1, february: 1, peb: 1, pebruari: 1,
  mar: 2, maret: 2, march: 2,
  apr: 3, april: 3,
  may: 4, mei: 4,
  jun: 5, juni: 5, june: 5,
  jul: 6, juli: 6, july: 6,
  aug: 7, agu: 7, agt: 7, ags: 7, agustus: 7, august: 7,
  sep: 8, sept: 8, september: 8,
  oct: 9, okt: 9, oktober: 9, october: 9,
  nov: 10, nop: 10, november: 10, nopember: 10,
  dec: 11, des: 11, desember: 11, december: 11,
};

const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wib: 420, wita: 480, wit: 540,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};

const ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?$/;
// [day-name,] DD Mon YYYY [HH:MM[:SS]] [zone]; also "Mon DD, YYYY".
const RFC_RE = /^(?:[A-Za-z'’]{2,10},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{2,4})(?:\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?$/;
const US_RE = /^(?:[A-Za-z]{2,10},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?$/;

function zoneMinutes(zone: string | undefined, fallback: number): number | undefined {
  if (zone === undefined || zone === '') return fallback;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (m !== null) {
    const v = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return m[1] === '-' ? -v : v;
  }
  const named = ZONES[zone.toLowerCase()];
  return named;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, offset: number): number | undefined {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  const t = Date.UTC(y, mo, d, h, mi, s) - offset * 60_000;
  return Number.isFinite(t) ? t : undefined;
}

function year(raw: string): number {
  const y = Number(raw);
  return raw.length === 2 ? (y < 70 ? 2000 + y : 1900 + y) : y;
}

/** Epoch ms of a feed date, or undefined when it is missing or unreadable. */
export function parseFeedDate(raw: string | undefined | null, defaultOffsetMinutes = 420): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s === '' || s.length > 80) return undefined;
  let m = ISO_RE.exec(s);
  if (m !== null) {
    const off = zoneMinutes(m[7], defaultOffsetMinutes);
    if (off === undefined) return undefined;
    return build(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), off);
  }
  m = RFC_RE.exec(s);
  if (m !== null) {
    const mo = MONTHS[(m[2] as string).toLowerCase()];
    const off = zoneMinutes(m[7], defaultOffsetMinutes);
    if (mo === undefined || off === undefined) return undefined;
    return build(year(m[3] as string), mo, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), off);
  }
  m = US_RE.exec(s);
  if (m !== null) {
    const mo = MONTHS[(m[1] as string).toLowerCase()];
    const off = zoneMinutes(m[7], defaultOffsetMinutes);
    if (mo === undefined || off === undefined) return undefined;
    return build(Number(m[3]), mo, Number(m[2]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), off);
  }
  if (/^\d{10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{13}$/.test(s)) return Number(s);
  return undefined;
}
