import { describe, expect, it } from 'vitest';
import { ERROR_CODES, RingkasError } from '../../src/core/errors.js';
import { messageFor, toLocale, userMessage } from '../../src/core/messages.js';

describe('messages', () => {
  it('has a short polite sentence in both languages for every error code', () => {
    for (const code of ERROR_CODES) {
      for (const locale of ['id', 'en'] as const) {
        const m = messageFor(code, locale);
        expect(m.length, `${code}/${locale}`).toBeGreaterThan(10);
        expect(m.length, `${code}/${locale}`).toBeLessThan(200);
        expect(m, `${code}/${locale}`).not.toMatch(/undefined|null|\[object/);
        expect(m, `${code}/${locale}`).toMatch(/[.!?]$/);
      }
      expect(messageFor(code, 'id')).not.toBe(messageFor(code, 'en'));
    }
  });

  it('speaks Indonesian by default and English for English locales', () => {
    expect(toLocale(undefined)).toBe('id');
    expect(toLocale('id')).toBe('id');
    expect(toLocale('en-US')).toBe('en');
    expect(toLocale('en_GB')).toBe('en');
    expect(toLocale('ja')).toBe('id');
    expect(messageFor('RATE_LIMITED', 'id', { seconds: 5 })).toBe('Tunggu sebentar, ya: coba lagi dalam 5 detik.');
    expect(messageFor('BUSY', 'id', { host: 'kompas.com', waitedMs: 7500 })).toBe('Maaf, situs itu sedang lambat dan banyak permintaan mengantre. Coba lagi sebentar lagi, ya.');
  });

  it('never shows internals of unknown errors', () => {
    const m = userMessage(new Error('ECONNRESET at Socket.read (node:net:123)'), 'id');
    expect(m).not.toContain('ECONNRESET');
    expect(m).toContain('Maaf');
    expect(userMessage(new RingkasError('HTTP_ERROR', 'x', { status: 503 }), 'en')).toContain('503');
  });
});
