#!/usr/bin/env node
// The `ringkas` command: runs the compiled CLI (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'src', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('ringkas: not built yet. Run `npm ci` (or `npm run build`) in the checkout first.\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
const code = await main(process.argv.slice(2));
// Leave once stdout has taken everything: idle keep-alive sockets must not hold a finished command open.
process.stdout.write('', () => process.exit(code));
