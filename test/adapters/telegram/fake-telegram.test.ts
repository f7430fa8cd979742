/** The fake Bot API itself: it must refuse what Telegram refuses, or the other tests prove little. */
import { Api, GrammyError } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntityParseError, parseTelegramHtml, startFakeTelegram, type FakeTelegram } from '../../helpers/fake-telegram.js';

let tg: FakeTelegram;
let api: Api;

beforeAll(async () => {
  tg = await startFakeTelegram();
  api = new Api(tg.token, { apiRoot: tg.apiRoot });
});

afterAll(async () => {
  await tg.close();
});

describe('Telegram HTML', () => {
  it('parses the documented tags into entities (UTF-16 offsets)', () => {
    const p = parseTelegramHtml('😀 <b>tebal <i>miring</i></b> <a href="https://contoh.id/?a=1&amp;b=2">tautan</a> <blockquote expandable>kutip</blockquote> <pre><code class="language-ts">x &lt; 1</code></pre> &#8212; &quot;');
    expect(p.text).toBe('😀 tebal miring tautan kutip x < 1 — "');
    expect(p.entities).toEqual([
      { type: 'bold', offset: 3, length: 12 },
      { type: 'italic', offset: 9, length: 6 },
      { type: 'text_link', offset: 16, length: 6, url: 'https://contoh.id/?a=1&b=2' },
      { type: 'expandable_blockquote', offset: 23, length: 5 },
      { type: 'pre', offset: 29, length: 5, language: 'ts' },
    ]);
  });

  it.each([
    ['<div>x</div>', /Unsupported start tag "div"/],
    ['<b>x', /Can't find end tag corresponding to start tag "b"/],
    ['<b><i>x</b></i>', /Unmatched end tag/],
    ['x</b>', /Unexpected end tag/],
    ['a & b', /Character "&" is reserved/],
    ['a &nbsp; b', /Unsupported HTML entity "&nbsp;"/],
    ['1 < 2', /Unexpected character "<"/],
    ['2 > 1', /Character ">" is reserved/],
    ['<a href="javascript:alert(1)">x</a>', /Wrong URL/],
    ['<a>x</a>', /Wrong URL/],
    ['<a href="https://a.id"><a href="https://b.id">x</a></a>', /Nested links/],
    ['<blockquote><blockquote>x</blockquote></blockquote>', /can't be nested/],
    ['<code><b>x</b></code>', /inside a code or pre/],
    ['<span>x</span>', /tg-spoiler/],
    ['<br>', /Unsupported start tag "br"/],
  ])('refuses %s', (html, message) => {
    expect(() => parseTelegramHtml(html)).toThrow(EntityParseError);
    expect(() => parseTelegramHtml(html)).toThrow(message);
  });

  it('answers sendMessage with Telegram\'s 400s', async () => {
    const u = tg.user();
    const chat = tg.privateChat(u);
    const refuse = async (text: string, extra: Record<string, unknown> = { parse_mode: 'HTML' }): Promise<string> => {
      try {
        await api.sendMessage(chat.id, text, extra);
      } catch (e) {
        expect(e).toBeInstanceOf(GrammyError);
        return (e as GrammyError).description;
      }
      throw new Error('accepted');
    };
    expect(await refuse('<b>x')).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    expect(await refuse('x'.repeat(4097))).toBe('Bad Request: message is too long');
    expect(await refuse('<b> </b>')).toBe('Bad Request: message text is empty');
    expect(await refuse('ok', { reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'y'.repeat(65) }]] } })).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect(await refuse('ok', { reply_parameters: { message_id: 9999 } })).toBe('Bad Request: message to be replied not found');
    // 4096 characters after parsing are fine even when the HTML is longer.
    await api.sendMessage(chat.id, `<b>${'&amp;'.repeat(4096)}</b>`, { parse_mode: 'HTML' });
    expect(tg.messages(chat.id).at(-1)?.text).toBe('&'.repeat(4096));
    await expect(api.sendMessage(-1, 'x')).rejects.toThrow('chat not found');
  });
});

describe('getUpdates', () => {
  it('honours offset (confirming older updates), limit and timeout', async () => {
    const t = await startFakeTelegram();
    const a = new Api(t.token, { apiRoot: t.apiRoot });
    try {
      const u = t.user();
      const chat = t.privateChat(u);
      for (const text of ['satu', 'dua', 'tiga']) await t.sendText(u, chat, text);
      const first = await a.getUpdates({ limit: 2 });
      expect(first.map((x) => x.message?.text)).toEqual(['satu', 'dua']);
      const rest = await a.getUpdates({ offset: (first[1]?.update_id ?? 0) + 1 });
      expect(rest.map((x) => x.message?.text)).toEqual(['tiga']);
      // Confirmed updates are gone.
      expect((await a.getUpdates({ offset: 0 })).map((x) => x.message?.text)).toEqual(['tiga']);
      const next = (rest[0]?.update_id ?? 0) + 1;
      const t0 = Date.now();
      expect(await a.getUpdates({ offset: next, timeout: 1 })).toEqual([]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      // A held poll returns as soon as an update arrives.
      const held = a.getUpdates({ offset: next, timeout: 20 });
      await t.waitFor(() => t.pendingPolls === 1);
      await t.sendText(u, chat, 'empat');
      expect((await held).map((x) => x.message?.text)).toEqual(['empat']);
      await t.pushUpdate({ message: { message_id: 50, date: 1, chat, from: u, text: 'x' } });
      await a.setWebhook('https://contoh.id/hook');
      await expect(a.getUpdates({ offset: next })).rejects.toThrow(/Conflict: can't use getUpdates method while webhook is active/);
    } finally {
      await t.close();
    }
  });

  it('rejects a wrong token', async () => {
    await expect(new Api('1:wrong', { apiRoot: tg.apiRoot }).getMe()).rejects.toThrow(/Unauthorized/);
  });
});
