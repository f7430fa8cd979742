/**
 * `ringkas digest --dry-run`: prints the digest that would be posted, composed by the same code as
 * the scheduler (DigestService.compose) from the stories in the configured store, and posts
 * nothing.
 *
 *   ringkas digest --dry-run [--time HH:MM] [--timezone Asia/Jakarta|WIB|WITA|WIT] [--topics "a, b"]
 *                  [--lang en] [--subscription telegram:-100123] [--platform plain|telegram|discord]
 *                  [--json] [--now <ISO time>]
 *
 * --time       the digest of the next HH:MM in the zone (default: one posted now)
 * --subscription  take time, zone, topics and language from a stored subscription, and its
 *              previous digest as the start of the window (options given on the line win)
 * --platform   plain text (default), the Telegram HTML messages, or the Discord message body
 * --json       the platform-neutral Reply as JSON
 * --now        the clock (default: now), for reproducible runs
 *
 * Standard output carries the digest only; what it was composed from goes to standard error.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderPlain } from '../adapters/console/render.js';
import { createArticleStore } from '../adapters/store/articles.js';
import { createDeliveryLedger } from '../adapters/store/deliveries.js';
import { openStore, redact, sqlitePath, type Store } from '../adapters/store/index.js';
import { createSubscriptionStore, parseSubscriptionKey, subscriptionKey } from '../adapters/store/subscriptions.js';
import { sharedState } from '../adapters/scheduler/coordinator.js';
import { loadConfig } from '../config.js';
import { zoneLabel } from '../core/format.js';
import { toLocale, type Locale } from '../core/messages.js';
import type { Reply } from '../core/reply.js';
import { floorMinute, formatTimeOfDay, localSlot, nextDueAt, parseTimeOfDay, parseTimeZone, parseTopics, type Subscription } from '../core/schedule.js';
import type { Logger } from '../logger.js';
import { createDigestService } from '../services/digests.js';
import { loadStoredStories, StoryList } from '../services/story-source.js';

export interface DigestCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

export const DIGEST_USAGE = `Pemakaian:
  ringkas digest --dry-run [--time HH:MM] [--timezone WIB|WITA|WIT|Asia/Jakarta] [--topics "politik, ekonomi"]
                 [--lang en] [--subscription telegram:-100123] [--platform plain|telegram|discord] [--json] [--now <waktu ISO>]

Mencetak ringkasan harian yang akan dikirim, tanpa mengirim apa pun. Berita diambil dari
penyimpanan yang dikonfigurasi (STORE_URL).
`;

const DAY = 24 * 3600_000;

async function render(reply: Reply, platform: string, tty: boolean): Promise<string> {
  if (platform === 'telegram') {
    const { renderReply } = await import('../adapters/telegram/render.js');
    return renderReply(reply)
      .map((p, i, all) => (all.length > 1 ? `--- pesan ${i + 1}/${all.length} ---\n${p.html}` : p.html))
      .join('\n');
  }
  if (platform === 'discord') {
    const { renderReply } = await import('../adapters/discord/render.js');
    return JSON.stringify(renderReply(reply), null, 2);
  }
  return renderPlain(reply, { color: tty, width: tty ? 100 : 0 });
}

export async function cmdDigest(args: string[], io: DigestCliIo, logger: Logger): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      allowPositionals: false,
      options: {
        'dry-run': { type: 'boolean', default: false },
        time: { type: 'string' },
        timezone: { type: 'string' },
        topics: { type: 'string' },
        lang: { type: 'string' },
        subscription: { type: 'string' },
        platform: { type: 'string' },
        json: { type: 'boolean', default: false },
        now: { type: 'string' },
      },
    }));
  } catch (e) {
    io.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${DIGEST_USAGE}`);
    return 2;
  }
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const fail = (message: string): number => {
    io.stderr.write(`${message}\n`);
    return 2;
  };
  if (values['dry-run'] !== true) {
    io.stderr.write(`Digests are posted by the bot; this command only shows them (--dry-run).\n\n${DIGEST_USAGE}`);
    return 2;
  }
  const platform = str('platform') ?? 'plain';
  if (!['plain', 'telegram', 'discord'].includes(platform)) return fail(`--platform must be plain, telegram or discord, not "${platform}"`);
  const clock = str('now') !== undefined ? Date.parse(str('now') as string) : Date.now();
  if (!Number.isFinite(clock)) return fail(`--now "${str('now') ?? ''}" is not a date and time (ISO 8601)`);
  const config = loadConfig(io.env);

  // The store: a SQLite file that does not exist yet is not created by a dry run.
  const url = config.STORE_URL;
  let store: Store | undefined;
  if (url.startsWith('sqlite://') && !existsSync(resolve(sqlitePath(url)))) {
    io.stderr.write(`no store at ${sqlitePath(url)}: no stories collected yet\n`);
  } else {
    store = await openStore(url, logger);
    await store.ping();
  }
  try {
    let sub: Subscription | undefined;
    let lastComposedAt: number | undefined;
    const wanted = str('subscription');
    if (wanted !== undefined) {
      const where = parseSubscriptionKey(wanted);
      if (where === undefined) return fail(`--subscription must look like telegram:-100123 or discord:123456, not "${wanted}"`);
      if (store !== undefined) {
        sub = await createSubscriptionStore(store).get(where.platform, where.channelId);
        lastComposedAt = (await createDeliveryLedger(sharedState(store)).lastDigest(subscriptionKey(where.platform, where.channelId)))?.composedAt;
      }
      if (sub === undefined) return fail(`no subscription ${wanted} in ${redact(url)}`);
    }
    const zoneRaw = str('timezone');
    const timeZone = zoneRaw !== undefined ? parseTimeZone(zoneRaw) : (sub?.timeZone ?? config.DIGEST_TIMEZONE);
    if (timeZone === undefined) return fail(`unknown time zone "${zoneRaw ?? ''}": use WIB, WITA, WIT or an IANA name such as Asia/Jakarta`);
    const timeRaw = str('time');
    const time = timeRaw !== undefined ? parseTimeOfDay(timeRaw) : sub?.time;
    if (timeRaw !== undefined && time === undefined) return fail(`--time "${timeRaw}" is not a time of day (HH:MM)`);
    const locale: Locale = str('lang') !== undefined ? toLocale(str('lang')) : (sub?.locale ?? 'id');
    const topics = str('topics') !== undefined ? parseTopics(str('topics') as string) : (sub?.topics ?? []);
    // The next HH:MM at or after now; without --time, a digest posted now.
    const at = time !== undefined ? nextDueAt(time, timeZone, clock - 60_000) : floorMinute(clock);
    const since = Math.max(at - DAY, lastComposedAt !== undefined && lastComposedAt < at ? lastComposedAt : at - DAY);
    const stories = store !== undefined ? await loadStoredStories(createArticleStore(store), { now: Math.min(at, clock), since }) : new StoryList();
    const slot = localSlot(at, timeZone);
    const target: Subscription = {
      platform: sub?.platform ?? 'console',
      channelId: sub?.channelId ?? 'dry-run',
      time: slot.time,
      timeZone,
      topics,
      locale,
      createdBy: sub?.createdBy ?? 'dry-run',
      createdAt: new Date(clock).toISOString(),
      paused: false,
    };
    const service = createDigestService({ store: store ?? (await openStore('memory://', logger)), stories, deliverers: [], logger, schedule: false, now: () => clock });
    const composed = await service.compose(target, { now: at, since, slotAt: at });
    io.stderr.write(
      `${formatTimeOfDay(slot.time, locale)} ${zoneLabel(timeZone)} ${slot.date}: ${composed.digest.items.length} of ${stories.size} stories published since ${new Date(since).toISOString()}` +
        `${at > clock ? ' (as the store holds them now)' : ''}\n`,
    );
    const tty = (io.stdout as NodeJS.WriteStream).isTTY === true;
    io.stdout.write(values['json'] === true ? `${JSON.stringify(composed.reply)}\n` : `${await render(composed.reply, platform, tty)}\n`);
    return 0;
  } finally {
    await store?.close();
  }
}
