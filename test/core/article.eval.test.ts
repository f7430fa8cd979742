/**
 * The extraction bar on ../shared/data/pages (eval/extraction.ts): F1 >= 0.95 and above
 * Readability.js + jsdom measured in the same run, every title exact, every date right to the day.
 * Skipped, loudly, when ../shared is absent (article.pages.test.ts covers the same pages from fixtures).
 */
import { describe, expect, it } from 'vitest';
import { evalExtraction, formatExtraction } from '../../eval/extraction.js';
import { hasSharedData, sharedDataDir } from '../../eval/shared.js';

const shared = hasSharedData();
if (!shared) console.warn(`[article.eval] SKIPPED: no shared data at ${sharedDataDir}`);

describe('extraction eval on the shared pages', () => {
  it.skipIf(!shared)('meets the bar and beats Readability.js + jsdom', { timeout: 120_000 }, async () => {
    const rows = await evalExtraction({ runs: 1 });
    expect(rows).not.toBeNull();
    const [ringkas, peer] = rows ?? [];
    if (ringkas === undefined || peer === undefined) throw new Error('two rows expected');
    console.info(formatExtraction(rows ?? []));
    expect(ringkas.pages).toBe(9);
    expect(ringkas.f1).toBeGreaterThanOrEqual(0.95);
    expect(ringkas.f1).toBeGreaterThan(peer.f1);
    expect(ringkas.titlesExact).toBe(ringkas.pages);
    expect(ringkas.datesRight).toBe(ringkas.datesTotal);
    expect(ringkas.perPage.every((p) => p.error === undefined)).toBe(true);
    // Speed is reported by `npm run bench`; here only a sanity check that survives a busy machine.
    expect(ringkas.medianMs).toBeLessThan(peer.medianMs);
  });
});
