/**
 * Prometheus metrics (prom-client), one Registry per process (never the global default one, so
 * that tests can build several bots in one process). Served on `GET /metrics` by
 * src/adapters/ops/server.ts when HTTP_PORT is set.
 *
 *   ringkas_commands_total{platform,command,outcome}       commands served; outcome "ok" or an error code
 *   ringkas_command_duration_seconds{platform,command}     from receiving the command to sending its answer
 *   ringkas_readings_total{outcome}                        links read: ok, cached, or an error code
 *   ringkas_feed_polls_total{outcome}                      feed reads: ok, not-modified, skipped, error
 *   ringkas_feed_last_poll_timestamp_seconds               when the last round of feed polls finished
 *   ringkas_digests_total{platform,outcome}                delivered, failed, skipped
 *   ringkas_rate_limit_waits_total{platform}               waits imposed by a platform's rate limits
 *   ringkas_rate_limit_wait_seconds_total{platform}        ... and how long they were
 *   ringkas_process_*, ringkas_nodejs_*                    prom-client's default metrics
 *
 * Labels stay bounded: commands are the registered command names (anything else is "unknown"),
 * outcomes are "ok" or one of the ErrorCode values.
 *
 * Everything that records takes the metrics object as an optional option: without it nothing is
 * counted (tests and the CLI need none).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Reply } from '../core/reply.js';

export type MetricsPlatform = 'discord' | 'telegram' | 'console';
export type DigestOutcome = 'delivered' | 'failed' | 'skipped';

export interface Metrics {
  readonly registry: Registry;
  /** A command answered (or refused: outcome RATE_LIMITED, UNKNOWN_COMMAND, ...). */
  commandServed(platform: MetricsPlatform, command: string, outcome: string, seconds: number): void;
  /** A link read: ok, cached, or an error code. */
  reading(outcome: string): void;
  /** One feed read: ok, not-modified, skipped, error. */
  feedPoll(outcome: string): void;
  /** A round of feed polls finished (at epoch ms, default now). */
  feedPollsFinished(at?: number): void;
  /** When the last round of feed polls finished (epoch ms), if one has. */
  lastFeedPollAt(): number | undefined;
  digest(platform: string, outcome: DigestOutcome, count?: number): void;
  /** A platform made us wait (a flood wait, a throttle queue, a REST bucket). */
  rateLimitWait(platform: string, seconds: number): void;
  /** The exposition text. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Prefix of prom-client's default metrics. Default "ringkas_". */
  defaultPrefix?: string;
  /** Collect prom-client's default process metrics. Default true. */
  defaultMetrics?: boolean;
}

/** "ok" for an answer, the error code for an error reply. */
export function outcomeOf(reply: Pick<Reply, 'kind' | 'error'>): string {
  return reply.kind === 'error' ? (reply.error?.code ?? 'INTERNAL') : 'ok';
}

/** The command label: a registered command's name, or "unknown" (user input never becomes a label). */
export function commandLabel(known: { has(name: string): boolean }, name: string): string {
  return known.has(name) ? name : 'unknown';
}

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: opts.defaultPrefix ?? 'ringkas_' });
  const registers = [registry];
  const commands = new Counter({
    name: 'ringkas_commands_total',
    help: 'Chat commands served, by platform, command and outcome ("ok" or an error code)',
    labelNames: ['platform', 'command', 'outcome'] as const,
    registers,
  });
  const commandSeconds = new Histogram({
    name: 'ringkas_command_duration_seconds',
    help: 'Time from receiving a command to sending its answer',
    labelNames: ['platform', 'command'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers,
  });
  const readings = new Counter({
    name: 'ringkas_readings_total',
    help: 'Links read, by outcome: ok, cached, or an error code',
    labelNames: ['outcome'] as const,
    registers,
  });
  const feedPolls = new Counter({
    name: 'ringkas_feed_polls_total',
    help: 'Feed reads, by outcome: ok, not-modified, skipped (backoff), error',
    labelNames: ['outcome'] as const,
    registers,
  });
  const lastPoll = new Gauge({
    name: 'ringkas_feed_last_poll_timestamp_seconds',
    help: 'When the last round of feed polls finished (Unix time)',
    registers,
  });
  const digests = new Counter({
    name: 'ringkas_digests_total',
    help: 'Daily digests, by platform and outcome: delivered, failed, skipped',
    labelNames: ['platform', 'outcome'] as const,
    registers,
  });
  const waits = new Counter({
    name: 'ringkas_rate_limit_waits_total',
    help: 'Waits imposed by a platform rate limit (flood waits, throttling, REST buckets)',
    labelNames: ['platform'] as const,
    registers,
  });
  const waitSeconds = new Counter({
    name: 'ringkas_rate_limit_wait_seconds_total',
    help: 'Seconds waited for platform rate limits',
    labelNames: ['platform'] as const,
    registers,
  });
  let lastPollAt: number | undefined;

  return {
    registry,
    contentType: registry.contentType,
    commandServed(platform, command, outcome, seconds) {
      commands.inc({ platform, command, outcome });
      commandSeconds.observe({ platform, command }, Math.max(0, seconds));
    },
    reading: (outcome) => readings.inc({ outcome }),
    feedPoll: (outcome) => feedPolls.inc({ outcome }),
    feedPollsFinished(at = Date.now()) {
      lastPollAt = at;
      lastPoll.set(at / 1000);
    },
    lastFeedPollAt: () => lastPollAt,
    digest(platform, outcome, count = 1) {
      if (count > 0) digests.inc({ platform, outcome }, count);
    },
    rateLimitWait(platform, seconds) {
      waits.inc({ platform });
      if (seconds > 0) waitSeconds.inc({ platform }, seconds);
    },
    render: () => registry.metrics(),
  };
}
