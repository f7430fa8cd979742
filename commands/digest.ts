/**
 * /digest: the channel's daily digest. Discord passes a subcommand and options; Telegram and the
 * console pass text ("07:00 WITA politik", "off", "status", "preview").
 *   subscribe time:HH:MM [timezone] [topics]  -> needs canManage
 *   unsubscribe                               -> needs canManage
 *   status | preview
 */
import { RingkasError, toRingkasError } from '../src/core/errors.js';
import { zoneLabel } from '../src/core/format.js';
import { messageFor, userMessage, type Locale } from '../src/core/messages.js';
import { errorReply, infoReply, type Reply } from '../src/core/reply.js';
import { formatTimeOfDay, parseTimeOfDay, parseTimeZone, parseTopics, type Subscription } from '../src/core/schedule.js';
import type { Command, CommandContext, CommandInput } from './index.js';

type Action = { kind: 'subscribe'; time: string | undefined; timeZone: string | undefined; topics: string[]; badZone?: string } | { kind: 'unsubscribe' | 'status' | 'preview' };

const SUBSCRIBE_WORDS = new Set(['subscribe', 'langganan', 'daftar', 'set', 'atur']);
const OFF_WORDS = new Set(['off', 'stop', 'unsubscribe', 'berhenti', 'hapus', 'matikan', 'batal']);
const STATUS_WORDS = new Set(['status', 'info', 'cek']);
const PREVIEW_WORDS = new Set(['preview', 'pratinjau', 'contoh', 'lihat']);

/** What the user asked for, from Discord options or from free text. */
export function parseDigestInput(input: CommandInput): Action {
  const sub = input.options['subcommand'];
  if (sub !== undefined) {
    if (sub === 'subscribe') {
      const zoneRaw = input.options['timezone'];
      const zone = zoneRaw !== undefined ? parseTimeZone(zoneRaw) : undefined;
      return {
        kind: 'subscribe',
        time: parseTimeOfDay(input.options['time'] ?? ''),
        timeZone: zone,
        topics: parseTopics(input.options['topics'] ?? ''),
        ...(zoneRaw !== undefined && zone === undefined ? { badZone: zoneRaw } : {}),
      };
    }
    if (sub === 'unsubscribe' || sub === 'status' || sub === 'preview') return { kind: sub };
  }
  const tokens = input.text.trim().split(/\s+/).filter((t) => t !== '');
  const first = (tokens[0] ?? '').toLowerCase();
  if (tokens.length === 0 || STATUS_WORDS.has(first)) return { kind: 'status' };
  if (OFF_WORDS.has(first)) return { kind: 'unsubscribe' };
  if (PREVIEW_WORDS.has(first)) return { kind: 'preview' };
  const rest = SUBSCRIBE_WORDS.has(first) ? tokens.slice(1) : tokens;
  const time = parseTimeOfDay(rest[0] ?? '');
  let i = time !== undefined ? 1 : 0;
  let timeZone: string | undefined;
  const maybeZone = rest[i];
  if (maybeZone !== undefined && (/^(wib|wita|wit)$/i.test(maybeZone) || maybeZone.includes('/'))) {
    timeZone = parseTimeZone(maybeZone);
    if (timeZone === undefined) return { kind: 'subscribe', time, timeZone, topics: [], badZone: maybeZone };
    i++;
  }
  return { kind: 'subscribe', time, timeZone, topics: parseTopics(rest.slice(i).join(' ')) };
}

const T = {
  id: {
    where: (ctx: CommandContext) => (ctx.place.isPrivate ? 'obrolan ini' : (ctx.place.channelName ?? 'kanal ini')),
    subscribed: (where: string, sub: Subscription) =>
      `Ringkasan harian akan dikirim ke ${where} setiap hari pukul ${formatTimeOfDay(sub.time, 'id')} ${zoneLabel(sub.timeZone)}${sub.topics.length > 0 ? `, khusus topik: ${sub.topics.join(', ')}` : ''}.`,
    status: (where: string, sub: Subscription) =>
      sub.paused
        ? `Ringkasan harian untuk ${where} sedang dijeda${sub.pausedReason !== undefined ? ` (${sub.pausedReason})` : ''}. Atur ulang dengan /digest untuk menyalakannya lagi.`
        : `Ringkasan harian dikirim ke ${where} setiap hari pukul ${formatTimeOfDay(sub.time, 'id')} ${zoneLabel(sub.timeZone)}${sub.topics.length > 0 ? `, khusus topik: ${sub.topics.join(', ')}` : ''}.`,
    none: (where: string) => `Belum ada ringkasan harian untuk ${where}. Contoh: /digest 07:00 WIB politik`,
    removed: (where: string) => `Ringkasan harian untuk ${where} dihentikan. Tidak akan ada kiriman lagi.`,
    nothingToRemove: (where: string) => `Tidak ada ringkasan harian untuk ${where}, jadi tidak ada yang dihentikan.`,
    needTime: 'jam pengiriman belum jelas. Contoh: /digest 07:00 WIB atau /digest 19.30 WITA ekonomi',
    badZone: (z: string) => `zona waktu “${z}” tidak saya kenal. Pakai WIB, WITA, WIT, atau nama seperti Asia/Jakarta`,
    noStore: 'Maaf, penyimpanan langganan belum tersedia di sini, jadi ringkasan harian belum bisa diatur.',
    noPreview: 'Pratinjau ringkasan harian belum tersedia: Ringkas belum mengumpulkan berita dari umpan (feed).',
  },
  en: {
    where: (ctx: CommandContext) => (ctx.place.isPrivate ? 'this chat' : (ctx.place.channelName ?? 'this channel')),
    subscribed: (where: string, sub: Subscription) =>
      `The daily digest will be posted to ${where} every day at ${sub.time} ${zoneLabel(sub.timeZone)}${sub.topics.length > 0 ? `, topics: ${sub.topics.join(', ')}` : ''}.`,
    status: (where: string, sub: Subscription) =>
      sub.paused
        ? `The daily digest for ${where} is paused${sub.pausedReason !== undefined ? ` (${sub.pausedReason})` : ''}. Set it again with /digest to resume.`
        : `The daily digest is posted to ${where} every day at ${sub.time} ${zoneLabel(sub.timeZone)}${sub.topics.length > 0 ? `, topics: ${sub.topics.join(', ')}` : ''}.`,
    none: (where: string) => `There is no daily digest for ${where} yet. Example: /digest 07:00 WIB politics`,
    removed: (where: string) => `The daily digest for ${where} is stopped. Nothing more will be posted.`,
    nothingToRemove: (where: string) => `There is no daily digest for ${where}, so there is nothing to stop.`,
    needTime: 'the time is not clear. Example: /digest 07:00 WIB or /digest 19:30 WITA economy',
    badZone: (z: string) => `I do not know the time zone “${z}”. Use WIB, WITA, WIT, or a name such as Asia/Jakarta`,
    noStore: 'Sorry, subscription storage is not available here, so the daily digest cannot be set up.',
    noPreview: 'A digest preview is not available yet: Ringkas has not collected stories from feeds.',
  },
} as const;

function badOption(locale: Locale, hintId: string, hintEn: string): Reply {
  return errorReply('BAD_OPTION', messageFor('BAD_OPTION', locale, { hint: hintId, hintEn }), locale);
}

async function run(action: Action, ctx: CommandContext): Promise<Reply> {
  const L = T[ctx.locale];
  const where = L.where(ctx);
  const store = ctx.services.subscriptions;
  if (store === undefined) return infoReply(ctx.locale, L.noStore);
  const { platform, channelId } = ctx.place;
  const needsManage = action.kind === 'subscribe' || action.kind === 'unsubscribe';
  if (needsManage && !ctx.canManage) throw new RingkasError('FORBIDDEN', 'missing permission to change the digest', { platform });

  switch (action.kind) {
    case 'subscribe': {
      if (action.badZone !== undefined) return badOption(ctx.locale, T.id.badZone(action.badZone), T.en.badZone(action.badZone));
      if (action.time === undefined) return badOption(ctx.locale, T.id.needTime, T.en.needTime);
      const now = ctx.services.now?.() ?? Date.now();
      const sub: Subscription = {
        platform,
        channelId,
        ...(ctx.place.guildId !== undefined ? { guildId: ctx.place.guildId } : {}),
        ...(ctx.place.channelName !== undefined ? { channelName: ctx.place.channelName } : {}),
        time: action.time,
        timeZone: action.timeZone ?? ctx.timeZone ?? 'Asia/Jakarta',
        topics: action.topics,
        locale: ctx.locale,
        createdBy: ctx.user.id,
        createdAt: new Date(now).toISOString(),
        paused: false,
      };
      await store.put(sub);
      ctx.logger.info({ platform, channelId, time: sub.time, timeZone: sub.timeZone, topics: sub.topics, user: ctx.user.id }, 'digest subscribed');
      return infoReply(ctx.locale, L.subscribed(where, sub));
    }
    case 'unsubscribe': {
      const removed = await store.remove(platform, channelId);
      if (removed) ctx.logger.info({ platform, channelId, user: ctx.user.id }, 'digest unsubscribed');
      return infoReply(ctx.locale, removed ? L.removed(where) : L.nothingToRemove(where));
    }
    case 'status': {
      const sub = await store.get(platform, channelId);
      return infoReply(ctx.locale, sub === undefined ? L.none(where) : L.status(where, sub));
    }
    case 'preview': {
      if (ctx.services.digest === undefined) return infoReply(ctx.locale, L.noPreview);
      const now = ctx.services.now?.() ?? Date.now();
      const existing = await store.get(platform, channelId);
      const sub: Subscription = existing ?? {
        platform,
        channelId,
        time: '07:00',
        timeZone: ctx.timeZone ?? 'Asia/Jakarta',
        topics: [],
        locale: ctx.locale,
        createdBy: ctx.user.id,
        createdAt: new Date(now).toISOString(),
        paused: false,
      };
      return ctx.services.digest.preview(sub, now);
    }
  }
}

export default {
  data: {
    name: 'digest',
    description: { id: 'Atur ringkasan berita harian untuk kanal ini', en: 'Set up the daily news digest for this channel' },
    usage: { id: '/digest <HH:MM> [WIB|WITA|WIT] [topik] | off | status | preview', en: '/digest <HH:MM> [WIB|WITA|WIT] [topics] | off | status | preview' },
    options: [],
    subcommands: [
      {
        name: 'subscribe',
        description: { id: 'Kirim ringkasan harian ke kanal ini', en: 'Post the daily digest to this channel' },
        options: [
          { name: 'time', description: { id: 'Jam kirim, misalnya 07:00', en: 'Time of day, e.g. 07:00' }, type: 'string', required: true, maxLength: 5 },
          { name: 'timezone', description: { id: 'Zona waktu: WIB, WITA, WIT', en: 'Time zone: WIB, WITA, WIT' }, type: 'string', required: false, maxLength: 40 },
          { name: 'topics', description: { id: 'Topik (kata kunci), dipisah koma', en: 'Topics (keywords), comma-separated' }, type: 'string', required: false, maxLength: 200 },
        ],
      },
      { name: 'unsubscribe', description: { id: 'Hentikan ringkasan harian di kanal ini', en: 'Stop the daily digest in this channel' }, options: [] },
      { name: 'status', description: { id: 'Lihat pengaturan ringkasan harian', en: 'Show the daily digest settings' }, options: [] },
      { name: 'preview', description: { id: 'Lihat contoh ringkasan harian sekarang', en: 'Preview the daily digest now' }, options: [] },
    ],
  },
  async execute(input, ctx) {
    try {
      return await run(parseDigestInput(input), ctx);
    } catch (e) {
      const err = toRingkasError(e);
      ctx.logger[err.code === 'INTERNAL' ? 'error' : 'info']({ err, code: err.code, command: 'digest', user: ctx.user.id, platform: ctx.place.platform }, 'digest failed');
      return errorReply(err.code, userMessage(err, ctx.locale), ctx.locale);
    }
  },
} satisfies Command;
