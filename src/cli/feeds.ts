/**
 * `ringkas feeds [--poll] [--force] [--json] [--lang en]`: the health of every feed Ringkas
 * follows (FEEDS), read from the store (STORE_URL): last success, last error, items seen, backoff.
 * `--poll` reads every feed once first (as the bot does every N minutes) and keeps what they
 * bring in the store; `--force` also reads feeds that are in backoff.
 *
 * Exit status: 0; 1 when the store cannot be opened, or when --poll finds every feed failing.
 */
import { parseArgs } from 'node:util';
import { fetcherFromConfig } from '../app.js';
import { loadConfig } from '../config.js';
import { toRingkasError } from '../core/errors.js';
import { openStore, redact, type Store } from '../adapters/store/index.js';
import { corpusConfigFrom, createCorpus, type FeedHealth, type PollSummary } from '../services/corpus.js';
import type { Logger } from '../logger.js';

export interface FeedsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const LABELS = {
  id: {
    feed: 'feed', outlet: 'media', health: 'status', success: 'terakhir berhasil', error: 'galat terakhir', items: 'item (baru/terakhir/total)', next: 'dicoba lagi',
    ok: 'baik', failing: 'gagal', waiting: 'menunggu', never: 'belum dibaca', notConfigured: '(tidak di FEEDS)',
    ago: (s: string) => `${s} lalu`, in: (s: string) => `${s} lagi`, polled: (p: PollSummary) => `Dibaca ${p.feeds} feed: ${p.ok} baik, ${p.notModified} tidak berubah, ${p.skipped} dilewati, ${p.failed} gagal; ${p.added} artikel baru.`,
    storeDown: (url: string, msg: string) => `Penyimpanan ${url} tidak bisa dibuka: ${msg}`,
  },
  en: {
    feed: 'feed', outlet: 'outlet', health: 'health', success: 'last success', error: 'last error', items: 'items (new/last/total)', next: 'retry',
    ok: 'ok', failing: 'failing', waiting: 'waiting', never: 'never read', notConfigured: '(not in FEEDS)',
    ago: (s: string) => `${s} ago`, in: (s: string) => `in ${s}`, polled: (p: PollSummary) => `Read ${p.feeds} feeds: ${p.ok} ok, ${p.notModified} not modified, ${p.skipped} skipped, ${p.failed} failed; ${p.added} new articles.`,
    storeDown: (url: string, msg: string) => `The store ${url} cannot be opened: ${msg}`,
  },
} as const;

/** Rows as an aligned plain-text table (first column left-aligned). */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function span(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

function shortUrl(url: string): string {
  const u = url.replace(/^https?:\/\/(www\.)?/, '');
  return u.length > 48 ? `${u.slice(0, 47)}…` : u;
}

export function renderFeedHealth(rows: readonly FeedHealth[], now: number, lang: 'id' | 'en' = 'id'): string {
  const L = LABELS[lang];
  const body = rows.map((f) => [
    `${shortUrl(f.url)}${f.configured ? '' : ` ${L.notConfigured}`}`,
    f.outlet ?? f.title ?? '',
    L[f.health],
    f.lastSuccessAt !== undefined ? L.ago(span(now - f.lastSuccessAt)) : '-',
    f.lastError !== undefined ? `${f.lastError.code}${f.lastError.status !== undefined ? ` ${f.lastError.status}` : ''}, ${L.ago(span(now - f.lastError.at))}` : '-',
    `${f.lastNewCount ?? '-'}/${f.lastItemCount ?? '-'}/${f.itemsSeen}`,
    f.nextAttemptAt !== undefined && f.nextAttemptAt > now ? L.in(span(f.nextAttemptAt - now)) : '-',
  ]);
  return table([L.feed, L.outlet, L.health, L.success, L.error, L.items, L.next], body);
}

export async function cmdFeeds(args: string[], io: FeedsIo, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      poll: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      lang: { type: 'string' },
    },
  });
  const lang = values.lang === 'en' ? 'en' : 'id';
  const config = loadConfig(io.env);
  let store: Store;
  try {
    store = await openStore(config.STORE_URL, logger);
    await store.ping();
  } catch (e) {
    const err = toRingkasError(e);
    io.stderr.write(`${LABELS[lang].storeDown(redact(config.STORE_URL), err.message)} [${err.code}]\n`);
    return 1;
  }
  const corpus = createCorpus({
    config: corpusConfigFrom(config, io.env),
    store,
    fetcher: fetcherFromConfig(config),
    logger,
    schedule: false,
    pollOnStart: false,
  });
  try {
    let summary: PollSummary | undefined;
    if (values.poll) {
      await corpus.start();
      summary = await corpus.pollNow({ force: values.force });
    }
    const health = await corpus.feedHealth();
    const now = Date.now();
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ...(summary !== undefined ? { poll: { feeds: summary.feeds, ok: summary.ok, notModified: summary.notModified, skipped: summary.skipped, failed: summary.failed, added: summary.added } } : {}), feeds: health })}\n`);
    } else {
      if (summary !== undefined) io.stdout.write(`${LABELS[lang].polled(summary)}\n\n`);
      io.stdout.write(`${renderFeedHealth(health, now, lang)}\n`);
    }
    return summary !== undefined && summary.feeds > 0 && summary.failed === summary.feeds ? 1 : 0;
  } finally {
    await corpus.stop();
    await store.close();
  }
}
