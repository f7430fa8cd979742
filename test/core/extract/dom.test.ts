import { describe, expect, it } from 'vitest';
import { MARKUP_BUDGET, parseDocument, prepareMarkup } from '../../../src/core/extract/dom.js';
import { domBlocks } from '../../../src/core/extract/blocks.js';

describe('prepareMarkup', () => {
  it('cuts scripts, styles, svg and comments but keeps JSON-LD', () => {
    const p = prepareMarkup('<p>a</p><script>var x = "<p>b</p>";</script><script type="application/ld+json">{"a":1}</script><style>p{}</style><!-- c --><svg><path/></svg><p>d</p>');
    expect(p.html).toBe('<p>a</p><script type="application/ld+json">{"a":1}</script><p>d</p>');
    expect(p.scripts).toBe(1);
    expect(p.truncated).toBe(false);
  });

  it('treats a broken script tag as text and an unclosed one as the end', () => {
    expect(prepareMarkup('<script<p>x</p>').html).toBe('<script<p>x</p>');
    expect(prepareMarkup('<p>x</p><script>never closed').html).toBe('<p>x</p>');
  });

  it('cuts a page past the markup budget', () => {
    const p = prepareMarkup('<b>x</b>'.repeat(MARKUP_BUDGET));
    expect(p.truncated).toBe(true);
    expect(p.html.length).toBeLessThan(MARKUP_BUDGET * 8);
  });
});

describe('parseDocument', () => {
  it('gives fragments and pages without <html> a body', () => {
    expect(parseDocument('<p>halo</p>').doc.body.textContent).toBe('halo');
    const page = parseDocument('<!DOCTYPE html>\n<head><title>t</title></head><body><p>isi</p></body>');
    expect(page.doc.body.textContent).toContain('isi');
    expect(page.index.byTag('title')).toHaveLength(1);
    expect(parseDocument('<html><p>tanpa body</p></html>').doc.body.textContent).toContain('tanpa body');
  });

  it('injects an absolute <base> for the page URL', () => {
    const { doc } = parseDocument('<html><head><base href="/sub/"></head><body></body></html>', 'https://example.com/a/b');
    expect(doc.querySelector('base')?.getAttribute('href')).toBe('https://example.com/sub/');
  });

  it('flattens absurd nesting without losing the text', () => {
    const { doc } = parseDocument(`${'<div>'.repeat(5000)}dalam${'</div>'.repeat(5000)}`);
    expect(doc.body.textContent).toContain('dalam');
    let depth = 0;
    for (let el: Element | null = doc.body; el !== null; el = el.firstElementChild) depth += 1;
    expect(depth).toBeLessThan(400);
  });
});

describe('domBlocks', () => {
  it('splits paragraphs, line breaks, captions and images; measures links', () => {
    const { doc } = parseDocument(`<div id="c"><p>Satu <a href="/x">tautan</a> dua.</p><p>Baris<br>baru</p>
      <figure><img src="/a.jpg"><figcaption>Keterangan foto</figcaption></figure><ul><li><a href="/y">Judul lain</a></li></ul></div>`, 'https://s.example/read/1');
    const root = doc.getElementById('c');
    if (root === null) throw new Error('no root');
    const blocks = domBlocks(root, 'https://s.example/read/1');
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ['text', 'Satu tautan dua.'],
      ['text', 'Baris'],
      ['text', 'baru'],
      ['image', ''],
      ['caption', 'Keterangan foto'],
      ['item', 'Judul lain'],
    ]);
    expect(blocks[0]?.href).toBe('https://s.example/x');
    expect(blocks[0]?.linkChars).toBe(6);
    expect(blocks[3]?.src).toBe('https://s.example/a.jpg');
  });
});
