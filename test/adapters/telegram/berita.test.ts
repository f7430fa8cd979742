/**
 * /berita end to end: the real grammY bot long-polling the fake Bot API, reading real pages from a
 * loopback news site, its answers validated by the fake the way Telegram validates them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegramHtml, type FakeChat, type FakeUser, type SentMessage } from '../../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../../helpers/news-server.js';
import { startHarness, type Harness } from './harness.js';
import { followUpArticle, longArticle } from './pages.js';

const PAGES = join(import.meta.dirname, '..', '..', 'fixtures', 'pages');
const truth = JSON.parse(readFileSync(join(PAGES, 'ground-truth.json'), 'utf8')) as Record<string, { title: string; content: string }>;
const page = (name: string): { contentType: string; body: Buffer } => ({ contentType: 'text/html; charset=utf-8', body: readFileSync(join(PAGES, name)) });

let site: NewsServer;
let h: Harness;

beforeAll(async () => {
  site = await startNewsServer({
    '/antara': page('antara-singlepage.html'),
    '/kompas': page('kompas-singlepage2.html'),
    '/republika': page('republika-singlepage.html'),
    '/junk': { contentType: 'text/html; charset=utf-8', body: '<html><body><nav><a href="/">Beranda</a> | <a href="/x">Indeks</a></nav><div>©</div></body></html>' },
    '/foto.jpg': { contentType: 'image/jpeg', body: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]) },
    '/besar': { contentType: 'text/html; charset=utf-8', body: `<html><body><p>${'Berita panjang sekali. '.repeat(30_000)}</p></body></html>` },
    '/diam': { hang: true },
  });
  site.route('/panjang', { contentType: 'text/html; charset=utf-8', body: longArticle(site.origin) });
  site.route('/lanjutan', { contentType: 'text/html; charset=utf-8', body: followUpArticle() });
  h = await startHarness({ fetchTimeoutMs: 1500, maxBytes: 300_000 });
});

afterAll(async () => {
  await h?.close();
  await site?.close();
});

function person(over: Partial<FakeUser> = {}): { user: FakeUser; chat: FakeChat } {
  const user = h.tg.user(over);
  return { user, chat: h.tg.privateChat(user) };
}

/** Sends a text and waits for `count` new bot messages in that chat. */
async function ask(user: FakeUser, chat: FakeChat, text: string, count = 1, extra = {}): Promise<SentMessage[]> {
  const before = h.tg.messages(chat.id).length;
  await h.tg.sendText(user, chat, text, extra);
  const all = await h.tg.waitForMessages(chat.id, before + count);
  return all.slice(before);
}

const entity = (m: SentMessage, type: string) => m.entities.filter((e) => e.type === type).map((e) => ({ ...e, text: m.text.slice(e.offset, e.offset + e.length) }));

describe('/berita with a link', () => {
  it('answers with the reading of the page: linked bold title, outlet and time, summary, quotes with speakers', async () => {
    const { user, chat } = person();
    const [m] = await ask(user, chat, `/berita ${site.url('/antara')}`);
    const t = truth['antara-singlepage.html'];
    expect(m).toBeDefined();
    if (m === undefined || t === undefined) return;
    // Title: bold, linked to the article.
    expect(m.text.startsWith(t.title)).toBe(true);
    expect(entity(m, 'text_link')[0]).toMatchObject({ offset: 0, text: t.title, url: site.url('/antara') });
    expect(entity(m, 'bold')[0]).toMatchObject({ offset: 0, text: t.title });
    // Outlet · time · place in italics on the next line.
    expect(entity(m, 'italic')[0]?.text).toBe('127.0.0.1 · Kamis, 5 November 2015 14.56 WIB · Mataram, NTB');
    // The summary comes from the page, without the dateline.
    expect(m.text).toContain('Ringkasan\n• Sebanyak 29 penerbangan baik domestik dan internasional');
    expect(m.text).not.toContain('(ANTARA News) -');
    // Quotes in blockquotes, with the speaker.
    const quotes = entity(m, 'blockquote').map((q) => q.text);
    expect(quotes.some((q) => q.startsWith('“Penutupan operasional bandara') && q.endsWith('— Eka Asmadi'))).toBe(true);
    for (const q of quotes) expect(t.content.replace(/\s+/g, ' ')).toContain(q.slice(1, 60));
    // Sent as HTML, link preview off, a button to the article; "typing…" while reading.
    expect(m.parse_mode).toBe('HTML');
    expect(m.link_preview_options).toEqual({ is_disabled: true });
    expect(m.reply_markup?.inline_keyboard.flat()).toContainEqual({ text: 'Baca artikel', url: site.url('/antara') });
    expect(h.tg.actions(chat.id)).toContain('typing');
    const typing = h.tg.calls.findIndex((c) => c.method === 'sendChatAction' && c.payload['chat_id'] === chat.id);
    const sent = h.tg.calls.findIndex((c) => c.method === 'sendMessage' && c.payload['chat_id'] === chat.id);
    expect(typing).toBeGreaterThan(-1);
    expect(typing).toBeLessThan(sent);
  });

  it('reads a bare link in a private chat, and escapes what the article says', async () => {
    const { user, chat } = person();
    const [m] = await ask(user, chat, site.url('/kompas'));
    const t = truth['kompas-singlepage2.html'];
    expect(m?.text.startsWith(t?.title ?? '?')).toBe(true);
    // The title has quotation marks; the HTML escapes nothing it need not, and parses back to the same text.
    expect(m?.html).toContain('Menteri Yuddy Ancam PNS yang Rankingnya Terendah Akan "Dipangkas"');
    expect(m?.text).toContain('Yuddy Chrisnandi');
  });

  it('reads a forwarded post whose link hides behind its text, and "/berita" sent as a reply to a link', async () => {
    const { user, chat } = person();
    const text = 'Marcella Zalianty promosikan pariwisata lewat film. Selengkapnya di sini';
    const [m] = await ask(user, chat, text, 1, {
      forward_origin: { type: 'channel', date: 1, chat: { id: -100999, type: 'channel', title: 'Kanal Berita' }, message_id: 7 },
      entities: [{ type: 'text_link', offset: text.indexOf('di sini'), length: 7, url: site.url('/republika') }],
    });
    expect(m?.text.startsWith(truth['republika-singlepage.html']?.title ?? '?')).toBe(true);

    const g = h.tg.group('Warga RT 5');
    const other = h.tg.user();
    const linkMsg = await h.tg.sendText(other, g, `coba baca ${site.url('/antara')}`);
    const before = h.tg.messages(g.id).length;
    await h.tg.sendText(user, g, '/berita', { reply_to_message: linkMsg });
    const [r] = (await h.tg.waitForMessages(g.id, before + 1)).slice(before);
    expect(r?.text.startsWith(truth['antara-singlepage.html']?.title ?? '?')).toBe(true);
  });

  it('in a group, answers /berita as a reply to the asker and ignores chatter and other bots\' commands', async () => {
    const g = h.tg.group('Diskusi Kampung', 'supergroup');
    const { user } = person();
    await h.tg.sendText(user, g, site.url('/antara'));
    await h.tg.sendText(user, g, '/berita@OtherNewsBot banjir');
    const ask1 = await h.tg.sendText(user, g, `/berita@${h.tg.bot.username} ${site.url('/antara')}`);
    const [m] = await h.tg.waitForMessages(g.id, 1);
    expect(m?.reply_parameters?.message_id).toBe(ask1.message_id);
    expect(m?.text.startsWith(truth['antara-singlepage.html']?.title ?? '?')).toBe(true);
    // Nothing else came: neither the bare link nor the other bot's command got an answer.
    await new Promise((r) => setTimeout(r, 300));
    expect(h.tg.messages(g.id)).toHaveLength(1);
  });
});

describe('/berita with keywords', () => {
  it('finds stories the bot has read', async () => {
    const { user, chat } = person();
    await ask(user, chat, `/berita ${site.url('/antara')}`);
    const [m] = await ask(user, chat, '/berita penerbangan lombok');
    expect(m?.text).toContain('Berita tentang “penerbangan lombok”');
    const links = m === undefined ? [] : entity(m, 'text_link');
    expect(links.map((l) => l.text)).toContain(truth['antara-singlepage.html']?.title);
    const [none] = await ask(user, chat, '/berita gempa bumi sulawesi');
    expect(none?.text).toBe('Maaf, belum ada berita tentang “gempa bumi sulawesi”.');
  });
});

describe('a reading longer than one message', () => {
  it('is split at paragraph or sentence boundaries into consecutive valid messages, buttons on the last', async () => {
    const { user, chat } = person();
    const before = h.tg.messages(chat.id).length;
    await h.tg.sendText(user, chat, `/berita ${site.url('/panjang')}`);
    await h.tg.waitFor(() => h.tg.messages(chat.id).some((m) => m.reply_markup !== undefined), 10_000, 'the last part');
    const parts = h.tg.messages(chat.id).slice(before);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    const sends = h.tg.callsOf('sendMessage').filter((c) => c.payload['chat_id'] === chat.id);
    expect(sends.every((c) => c.status === 200)).toBe(true);
    for (const [i, p] of parts.entries()) {
      expect(p.text.length).toBeLessThanOrEqual(4096);
      // Each part is complete HTML on its own (the fake parsed it; so does this).
      expect(parseTelegramHtml(p.html).text).toBe(p.text);
      expect(p.message_id).toBe((parts[0]?.message_id ?? 0) + i);
      // Every part but the last ends at the end of a sentence or paragraph.
      if (i < parts.length - 1) expect(p.text).toMatch(/[.!?…"”’]$/);
      expect(p.reply_markup === undefined).toBe(i < parts.length - 1);
    }
    const all = parts.map((p) => p.text).join('\n');
    expect(all.startsWith('Banjir Bandang Landa Delapan Provinsi, Ribuan Warga Mengungsi\nKompas.com · Sabtu, 28 November 2026 07.30 WIB')).toBe(true);
    // Article text with & < > arrives as text, escaped in the HTML.
    expect(all).toContain('Polri & relawan PT Sinar <Nusantara>');
    expect(parts.map((p) => p.html).join('')).toContain('Polri &amp; relawan PT Sinar &lt;Nusantara&gt;');
    expect(all).toContain('Kutipan penting');
    expect(all).toContain('— Siti Rahmawati');
    const buttons = parts.at(-1)?.reply_markup?.inline_keyboard.flat() ?? [];
    expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining(['Kutipan lainnya', 'Baca artikel']));
  });

  it('"Kutipan lainnya" answers the callback, posts the other quotes and takes the button away', async () => {
    const { user, chat } = person();
    await h.tg.sendText(user, chat, `/berita ${site.url('/panjang')}`);
    const last = await h.tg.waitFor(() => h.tg.messages(chat.id).find((m) => m.reply_markup !== undefined), 10_000);
    const more = last.reply_markup?.inline_keyboard.flat().find((b) => b.text === 'Kutipan lainnya');
    expect(more?.callback_data).toMatch(/^q:[A-Za-z0-9_-]{16}$/);
    const count = h.tg.messages(chat.id).length;
    const id = await h.tg.pressButton(user, last, more?.callback_data ?? '');
    const [quotes] = (await h.tg.waitForMessages(chat.id, count + 1)).slice(count);
    expect(h.tg.callbackAnswers.map((a) => a.callback_query_id)).toContain(id);
    expect(quotes?.text.startsWith('Kutipan lainnya: Banjir Bandang Landa Delapan Provinsi')).toBe(true);
    const blockquotes = quotes === undefined ? [] : entity(quotes, 'blockquote');
    expect(blockquotes).toHaveLength(3);
    expect(blockquotes.every((q) => q.text.endsWith('— Siti Rahmawati'))).toBe(true);
    await h.tg.waitFor(() => last.edits > 0, 5000, 'the button removed');
    expect(last.reply_markup?.inline_keyboard.flat().map((b) => b.text)).not.toContain('Kutipan lainnya');
  });

  it('"Berita terkait" lists other stories on the same subject that the bot has read', async () => {
    const { user, chat } = person();
    await ask(user, chat, `/berita ${site.url('/lanjutan')}`);
    await h.tg.sendText(user, chat, `/berita ${site.url('/panjang')}`);
    const last = await h.tg.waitFor(() => h.tg.messages(chat.id).find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === 'Kutipan lainnya')), 10_000);
    const related = last.reply_markup?.inline_keyboard.flat().find((b) => b.text === 'Berita terkait');
    expect(related?.callback_data).toMatch(/^r:/);
    const count = h.tg.messages(chat.id).length;
    await h.tg.pressButton(user, last, related?.callback_data ?? '');
    const [list] = (await h.tg.waitForMessages(chat.id, count + 1)).slice(count);
    expect(list?.text.startsWith('Berita terkait: Banjir Bandang Landa Delapan Provinsi')).toBe(true);
    const links = list === undefined ? [] : entity(list, 'text_link');
    expect(links.map((l) => l.text)).toContain('BPBD Tambah Posko Pengungsian Korban Banjir Bandang Lombok');
    expect(links.map((l) => l.url)).toContain(site.url('/lanjutan'));
    // Not the article itself.
    expect(links.map((l) => l.url)).not.toContain(site.url('/panjang'));
  });

  it('a button this instance does not remember re-reads the article linked in the message (restart, another instance)', async () => {
    const { user, chat } = person();
    const [reading] = await ask(user, chat, `/berita ${site.url('/antara')}`);
    if (reading === undefined) throw new Error('no reading');
    const hits = site.hits('/antara');
    const count = h.tg.messages(chat.id).length;
    await h.tg.pressButton(user, reading, 'q:ZZZZZZZZZZZZZZZZ');
    const [answer] = (await h.tg.waitForMessages(chat.id, count + 1)).slice(count);
    expect(site.hits('/antara')).toBe(hits + 1);
    // That article has no quotes beyond the ones shown.
    expect(answer?.text).toBe('Tidak ada kutipan lain di artikel ini.');
  });

  it('an unknown or expired button gets a short callback answer, not a message', async () => {
    const { user, chat } = person();
    const [m] = await ask(user, chat, '/help');
    if (m === undefined) throw new Error('no help');
    const count = h.tg.messages(chat.id).length;
    const id = await h.tg.pressButton(user, m, 'q:AAAAAAAAAAAAAAAA');
    await h.tg.waitFor(() => h.tg.callbackAnswers.find((a) => a.callback_query_id === id));
    expect(h.tg.callbackAnswers.find((a) => a.callback_query_id === id)?.text).toBe('Maaf, tombol ini sudah kedaluwarsa. Kirim ulang tautannya, ya.');
    expect(h.tg.messages(chat.id)).toHaveLength(count);
  });
});

describe('links that are not news articles', () => {
  it('gives a clear answer for junk, 404, oversized, never-ending and image links, and keeps working', async () => {
    const { user, chat } = person();
    const cases: [string, string][] = [
      ['/junk', 'Maaf, saya tidak menemukan artikel berita di halaman itu.'],
      ['/tidak-ada', 'Maaf, halaman itu tidak ditemukan'],
      ['/besar', 'Maaf, halaman itu terlalu besar untuk saya baca.'],
      ['/diam', 'Maaf, situs berita itu terlalu lama menjawab.'],
      ['/foto.jpg', 'Maaf, tautan itu bukan halaman berita'],
    ];
    for (const [path, expected] of cases) {
      const [m] = await ask(user, chat, `/berita ${site.url(path)}`);
      expect(m?.text, path).toContain(expected);
      expect(m?.text, path).not.toMatch(/Error|stack|undefined/);
    }
    const [nonsense] = await ask(user, chat, '/berita http://');
    expect(nonsense?.text).toMatch(/^Maaf/);
    const [help] = await ask(user, chat, '/help');
    expect(help?.text).toContain('/berita <tautan>');
  });
});

describe('a slow site', () => {
  it('holds up only its own chat: others are answered meanwhile', async () => {
    const slow = person();
    const quick = person();
    await h.tg.sendText(slow.user, slow.chat, `/berita ${site.url('/diam')}`);
    const [help] = await ask(quick.user, quick.chat, '/help');
    expect(help?.text).toContain('/berita <tautan>');
    // The quick answer came while the slow reading was still waiting for the silent site.
    expect(h.tg.messages(slow.chat.id)).toHaveLength(0);
    const [late] = await h.tg.waitForMessages(slow.chat.id, 1);
    expect(late?.text).toContain('terlalu lama menjawab');
  });
});

describe('/start, /help and the command list', () => {
  it('explains the bot in Indonesian, or in English for language_code en', async () => {
    const { user, chat } = person({ first_name: 'Wayan', language_code: 'id' });
    const [start] = await ask(user, chat, '/start');
    expect(start?.text).toContain('Halo, Wayan! Saya Ringkas.');
    expect(start?.text).toContain('/berita <tautan> — ringkasan satu artikel berita');
    expect(start?.text).toContain('cukup kirim tautan berita');
    expect(start?.text).toContain('/digest 07:00 WIB');
    const en = person({ first_name: 'Jane', language_code: 'en-GB' });
    const [help] = await ask(en.user, en.chat, '/help');
    expect(help?.text).toContain('Ringkas reads Indonesian news for you');
    expect(help?.text).toContain('just send a news link');
    const [unknown] = await ask(en.user, en.chat, '/entah');
    expect(unknown?.text).toBe('Sorry, I do not know that command. Type /help to see the commands.');
  });

  it('/help does not greet; a photo or sticker without a link gets a hint', async () => {
    const { user, chat } = person({ first_name: 'Made' });
    const [help] = await ask(user, chat, '/help');
    expect(help?.text).not.toContain('Halo');
    const before = h.tg.messages(chat.id).length;
    await h.tg.pushUpdate({ message: { message_id: 77, date: 1, chat, from: user, sticker: { file_id: 'x', file_unique_id: 'y', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } } });
    const [hint] = (await h.tg.waitForMessages(chat.id, before + 1)).slice(before);
    expect(hint?.text).toBe('Maaf, tidak ada teks atau tautan yang bisa saya baca. Kirim tautan berita atau tempel teks artikelnya.');
  });

  it('set the command list in both languages', () => {
    const id = h.tg.commands.get('default:');
    const en = h.tg.commands.get('default:en');
    expect(id?.map((c) => c.command).sort()).toEqual(['berita', 'digest', 'help']);
    expect(id?.find((c) => c.command === 'berita')?.description).toBe('Ringkas satu berita dari tautan, atau cari berita dengan kata kunci');
    expect(en?.find((c) => c.command === 'berita')?.description).toBe('Summarize a news article from a link, or search stories by keywords');
  });
});

describe('pasted article text', () => {
  it('reads pasted text, joining a long paste Telegram split into two messages', async () => {
    const { user, chat } = person();
    const sentence = (i: number): string =>
      `Pemerintah kota menambah ${i + 10} unit bus listrik untuk melayani warga di koridor baru yang menghubungkan terminal dengan kawasan industri di timur kota.`;
    const body = ['Bus Listrik Tambahan Layani Koridor Baru', '', ...Array.from({ length: 40 }, (_, i) => sentence(i))].join('\n');
    const cut = body.lastIndexOf('\n', 4000);
    const count = h.tg.messages(chat.id).length;
    await h.tg.sendText(user, chat, body.slice(0, cut));
    await h.tg.sendText(user, chat, body.slice(cut + 1));
    const [m] = (await h.tg.waitForMessages(chat.id, count + 1)).slice(count);
    expect(m?.text.startsWith('Bus Listrik Tambahan Layani Koridor Baru')).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    // One reading for the two pieces.
    expect(h.tg.messages(chat.id)).toHaveLength(count + 1);
  });
});
