/**
 * The webhook receiver: a node:http server that hands Telegram's POSTs to grammY's
 * webhookCallback (which checks the secret token: a wrong or missing one gets 401). The bot
 * handles updates off the request, so answers are immediate and Telegram never re-sends for
 * slowness. `GET /healthz` answers 200 for load balancers.
 */
import http from 'node:http';
import { webhookCallback, type Bot } from 'grammy';
import type { Logger } from '../../logger.js';
import { listen } from '../http/serve.js';

/** Largest update body accepted (Telegram's are a few KB). */
const MAX_BODY_BYTES = 1_000_000;

export interface WebhookServerOptions {
  bot: Bot;
  /** Path Telegram POSTs to (the path of TELEGRAM_WEBHOOK_URL), e.g. "/telegram". */
  path: string;
  secretToken: string;
  port: number;
  host: string;
  logger: Logger;
}

export interface WebhookServer {
  readonly port: number;
  /** False once close() was called. */
  readonly listening: boolean;
  close(): Promise<void>;
}

export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const path = opts.path === '' ? '/' : opts.path;
  const handle = webhookCallback(opts.bot, 'http', { secretToken: opts.secretToken, onTimeout: 'return', timeoutMilliseconds: 9000 });
  let closing: Promise<void> | undefined;
  const server = http.createServer((req, res) => {
    const reqPath = (req.url ?? '/').split('?', 1)[0];
    if (req.method === 'GET' && reqPath === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (reqPath !== path) {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (closing !== undefined) {
      // Shutting down: Telegram delivers the update again (to another instance behind the balancer).
      res.writeHead(503, { connection: 'close', 'retry-after': '1' }).end();
      req.resume();
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      res.writeHead(413).end();
      req.resume();
      return;
    }
    handle(req, res).catch((err: unknown) => {
      opts.logger.warn({ err }, 'telegram webhook request failed');
      if (!res.headersSent) res.writeHead(err instanceof SyntaxError ? 400 : 500);
      res.end();
    });
  });
  const listening = await listen(server, opts.port, opts.host);
  const port = listening.address.port;
  return {
    port,
    get listening() {
      return closing === undefined;
    },
    close() {
      // Requests in progress answer at once (updates are handled off the request); give them a moment.
      closing ??= listening.close(1000);
      return closing;
    },
  };
}
