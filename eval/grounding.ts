/**
 * The grounding check of abstractive summaries (src/core/grounding.ts) on real data: faithful
 * bullets are the sentences of IndoSum's human summaries, checked against their own articles;
 * unfaithful ones are the same sentences with one fact changed (a number, a name, a word inside a
 * quote). A good check accepts the first and rejects the others.
 */
import { checkBullet, groundingSource } from '../src/core/grounding.js';
import { loadIndoSum } from './indosum.js';
import { table } from './table.js';

export interface GroundingEval {
  articles: number;
  faithful: { accepted: number; total: number };
  /** Accepted sentences with one fact changed: how many of them were rejected. */
  number: { rejected: number; total: number };
  name: { rejected: number; total: number };
  quote: { rejected: number; total: number };
}

/** Null when ../shared/data is absent. */
export function evalGrounding(): GroundingEval | null {
  const data = loadIndoSum();
  if (data === null) return null;
  const r: GroundingEval = {
    articles: data.length,
    faithful: { accepted: 0, total: 0 },
    number: { rejected: 0, total: 0 },
    name: { rejected: 0, total: 0 },
    quote: { rejected: 0, total: 0 },
  };
  const tryChanged = (bucket: { rejected: number; total: number }, changed: string, source: ReturnType<typeof groundingSource>): void => {
    bucket.total++;
    if (!checkBullet(changed, source).supported) bucket.rejected++;
  };
  for (const a of data) {
    const source = groundingSource(a.paragraphs, 'id');
    for (const sentence of a.summary) {
      r.faithful.total++;
      if (!checkBullet(sentence, source).supported) continue;
      r.faithful.accepted++;
      const num = /(?<![\d.,])\d+(?![\d.,])/.exec(sentence);
      if (num !== null) tryChanged(r.number, `${sentence.slice(0, num.index)}${Number(num[0]) * 3 + 7}${sentence.slice(num.index + num[0].length)}`, source);
      const name = /(?<=\S\s)\p{Lu}\p{Ll}{3,}/u.exec(sentence);
      if (name !== null) tryChanged(r.name, `${sentence.slice(0, name.index)}Sukmawijaya${sentence.slice(name.index + name[0].length)}`, source);
      const quote = /[“"]([^”"]+)[”"]/.exec(sentence);
      const words = quote?.[1]?.split(' ') ?? [];
      if (quote !== null && words.length >= 3) {
        const i = Math.floor(words.length / 2);
        words[i] = words[i] === 'tidak' ? 'sudah' : 'tidak';
        tryChanged(r.quote, sentence.replace(quote[1] ?? '', words.join(' ')), source);
      }
    }
  }
  return r;
}

export function formatGrounding(g: GroundingEval): string {
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(b, 1)).toFixed(1)}%`;
  return table(
    ['bullets', 'checked', 'right', 'rate'],
    [
      ['faithful (human summary sentences): accepted', g.faithful.total, g.faithful.accepted, pct(g.faithful.accepted, g.faithful.total)],
      ['one number changed: rejected', g.number.total, g.number.rejected, pct(g.number.rejected, g.number.total)],
      ['one name replaced by an invented one: rejected', g.name.total, g.name.rejected, pct(g.name.rejected, g.name.total)],
      ['one word inside a quote changed: rejected', g.quote.total, g.quote.rejected, pct(g.quote.rejected, g.quote.total)],
    ],
  );
}
