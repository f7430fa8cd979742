/** A link to a private address is refused before any request leaves (FETCH_ALLOW_PRIVATE unset). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { guardLoopbackOnly, startNewsServer, type LoopbackGuard, type NewsServer } from '../../helpers/news-server.js';
import { startHarness, type Harness } from './harness.js';

let site: NewsServer;
let h: Harness;
let guard: LoopbackGuard;

beforeAll(async () => {
  guard = guardLoopbackOnly();
  site = await startNewsServer({ '/antara': { contentType: 'text/html; charset=utf-8', body: readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'pages', 'antara-singlepage.html')) } });
  h = await startHarness({ allowPrivate: false });
});

afterAll(async () => {
  await h?.close();
  await site?.close();
  guard?.restore();
});

it('refuses loopback, private and metadata addresses with a clear answer; the site sees no request', async () => {
  const user = h.tg.user();
  const chat = h.tg.privateChat(user);
  const links = [site.url('/antara'), `http://localhost:${site.port}/antara`, 'http://10.0.0.7/berita', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/x',
    // Odd spellings of 127.0.0.1 and a userinfo trick, aimed at the site's port (issue 7).
    `http://2130706433:${site.port}/antara`, `http://0x7f000001:${site.port}/antara`, `http://[::ffff:127.0.0.1]:${site.port}/antara`, `http://example.com@127.0.0.1:${site.port}/antara`];
  for (const [i, link] of links.entries()) {
    await h.tg.sendText(user, chat, i % 2 === 0 ? `/berita ${link}` : link);
    const all = await h.tg.waitForMessages(chat.id, i + 1);
    expect(all[i]?.text, link).toBe('Maaf, tautan itu mengarah ke alamat jaringan internal, jadi tidak saya buka.');
  }
  expect(site.requests).toHaveLength(0);
  expect(guard.blocked).toEqual([]);
});
