/** Real services for command tests: the real reader and fetcher (loopback allowed), an in-memory search. */
import { createFetcher, normalizeUrl } from '../../src/adapters/http/index.js';
import type { CommandServices } from '../../commands/index.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { ReadingCache } from '../../src/adapters/store/readings.js';
import { createReaderService } from '../../src/services/read.js';
import { createMemorySearch } from '../../src/services/search.js';

export const silentLogger: Logger = createLogger({ level: 'silent' });

export function testServices(opts: { cache?: ReadingCache; allowPrivate?: boolean } = {}): CommandServices {
  return {
    reader: createReaderService({
      fetcher: createFetcher({ allowPrivate: opts.allowPrivate ?? true, totalTimeoutMs: 5000 }),
      logger: silentLogger,
      normalizeUrl,
      ...(opts.cache !== undefined ? { cache: opts.cache } : {}),
    }),
    search: createMemorySearch(),
  };
}
