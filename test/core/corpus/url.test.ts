import { describe, expect, it } from 'vitest';
import { cleanStoryUrl, domainOf, siteHost, stableHash, storyKey } from '../../../src/core/corpus/url.js';
import { parseFeedDate } from '../../../src/core/corpus/dates.js';
import { outletName } from '../../../src/core/corpus/outlets.js';

describe('storyKey: one key for every spelling of one article', () => {
  const base = 'news.detik.com/berita/d-7012345/banjir-bekasi';
  it.each([
    'https://news.detik.com/berita/d-7012345/banjir-bekasi',
    'http://news.detik.com/berita/d-7012345/banjir-bekasi/',
    'https://news.detik.com/berita/d-7012345/banjir-bekasi?utm_source=twitter&utm_medium=social&utm_campaign=x',
    'https://news.detik.com/berita/d-7012345/banjir-bekasi?fbclid=IwAR0abc#komentar',
    'https://NEWS.DETIK.COM/berita/d-7012345/banjir-bekasi',
    'https://news.detik.com/berita/d-7012345/banjir-bekasi/amp',
    'https://news.detik.com/berita/d-7012345/banjir-bekasi?amp=1',
    'https://news.detik.com//berita/d-7012345/banjir-bekasi',
  ])('%s', (url) => {
    expect(storyKey(url)).toBe(base);
  });

  it('folds mobile and AMP editions of a site, and AMP path prefixes', () => {
    expect(storyKey('https://m.liputan6.com/news/read/123/judul')).toBe('liputan6.com/news/read/123/judul');
    expect(storyKey('https://www.liputan6.com/news/read/123/judul')).toBe('liputan6.com/news/read/123/judul');
    expect(storyKey('https://amp.kompas.com/nasional/read/2030/01/01/1/judul')).toBe('kompas.com/nasional/read/2030/01/01/1/judul');
    expect(storyKey('https://www.kompas.com/nasional/read/2030/01/01/1/judul?page=all')).toBe('kompas.com/nasional/read/2030/01/01/1/judul');
    expect(storyKey('https://www.tribunnews.com/amp/nasional/2030/01/01/judul')).toBe('tribunnews.com/nasional/2030/01/01/judul');
  });

  it('keeps parameters that name the article, in a stable order', () => {
    expect(storyKey('https://x.id/read.php?id=5&cat=2&utm_source=a')).toBe('x.id/read.php?cat=2&id=5');
    expect(storyKey('https://x.id/read.php?cat=2&id=5')).toBe('x.id/read.php?cat=2&id=5');
    expect(storyKey('https://x.id/read.php?id=6')).not.toBe(storyKey('https://x.id/read.php?id=5'));
    expect(storyKey('https://x.id/berita/1?page=2')).not.toBe(storyKey('https://x.id/berita/1'));
  });

  it('refuses what is not a web link', () => {
    expect(storyKey('javascript:alert(1)')).toBeUndefined();
    expect(storyKey('mailto:redaksi@x.id')).toBeUndefined();
    expect(storyKey('not a url')).toBeUndefined();
    expect(storyKey('')).toBeUndefined();
    expect(storyKey('/relative/path')).toBeUndefined();
    expect(storyKey('/relative/path', 'https://x.id/rss')).toBe('x.id/relative/path');
  });

  it('cleanStoryUrl keeps the link as published minus tracking and fragment', () => {
    expect(cleanStoryUrl('https://m.detik.com/a/b/?utm_source=x&id=3#top')).toBe('https://m.detik.com/a/b/?id=3');
    expect(cleanStoryUrl('https://user:pw@x.id/a')).toBe('https://x.id/a');
    expect(cleanStoryUrl('ftp://x.id/a')).toBeUndefined();
  });

  it('hosts, domains and hashes', () => {
    expect(siteHost('m.detik.com')).toBe('detik.com');
    expect(siteHost('www.bbc.co.uk')).toBe('bbc.co.uk');
    expect(siteHost('m.id')).toBe('m.id');
    expect(domainOf('news.republika.co.id')).toBe('republika.co.id');
    expect(domainOf('satu.tempo.co')).toBe('tempo.co');
    expect(stableHash('a')).toMatch(/^[0-9a-f]{16}$/);
    expect(stableHash('a')).not.toBe(stableHash('b'));
    expect(stableHash('kompas.com/x')).toBe(stableHash('kompas.com/x'));
  });
});

describe('parseFeedDate: deterministic, Indonesian spellings, no process time zone', () => {
  it.each([
    ['Fri, 05 Jun 2026 14:30:00 +0700', '2026-06-05T07:30:00Z'],
    ['Mon, 23 Jun 2025 13:02:08 GMT', '2025-06-23T13:02:08Z'],
    ['Kamis, 05 Nov 2015 14:56:43 +0700', '2015-11-05T07:56:43Z'],
    ['05 Mei 2025 10:00 WIB', '2025-05-05T03:00:00Z'],
    ['17 Agustus 2025 09:15:00 WITA', '2025-08-17T01:15:00Z'],
    ['2025-12-01T08:00:00+07:00', '2025-12-01T01:00:00Z'],
    ['2025-12-01T08:00:00.123Z', '2025-12-01T08:00:00Z'],
    ['2025-12-01 08:00:00', '2025-12-01T01:00:00Z'],
    ['2025-12-01', '2025-11-30T17:00:00Z'],
    ['Dec 1, 2025 08:00:00 +0000', '2025-12-01T08:00:00Z'],
    ['Sun, 7 Jun 26 15:00:00 +0700', '2026-06-07T08:00:00Z'],
  ])('%s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(Date.parse(iso));
  });

  it('returns undefined for what is not a date', () => {
    for (const raw of [undefined, '', 'kemarin', '32 Jan 2025', '2025-13-01', 'Mon, 01 Foo 2025 10:00:00 +0700', 'x'.repeat(500)]) expect(parseFeedDate(raw)).toBeUndefined();
  });
});

describe('outletName', () => {
  it('names known newsrooms by the story host, then the feed, then the feed title', () => {
    expect(outletName('https://www.antaranews.com/berita/1/x', 'https://www.antaranews.com/rss/terkini.xml')).toBe('Antara');
    expect(outletName('https://nasional.kompas.com/read/1', 'https://www.kompas.com/getrss/all')).toBe('Kompas');
    expect(outletName('http://detik.feedsportal.com/c/1/story01.htm', 'http://rss.detik.com/index.php/detikcom')).toBe('Detik');
    expect(outletName('https://lokal.contoh.id/a', 'https://lokal.contoh.id/rss', 'Kabar Lokal - Berita Terkini')).toBe('Kabar Lokal');
    expect(outletName('https://lokal.contoh.id/a', 'https://lokal.contoh.id/rss')).toBe('lokal.contoh.id');
  });
});
