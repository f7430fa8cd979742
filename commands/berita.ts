/** /berita <link | keywords | pasted text>: the reading of one article, or the stories matching keywords. */
import { toRingkasError } from '../src/core/errors.js';
import { classifyInput } from '../src/core/input.js';
import { messageFor, userMessage } from '../src/core/messages.js';
import { readingToReply } from '../src/core/present.js';
import { errorReply, type Reply } from '../src/core/reply.js';
import type { Reading } from '../src/core/article-types.js';
import type { Command, CommandContext } from './index.js';

/** The reading with related stories from the corpus (the article's own "Baca juga" links follow). */
function withRelated(reading: Reading, ctx: CommandContext): Reading {
  const corpus = ctx.services.corpus;
  if (corpus === undefined) return reading;
  try {
    return { ...reading, related: corpus.relatedFor(reading.article, 5) };
  } catch (err) {
    ctx.logger.warn({ err }, 'related stories unavailable');
    return reading;
  }
}

/**
 * The reading with a grounded abstractive summary where one is configured and passes the check;
 * the extractive summary otherwise. Never throws, never longer than LLM_TIMEOUT_MS.
 */
async function summarized(reading: Reading, ctx: CommandContext): Promise<Reading> {
  const llm = ctx.services.abstractive;
  if (llm === undefined) return reading;
  return (await llm.summarize(reading, ctx.signal !== undefined ? { signal: ctx.signal } : {})).reading;
}

const RESULTS_TITLE = { id: (q: string) => `Berita tentang “${q}”`, en: (q: string) => `Stories about “${q}”` } as const;

async function searchReply(query: string, ctx: CommandContext): Promise<Reply> {
  const hits = await ctx.services.search.search(query, 5);
  if (hits.length === 0) {
    return errorReply('NO_RESULTS', messageFor('NO_RESULTS', ctx.locale, { query }), ctx.locale);
  }
  return {
    locale: ctx.locale,
    kind: 'results',
    title: RESULTS_TITLE[ctx.locale](query),
    blocks: [
      {
        type: 'links',
        items: hits.map((h) => ({ title: h.title, ...(h.url !== undefined ? { url: h.url } : {}), ...(h.summary !== undefined ? { note: h.summary } : {}) })),
      },
    ],
    buttons: [],
  };
}

export default {
  data: {
    name: 'berita',
    description: {
      id: 'Ringkas satu berita dari tautan, atau cari berita dengan kata kunci',
      en: 'Summarize a news article from a link, or search stories by keywords',
    },
    usage: { id: '/berita <tautan atau kata kunci>', en: '/berita <link or keywords>' },
    options: [
      {
        name: 'masukan',
        description: { id: 'Tautan berita atau kata kunci', en: 'A news link or keywords' },
        type: 'string',
        required: true,
        maxLength: 2000,
      },
    ],
  },
  async execute(input, ctx) {
    const raw = input.options['masukan'] ?? input.text;
    const what = classifyInput(raw);
    const viewOpts = ctx.timeZone !== undefined ? { timeZone: ctx.timeZone } : {};
    try {
      if (input.attachment !== undefined) {
        const { kind, content, url } = input.attachment;
        const reading = kind === 'html' ? ctx.services.reader.readHtml(content, url !== undefined ? { url } : {}) : ctx.services.reader.readText(content, url !== undefined ? { url } : {});
        ctx.services.search.remember(reading);
        return readingToReply(withRelated(await summarized(reading, ctx), ctx), ctx.locale, viewOpts);
      }
      switch (what.kind) {
        case 'empty':
          return errorReply('EMPTY_INPUT', messageFor('EMPTY_INPUT', ctx.locale), ctx.locale);
        case 'keywords':
          return await searchReply(what.query, ctx);
        case 'url': {
          const reading = await ctx.services.reader.readUrl(what.url, ctx.signal !== undefined ? { signal: ctx.signal } : {});
          ctx.services.search.remember(reading);
          return readingToReply(withRelated(await summarized(reading, ctx), ctx), ctx.locale, viewOpts);
        }
        case 'text': {
          const reading = ctx.services.reader.readText(what.text);
          ctx.services.search.remember(reading);
          return readingToReply(withRelated(await summarized(reading, ctx), ctx), ctx.locale, viewOpts);
        }
      }
    } catch (e) {
      const err = toRingkasError(e);
      const level = err.code === 'INTERNAL' ? 'error' : 'info';
      ctx.logger[level]({ err, code: err.code, command: 'berita', input: raw.slice(0, 300), user: ctx.user.id, platform: ctx.place.platform }, 'berita failed');
      return errorReply(err.code, userMessage(err, ctx.locale), ctx.locale);
    }
  },
} satisfies Command;
