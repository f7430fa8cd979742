/**
 * The console chat: a local prompt over the same commands as Discord and Telegram. A line starting
 * with "/" is a command; the lines pasted after it (until the next command, or a pause) are its text;
 * a bare link or pasted text without a command is read as /berita. A path to a local file works too.
 */
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command, CommandContext, CommandInput, CommandServices } from '../../../commands/index.js';
import { messageFor, type Locale } from '../../core/messages.js';
import { errorReply, type Reply } from '../../core/reply.js';
import type { Logger } from '../../logger.js';
import { commandLabel, outcomeOf, type Metrics } from '../metrics.js';
import type { InFlight } from '../ops/inflight.js';
import { renderPlain } from './render.js';

export interface ConsoleOptions {
  commands: Map<string, Command>;
  services: CommandServices;
  logger: Logger;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  locale?: Locale;
  color?: boolean;
  /** How long a pause ends a pasted block, in ms (default 60). */
  pasteIdleMs?: number;
  timeZone?: string;
  /** Commands served are counted here (platform "console"). */
  metrics?: Metrics | undefined;
  /** Commands running, shared with the other adapters; once closed, new lines are not run. */
  inFlight?: InFlight | undefined;
}

const GREETING = {
  id: 'Ringkas — konsol lokal. Ketik /berita <tautan | berkas | teks>, /help, atau /keluar.',
  en: 'Ringkas — local console. Type /berita <link | file | text>, /help, or /quit.',
} as const;

/** A path to a readable local file, if the argument is one. */
async function asLocalFile(arg: string): Promise<{ name: string; kind: 'html' | 'text'; content: string } | undefined> {
  const candidate = arg.trim();
  if (candidate === '' || candidate.includes('\n') || /^https?:\/\//i.test(candidate) || candidate.length > 1024) return undefined;
  try {
    const s = await stat(candidate);
    if (!s.isFile()) return undefined;
    const content = await readFile(candidate, 'utf8');
    return { name: candidate, kind: /\.x?html?$/i.test(candidate) || /^\s*<(!doctype|html)/i.test(content.slice(0, 200)) ? 'html' : 'text', content };
  } catch {
    return undefined;
  }
}

export async function dispatch(line: string, opts: ConsoleOptions, ctx: CommandContext): Promise<Reply | 'quit'> {
  const trimmed = line.trim();
  let name = 'berita';
  let rest = trimmed;
  const m = /^\/([a-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (m !== null) {
    name = (m[1] ?? '').toLowerCase();
    rest = m[2] ?? '';
  }
  if (['quit', 'exit', 'keluar', 'q'].includes(name)) return 'quit';
  if (name === 'start') name = 'help';
  const command = opts.commands.get(name);
  if (command === undefined) return errorReply('UNKNOWN_COMMAND', messageFor('UNKNOWN_COMMAND', ctx.locale), ctx.locale);
  const input: CommandInput = { text: rest, options: {} };
  const file = await asLocalFile(rest);
  if (file !== undefined) input.attachment = file;
  return command.execute(input, ctx);
}

/** Runs the console chat until /quit or the end of input. */
export async function runConsole(opts: ConsoleOptions): Promise<void> {
  const locale = opts.locale ?? 'id';
  const out = opts.output;
  const interactive = (opts.input as NodeJS.ReadStream).isTTY === true;
  const ctx: CommandContext = {
    locale,
    user: { id: 'console', name: process.env['USER'] ?? 'console' },
    place: { platform: 'console', channelId: 'console', isPrivate: true },
    // The console is its owner's own terminal.
    canManage: true,
    services: opts.services,
    logger: opts.logger,
    ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
  };
  const rl = createInterface({ input: opts.input, terminal: interactive, ...(interactive ? { output: out } : {}) });
  const prompt = (): void => {
    if (interactive) rl.prompt();
  };
  out.write(`${GREETING[locale]}\n`);
  rl.setPrompt('ringkas> ');
  prompt();

  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();
  let quitting = false;

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const block = pending.join('\n');
    pending = [];
    if (block.trim() === '') return;
    queue = queue.then(async () => {
      if (quitting || opts.inFlight?.closed === true) return;
      const receivedAt = performance.now();
      let reply: Reply | 'quit';
      const run = dispatch(block, opts, ctx);
      void opts.inFlight?.track(run.catch(() => undefined));
      try {
        reply = await run;
      } catch (e) {
        // Commands turn their own errors into replies; this is the last guard so the prompt stays up.
        opts.logger.error({ err: e }, 'console command failed');
        reply = errorReply('INTERNAL', messageFor('INTERNAL', locale), locale);
      }
      if (reply !== 'quit') {
        const name = /^\/([a-z_]+)/i.exec(block.trim())?.[1]?.toLowerCase() ?? 'berita';
        opts.metrics?.commandServed('console', commandLabel(opts.commands, name === 'start' ? 'help' : name), outcomeOf(reply), (performance.now() - receivedAt) / 1000);
      }
      if (reply === 'quit') {
        quitting = true;
        rl.close();
        return;
      }
      out.write(`\n${renderPlain(reply, { color: opts.color ?? interactive, width: interactive ? Math.min((out as NodeJS.WriteStream).columns ?? 100, 100) : 0 })}\n\n`);
      prompt();
    });
  };

  rl.on('line', (line) => {
    if (line.startsWith('/') && pending.length > 0) flush();
    pending.push(line);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, opts.pasteIdleMs ?? 60);
  });

  await new Promise<void>((resolve) => {
    rl.on('close', () => {
      flush();
      void queue.then(() => resolve());
    });
  });
  await queue;
}
