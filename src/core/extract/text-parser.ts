/**
 * Pasted text -> blocks. Text copied off a news page comes one paragraph per line (the page's
 * chrome, "Editor: ...", "Baca juga: ...", lines of its own), sometimes with blank lines between
 * paragraphs; text from a mail or a terminal may be hard-wrapped, which is undone here: a line
 * that stops mid-sentence and a next line that carries on in lower case are one paragraph.
 */
import type { Block } from './blocks.js';
import { cleanLines } from './text.js';

/** Lines longer than this are never joined to the next (they are whole paragraphs already). */
const WRAP_MIN = 30;

function continues(prev: string, next: string): boolean {
  if (prev.length < WRAP_MIN) return false;
  if (/[.!?:;"”’)\]*]$/.test(prev)) return false;
  return /^[\p{Ll}(“"‘'0-9,]/u.test(next) && !/^\(\s?\p{L}{1,6}(?:\/\p{L}{1,6})*\s?\)$/u.test(next);
}

/** Splits pasted text into blocks: one per line, hard-wrapped lines rejoined. */
export function textBlocks(text: string): Block[] {
  const lines = cleanLines(text);
  const blocks: Block[] = [];
  let current: string | undefined;
  let wrappedGroup = false;
  for (const line of lines) {
    if (line === '') {
      if (current !== undefined) blocks.push({ kind: 'text', text: current, linkChars: 0 });
      current = undefined;
      wrappedGroup = false;
      continue;
    }
    if (current !== undefined && continues(current, line) && (wrappedGroup || current.length >= WRAP_MIN)) {
      current = `${current} ${line}`;
      wrappedGroup = true;
      continue;
    }
    if (current !== undefined) blocks.push({ kind: 'text', text: current, linkChars: 0 });
    current = line;
  }
  if (current !== undefined) blocks.push({ kind: 'text', text: current, linkChars: 0 });
  return blocks;
}
