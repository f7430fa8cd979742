/**
 * HTML page or pasted text -> Article.
 *
 *   htmlToArticle(html, { url })   a fetched page: metadata first (meta, JSON-LD, printed date),
 *                                  then Readability (over linkedom) finds the story, then the
 *                                  Indonesian boilerplate rules (extract/rules.ts) clean it.
 *   textToArticle(text, opts)      text pasted into a chat or read from a file, through a line
 *                                  parser that knows the same boilerplate.
 *   mergePages(first, rest)        a multi-page article as one.
 *
 * Pure: no I/O, no clock. Failures are RingkasErrors: EMPTY_INPUT, BINARY_INPUT, NOT_AN_ARTICLE
 * (a home or list page), SCRIPT_ONLY_PAGE (a JavaScript shell with nothing to read).
 */
import { Readability } from '@mozilla/readability';
import type { Article, ArticleImage } from './article-types.js';
import { RingkasError } from './errors.js';
import { assemble, type Assembled } from './extract/assemble.js';
import { domBlocks, largestTextContainer, linkDensity, type Block } from './extract/blocks.js';
import { toIso } from './extract/dates.js';
import { parseDocument, pruneChrome } from './extract/dom.js';
import { detectLanguage } from './extract/language.js';
import { cleanByline, cleanTitle, readPageMeta, type PageMeta } from './extract/metadata.js';
import { nextPagesOf } from './extract/multipage.js';
import { textBlocks } from './extract/text-parser.js';
import { binaryRatio, cleanText, countWords, truncateWords } from './extract/text.js';

export { detectLanguage } from './extract/language.js';
export { mergePages } from './extract/multipage.js';

export interface HtmlOptions {
  /** The page's URL (after redirects): resolves relative links, names the site. */
  url?: string;
}

export interface TextOptions {
  url?: string;
  /** The headline when the caller knows it; otherwise the first headline-like line is used. */
  title?: string;
}

/** A page with fewer words than this has nothing to read (a script shell, an empty page). */
const MIN_VISIBLE_WORDS = 12;

/** Share of control/replacement characters above which input is refused as binary. */
const BINARY_THRESHOLD = 0.1;

/** Elements that never hold the story; removed before Readability (after metadata is read). */
const NEVER_CONTENT = ['script', 'style', 'noscript', 'template', 'iframe', 'svg', 'canvas', 'object', 'embed', 'link', 'select', 'button', 'textarea', 'input', 'nav'];

/** Words of text in an element, counting at most `stopAt` (walks text nodes, stops early). */
function countVisibleWords(root: Element, stopAt: number): number {
  let n = 0;
  const stack: Node[] = [root];
  while (stack.length > 0 && n < stopAt) {
    const node = stack.pop();
    if (node === undefined) break;
    if (node.nodeType === 3) n += countWords((node as Text).data, stopAt - n);
    else if (node.nodeType === 1) for (let c = node.lastChild; c !== null; c = c.previousSibling) stack.push(c);
  }
  return n;
}

function checkInput(input: string): void {
  if (typeof input !== 'string' || input.trim() === '') throw new RingkasError('EMPTY_INPUT', 'nothing to read');
  if (binaryRatio(input) > BINARY_THRESHOLD) throw new RingkasError('BINARY_INPUT', 'input is not text');
}

function validUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function buildImage(url: string | undefined, caption: string | undefined, credit: string | undefined): ArticleImage | undefined {
  if (url === undefined) return undefined;
  const image: ArticleImage = { url };
  if (caption !== undefined && caption !== '') image.caption = caption;
  if (credit !== undefined && credit !== '') image.credit = credit;
  return image;
}

/** Headline of last resort: the story's first sentence, shortened. */
function titleFromBody(parts: Assembled): string {
  const first = parts.paragraphs[0] ?? '';
  const body = parts.dateline !== undefined ? first.slice(parts.dateline.marker.length).trim() : first;
  const sentence = /^.{10,200}?[.!?](?=\s|$)/u.exec(body)?.[0] ?? body;
  return truncateWords(sentence.replace(/[.]$/, ''), 120);
}

/** A home, section or search page: headlines with links and short teasers, no story. */
function looksLikeListPage(blocks: readonly Block[], parts: Assembled, meta: PageMeta): boolean {
  const bodyWords = countWords(parts.paragraphs.join(' '), 400);
  if (bodyWords < 25 && !meta.declaresArticle) return true;
  if (meta.declaresArticle || parts.dateline !== undefined) return false;
  const teasers = blocks.filter((b) => b.kind !== 'image' && b.linkChars > 0 && linkDensity(b) >= 0.6 && countWords(b.text, 4) >= 3).length;
  if (meta.ogType === 'website' && teasers >= 4 && teasers * 2 >= parts.paragraphs.length) return true;
  return teasers >= 6 && teasers >= parts.paragraphs.length;
}

function finish(parts: Assembled, base: Omit<Article, 'paragraphs' | 'links' | 'language' | 'title'> & { title?: string }): Article {
  const article: Article = {
    ...base,
    title: base.title ?? parts.title ?? titleFromBody(parts),
    paragraphs: parts.paragraphs,
    links: parts.links,
    language: detectLanguage(parts.paragraphs.join('\n')),
  };
  if (parts.dateline !== undefined) article.dateline = parts.dateline;
  if (article.editor === undefined && parts.editor !== undefined) {
    const editor = cleanByline(parts.editor, []);
    if (editor !== undefined) article.editor = editor;
  }
  return article;
}

/** Reads an article from an HTML page. */
export function htmlToArticle(html: string, opts: HtmlOptions = {}): Article {
  checkInput(html);
  const url = validUrl(opts.url);
  const { doc, index, scripts, truncated } = parseDocument(html, url);
  const meta = readPageMeta(doc, index, url);
  const pageUrl = url ?? meta.canonicalUrl;
  const nextPages = nextPagesOf(index, pageUrl);

  for (const tag of NEVER_CONTENT) for (const el of index.byTag(tag)) el.remove();
  pruneChrome(index);
  const visibleWords = countVisibleWords(doc.body, MIN_VISIBLE_WORDS);

  let blocks: Block[] = [];
  let readabilityByline: string | undefined;
  let readabilityTitle: string | undefined;
  if (visibleWords >= MIN_VISIBLE_WORDS && truncated) {
    // A page past the markup budget is pathological: Readability's retries on it would take
    // seconds, so the story is taken from the element with the most paragraph text instead.
    blocks = domBlocks(largestTextContainer(doc.body), pageUrl);
  } else if (visibleWords >= MIN_VISIBLE_WORDS) {
    try {
      const result = new Readability<Element>(doc, {
        keepClasses: true,
        disableJSONLD: true,
        charThreshold: 300,
        serializer: (node) => node as Element,
      }).parse();
      if (result?.content !== null && result?.content !== undefined) blocks = domBlocks(result.content, pageUrl);
      readabilityByline = result?.byline ?? undefined;
      readabilityTitle = result?.title ?? undefined;
    } catch {
      blocks = [];
    }
  }

  let parts = assemble(blocks, meta.title !== undefined ? { title: meta.title } : {});
  if (parts.paragraphs.length === 0 || countWords(parts.paragraphs.join(' '), 25) < 25) {
    // The page may carry its story only in JSON-LD (JavaScript-rendered sites often do).
    if (meta.articleBody !== undefined && countWords(meta.articleBody, 25) >= 25) {
      parts = assemble(textBlocks(meta.articleBody), { ...(meta.title !== undefined ? { title: meta.title } : {}), fromText: true });
    } else if (visibleWords < MIN_VISIBLE_WORDS) {
      throw scripts > 0
        ? new RingkasError('SCRIPT_ONLY_PAGE', 'the page renders its content with JavaScript')
        : new RingkasError('NOT_AN_ARTICLE', 'the page has no text');
    }
  }
  if (parts.paragraphs.length === 0 || looksLikeListPage(blocks, parts, meta)) {
    throw new RingkasError('NOT_AN_ARTICLE', 'no article body found on the page');
  }

  const byline = cleanByline(parts.byline, meta.siteHints) ?? meta.labelledByline ?? meta.byline ?? meta.classByline ?? cleanByline(readabilityByline, meta.siteHints);
  // "Baca juga" lines Readability dropped with their boxes (detik's "linksisip" tables) still count.
  for (const link of meta.links) {
    if (!parts.links.some((l) => l.title === link.title || (l.url !== undefined && l.url === link.url))) parts.links.push(link);
  }
  const fallbackTitle = readabilityTitle !== undefined ? cleanTitle(readabilityTitle, meta.siteHints) : '';
  const title = meta.title ?? (fallbackTitle !== '' ? fallbackTitle : undefined);
  const image = buildImage(meta.image?.url ?? parts.imageSrc, parts.caption ?? meta.image?.caption, parts.credit ?? meta.image?.credit);
  const publishedAt = meta.publishedAt ?? (parts.printedDate !== undefined ? toIso(parts.printedDate) : undefined);

  const base: Omit<Article, 'paragraphs' | 'links' | 'language' | 'title'> & { title?: string } = {};
  if (url !== undefined) base.url = url;
  if (meta.canonicalUrl !== undefined) base.canonicalUrl = meta.canonicalUrl;
  if (title !== undefined) base.title = title;
  if (byline !== undefined) base.byline = byline;
  const editor = cleanByline(parts.editor, meta.siteHints) ?? meta.editor;
  if (editor !== undefined) base.editor = editor;
  if (publishedAt !== undefined) base.publishedAt = publishedAt;
  if (meta.siteName !== undefined) base.siteName = meta.siteName;
  if (image !== undefined) base.image = image;
  if (nextPages !== undefined && nextPages.length > 0) base.nextPages = nextPages;
  return finish(parts, base);
}

/** Reads an article from plain text (pasted into a chat, or a file). */
export function textToArticle(text: string, opts: TextOptions = {}): Article {
  checkInput(text);
  const title = opts.title !== undefined && cleanText(opts.title) !== '' ? cleanText(opts.title) : undefined;
  const parts = assemble(textBlocks(text), { fromText: true, ...(title !== undefined ? { title } : {}) });
  if (parts.paragraphs.length === 0) throw new RingkasError('EMPTY_INPUT', 'the text holds no article paragraphs');

  const base: Omit<Article, 'paragraphs' | 'links' | 'language' | 'title'> & { title?: string } = {};
  const url = validUrl(opts.url);
  if (url !== undefined) base.url = url;
  if (title !== undefined) base.title = title;
  const byline = cleanByline(parts.byline, []);
  if (byline !== undefined) base.byline = byline;
  if (parts.printedDate !== undefined) base.publishedAt = toIso(parts.printedDate);
  // Pasted text has no image URL; a caption and credit are still worth keeping when present.
  const article = finish(parts, base);
  if (parts.caption !== undefined || parts.credit !== undefined) {
    article.image = { ...(parts.caption !== undefined ? { caption: parts.caption } : {}), ...(parts.credit !== undefined ? { credit: parts.credit } : {}) };
  }
  return article;
}
