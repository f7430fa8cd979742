/**
 * The operations endpoint on HTTP_HOST:HTTP_PORT (node:http):
 *
 *   GET /healthz   JSON HealthReport (src/adapters/ops/health.ts); 200 when "ok", 503 otherwise
 *   GET /metrics   Prometheus text format (prom-client; text/plain; version=0.0.4)
 *
 * It is a port of its own, never the Telegram webhook's (TELEGRAM_WEBHOOK_PORT): the webhook faces
 * Telegram through a load balancer, this one faces the orchestrator and Prometheus.
 */
import http from 'node:http';
import type { Logger } from '../../logger.js';
import { listen } from '../http/serve.js';
import type { Metrics } from '../metrics.js';
import type { HealthReport } from './health.js';

export interface OpsServerOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  metrics?: Metrics | undefined;
  health: () => Promise<HealthReport>;
  logger: Logger;
}

export interface OpsServer {
  readonly port: number;
  readonly host: string;
  /** "http://host:port" (a wildcard host shown as 127.0.0.1). */
  readonly url: string;
  close(): Promise<void>;
}

export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const log = opts.logger.child({ component: 'ops-http' });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const answer = async (): Promise<void> => {
      if (path === '/healthz') {
        const report = await opts.health();
        const body = `${JSON.stringify(report)}\n`;
        res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(head ? undefined : body);
        return;
      }
      if (path === '/metrics' && opts.metrics !== undefined) {
        const text = await opts.metrics.render();
        res.writeHead(200, { 'content-type': opts.metrics.contentType, 'cache-control': 'no-store' });
        res.end(head ? undefined : text);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(head ? undefined : 'not found\n');
    };
    answer().catch((err: unknown) => {
      log.error({ err, path }, 'ops endpoint failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    });
  });
  const listening = await listen(server, opts.port, opts.host);
  const address = listening.address;
  const shownHost = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    port: address.port,
    host: address.address,
    url: `http://${shownHost}:${address.port}`,
    close() {
      // A scrape in progress finishes within a moment; then the rest is cut.
      return listening.close(1000);
    },
  };
}
