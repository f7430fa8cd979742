/**
 * The platform-neutral Reply model. A command returns a Reply; each adapter renders it within its
 * platform's limits (Discord embeds, Telegram HTML, the console's plain text).
 */
import type { ErrorCode } from './errors.js';
import type { Locale } from './messages.js';

export interface ReplyQuote {
  text: string;
  speaker: string | null;
}

export interface ReplyLink {
  title: string;
  url?: string;
  /** A short note after the link: outlet, time, score. */
  note?: string;
}

export type ReplyBlock =
  | { type: 'text'; heading?: string; text: string }
  | {
      type: 'bullets';
      heading?: string;
      items: string[];
      /** Small print under the items: what kind of summary they are ("Ringkasan AI, diperiksa terhadap artikel"). */
      note?: string;
    }
  | { type: 'quotes'; heading?: string; items: ReplyQuote[] }
  | { type: 'links'; heading?: string; items: ReplyLink[] };

export interface ReplyButton {
  /** Stable action id the adapter routes back to the command ("more-quotes:<key>"), or absent for a URL button. */
  action?: string;
  url?: string;
  label: string;
}

export interface Reply {
  locale: Locale;
  /** What kind of answer this is; adapters may style errors differently. */
  kind: 'reading' | 'results' | 'info' | 'error';
  title?: string;
  /** The title links here. */
  url?: string;
  /** One line under the title: outlet · published time · dateline. */
  meta?: string;
  blocks: ReplyBlock[];
  /** Small print: keywords, the kind of summary. */
  footer?: string;
  /** A reading's kind of summary, when abstractive summaries are configured. */
  summaryKind?: 'extractive' | 'abstractive';
  buttons: ReplyButton[];
  /** Set on error replies. */
  error?: { code: ErrorCode; message: string };
}

export function errorReply(code: ErrorCode, message: string, locale: Locale): Reply {
  return { locale, kind: 'error', blocks: [{ type: 'text', text: message }], buttons: [], error: { code, message } };
}

export function infoReply(locale: Locale, text: string, title?: string): Reply {
  return { locale, kind: 'info', ...(title !== undefined ? { title } : {}), blocks: [{ type: 'text', text }], buttons: [] };
}
