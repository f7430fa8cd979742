import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/core/extract/language.js';

describe('detectLanguage', () => {
  it('tells Indonesian, English and Javanese apart', () => {
    expect(detectLanguage('Korea Utara mengeklaim tidak pernah memasok senjata ke Rusia, dan tuduhan itu menodai citra negara itu.')).toBe('id');
    expect(detectLanguage('The airport was closed on Wednesday after ash from the volcano drifted over the runway, officials said.')).toBe('en');
    expect(detectLanguage('Banjir sing teka wiwit bengi ndadekake warga kudu ngungsi saka omahe, lan banyune durung surut.')).toBe('jv');
    expect(detectLanguage('Kula badhe tindak dhateng peken, nanging boten wonten arta ingkang cekap kangge tumbas sedaya.')).toBe('jv');
  });

  it('says "und" when it cannot tell', () => {
    expect(detectLanguage('')).toBe('und');
    expect(detectLanguage('12345 67890')).toBe('und');
    expect(detectLanguage('Samsung Galaxy S6 Edge')).toBe('und');
    expect(detectLanguage('Bonjour tout le monde, je suis très content de vous voir ici aujourd’hui.')).toBe('und');
  });

  it('is cheap on huge text', () => {
    const t0 = performance.now();
    expect(detectLanguage('dan yang di '.repeat(1_000_000))).toBe('id');
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
