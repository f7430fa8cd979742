/**
 * Blocks -> the parts of an article: body paragraphs, links, byline, editor, lead caption and
 * credit, dateline. Shared by HTML pages (blocks from Readability's content) and pasted text
 * (blocks from lines), so both know the same boilerplate (rules.ts).
 *
 * The story starts at its dateline ("PYONGYANG, TRIBUNAMBON.COM - ...") or, when there is none,
 * at the first paragraph of prose; what comes before it is the page's head (section label,
 * headline, standfirst, byline, photo and caption) and is never body. The story ends at its
 * sign-off ("(fyk/ash)", "...(*)") or at chrome that only follows a story (copyright).
 */
import type { ArticleLink, Dateline } from '../article-types.js';
import { linkDensity, type Block } from './blocks.js';
import { parseDateline } from './dateline.js';
import { findHumanDate, isDateOnly, type DateParts } from './dates.js';
import { endsWithSignoff, labelSegments, matchRule, splitCredit, type RuleMatch } from './rules.js';
import { countWords, endsLikeSentence, isProse, textKey } from './text.js';

export interface AssembleOptions {
  /** The headline when already known (from the page's metadata or the caller). */
  title?: string;
  /** Pasted text: the first title-like line is the headline and there is no link markup. */
  fromText?: boolean;
}

export interface Assembled {
  title?: string;
  paragraphs: string[];
  links: ArticleLink[];
  byline?: string;
  editor?: string;
  dateline?: Dateline;
  imageSrc?: string;
  caption?: string;
  credit?: string;
  /** A date printed as a line of its own before the story. */
  printedDate?: DateParts;
}

type Role =
  | { type: 'image' }
  | { type: 'rule'; match: RuleMatch }
  | { type: 'labels'; matches: RuleMatch[] }
  | { type: 'caption' }
  | { type: 'credit'; credit: string }
  | { type: 'date' }
  | { type: 'title' }
  | { type: 'linky' }
  | { type: 'text' };

function roleOf(block: Block, titleKey: string | undefined): Role {
  if (block.kind === 'image') return { type: 'image' };
  const t = block.text;
  const segments = labelSegments(t);
  if (segments !== undefined) return { type: 'labels', matches: segments };
  const match = matchRule(t);
  if (match !== undefined) return { type: 'rule', match };
  if (titleKey !== undefined && titleKey !== '' && textKey(t) === titleKey) return { type: 'title' };
  if (block.kind === 'caption') return { type: 'caption' };
  const credit = t.length <= 200 ? splitCredit(t) : undefined;
  if (credit !== undefined && credit.caption === '') return { type: 'credit', credit: credit.credit };
  if (isDateOnly(t)) return { type: 'date' };
  if (block.linkChars > 0 && linkDensity(block) >= 0.6) return { type: 'linky' };
  return { type: 'text' };
}

/** Short, not prose, not a sentence: a headline or a label. */
function titleLike(text: string): boolean {
  const n = countWords(text, 40);
  return n >= 3 && n <= 30 && !/[.,;:]$/.test(text) && text.length <= 250;
}

/** Where the story starts: its dateline paragraph, else its first paragraph of prose. */
function findStart(blocks: readonly Block[], roles: readonly Role[], skip: number): number {
  let seenText = 0;
  for (let i = skip; i < blocks.length && seenText < 25; i++) {
    if (roles[i]?.type !== 'text') continue;
    seenText += 1;
    const d = parseDateline(blocks[i]?.text ?? '');
    if (d !== undefined && d.rest.length >= 20) return i;
  }
  for (let i = skip; i < blocks.length; i++) {
    if (roles[i]?.type === 'text' && isProse(blocks[i]?.text ?? '')) return i;
  }
  for (let i = skip; i < blocks.length; i++) if (roles[i]?.type === 'text') return i;
  return blocks.length;
}

/** "Jakarta -" alone on a line before the first paragraph (detik): join it to that paragraph. */
function mergeLoneDatelines(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b === undefined) continue;
    const next = blocks[i + 1];
    if (b.kind !== 'image' && next !== undefined && next.kind !== 'image' && b.text.length <= 90) {
      const probe = parseDateline(`${b.text} X`);
      if (probe !== undefined && probe.rest === 'X' && !isDateOnly(next.text) && isProse(next.text)) {
        out.push({ ...next, text: `${b.text} ${next.text}`, linkChars: next.linkChars });
        i += 1;
        continue;
      }
    }
    out.push(b);
  }
  return out;
}

const CAPTION_LEAD = /^(?:foto|ilustrasi|tangkapan\s+layar|screenshot|suasana|potret)\b/iu;

export function assemble(input: readonly Block[], opts: AssembleOptions = {}): Assembled {
  const blocks = mergeLoneDatelines([...input]);
  const out: Assembled = { paragraphs: [], links: [] };
  let titleKey = opts.title !== undefined ? textKey(opts.title) : undefined;
  let roles = blocks.map((b) => roleOf(b, titleKey));

  // Pasted text: a section label ("Global") may precede the headline, which is the first title-like line.
  let skip = 0;
  if (opts.fromText === true && opts.title === undefined) {
    for (let i = 0; i < Math.min(blocks.length, 4); i++) {
      const b = blocks[i];
      if (b === undefined || roles[i]?.type !== 'text') continue;
      if (parseDateline(b.text) !== undefined) break;
      if (countWords(b.text, 3) <= 2 && !endsLikeSentence(b.text)) continue; // a section label
      if (titleLike(b.text) && i + 1 < blocks.length) {
        out.title = b.text;
        titleKey = textKey(b.text);
        roles = blocks.map((bb) => roleOf(bb, titleKey));
        skip = i + 1;
      }
      break;
    }
  }

  const start = findStart(blocks, roles, skip);
  const seen = new Set<string>();
  const addLink = (title: string, url: string | undefined): void => {
    const t = title.replace(/^[\s:»>\-–—]+/u, '').trim();
    if (t === '' || out.links.some((l) => l.title === t)) return;
    out.links.push(url !== undefined ? { title: t, url } : { title: t });
  };
  const applyLabel = (m: RuleMatch): boolean => {
    if (m.rule.action === 'editor') {
      out.editor ??= m.value;
      return true;
    }
    if (m.rule.action === 'byline') {
      out.byline ??= m.value;
      return true;
    }
    return false;
  };

  // --- the page's head, before the story -----------------------------------------------------
  let pendingCaptionAfterCredit = false;
  for (let i = 0; i < start; i++) {
    const b = blocks[i];
    const role = roles[i];
    if (b === undefined || role === undefined) continue;
    switch (role.type) {
      case 'image':
        if (out.imageSrc === undefined && b.src !== undefined) out.imageSrc = b.src;
        break;
      case 'labels':
        role.matches.forEach(applyLabel);
        break;
      case 'rule': {
        const m = role.match;
        if (applyLabel(m)) break;
        if (m.rule.action === 'link') addLink(m.value, b.href);
        else if (m.rule.action === 'credit') {
          out.credit ??= m.value;
          pendingCaptionAfterCredit = out.caption === undefined;
        }
        break;
      }
      case 'credit':
        out.credit ??= role.credit;
        pendingCaptionAfterCredit = out.caption === undefined;
        // Caption printed before its credit.
        {
          const prev = blocks[i - 1];
          if (out.caption === undefined && prev !== undefined && roles[i - 1]?.type === 'text' && isProse(prev.text) && !isStandfirst(blocks, i - 1, start)) {
            out.caption = prev.text;
            pendingCaptionAfterCredit = false;
          }
        }
        break;
      case 'caption': {
        if (out.caption === undefined) setCaption(out, b.text);
        break;
      }
      case 'date': {
        const d = findHumanDate(b.text);
        if (d !== undefined) out.printedDate ??= d;
        break;
      }
      case 'text':
        if (pendingCaptionAfterCredit && !isStandfirst(blocks, i, start)) {
          setCaption(out, b.text);
          pendingCaptionAfterCredit = false;
        } else if (out.caption === undefined && out.imageSrc !== undefined && roles[i - 1]?.type === 'image') {
          // Text right under the lead picture, ending in a credit, is its caption.
          const split = splitCredit(b.text);
          if (split !== undefined) setCaption(out, b.text);
        }
        break;
      default:
        break;
    }
  }

  // --- the story ------------------------------------------------------------------------------
  let consuming: 'links' | 'related' | undefined;
  let ended = false;
  let skipCaptionAfterCredit = false;
  for (let i = start; i < blocks.length; i++) {
    const b = blocks[i];
    const role = roles[i];
    if (b === undefined || role === undefined) continue;
    if (ended) {
      if (role.type === 'labels') role.matches.forEach(applyLabel);
      else if (role.type === 'rule') applyLabel(role.match);
      continue;
    }
    if (consuming !== undefined) {
      const itemLike = role.type === 'linky'
        || (b.kind === 'item' && !isProse(b.text))
        || (b.linkChars === 0 && role.type === 'text' && titleLike(b.text) && (opts.fromText === true || b.kind !== 'text'));
      if (itemLike) {
        if (consuming === 'links') addLink(b.text, b.href);
        continue;
      }
      consuming = undefined;
    }
    if (skipCaptionAfterCredit) {
      skipCaptionAfterCredit = false;
      if (role.type === 'text' && CAPTION_LEAD.test(b.text)) continue;
    }
    switch (role.type) {
      case 'image':
      case 'title':
      case 'date':
      case 'caption':
      case 'linky':
        continue;
      case 'labels':
        role.matches.forEach(applyLabel);
        continue;
      case 'credit':
        if (splitCredit(b.text, 'photo') === undefined && out.paragraphs.length > 0) {
          // "(Antara)" alone after the story: its source line, kept like a sign-off.
          out.paragraphs.push(b.text);
          ended = true;
        } else {
          skipCaptionAfterCredit = true;
        }
        continue;
      case 'rule': {
        const m = role.match;
        if (applyLabel(m)) continue;
        switch (m.rule.action) {
          case 'link':
            addLink(m.value, b.href);
            continue;
          case 'linkHeading':
            consuming = 'links';
            continue;
          case 'relatedHeading':
            consuming = 'related';
            continue;
          case 'credit':
            skipCaptionAfterCredit = true;
            continue;
          case 'signoff':
            if (splitCredit(b.text, 'photo')?.caption === '') {
              skipCaptionAfterCredit = true; // "(ist)", "(dok)": a photo credit, not initials
            } else if (out.paragraphs.length > 0) {
              out.paragraphs.push(b.text);
              ended = true;
            }
            continue;
          case 'end':
            ended = true;
            continue;
          default:
            continue;
        }
      }
      case 'text':
        break;
    }
    // A picture's caption in the middle of the story ("... (ANTARA FOTO/Budi Setya)", ".../©KapanLagi.com®/...").
    if (countWords(b.text, 90) < 90 && splitCredit(b.text, 'photo') !== undefined) continue;
    const key = textKey(b.text);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.paragraphs.push(b.text);
    if (endsWithSignoff(b.text)) ended = true;
  }

  dropStandfirst(out);
  const first = out.paragraphs[0];
  if (first !== undefined) {
    const d = parseDateline(first);
    if (d !== undefined) out.dateline = d.dateline;
  }
  return out;
}

function setCaption(out: Assembled, text: string): void {
  const split = splitCredit(text, 'loose');
  if (split !== undefined) {
    if (split.caption !== '') out.caption = split.caption;
    out.credit ??= split.credit;
  } else {
    out.caption = text;
  }
}

/** A paragraph before the story that the story's first paragraph repeats (a standfirst). */
function isStandfirst(blocks: readonly Block[], i: number, start: number): boolean {
  const key = textKey(blocks[i]?.text ?? '');
  if (key.length < 20) return false;
  for (let j = start; j < Math.min(blocks.length, start + 3); j++) {
    if (textKey(blocks[j]?.text ?? '').includes(key)) return true;
  }
  return false;
}

/** A lead paragraph repeated as the start of a later one is a standfirst, not a paragraph. */
function dropStandfirst(out: Assembled): void {
  const first = out.paragraphs[0];
  if (first === undefined || out.paragraphs.length < 2) return;
  const key = textKey(first);
  if (key.length < 20 || !endsLikeSentence(first)) return;
  for (let j = 1; j < Math.min(out.paragraphs.length, 6); j++) {
    if (textKey(out.paragraphs[j] ?? '').includes(key)) {
      out.paragraphs.shift();
      return;
    }
  }
}
