import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reply, ReplyBlock } from '../../../src/core/reply.js';
import { COMPONENT_LIMITS, EMBED_LIMITS, embedLength, renderReply, type RenderControls } from '../../../src/adapters/discord/render.js';
import { cutText, ELLIPSIS } from '../../../src/adapters/discord/text.js';
import { validateMessage } from '../../helpers/fake-discord.js';

const hasLoneSurrogate = (s: string): boolean => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** Every string Discord would show from a rendered message. */
function strings(msg: ReturnType<typeof renderReply>): string[] {
  const out: string[] = [];
  for (const e of msg.embeds) {
    out.push(e.title ?? '', e.description ?? '', e.footer?.text ?? '', e.author?.name ?? '');
    for (const f of e.fields ?? []) out.push(f.name, f.value);
  }
  for (const row of msg.components) {
    for (const c of row.components) {
      if ('label' in c && c.label !== undefined) out.push(c.label);
      if ('options' in c) for (const o of c.options) out.push(o.label, o.description ?? '');
    }
  }
  return out;
}

describe('cutText', () => {
  it('keeps text that fits', () => {
    expect(cutText('Pendek saja.', 100)).toBe('Pendek saja.');
  });

  it('cuts at the last sentence boundary with an ellipsis', () => {
    const text = 'Harga beras naik lagi. Pedagang mengeluh pasokan turun. Pemerintah menyiapkan operasi pasar di tiga kota besar.';
    const cut = cutText(text, 70);
    expect(cut).toBe('Harga beras naik lagi. Pedagang mengeluh pasokan turun. …');
    expect(cut.length).toBeLessThanOrEqual(70);
  });

  it('does not take an abbreviation or a number for a sentence end', () => {
    const text = 'Menurut dr. Ani harganya Rp 14.500 per kilogram di pasar induk dan terus naik sepanjang pekan ini. Kalimat kedua.';
    const cut = cutText(text, 60);
    expect(cut.endsWith(ELLIPSIS)).toBe(true);
    expect(cut).not.toMatch(/dr\. …$/);
    expect(cut).not.toMatch(/14\. …$/);
  });

  it('falls back to a word boundary inside one long sentence, and never splits a surrogate pair', () => {
    const long = 'kata '.repeat(100);
    const cut = cutText(long, 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith('kata…')).toBe(true);
    const emoji = '😀'.repeat(100);
    const e = cutText(emoji, 51);
    expect(hasLoneSurrogate(e)).toBe(false);
    expect(e.length).toBeLessThanOrEqual(51);
  });

  it('always fits and keeps a prefix of the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), fc.integer({ min: 1, max: 700 }), (text, max) => {
        const cut = cutText(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        if (text.length <= max) {
          expect(cut).toBe(text);
          return;
        }
        expect(cut.endsWith(ELLIPSIS)).toBe(true);
        expect(hasLoneSurrogate(cut)).toBe(false);
        const head = cut.slice(0, -1).trimEnd();
        expect(text.startsWith(head)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

const reading: Reply = {
  locale: 'id',
  kind: 'reading',
  title: '29 penerbangan Bandara Internasional Lombok dibatalkan',
  url: 'https://www.antaranews.com/berita/527615/29-penerbangan',
  meta: 'antaranews.com · Kamis, 5 November 2015 14.56 WIB · Mataram, NTB',
  blocks: [
    { type: 'bullets', heading: 'Ringkasan', items: ['Sebanyak 29 penerbangan dibatalkan.', 'Bandara ditutup karena abu vulkanik.'] },
    { type: 'quotes', heading: 'Kutipan penting', items: [{ text: 'Penutupan dilakukan demi keselamatan.', speaker: 'Eka Asmadi' }, { text: 'Tanpa pembicara.', speaker: null }] },
    { type: 'links', heading: 'Baca juga', items: [{ title: 'Gunung Rinjani [meletus]', url: 'https://www.antaranews.com/berita/1' }, { title: 'Tanpa tautan' }] },
  ],
  footer: 'Kata kunci: penerbangan, Lombok',
  buttons: [{ label: 'Baca artikel', url: 'https://www.antaranews.com/berita/527615/29-penerbangan' }],
};

describe('renderReply', () => {
  it('lays a reading out as Discord shows it', () => {
    const { embeds, components } = renderReply(reading, { actions: [{ customId: 'rk:full:abc', label: 'Ringkasan lengkap' }] });
    const e = embeds[0];
    expect(embeds).toHaveLength(1);
    expect(e?.title).toBe(reading.title);
    expect(e?.url).toBe(reading.url);
    expect(e?.author?.name).toBe(reading.meta);
    expect(e?.description).toBe('**Ringkasan**\n• Sebanyak 29 penerbangan dibatalkan.\n• Bandara ditutup karena abu vulkanik.');
    expect(e?.fields).toEqual([
      { name: 'Kutipan penting', value: '> “Penutupan dilakukan demi keselamatan.”\n— *Eka Asmadi*\n> “Tanpa pembicara.”' },
      { name: 'Baca juga', value: '• [Gunung Rinjani \\[meletus\\]](https://www.antaranews.com/berita/1)\n• Tanpa tautan' },
    ]);
    expect(e?.footer?.text).toBe('Kata kunci: penerbangan, Lombok');
    expect(components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 5, url: reading.url, label: 'Baca artikel' },
          { type: 2, style: 2, custom_id: 'rk:full:abc', label: 'Ringkasan lengkap' },
        ],
      },
    ]);
    expect(validateMessage({ embeds, components })).toEqual([]);
  });

  it('numbers search results with their one-line summary and adds the story menu', () => {
    const results: Reply = {
      locale: 'id',
      kind: 'results',
      title: 'Berita tentang “lombok”',
      blocks: [{ type: 'links', items: [{ title: 'Satu', url: 'https://a.example/1', note: 'Ringkasan satu.' }, { title: 'Dua', url: 'https://a.example/2' }] }],
      buttons: [],
    };
    const { embeds, components } = renderReply(results, { select: { customId: 'rk:open:k', placeholder: 'Pilih berita untuk dibuka', options: [{ label: 'Satu', value: '0', description: 'Ringkasan satu.' }, { label: 'Dua', value: '1' }] } });
    expect(embeds[0]?.description).toBe('**1. [Satu](https://a.example/1)**\nRingkasan satu.\n**2. [Dua](https://a.example/2)**');
    expect(components[0]?.components[0]).toMatchObject({ type: 3, custom_id: 'rk:open:k', options: [{ label: 'Satu', value: '0', description: 'Ringkasan satu.' }, { label: 'Dua', value: '1' }] });
  });

  it('keeps custom ids unique within a message', () => {
    const { components } = renderReply(reading, {
      actions: [{ customId: 'rk:x', label: 'A' }, { customId: 'rk:x', label: 'B' }, { customId: 'rk:m', label: 'C' }],
      select: { customId: 'rk:m', placeholder: 'Pilih', options: [{ label: 'Satu', value: '0' }] },
    });
    const ids = components.flatMap((r) => r.components.map((c) => ('custom_id' in c ? c.custom_id : undefined))).filter((x) => x !== undefined);
    expect(ids).toEqual(['rk:x', 'rk:m']);
    expect(validateMessage({ components })).toEqual([]);
  });

  it('refuses unsafe links and drops buttons Discord would refuse', () => {
    const r: Reply = {
      ...reading,
      url: 'javascript:alert(1)',
      blocks: [{ type: 'links', items: [{ title: 'x', url: 'javascript:alert(1)' }] }],
      buttons: [{ label: 'jahat', url: 'file:///etc/passwd' }, { label: 'panjang', url: `https://a.example/${'x'.repeat(600)}` }],
    };
    const { embeds, components } = renderReply(r, { actions: [{ customId: 'x'.repeat(101), label: 'terlalu panjang' }] });
    expect(embeds[0]?.url).toBeUndefined();
    expect(embeds[0]?.description).toBe('• x');
    expect(components).toEqual([]);
  });

  it('cuts a long summary at a sentence boundary and keeps within 4096 and 6000', () => {
    const sentence = 'Pemerintah daerah menyiapkan posko pengungsian di sejumlah titik rawan banjir. ';
    const long: Reply = { ...reading, blocks: [{ type: 'text', heading: 'Ringkasan', text: sentence.repeat(200) }, ...reading.blocks.slice(1)] };
    const { embeds } = renderReply(long);
    const d = embeds[0]?.description ?? '';
    expect(d.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(d.endsWith('banjir. …')).toBe(true);
    expect(embedLength(embeds[0] ?? {})).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embeds[0]?.fields?.[0]?.name).toBe('Kutipan penting');
  });

  const blank = fc.constantFrom('', ' ', '\n', '\t \n ', '\u00a0', '**', '> ', '[', ')');
  const text = fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3000 }) }, { weight: 1, arbitrary: blank }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', minLength: 900, maxLength: 5000 }) });
  const shortText = fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) }, { weight: 1, arbitrary: blank });
  const url = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constant('not a url'), fc.constant(`https://x.example/${'a'.repeat(3000)}`));
  const block: fc.Arbitrary<ReplyBlock> = fc.oneof(
    fc.record({ heading: fc.option(shortText, { nil: undefined }), text }).map((b): ReplyBlock => (b.heading === undefined ? { type: 'text', text: b.text } : { type: 'text', heading: b.heading, text: b.text })),
    fc.record({ type: fc.constant('bullets' as const), items: fc.array(text, { maxLength: 30 }) }),
    fc.record({ type: fc.constant('quotes' as const), heading: shortText, items: fc.array(fc.record({ text, speaker: fc.option(shortText, { nil: null }) }), { maxLength: 30 }) }),
    fc.record({ type: fc.constant('links' as const), heading: shortText, items: fc.array(fc.record({ title: shortText, url, note: shortText }), { maxLength: 40 }) }),
  );
  const reply: fc.Arbitrary<Reply> = fc.record({
    locale: fc.constantFrom('id' as const, 'en' as const),
    kind: fc.constantFrom('reading' as const, 'results' as const, 'info' as const, 'error' as const),
    title: fc.oneof(shortText, text),
    url,
    meta: text,
    blocks: fc.array(block, { maxLength: 40 }),
    footer: text,
    buttons: fc.array(fc.record({ label: text, url }), { maxLength: 12 }),
  });
  const controls: fc.Arbitrary<RenderControls> = fc.record({
    actions: fc.array(fc.record({ customId: fc.string({ minLength: 0, maxLength: 120 }), label: text }), { maxLength: 30 }),
    select: fc.record({
      customId: fc.string({ maxLength: 120 }),
      placeholder: text,
      options: fc.array(fc.record({ label: text, value: fc.string({ maxLength: 120 }), description: text }), { maxLength: 40 }),
    }),
  });

  it('never breaks a Discord limit, whatever the Reply (property)', () => {
    fc.assert(
      fc.property(reply, controls, (r, c) => {
        const msg = renderReply(r, c);
        expect(validateMessage(msg, { requireContent: true })).toEqual([]);
        const e = msg.embeds[0] ?? {};
        expect((e.title ?? '').length).toBeLessThanOrEqual(EMBED_LIMITS.title);
        expect((e.description ?? '').length).toBeLessThanOrEqual(EMBED_LIMITS.description);
        expect((e.fields ?? []).length).toBeLessThanOrEqual(EMBED_LIMITS.fields);
        for (const f of e.fields ?? []) {
          expect(f.name.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldName);
          expect(f.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
          expect(f.name.trim()).not.toBe('');
          expect(f.value.trim()).not.toBe('');
        }
        expect(embedLength(e)).toBeLessThanOrEqual(EMBED_LIMITS.total);
        expect(msg.components.length).toBeLessThanOrEqual(COMPONENT_LIMITS.rows);
        // The renderer adds no broken characters of its own.
        const inputHasLone = JSON.stringify(r).length > 0 && [r.title ?? '', r.meta ?? '', r.footer ?? ''].some(hasLoneSurrogate);
        if (!inputHasLone) for (const s of strings(msg)) expect(hasLoneSurrogate(s)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the summary first when everything is too long (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 50, maxLength: 2000 }), { minLength: 1, maxLength: 10 }), (bullets) => {
        const r: Reply = { ...reading, blocks: [{ type: 'bullets', heading: 'Ringkasan', items: bullets }, ...reading.blocks.slice(1)] };
        const e = renderReply(r).embeds[0] ?? {};
        expect(e.description?.startsWith('**Ringkasan**\n• ')).toBe(true);
        expect(embedLength(e)).toBeLessThanOrEqual(EMBED_LIMITS.total);
      }),
      { numRuns: 200 },
    );
  });
});
