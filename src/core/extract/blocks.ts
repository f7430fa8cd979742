/**
 * The unit the boilerplate rules work on: a block of text (a paragraph, a heading, a list item, a
 * line of pasted text, a caption) or an image, with what the markup says about it.
 */
import { absoluteUrl } from './dom.js';
import { cleanText } from './text.js';

export type BlockKind = 'text' | 'heading' | 'item' | 'caption' | 'image';

export interface Block {
  kind: BlockKind;
  /** Cleaned text (empty for images). */
  text: string;
  /** How many of the text's characters sit inside links (0 for pasted text). */
  linkChars: number;
  /** The first link's absolute URL, when the block has one. */
  href?: string;
  /** Image source, for image blocks. */
  src?: string;
}

/** Share of a block's text that is link text. */
export function linkDensity(block: Block): number {
  return block.text.length === 0 ? 0 : Math.min(1, block.linkChars / block.text.length);
}

const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BR', 'CAPTION', 'CENTER', 'DD', 'DETAILS', 'DIALOG', 'DIV', 'DL',
  'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR',
  'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL',
]);
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'BUTTON', 'SELECT', 'OPTION', 'TEXTAREA', 'INPUT']);
const HEADINGS = new Set(['H1', 'H2', 'H3', 'H4', 'H5', 'H6']);
const ITEMS = new Set(['LI', 'DT', 'DD']);

/** Class or id naming a caption, a credit or a photo box. */
const CAPTION_HINT = /caption|keterangan|ket-?foto|ket_foto|credit|copyright|photo-?desc|img-?desc|foto-?(?:text|desc|ket)|image-?desc|wp-caption/i;
const IMAGE_BOX_HINT = /(?:^|[-_\s])(?:img|image|images|foto|photo|pic|picture|figure|media|gambar|thumb|headlineimg)(?:$|[-_\s])|headlineimg|pic_artikel|image_news/i;

function hintOf(el: Element): string {
  return `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
}

/**
 * The box an image sits in, when that box holds only the image and its caption: a <figure>, or
 * the nearest ancestor with text whose class or id names a picture.
 */
function captionBoxes(root: Element): Set<Element> {
  const boxes = new Set<Element>();
  const imgs = Array.from(root.querySelectorAll('img'));
  for (const img of imgs.slice(0, 200)) {
    const figure = img.closest('figure');
    if (figure !== null && root.contains(figure)) {
      boxes.add(figure);
      continue;
    }
    let box: Element | null = img.parentElement;
    let hinted = false;
    for (let i = 0; box !== null && box !== root && i < 6; i++) {
      if (IMAGE_BOX_HINT.test(hintOf(box))) hinted = true;
      const text = box.textContent ?? '';
      if (text.trim() !== '') break;
      box = box.parentElement;
    }
    if (box === null || box === root) continue;
    if (!hinted && !IMAGE_BOX_HINT.test(hintOf(box))) continue;
    if ((box.textContent ?? '').length <= 600) boxes.add(box);
  }
  return boxes;
}

type Frame = { node: Node; exit: false } | { node: Element; exit: true };

/**
 * Flattens an element (Readability's article content) into blocks, in reading order, without
 * recursion. Line breaks separate blocks, as paragraphs do.
 */
export function domBlocks(root: Element, baseUrl: string | undefined): Block[] {
  const blocks: Block[] = [];
  const boxes = captionBoxes(root);
  const captions = new Set<Element>();
  let raw = '';
  let linkChars = 0;
  let href: string | undefined;
  let inLink = 0;
  let inCaption = 0;
  const kinds: BlockKind[] = [];

  const flush = (): void => {
    const text = cleanText(raw);
    if (text !== '') {
      let kind: BlockKind = kinds.length > 0 ? (kinds[kinds.length - 1] ?? 'text') : 'text';
      if (inCaption > 0) kind = 'caption';
      const block: Block = { kind, text, linkChars: Math.min(linkChars, text.length) };
      if (href !== undefined) block.href = href;
      blocks.push(block);
    }
    raw = '';
    linkChars = 0;
    href = undefined;
  };

  const stack: Frame[] = [{ node: root, exit: false }];
  while (stack.length > 0) {
    const frame = stack.pop();
    if (frame === undefined) break;
    const node = frame.node;
    if (frame.exit) {
      const el = frame.node;
      const tag = el.tagName;
      if (tag === 'A') inLink -= 1;
      if (BLOCK_TAGS.has(tag)) flush();
      if (HEADINGS.has(tag) || ITEMS.has(tag)) kinds.pop();
      if (captions.has(el)) inCaption -= 1;
      continue;
    }
    if (node.nodeType === 3) {
      const data = (node as Text).data;
      raw += data;
      if (inLink > 0) linkChars += cleanText(data).length;
      continue;
    }
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    const tag = el.tagName;
    if (SKIP_TAGS.has(tag)) continue;
    if (tag === 'IMG') {
      flush();
      const src = absoluteUrl(el.getAttribute('src') ?? el.getAttribute('data-src') ?? el.getAttribute('data-original'), baseUrl);
      if (src !== undefined) blocks.push({ kind: 'image', text: '', linkChars: 0, src });
      continue;
    }
    if (tag === 'BR' || tag === 'HR') {
      flush();
      continue;
    }
    if (BLOCK_TAGS.has(tag)) flush();
    if (HEADINGS.has(tag)) kinds.push('heading');
    else if (ITEMS.has(tag)) kinds.push('item');
    if (tag === 'A') {
      inLink += 1;
      if (href === undefined) {
        const h = absoluteUrl(el.getAttribute('href'), baseUrl);
        if (h !== undefined) href = h;
      }
    }
    // A caption box: <figcaption>, an image's own box, or a short element whose class says so
    // (a long one is a wrapper that happens to be named so, not a caption).
    if (tag === 'FIGCAPTION' || boxes.has(el) || (CAPTION_HINT.test(hintOf(el)) && (el.textContent ?? '').length <= 600)) {
      captions.add(el);
      inCaption += 1;
    }
    stack.push({ node: el, exit: true });
    for (let c = el.lastChild; c !== null; c = c.previousSibling) stack.push({ node: c, exit: false });
  }
  flush();
  return blocks;
}

/** Characters of a text that are not whitespace. */
function solidLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 32) n += 1;
  return n;
}

/**
 * The element holding the most paragraph text (each paragraph counts fully for its parent and
 * half for its grandparent): a linear stand-in for Readability on pages too large for it.
 */
export function largestTextContainer(root: Element): Element {
  const scores = new Map<Element, number>();
  const add = (el: Element | null, n: number): void => {
    if (el !== null) scores.set(el, (scores.get(el) ?? 0) + n);
  };
  for (const p of Array.from(root.getElementsByTagName('p'))) {
    const n = solidLength(p.textContent ?? '');
    if (n < 25) continue;
    add(p.parentElement, n);
    add(p.parentElement?.parentElement ?? null, n / 2);
  }
  let best = root;
  let bestScore = 0;
  for (const [el, score] of scores) {
    if (score > bestScore && root.contains(el)) {
      best = el;
      bestScore = score;
    }
  }
  return best;
}
