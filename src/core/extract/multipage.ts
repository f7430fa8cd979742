/**
 * Articles split over several pages. Tribun and Kompas offer the whole story at `?page=all`
 * ("Tampilkan semua"); detik and Okezone number their pages ("Halaman selanjutnya", "2", "3").
 * nextPagesOf() finds the further pages on the first page; mergePages() joins the pages read.
 */
import type { Article, ArticleLink } from '../article-types.js';
import { absoluteUrl, type DocIndex } from './dom.js';
import { detectLanguage } from './language.js';
import { cleanText, textKey } from './text.js';

/** At most this many further pages are listed. */
export const MAX_NEXT_PAGES = 10;

const PAGE_PARAMS = ['page', 'p', 'hal', 'halaman', 'pg', 'paged'];
const SHOW_ALL_TEXT = /^(?:tampilkan|lihat|baca)\s+(?:semua|semuanya|selengkapnya|dalam\s+satu\s+halaman|full)|^show\s+all|^(?:satu|single)\s+(?:halaman|page)/i;
const NEXT_TEXT = /^(?:halaman\s+)?(?:selanjutnya|berikutnya|next)(?:\s+(?:halaman|page))?\s*[»>›]*$|^[»>›]{1,2}$|^next\s+page/i;

interface PageLink {
  url: string;
  number?: number;
  showAll: boolean;
  next: boolean;
}

function stripTrailingSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** The page number a link points to, when it is another page of the same article. */
function pageOf(u: URL, base: URL): { number?: number; showAll: boolean } | undefined {
  if (u.origin !== base.origin) return undefined;
  const basePath = stripTrailingSlash(base.pathname);
  const path = stripTrailingSlash(u.pathname);
  if (path === basePath) {
    for (const name of PAGE_PARAMS) {
      const v = u.searchParams.get(name);
      if (v === null) continue;
      if (/^(?:all|semua|full)$/i.test(v)) return { showAll: true };
      if (/^\d{1,3}$/.test(v)) return { number: Number(v), showAll: false };
    }
    if (u.searchParams.get('single') === '1' || u.searchParams.get('showall') === '1') return { showAll: true };
    return undefined;
  }
  // "/read/2024/01/02/slug/2" or "/slug-2" style numbered pages.
  if (path.startsWith(`${basePath}/`)) {
    const rest = path.slice(basePath.length + 1);
    if (/^\d{1,3}$/.test(rest)) return { number: Number(rest), showAll: false };
    if (/^(?:all|semua)$/i.test(rest)) return { showAll: true };
  }
  return undefined;
}

/** The current page's own number (1 when it says none). */
function currentPage(base: URL): number {
  for (const name of PAGE_PARAMS) {
    const v = base.searchParams.get(name);
    if (v !== null && /^\d{1,3}$/.test(v)) return Number(v);
  }
  return 1;
}

/** Strips the current page's own page marker so sibling pages compare against the article's root. */
function articleRoot(url: URL): URL {
  const root = new URL(url.href);
  for (const name of PAGE_PARAMS) root.searchParams.delete(name);
  root.searchParams.delete('single');
  root.hash = '';
  const m = /^(.*\/[^/]+)\/\d{1,3}\/?$/.exec(root.pathname);
  if (m?.[1] !== undefined && /\/(?:read|berita|news|\d{4})\//.test(root.pathname)) root.pathname = m[1];
  return root;
}

/**
 * Further pages of the article shown in `doc` (before Readability, which drops pagination):
 * the "show all" page when there is one, else the numbered/next pages after this one, in order.
 */
export function nextPagesOf(index: DocIndex, pageUrl: string | undefined): string[] | undefined {
  if (pageUrl === undefined) return undefined;
  let base: URL;
  try {
    base = new URL(pageUrl);
  } catch {
    return undefined;
  }
  if (PAGE_PARAMS.some((p) => /^(?:all|semua|full)$/i.test(base.searchParams.get(p) ?? '')) || base.searchParams.get('single') === '1') return undefined;
  const root = articleRoot(base);
  const here = currentPage(base);
  const found: PageLink[] = [];
  const anchors = index.byTag('a');
  const limit = Math.min(anchors.length, 5000);
  for (let i = 0; i < limit; i++) {
    const a = anchors[i];
    if (a === undefined) continue;
    const href = absoluteUrl(a.getAttribute('href'), pageUrl);
    if (href === undefined) continue;
    let u: URL;
    try {
      u = new URL(href);
    } catch {
      continue;
    }
    const page = pageOf(u, root);
    if (page === undefined) continue;
    u.hash = '';
    const text = cleanText(a.textContent ?? '');
    found.push({
      url: u.href,
      showAll: page.showAll || SHOW_ALL_TEXT.test(text),
      next: NEXT_TEXT.test(text),
      ...(page.number !== undefined ? { number: page.number } : {}),
    });
  }
  if (found.length === 0) return undefined;
  const all = found.find((f) => f.showAll);
  if (all !== undefined) return [all.url];
  const numbered = new Map<number, string>();
  for (const f of found) {
    if (f.number !== undefined && f.number > here && !numbered.has(f.number)) numbered.set(f.number, f.url);
  }
  const ordered = [...numbered.entries()].sort((a, b) => a[0] - b[0]).map(([, url]) => url);
  if (ordered.length === 0) {
    const next = found.find((f) => f.next);
    return next !== undefined ? [next.url] : undefined;
  }
  return ordered.slice(0, MAX_NEXT_PAGES);
}

/**
 * One article from its pages: the first page's metadata, the paragraphs of all pages in order
 * with repeats removed (a `?page=all` page repeats the first page entirely), links of all pages.
 */
export function mergePages(first: Article, rest: readonly Article[]): Article {
  const seen = new Set<string>();
  const paragraphs: string[] = [];
  for (const page of [first, ...rest]) {
    for (const p of page.paragraphs) {
      const key = textKey(p);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      paragraphs.push(p);
    }
  }
  const links: ArticleLink[] = [];
  const seenLinks = new Set<string>();
  for (const page of [first, ...rest]) {
    for (const link of page.links) {
      const key = link.url ?? textKey(link.title);
      if (seenLinks.has(key)) continue;
      seenLinks.add(key);
      links.push(link);
    }
  }
  const { nextPages: _next, ...meta } = first;
  const merged: Article = { ...meta, paragraphs, links, language: detectLanguage(paragraphs.join('\n')) };
  for (const page of rest) {
    if (merged.byline === undefined && page.byline !== undefined) merged.byline = page.byline;
    if (merged.editor === undefined && page.editor !== undefined) merged.editor = page.editor;
  }
  return merged;
}
