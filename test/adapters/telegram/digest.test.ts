/** /digest in Telegram: administrators change it in groups (getChatMember), anyone in a private chat. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeChat, FakeUser, SentMessage } from '../../helpers/fake-telegram.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

async function ask(user: FakeUser, chat: FakeChat, text: string): Promise<SentMessage | undefined> {
  const before = h.tg.messages(chat.id).length;
  await h.tg.sendText(user, chat, text);
  const all = await h.tg.waitForMessages(chat.id, before + 1);
  return all[before];
}

const memberChecks = (chatId: number): number => h.tg.callsOf('getChatMember').filter((c) => c.payload['chat_id'] === chatId).length;

describe('/digest in a group', () => {
  it('lets an administrator subscribe, and refuses a member politely while still telling the status', async () => {
    const g = h.tg.group('Warga Kelurahan Oebobo', 'supergroup');
    const admin = h.tg.user({ first_name: 'Admin' });
    const member = h.tg.user({ first_name: 'Anggota' });
    h.tg.setMember(g.id, admin.id, 'administrator');

    const ok = await ask(admin, g, '/digest 07:00 WITA politik, ekonomi');
    expect(ok?.text).toBe('Ringkasan harian akan dikirim ke Warga Kelurahan Oebobo setiap hari pukul 07.00 WITA, khusus topik: politik, ekonomi.');
    expect(memberChecks(g.id)).toBe(1);
    expect(await h.services.subscriptions?.get('telegram', String(g.id))).toMatchObject({
      platform: 'telegram',
      channelId: String(g.id),
      channelName: 'Warga Kelurahan Oebobo',
      time: '07:00',
      timeZone: 'Asia/Makassar',
      topics: ['politik', 'ekonomi'],
      createdBy: String(admin.id),
      paused: false,
    });

    const refused = await ask(member, g, '/digest off');
    expect(refused?.text).toBe('Maaf, hanya admin grup yang bisa mengubah ringkasan harian di sini.');
    expect(refused?.reply_parameters?.message_id).toBeDefined();
    expect(await h.services.subscriptions?.get('telegram', String(g.id))).toBeDefined();

    // Reading the status needs no rights (and no getChatMember call).
    const calls = memberChecks(g.id);
    const status = await ask(member, g, '/digest status');
    expect(status?.text).toBe('Ringkasan harian dikirim ke Warga Kelurahan Oebobo setiap hari pukul 07.00 WITA, khusus topik: politik, ekonomi.');
    expect(memberChecks(g.id)).toBe(calls);

    const off = await ask(admin, g, `/digest@${h.tg.bot.username} off`);
    expect(off?.text).toBe('Ringkasan harian untuk Warga Kelurahan Oebobo dihentikan. Tidak akan ada kiriman lagi.');
    expect(await h.services.subscriptions?.get('telegram', String(g.id))).toBeUndefined();
  });

  it('counts the group creator as an administrator and answers in English for English users', async () => {
    const g = h.tg.group('Newsroom');
    const owner = h.tg.user({ language_code: 'en' });
    h.tg.setMember(g.id, owner.id, 'creator');
    const ok = await ask(owner, g, '/digest 19:30 WIB');
    expect(ok?.text).toBe('The daily digest will be posted to Newsroom every day at 19:30 WIB.');
    const guest = h.tg.user({ language_code: 'en' });
    const no = await ask(guest, g, '/digest 06:00');
    expect(no?.text).toBe('Sorry, only group administrators can change the daily digest here.');
    expect((await h.services.subscriptions?.get('telegram', String(g.id)))?.time).toBe('19:30');
  });
});

describe('/digest in a private chat and a channel', () => {
  it('needs no administrator check in a private chat', async () => {
    const u = h.tg.user();
    const chat = h.tg.privateChat(u);
    const ok = await ask(u, chat, '/digest 06:30 WIT');
    expect(ok?.text).toBe('Ringkasan harian akan dikirim ke obrolan ini setiap hari pukul 06.30 WIT.');
    expect(memberChecks(chat.id)).toBe(0);
    const bad = await ask(u, chat, '/digest jam tujuh');
    expect(bad?.text).toContain('jam pengiriman belum jelas');
  });

  it('takes a channel post from the channel\'s administrators', async () => {
    const ch = h.tg.channel('Kanal Ringkas NTT');
    const before = h.tg.messages(ch.id).length;
    await h.tg.postInChannel(ch, '/digest 08:00 WITA');
    const [m] = (await h.tg.waitForMessages(ch.id, before + 1)).slice(before);
    expect(m?.text).toBe('Ringkasan harian akan dikirim ke Kanal Ringkas NTT setiap hari pukul 08.00 WITA.');
  });
});

describe('when the bot can no longer post', () => {
  it('pauses the digest of a group that removed the bot, and of a user who blocked it', async () => {
    const g = h.tg.group('Grup Lama');
    const admin = h.tg.user();
    h.tg.setMember(g.id, admin.id, 'administrator');
    await ask(admin, g, '/digest 07:00');
    const u = h.tg.user();
    const chat = h.tg.privateChat(u);
    await ask(u, chat, '/digest 07:00');

    const botMember = (status: string) => ({ user: { ...h.tg.bot }, status });
    await h.tg.pushUpdate({ my_chat_member: { chat: g, from: admin, date: 1, old_chat_member: botMember('member'), new_chat_member: botMember('kicked') } });
    await h.tg.pushUpdate({ my_chat_member: { chat, from: u, date: 1, old_chat_member: botMember('member'), new_chat_member: botMember('kicked') } });
    const paused = async (id: number) => (await h.services.subscriptions?.get('telegram', String(id)))?.paused === true;
    await expect.poll(() => paused(g.id), { timeout: 5000 }).toBe(true);
    await expect.poll(() => paused(chat.id), { timeout: 5000 }).toBe(true);
    expect((await h.services.subscriptions?.get('telegram', String(g.id)))?.pausedReason).toBe('bot dikeluarkan dari obrolan');
    expect((await h.services.subscriptions?.get('telegram', String(chat.id)))?.pausedReason).toBe('bot diblokir');
  });

  it('moves the digest when a group becomes a supergroup', async () => {
    const g = h.tg.group('Grup Tumbuh');
    const admin = h.tg.user();
    h.tg.setMember(g.id, admin.id, 'administrator');
    await ask(admin, g, '/digest 05:45');
    const superId = -1009876543210;
    await h.tg.pushUpdate({ message: { message_id: 999, date: 1, chat: g, from: admin, migrate_to_chat_id: superId } });
    await expect.poll(async () => (await h.services.subscriptions?.get('telegram', String(superId)))?.time, { timeout: 5000 }).toBe('05:45');
    expect(await h.services.subscriptions?.get('telegram', String(g.id))).toBeUndefined();
  });
});
