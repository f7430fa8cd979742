/**
 * A Reply as one Discord embed plus components, within Discord's limits, always: the renderer
 * enforces them so that Discord never has to reject a message.
 *
 * Layout: the title links to the article; the meta line (outlet · time · place) stands above it as
 * the embed's author line; the first block is the description (the summary, or the list of found
 * stories); the other blocks (key quotes, related stories) are fields; the keywords are the footer.
 * Link buttons come from the Reply; action buttons and the story menu come from the adapter
 * (`RenderControls`), which knows how to route their custom ids back.
 *
 * Limits: title 256, description 4096, field name 256, field value 1024, 25 fields, footer 2048,
 * author 256, 6000 characters in all; custom ids 100, button labels 80, 5 buttons a row, 5 rows,
 * 25 menu options of label/value/description 100. Long text is cut at a sentence boundary with an
 * ellipsis (see text.ts); whole items (bullets, quotes, links) are kept together where they fit.
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APIStringSelectComponent,
} from 'discord.js';
import type { Reply, ReplyBlock, ReplyLink } from '../../core/reply.js';
import { cutText, ELLIPSIS } from './text.js';

export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  author: 256,
  total: 6000,
  url: 2048,
} as const;

export const COMPONENT_LIMITS = {
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  linkUrl: 512,
  selectOptions: 25,
  optionLabel: 100,
  optionValue: 100,
  optionDescription: 100,
  placeholder: 150,
} as const;

/** The footer gets at most this much of the 6000 (keywords are a line, not an essay). */
const FOOTER_BUDGET = 512;
/** A field is not worth starting with less room than this. */
const MIN_FIELD_VALUE = 40;
/** A blank field name (Discord refuses empty ones). */
const BLANK = '\u200b';

const COLORS = { reading: 0x1f8b4c, results: 0x2b6cb0, info: 0x5865f2, error: 0xd64545 } as const;

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export interface RenderedMessage {
  embeds: APIEmbed[];
  components: MessageRow[];
}

export interface RenderControls {
  /** Buttons whose custom ids the adapter routes back ("Ringkasan lengkap", "Kutipan lainnya", ...). */
  actions?: readonly { customId: string; label: string }[];
  /** A menu of stories to open. */
  select?: {
    customId: string;
    placeholder: string;
    options: readonly { label: string; value: string; description?: string }[];
  };
}

/** Characters Discord counts against the 6000 of a message's embeds. */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length + (embed.author?.name ?? '').length;
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/** Markdown-inert text: Discord shows it as written. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\*_~`|[\]])/g, '\\$1')
    .replace(/^(\s*)([#>-])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.');
}

/** An http(s) URL Discord accepts, or undefined. */
export function safeUrl(url: string | undefined, max: number = EMBED_LIMITS.url): string | undefined {
  if (url === undefined || url.length > max) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.href.length <= max ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** A URL that survives inside markdown's `[text](url)`. */
function markdownUrl(url: string): string {
  return url.replace(/[()<>\s]/g, (c) => encodeURIComponent(c));
}

/** One item of a block, rendered within a length budget ('' when it cannot fit at all). */
type Item = (max: number) => string;

function textItem(prefix: string, body: string, suffix = ''): Item {
  return (max) => {
    const whole = `${prefix}${body}${suffix}`;
    if (whole.length <= max) return whole;
    const room = max - prefix.length - suffix.length;
    return room < 2 ? '' : `${prefix}${cutText(body, room)}${suffix}`;
  };
}

function linkItem(link: ReplyLink, index: number | undefined): Item {
  const url = safeUrl(link.url);
  const title = escapeMarkdown(link.title.replace(/\s+/g, ' ').trim() || '—');
  const note = link.note !== undefined && link.note.trim() !== '' ? escapeMarkdown(link.note.replace(/\s+/g, ' ').trim()) : undefined;
  const num = index !== undefined ? `${index + 1}. ` : '';
  return (max) => {
    // Title line first; the note gets what is left, on its own line.
    const open = index !== undefined ? `**${num}` : '• ';
    const close = index !== undefined ? '**' : '';
    const linkPart = url !== undefined ? `](${markdownUrl(url)})` : '';
    const fixed = open.length + close.length + (url !== undefined ? 1 + linkPart.length : 0);
    const titleRoom = max - fixed;
    if (titleRoom < 8) {
      // No room for the link: the title alone, if even that fits.
      const plain = `${open}${cutText(title, Math.max(max - open.length - close.length, 0))}${close}`;
      return plain.length <= max && max - open.length - close.length >= 2 ? plain : '';
    }
    const shownTitle = cutText(title, Math.min(titleRoom, 200));
    const head = url !== undefined ? `${open}[${shownTitle}${linkPart}${close}` : `${open}${shownTitle}${close}`;
    if (note === undefined) return head;
    const noteRoom = max - head.length - 1;
    if (noteRoom < 20) return head;
    return `${head}\n${cutText(note, noteRoom)}`;
  };
}

function blockItems(block: ReplyBlock, numbered: boolean): Item[] {
  switch (block.type) {
    case 'text':
      return block.text
        .split('\n')
        .map((line) => line.trimEnd())
        .map((line) => textItem('', line === '' ? BLANK : escapeMarkdown(line)));
    case 'bullets': {
      const items = block.items.map((b) => textItem('• ', escapeMarkdown(b.trim())));
      // The kind of summary, small and last: it is the first thing dropped when room runs out.
      if (block.note !== undefined && block.note.trim() !== '') items.push(textItem('*', escapeMarkdown(block.note.trim()), '*'));
      return items;
    }
    case 'quotes':
      return block.items.map((q) => {
        const speaker = q.speaker !== null && q.speaker.trim() !== '' ? `\n— *${escapeMarkdown(cutText(q.speaker.trim(), 120))}*` : '';
        return textItem('> “', escapeMarkdown(q.text.replace(/\s+/g, ' ').trim()), `”${speaker}`);
      });
    case 'links':
      return block.items.map((l, i) => linkItem(l, numbered ? i : undefined));
  }
}

/**
 * Packs items (joined by newlines) into at most `max` characters under an optional bold heading.
 * Returns the text and how many items it used; an item too long for an empty section is cut.
 */
function pack(items: readonly Item[], max: number, heading?: string): { text: string; used: number } {
  let text = heading !== undefined && heading.length + 4 < max ? `**${heading}**` : '';
  let used = 0;
  for (const item of items) {
    const sep = text === '' ? '' : '\n';
    const room = max - text.length - sep.length;
    if (room <= 0) break;
    const whole = item(Number.POSITIVE_INFINITY);
    if (whole.length <= room) {
      text += sep + whole;
      used++;
      continue;
    }
    if (used === 0) {
      const cut = item(room);
      if (cut !== '') {
        text += sep + cut;
        used++;
      }
    }
    break;
  }
  return { text, used };
}

function headingOf(block: ReplyBlock): string | undefined {
  return block.heading !== undefined && block.heading.trim() !== '' ? escapeMarkdown(block.heading.trim()) : undefined;
}

function buildEmbed(reply: Reply): APIEmbed {
  const embed: APIEmbed = { color: COLORS[reply.kind] };
  let budget = EMBED_LIMITS.total;

  if (reply.title !== undefined && reply.title.trim() !== '') {
    embed.title = cutText(reply.title.replace(/\s+/g, ' ').trim(), EMBED_LIMITS.title);
    budget -= embed.title.length;
    const url = safeUrl(reply.url);
    if (url !== undefined) embed.url = url;
  }
  if (reply.meta !== undefined && reply.meta.trim() !== '') {
    embed.author = { name: cutText(reply.meta.replace(/\s+/g, ' ').trim(), EMBED_LIMITS.author) };
    budget -= embed.author.name.length;
  }
  if (reply.footer !== undefined && reply.footer.trim() !== '') {
    embed.footer = { text: cutText(reply.footer.trim(), Math.min(EMBED_LIMITS.footer, FOOTER_BUDGET)) };
    budget -= embed.footer.text.length;
  }

  const [first, ...rest] = reply.blocks;
  if (first !== undefined) {
    const items = blockItems(first, reply.kind === 'results');
    const max = Math.min(EMBED_LIMITS.description, budget);
    const { text, used } = pack(items, max, headingOf(first));
    let description = text;
    // Whole items left out: say so with an ellipsis line when it fits.
    if (used < items.length && description !== '' && description.length + 2 <= max) description += `\n${ELLIPSIS}`;
    if (description.trim() !== '') {
      embed.description = description;
      budget -= description.length;
    }
  }

  const fields: APIEmbedField[] = [];
  outer: for (const block of rest) {
    let items = blockItems(block, false);
    // Field names are bold by themselves: the heading is the name, not part of the value.
    const heading = headingOf(block);
    let name = heading !== undefined ? cutText(heading, EMBED_LIMITS.fieldName) : BLANK;
    while (items.length > 0) {
      if (fields.length >= EMBED_LIMITS.fields) break outer;
      const room = Math.min(EMBED_LIMITS.fieldValue, budget - name.length);
      if (room < MIN_FIELD_VALUE) break outer;
      const { text, used } = pack(items, room);
      if (used === 0 || text.trim() === '') break outer;
      fields.push({ name, value: text });
      budget -= name.length + text.length;
      items = items.slice(used);
      name = BLANK;
    }
  }
  if (fields.length > 0) embed.fields = fields;

  // An embed needs something to show.
  if (embed.title === undefined && embed.description === undefined && fields.length === 0 && embed.footer === undefined) {
    embed.description = ELLIPSIS;
  }
  return embed;
}

function buildComponents(reply: Reply, controls: RenderControls): MessageRow[] {
  const rows: MessageRow[] = [];
  const select = controls.select !== undefined ? buildSelect(controls.select) : undefined;
  const maxButtonRows = COMPONENT_LIMITS.rows - (select !== undefined ? 1 : 0);

  const buttons: APIButtonComponent[] = [];
  const seenUrls = new Set<string>();
  for (const b of reply.buttons) {
    const url = safeUrl(b.url, COMPONENT_LIMITS.linkUrl);
    if (url === undefined || seenUrls.has(url)) continue;
    seenUrls.add(url);
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Link, url, label: cutText(b.label.trim() || '↗', COMPONENT_LIMITS.buttonLabel) });
  }
  // Custom ids are unique within a message; the menu keeps its own.
  const seenIds = new Set<string>(select !== undefined ? [select.custom_id] : []);
  for (const a of controls.actions ?? []) {
    if (a.customId === '' || a.customId.length > COMPONENT_LIMITS.customId || seenIds.has(a.customId)) continue;
    seenIds.add(a.customId);
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: a.customId, label: cutText(a.label.trim() || '…', COMPONENT_LIMITS.buttonLabel) });
  }
  for (let i = 0; i < buttons.length && rows.length < maxButtonRows; i += COMPONENT_LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + COMPONENT_LIMITS.buttonsPerRow) });
  }
  if (select !== undefined) rows.push({ type: ComponentType.ActionRow, components: [select] });
  return rows;
}

function buildSelect(spec: NonNullable<RenderControls['select']>): APIStringSelectComponent | undefined {
  if (spec.customId === '' || spec.customId.length > COMPONENT_LIMITS.customId) return undefined;
  const options: APIStringSelectComponent['options'] = [];
  const values = new Set<string>();
  for (const o of spec.options) {
    if (options.length >= COMPONENT_LIMITS.selectOptions) break;
    if (o.value === '' || o.value.length > COMPONENT_LIMITS.optionValue || values.has(o.value)) continue;
    values.add(o.value);
    const label = cutText(o.label.replace(/\s+/g, ' ').trim() || '—', COMPONENT_LIMITS.optionLabel);
    const description = o.description !== undefined ? cutText(o.description.replace(/\s+/g, ' ').trim(), COMPONENT_LIMITS.optionDescription) : '';
    options.push({ label, value: o.value, ...(description !== '' ? { description } : {}) });
  }
  if (options.length === 0) return undefined;
  return {
    type: ComponentType.StringSelect,
    custom_id: spec.customId,
    placeholder: cutText(spec.placeholder.trim() || '…', COMPONENT_LIMITS.placeholder),
    min_values: 1,
    max_values: 1,
    options,
  };
}

/** The Reply as a Discord message body (embeds and components), within every limit. */
export function renderReply(reply: Reply, controls: RenderControls = {}): RenderedMessage {
  return { embeds: [buildEmbed(reply)], components: buildComponents(reply, controls) };
}
