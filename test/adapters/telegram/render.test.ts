/** Reply -> Telegram HTML: escaping and splitting, checked against the fake Bot API's HTML parser. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reply, ReplyBlock } from '../../../src/core/reply.js';
import { cleanText, escapeHtml, plainText, sliceNodes, toHtml } from '../../../src/adapters/telegram/html.js';
import { renderReply, replyNodes, splitNodes } from '../../../src/adapters/telegram/render.js';
import { hasLoneSurrogate, parseTelegramHtml } from '../../helpers/fake-telegram.js';

const squash = (s: string): string => s.replace(/\s+/g, '');

// Text full of what breaks HTML and message limits: markup characters, entities, emoji (surrogate
// pairs), combining marks, lone surrogates, control characters, long words and newlines.
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", '&amp;', '<b>', '</i>', '&lt;', ' ', '\n', '.', 'a', 'é', '😀', '\u0301', '\ud800', '\u0007', 'x'.repeat(50)), maxLength: 60 }),
  fc.lorem({ mode: 'sentences', maxCount: 8 }),
);
const url = fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'http://a.b/"><script>', 'tg://resolve?domain=x', 'not a url', 'https://contoh.id/a?b=1&c=<2>'));
const block = fc.oneof(
  fc.record({ type: fc.constant('text' as const), text: nasty }),
  fc.record({ type: fc.constant('bullets' as const), heading: nasty, items: fc.array(nasty, { maxLength: 8 }) }),
  fc.record({ type: fc.constant('quotes' as const), items: fc.array(fc.record({ text: nasty, speaker: fc.option(nasty, { nil: null }) }), { maxLength: 6 }) }),
  fc.record({ type: fc.constant('links' as const), items: fc.array(fc.record({ title: nasty, url: fc.option(url, { nil: undefined }), note: fc.option(nasty, { nil: undefined }) }), { maxLength: 8 }) }),
) as fc.Arbitrary<ReplyBlock>;
const reply: fc.Arbitrary<Reply> = fc.record({
  locale: fc.constantFrom('id' as const, 'en' as const),
  kind: fc.constantFrom('reading' as const, 'results' as const, 'info' as const, 'error' as const),
  title: fc.option(nasty, { nil: undefined }),
  url: fc.option(url, { nil: undefined }),
  meta: fc.option(nasty, { nil: undefined }),
  blocks: fc.array(block, { maxLength: 12 }),
  footer: fc.option(nasty, { nil: undefined }),
  buttons: fc.array(fc.record({ label: nasty, url: fc.option(url, { nil: undefined }), action: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }) }), { maxLength: 4 }),
}) as fc.Arbitrary<Reply>;

/** Drops undefined optional fields (exactOptionalPropertyTypes). */
function clean<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

describe('escaping', () => {
  it('escapes user and article text, and links only http(s) URLs', () => {
    const parts = renderReply({
      locale: 'id',
      kind: 'reading',
      title: '<script>alert("x")</script> & Co',
      url: 'http://contoh.id/berita?a=1&b="2"',
      meta: 'Kompas.com · <i>tidak miring</i>',
      blocks: [
        { type: 'quotes', heading: 'Kutipan', items: [{ text: 'Harga naik <5%> & turun', speaker: 'A & B <Ketua>' }] },
        { type: 'links', items: [{ title: 'Jahat', url: 'javascript:alert(1)' }, { title: 'Baik', url: 'https://contoh.id/x' }] },
      ],
      buttons: [{ label: 'Baca artikel', url: 'javascript:void(0)' }],
    });
    expect(parts).toHaveLength(1);
    const p = parts[0];
    if (p === undefined) return;
    expect(p.html).toContain('<b><a href="http://contoh.id/berita?a=1&amp;b=%222%22">&lt;script&gt;alert("x")&lt;/script&gt; &amp; Co</a></b>');
    expect(p.html).toContain('<i>Kompas.com · &lt;i&gt;tidak miring&lt;/i&gt;</i>');
    expect(p.html).toContain('<blockquote>“Harga naik &lt;5%&gt; &amp; turun”\n— <i>A &amp; B &lt;Ketua&gt;</i></blockquote>');
    expect(p.html).toContain('• Jahat\n• <a href="https://contoh.id/x">Baik</a>');
    const parsed = parseTelegramHtml(p.html);
    expect(parsed.text).toBe(p.text);
    expect(parsed.text.startsWith('<script>alert("x")</script> & Co')).toBe(true);
    expect(parsed.entities.filter((e) => e.type === 'text_link').map((e) => e.url)).toEqual(['http://contoh.id/berita?a=1&b=%222%22', 'https://contoh.id/x']);
    // A button with a bad URL is left out rather than refused by Telegram.
    expect(p.keyboard).toBeUndefined();
  });

  it('removes control characters and lone surrogates, keeps emoji', () => {
    expect(cleanText('a\u0000b\u0007c\r\nd\ud800e😀')).toBe('abc\nd\ufffde😀');
    expect(escapeHtml('<&>"')).toBe('&lt;&amp;&gt;"');
  });

  it('a message that is just a link keeps its preview; others have it off', () => {
    const [justLink] = renderReply({ locale: 'id', kind: 'info', blocks: [{ type: 'text', text: 'https://contoh.id/berita/1' }], buttons: [] });
    expect(justLink?.linkPreview).toBe(true);
    const [text] = renderReply({ locale: 'id', kind: 'info', blocks: [{ type: 'text', text: 'Baca https://contoh.id/berita/1' }], buttons: [] });
    expect(text?.linkPreview).toBe(false);
  });
});

describe('slicing the tree', () => {
  it('keeps the tags around each slice', () => {
    const nodes = ['ab', { tag: 'b' as const, children: ['cd', { tag: 'i' as const, children: ['ef'] }] }, 'gh'];
    expect(toHtml(sliceNodes(nodes, 3, 5))).toBe('<b>d<i>e</i></b>');
    expect(toHtml(sliceNodes(nodes, 0, 2))).toBe('ab');
    expect(plainText(sliceNodes(nodes, 1, 7))).toBe('bcdefg');
  });
});

describe('splitting', () => {
  it('splits at paragraph breaks first, then sentences, never inside a tag', () => {
    const para = (i: number): string => `Paragraf ${i}. ${'Kalimat yang cukup panjang untuk mengisi pesan. '.repeat(12).trim()}`;
    const r: Reply = { locale: 'id', kind: 'reading', title: 'Judul', blocks: Array.from({ length: 12 }, (_, i) => ({ type: 'bullets' as const, heading: `Bagian ${i}`, items: [para(i)] })), buttons: [] };
    const parts = renderReply(r, { limit: 1200 });
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts.slice(0, -1)) {
      expect(p.text.length).toBeLessThanOrEqual(1200);
      expect(p.text).toMatch(/\.$/);
      expect(parseTelegramHtml(p.html).text).toBe(p.text);
    }
    // Later parts start at the beginning of a section when one fits.
    expect(parts.slice(1).filter((p) => p.text.startsWith('Bagian')).length).toBeGreaterThan(2);
  });

  it('cuts one enormous word without splitting a surrogate pair', () => {
    // An odd start, so that a cut at the limit would fall inside a pair.
    const word = `x${'😀'.repeat(5000)}`;
    const parts = splitNodes([{ tag: 'b', children: [word] }], 4096);
    expect(parts.length).toBe(3);
    for (const p of parts) {
      const html = toHtml(p);
      expect(html.startsWith('<b>') && html.endsWith('</b>')).toBe(true);
      expect(plainText(p).length).toBeLessThanOrEqual(4096);
      expect(hasLoneSurrogate(plainText(p))).toBe(false);
    }
    expect(parts.map(plainText).join('')).toBe(word);
  });

  it('never puts more than 100 entities in one message', () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ title: `Berita ${i}`, url: `https://contoh.id/${i}`, note: 'catatan' }));
    const parts = renderReply({ locale: 'id', kind: 'results', title: 'Banyak', blocks: [{ type: 'links', items }], buttons: [] });
    expect(parts.length).toBeGreaterThanOrEqual(6);
    for (const p of parts) expect(parseTelegramHtml(p.html).entities.length).toBeLessThanOrEqual(100);
  });
});

describe('properties', () => {
  it('any reply renders to messages Telegram accepts, losing no visible text', () => {
    fc.assert(
      fc.property(reply, fc.constantFrom(4096, 700, 120, 25), (raw, limit) => {
        const r = clean(raw);
        const parts = renderReply(r, { limit });
        expect(parts.length).toBeGreaterThan(0);
        for (const [i, p] of parts.entries()) {
          const parsed = parseTelegramHtml(p.html); // throws like Telegram on bad HTML
          expect(parsed.text).toBe(p.text);
          expect(p.text.length).toBeGreaterThan(0);
          expect(hasLoneSurrogate(p.html)).toBe(false);
          expect(p.text.length).toBeLessThanOrEqual(limit);
          expect(parsed.entities.length).toBeLessThanOrEqual(100);
          if (i < parts.length - 1) expect(p.keyboard).toBeUndefined();
          for (const b of p.keyboard?.flat() ?? []) {
            if ('callback_data' in b) expect(Buffer.byteLength(b.callback_data ?? '')).toBeLessThanOrEqual(64);
          }
        }
        const whole = plainText(replyNodes(r));
        const joined = parts.map((p) => p.text).join('');
        if (squash(whole) !== '') expect(squash(joined)).toBe(squash(whole));
      }),
      { numRuns: 400 },
    );
  });

  it('whatever the text, HTML escaping round-trips through Telegram\'s parser', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const text = cleanText(s);
        const html = toHtml([{ tag: 'b', children: [text] }, ' ', { tag: 'a', href: 'https://contoh.id/?q=<&>', children: [text] }]);
        if (text.trim() === '') return;
        const parsed = parseTelegramHtml(html);
        expect(parsed.text).toBe(`${text} ${text}`.trim());
      }),
      { numRuns: 500 },
    );
  });
});
