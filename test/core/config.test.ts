import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_FEEDS, loadConfig, platformsOf } from '../../src/config.js';

describe('config', () => {
  it('gives working defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.STORE_URL).toBe('sqlite://./data/ringkas.sqlite');
    expect(c.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(c.DIGEST_TIMEZONE).toBe('Asia/Jakarta');
    expect(c.FETCH_ALLOW_PRIVATE).toBe(false);
    expect(c.FEEDS).toEqual(DEFAULT_FEEDS);
    expect(c.LOG_LEVEL).toBe('info');
    expect(platformsOf(c)).toEqual({ discord: false, telegram: false });
  });

  it('parses values and treats blank strings as unset', () => {
    const c = loadConfig({ DISCORD_TOKEN: ' abc ', TELEGRAM_BOT_TOKEN: '', FEEDS: 'https://a.id/rss, https://b.id/feed', FETCH_ALLOW_PRIVATE: 'true', STORE_URL: 'redis://127.0.0.1:6379' });
    expect(c.DISCORD_TOKEN).toBe('abc');
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(c.FEEDS).toEqual(['https://a.id/rss', 'https://b.id/feed']);
    expect(c.FETCH_ALLOW_PRIVATE).toBe(true);
    expect(platformsOf(c)).toEqual({ discord: true, telegram: false });
  });

  it('bounds fetching of user links: 16 at once, 4 per site by default', () => {
    expect(loadConfig({})).toMatchObject({ FETCH_CONCURRENCY: 16, FETCH_PER_HOST: 4 });
    expect(loadConfig({ FETCH_CONCURRENCY: '32', FETCH_PER_HOST: '2' })).toMatchObject({ FETCH_CONCURRENCY: 32, FETCH_PER_HOST: 2 });
    expect(() => loadConfig({ FETCH_CONCURRENCY: '0', FETCH_PER_HOST: 'banyak' })).toThrow(/FETCH_CONCURRENCY[\s\S]*FETCH_PER_HOST/);
  });

  it('reports every problem at once', () => {
    let err: unknown;
    try {
      loadConfig({ STORE_URL: 'postgres://x', DIGEST_TIMEZONE: 'Mars/Olympus', FEEDS: 'not a url', LOG_LEVEL: 'loud', DISCORD_API_URL: 'ftp://x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const key of ['STORE_URL', 'DIGEST_TIMEZONE', 'FEEDS', 'LOG_LEVEL', 'DISCORD_API_URL']) expect(problems).toContain(key);
    expect((err as ConfigError).problems).toHaveLength(5);
  });
});
