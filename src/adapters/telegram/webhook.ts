/**
 * The webhook receiver: a node:http server that hands Telegram's POSTs to grammY's
 * webhookCallback (which checks the secret token: a wrong or missing one gets 401). The bot
 * handles updates off the request, so answers are immediate and Telegram never re-sends for
 * slowness. `GET /healthz` answers 200 for load balancers.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { webhookCallback, type Bot } from 'grammy';
import type { Logger } from '../../logger.js';

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
  close(): Promise<void>;
}

export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const path = opts.path === '' ? '/' : opts.path;
  const handle = webhookCallback(opts.bot, 'http', { secretToken: opts.secretToken, onTimeout: 'return', timeoutMilliseconds: 9000 });
  const sockets = new Set<Socket>();
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
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests in progress answer at once (updates are handled off the request); give them a moment.
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 1000).unref();
      });
      return closing;
    },
  };
}
