/**
 * A tiny document tree for Telegram's HTML subset. Replies are built as trees, so that escaping is
 * done in one place (`toHtml`) and a long message can be cut at any text position into parts that
 * each close the tags open at the cut and reopen them in the next part: never mid-tag, never an
 * unbalanced part.
 *
 * Only tags Telegram accepts are representable: b, i, u, s, code, pre, blockquote, a (http/https
 * links only; anything else is shown as plain text).
 */

export type InlineTag = 'b' | 'i' | 'u' | 's' | 'code';
export type BlockTag = 'blockquote' | 'pre';

export type HtmlNode = string | HtmlElement;

export interface HtmlElement {
  tag: InlineTag | BlockTag | 'a';
  /** Only for `a`: an absolute http(s) URL. */
  href?: string;
  children: HtmlNode[];
}

/** `&`, `<`, `>` as entities (text content). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** `&`, `<`, `>`, `"` as entities (a double-quoted attribute value). */
export function escapeAttr(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

/**
 * Text made safe to send: CRLF to LF, control characters other than tab and newline removed, lone
 * UTF-16 surrogates (which are not valid UTF-8) replaced by U+FFFD.
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** An http(s) URL fit for an `href`, normalised by the URL parser; undefined otherwise. */
export function safeHref(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

export function el(tag: InlineTag | BlockTag, ...children: HtmlNode[]): HtmlElement {
  return { tag, children };
}

/** A link when the URL is a safe http(s) URL, else just the children. */
export function link(url: string | undefined, ...children: HtmlNode[]): HtmlNode[] {
  const href = safeHref(url);
  return href === undefined ? children : [{ tag: 'a', href, children }];
}

/** The text a reader sees (what Telegram counts against its 4096-character limit). */
export function plainText(nodes: readonly HtmlNode[]): string {
  let out = '';
  for (const n of nodes) out += typeof n === 'string' ? n : plainText(n.children);
  return out;
}

/** Elements in the tree (each becomes one message entity). */
export function countElements(nodes: readonly HtmlNode[]): number {
  let n = 0;
  for (const node of nodes) if (typeof node !== 'string') n += 1 + countElements(node.children);
  return n;
}

/** Serialises the tree as Telegram HTML; every text and attribute is escaped here. */
export function toHtml(nodes: readonly HtmlNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (typeof n === 'string') {
      out += escapeHtml(n);
      continue;
    }
    const open = n.tag === 'a' ? `<a href="${escapeAttr(n.href ?? '')}">` : `<${n.tag}>`;
    out += `${open}${toHtml(n.children)}</${n.tag}>`;
  }
  return out;
}

/**
 * The part of the tree whose text lies in [start, end) (offsets into `plainText(nodes)`), with
 * every element that overlaps the range kept around its share of the text. Elements left with no
 * text are dropped.
 */
export function sliceNodes(nodes: readonly HtmlNode[], start: number, end: number): HtmlNode[] {
  const out: HtmlNode[] = [];
  let pos = 0;
  for (const n of nodes) {
    const len = typeof n === 'string' ? n.length : plainText(n.children).length;
    const from = Math.max(start, pos);
    const to = Math.min(end, pos + len);
    if (from < to) {
      if (typeof n === 'string') out.push(n.slice(from - pos, to - pos));
      else {
        const children = sliceNodes(n.children, from - pos, to - pos);
        if (children.length > 0) out.push({ ...n, children });
      }
    }
    pos += len;
    if (pos >= end) break;
  }
  return out;
}
