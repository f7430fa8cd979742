/**
 * The real discord.js client against a loopback Discord (test/helpers/fake-discord.ts), reading
 * real news pages from a loopback news site: what a member sees after typing /berita or /digest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands, type CommandServices } from '../../../commands/index.js';
import { startDiscord, type DiscordBot } from '../../../src/adapters/discord/index.js';
import { createFetcher, normalizeUrl } from '../../../src/adapters/http/index.js';
import { openStore } from '../../../src/adapters/store/index.js';
import { createSubscriptionStore, type SubscriptionStore } from '../../../src/adapters/store/subscriptions.js';
import { createReaderService } from '../../../src/services/read.js';
import { createMemorySearch } from '../../../src/services/search.js';
import { startFakeDiscord, type FakeDiscord, type FakeMessage, type InteractOptions } from '../../helpers/fake-discord.js';
import { startNewsServer, type NewsServer } from '../../helpers/news-server.js';
import { silentLogger } from '../../helpers/services.js';

const PAGES = join(import.meta.dirname, '..', '..', 'fixtures', 'pages');
const TRUTH = JSON.parse(readFileSync(join(PAGES, 'ground-truth.json'), 'utf8')) as Record<string, { title: string; content: string }>;
const FILES = Object.keys(TRUTH);
const page = (file: string): string => readFileSync(join(PAGES, file), 'utf8');

/** A second story on the liputan6 page's topic, so that "Berita terkait" has something to show. */
const RELATED_PAGE = `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Tri Indonesia Perluas Layanan 4G dan Ekosistem Digital ke Lima Kota</title>
<meta property="og:site_name" content="Warta Contoh"></head><body><article><h1>Tri Indonesia Perluas Layanan 4G dan Ekosistem Digital ke Lima Kota</h1>
${[
  'Jakarta - Operator seluler Tri Indonesia memperluas layanan broadband 4G ke lima kota besar di Tanah Air pada pekan ini untuk mendorong ekosistem digital dalam negeri yang terus tumbuh.',
  'Direktur Tri Indonesia mengatakan pelanggan data di jaringan Tri naik tajam dalam setahun terakhir karena makin banyak orang memakai layanan digital buatan pengembang lokal.',
  'Menurut perusahaan, peluncuran layanan 4G di lima kota itu didukung penambahan ribuan menara pemancar baru serta kerja sama dengan pengembang aplikasi dalam negeri.',
  'Pengamat telekomunikasi menilai persaingan operator seluler dalam layanan broadband akan semakin ketat seiring pembangunan jaringan 4G di berbagai daerah di Indonesia.',
  'Tri Indonesia juga berencana menggandeng perusahaan rintisan digital untuk memperkuat ekosistem digital dalam negeri dan menyediakan konten lokal bagi pelanggannya.',
].map((p) => `<p>${p}</p>`).join('\n')}
</article></body></html>`;

/** Embed text without Discord's markdown escapes. */
const plain = (s: string | undefined): string => (s ?? '').replace(/\\([\\*_~`|[\]#>.-])/g, '$1');
const norm = (s: string): string => s.replace(/\s+/g, ' ').replace(/[“”]/g, '"').trim();

function everything(msg: FakeMessage): string {
  const e = msg.embeds[0];
  return plain([e?.title, e?.author?.name, e?.description, ...(e?.fields ?? []).flatMap((f) => [f.name, f.value]), e?.footer?.text].filter(Boolean).join('\n'));
}

function buttons(msg: FakeMessage): { label?: string; url?: string; custom_id?: string }[] {
  return msg.components.flatMap((r) => r.components.filter((c) => c.type === 2));
}

function services(opts: { allowPrivate: boolean; subscriptions?: SubscriptionStore }): CommandServices {
  return {
    reader: createReaderService({
      fetcher: createFetcher({ allowPrivate: opts.allowPrivate, totalTimeoutMs: 4000, maxBytes: 400_000 }),
      logger: silentLogger,
      normalizeUrl,
    }),
    search: createMemorySearch(),
    ...(opts.subscriptions !== undefined ? { subscriptions: opts.subscriptions } : {}),
  };
}

let userSeq = 200000000000000000n;
const nextUser = (): string => String(++userSeq);

describe('Discord end to end (discord.js against a loopback Discord)', () => {
  let discord: FakeDiscord;
  let site: NewsServer;
  let bot: DiscordBot;
  let subscriptions: SubscriptionStore;

  beforeAll(async () => {
    const routes: Parameters<typeof startNewsServer>[0] = {
      '/tri-4g': { contentType: 'text/html; charset=utf-8', body: RELATED_PAGE },
      '/foto.jpg': { contentType: 'image/jpeg', body: new Uint8Array(4096).fill(0xff) },
      '/raksasa': { contentType: 'text/html; charset=utf-8', body: `<html><body>${'<p>Teks panjang sekali. </p>'.repeat(30_000)}</body></html>` },
      '/tanpa-akhir': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.write('<html><body><p>Berita yang tidak pernah selesai');
        const t = setInterval(() => res.write(' lagi'), 200);
        res.on('close', () => clearInterval(t));
      },
    };
    for (const f of FILES) routes[`/${f}`] = { contentType: 'text/html; charset=utf-8', body: page(f) };
    site = await startNewsServer(routes);
    discord = await startFakeDiscord();
    subscriptions = createSubscriptionStore(await openStore('memory://', silentLogger));
    bot = await startDiscord({
      config: { ...discord.config(), DIGEST_TIMEZONE: 'Asia/Jakarta' },
      services: services({ allowPrivate: true, subscriptions }),
      commands: loadCommands(),
      logger: silentLogger,
      interactions: { rateLimits: { guild: { capacity: 1000, refillPerSecond: 100 } } },
    });
  });

  afterAll(async () => {
    await bot?.stop();
    await discord?.close();
    await site?.close();
  });

  /** Sends an interaction, checks it was acknowledged in time, returns the final message. */
  async function ask(opts: InteractOptions): Promise<{ msg: FakeMessage; ack: { type: number; at: number; data?: unknown }; elapsedMs: number }> {
    const h = await discord.interact({ user: { id: nextUser() }, ...opts });
    const ack = await h.acked(3500);
    expect(ack.at - h.sentAt).toBeLessThan(3000);
    const msg = await h.final(15_000);
    return { msg, ack, elapsedMs: msg.at - h.sentAt };
  }

  const berita = (masukan: string, extra: Partial<InteractOptions> = {}): ReturnType<typeof ask> => ask({ command: 'berita', options: { masukan }, ...extra });

  it('/berita <link>: deferred at once, then one embed that matches the page', async () => {
    const file = 'liputan6-singlepage.html';
    const { msg, ack } = await berita(site.url(`/${file}`));
    expect(ack.type).toBe(5);
    // What the reader makes of the same page, independently.
    const expected = await services({ allowPrivate: true }).reader.readUrl(site.url(`/${file}`));
    const e = msg.embeds[0];
    expect(msg.embeds).toHaveLength(1);
    expect(e?.title).toBe(TRUTH[file]?.title);
    // The page names tekno.liputan6.com as its canonical URL, but it was served from another host
    // (the loopback site): the claim is not believed, and the link is the page that was read.
    expect(e?.url).toBe(site.url(`/${file}`));
    expect(e?.author?.name).toContain('liputan6.com');
    expect(e?.author?.name).toContain('2016');
    const description = plain(e?.description);
    expect(description.startsWith('**Ringkasan**\n• ')).toBe(true);
    expect(expected.summary.length).toBeGreaterThan(0);
    for (const s of expected.summary) {
      expect(description).toContain(s);
      expect(norm(TRUTH[file]?.content ?? '')).toContain(norm(s).slice(0, 40));
    }
    const quotes = e?.fields?.find((f) => f.name === 'Kutipan penting');
    expect(quotes).toBeDefined();
    for (const q of expected.quotes.slice(0, 3)) {
      expect(plain(quotes?.value)).toContain(q.text.slice(0, 60));
      if (q.speaker !== null) expect(plain(quotes?.value)).toContain(q.speaker);
      expect(norm(TRUTH[file]?.content ?? '')).toContain(norm(q.text).slice(0, 40));
    }
    const related = e?.fields?.find((f) => f.name === 'Baca juga');
    expect(expected.related.length).toBeGreaterThan(0);
    for (const r of expected.related.slice(0, 5)) {
      expect(plain(related?.value)).toContain(r.title);
      expect(related?.value).toContain(`(${r.url ?? ''})`);
    }
    expect(e?.footer?.text).toBe(`Kata kunci: ${expected.keywords.join(', ')}`);
    expect(buttons(msg)[0]).toMatchObject({ label: 'Baca artikel', url: e?.url });
    expect(discord.rejections).toEqual([]);
  });

  it('answers in English for an English Discord client', async () => {
    const { msg } = await berita(site.url('/antara-singlepage.html'), { locale: 'en-US' });
    const e = msg.embeds[0];
    expect(e?.description?.startsWith('**Summary**')).toBe(true);
    expect(e?.fields?.[0]?.name).toBe('Key quotes');
    expect(e?.footer?.text?.startsWith('Keywords: ')).toBe(true);
    expect(buttons(msg)[0]?.label).toBe('Read the article');
    const { msg: err } = await berita(site.url('/hilang'), { locale: 'en-GB' });
    expect(everything(err)).toBe('Sorry, that page was not found (it may have been removed or moved).');
  });

  it('offers "Kutipan lainnya" and "Ringkasan lengkap" where they help, and answers them privately', async () => {
    const file = 'kapanlagi-singlepage.html';
    const { msg } = await berita(site.url(`/${file}`));
    const byLabel = new Map(buttons(msg).map((b) => [b.label, b]));
    expect([...byLabel.keys()]).toEqual(['Baca artikel', 'Ringkasan lengkap', 'Kutipan lainnya']);
    const expected = await services({ allowPrivate: true }).reader.readUrl(site.url(`/${file}`));

    const more = await discord.click(msg, byLabel.get('Kutipan lainnya')?.custom_id ?? '', { user: { id: nextUser() } });
    expect(await more.acked(3500)).toMatchObject({ type: 5, data: { flags: 64 } });
    const moreMsg = await more.final(15_000);
    const shown = plain(moreMsg.embeds[0]?.description);
    expect(shown.startsWith('**Kutipan lainnya**\n> “')).toBe(true);
    expect(expected.quotes.length).toBeGreaterThan(3);
    for (const q of expected.quotes.slice(3)) expect(shown).toContain(q.text.slice(0, 40));
    for (const q of expected.quotes.slice(0, 3)) expect(shown).not.toContain(q.text.slice(0, 40));

    const full = await discord.click(msg, byLabel.get('Ringkasan lengkap')?.custom_id ?? '', { user: { id: nextUser() } });
    const fullMsg = await full.final(15_000);
    const bullets = (fullMsg.embeds[0]?.description ?? '').split('\n').filter((l) => l.startsWith('• '));
    expect(fullMsg.embeds[0]?.description?.startsWith('**Ringkasan lengkap**')).toBe(true);
    expect(bullets.length).toBeGreaterThan(expected.summary.length);

    const stale = await discord.click(msg, 'rk:quotes:kedaluwarsa', { user: { id: nextUser() } });
    expect(await stale.acked(3500)).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(everything(await stale.final())).toContain('Tombol ini sudah kedaluwarsa');
    expect(discord.rejections).toEqual([]);
  });

  it('offers "Berita terkait" when the corpus knows a related story', async () => {
    await berita(site.url('/tri-4g'));
    const { msg } = await berita(site.url('/liputan6-singlepage.html'));
    const related = buttons(msg).find((b) => b.label === 'Berita terkait');
    expect(related).toBeDefined();
    const h = await discord.click(msg, related?.custom_id ?? '', { user: { id: nextUser() } });
    const answer = await h.final(15_000);
    const shown = answer.embeds[0]?.description ?? '';
    expect(shown.startsWith('**Berita terkait**\n• [')).toBe(true);
    expect(plain(shown)).toContain(`[Tri Indonesia Perluas Layanan 4G dan Ekosistem Digital ke Lima Kota](${site.url('/tri-4g')})`);
  });

  it('/berita <keywords>: the matching stories, each with a line, and a menu that opens one', async () => {
    await berita(site.url('/antara-singlepage.html'));
    const { msg } = await berita('penerbangan bandara lombok');
    const e = msg.embeds[0];
    expect(e?.title).toBe('Berita tentang “penerbangan bandara lombok”');
    const title = TRUTH['antara-singlepage.html']?.title ?? '';
    expect(plain(e?.description)).toContain(`**1. [${title}](${site.url('/antara-singlepage.html')})**\n`);
    const menu = msg.components.flatMap((r) => r.components).find((c) => c.type === 3);
    expect(menu?.placeholder).toBe('Pilih berita untuk dibuka');
    expect(menu?.options?.[0]?.label).toBe(title);

    const open = await discord.select(msg, menu?.custom_id ?? '', ['0'], { user: { id: nextUser() } });
    expect(await open.acked(3500)).toMatchObject({ type: 5, data: { flags: 0 } });
    const opened = await open.final(15_000);
    expect(opened.embeds[0]?.title).toBe(title);
    expect(discord.rejections).toEqual([]);
  });

  it('gives each failure a clear answer, and still answers afterwards', async () => {
    const cases: [string, Partial<InteractOptions>, string][] = [
      ['junk', { options: { masukan: '%%% ### !!!' } }, 'Maaf, belum ada berita tentang “%%% ### !!!”.'],
      ['wrong option type', { rawOptions: [{ name: 'masukan', type: 4, value: 12345 }] }, 'Maaf, belum ada berita tentang “12345”.'],
      ['no option at all', { rawOptions: [] }, 'Maaf, tidak ada teks atau tautan yang bisa saya baca. Kirim tautan berita atau tempel teks artikelnya.'],
      ['not a link', { options: { masukan: 'htp:/ /x' } }, 'Maaf, belum ada berita tentang “htp:/ /x”.'],
      ['404', { options: { masukan: site.url('/hilang') } }, 'Maaf, halaman itu tidak ditemukan (mungkin sudah dihapus atau dipindahkan).'],
      ['oversized body', { options: { masukan: site.url('/raksasa') } }, 'Maaf, halaman itu terlalu besar untuk saya baca.'],
      ['never-ending response', { options: { masukan: site.url('/tanpa-akhir') } }, 'Maaf, situs berita itu terlalu lama menjawab. Coba lagi sebentar lagi.'],
      ['image', { options: { masukan: site.url('/foto.jpg') } }, 'Maaf, tautan itu bukan halaman berita (isinya gambar). Saya hanya bisa membaca halaman web atau teks.'],
    ];
    for (const [what, opts, expected] of cases) {
      const { msg, elapsedMs } = await ask({ command: 'berita', ...opts });
      expect({ what, text: everything(msg) }).toEqual({ what, text: expected });
      expect(elapsedMs).toBeLessThan(15_000);
      expect(msg.embeds[0]?.color).toBe(0xd64545);
    }
    const unknown = await discord.interact({ command: 'entah', user: { id: nextUser() } });
    expect(await unknown.acked(3500)).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(everything(await unknown.final())).toBe('Maaf, perintah itu tidak saya kenal. Ketik /help untuk melihat daftar perintah.');

    const after = await berita(site.url('/detik-singlepage.html'));
    expect(after.msg.embeds[0]?.title).toBe(TRUTH['detik-singlepage.html']?.title);
    expect(discord.rejections).toEqual([]);
  });

  it('/digest: members without Manage Channels may look but not change; with it, they subscribe', async () => {
    const member = { id: nextUser() };
    const refused = await ask({ command: 'digest', subcommand: 'subscribe', options: { time: '07:00' }, user: member, manageChannels: false });
    expect(everything(refused.msg)).toBe('Maaf, hanya anggota dengan izin Kelola Saluran (Manage Channels) yang bisa mengubah ringkasan harian di sini.');
    expect(await subscriptions.get('discord', discord.channelId)).toBeUndefined();
    const status = await ask({ command: 'digest', subcommand: 'status', user: member });
    expect(everything(status.msg)).toBe('Belum ada ringkasan harian untuk #berita-harian. Contoh: /digest 07:00 WIB politik');

    const admin = { id: nextUser() };
    const ok = await ask({ command: 'digest', subcommand: 'subscribe', options: { time: '07:00', timezone: 'WIB', topics: 'politik, ekonomi' }, user: admin, manageChannels: true });
    expect(everything(ok.msg)).toBe('Ringkasan harian akan dikirim ke #berita-harian setiap hari pukul 07.00 WIB, khusus topik: politik, ekonomi.');
    expect(await subscriptions.get('discord', discord.channelId)).toMatchObject({ guildId: discord.guildId, channelName: '#berita-harian', time: '07:00', timeZone: 'Asia/Jakarta', topics: ['politik', 'ekonomi'], createdBy: admin.id, locale: 'id' });

    const removeRefused = await ask({ command: 'digest', subcommand: 'unsubscribe', user: member });
    expect(removeRefused.msg.embeds[0]?.color).toBe(0xd64545);
    const removed = await ask({ command: 'digest', subcommand: 'unsubscribe', user: admin, manageChannels: true, locale: 'en-US' });
    expect(everything(removed.msg)).toBe('The daily digest for #berita-harian is stopped. Nothing more will be posted.');
    expect(await subscriptions.get('discord', discord.channelId)).toBeUndefined();
  });

  it('answers 20 concurrent /berita, every one acknowledged in time', async () => {
    const files = Array.from({ length: 20 }, (_, n) => FILES[n % FILES.length] as string);
    const handles = await Promise.all(files.map((f) => discord.interact({ command: 'berita', options: { masukan: site.url(`/${f}`) }, user: { id: nextUser() } })));
    const acks = await Promise.all(handles.map((h) => h.acked(3500)));
    acks.forEach((a, n) => expect(a.at - (handles[n]?.sentAt ?? 0)).toBeLessThan(3000));
    const finals = await Promise.all(handles.map((h) => h.final(20_000)));
    expect(finals.map((m) => m.embeds[0]?.title)).toEqual(files.map((f) => TRUTH[f]?.title));
    expect(discord.rejections).toEqual([]);
  });

  it('tells a user who hammers /berita to wait a moment', async () => {
    const user = { id: nextUser() };
    const handles = [];
    for (let n = 0; n < 7; n++) handles.push(await discord.interact({ command: 'berita', options: { masukan: 'gempa' }, user }));
    const acks = await Promise.all(handles.map((h) => h.acked(3500)));
    expect(acks.map((a) => a.type)).toEqual([5, 5, 5, 5, 5, 4, 4]);
    const limited = await handles[5]?.final();
    expect(limited?.flags).toBe(64);
    expect(everything(limited as FakeMessage)).toMatch(/^Tunggu sebentar, ya: coba lagi dalam \d+ detik\.$/);
    // Someone else is not affected.
    const other = await berita('gempa');
    expect(other.ack.type).toBe(5);
  });
});

describe('links to private addresses (FETCH_ALLOW_PRIVATE unset)', () => {
  let discord: FakeDiscord;
  let site: NewsServer;
  let bot: DiscordBot;

  beforeAll(async () => {
    site = await startNewsServer({ '/rahasia': { contentType: 'text/html; charset=utf-8', body: page('antara-singlepage.html') } });
    discord = await startFakeDiscord();
    bot = await startDiscord({ config: discord.config(), services: services({ allowPrivate: false }), commands: loadCommands(), logger: silentLogger });
  });
  afterAll(async () => {
    await bot?.stop();
    await discord?.close();
    await site?.close();
  });

  it('refuses them, and the server behind them never sees a request', async () => {
    for (const link of [site.url('/rahasia'), `http://localhost:${site.port}/rahasia`, `http://[::ffff:127.0.0.1]:${site.port}/rahasia`]) {
      const h = await discord.interact({ command: 'berita', options: { masukan: link }, user: { id: nextUser() } });
      expect((await h.acked(3500)).type).toBe(5);
      const msg = await h.final(15_000);
      expect(everything(msg)).toBe('Maaf, tautan itu mengarah ke alamat jaringan internal, jadi tidak saya buka.');
    }
    expect(site.requests).toEqual([]);
  });
});
