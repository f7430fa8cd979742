/**
 * A client for the chat completions endpoint of an OpenAI-compatible API (OpenAI, Ollama, vLLM,
 * llama.cpp server, LiteLLM, OpenRouter, ...): one request, no streaming, no retries (the caller
 * falls back instead). Every failure is an LlmError of one kind:
 *
 * - `timeout`: no complete answer within `timeoutMs` (or the caller's deadline);
 * - `aborted`: the caller gave up (shutdown, the user's request went away);
 * - `rate_limited`: 429, with Retry-After when the server sent it;
 * - `server`: 5xx; `http`: any other non-2xx (401, 404, ...);
 * - `network`: no connection (refused, reset, DNS);
 * - `malformed`: the body is not the JSON of a chat completion;
 * - `empty`: a chat completion without text.
 *
 * The API key travels in the Authorization header only. Error messages are built from the status,
 * the kind and short codes, never from the request, its headers or its URL's credentials, so that
 * a logged error cannot carry the key.
 */
import type { ChatMessage } from '../../core/llm-prompt.js';

export type { ChatMessage };

export type LlmFailure = 'timeout' | 'aborted' | 'rate_limited' | 'server' | 'http' | 'network' | 'malformed' | 'empty';

export class LlmError extends Error {
  readonly kind: LlmFailure;
  readonly status?: number;
  /** From a 429's Retry-After header. */
  readonly retryAfterMs?: number;

  constructor(kind: LlmFailure, message: string, extra: { status?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'LlmError';
    this.kind = kind;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
  }
}

export interface ChatCompletion {
  text: string;
  /** "stop", "length" (cut by max_tokens), ... as the server said. */
  finishReason?: string;
  /** Tokens the server reports for the call (prompt + completion), when it reports them. */
  totalTokens?: number;
}

export interface CompleteOptions {
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

/** What the summary service needs from a model server. */
export interface ChatCompleter {
  complete(messages: readonly ChatMessage[], opts?: CompleteOptions): Promise<ChatCompletion>;
}

export interface ChatClientOptions {
  /** `http://127.0.0.1:11434/v1`, `https://api.openai.com` (with or without /v1), or the full /chat/completions URL. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Per request, headers and body (default 8000). */
  timeoutMs?: number;
  /** Largest answer body read (default 1 MB). */
  maxBodyBytes?: number;
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
}

export interface ChatClient extends ChatCompleter {
  /** The endpoint without credentials or query, for logs. */
  readonly endpoint: string;
  readonly model: string;
}

/**
 * The chat completions URL of a base: "/v1" is added unless the path already names an API version
 * ("/v1", "/api/v1", "/v1beta/openai") or the endpoint itself.
 */
export function chatCompletionsUrl(baseUrl: string): string {
  const url = new URL(baseUrl.trim());
  let path = url.pathname.replace(/\/+$/, '');
  if (!/\/chat\/completions$/.test(path)) {
    if (!/\/v\d+[a-z0-9]*(?:\/|$)/i.test(path)) path += '/v1';
    path += '/chat/completions';
  }
  url.pathname = path;
  return url.href;
}

/** A URL as logs may show it: no user, password, query or fragment. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '[invalid url]';
  }
}

/** Seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
function retryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const s = Number(header.trim());
  if (Number.isFinite(s) && s >= 0) return Math.round(s * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A short, safe label from an error body ("rate_limit_exceeded"), never free text that could echo input. */
function errorCode(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { error?: { code?: unknown; type?: unknown } | string };
    const e = json.error;
    const raw = typeof e === 'object' && e !== null ? (typeof e.code === 'string' ? e.code : e.type) : undefined;
    return typeof raw === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(raw) ? raw : undefined;
  } catch {
    return undefined;
  }
}

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    // Some servers answer with content parts: [{ type: "text", text: "..." }].
    const parts = content.map((p: unknown) => (typeof p === 'object' && p !== null && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''));
    return parts.join('');
  }
  return undefined;
}

function parseCompletion(body: string): ChatCompletion {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new LlmError('malformed', 'the model server answered with something other than JSON');
  }
  if (typeof json !== 'object' || json === null) throw new LlmError('malformed', 'the model server answered with JSON that is not an object');
  const { choices, usage } = json as { choices?: unknown; usage?: unknown };
  if (!Array.isArray(choices)) throw new LlmError('malformed', 'the model server answered without choices');
  if (choices.length === 0) throw new LlmError('empty', 'the model server answered with no choice');
  const first = choices[0] as { message?: { content?: unknown }; finish_reason?: unknown; text?: unknown } | null;
  if (typeof first !== 'object' || first === null) throw new LlmError('malformed', 'the model server answered with an unreadable choice');
  const text = textOf(first.message?.content) ?? (typeof first.text === 'string' ? first.text : undefined);
  if (text === undefined && first.message?.content !== null) throw new LlmError('malformed', 'the model server answered without message content');
  if (text === undefined || text.trim() === '') throw new LlmError('empty', 'the model server answered with empty content');
  const out: ChatCompletion = { text };
  if (typeof first.finish_reason === 'string') out.finishReason = first.finish_reason;
  if (typeof usage === 'object' && usage !== null) {
    const u = usage as { total_tokens?: unknown; prompt_tokens?: unknown; completion_tokens?: unknown };
    if (typeof u.total_tokens === 'number' && Number.isFinite(u.total_tokens) && u.total_tokens >= 0) out.totalTokens = u.total_tokens;
    else if (typeof u.prompt_tokens === 'number' && typeof u.completion_tokens === 'number') out.totalTokens = u.prompt_tokens + u.completion_tokens;
  }
  return out;
}

async function readBody(res: Response, max: number): Promise<string> {
  const reader = res.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new LlmError('malformed', `the model server's answer is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createChatClient(options: ChatClientOptions): ChatClient {
  const parsed = new URL(chatCompletionsUrl(options.baseUrl));
  // fetch refuses URLs with credentials: a user:password in the base becomes Basic auth (a proxy's).
  const basic = parsed.username !== '' || parsed.password !== '' ? Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64') : undefined;
  parsed.username = '';
  parsed.password = '';
  const url = parsed.href;
  const endpoint = redactUrl(url);
  const timeoutMs = options.timeoutMs ?? 8000;
  const maxBody = options.maxBodyBytes ?? 1_000_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'Ringkas (+abstractive summaries)' };
  if (options.apiKey !== undefined && options.apiKey !== '') headers['authorization'] = `Bearer ${options.apiKey}`;
  else if (basic !== undefined) headers['authorization'] = `Basic ${basic}`;

  return {
    endpoint,
    model: options.model,
    async complete(messages, opts = {}) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = opts.signal !== undefined ? AbortSignal.any([timeout, opts.signal]) : timeout;
      const body = JSON.stringify({
        model: options.model,
        messages,
        temperature: opts.temperature ?? 0.2,
        max_tokens: opts.maxTokens ?? 400,
        stream: false,
      });
      const failure = (err: unknown): LlmError => {
        if (err instanceof LlmError) return err;
        if (timeout.aborted) return new LlmError('timeout', `the model server did not answer within ${timeoutMs} ms`);
        if (opts.signal?.aborted === true) return new LlmError('aborted', 'the request to the model server was given up');
        const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
        return new LlmError('network', `the model server could not be reached${typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : ''}`);
      };
      let res: Response;
      let text: string;
      try {
        res = await doFetch(url, { method: 'POST', headers, body, signal, redirect: 'error' });
        text = await readBody(res, maxBody);
      } catch (err) {
        throw failure(err);
      }
      if (res.status === 429) {
        const after = retryAfter(res.headers.get('retry-after'));
        throw new LlmError('rate_limited', 'the model server is rate limiting (429)', { status: 429, ...(after !== undefined ? { retryAfterMs: after } : {}) });
      }
      if (res.status >= 500) throw new LlmError('server', `the model server failed (${res.status})`, { status: res.status });
      if (res.status < 200 || res.status >= 300) {
        const code = errorCode(text);
        throw new LlmError('http', `the model server refused the request (${res.status}${code !== undefined ? ` ${code}` : ''})`, { status: res.status });
      }
      return parseCompletion(text);
    },
  };
}
