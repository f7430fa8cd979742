/**
 * Turns pre-tokenized text (IndoSum style: "Sabtu ( 23 / 12 / 2017 ) .") back into plain text
 * ("Sabtu (23/12/2017)."), the way a reader would have seen it on the page.
 */

const NO_SPACE_BEFORE = new Set([',', '.', ')', ']', '}', ':', ';', '?', '!', '%', '”', '’', '...', '…']);
const NO_SPACE_AFTER = new Set(['(', '[', '{', '“', '‘', '$', 'US$', 'Rp']);
const STRAIGHT_QUOTES = new Set(['"', "'"]);

/** Detokenizes one sentence or paragraph given as tokens. */
export function detokenize(tokens: readonly string[]): string {
  let out = '';
  let openStraight: Record<string, boolean> = {};
  let glueNext = false;
  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i];
    if (raw === undefined) continue;
    const tok = raw.replace(/[\u00a0\s]+/g, ' ').trim();
    if (tok === '') continue;
    const prev = out.length > 0 ? out[out.length - 1] : undefined;
    let space = out.length > 0 && !glueNext;
    glueNext = false;
    if (NO_SPACE_BEFORE.has(tok)) space = false;
    if (tok.startsWith('-') && tok.length > 1 && /^-\p{L}/u.test(tok)) space = false; // "-nya"
    if (STRAIGHT_QUOTES.has(tok)) {
      const isOpen = !openStraight[tok];
      openStraight = { ...openStraight, [tok]: isOpen };
      if (isOpen) {
        glueNext = true;
      } else {
        space = false;
      }
      if (tok === "'" && prev !== undefined && /\p{L}/u.test(prev) && /^(s|t|re|ll|ve|d|m)$/i.test(tokens[i + 1] ?? '')) {
        // English possessive/contraction: "Trump ' s" -> "Trump's"
        space = false;
        glueNext = true;
        openStraight = { ...openStraight, [tok]: false };
      }
    }
    if ((tok === '-' || tok === '/' || tok === '–') && prev !== undefined && /[\p{L}\p{N}]/u.test(prev)) {
      const next = tokens[i + 1] ?? '';
      if (/^[\p{L}\p{N}]/u.test(next) && (tok !== '–' || /\p{N}$/u.test(out) && /^\p{N}/u.test(next))) {
        // "3 - 0" -> "3-0", "ke - 17" -> "ke-17", "23 / 12" -> "23/12"
        space = false;
        glueNext = true;
      }
    }
    if (NO_SPACE_AFTER.has(tok)) glueNext = true;
    out += (space ? ' ' : '') + tok;
  }
  return out.trim();
}

/** Detokenizes a paragraph given as sentences of tokens. */
export function detokenizeParagraph(sentences: readonly (readonly string[])[]): string {
  // One pass over the whole paragraph, so that a quotation spanning sentences closes where it should.
  return detokenize(sentences.flat());
}
