/** The kind-of-summary label in each renderer: one small line under the summary, nothing without it. */
import { describe, expect, it } from 'vitest';
import { renderPlain } from '../../../src/adapters/console/render.js';
import { renderReply as renderDiscord } from '../../../src/adapters/discord/render.js';
import { renderReply as renderTelegram } from '../../../src/adapters/telegram/render.js';
import { readingToReply } from '../../../src/core/present.js';
import { berasReading, FAITHFUL_BULLETS } from './fixtures.js';

const abstractive = { ...berasReading(), summary: FAITHFUL_BULLETS, summaryKind: 'abstractive' as const };
const extractive = { ...berasReading(), summaryKind: 'extractive' as const };

describe('the AI summary label', () => {
  it('console: a dim line under the bullets', () => {
    const out = renderPlain(readingToReply(abstractive, 'id'));
    expect(out).toContain(`• ${FAITHFUL_BULLETS[2]}\n  (Ringkasan AI, diperiksa terhadap artikel)\n\nKutipan penting`);
    expect(renderPlain(readingToReply(extractive, 'id'))).not.toContain('Ringkasan AI');
  });

  it('Telegram: an italic line under the bullets', () => {
    const [part] = renderTelegram(readingToReply(abstractive, 'en'));
    expect(part?.html).toContain('<i>AI summary, checked against the article</i>');
    expect(part?.text).toContain(`${FAITHFUL_BULLETS[2]}\nAI summary, checked against the article\n\n`);
  });

  it('Discord: an italic last line of the description', () => {
    const { embeds } = renderDiscord(readingToReply(abstractive, 'id'));
    expect(embeds[0]?.description?.split('\n').at(-1)).toBe('*Ringkasan AI, diperiksa terhadap artikel*');
    expect(embeds[0]?.description).toContain('Rp14.500');
    expect(renderDiscord(readingToReply(extractive, 'id')).embeds[0]?.description).not.toContain('Ringkasan AI');
  });

  it('the Reply says the kind either way', () => {
    expect(readingToReply(abstractive, 'id').summaryKind).toBe('abstractive');
    expect(readingToReply(extractive, 'id').summaryKind).toBe('extractive');
    expect(readingToReply(berasReading(), 'id')).not.toHaveProperty('summaryKind');
  });
});
