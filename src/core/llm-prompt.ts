/**
 * The abstractive summary's prompt and answer, pure: a Reading in, the chat messages for an
 * OpenAI-compatible model out; the model's answer in, its bullet points out.
 *
 * The prompt shows the extracted article as a small document (title, date, dateline, body, key
 * quotes) and asks, in Indonesian, for 3 short factual bullet points in the article's language.
 * The same document is what the grounding check (grounding.ts) measures the bullets against, so a
 * bullet may use what the model was shown and nothing else.
 *
 * The answer is parsed leniently: bullets (•, -, *, –), numbering ("1.", "1)", "(1)"), bold and
 * italic markers, "Poin 1:" labels, code fences, a reasoning model's <think> block, and the stray
 * prose models like to add ("Berikut ringkasannya:", "Semoga membantu!") are all handled.
 */
import type { Reading } from './article-types.js';
import { detectLanguage } from './extract/language.js';
import { formatDateTime } from './format.js';
import { splitSentences } from './text/index.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What the model is shown: the extracted article, and nothing else. */
export interface SummaryDocument {
  title: string;
  /** Publication time as people read it ("Senin, 27 Maret 2017 10.00 WIB"), when known. */
  date?: string;
  /** The dateline's place ("Pyongyang"). */
  place?: string;
  /** The outlet named by the page or the dateline. */
  outlet?: string;
  /** Body paragraphs, possibly shortened to the prompt's budget. */
  paragraphs: string[];
  /** True when paragraphs were left out for length. */
  shortened: boolean;
  /** The key quotes as the reader found them (text joined across sentences), with their speakers. */
  quotes: { text: string; speaker: string | null }[];
  /** ISO 639-1 code of the article's language ("id", "en", "jv", "und"). */
  language: string;
}

export interface DocumentOptions {
  /** Body characters shown to the model at most (default 12 000, about 3 500 tokens). */
  maxBodyChars?: number;
  /** Key quotes shown at most (default 4). */
  maxQuotes?: number;
  /** Zone of the shown publication time (default Asia/Jakarta). */
  timeZone?: string;
}

/** The article's language: the reader's guess, or a fresh one from the body when it had none. */
export function articleLanguage(reading: Reading): string {
  const known = reading.article.language;
  if (known === 'id' || known === 'en' || known === 'jv') return known;
  return detectLanguage(`${reading.article.title}\n${reading.article.paragraphs.join('\n')}`);
}

export function summaryDocument(reading: Reading, opts: DocumentOptions = {}): SummaryDocument {
  const { article } = reading;
  const maxBody = opts.maxBodyChars ?? 12_000;
  const paragraphs: string[] = [];
  let used = 0;
  let shortened = false;
  for (const raw of article.paragraphs) {
    const p = raw.replace(/\s+/g, ' ').trim();
    if (p === '') continue;
    if (used + p.length > maxBody && paragraphs.length > 0) {
      shortened = true;
      break;
    }
    paragraphs.push(p.length > maxBody ? p.slice(0, maxBody) : p);
    used += p.length;
  }
  const date = article.publishedAt !== undefined ? formatDateTime(article.publishedAt, 'id', opts.timeZone) : undefined;
  const outlet = article.siteName ?? article.dateline?.outlet;
  return {
    title: article.title.replace(/\s+/g, ' ').trim(),
    ...(date !== undefined ? { date } : {}),
    ...(article.dateline !== undefined ? { place: article.dateline.place } : {}),
    ...(outlet !== undefined && outlet.trim() !== '' ? { outlet: outlet.trim() } : {}),
    paragraphs,
    shortened,
    quotes: reading.quotes.slice(0, opts.maxQuotes ?? 4).map((q) => ({ text: q.text.replace(/\s+/g, ' ').trim(), speaker: q.speaker })),
    language: articleLanguage(reading),
  };
}

/** Every piece of text the model was shown, for the grounding check. */
export function documentTexts(doc: SummaryDocument): string[] {
  return [
    doc.title,
    ...(doc.date !== undefined ? [doc.date] : []),
    ...(doc.place !== undefined ? [doc.place] : []),
    ...(doc.outlet !== undefined ? [doc.outlet] : []),
    ...doc.paragraphs,
    ...doc.quotes.flatMap((q) => [q.text, ...(q.speaker !== null ? [q.speaker] : [])]),
  ];
}

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  id: 'bahasa Indonesia',
  en: 'bahasa Inggris',
  jv: 'bahasa Jawa',
};

/** The language instruction: "dalam bahasa Inggris, sama dengan bahasa artikel". */
function languageClause(language: string): string {
  const name = LANGUAGE_NAMES[language];
  return name !== undefined ? `dalam ${name}, sama dengan bahasa artikel` : 'dalam bahasa yang sama dengan bahasa artikel';
}

export interface PromptOptions extends DocumentOptions {
  /** Bullet points asked for (default 3). */
  bullets?: number;
}

/** The system and user messages asking for the summary of one article. */
export function buildSummaryMessages(doc: SummaryDocument, opts: Pick<PromptOptions, 'bullets'> = {}): ChatMessage[] {
  const n = opts.bullets ?? 3;
  const system = [
    'Kamu adalah penyunting berita yang teliti. Tugasmu meringkas satu artikel berita dengan setia pada isinya.',
    'Aturan:',
    `1. Tulis tepat ${n} poin singkat ${languageClause(doc.language)}. Setiap poin satu kalimat, paling banyak 30 kata.`,
    '2. Tulis hanya fakta yang ada di artikel. Jangan menambahkan opini, penilaian, dugaan, atau pengetahuan dari luar artikel.',
    '3. Tulis setiap angka, nama orang, nama tempat, nama lembaga, dan tanggal persis seperti di artikel. Jangan menghitung atau menyimpulkan angka baru.',
    '4. Jika mengutip, salin kata per kata dari artikel di antara tanda petik. Jika ragu, jangan mengutip.',
    `5. Jawab hanya dengan ${n} baris, masing-masing diawali "- ", tanpa judul, pengantar, atau penutup.`,
  ].join('\n');
  const head = [
    `Judul: ${doc.title}`,
    ...(doc.date !== undefined ? [`Terbit: ${doc.date}`] : []),
    ...(doc.place !== undefined ? [`Tempat: ${doc.place}`] : []),
    ...(doc.outlet !== undefined ? [`Media: ${doc.outlet}`] : []),
  ];
  const parts = [head.join('\n'), `Isi artikel${doc.shortened ? ' (dipotong)' : ''}:\n${doc.paragraphs.join('\n\n')}`];
  if (doc.quotes.length > 0) {
    parts.push(`Kutipan penting:\n${doc.quotes.map((q) => `- “${q.text}”${q.speaker !== null ? ` — ${q.speaker}` : ''}`).join('\n')}`);
  }
  parts.push(`Tulis ${n} poin ringkasan artikel di atas ${languageClause(doc.language)}.`);
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

// ---------------------------------------------------------------------------------------------
// The answer

export interface ParseOptions {
  /** Bullets kept at most (default 5; the caller picks the grounded ones). */
  max?: number;
  /** The answer was cut by the token limit: an unfinished last bullet is dropped. */
  truncated?: boolean;
}

/** "- ", "• ", "* ", "1. ", "1) ", "(1) ", "a) " at the start of a line. */
const MARKER = /^(?:[-*+>–—]\s+|[•·▪◦‣]\s*|\(?\d{1,2}[.)](?!\d)\s*|\(?[a-e]\)\s*|[a-e]\.\s+)/u;
/** Words that open the prose around a list rather than a point of it. */
const PROSE = /^(?:berikut(?:nya| ini| adalah)?\b|maaf\b|sorry\b|i(?:'m| am) sorry\b|i can(?:not|'t)\b|saya tidak (?:bisa|dapat)\b|sebagai (?:model|asisten)\b|as an ai\b|inilah\b|ini(?:lah)? (?:ringkasan|rangkuman)\b|here (?:is|are)\b|below (?:is|are)\b|semoga\b|catatan\s*:|note\s*:|i hope\b|saya harap\b|(?:ringkasan|rangkuman|summary)\s*(?:artikel|berita)?\s*:?$)/iu;

/** Longer than this, an item is no short point (and is not worth checking). */
const MAX_POINT_CHARS = 600;

/** The bullet points of a model's answer, cleaned, at most `max`, without duplicates. */
export function parseBullets(answer: string, opts: ParseOptions = {}): string[] {
  const max = opts.max ?? 5;
  let text = answer.replace(/\r\n?/g, '\n');
  // A reasoning model's thoughts are not the answer; an unclosed block means the answer never came.
  text = text.replace(/<think>[\s\S]*?<\/think>/gi, '');
  const open = text.search(/<think>/i);
  if (open !== -1) text = text.slice(0, open);
  text = text.replace(/^\s*```[^\n]*$/gm, '');

  const lines = text.split('\n');
  const marked = lines.some((l) => MARKER.test(l.trim()) && stripMarker(l.trim()) !== '');
  let items: string[] = [];
  if (marked) {
    let current: string | undefined;
    let blank = false;
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '') {
        blank = true;
        continue;
      }
      if (MARKER.test(line) && stripMarker(line) !== '') {
        if (current !== undefined) items.push(current);
        current = stripMarker(line);
      } else if (current !== undefined && !blank && continues(raw, line, current)) {
        // A point that wraps onto the next line.
        current = `${current} ${line}`;
      } else if (current !== undefined) {
        // Prose after a blank line ends the list (an outro), unless more points follow.
        items.push(current);
        current = undefined;
      }
      blank = false;
    }
    if (current !== undefined) items.push(current);
  } else {
    // No list: lines, or the sentences of a single paragraph.
    const paras = text
      .split(/\n+/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^#{1,6}\s/.test(l));
    const body = paras.filter((l) => !/[:：]$/.test(l) && !PROSE.test(cleanItem(l)));
    items = body.length === 1 ? splitSentences(body[0] ?? '') : body;
  }

  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of items) {
    const item = cleanItem(raw);
    if (item === '' || /[:：]$/.test(item) || PROSE.test(item)) continue;
    // A point is a sentence: fragments and walls of text are not points.
    if (!/\p{L}/u.test(item) || item.split(/\s+/).length < 3 || item.length > MAX_POINT_CHARS) continue;
    const key = item.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  if (opts.truncated === true && out.length > 0 && !/[.!?…"”’)]$/.test(out[out.length - 1] ?? '')) out.pop();
  return out.slice(0, max);
}

/** Is `line` the rest of the point `current` (rather than prose after the list)? */
function continues(raw: string, line: string, current: string): boolean {
  if (/^#{1,6}\s/.test(line) || PROSE.test(cleanItem(line))) return false;
  return /^\s/.test(raw) || /^\p{Ll}/u.test(line) || !/[.!?…]["”’)]?$/u.test(cleanItem(current));
}

function stripMarker(line: string): string {
  let s = line;
  // "1. - point" and "- 1) point": markers stacked by a confused model.
  for (let i = 0; i < 2 && MARKER.test(s); i++) s = s.replace(MARKER, '');
  return s.trim();
}

/** Markdown, labels and wrapping quotes off one point; whitespace collapsed. */
function cleanItem(raw: string): string {
  let s = raw.replace(/\s+/g, ' ').trim();
  s = s.replace(/\*\*(.+?)\*\*/g, '$1').replace(/__(.+?)__/g, '$1');
  s = s.replace(/(^|[\s(])\*(?!\s)([^*]+?)\*(?=$|[\s.,;:!?)])/g, '$1$2').replace(/(^|[\s(])_(?!\s)([^_]+?)_(?=$|[\s.,;:!?)])/g, '$1$2');
  s = s.replace(/`([^`]*)`/g, '$1').replace(/\*\*/g, '');
  // "Poin 1: ...", "Point 2 - ...".
  s = s.replace(/^(?:poin|point|butir|bullet)\s*\d+\s*[:.)\-–—]\s*/iu, '');
  // Citation marks ("[1]", "[paragraf 2]") point at nothing the reader sees.
  s = s.replace(/\s*\[(?:\d+|paragraf[^\]]*|paragraph[^\]]*)\]/giu, '');
  // A whole point wrapped in quotation marks is a point, not a quote.
  const wrapped = /^["“](.*)["”]$/u.exec(s);
  if (wrapped !== null && !/["“”]/u.test(wrapped[1] ?? '')) s = wrapped[1] ?? s;
  return s.replace(/\s+/g, ' ').trim();
}
