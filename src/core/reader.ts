/**
 * The reader: one Article in, its Reading out (summary, key quotes, keywords, its own related links).
 * Pure: the same article always gives the same reading.
 */
import type { Article, Reading, RelatedStory } from './article-types.js';
import { extractKeywords } from './keywords.js';
import { extractQuotes } from './quotes.js';
import { summarize } from './summarize.js';
import { Lexicon } from './text/lexicon.js';

export interface ReadOptions {
  /** Summary length; by default chosen from the article's length. */
  sentences?: number;
  /** At most this many quotes (default 6). */
  maxQuotes?: number;
}

export function readArticle(article: Article, opts: ReadOptions = {}): Reading {
  // One lexicon for the reading, shared by the three readers (see text/lexicon.ts).
  const lexicon = new Lexicon();
  const summary = summarize(article, opts.sentences !== undefined ? { sentences: opts.sentences, lexicon } : { lexicon });
  const quotes = extractQuotes(article.paragraphs, { title: article.title, max: opts.maxQuotes ?? 6, lexicon });
  // (no speaker list at all without quotes: see keywords.ts spacedLowercase)
  const keywords = extractKeywords(article, { speakers: quotes.length > 0 ? quotes.map((q) => q.speaker) : undefined, lexicon });
  const related: RelatedStory[] = article.links.map((l, i) => ({
    title: l.title,
    ...(l.url !== undefined ? { url: l.url } : {}),
    // The article's own "Baca juga" links come first, in the order the newsroom gave them.
    score: Math.round((1 - i * 0.01) * 1000) / 1000,
  }));
  return { article, summary, quotes, keywords, related };
}
