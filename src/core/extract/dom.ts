/**
 * HTML string -> a linkedom Document that Readability can work on.
 *
 * linkedom is a fast, forgiving DOM but not a full HTML5 tree builder: it does not invent the
 * <html>/<head>/<body> a browser would, so fragments and pages without <html> ("<!DOCTYPE html>
 * <head>...</head><body>...") are given them here first. It also resolves no URLs by itself:
 * a <base href> with the page URL is injected so Readability makes links and images absolute.
 * Pathologically deep nesting is flattened so no recursive DOM walk can overflow the stack.
 */
import { parseHTML } from 'linkedom';

/** Nesting depth past which element trees are flattened to their text. */
export const MAX_DEPTH = 300;

const HAS_BODY = /<body[\s>]/i;
const HAS_HEAD_END = /<\/head\s{0,10}>/i;
const HAS_HTML = /<html[\s>]/i;
const DOCTYPE = /^\s{0,1000}<!doctype[^>]{0,500}>/i;
const ROOT_TAGS = /<\/?(?:html|body|head)\b[^<>]{0,2000}>/gi;

/**
 * Markup characters ('<', '>' and '&': roughly one DOM node per tag and per entity, and what a
 * re-serialisation turns into entities) a page may have after scripts, styles and comments are
 * cut. The pages read here have 2,000-9,000 (about a thousand tags each); linkedom's cost grows faster than linearly with node
 * count, so a 10 MB page of tags is cut at this budget (best effort: the story comes early).
 */
export const MARKUP_BUDGET = 24_000;

/** Characters of markup read at most (after scripts and styles are cut): no story is this long. */
export const MAX_MARKUP_CHARS = 2_000_000;

/** Elements whose content is dropped before parsing (JSON-LD scripts are kept). */
const RAW_DROP = ['script', 'style', 'svg'];

export interface PreparedMarkup {
  html: string;
  /** Scripts other than JSON-LD that were cut (a JavaScript-only page has some and no text). */
  scripts: number;
  /** The page exceeded MARKUP_BUDGET and was cut. */
  truncated: boolean;
}

/**
 * Cuts scripts (not JSON-LD), styles, inline SVG and comments out of the markup, in one linear
 * scan, and truncates what is left at MAX_MARKUP_CHARS characters or MARKUP_BUDGET markup characters.
 */
export function prepareMarkup(html: string): PreparedMarkup {
  const parts: string[] = [];
  let lower: string | undefined;
  let scripts = 0;
  let pos = 0;
  let keepFrom = 0;
  const n = html.length;
  let tags = 0;
  let cutAt = -1;
  while (pos < n) {
    const lt = html.indexOf('<', pos);
    if (lt < 0) break;
    pos = lt + 1;
    tags += 1;
    if (tags > MARKUP_BUDGET / 2) {
      cutAt = lt;
      break;
    }
    const next = html.charCodeAt(lt + 1) | 0x20; // lower-cased ASCII letter, or '!' (0x21) as is
    if (next !== 0x21 && next !== 0x73) continue; // only "<!--", "<script", "<style", "<svg" need work
    if (html.startsWith('!--', lt + 1)) {
      const end = html.indexOf('-->', lt + 4);
      parts.push(html.slice(keepFrom, lt));
      keepFrom = end < 0 ? n : end + 3;
      pos = keepFrom;
      continue;
    }
    const head = html.slice(lt + 1, lt + 8).toLowerCase();
    const tag = RAW_DROP.find((t) => head.startsWith(t) && /^[\s>/]/.test(head.charAt(t.length) || '>'));
    if (tag === undefined) continue;
    // The open tag must close before the next '<' (otherwise it is text, as a browser reads it).
    const nextLt = html.indexOf('<', lt + 1);
    const openTag = html.slice(lt, nextLt < 0 ? Math.min(n, lt + 4000) : Math.min(nextLt, lt + 4000));
    const rel = openTag.indexOf('>');
    if (rel < 0) continue;
    const gt = lt + rel;
    const attrs = openTag.slice(0, rel);
    if (tag === 'script' && /ld\+json/i.test(attrs)) {
      pos = gt + 1;
      continue;
    }
    lower ??= html.toLowerCase();
    const close = lower.indexOf(`</${tag}`, gt + 1);
    const closeEnd = close < 0 ? -1 : html.indexOf('>', close);
    if (tag === 'script') scripts += 1;
    parts.push(html.slice(keepFrom, lt));
    keepFrom = closeEnd < 0 ? n : closeEnd + 1;
    pos = keepFrom;
  }
  parts.push(cutAt >= 0 ? html.slice(keepFrom, cutAt) : html.slice(keepFrom));
  let out = parts.join('');

  let markup = 0;
  let truncated = cutAt >= 0;
  if (out.length > MAX_MARKUP_CHARS) {
    out = out.slice(0, MAX_MARKUP_CHARS);
    truncated = true;
  }
  // Non-breaking spaces are spaces to the reader (cleanText) and an entity each when linkedom
  // re-serialises the page (Readability does so between attempts): make them plain spaces.
  out = out.replace(/\u00a0|&nbsp;|&#160;|&#xa0;/gi, ' ');
  for (let i = 0; i < out.length; i++) {
    const c = out.charCodeAt(i);
    if (c === 60 || c === 62 || c === 38) {
      markup += 1;
      if (markup > MARKUP_BUDGET) {
        out = out.slice(0, i);
        truncated = true;
        break;
      }
    }
  }
  return { html: out, scripts, truncated };
}

function rawParse(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

function hasBody(doc: Document): boolean {
  try {
    return doc.documentElement?.tagName === 'HTML' && doc.body !== null && doc.body !== undefined;
  } catch {
    return false;
  }
}

/** Gives the markup the <html>, <head> and <body> a browser would assume. */
function completeSkeleton(html: string): string {
  const body = HAS_BODY.test(html);
  const rest = html.replace(DOCTYPE, '');
  if (body) return HAS_HTML.test(html) ? html : `<!DOCTYPE html><html>${rest}</html>`;
  const headEnd = HAS_HEAD_END.exec(rest);
  if (headEnd !== null) {
    const head = rest.slice(0, headEnd.index + headEnd[0].length).replace(/<\/?html\b[^<>]{0,2000}>/gi, '');
    const after = rest.slice(headEnd.index + headEnd[0].length).replace(ROOT_TAGS, '');
    return `<!DOCTYPE html><html>${/<head[\s>]/i.test(head) ? head : `<head>${head}`}<body>${after}</body></html>`;
  }
  return `<!DOCTYPE html><html><head></head><body>${rest.replace(ROOT_TAGS, '')}</body></html>`;
}

/** Elements of interest by tag (lower-case local name) and by itemprop, in document order. */
export interface DocIndex {
  byTag(tag: string): readonly Element[];
  byItemprop(prop: string): readonly Element[];
}

/** Tags worth indexing: metadata, headline, images, links, and what is removed before Readability. */
const INDEXED = new Set([
  'meta', 'link', 'script', 'title', 'h1', 'img', 'a', 'base', 'time', 'header', 'footer', 'aside', 'form', 'ul', 'ol',
  'style', 'noscript', 'template', 'iframe', 'svg', 'canvas', 'object', 'embed', 'select', 'button', 'textarea', 'input', 'nav',
]);

/**
 * One walk over every element, without recursion: indexes the elements the extractor needs (so
 * no CSS selector has to scan the whole document again) and replaces every element nested deeper
 * than MAX_DEPTH by its text. Real pages nest a few dozen levels; ten thousand levels is an attack
 * or a broken generator.
 */
function indexAndFlatten(doc: Document): DocIndex {
  const tags = new Map<string, Element[]>();
  const props = new Map<string, Element[]>();
  const root = doc.documentElement;
  const stack: [Element, number][] = root !== null ? [[root, 0]] : [];
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    const [el, depth] = top;
    const tag = el.localName;
    if (INDEXED.has(tag)) {
      const list = tags.get(tag);
      if (list === undefined) tags.set(tag, [el]);
      else list.push(el);
    }
    const prop = el.getAttribute('itemprop');
    if (prop !== null) {
      for (const p of prop.toLowerCase().split(/\s+/)) {
        const list = props.get(p);
        if (list === undefined) props.set(p, [el]);
        else list.push(el);
      }
    }
    if (depth >= MAX_DEPTH) {
      const text = el.textContent ?? '';
      while (el.firstChild !== null) el.removeChild(el.firstChild);
      el.appendChild(doc.createTextNode(text));
      continue;
    }
    // Children pushed last-first so they pop in document order.
    for (let child = el.lastElementChild; child !== null; child = child.previousElementSibling) {
      stack.push([child, depth + 1]);
    }
  }
  const none: readonly Element[] = [];
  return {
    byTag: (tag) => tags.get(tag) ?? none,
    byItemprop: (prop) => props.get(prop.toLowerCase()) ?? none,
  };
}

/** Inside the story's own container (<article> or itemprop=articleBody)? */
function inStory(el: Element): boolean {
  for (let p: Element | null = el.parentElement; p !== null; p = p.parentElement) {
    if (p.localName === 'article' || /articlebody/i.test(p.getAttribute('itemprop') ?? '')) return true;
  }
  return false;
}

function holdsStory(el: Element): boolean {
  return el.querySelector('h1, article, [itemprop~="articleBody"]') !== null;
}

/** Non-space characters of a text. */
function solidLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 32) n += 1;
  return n;
}

/**
 * Removes page chrome Readability would only have to score and discard: page-level headers,
 * footers, asides and forms, and long lists that are nothing but links (menus, "popular"
 * boxes), outside the story's own container. Bylines and dates were read before this runs.
 */
export function pruneChrome(index: DocIndex): void {
  for (const tag of ['header', 'footer', 'aside', 'form']) {
    for (const el of index.byTag(tag)) {
      if (el.parentElement === null || inStory(el) || holdsStory(el)) continue;
      el.remove();
    }
  }
  for (const tag of ['ul', 'ol']) {
    for (const list of index.byTag(tag)) {
      if (list.parentElement === null || list.children.length < 6 || inStory(list)) continue;
      const total = solidLength(list.textContent ?? '');
      let linked = 0;
      for (const a of Array.from(list.getElementsByTagName('a'))) linked += solidLength(a.textContent ?? '');
      if (total === 0 || linked / total >= 0.9) list.remove();
    }
  }
}

/** Sets (or makes absolute) the document's <base href> so relative links resolve against the page URL. */
function injectBase(doc: Document, index: DocIndex, url: string | undefined): void {
  const existing = index.byTag('base').find((b) => b.hasAttribute('href')) ?? null;
  if (url === undefined) {
    // A relative <base> without a page URL resolves nothing; better none than a broken one.
    const href = existing?.getAttribute('href');
    if (existing !== null && href !== null && href !== undefined && !/^https?:\/\//i.test(href)) existing.remove();
    return;
  }
  let base = url;
  const href = existing?.getAttribute('href');
  if (href !== null && href !== undefined) {
    try {
      base = new URL(href, url).href;
    } catch {
      base = url;
    }
  }
  if (existing !== null) {
    existing.setAttribute('href', base);
    return;
  }
  const el = doc.createElement('base');
  el.setAttribute('href', base);
  const head = doc.head;
  head.insertBefore(el, head.firstChild);
}

export interface ParsedPage {
  doc: Document;
  index: DocIndex;
  /** Scripts cut from the page (not JSON-LD). */
  scripts: number;
  /** The page was too large and only its beginning was read. */
  truncated: boolean;
}

/**
 * Parses a page into a document with a head, a body, a base URL and bounded depth. Scripts,
 * styles and comments are cut first (JSON-LD kept), so the returned document never holds them.
 */
export function parseDocument(html: string, url?: string): ParsedPage {
  const prepared = prepareMarkup(html);
  const markup = prepared.html;
  let doc = rawParse(completeSkeleton(markup));
  if (!hasBody(doc)) {
    doc = rawParse(`<!DOCTYPE html><html><head></head><body>${markup.replace(DOCTYPE, '').replace(ROOT_TAGS, '')}</body></html>`);
  }
  const index = indexAndFlatten(doc);
  injectBase(doc, index, url);
  return { doc, index, scripts: prepared.scripts, truncated: prepared.truncated };
}

/** Absolute http(s) URL of a reference found on the page, or undefined. */
export function absoluteUrl(ref: string | null | undefined, base: string | undefined): string | undefined {
  if (ref === null || ref === undefined) return undefined;
  const r = ref.trim();
  if (r === '' || r.startsWith('data:') || r.startsWith('javascript:')) return undefined;
  try {
    const u = base !== undefined ? new URL(r, base) : new URL(r);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}
