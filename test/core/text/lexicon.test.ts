import { describe, expect, it } from 'vitest';
import { codesOf } from '../../../src/core/text/chars.js';
import { Lexicon, WordStore } from '../../../src/core/text/lexicon.js';

const intern = (lx: Lexicon, w: string): number => lx.intern(w, codesOf(w), 0, w.length);

describe('lexicon', () => {
  it('numbers the words of a reading densely, in order of first sight', () => {
    const lx = new Lexicon(new WordStore());
    expect(['kata', 'dia', 'kata', 'Kata', 'dia'].map((w) => intern(lx, w))).toEqual([0, 1, 0, 2, 1]);
    expect(lx.size).toBe(3);
    expect(lx.form(2)).toBe('Kata');
    expect(lx.internString('dia')).toBe(1);
  });

  it('keeps each reading its own numbers when readings sharing a store interleave', () => {
    const store = new WordStore();
    const a = new Lexicon(store);
    const b = new Lexicon(store);
    expect(intern(a, 'satu')).toBe(0);
    expect(intern(a, 'dua')).toBe(1);
    expect(intern(b, 'dua')).toBe(0);
    expect(intern(b, 'tiga')).toBe(1);
    expect(intern(a, 'tiga')).toBe(2);
    expect(intern(a, 'dua')).toBe(1);
    expect(intern(b, 'satu')).toBe(2);
    expect(intern(b, 'dua')).toBe(0);
    expect(intern(a, 'satu')).toBe(0);
    expect(a.storeId(1)).toBe(b.storeId(0));
  });

  it('finds a word by its position in a text read by another reader, or by hashing it', () => {
    const lx = new Lexicon(new WordStore());
    const t = lx.text('Kim Jong Un, kata dia.');
    expect([t.intern(0, 3), t.intern(4, 8), t.intern(9, 11), t.intern(13, 17)]).toEqual([0, 1, 2, 3]);
    // a second reader, with a punctuation mark between recorded words and a span of its own
    expect([t.intern(0, 3), t.intern(11, 12), t.intern(4, 8), t.intern(0, 8)]).toEqual([0, 4, 1, 5]);
    expect(lx.form(4)).toBe(',');
    expect(lx.form(5)).toBe('Kim Jong');
  });

  it('reads the end of a paragraph as a view of the paragraph: same code units, words found once for both', () => {
    const store = new WordStore();
    const lx = new Lexicon(store);
    const whole = 'JAKARTA, KOMPAS.com - Presiden Joko Widodo berkata.';
    const part = whole.slice(whole.indexOf('Presiden'));
    const view = lx.textWithin(part, whole);
    expect(lx.text(part)).toBe(view);
    expect(Array.from(view.codes)).toEqual(Array.from(codesOf(part)));
    // the summary reads the part first ...
    expect([view.intern(0, 8), view.intern(9, 13), view.intern(14, 20)]).toEqual([0, 1, 2]);
    const sizeBefore = store.size;
    // ... and the quotes, reading the whole paragraph, find those words where the part put them
    const at = whole.length - part.length;
    const t = lx.text(whole);
    expect([t.intern(0, 7), t.intern(at, at + 8), t.intern(at + 9, at + 13)]).toEqual([3, 0, 1]);
    expect(store.size).toBe(sizeBefore + 1); // only JAKARTA was new
    // a text that is not the end of the other one stands on its own
    const other = lx.textWithin('Presiden Joko', whole);
    expect(other).not.toBe(view);
    expect(Array.from(other.codes)).toEqual(Array.from(codesOf('Presiden Joko')));
  });

  it('derives packed facts once per form, across readings', () => {
    const store = new WordStore();
    let calls = 0;
    const lengthAndUpper = (w: string): readonly number[] => {
      calls++;
      return [w.length, w === w.toUpperCase() ? 1 : 0];
    };
    for (let r = 0; r < 3; r++) {
      const lx = new Lexicon(store);
      const facts = lx.facts(lengthAndUpper, 2);
      for (const w of ['AS', 'senjata', 'AS']) {
        const row = facts.row(intern(lx, w));
        expect([facts.data[row], facts.data[row + 1]]).toEqual([w.length, w === 'AS' ? 1 : 0]);
      }
    }
    expect(calls).toBe(2);
  });
});
