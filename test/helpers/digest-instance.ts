/**
 * One Ringkas digest instance in its own process, for the multi-process tests: the real service on
 * Redis, posting to a loopback HTTP sink instead of a chat platform. Started by `spawnInstance`
 * (which loads this TypeScript file through vite's module runner) and driven by lines on stdin:
 * "tick" runs a tick now, "stop" stops cleanly and exits. It prints "ready" after start() (which
 * ran the catch-up tick), "ticked" after each tick.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/adapters/store/index.js';
import type { Reply } from '../../src/core/reply.js';
import { createLogger } from '../../src/logger.js';
import type { Deliverer } from '../../src/services/delivery.js';
import { DeliveryError } from '../../src/services/delivery.js';
import { createDigestService } from '../../src/services/digests.js';
import { morningStories } from './digest-fakes.js';

export interface InstanceConfig {
  name: string;
  redisUrl: string;
  prefix: string;
  sinkUrl: string;
  /** Milliseconds of the heartbeat lease. */
  leaseMs?: number;
  /** Kill this process (SIGKILL) at the first platform call, before anything is posted. */
  dieOnDeliver?: boolean;
}

class SinkDeliverer implements Deliverer {
  readonly platform = 'telegram' as const;
  constructor(private readonly cfg: InstanceConfig) {}

  async deliver(channelId: string, reply: Reply): Promise<void> {
    if (this.cfg.dieOnDeliver === true) process.kill(process.pid, 'SIGKILL');
    const res = await fetch(this.cfg.sinkUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instance: this.cfg.name, channelId, title: reply.title ?? '' }),
    });
    if (!res.ok) throw new DeliveryError('transient', `sink answered ${res.status}`);
  }
}

export async function main(cfg: InstanceConfig): Promise<void> {
  const logger = createLogger({ level: 'info', destination: process.stderr });
  const store = await openStore(cfg.redisUrl, logger);
  await store.ping();
  const service = createDigestService({
    store,
    prefix: cfg.prefix,
    stories: morningStories(Date.now()),
    deliverers: [new SinkDeliverer(cfg)],
    logger,
    instanceId: cfg.name,
    distributed: true,
    ...(cfg.leaseMs !== undefined ? { leaseMs: cfg.leaseMs } : {}),
    limits: { telegram: { perChannelPerSecond: 20 } },
  });
  await service.start();
  await service.idle();
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'tick') {
      await service.tick();
      await service.idle();
      process.stdout.write('ticked\n');
    } else if (line === 'stop') {
      break;
    }
  }
  await service.stop();
  await store.close();
  process.stdout.write('stopped\n');
}

/** Starts an instance in a new node process (TypeScript loaded by vite's module runner). */
export function spawnInstance(cfg: InstanceConfig): ChildProcessWithoutNullStreams {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const helper = fileURLToPath(import.meta.url);
  const bootstrap = `
    // A Vite dev server (no HTTP, no watching) that stays open: the code under test imports modules
    // lazily (the Redis adapter), which a closed module runner could not load.
    const { createServer } = await import('vite');
    const server = await createServer({ configFile: false, root: ${JSON.stringify(root)}, logLevel: 'error', appType: 'custom', server: { middlewareMode: true, hmr: false, watch: null }, optimizeDeps: { noDiscovery: true } });
    const module = await server.ssrLoadModule(${JSON.stringify(helper)});
    await module.main(JSON.parse(process.env.RINGKAS_DIGEST_INSTANCE));
    process.exit(0);
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', bootstrap], {
    cwd: root,
    env: { ...process.env, RINGKAS_DIGEST_INSTANCE: JSON.stringify(cfg) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
