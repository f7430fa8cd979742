/**
 * Listening and closing for the bot's own small HTTP servers (the /healthz + /metrics endpoint,
 * the Telegram webhook): listen on host:port, then close without hanging on kept-alive sockets.
 */
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Listening {
  address: AddressInfo;
  /** Stops accepting, closes idle connections, and cuts the rest after `graceMs`. Idempotent. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(server: Server, port: number, host: string | undefined): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    address: server.address() as AddressInfo,
    close(graceMs = 1000) {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A request in progress finishes within a moment; then the rest is cut.
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, graceMs).unref();
      });
      return closing;
    },
  };
}
