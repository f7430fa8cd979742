/** Where ../shared/data is (beside the checkout), and whether it is there at all. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root, whether running from eval/ (vitest) or dist/eval/ (node). */
export const repoRoot = existsSync(join(here, '..', 'package.json')) ? resolve(here, '..') : resolve(here, '..', '..');

export const sharedDataDir = process.env['RINGKAS_SHARED_DATA'] ?? join(repoRoot, '..', 'shared', 'data');

export function sharedDataPath(...parts: string[]): string {
  return join(sharedDataDir, ...parts);
}

export function hasSharedData(): boolean {
  return existsSync(sharedDataDir);
}
