/**
 * Permission checks on digest changes (issue 7), through the real adapters on the fakes:
 * - Telegram (grammY against test/helpers/fake-telegram.ts): in a group, only the creator and
 *   administrators (getChatMember) subscribe, change the time of, or stop the digest; members,
 *   restricted members, people who left or were kicked, someone posting as another channel, and
 *   anyone when getChatMember fails, are refused.
 * - Discord (discord.js against test/helpers/fake-discord.ts): only members whose permissions in
 *   the channel include Manage Channels (or Administrator, which Discord expands to every
 *   permission) change it.
 * A refusal is the polite sentence in the user's language and leaves the store exactly as it was;
 * /digest status stays open to everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { startDiscord, type DiscordBot } from '../../src/adapters/discord/index.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { createSubscriptionStore, type SubscriptionStore } from '../../src/adapters/store/subscriptions.js';
import { messageFor } from '../../src/core/messages.js';
import { createMemorySearch } from '../../src/services/search.js';
import { startHarness, type Harness } from '../adapters/telegram/harness.js';
import { PERMISSIONS, PLAIN_MEMBER, startFakeDiscord, type FakeDiscord, type FakeMessage, type InteractOptions } from '../helpers/fake-discord.js';
import type { FakeChat, FakeUser, MemberStatus, SentMessage } from '../helpers/fake-telegram.js';
import { silentLogger, testServices } from '../helpers/services.js';

const TG_FORBIDDEN_ID = 'Maaf, hanya admin grup yang bisa mengubah ringkasan harian di sini.';
const TG_FORBIDDEN_EN = 'Sorry, only group administrators can change the daily digest here.';
const DC_FORBIDDEN_ID = 'Maaf, hanya anggota dengan izin Kelola Saluran (Manage Channels) yang bisa mengubah ringkasan harian di sini.';
const DC_FORBIDDEN_EN = 'Sorry, only members with the Manage Channels permission can change the daily digest here.';

describe('the refusal sentences', () => {
  it('are the ones messages.ts gives for FORBIDDEN', () => {
    expect(messageFor('FORBIDDEN', 'id', { platform: 'telegram' })).toBe(TG_FORBIDDEN_ID);
    expect(messageFor('FORBIDDEN', 'en', { platform: 'telegram' })).toBe(TG_FORBIDDEN_EN);
    expect(messageFor('FORBIDDEN', 'id', { platform: 'discord' })).toBe(DC_FORBIDDEN_ID);
    expect(messageFor('FORBIDDEN', 'en', { platform: 'discord' })).toBe(DC_FORBIDDEN_EN);
  });
});

// ------------------------------------------------------------------------------------------------

describe('Telegram: only group administrators change the digest', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  async function ask(user: FakeUser, chat: FakeChat, text: string, extra: Parameters<Harness['tg']['sendText']>[3] = {}): Promise<SentMessage | undefined> {
    const before = h.tg.messages(chat.id).length;
    await h.tg.sendText(user, chat, text, extra);
    const all = await h.tg.waitForMessages(chat.id, before + 1);
    return all[before];
  }

  const stored = async (chat: FakeChat) => h.services.subscriptions?.get('telegram', String(chat.id));

  /** A group whose digest an administrator set to 07:00 WITA, politik. */
  async function groupWithDigest(title: string): Promise<{ g: FakeChat; admin: FakeUser }> {
    const g = h.tg.group(title, 'supergroup');
    const admin = h.tg.user({ first_name: 'Admin' });
    h.tg.setMember(g.id, admin.id, 'administrator');
    const ok = await ask(admin, g, '/digest 07:00 WITA politik');
    expect(ok?.text).toBe(`Ringkasan harian akan dikirim ke ${title} setiap hari pukul 07.00 WITA, khusus topik: politik.`);
    return { g, admin };
  }

  const CHANGES = ['/digest 09:30 WIB', '/digest langganan 06:00 WIT ekonomi', '/digest off', '/digest berhenti', `/digest@RingkasTestBot 10:00`];

  it.each(['member', 'restricted', 'left', 'kicked'] as MemberStatus[])('refuses a %s: subscribe, change time, unsubscribe; the store is unchanged', async (status) => {
    const { g } = await groupWithDigest(`Grup ${status}`);
    const before = await stored(g);
    expect(before).toBeDefined();
    const someone = h.tg.user({ first_name: 'Warga' });
    h.tg.setMember(g.id, someone.id, status);
    for (const text of CHANGES) {
      const reply = await ask(someone, g, text);
      expect({ text, reply: reply?.text }).toEqual({ text, reply: TG_FORBIDDEN_ID });
      expect(reply?.reply_parameters?.message_id).toBeDefined(); // an answer to their message, in the group
    }
    expect(await stored(g)).toEqual(before);
    // Looking is open to everyone.
    const status_ = await ask(someone, g, '/digest status');
    expect(status_?.text).toBe(`Ringkasan harian dikirim ke Grup ${status} setiap hari pukul 07.00 WITA, khusus topik: politik.`);
  });

  it('refuses a member on a group with no digest yet, in English for an English user, and stores nothing', async () => {
    const g = h.tg.group('Kosong');
    const guest = h.tg.user({ language_code: 'en' });
    const reply = await ask(guest, g, '/digest 07:00 WIB');
    expect(reply?.text).toBe(TG_FORBIDDEN_EN);
    expect(await stored(g)).toBeUndefined();
  });

  it('treats a failed getChatMember as "not an administrator"', async () => {
    const { g, admin } = await groupWithDigest('Grup Gangguan');
    const before = await stored(g);
    h.tg.fail('getChatMember', { status: 400, description: 'Bad Request: user not found', chatId: g.id });
    const reply = await ask(admin, g, '/digest 11:00');
    expect(reply?.text).toBe(TG_FORBIDDEN_ID);
    expect(await stored(g)).toEqual(before);
  });

  it('refuses a message sent on behalf of another channel (sender_chat is not the group)', async () => {
    const { g } = await groupWithDigest('Grup Diskusi');
    const before = await stored(g);
    const otherChannel = h.tg.channel('Kanal Lain');
    // Telegram's "Channel_Bot" user stands in for messages sent as a channel.
    const channelBot = h.tg.user({ first_name: 'Channel', username: 'Channel_Bot' });
    const reply = await ask(channelBot, g, '/digest off', { sender_chat: otherChannel });
    expect(reply?.text).toBe(TG_FORBIDDEN_ID);
    expect(await stored(g)).toEqual(before);
  });

  it('lets an administrator and the creator change the time and stop it; an anonymous administrator too', async () => {
    const { g, admin } = await groupWithDigest('Grup Pengurus');
    const changed = await ask(admin, g, '/digest 19:30 WIB ekonomi');
    expect(changed?.text).toBe('Ringkasan harian akan dikirim ke Grup Pengurus setiap hari pukul 19.30 WIB, khusus topik: ekonomi.');
    expect(await stored(g)).toMatchObject({ time: '19:30', timeZone: 'Asia/Jakarta', topics: ['ekonomi'], createdBy: String(admin.id) });

    const owner = h.tg.user({ first_name: 'Pemilik' });
    h.tg.setMember(g.id, owner.id, 'creator');
    const byOwner = await ask(owner, g, '/digest 05:00 WIT');
    expect(byOwner?.text).toBe('Ringkasan harian akan dikirim ke Grup Pengurus setiap hari pukul 05.00 WIT.');
    expect(await stored(g)).toMatchObject({ time: '05:00', timeZone: 'Asia/Jayapura', topics: [] });

    // An anonymous administrator posts as the group itself (from: GroupAnonymousBot).
    const anon = h.tg.user({ first_name: 'Group', username: 'GroupAnonymousBot' });
    const off = await ask(anon, g, '/digest off', { sender_chat: g });
    expect(off?.text).toBe('Ringkasan harian untuk Grup Pengurus dihentikan. Tidak akan ada kiriman lagi.');
    expect(await stored(g)).toBeUndefined();
  });

  it('an administrator demoted to member loses the right at once (the check is made on every change)', async () => {
    const { g, admin } = await groupWithDigest('Grup Berganti');
    const before = await stored(g);
    h.tg.setMember(g.id, admin.id, 'member');
    const reply = await ask(admin, g, '/digest off');
    expect(reply?.text).toBe(TG_FORBIDDEN_ID);
    expect(await stored(g)).toEqual(before);
  });
});

// ------------------------------------------------------------------------------------------------

describe('Discord: only members with Manage Channels change the digest', () => {
  let discord: FakeDiscord;
  let bot: DiscordBot;
  let store: Store;
  let subscriptions: SubscriptionStore;
  let userSeq = 400000000000000000n;
  const nextUser = (): string => String(++userSeq);

  beforeAll(async () => {
    discord = await startFakeDiscord();
    store = await openStore('memory://', silentLogger);
    subscriptions = createSubscriptionStore(store);
    bot = await startDiscord({
      config: { ...discord.config(), DIGEST_TIMEZONE: 'Asia/Jakarta' },
      services: { ...testServices(), search: createMemorySearch(), subscriptions },
      commands: loadCommands(),
      logger: silentLogger,
      interactions: { rateLimits: { guild: { capacity: 1000, refillPerSecond: 100 } } },
    });
  });

  afterAll(async () => {
    await bot?.stop();
    await discord?.close();
    await store?.close();
  });

  function everything(msg: FakeMessage): string {
    const e = msg.embeds[0];
    return [e?.title, e?.description, ...(e?.fields ?? []).flatMap((f) => [f.name, f.value])].filter(Boolean).join('\n').replace(/\\([\\*_~`|[\]#>.-])/g, '$1');
  }

  async function ask(opts: InteractOptions): Promise<FakeMessage> {
    const it = await discord.interact({ user: { id: nextUser() }, ...opts });
    const ack = await it.acked(3500);
    expect(ack.at - it.sentAt).toBeLessThan(3000);
    return it.final(15_000);
  }

  const subscribe = (time: string, extra: Partial<InteractOptions> = {}): Promise<FakeMessage> =>
    ask({ command: 'digest', subcommand: 'subscribe', options: { time, timezone: 'WIB', topics: 'politik' }, ...extra });
  const unsubscribe = (extra: Partial<InteractOptions> = {}): Promise<FakeMessage> => ask({ command: 'digest', subcommand: 'unsubscribe', ...extra });

  const ADMINISTRATOR = 1n << 3n;
  const MANAGE_GUILD = 1n << 5n;
  const MANAGE_MESSAGES = 1n << 13n;

  it.each([
    ['a plain member', PLAIN_MEMBER],
    ['a member with Manage Server and Manage Messages but not Manage Channels', PLAIN_MEMBER | MANAGE_GUILD | MANAGE_MESSAGES],
    ['a member with no permissions at all', 0n],
  ])('refuses %s: subscribe, change time, unsubscribe; the store is unchanged', async (_who, permissions) => {
    const channelId = String(9_100_000_000_000_000n + userSeq);
    discord.addChannel(channelId);
    // A moderator sets it up first.
    const ok = await subscribe('07:00', { permissions: PLAIN_MEMBER | PERMISSIONS.ManageChannels, channelId });
    expect(everything(ok)).toMatch(/^Ringkasan harian akan dikirim ke .+ setiap hari pukul 07\.00 WIB, khusus topik: politik\.$/);
    const before = await subscriptions.get('discord', channelId);
    expect(before).toMatchObject({ time: '07:00' });

    const member = { id: nextUser() };
    for (const attempt of [() => subscribe('09:30', { user: member, permissions, channelId }), () => subscribe('07:00', { user: member, permissions, channelId }), () => unsubscribe({ user: member, permissions, channelId })]) {
      const msg = await attempt();
      expect(everything(msg)).toBe(DC_FORBIDDEN_ID);
      expect(msg.embeds[0]?.color).toBe(0xd64545);
    }
    const en = await unsubscribe({ user: member, permissions, channelId, locale: 'en-US' });
    expect(everything(en)).toBe(DC_FORBIDDEN_EN);
    expect(await subscriptions.get('discord', channelId)).toEqual(before);

    // Looking is open to everyone.
    const status = await ask({ command: 'digest', subcommand: 'status', user: member, permissions, channelId });
    expect(everything(status)).toMatch(/setiap hari pukul 07\.00 WIB, khusus topik: politik\.$/);
    expect(discord.rejections).toEqual([]);
  });

  it('refuses a member on a channel with no digest, storing nothing', async () => {
    const msg = await subscribe('06:00', { manageChannels: false });
    expect(everything(msg)).toBe(DC_FORBIDDEN_ID);
    expect(await subscriptions.get('discord', discord.channelId)).toBeUndefined();
  });

  it('lets Manage Channels and Administrator change the time and stop it', async () => {
    const mod = { id: nextUser() };
    await subscribe('07:00', { user: mod, manageChannels: true });
    const changed = await subscribe('20:15', { user: mod, manageChannels: true });
    expect(everything(changed)).toMatch(/pukul 20\.15 WIB/);
    expect(await subscriptions.get('discord', discord.channelId)).toMatchObject({ time: '20:15', createdBy: mod.id, guildId: discord.guildId });

    // Administrator alone: discord.js (like Discord) counts it as every permission.
    const admin = { id: nextUser() };
    const byAdmin = await subscribe('05:45', { user: admin, permissions: ADMINISTRATOR });
    expect(everything(byAdmin)).toMatch(/pukul 05\.45 WIB/);
    expect(await subscriptions.get('discord', discord.channelId)).toMatchObject({ time: '05:45', createdBy: admin.id });

    const off = await unsubscribe({ user: admin, permissions: ADMINISTRATOR });
    expect(everything(off)).toMatch(/dihentikan/);
    expect(await subscriptions.get('discord', discord.channelId)).toBeUndefined();
    expect(discord.rejections).toEqual([]);
  });

  it('lets anyone set the digest of their own direct messages with the bot', async () => {
    const user = { id: nextUser() };
    const msg = await subscribe('08:00', { user, dm: true });
    expect(everything(msg)).toMatch(/^Ringkasan harian akan dikirim ke .+ setiap hari pukul 08\.00 WIB/);
    const dmChannel = `9${user.id.slice(1)}`; // the fake's DM channel id for this user
    const sub = await subscriptions.get('discord', dmChannel);
    expect(sub).toMatchObject({ platform: 'discord', channelId: dmChannel, createdBy: user.id, time: '08:00' });
    expect(sub?.guildId).toBeUndefined();
  });
});
