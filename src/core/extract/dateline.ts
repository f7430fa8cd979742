/**
 * The dateline that opens an Indonesian news story: where it was filed and, usually, which outlet
 * filed it, before a dash.
 *
 *   "PYONGYANG, TRIBUNAMBON.COM -"        place, outlet
 *   "Jakarta, CNN Indonesia --"           place, outlet
 *   "Liputan6.com, Jakarta -"             outlet, place
 *   "Mataram, NTB (ANTARA News) -"        place, region (outlet)
 *   "TEMPO.CO, Jakarta -"  "Bisnis.com, JAKARTA -"  "REPUBLIKA.CO.ID, JAKARTA --"
 *   "Jakarta -"                           place alone (detik)
 *   "Kapanlagi.com -"                     outlet alone (no place)
 *
 * The marker stays in the body as published; the place is normalised for display ("Pyongyang").
 */
import type { Dateline } from '../article-types.js';
import { titleCasePlace } from './text.js';

export interface DatelineMatch {
  dateline: Dateline;
  /** The paragraph text after the marker. */
  rest: string;
}

/** Outlet names that carry no domain suffix. */
const OUTLET_NAMES =
  /^(?:antara(?:\s+news)?|antaranews|cnn\s+indonesia|cnbc\s+indonesia|detik(?:com|news|inet|finance|sport|oto|health|travel|food|hot)?|kumparan|viva(?:news)?|tempo|suara|merdeka|okezone|sindonews|inews(?:\.id)?|idn\s?times|bisnis|kontan|jawapos|jpnn|republika|liputan\s?6|kompas(?:\s?tv)?|tribun\p{L}*|metro\s?tv(?:news)?|beritasatu|berita\s?satu|gatra|rmol|tirto|katadata|bbc(?:\s+news)?(?:\s+indonesia)?|voa(?:\s+indonesia)?|reuters|afp|ap|xinhua|kyodo|bernama|medcom|mediaindonesia|media\s+indonesia|rri|tvri|kapanlagi|bola(?:\.com)?|fimela|dream|vivanews|harian\s+\p{L}+|koran\s+\p{L}+)$/iu;
const DOMAIN = /[\p{L}\p{N}]\.(?:com|co|id|net|org|tv|news|info|my|sg)\b/iu;

/** Words that start a sentence, never a place name. */
const NOT_A_PLACE = new Set([
  'menurut', 'namun', 'dalam', 'pada', 'sementara', 'di', 'ke', 'dari', 'saat', 'ketika', 'untuk', 'hal',
  'ini', 'itu', 'yang', 'sebanyak', 'para', 'bagi', 'sejak', 'hingga', 'jika', 'kalau', 'apa', 'siapa',
  'bahkan', 'selain', 'sebelumnya', 'kemudian', 'meski', 'tapi', 'tetapi', 'dia', 'ia', 'kami', 'kita',
  'mereka', 'saya', 'presiden', 'menteri', 'ketua', 'kepala', 'wakil', 'the', 'a', 'an', 'in', 'on', 'at',
  'baca', 'simak', 'lihat', 'editor', 'penulis', 'reporter', 'foto', 'video', 'berita', 'artikel', 'sumber',
]);

function isOutlet(part: string): boolean {
  return DOMAIN.test(part) || OUTLET_NAMES.test(part);
}

function isPlace(part: string): boolean {
  if (part.length < 2 || part.length > 40) return false;
  const ws = part.split(/\s+/);
  if (ws.length > 4) return false;
  if (NOT_A_PLACE.has((ws[0] ?? '').toLowerCase())) return false;
  // Every word capitalised (or an all-caps acronym); letters, apostrophes, dots and hyphens only.
  return ws.every((w) => /^\p{Lu}[\p{L}'’.-]*$/u.test(w));
}

// The head is short; the dash is a hyphen, double hyphen, en or em dash with a space on at least one side.
const HEAD = /^([^\n]{2,90}?)(\s+(?:-{1,3}|[–—])(?:\s+|(?=[\p{L}"“'‘]))|(?:-{2,3}|[–—])\s*)/u;

/** Recognises a dateline at the start of a paragraph. */
export function parseDateline(paragraph: string): DatelineMatch | undefined {
  const m = HEAD.exec(paragraph.slice(0, 120));
  if (m === null) return undefined;
  const head = (m[1] ?? '').trim();
  if (head === '') return undefined;

  let outlet: string | undefined;
  let core = head;
  const paren = /^(.*?)\s*\(([^()]{2,40})\)$/u.exec(head);
  if (paren !== null) {
    const inner = (paren[2] ?? '').trim();
    if (!isOutlet(inner)) return undefined;
    outlet = inner;
    core = (paren[1] ?? '').trim();
  }

  const parts = core === '' ? [] : core.split(/\s*,\s*/);
  if (parts.length > 3) return undefined;
  const places: string[] = [];
  for (const part of parts) {
    if (part === '') return undefined;
    if (isOutlet(part)) {
      if (outlet !== undefined) return undefined;
      outlet = part;
    } else if (isPlace(part)) {
      places.push(part);
    } else {
      return undefined;
    }
  }
  if (places.length > 2) return undefined;
  if (places.length === 0 && outlet === undefined) return undefined;
  // A bare place without an outlet ("Jakarta -") must be short: one or two place names of few words.
  if (outlet === undefined && places.some((p) => p.split(/\s+/).length > 3)) return undefined;

  const rest = paragraph.slice(m[0].length).trim();
  const dateline: Dateline = {
    place: places.map((p) => titleCasePlace(p)).join(', '),
    marker: paragraph.slice(0, m[0].length).trim(),
  };
  if (outlet !== undefined) dateline.outlet = outlet;
  return { dateline, rest };
}
