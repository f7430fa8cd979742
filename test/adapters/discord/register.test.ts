import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCommands } from '../../../commands/index.js';
import { deployCommands, main as deployMain } from '../../../src/adapters/discord/deploy.js';
import { startDiscord, type DiscordBot } from '../../../src/adapters/discord/index.js';
import { toApplicationCommands } from '../../../src/adapters/discord/register.js';
import { startFakeDiscord, validateCommands, type FakeDiscord } from '../../helpers/fake-discord.js';
import { silentLogger, testServices } from '../../helpers/services.js';

describe('slash command payload', () => {
  const payload = toApplicationCommands(loadCommands().values());
  const byName = new Map(payload.map((c) => [c.name, c as unknown as Record<string, unknown>]));

  it('is what Discord accepts', () => {
    expect(validateCommands(payload)).toEqual([]);
    expect([...byName.keys()]).toEqual(['berita', 'digest', 'help']);
  });

  it('localizes /berita for id and en-US, Indonesian by default', () => {
    expect(byName.get('berita')).toMatchObject({
      type: 1,
      name: 'berita',
      description: 'Ringkas satu berita dari tautan, atau cari berita dengan kata kunci',
      description_localizations: {
        id: 'Ringkas satu berita dari tautan, atau cari berita dengan kata kunci',
        'en-US': 'Summarize a news article from a link, or search stories by keywords',
      },
      options: [
        {
          type: 3,
          name: 'masukan',
          name_localizations: { id: 'masukan', 'en-US': 'input' },
          description: 'Tautan berita atau kata kunci',
          description_localizations: { id: 'Tautan berita atau kata kunci', 'en-US': 'A news link or keywords' },
          required: true,
          max_length: 2000,
        },
      ],
    });
  });

  it('gives /digest its four subcommands with localized options', () => {
    const digest = byName.get('digest') as { options: { type: number; name: string; name_localizations?: Record<string, string>; options: { name: string; required: boolean; name_localizations?: Record<string, string> }[] }[] };
    expect(digest.options.map((o) => [o.type, o.name])).toEqual([
      [1, 'subscribe'],
      [1, 'unsubscribe'],
      [1, 'status'],
      [1, 'preview'],
    ]);
    const subscribe = digest.options[0];
    expect(subscribe?.name_localizations).toEqual({ id: 'langganan', 'en-US': 'subscribe', 'en-GB': 'subscribe' });
    expect(subscribe?.options.map((o) => [o.name, o.required, o.name_localizations?.['id']])).toEqual([
      ['time', true, 'jam'],
      ['timezone', false, 'zona_waktu'],
      ['topics', false, 'topik'],
    ]);
  });
});

describe('registration against a loopback Discord', () => {
  let discord: FakeDiscord;
  let bot: DiscordBot | undefined;

  beforeAll(async () => {
    discord = await startFakeDiscord();
  });
  afterAll(async () => {
    await bot?.stop();
    await discord.close();
  });

  it('registers globally at start, and to DISCORD_GUILD_ID when set', async () => {
    bot = await startDiscord({ config: discord.config(), services: testServices(), commands: loadCommands(), logger: silentLogger });
    const puts = discord.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([`/applications/${discord.applicationId}/commands`]);
    expect(puts[0]?.body).toEqual(toApplicationCommands(loadCommands().values()));
    expect(discord.commands.get('global')?.map((c) => c['name'])).toEqual(['berita', 'digest', 'help']);
    await bot.stop();

    bot = await startDiscord({ config: { ...discord.config(), DISCORD_GUILD_ID: discord.guildId }, services: testServices(), commands: loadCommands(), logger: silentLogger });
    expect(discord.requests.filter((r) => r.method === 'PUT').at(-1)?.path).toBe(`/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`);
    expect(discord.commands.get(discord.guildId)?.map((c) => c['name'])).toEqual(['berita', 'digest', 'help']);
    expect(discord.rejections).toEqual([]);
  });

  it('deploys without the gateway, finding the application id when it is not given', async () => {
    const before = discord.frames.length;
    const r = await deployCommands({ config: { ...discord.config(), DISCORD_APPLICATION_ID: undefined, DISCORD_GUILD_ID: discord.guildId } });
    expect(r).toEqual({ scope: 'guild', guildId: discord.guildId, applicationId: discord.applicationId, names: ['berita', 'digest', 'help'] });
    expect(discord.requests.some((q) => q.path === '/applications/@me')).toBe(true);
    expect(discord.frames.length).toBe(before);
    await expect(deployCommands({ config: { ...discord.config(), DISCORD_TOKEN: 'wrong' } })).rejects.toThrow(/401|Unauthorized/);
  });

  it('runs as a command line (npm run deploy-commands)', async () => {
    const env = { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, LOG_LEVEL: 'silent' };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await deployMain(env)).toBe(0);
      expect(out).toHaveBeenCalledWith(`Registered /berita, /digest, /help globally for application ${discord.applicationId}.\n`);
      expect(await deployMain({ LOG_LEVEL: 'silent' })).toBe(1);
      expect(err).toHaveBeenCalledWith('deploy-commands: DISCORD_TOKEN is not set: it is needed to register the slash commands\n');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('refuses to start with a wrong token, without waiting', async () => {
    const started = Date.now();
    await expect(startDiscord({ config: { ...discord.config(), DISCORD_TOKEN: 'salah' }, services: testServices(), commands: loadCommands(), logger: silentLogger })).rejects.toThrow(/token/i);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
