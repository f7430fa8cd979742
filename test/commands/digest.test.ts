import { describe, expect, it } from 'vitest';
import digest, { parseDigestInput } from '../../commands/digest.js';
import type { CommandContext } from '../../commands/index.js';
import { openStore } from '../../src/adapters/store/index.js';
import { createSubscriptionStore } from '../../src/adapters/store/subscriptions.js';
import { silentLogger, testServices } from '../helpers/services.js';

async function context(over: Partial<CommandContext> = {}): Promise<CommandContext> {
  const store = await openStore('memory://', silentLogger);
  return {
    locale: 'id',
    user: { id: 'u1' },
    place: { platform: 'discord', channelId: 'c1', guildId: 'g1', isPrivate: false, channelName: '#berita' },
    canManage: true,
    services: { ...testServices(), subscriptions: createSubscriptionStore(store), now: () => Date.parse('2026-11-29T00:00:00Z') },
    logger: silentLogger,
    ...over,
  };
}

const text = (reply: { blocks: { type: string; text?: string }[] }): string => reply.blocks.map((b) => b.text ?? '').join('\n');

describe('/digest', () => {
  it('parses what people type', () => {
    expect(parseDigestInput({ text: '07.00 WITA politik, ekonomi', options: {} })).toEqual({ kind: 'subscribe', time: '07:00', timeZone: 'Asia/Makassar', topics: ['politik', 'ekonomi'] });
    expect(parseDigestInput({ text: 'off', options: {} })).toEqual({ kind: 'unsubscribe' });
    expect(parseDigestInput({ text: '', options: {} })).toEqual({ kind: 'status' });
    expect(parseDigestInput({ text: '25:00', options: {} })).toMatchObject({ kind: 'subscribe', time: undefined });
    expect(parseDigestInput({ text: '', options: { subcommand: 'subscribe', time: '19:30', timezone: 'WIT' } })).toEqual({ kind: 'subscribe', time: '19:30', timeZone: 'Asia/Jayapura', topics: [] });
  });

  it('subscribes, reports status and unsubscribes, saying plainly what happens next', async () => {
    const ctx = await context();
    const sub = await digest.execute({ text: '07:00', options: {} }, ctx);
    expect(text(sub)).toBe('Ringkasan harian akan dikirim ke #berita setiap hari pukul 07.00 WIB.');
    const status = await digest.execute({ text: 'status', options: {} }, ctx);
    expect(text(status)).toBe('Ringkasan harian dikirim ke #berita setiap hari pukul 07.00 WIB.');
    const stored = await ctx.services.subscriptions?.get('discord', 'c1');
    expect(stored).toMatchObject({ time: '07:00', timeZone: 'Asia/Jakarta', createdBy: 'u1', paused: false, createdAt: '2026-11-29T00:00:00.000Z' });
    const off = await digest.execute({ text: 'off', options: {} }, ctx);
    expect(text(off)).toContain('dihentikan');
    expect(await ctx.services.subscriptions?.get('discord', 'c1')).toBeUndefined();
  });

  it('refuses changes without permission but still tells the status', async () => {
    const ctx = await context({ canManage: false });
    const r = await digest.execute({ text: '07:00', options: {} }, ctx);
    expect(r.kind).toBe('error');
    expect(r.error?.code).toBe('FORBIDDEN');
    expect(text(r)).toContain('Kelola Saluran');
    const tg = await digest.execute({ text: 'off', options: {} }, await context({ canManage: false, place: { platform: 'telegram', channelId: '-100', isPrivate: false } }));
    expect(text(tg)).toBe('Maaf, hanya admin grup yang bisa mengubah ringkasan harian di sini.');
    const status = await digest.execute({ text: '', options: {} }, ctx);
    expect(text(status)).toContain('Belum ada ringkasan harian untuk #berita');
  });

  it('explains a bad time or zone in the user language', async () => {
    const bad = await digest.execute({ text: 'besok pagi', options: {} }, await context());
    expect(bad.error?.code).toBe('BAD_OPTION');
    expect(text(bad)).toContain('Contoh: /digest 07:00 WIB');
    const zone = await digest.execute({ text: '', options: { subcommand: 'subscribe', time: '07:00', timezone: 'Mars/Base' } }, await context({ locale: 'en' }));
    expect(text(zone)).toContain('I do not know the time zone “Mars/Base”');
  });
});
