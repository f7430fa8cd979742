/** An article, a model's answers about it (faithful and not), and a logger whose lines tests can read. */
import { Writable } from 'node:stream';
import type { Reading } from '../../../src/core/article-types.js';
import { textToArticle } from '../../../src/core/article.js';
import { readArticle } from '../../../src/core/reader.js';
import { createLogger, type Logger } from '../../../src/logger.js';

/** A made-up but ordinary Indonesian news item, pasted as a reader copies it. */
export function berasText(title = 'Harga Beras Naik di Pasar Induk Cipinang'): string {
  return [
    title,
    '',
    'JAKARTA, KOMPAS.com - Harga beras medium di Pasar Induk Beras Cipinang naik menjadi Rp 14.500 per kilogram pada Senin (27/3).',
    'Kenaikan itu dipicu pasokan dari daerah sentra produksi yang berkurang karena musim hujan dan banjir di beberapa daerah.',
    '"Pasokan turun hampir 30 persen dibanding pekan lalu, jadi harga ikut naik," kata Ketua Koperasi Pedagang Pasar Induk, Zulkifli Rasyid.',
    'Pemerintah berencana menggelar operasi pasar untuk menahan kenaikan harga beras hingga akhir bulan.',
    'Operasi pasar akan dimulai di 12 titik di Jakarta dengan 1.500 ton beras dari gudang Bulog.',
  ].join('\n');
}

export function berasReading(title?: string): Reading {
  return readArticle(textToArticle(berasText(title)));
}

/** Three bullets, each supported by the article (paraphrased, numbers in other forms). */
export const FAITHFUL = [
  'Berikut ringkasan artikel tersebut:',
  '',
  '1. **Harga beras medium** di Pasar Induk Beras Cipinang naik menjadi Rp14.500 per kilogram pada Senin (27/3).',
  '2. Menurut Zulkifli Rasyid, pasokan turun hampir 30% karena musim hujan dan banjir di daerah sentra produksi.',
  '3. Pemerintah akan menggelar operasi pasar di 12 titik di Jakarta dengan 1.500 ton beras dari gudang Bulog.',
  '',
  'Semoga membantu!',
].join('\n');

export const FAITHFUL_BULLETS = [
  'Harga beras medium di Pasar Induk Beras Cipinang naik menjadi Rp14.500 per kilogram pada Senin (27/3).',
  'Menurut Zulkifli Rasyid, pasokan turun hampir 30% karena musim hujan dan banjir di daerah sentra produksi.',
  'Pemerintah akan menggelar operasi pasar di 12 titik di Jakarta dengan 1.500 ton beras dari gudang Bulog.',
];

/** The first bullet with an invented price. */
export const INVENTED_NUMBER = ['- Harga beras medium di Pasar Induk Beras Cipinang naik menjadi Rp 16.000 per kilogram pada Senin (27/3).', `- ${FAITHFUL_BULLETS[1]}`, `- ${FAITHFUL_BULLETS[2]}`].join('\n');

/** The second bullet credited to someone the article never names. */
export const INVENTED_NAME = [`- ${FAITHFUL_BULLETS[0]}`, '- Menteri Perdagangan Budi Santoso menyebut pasokan turun hampir 30 persen karena banjir.', `- ${FAITHFUL_BULLETS[2]}`].join('\n');

/** The second bullet quoting words the speaker never said; the third quoting him right. */
export const MISQUOTE = [
  `- ${FAITHFUL_BULLETS[0]}`,
  '- Zulkifli Rasyid mengatakan, “Pasokan turun drastis dibanding pekan lalu, jadi harga ikut naik.”',
  '- Zulkifli Rasyid mengatakan, “Pasokan turun hampir 30 persen dibanding pekan lalu.”',
].join('\n');

/** Only one bullet survives: the summary stays extractive. */
export const MOSTLY_INVENTED = [
  `- ${FAITHFUL_BULLETS[0]}`,
  '- Menteri Perdagangan Budi Santoso menyebut pasokan turun hampir 30 persen karena banjir.',
  '- Operasi pasar akan dimulai di 25 titik dengan 3.000 ton beras.',
].join('\n');

export interface CapturedLogger {
  logger: Logger;
  lines: string[];
  /** Everything logged so far, as one string. */
  text(): string;
  /** Parsed records with this message. */
  records(msg: string): Record<string, unknown>[];
}

/**
 * A logger at trace level writing into memory. The environment is empty on purpose: the logger's
 * own scrubbing of known secrets is off, so a test sees exactly what the code under test logs.
 */
export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      cb();
    },
  });
  const logger = createLogger({ level: 'trace', destination, env: {} });
  return {
    logger,
    lines,
    text: () => lines.join('\n'),
    records: (msg) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r['msg'] === msg),
  };
}
