/**
 * A fake OpenAI-compatible model server on loopback, scripted per test: answers
 * `POST /v1/chat/completions` with the scripted replies in order (the last one repeats), records
 * every request (path, headers, parsed body) and how many were in flight at once.
 *
 * ```ts
 * const ai = await startFakeOpenAI();
 * ai.script({ content: '- satu\n- dua\n- tiga', usage: { total_tokens: 120 } });
 * ai.script({ status: 429, headers: { 'retry-after': '2' } });
 * ai.script({ delayMs: 2000, content: '...' });            // slow
 * ai.script({ body: '<html>oops</html>' });                 // garbage
 * ai.script((req) => ({ content: `${req.body.model}` }));   // computed
 * await ai.close();
 * ```
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ScriptedReply {
  /** Default 200. */
  status?: number;
  /** The assistant message's content (a string, null, or content parts). */
  content?: string | null | { type: string; text: string }[];
  /** A raw body instead of a chat completion (garbage, an error document). */
  body?: string;
  headers?: Record<string, string>;
  /** Pause before answering. */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Usage reported; null leaves it out. Default { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 }. */
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  /** Default "stop". */
  finishReason?: string;
  /** No choices at all. */
  noChoices?: boolean;
}

export interface RecordedChat {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (undefined when it was not JSON). */
  body: { model?: string; messages?: { role: string; content: string }[]; temperature?: number; max_tokens?: number; stream?: boolean } | undefined;
  raw: string;
}

export type Script = ScriptedReply | ((req: RecordedChat, index: number) => ScriptedReply | Promise<ScriptedReply>);

export interface FakeOpenAI {
  /** `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** Chat requests received, in order. */
  readonly requests: readonly RecordedChat[];
  /** Most requests in flight at once so far. */
  readonly maxInFlight: number;
  /** Replaces the script: these replies in order, the last one repeating. */
  script(...replies: Script[]): void;
  /** Forgets the requests and the in-flight peak. */
  reset(): void;
  close(): Promise<void>;
}

export function completionBody(reply: ScriptedReply, model = 'fake-model'): string {
  return JSON.stringify({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: reply.noChoices === true ? [] : [{ index: 0, message: { role: 'assistant', content: reply.content ?? null }, finish_reason: reply.finishReason ?? 'stop' }],
    ...(reply.usage === null ? {} : { usage: reply.usage ?? { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 } }),
  });
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let scripts: Script[] = [{ content: '- Tidak ada naskah untuk tes ini.' }];
  const requests: RecordedChat[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let inFlight = 0;
  let maxInFlight = 0;
  let count = 0;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    if (req.method !== 'POST' || !/\/chat\/completions$/.test(path.split('?')[0] ?? '')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', code: 'not_found' } }));
      return;
    }
    let body: RecordedChat['body'];
    try {
      body = JSON.parse(raw) as RecordedChat['body'];
    } catch {
      body = undefined;
    }
    const rec: RecordedChat = { method: req.method, path, headers: req.headers, body, raw };
    requests.push(rec);
    const index = count++;
    const script = scripts[Math.min(index, scripts.length - 1)] as Script;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const reply = typeof script === 'function' ? await script(rec, index) : script;
      if (reply.hang === true) {
        await new Promise<void>((resolve) => res.on('close', () => resolve()));
        return;
      }
      if (reply.delayMs !== undefined) {
        // A client that gave up while we wait is no longer in flight.
        await Promise.race([wait(reply.delayMs), new Promise<void>((resolve) => res.on('close', () => resolve()))]);
      }
      if (res.destroyed || res.writableEnded || req.socket.destroyed) return;
      const text = reply.body ?? completionBody(reply, body?.model);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...reply.headers });
      res.end(text);
    } finally {
      inFlight--;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let closed = false;

  return {
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    script(...replies) {
      scripts = replies.length > 0 ? replies : scripts;
      count = 0;
    },
    reset() {
      requests.length = 0;
      maxInFlight = 0;
      count = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
