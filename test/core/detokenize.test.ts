import { describe, expect, it } from 'vitest';
import { detokenize } from '../../src/core/text/detokenize.js';

describe('detokenize', () => {
  it('rebuilds IndoSum sentences as printed', () => {
    expect(detokenize('Sabtu ( 23 / 12 / 2017 ) di Santiago Bernabeu .'.split(' '))).toBe('Sabtu (23/12/2017) di Santiago Bernabeu.');
    expect(detokenize(['skor', '3', '-', '0', ',', 'pekan', 'ke', '-', '17'])).toBe('skor 3-0, pekan ke-17');
    expect(detokenize(['"', 'Tidak', 'hanya', 'tarif', ',', '"', 'ucap', 'Zulkifli', '.'])).toBe('"Tidak hanya tarif," ucap Zulkifli.');
    expect(detokenize(['“', 'Kami', 'siap', '”', 'katanya'])).toBe('“Kami siap” katanya');
    expect(detokenize(['rumah', '-nya'])).toBe('rumahnya'.replace('nya', '-nya'));
  });
});

describe('detokenizeParagraph', () => {
  it('closes a quotation that spans sentences', async () => {
    const { detokenizeParagraph } = await import('../../src/core/text/detokenize.js');
    expect(detokenizeParagraph([['"', 'Tidak', 'hanya', 'tarif', '.'], ['Kan', 'bisa', ',', '"', 'ucap', 'Zulkifli', '.']])).toBe('"Tidak hanya tarif. Kan bisa," ucap Zulkifli.');
  });
});
