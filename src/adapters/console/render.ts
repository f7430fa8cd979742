/** A Reply as plain terminal text (ANSI bold/dim when the terminal supports it). */
import type { Reply } from '../../core/reply.js';

export interface PlainOptions {
  color?: boolean;
  /** Wrap paragraphs at this width (0 = no wrapping). */
  width?: number;
}

function wrap(text: string, width: number, indent: string, firstIndent = indent): string {
  if (width <= 0) return firstIndent + text;
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else {
      line += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

export function renderPlain(reply: Reply, opts: PlainOptions = {}): string {
  const color = opts.color ?? false;
  const width = opts.width ?? 0;
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const out: string[] = [];
  if (reply.title !== undefined) out.push(bold(reply.title));
  if (reply.meta !== undefined) out.push(dim(reply.meta));
  if (reply.url !== undefined) out.push(dim(reply.url));
  for (const block of reply.blocks) {
    if (out.length > 0) out.push('');
    if (block.heading !== undefined) out.push(bold(block.heading));
    switch (block.type) {
      case 'text':
        out.push(...block.text.split('\n').map((l) => wrap(l, width, '')));
        break;
      case 'bullets':
        for (const item of block.items) out.push(wrap(item, width, '  ', '• '));
        if (block.note !== undefined) out.push(dim(wrap(`(${block.note})`, width, '  ', '  ')));
        break;
      case 'quotes':
        for (const q of block.items) {
          out.push(wrap(`“${q.text}”`, width, '  ', '  '));
          if (q.speaker !== null) out.push(dim(`    — ${q.speaker}`));
        }
        break;
      case 'links':
        for (const l of block.items) {
          out.push(wrap(l.url !== undefined ? `${l.title} (${l.url})` : l.title, width, '  ', '• '));
          if (l.note !== undefined) out.push(dim(wrap(l.note, width, '    ', '    ')));
        }
        break;
    }
  }
  if (reply.footer !== undefined) out.push('', dim(reply.footer));
  return out.join('\n');
}
