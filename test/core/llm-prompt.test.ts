import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textToArticle } from '../../src/core/article.js';
import { articleLanguage, buildSummaryMessages, documentTexts, parseBullets, summaryDocument } from '../../src/core/llm-prompt.js';
import { readArticle } from '../../src/core/reader.js';
import { berasReading } from '../adapters/llm/fixtures.js';

const SEED = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'seed', '000_15a10b513c55d842.txt'), 'utf8');

describe('the prompt', () => {
  it('shows the extracted article: title, date, dateline, body and key quotes, and asks in Indonesian for 3 factual points', () => {
    const reading = readArticle(textToArticle(SEED));
    const doc = summaryDocument(reading);
    const [system, user] = buildSummaryMessages(doc);
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('Tulis tepat 3 poin singkat dalam bahasa Indonesia, sama dengan bahasa artikel.');
    expect(system?.content).toContain('Jangan menambahkan opini');
    expect(system?.content).toContain('persis seperti di artikel');
    expect(system?.content).toContain('salin kata per kata');
    expect(user?.role).toBe('user');
    const text = user?.content ?? '';
    expect(text).toContain(`Judul: ${reading.article.title}`);
    expect(text).toContain('Tempat: Pyongyang');
    expect(text).toContain('Isi artikel:\n');
    // The body as extracted: no boilerplate.
    expect(text).not.toContain('Ikuti kami di');
    expect(text).not.toContain('Baca juga');
    expect(text).toMatch(/Kutipan penting:\n- “[^”]+” — /);
    expect(text).toMatch(/Tulis 3 poin ringkasan artikel di atas dalam bahasa Indonesia, sama dengan bahasa artikel\.$/);
  });

  it('gives the publication time in WIB when the article has one', () => {
    const reading = berasReading();
    const dated = { ...reading, article: { ...reading.article, publishedAt: '2017-03-27T03:00:00Z' } };
    const doc = summaryDocument(dated);
    expect(doc.date).toBe('Senin, 27 Maret 2017 10.00 WIB');
    expect(buildSummaryMessages(doc)[1]?.content).toContain('Terbit: Senin, 27 Maret 2017 10.00 WIB');
    // What the model was shown is what bullets are checked against.
    expect(documentTexts(doc)).toContain('Senin, 27 Maret 2017 10.00 WIB');
  });

  it("asks for the article's language: English for an English article, still in Indonesian", () => {
    const text = [
      'Floods Hit North Jakarta',
      '',
      'Floods hit several districts of North Jakarta on Monday after heavy rain that lasted for more than six hours, the city disaster agency said.',
      'The agency said that about 1,200 residents had been moved to shelters and that the water was expected to recede by Tuesday evening.',
      'The governor said the city would speed up the dredging of its rivers and reservoirs before the peak of the rainy season.',
    ].join('\n');
    const reading = readArticle(textToArticle(text));
    expect(articleLanguage(reading)).toBe('en');
    const [system, user] = buildSummaryMessages(summaryDocument(reading));
    expect(system?.content).toContain('dalam bahasa Inggris, sama dengan bahasa artikel');
    expect(user?.content).toContain('Tulis 3 poin ringkasan artikel di atas dalam bahasa Inggris');
  });

  it('shortens a very long body at a paragraph boundary and says so', () => {
    const reading = berasReading();
    const long = { ...reading, article: { ...reading.article, paragraphs: Array.from({ length: 400 }, (_, i) => `Paragraf nomor ${i} berisi keterangan tambahan tentang harga beras di pasar.`) } };
    const doc = summaryDocument(long, { maxBodyChars: 2000 });
    expect(doc.shortened).toBe(true);
    expect(doc.paragraphs.join('').length).toBeLessThanOrEqual(2000);
    expect(doc.paragraphs.at(-1)).toMatch(/^Paragraf nomor \d+ .*pasar\.$/);
    expect(buildSummaryMessages(doc)[1]?.content).toContain('Isi artikel (dipotong):');
  });
});

describe('parsing the answer', () => {
  const want = ['Harga beras naik menjadi Rp 14.500 per kilogram.', 'Pasokan turun hampir 30 persen karena banjir.', 'Pemerintah akan menggelar operasi pasar.'];

  it.each([
    ['dashes', want.map((w) => `- ${w}`).join('\n')],
    ['bullets •', want.map((w) => `• ${w}`).join('\n')],
    ['asterisks', want.map((w) => `* ${w}`).join('\n')],
    ['numbers with a dot', want.map((w, i) => `${i + 1}. ${w}`).join('\n')],
    ['numbers with a parenthesis', want.map((w, i) => `${i + 1}) ${w}`).join('\n')],
    ['numbers in parentheses', want.map((w, i) => `(${i + 1}) ${w}`).join('\n')],
    ['bold markers', want.map((w) => `- **${w}**`).join('\n')],
    ['bold lead words', want.map((w) => `- **${w.split(' ')[0]}** ${w.split(' ').slice(1).join(' ')}`).join('\n')],
    ['"Poin 1:" labels', want.map((w, i) => `- Poin ${i + 1}: ${w}`).join('\n')],
    ['intro and outro prose', `Berikut ringkasan artikel tersebut:\n\n${want.map((w) => `- ${w}`).join('\n')}\n\nSemoga membantu!`],
    ['an English intro', `Here are the key points:\n${want.map((w) => `- ${w}`).join('\n')}`],
    ['an outro right under the list', `${want.map((w) => `- ${w}`).join('\n')}\nSemoga ringkasan ini membantu.`],
    ['a code fence', `\`\`\`markdown\n${want.map((w) => `- ${w}`).join('\n')}\n\`\`\``],
    ['a heading', `### Ringkasan\n${want.map((w) => `- ${w}`).join('\n')}`],
    ["a reasoning model's thoughts", `<think>\nThe user wants - three bullets.\n- not this one\n</think>\n${want.map((w) => `- ${w}`).join('\n')}`],
    ['CRLF line ends', want.map((w) => `- ${w}`).join('\r\n')],
    ['plain lines', want.join('\n')],
    ['one paragraph', want.join(' ')],
    ['blank lines between points', want.map((w) => `- ${w}`).join('\n\n')],
  ])('%s', (_name, answer) => {
    expect(parseBullets(answer)).toEqual(want);
  });

  it('joins a point that wraps onto the next line', () => {
    expect(parseBullets('- Harga beras naik menjadi Rp 14.500\n  per kilogram pada Senin.\n- Pasokan turun hampir 30 persen karena banjir.')).toEqual([
      'Harga beras naik menjadi Rp 14.500 per kilogram pada Senin.',
      'Pasokan turun hampir 30 persen karena banjir.',
    ]);
  });

  it('drops duplicates, fragments and refusals, keeps at most `max`', () => {
    const answer = ['- Harga beras naik.', '- harga beras naik', '- Oke', '- Pasokan turun hampir 30 persen.', '- Operasi pasar digelar pemerintah.', '- Harga diperkirakan turun bulan depan.'].join('\n');
    expect(parseBullets(answer, { max: 3 })).toEqual(['Harga beras naik.', 'Pasokan turun hampir 30 persen.', 'Operasi pasar digelar pemerintah.']);
    expect(parseBullets('Maaf, saya tidak bisa meringkas artikel ini.')).toEqual([]);
    expect(parseBullets('')).toEqual([]);
    expect(parseBullets('<think>hmm, panjang sekali artikel ini')).toEqual([]);
    expect(parseBullets(`- ${'kata '.repeat(200)}\n- Pasokan turun hampir 30 persen.`)).toEqual(['Pasokan turun hampir 30 persen.']);
  });

  it('drops an unfinished last point when the answer was cut by the token limit', () => {
    const answer = '- Harga beras naik menjadi Rp 14.500 per kilogram.\n- Pasokan turun hampir 30 persen karena\n';
    expect(parseBullets(answer, { truncated: true })).toEqual(['Harga beras naik menjadi Rp 14.500 per kilogram.']);
    expect(parseBullets(answer)).toHaveLength(2);
  });

  it('keeps quotation marks inside a point and unwraps a point that is wholly quoted', () => {
    expect(parseBullets('- Zulkifli berkata, “Pasokan turun hampir 30 persen.”\n- "Harga beras naik menjadi Rp 14.500 per kilogram."')).toEqual([
      'Zulkifli berkata, “Pasokan turun hampir 30 persen.”',
      'Harga beras naik menjadi Rp 14.500 per kilogram.',
    ]);
  });
});
