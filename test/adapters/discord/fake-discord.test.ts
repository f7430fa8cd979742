/** The loopback Discord itself: it must be as strict as Discord where the bot could go wrong. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadCommands } from '../../../commands/index.js';
import { startDiscord, type DiscordBot } from '../../../src/adapters/discord/index.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.js';
import { silentLogger, testServices } from '../../helpers/services.js';

let discord: FakeDiscord | undefined;
let bot: DiscordBot | undefined;

afterEach(async () => {
  await bot?.stop();
  await discord?.close();
  bot = undefined;
  discord = undefined;
});

const api = (d: FakeDiscord, path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${d.apiUrl}/v10${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bot ${d.token}`, ...(init.headers ?? {}) } });

describe('the loopback Discord', () => {
  it('gives the gateway through DISCORD_API_URL and keeps the client on one session (heartbeats acknowledged)', async () => {
    discord = await startFakeDiscord({ heartbeatIntervalMs: 100 });
    bot = await startDiscord({ config: discord.config(), services: testServices(), commands: loadCommands(), logger: silentLogger, register: false });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(discord.requests.filter((r) => r.path === '/gateway/bot')).toHaveLength(1);
    const inbound = discord.frames.filter((f) => f.direction === 'in');
    expect(inbound.filter((f) => f.op === 2)).toHaveLength(1);
    expect(inbound.filter((f) => f.op === 6)).toHaveLength(0);
    const beats = inbound.filter((f) => f.op === 1).length;
    expect(beats).toBeGreaterThanOrEqual(3);
    expect(discord.frames.filter((f) => f.direction === 'out' && f.op === 11)).toHaveLength(beats);
    expect(bot.client.isReady()).toBe(true);
    expect(bot.client.guilds.cache.has(discord.guildId)).toBe(true);
  });

  it('refuses a message beyond Discord limits with 50035, and records why', async () => {
    discord = await startFakeDiscord();
    const res = await api(discord, `/channels/${discord.channelId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ embeds: [{ title: 'x'.repeat(257), description: 'y'.repeat(4000), fields: [{ name: 'a', value: 'z'.repeat(1025) }, { name: ' ', value: 'v' }] }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
    expect(discord.rejections[0]?.problems).toEqual([
      'embeds.0.title: must be 256 or fewer in length (is 257)',
      'embeds.0.fields.0.value: must be 1024 or fewer in length (is 1025)',
      'embeds.0.fields.1.name: must be 1 or more in length',
    ]);
    const total = await api(discord, `/channels/${discord.channelId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ embeds: [{ description: 'y'.repeat(4096), fields: [{ name: 'a', value: 'z'.repeat(1024) }, { name: 'b', value: 'z'.repeat(1024) }] }] }),
    });
    expect(total.status).toBe(400);
    expect(discord.rejections[1]?.problems).toEqual(['embeds: embed size exceeds maximum size of 6000 (is 6146)']);
    expect(discord.channelMessages(discord.channelId)).toEqual([]);
  });

  it('takes an interaction callback once, and only within 3 s', async () => {
    discord = await startFakeDiscord({ ackDeadlineMs: 200 });
    bot = await startDiscord({ config: discord.config(), services: testServices(), commands: new Map(), logger: silentLogger, register: false });
    // With no commands, the bot answers "unknown command" at once.
    const h = await discord.interact({ command: 'berita', options: { masukan: 'x' } });
    expect((await h.acked()).type).toBe(4);
    const again = await api(discord, `/interactions/${h.id}/${h.token}/callback`, { method: 'POST', body: JSON.stringify({ type: 5 }) });
    expect([again.status, ((await again.json()) as { code: number }).code]).toEqual([400, 40060]);

    // An interaction nobody answers in time is gone: a bare gateway client that never answers.
    await bot.stop();
    bot = undefined;
    const ws = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 2, d: { token: discord.token, intents: 1, properties: {} } }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const silent = await discord.interact({ command: 'berita' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const tooLate = await api(discord, `/interactions/${silent.id}/${silent.token}/callback`, { method: 'POST', body: JSON.stringify({ type: 5 }) });
    expect([tooLate.status, ((await tooLate.json()) as { code: number }).code]).toEqual([404, 10062]);
    ws.terminate();
  });
});
