/** The adapter's own rules, with small commands of its own, against the loopback Discord. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord.js';
import type { Command, CommandContext } from '../../../commands/index.js';
import { startDiscord, type DiscordBot } from '../../../src/adapters/discord/index.js';
import { toCommandInput } from '../../../src/adapters/discord/interactions.js';
import { ActionMemory } from '../../../src/adapters/discord/memory.js';
import { infoReply } from '../../../src/core/reply.js';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../helpers/fake-discord.js';
import { silentLogger, testServices } from '../../helpers/services.js';

const text = (m: FakeMessage): string => [m.embeds[0]?.title, m.embeds[0]?.description].filter(Boolean).join('\n');

describe('toCommandInput', () => {
  it('flattens subcommands and values into the neutral input', () => {
    expect(
      toCommandInput([
        { name: 'subscribe', type: ApplicationCommandOptionType.Subcommand, options: [{ name: 'time', type: ApplicationCommandOptionType.String, value: '07:00' }, { name: 'topics', type: ApplicationCommandOptionType.String, value: 'politik' }] },
      ]),
    ).toEqual({ text: 'subscribe 07:00 politik', options: { subcommand: 'subscribe', time: '07:00', topics: 'politik' } });
    expect(toCommandInput([{ name: 'masukan', type: ApplicationCommandOptionType.Integer, value: 5 }])).toEqual({ text: '5', options: { masukan: '5' } });
    expect(toCommandInput([])).toEqual({ text: '', options: {} });
  });
});

describe('ActionMemory', () => {
  it('forgets the least recently used entries and old ones', () => {
    let t = 0;
    const m = new ActionMemory<string>({ max: 2, ttlMs: 100, now: () => t });
    const a = m.put('a');
    const b = m.put('b');
    expect(a).toMatch(/^[a-z0-9]{10}$/);
    expect(m.get(a)).toBe('a');
    m.put('c'); // forgets b, the least recently used
    expect(m.get(b)).toBeUndefined();
    t = 101;
    expect(m.get(a)).toBeUndefined();
  });
});

describe('interaction handling', () => {
  let discord: FakeDiscord;
  let bot: DiscordBot;
  const seen: CommandContext[] = [];

  const list: Command[] = [
    {
      data: { name: 'uji', description: { id: 'Uji', en: 'Test' }, usage: { id: '/uji', en: '/uji' }, options: [] },
      async execute(input, ctx) {
        seen.push(ctx);
        if (input.options['action'] !== undefined) return infoReply(ctx.locale, `aksi: ${input.options['action']}`);
        return { ...infoReply(ctx.locale, 'halo'), buttons: [{ label: 'Ulangi', action: 'ulang' }] };
      },
    },
    {
      data: { name: 'macet', description: { id: 'Macet', en: 'Hangs' }, usage: { id: '/macet', en: '/macet' }, options: [] },
      execute: (_input, ctx) =>
        new Promise((resolve) => {
          seen.push(ctx);
          ctx.signal?.addEventListener('abort', () => setTimeout(() => resolve(infoReply(ctx.locale, 'terlambat')), 2000));
        }),
    },
    {
      data: { name: 'rusak', description: { id: 'Rusak', en: 'Broken' }, usage: { id: '/rusak', en: '/rusak' }, options: [] },
      execute() {
        throw new Error('secret internals: /home/bot/.env');
      },
    },
    {
      data: { name: 'berita', description: { id: 'Berita', en: 'News' }, usage: { id: '/berita', en: '/berita' }, options: [] },
      async execute(_input, ctx) {
        return infoReply(ctx.locale, 'ok');
      },
    },
  ];
  const commands = new Map(list.map((c) => [c.data.name, c]));

  beforeAll(async () => {
    discord = await startFakeDiscord();
    bot = await startDiscord({
      config: discord.config(),
      services: testServices(),
      commands,
      logger: silentLogger,
      interactions: { commandTimeoutMs: 500, rateLimits: { user: { capacity: 100, refillPerSecond: 1 }, guild: { capacity: 3, refillPerSecond: 0.01 } } },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await discord?.close();
  });

  it('routes a Reply button with an action back to its command', async () => {
    const h = await discord.interact({ command: 'uji' });
    const msg = await h.final();
    const button = msg.components[0]?.components[0];
    expect(button).toMatchObject({ type: 2, label: 'Ulangi' });
    const click = await discord.click(msg, button?.custom_id ?? '');
    expect(text(await click.final())).toBe('aksi: ulang');
  });

  it('tells the command who and where: guild member, or a private chat where the user manages', async () => {
    seen.length = 0;
    await (await discord.interact({ command: 'uji', user: { id: '123456789012345678', username: 'sari', globalName: 'Sari' }, manageChannels: true, locale: 'en-US' })).final();
    await (await discord.interact({ command: 'uji', dm: true })).final();
    const [guild, dm] = seen;
    expect(guild).toMatchObject({ locale: 'en', user: { id: '123456789012345678', name: 'Sari' }, canManage: true, place: { platform: 'discord', channelId: discord.channelId, guildId: discord.guildId, isPrivate: false, channelName: '#berita-harian' } });
    expect(dm).toMatchObject({ locale: 'id', canManage: true, place: { platform: 'discord', isPrivate: true } });
    expect(dm?.place.guildId).toBeUndefined();
  });

  it('answers a command that runs too long, and hides what a broken one says', async () => {
    const slow = await discord.interact({ command: 'macet' });
    expect((await slow.acked()).type).toBe(5);
    expect(text(await slow.final(5000))).toBe('Maaf, situs berita itu terlalu lama menjawab. Coba lagi sebentar lagi.');
    expect(seen.at(-1)?.signal?.aborted).toBe(true);
    const broken = await discord.interact({ command: 'rusak', locale: 'en-US' });
    expect(text(await broken.final())).toBe('Sorry, something went wrong on our side. Please try again shortly.');
  });

  it('limits /berita per guild as well as per user', async () => {
    const handles = [];
    for (let n = 0; n < 4; n++) handles.push(await discord.interact({ command: 'berita', user: { id: `30000000000000000${n}` } }));
    const acks = await Promise.all(handles.map((h) => h.acked()));
    expect(acks.map((a) => a.type)).toEqual([5, 5, 5, 4]);
    expect(text(await (handles[3] as (typeof handles)[number]).final())).toMatch(/^Tunggu sebentar, ya: coba lagi dalam \d+ detik\.$/);
    // Other commands are not limited.
    expect((await (await discord.interact({ command: 'uji' })).acked()).type).toBe(5);
  });
});
