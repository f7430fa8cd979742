/**
 * What did the user give us? A link, pasted article text, or search keywords. Pure: decides from the
 * text alone (adapters may add their own kinds, such as a file path on the console).
 */

export type UserInput =
  | { kind: 'url'; url: string }
  | { kind: 'text'; text: string }
  | { kind: 'keywords'; query: string }
  | { kind: 'empty' };

/** Input above this many characters is refused before any work (INPUT_TOO_LARGE). */
export const MAX_INPUT_CHARS = 2_000_000;

// A link with a scheme, or a bare host with a path ("kompas.com/read/2026/...").
const SCHEME_URL = /\bhttps?:\/\/[^\s<>"'“”]+/i;
const BARE_URL = /(?:^|\s)((?:[a-z0-9-]{1,63}\.){1,8}(?:com|id|net|org|co|news|tv|info|io|my|sg|uk)(?:\.[a-z]{2})?\/[^\s<>"'“”]*)/i;

function trimLink(link: string): string {
  // Chat text wraps links in <...> or ends them with punctuation that is not part of the URL.
  let s = link.replace(/^<+/, '').replace(/>+$/, '');
  while (/[.,;:!?)\]}'"”’]$/.test(s)) {
    if (s.endsWith(')') && (s.match(/\(/g) ?? []).length >= (s.match(/\)/g) ?? []).length) break;
    s = s.slice(0, -1);
  }
  return s;
}

/** The first link in a text, with a scheme added when the user typed none. */
export function findLink(text: string): string | undefined {
  const m = SCHEME_URL.exec(text);
  if (m !== null) return trimLink(m[0]);
  const b = BARE_URL.exec(text);
  if (b?.[1] !== undefined) return `https://${trimLink(b[1])}`;
  return undefined;
}

function wordCount(text: string, stopAt = 100): number {
  let n = 0;
  const re = /\S+/g;
  while (re.exec(text) !== null && n < stopAt) n++;
  return n;
}

export function classifyInput(raw: string): UserInput {
  const text = raw.trim();
  if (text === '') return { kind: 'empty' };
  const words = wordCount(text);
  const link = words <= 40 ? findLink(text.slice(0, 4000)) : undefined;
  if (link !== undefined) return { kind: 'url', url: link };
  // Pasted articles are long or several lines; a few words are a search.
  if (words >= 25 || (text.includes('\n') && text.length >= 200)) return { kind: 'text', text };
  return { kind: 'keywords', query: text.replace(/\s+/g, ' ') };
}
