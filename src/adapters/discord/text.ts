/**
 * Cutting text to a platform limit. Long text is cut at the last sentence (or line) boundary that
 * keeps a fair share of it, else at a word boundary, and always ends with an ellipsis. Lengths are
 * UTF-16 code units (JavaScript `length`), which is never less than what Discord counts, and a cut
 * never splits a surrogate pair.
 */

export const ELLIPSIS = '…';

/** Abbreviations whose dot does not end a sentence (Indonesian newsroom usage and a few English ones). */
const ABBREVIATIONS = new Set([
  'dr', 'drs', 'dra', 'ir', 'h', 'hj', 'st', 'jl', 'jln', 'no', 'prof', 'kol', 'let', 'jend', 'brigjen', 'irjen', 'kombes',
  'akbp', 'kapt', 'mr', 'mrs', 'ms', 'sdr', 'bpk', 'kh', 'tgl', 'rp', 'vs', 'dkk', 'dll', 'dsb', 'a', 'b', 'c', 'd', 'e', 'f',
  'g', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'sh', 'se', 'mh', 'mm', 'ph',
]);

const SENTENCE_END = /[.!?…]+["'”’»)\]]*/g;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** `text.slice(0, end)` without leaving half of a surrogate pair at the end. */
function safeSlice(text: string, end: number): string {
  if (end <= 0) return '';
  if (end >= text.length) return text;
  return isHighSurrogate(text.charCodeAt(end - 1)) ? text.slice(0, end - 1) : text.slice(0, end);
}

/** Does the sentence mark ending at `end` (exclusive) in `text` really end a sentence? */
function endsSentence(text: string, start: number, end: number): boolean {
  const next = text[end];
  if (next !== undefined && !/\s/.test(next)) return false;
  if (text[start] === '.' && text[end - 1] === '.' && end - start === 1) {
    const word = /([\p{L}]+)$/u.exec(text.slice(Math.max(0, start - 12), start))?.[1];
    if (word !== undefined && ABBREVIATIONS.has(word.toLowerCase())) return false;
  }
  return true;
}

/** The end offsets (exclusive) of complete sentences or lines within `text.slice(0, limit)`. */
function boundaries(text: string, limit: number): number[] {
  const out: number[] = [];
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(text); m !== null && m.index < limit; m = SENTENCE_END.exec(text)) {
    const end = m.index + m[0].length;
    if (end <= limit && endsSentence(text, m.index, end)) out.push(end);
  }
  for (let i = text.indexOf('\n'); i !== -1 && i <= limit; i = text.indexOf('\n', i + 1)) out.push(i);
  return out.sort((a, b) => a - b);
}

export interface CutOptions {
  /**
   * A sentence boundary is used only if it keeps at least this share of the limit (default 0.3);
   * otherwise the text is cut at a word boundary.
   */
  minShare?: number;
}

/**
 * `text` if it fits in `max`, else its longest head that fits and ends at a sentence or line
 * boundary (or a word boundary, or anywhere as a last resort) followed by an ellipsis.
 */
export function cutText(text: string, max: number, opts: CutOptions = {}): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  const minKeep = Math.floor(max * (opts.minShare ?? 0.3));
  // A sentence kept whole is followed by " …"; anything else by "…".
  const sentenceEnds = boundaries(text, max - 2);
  for (let i = sentenceEnds.length - 1; i >= 0; i--) {
    const end = sentenceEnds[i] as number;
    const head = text.slice(0, end).trimEnd();
    if (head.length < minKeep) break;
    if (head.length > 0) return `${head} ${ELLIPSIS}`;
  }
  const room = max - 1;
  const window = safeSlice(text, room);
  const lastSpace = window.search(/\s\S*$/);
  if (lastSpace >= Math.floor(room / 2)) {
    const head = window.slice(0, lastSpace).trimEnd();
    if (head.length > 0) return `${head}${ELLIPSIS}`;
  }
  return `${window.trimEnd()}${ELLIPSIS}`;
}

/** Joins items with `sep` while they fit in `max`; returns the joined text and how many items it holds. */
export function packItems(items: readonly string[], max: number, sep = '\n'): { text: string; count: number } {
  let text = '';
  let count = 0;
  for (const item of items) {
    const next = count === 0 ? item : `${text}${sep}${item}`;
    if (next.length > max) break;
    text = next;
    count++;
  }
  return { text, count };
}
