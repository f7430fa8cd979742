/**
 * What a page says about itself, read before Readability rearranges the document: <meta> tags
 * (Open Graph, article:*, itemprop), JSON-LD, <link rel=canonical>, the title as published,
 * the publication date (machine-readable or as printed near the headline) and the lead image.
 */
import { absoluteUrl, type DocIndex } from './dom.js';
import { findHumanDate, parseMachineDate, toIso, type DateParts } from './dates.js';
import { cleanText, textKey } from './text.js';
import type { ArticleLink } from '../article-types.js';
import { LABEL_START, matchLabels, matchRule, splitCredit } from './rules.js';

export interface PageMeta {
  /** The headline, site name removed. */
  title?: string;
  byline?: string;
  /** "Editor: ..." printed near the headline (outside the story text Readability keeps). */
  editor?: string;
  /** "Penulis: ..." / "Reporter: ..." printed near the headline. */
  labelledByline?: string;
  /** The text of an element whose class names the author ("detail__author"), near the headline. */
  classByline?: string;
  /** "Baca juga: <a>...</a>" lines after the headline (Readability may drop the boxes they sit in). */
  links: ArticleLink[];
  publishedAt?: string;
  siteName?: string;
  canonicalUrl?: string;
  image?: { url: string; caption?: string; credit?: string };
  /** Words that name the site ("kompas", "republika online"): for cleaning titles and bylines. */
  siteHints: string[];
  /** The page declares itself an article (og:type, JSON-LD, article:published_time, articleBody). */
  declaresArticle: boolean;
  /** JSON-LD articleBody, when the page carries one. */
  articleBody?: string;
  /** og:type as declared ("article", "website"). */
  ogType?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const ARTICLE_TYPES = /^(?:newsarticle|article|reportagenewsarticle|analysisnewsarticle|blogposting|opinionnewsarticle|backgroundnewsarticle|reviewnewsarticle|liveblogposting|socialmediaposting|webpage)$/i;

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return cleanText(v) || undefined;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function typesOf(o: JsonObject): string[] {
  const t = o['@type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Every object in the page's JSON-LD blocks (arrays and @graph flattened). */
function readJsonLd(index: DocIndex): JsonObject[] {
  const out: JsonObject[] = [];
  for (const script of index.byTag('script')) {
    if (!/^\s*application\/ld\+json\b/i.test(script.getAttribute('type') ?? '')) continue;
    const text = script.textContent ?? '';
    if (text.length === 0 || text.length > 2_000_000) continue;
    let parsed: Json;
    try {
      parsed = JSON.parse(text.replace(/[\u0000-\u001f]+/g, ' ')) as Json;
    } catch {
      continue;
    }
    // Breadth-first over arrays and @graph, visiting a bounded number of values.
    const queue: Json[] = [parsed];
    for (let head = 0; head < queue.length && head < 5000 && out.length < 200; head++) {
      const v = queue[head];
      if (Array.isArray(v)) {
        for (const item of v.slice(0, 1000)) queue.push(item);
      } else if (isObject(v)) {
        out.push(v);
        const graph = v['@graph'];
        if (Array.isArray(graph)) for (const item of graph.slice(0, 1000)) queue.push(item);
      }
    }
  }
  return out;
}

/** All <meta> values by lower-cased property / name / itemprop (first non-empty wins). */
function readMetaTags(index: DocIndex): Map<string, string> {
  const map = new Map<string, string>();
  for (const meta of index.byTag('meta')) {
    const content = meta.getAttribute('content');
    if (content === null) continue;
    const value = cleanText(content);
    if (value === '') continue;
    for (const attr of ['property', 'name', 'itemprop']) {
      const key = meta.getAttribute(attr)?.trim().toLowerCase();
      if (key !== undefined && key !== '' && !map.has(key)) map.set(key, value);
    }
  }
  return map;
}

const PUBLIC_SUFFIX = /\.(?:co|or|ac|go|web|my|sch|net|biz|desa|ponpes|com)\.(?:id|uk|my|sg|au)$|\.(?:com|id|net|org|co|tv|news|info|io|me|asia|online|site|xyz)$/i;

/** "regional.kompas.com" -> "kompas"; "nasional.republika.co.id" -> "republika". */
export function hostLabel(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/^www\d?\./, '');
    const stem = host.replace(PUBLIC_SUFFIX, '');
    const label = stem.split('.').pop();
    return label !== undefined && label.length >= 3 ? label : undefined;
  } catch {
    return undefined;
  }
}

function compact(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Does a title segment name the site rather than the story? */
function isSiteSegment(segment: string, hints: readonly string[]): boolean {
  const seg = compact(segment);
  if (seg === '') return true;
  if (segment.split(/\s+/).length > 6) return false;
  for (const hint of hints) {
    const h = compact(hint);
    if (h.length >= 4 && (seg.includes(h) || (h.includes(seg) && seg.length >= 4))) return true;
  }
  return /^(?:beritaterkini|beritaterbaru|beritahariini|portalberita|newsportal|online)$/.test(seg);
}

const TRAILING_SEP = /\s+(?:[|–—·»-]|::|\/\/)\s+(?=[^|–—·»]*$)/u;
const LEADING_SEP = /^([^|–—·»:]{2,60}?)\s*(?:[|–—·»:-]|::)\s+/u;

/**
 * Removes the site's name from a published title: "... - Kompas.com Regional",
 * "... | Republika Online", "KapanLagi.com: ...", "... - Health :: Okezone Lifestyle".
 */
export function cleanTitle(raw: string, hints: readonly string[]): string {
  let title = cleanText(raw);
  for (let i = 0; i < 3; i++) {
    const m = TRAILING_SEP.exec(title);
    if (m === null) break;
    const tail = title.slice(m.index + m[0].length);
    const head = title.slice(0, m.index);
    if (head.length < tail.length || !isSiteSegment(tail, hints)) break;
    title = head.trim();
  }
  for (let i = 0; i < 2; i++) {
    const m = LEADING_SEP.exec(title);
    if (m === null) break;
    const rest = title.slice(m[0].length);
    if (rest.length < (m[1] ?? '').length || !isSiteSegment(m[1] ?? '', hints)) break;
    title = rest.trim();
  }
  return title;
}

/** Cleans a byline: no label, no site suffix, a name rather than a URL or the site itself. */
export function cleanByline(raw: string | undefined, hints: readonly string[]): string | undefined {
  if (raw === undefined) return undefined;
  let s = cleanText(raw)
    .replace(/^(?:oleh|by|penulis|pewarta|reporter|wartawan|author|ditulis\s+oleh)\s*:?\s+/iu, '')
    // "Kontributor Lhokseumawe, Masriadi": the person, not the post.
    .replace(/^(?:kontributor|koresponden|wartawan|reporter|jurnalis)\s+[^,]{1,40},\s*/iu, '');
  s = cleanTitle(s, hints).replace(/^[-–—,:|\s]+|[-–—,:|\s]+$/gu, '');
  if (s === '' || s.length > 100 || /^https?:|www\.|\.com\b|@/i.test(s)) return undefined;
  if (!/\p{L}/u.test(s) || isSiteSegment(s, hints)) return undefined;
  return s;
}

function jsonLdAuthor(v: Json | undefined): string | undefined {
  const names: string[] = [];
  const add = (x: Json | undefined): void => {
    if (typeof x === 'string') names.push(x);
    else if (isObject(x)) {
      const n = str(x['name']);
      if (n !== undefined) names.push(n);
    } else if (Array.isArray(x)) x.forEach(add);
  };
  add(v);
  const cleaned = names.map((n) => cleanText(n)).filter((n) => n !== '' && !/^https?:/i.test(n));
  return cleaned.length > 0 ? [...new Set(cleaned)].join(', ') : undefined;
}

function jsonLdImage(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return jsonLdImage(v[0]);
  if (isObject(v)) return str(v['url']) ?? str(v['contentUrl']);
  return undefined;
}

const DATE_META_KEYS = [
  'article:published_time', 'og:article:published_time', 'og:published_time', 'published_time', 'datepublished',
  'pubdate', 'publishdate', 'publish-date', 'publish_date', 'content_publisheddate', 'article_date_original',
  'dc.date.issued', 'dc.date', 'dcterms.issued', 'dcterms.created', 'sailthru.date', 'parsely-pub-date',
  'date', 'datecreated', 'article:modified_time', 'datemodified',
];

interface TextDate {
  parts: DateParts;
  order: number;
  hasTime: boolean;
}

const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'SELECT', 'OPTION']);
const HEADLINE_TAGS = new Set(['H1', 'H2', 'H3']);

/**
 * Dates printed on the page, in document order, and where the headline is: the publication date
 * is the one printed nearest the headline (a masthead shows today's date; lists show others').
 */
interface Label {
  action: 'editor' | 'byline' | 'author-class';
  value: string;
  order: number;
}

/** Class or id of an element that holds the author's name. */
const AUTHOR_HINT = /(?:^|[\s_-])(?:author|byline|penulis|reporter|writer|wartawan)(?:$|[\s_-])|__author\b/i;
const READ_ALSO = /^\s*(?:baca|simak|lihat)\s+(?:juga|pula)\b/i;

interface Scan {
  dates: TextDate[];
  labels: Label[];
  links: (ArticleLink & { order: number })[];
  titleOrder: number;
}

/**
 * One walk over the page's text before Readability: printed dates, byline and editor labels,
 * author elements and "Baca juga" lines, each with its position, and the headline's position.
 */
function scanPage(doc: Document, title: string | undefined): Scan {
  const dates: TextDate[] = [];
  const labels: Label[] = [];
  const links: Scan['links'] = [];
  const titleKey = title !== undefined ? textKey(title) : undefined;
  let titleOrder = -1;
  let order = 0;
  const body = doc.body;
  const stack: Node[] = [body];
  const seenParents = new Set<Element>();
  while (stack.length > 0 && order < 200_000) {
    const node = stack.pop();
    if (node === undefined) break;
    order += 1;
    if (node.nodeType === 1) {
      const el = node as Element;
      if (SKIP.has(el.tagName)) continue;
      if (titleOrder < 0 && titleKey !== undefined && HEADLINE_TAGS.has(el.tagName)) {
        const t = el.textContent ?? '';
        if (t.length < 500 && textKey(t) === titleKey) titleOrder = order;
      }
      const hint = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
      if (hint.length > 1 && AUTHOR_HINT.test(hint)) {
        const t = cleanText(el.textContent ?? '');
        if (t !== '' && t.length <= 100) labels.push({ action: 'author-class', value: t, order });
      }
      if (el.tagName === 'TIME') {
        const dt = el.getAttribute('datetime');
        const parts = dt !== null ? parseMachineDate(dt) : undefined;
        if (parts !== undefined) dates.push({ parts, order, hasTime: parts.hour !== undefined });
      }
      for (let c = el.lastChild; c !== null; c = c.previousSibling) stack.push(c);
    } else if (node.nodeType === 3) {
      const s = (node as Text).data;
      if (s.length < 300 && LABEL_START.test(s)) {
        // "Editor: <a>Name</a>": the label and the name may sit in different nodes.
        // "<td>Penulis</td><td>: Nama</td>": or in the row around them.
        let found: ReturnType<typeof matchLabels>;
        let el: Element | null = node.parentElement;
        for (let up = 0; up < 3 && el !== null && found === undefined; up++, el = el.parentElement) {
          const t = el.textContent ?? '';
          if (t.length > 300) break;
          found = matchLabels(cleanText(t));
        }
        for (const m of found ?? matchLabels(cleanText(s)) ?? []) {
          const action = m.rule.action === 'editor' ? 'editor' : 'byline';
          if (m.value.length <= 80) labels.push({ action, value: m.value, order });
        }
      }
      if (s.length < 300 && READ_ALSO.test(s)) {
        // "<strong>Baca juga:</strong> <a href>Judul</a>": the line is the nearest box around both.
        for (let el = node.parentElement, up = 0; el !== null && up < 3; el = el.parentElement, up++) {
          const t = cleanText(el.textContent ?? '');
          if (t.length > 300) break;
          const m = matchRule(t);
          const a = el.getElementsByTagName('a')[0];
          if (m?.rule.action === 'link' && a !== undefined) {
            const href = a.getAttribute('href');
            links.push({ title: m.value, order, ...(href !== null ? { url: href } : {}) });
            break;
          }
        }
      }
      if (s.length < 6 || s.length > 300 || !/\d/.test(s)) continue;
      let hit = findHumanDate(s);
      if (hit === undefined) continue;
      if (hit.hour === undefined) {
        // "<span>Kamis, 05/11/2015</span> <span>10:08 WIB</span>": try the parent's whole text.
        const parent = node.parentElement;
        if (parent !== null && !seenParents.has(parent)) {
          seenParents.add(parent);
          const whole = cleanText(parent.textContent ?? '');
          if (whole.length <= 200) hit = findHumanDate(whole) ?? hit;
        }
      }
      dates.push({ parts: hit, order, hasTime: hit.hour !== undefined });
    }
  }
  return { dates, labels, links, titleOrder };
}

/** The label of a kind printed nearest the headline (first on the page when there is no headline). */
function pickLabel(labels: readonly Label[], action: Label['action'], titleOrder: number): string | undefined {
  let best: Label | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const l of labels) {
    if (l.action !== action) continue;
    const distance = titleOrder < 0 ? l.order : Math.abs(l.order - titleOrder);
    if (distance < bestDistance) {
      best = l;
      bestDistance = distance;
    }
  }
  return best?.value;
}

/** How many DOM nodes away from the headline a printed date still belongs to it. */
const NEAR_HEADLINE = 80;

function pickPrintedDate(scan: Scan): DateParts | undefined {
  const { dates, titleOrder } = scan;
  const pool = dates.some((d) => d.hasTime) ? dates.filter((d) => d.hasTime) : dates;
  if (pool.length === 0) return undefined;
  if (titleOrder < 0) return pool[0]?.parts;
  // Bylines and dates usually follow the headline; some sites print the date just above it.
  const after = pool.filter((d) => d.order > titleOrder && d.order - titleOrder <= NEAR_HEADLINE);
  if (after.length > 0) return after[0]?.parts;
  const before = pool.filter((d) => d.order < titleOrder && titleOrder - d.order <= NEAR_HEADLINE);
  if (before.length > 0) return before[before.length - 1]?.parts;
  let best: TextDate | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const d of pool) {
    const distance = d.order >= titleOrder ? d.order - titleOrder : (titleOrder - d.order) * 1.5;
    if (distance < bestDistance) {
      best = d;
      bestDistance = distance;
    }
  }
  return best?.parts;
}

/** Date in the article URL ("/read/2015/11/05/..."), day precision. */
function dateFromUrl(url: string | undefined): DateParts | undefined {
  if (url === undefined) return undefined;
  const m = /\/((?:19|20)\d{2})\/(\d{1,2})\/(\d{1,2})\//.exec(url);
  if (m === null) return undefined;
  return parseMachineDate(`${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`);
}

function sameWallTime(a: DateParts, b: DateParts): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

function chooseDate(structured: DateParts | undefined, printed: DateParts | undefined, fallback: DateParts | undefined): string | undefined {
  if (structured !== undefined) {
    // A "Z" on what is really Jakarta wall-clock time: the page prints the same hour and minute as WIB.
    if (structured.zulu === true && printed !== undefined && printed.hour !== undefined && sameWallTime(structured, printed) && (printed.offset ?? 420) !== 0) {
      const { zulu: _z, ...rest } = structured;
      return toIso({ ...rest, offset: printed.offset ?? 420 });
    }
    return toIso(structured);
  }
  if (printed !== undefined) return toIso(printed);
  return fallback !== undefined ? toIso(fallback) : undefined;
}

/** Caption and credit printed with the lead image (figure/figcaption or the image's own box). */
function leadImageCaption(index: DocIndex, imageUrl: string): { caption?: string; credit?: string } {
  const name = imageUrl.split(/[?#]/)[0]?.split('/').pop() ?? '';
  if (name.length < 4) return {};
  for (const img of index.byTag('img')) {
    const src = img.getAttribute('src') ?? img.getAttribute('data-src') ?? img.getAttribute('data-original') ?? '';
    if (!src.includes(name)) continue;
    const figure = img.closest('figure');
    let text = '';
    if (figure !== null) text = figure.querySelector('figcaption')?.textContent ?? figure.textContent ?? '';
    if (text.trim() === '') {
      let box: Element | null = img.parentElement;
      for (let i = 0; box !== null && i < 4 && cleanText(box.textContent ?? '') === ''; i++) box = box.parentElement;
      const t = box !== null ? cleanText(box.textContent ?? '') : '';
      if (t.length > 0 && t.length <= 400) text = t;
    }
    text = cleanText(text);
    if (text === '') return {};
    const split = splitCredit(text, 'loose');
    const out: { caption?: string; credit?: string } = {};
    if (split !== undefined) {
      if (split.caption !== '') out.caption = split.caption;
      out.credit = split.credit;
    } else {
      out.caption = text;
    }
    return out;
  }
  return {};
}

/** Reads the page's own description of itself. Call before Readability mutates the document. */
export function readPageMeta(doc: Document, index: DocIndex, url: string | undefined): PageMeta {
  const metas = readMetaTags(index);
  const ld = readJsonLd(index);
  const article = ld.find((o) => typesOf(o).some((t) => ARTICLE_TYPES.test(t) && t.toLowerCase() !== 'webpage'))
    ?? ld.find((o) => typesOf(o).some((t) => ARTICLE_TYPES.test(t)) && o['datePublished'] !== undefined);

  const canonicalHref = index.byTag('link').find((l) => /(?:^|\s)canonical(?:\s|$)/i.test(l.getAttribute('rel') ?? ''))?.getAttribute('href');
  const ldUrl = article !== undefined ? str(article['url']) ?? (isObject(article['mainEntityOfPage']) ? str(article['mainEntityOfPage']['@id']) : str(article['mainEntityOfPage'])) : undefined;
  const canonicalUrl = absoluteUrl(canonicalHref, url) ?? absoluteUrl(metas.get('og:url'), url) ?? absoluteUrl(ldUrl, url);
  const pageUrl = url ?? canonicalUrl;

  const publisher = article !== undefined && isObject(article['publisher']) ? str(article['publisher']['name']) : undefined;
  const siteNameDeclared = metas.get('og:site_name') ?? publisher ?? metas.get('application-name');
  const hints = [siteNameDeclared, publisher, metas.get('application-name'), hostLabel(pageUrl), hostLabel(canonicalUrl)]
    .filter((h): h is string => h !== undefined && h.length >= 3);

  const rawTitle = metas.get('og:title') ?? (article !== undefined ? str(article['headline']) ?? str(article['name']) : undefined)
    ?? metas.get('twitter:title') ?? metas.get('headline') ?? cleanText(index.byTag('title')[0]?.textContent ?? '');
  let title = rawTitle !== undefined && rawTitle !== '' ? cleanTitle(rawTitle, hints) : undefined;
  if (title === undefined || title === '') {
    const h1 = cleanText(index.byTag('h1')[0]?.textContent ?? '');
    title = h1 !== '' ? h1 : undefined;
  }

  // Dates: machine-readable first, then the date printed beside the headline.
  let structured: DateParts | undefined;
  const ldDate = article !== undefined ? str(article['datePublished']) ?? str(article['dateCreated']) : ld.map((o) => str(o['datePublished'])).find((d) => d !== undefined);
  if (ldDate !== undefined) structured = parseMachineDate(ldDate);
  for (const key of DATE_META_KEYS) {
    if (structured !== undefined) break;
    const v = metas.get(key);
    if (v !== undefined) structured = parseMachineDate(v);
  }
  if (structured === undefined) {
    const el = index.byItemprop('datePublished')[0];
    const v = el?.getAttribute('datetime') ?? el?.getAttribute('content') ?? el?.textContent;
    if (v !== undefined && v !== null) structured = parseMachineDate(v);
  }
  const scan = scanPage(doc, title);
  const printed = pickPrintedDate(scan);
  const editor = cleanByline(pickLabel(scan.labels, 'editor', scan.titleOrder), hints);
  const labelledByline = cleanByline(pickLabel(scan.labels, 'byline', scan.titleOrder), hints);
  const classByline = cleanByline(pickLabel(scan.labels, 'author-class', scan.titleOrder), hints);
  const links: ArticleLink[] = [];
  for (const l of scan.links) {
    if (l.order < scan.titleOrder || links.some((x) => x.title === l.title)) continue;
    const url = absoluteUrl(l.url, pageUrl);
    links.push(url !== undefined ? { title: l.title, url } : { title: l.title });
  }
  const publishedAt = chooseDate(structured, printed, dateFromUrl(canonicalUrl ?? url));

  // Byline: declared author names (people, not the site).
  const ldAuthor = article !== undefined ? jsonLdAuthor(article['author']) : undefined;
  const itempropAuthor = (() => {
    const el = index.byItemprop('author')[0];
    if (el === undefined) return undefined;
    return el.getAttribute('content') ?? el.querySelector('[itemprop="name"]')?.textContent ?? el.textContent ?? undefined;
  })();
  const byline = [ldAuthor, itempropAuthor, metas.get('author'), metas.get('article:author'), metas.get('dc.creator'), metas.get('parsely-author'), metas.get('dtk:author'), metas.get('content_author'), metas.get('cxenseparse:author')]
    .map((b) => cleanByline(b, hints))
    .find((b) => b !== undefined);

  const imageRef = metas.get('og:image') ?? metas.get('og:image:url') ?? metas.get('og:image:secure_url') ?? metas.get('twitter:image')
    ?? metas.get('twitter:image:src') ?? (article !== undefined ? jsonLdImage(article['image']) : undefined) ?? metas.get('thumbnailurl');
  const imageUrl = absoluteUrl(imageRef, pageUrl);

  const ogType = metas.get('og:type')?.toLowerCase();
  const declaresArticle = article !== undefined && typesOf(article).some((t) => t.toLowerCase() !== 'webpage')
    || ogType === 'article' || metas.has('article:published_time') || index.byItemprop('articleBody').length > 0;

  const meta: PageMeta = { siteHints: hints, declaresArticle, links };
  if (classByline !== undefined) meta.classByline = classByline;
  if (title !== undefined) meta.title = title;
  if (byline !== undefined) meta.byline = byline;
  if (editor !== undefined) meta.editor = editor;
  if (labelledByline !== undefined) meta.labelledByline = labelledByline;
  if (publishedAt !== undefined) meta.publishedAt = publishedAt;
  const siteName = siteNameDeclared ?? (pageUrl !== undefined ? hostOf(pageUrl) : undefined);
  if (siteName !== undefined) meta.siteName = siteName;
  if (canonicalUrl !== undefined) meta.canonicalUrl = canonicalUrl;
  if (imageUrl !== undefined) meta.image = { url: imageUrl, ...leadImageCaption(index, imageUrl) };
  const body = article !== undefined ? str(article['articleBody']) : undefined;
  if (body !== undefined) meta.articleBody = typeof article?.['articleBody'] === 'string' ? article['articleBody'] : body;
  if (ogType !== undefined) meta.ogType = ogType;
  return meta;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
