/** The compiled bot as `npm start` runs it (node bin/ringkas.js bot), for the operations tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const built = existsSync(join(root, 'dist', 'src', 'cli.js'));
const bin = join(root, 'bin', 'ringkas.js');

export interface BotProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The JSON log lines so far. */
  lines(): Record<string, unknown>[];
  /** Resolves with the first log line whose msg matches. */
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export function startBot(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [bin, 'bot'], { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (c: Buffer): void => {
    out += c.toString('utf8');
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = (): Record<string, unknown>[] =>
    out.split('\n').flatMap((l) => {
      if (!l.startsWith('{')) return [];
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    child,
    output: () => out,
    lines,
    exited,
    waitForLog(msg, timeoutMs = 30_000) {
      const find = (): Record<string, unknown> | undefined => lines().find((l) => (typeof msg === 'string' ? l['msg'] === msg : msg.test(String(l['msg']))));
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = find();
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no log line ${String(msg)} within ${timeoutMs} ms; output:\n${out.slice(-4000)}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() => {
          if (waiters.has(check)) {
            check();
            if (waiters.has(check)) {
              clearTimeout(timer);
              waiters.delete(check);
              reject(new Error(`the bot exited before logging ${String(msg)}; output:\n${out.slice(-4000)}`));
            }
          }
        });
        check();
      });
    },
  };
}
