/**
 * The `ringkas` command line:
 *   ringkas summarize <url|file|-> [--json] [--sentences N] [--lang en]
 *   ringkas extract <url|file|-> [--json]
 *   ringkas batch [--sentences N] < in.jsonl > out.jsonl
 *   ringkas digest --dry-run [--time HH:MM] [--timezone Asia/Jakarta] [--topics ...]   ringkasan harian yang akan dikirim
  ringkas console [--lang en]
 *   ringkas bot            (what `npm start` runs)
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import PQueue from 'p-queue';
import { createCliServices, type Services } from './app.js';
import { loadConfig, ConfigError } from './config.js';
import type { Article, Reading } from './core/article-types.js';
import { htmlToArticle, textToArticle } from './core/article.js';
import { RingkasError, toRingkasError } from './core/errors.js';
import { findLink } from './core/input.js';
import { messageFor, toLocale, userMessage, type Locale } from './core/messages.js';
import { readingToReply } from './core/present.js';
import { readArticle } from './core/reader.js';
import { NewsIndex } from './core/related.js';
import { renderPlain } from './adapters/console/render.js';
import { createLogger, type Logger } from './logger.js';
import { cmdFeeds } from './cli/feeds.js';
import { cmdDigest } from './cli/digest.js';

const USAGE = `Ringkas — ringkasan berita Indonesia

Pemakaian:
  ringkas summarize <url|berkas|-> [--json] [--sentences N] [--lang en]
  ringkas extract <url|berkas|-> [--json]
  ringkas batch [--sentences N] < masukan.jsonl > keluaran.jsonl
  ringkas feeds [--poll] [--force] [--json] [--lang en]   kesehatan umpan berita (RSS/Atom)
  ringkas digest --dry-run [--time HH:MM] [--timezone Asia/Jakarta] [--topics ...]   ringkasan harian yang akan dikirim
  ringkas console [--lang en]     obrolan lokal dengan perintah yang sama (/berita, /help)
  ringkas bot                     jalankan bot (tanpa token: konsol lokal)

Tanpa token Discord/Telegram, \`npm start\` membuka konsol lokal.
`;

/** One output line of `ringkas batch` and `summarize --json`. */
export interface ReadingJson {
  id: string;
  title: string;
  text: string;
  summary: string[];
  quotes: { text: string; speaker: string | null }[];
  keywords: string[];
  related: { id?: string; url?: string; title: string; score: number }[];
  url?: string;
  canonicalUrl?: string;
  byline?: string;
  editor?: string;
  publishedAt?: string;
  siteName?: string;
  dateline?: string;
  image?: { url?: string; caption?: string; credit?: string };
  language: string;
}

export function readingToJson(id: string, reading: Reading, related = reading.related): ReadingJson {
  const a = reading.article;
  return {
    id,
    title: a.title,
    text: a.paragraphs.join('\n\n'),
    summary: reading.summary,
    quotes: reading.quotes.map((q) => ({ text: q.text, speaker: q.speaker })),
    keywords: reading.keywords,
    related,
    ...(a.url !== undefined ? { url: a.url } : {}),
    ...(a.canonicalUrl !== undefined ? { canonicalUrl: a.canonicalUrl } : {}),
    ...(a.byline !== undefined ? { byline: a.byline } : {}),
    ...(a.editor !== undefined ? { editor: a.editor } : {}),
    ...(a.publishedAt !== undefined ? { publishedAt: a.publishedAt } : {}),
    ...(a.siteName !== undefined ? { siteName: a.siteName } : {}),
    ...(a.dateline !== undefined ? { dateline: a.dateline.place } : {}),
    ...(a.image !== undefined ? { image: a.image } : {}),
    language: a.language,
  };
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function looksLikeHtml(s: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<\?xml)/i.test(s.slice(0, 500)) || /<(p|div|article)[\s>]/i.test(s.slice(0, 5000));
}

/** An Article from a URL, a file path or "-" (standard input). */
async function loadArticle(target: string, services: Services, stdin: NodeJS.ReadableStream): Promise<{ id: string; article?: Article; reading?: Reading }> {
  if (target === '-') {
    const content = await readStdin(stdin);
    return { id: '-', article: looksLikeHtml(content) ? htmlToArticle(content, {}) : textToArticle(content) };
  }
  if (/^https?:\/\//i.test(target)) return { id: target, reading: await services.reader.readUrl(target) };
  let content: string;
  try {
    content = await readFile(target, 'utf8');
  } catch (e) {
    const link = findLink(target);
    if (link !== undefined && link.length >= target.length) return { id: target, reading: await services.reader.readUrl(link) };
    throw new RingkasError('FILE_NOT_FOUND', `cannot read ${target}`, { path: target }, { cause: e });
  }
  return { id: target, article: /\.x?html?$/i.test(target) || looksLikeHtml(content) ? htmlToArticle(content, {}) : textToArticle(content) };
}

interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

async function cmdSummarize(args: string[], io: Io, logger: Logger, mode: 'summarize' | 'extract'): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, sentences: { type: 'string' }, lang: { type: 'string' } },
  });
  const target = positionals[0];
  const locale: Locale = toLocale(values.lang ?? 'id');
  if (target === undefined) {
    io.stderr.write(USAGE);
    return 2;
  }
  const sentences = parseSentences(values.sentences);
  const services = createCliServices(loadConfig(io.env), logger);
  try {
    const loaded = await loadArticle(target, services, io.stdin);
    const reading =
      sentences !== undefined && loaded.reading !== undefined
        ? readArticle(loaded.reading.article, { sentences })
        : (loaded.reading ?? readArticle(loaded.article as Article, sentences !== undefined ? { sentences } : {}));
    if (mode === 'extract') {
      const a = reading.article;
      io.stdout.write(values.json ? `${JSON.stringify({ id: loaded.id, ...a, text: a.paragraphs.join('\n\n') })}\n` : `${a.title}\n\n${a.paragraphs.join('\n\n')}\n`);
    } else if (values.json) {
      io.stdout.write(`${JSON.stringify(readingToJson(loaded.id, reading))}\n`);
    } else {
      const tty = (io.stdout as NodeJS.WriteStream).isTTY === true;
      // What a chat user would see: the grounded AI summary where one is configured (never in --json).
      const shown = services.abstractive !== undefined && sentences === undefined ? (await services.abstractive.summarize(reading)).reading : reading;
      io.stdout.write(`${renderPlain(readingToReply(shown, locale), { color: tty, width: tty ? 100 : 0 })}\n`);
    }
    return 0;
  } catch (e) {
    const err = toRingkasError(e);
    logger.debug({ err, target }, `${mode} failed`);
    io.stderr.write(`${userMessage(err, locale)} [${err.code}]\n`);
    return 1;
  } finally {
    await services.close();
  }
}

function parseSentences(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new RingkasError('BAD_OPTION', '--sentences must be a whole number from 1 to 20', { hint: '--sentences harus bilangan bulat 1 sampai 20', hintEn: '--sentences must be a whole number from 1 to 20' });
  return n;
}

interface BatchIn {
  id: string;
  url?: string;
  html?: string;
  text?: string;
  title?: string;
  publishedAt?: string;
}

function parseBatchLine(line: string, lineNo: number): BatchIn {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new RingkasError('BAD_INPUT', `line ${lineNo} is not JSON`, { hint: `baris ${lineNo} bukan JSON`, hintEn: `line ${lineNo} is not JSON` });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RingkasError('BAD_INPUT', `line ${lineNo} is not a JSON object`, { hint: `baris ${lineNo} bukan objek JSON`, hintEn: `line ${lineNo} is not a JSON object` });
  const o = v as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const id = typeof o['id'] === 'number' ? String(o['id']) : str('id');
  const out: BatchIn = { id: id ?? `line-${lineNo}` };
  for (const k of ['url', 'html', 'text', 'title', 'publishedAt'] as const) {
    const s = str(k);
    if (s !== undefined) out[k] = s;
  }
  if (out.html === undefined && out.text === undefined && out.url === undefined) {
    throw new RingkasError('BAD_INPUT', 'needs "html", "text" or "url"', { hint: 'perlu "html", "text" atau "url"', hintEn: 'it needs "html", "text" or "url"', id: out.id });
  }
  return out;
}

async function cmdBatch(args: string[], io: Io, logger: Logger): Promise<number> {
  const { values } = parseArgs({ args, options: { sentences: { type: 'string' }, concurrency: { type: 'string' } } });
  const sentences = parseSentences(values.sentences);
  const services = createCliServices(loadConfig(io.env), logger);
  const queue = new PQueue({ concurrency: Math.max(1, Math.min(Number(values.concurrency ?? 4) || 4, 16)) });
  type Result = { id: string; reading: Reading } | { id: string; error: RingkasError };
  const results: Promise<Result>[] = [];
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    const n = lineNo;
    results.push(
      queue.add(async (): Promise<Result> => {
        let id = `line-${n}`;
        try {
          const item = parseBatchLine(line, n);
          id = item.id;
          let article: Article;
          if (item.html !== undefined) article = htmlToArticle(item.html, item.url !== undefined ? { url: item.url } : {});
          else if (item.text !== undefined) article = textToArticle(item.text, { ...(item.url !== undefined ? { url: item.url } : {}), ...(item.title !== undefined ? { title: item.title } : {}) });
          else article = (await services.reader.readUrl(item.url as string)).article;
          if (item.title !== undefined && item.title.trim() !== '') article = { ...article, title: item.title.trim() };
          if (item.publishedAt !== undefined) article = { ...article, publishedAt: item.publishedAt };
          return { id, reading: readArticle(article, sentences !== undefined ? { sentences } : {}) };
        } catch (e) {
          const error = toRingkasError(e);
          if (typeof error.details['id'] === 'string') id = error.details['id'];
          logger.debug({ err: error, id, line: n }, 'batch line failed');
          return { id, error };
        }
      }),
    );
  }
  const settled = await Promise.all(results);
  // Index every document read, then find each one's related stories among the others.
  const index = new NewsIndex();
  const keyOf = (i: number): string => `#${i}`;
  settled.forEach((r, i) => {
    if ('reading' in r) index.add({ id: keyOf(i), title: r.reading.article.title, text: r.reading.article.paragraphs.join('\n') });
  });
  settled.forEach((r, i) => {
    if ('error' in r) {
      io.stdout.write(`${JSON.stringify({ id: r.id, error: { code: r.error.code, message: messageFor(r.error.code, 'en', r.error.details) } })}\n`);
      return;
    }
    const related: ReadingJson['related'] = index.relatedTo(keyOf(i), 5).map((h) => {
      const other = settled[Number(h.id.slice(1))];
      const a = other !== undefined && 'reading' in other ? other.reading.article : undefined;
      return { id: other?.id ?? h.id, ...(a?.url !== undefined ? { url: a.canonicalUrl ?? a.url } : {}), title: h.title, score: Math.round(h.score * 1000) / 1000 };
    });
    for (const link of r.reading.article.links) {
      if (!related.some((x) => x.title === link.title)) related.push({ ...(link.url !== undefined ? { url: link.url } : {}), title: link.title, score: 0 });
    }
    io.stdout.write(`${JSON.stringify(readingToJson(r.id, r.reading, related))}\n`);
  });
  await services.close();
  return 0;
}

export async function main(argv: string[], io: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const [command, ...rest] = argv;
  let logger: Logger;
  try {
    const level = io.env['LOG_LEVEL'] ?? (command === 'bot' || command === 'console' ? 'info' : 'warn');
    logger = createLogger({ level });
  } catch {
    logger = createLogger({ level: 'warn' });
  }
  try {
    switch (command) {
      case 'summarize':
        return await cmdSummarize(rest, io, logger, 'summarize');
      case 'extract':
        return await cmdSummarize(rest, io, logger, 'extract');
      case 'batch':
        return await cmdBatch(rest, io, logger);
      case 'feeds':
        return await cmdFeeds(rest, io, logger);
      case 'digest':
        return await cmdDigest(rest, io, logger);
      case 'console':
      case 'bot': {
        const { runBot } = await import('./index.js');
        return await runBot({ argv: rest, env: io.env, forceConsole: command === 'console', stdin: io.stdin, stdout: io.stdout });
      }
      case '--version':
      case '-v':
        io.stdout.write('ringkas 0.1.0\n');
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr.write(`Perintah tidak dikenal: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(`${e.message}\n`);
      return 2;
    }
    const err = toRingkasError(e);
    // A store that cannot be used is the operator's to fix: which store, and why, in one line.
    io.stderr.write(err.code === 'STORE_UNAVAILABLE' ? `Penyimpanan tidak bisa dipakai: ${err.message} [${err.code}]\n` : `${userMessage(err, 'id')} [${err.code}]\n`);
    if (err.code === 'INTERNAL') logger.error({ err: e }, 'unexpected failure');
    return err.code === 'BAD_OPTION' ? 2 : 1;
  }
}
