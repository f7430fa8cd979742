/**
 * One pass over a story's title, lead and body: the index terms of each field (lowercased,
 * Indonesian stopwords dropped, stemmed; numbers kept whole) and the story's entities: acronyms
 * ("KPK", "BGN") anywhere, and capitalised words inside a sentence of the lead or body (names:
 * "Prabowo", "Hindayana"; titles are often in Title Case, so their capitals say nothing).
 */
import { STOPWORDS, stem } from '../text/index.js';

export interface StoryText {
  title: string;
  lead?: string;
  body?: string;
}

export interface StoryAnalysis {
  title: string[];
  lead: string[];
  body: string[];
  /** Index terms (stemmed) that name people, places and organisations. */
  entities: Set<string>;
}

const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+|(?<=\p{N})[.,]\p{N}+){0,32}/gu;
/** Body text read at most (characters): enough to know what a story is about. */
export const BODY_CHARS = 6_000;

function isAcronym(raw: string): boolean {
  if (raw.length < 2 || raw.length > 8) return false;
  let letters = 0;
  for (const ch of raw) {
    if (ch >= '0' && ch <= '9') continue;
    if (ch !== ch.toUpperCase() || ch === ch.toLowerCase()) return false;
    letters++;
  }
  return letters >= 2;
}

function isCapitalised(raw: string): boolean {
  const c = raw.charAt(0);
  const d = raw.charAt(1);
  return c !== c.toLowerCase() && d !== '' && d === d.toLowerCase();
}

function computeTerm(lower: string): string | undefined {
  if (lower.length < 2 || STOPWORDS.has(lower)) return undefined;
  if (/^\p{N}/u.test(lower)) return lower;
  const s = stem(lower);
  return s.length < 2 || STOPWORDS.has(s) ? undefined : s;
}

/** Memo of word -> term (null: not a term). Bounded; starts over when full. */
let memo = new Map<string, string | null>();
const MEMO_LIMIT = 100_000;

/** The index term of a lowercased word, or undefined for stopwords and one-letter words. */
export function termOf(lower: string): string | undefined {
  const hit = memo.get(lower);
  if (hit !== undefined) return hit ?? undefined;
  const t = computeTerm(lower);
  if (memo.size >= MEMO_LIMIT) memo = new Map();
  memo.set(lower, t ?? null);
  return t;
}

/** True when the gap text[from, to) before a word ends a sentence or a line (or opens a quote). */
function opensSentence(text: string, from: number, to: number): boolean {
  for (let i = to - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 0xa0) continue;
    // . ! ? : ; " “ ” ( newline
    return c === 46 || c === 33 || c === 63 || c === 58 || c === 59 || c === 34 || c === 0x201c || c === 0x201d || c === 40 || c === 10 || c === 13;
  }
  return from === 0;
}

function scan(text: string, entities: Set<string> | undefined, namesFromCase: boolean): string[] {
  const out: string[] = [];
  WORD_RE.lastIndex = 0;
  let prevEnd = 0;
  for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text)) {
    const raw = m[0];
    const start = prevEnd;
    prevEnd = m.index + raw.length;
    const lower = raw.toLowerCase();
    const term = termOf(lower);
    if (term === undefined) continue;
    out.push(term);
    if (entities === undefined || raw === lower) continue;
    if (isAcronym(raw)) entities.add(term);
    else if (namesFromCase && m.index > 0 && isCapitalised(raw) && !opensSentence(text, start, m.index)) entities.add(term);
  }
  return out;
}

/** Terms of free text (a query): stemmed, stopwords dropped. */
export function queryTerms(text: string): string[] {
  return scan(text.slice(0, 2_000), undefined, false);
}

export function analyzeStory(s: StoryText): StoryAnalysis {
  const entities = new Set<string>();
  const title = scan(s.title.slice(0, 500), entities, false);
  const lead = scan((s.lead ?? '').slice(0, 2_000), entities, true);
  const body = s.body === undefined || s.body === '' ? [] : scan(s.body.slice(0, BODY_CHARS), entities, true);
  return { title, lead, body, entities };
}
