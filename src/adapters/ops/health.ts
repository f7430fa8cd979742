/**
 * What `GET /healthz` reports: the store answers, every configured platform is connected, and the
 * feeds were polled recently (within 3 × FEED_POLL_MINUTES; before the first poll, counted from the
 * start).
 *
 *   status "ok"        everything holds                                             HTTP 200
 *   status "degraded"  a platform is disconnected (another still works) or the
 *                      feed poll is overdue                                         HTTP 503
 *   status "down"      the store does not answer, no platform is connected, or
 *                      the process is shutting down                                 HTTP 503
 *
 * Platform probes come from the adapters (DiscordBot.connection(), RunningTelegram.connection()),
 * so that this file knows no platform.
 */

export interface PlatformState {
  connected: boolean;
  [detail: string]: unknown;
}

export interface HealthOptions {
  /** The store; its ping() writes and reads one small key. */
  store?: { readonly kind?: string; ping(): Promise<void> } | undefined;
  /** One probe per configured platform. */
  platforms: readonly { name: string; state(): PlatformState }[];
  /** When the last round of feed polls finished (epoch ms); undefined: none yet. */
  lastFeedPollAt?: (() => number | undefined) | undefined;
  /** FEED_POLL_MINUTES; the poll is overdue past 3 times this. Without it feeds are not checked. */
  feedPollMinutes?: number | undefined;
  /** True once shutdown began. */
  stopping?: () => boolean;
  /** When the process started (epoch ms). Default: when createHealth was called. */
  startedAt?: number;
  now?: () => number;
  /** A store ping slower than this counts as failed. Default 3000 ms. */
  pingTimeoutMs?: number;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  uptimeSeconds: number;
  checks: {
    store?: { ok: boolean; kind?: string; latencyMs: number; error?: string };
    platforms: Record<string, PlatformState & { ok: boolean }>;
    feeds?: { ok: boolean; lastPollAt: string | null; ageSeconds: number; maxAgeSeconds: number };
    shutdown?: { ok: false; stopping: true };
  };
}

export function createHealth(opts: HealthOptions): () => Promise<HealthReport> {
  const now = opts.now ?? Date.now;
  const startedAt = opts.startedAt ?? now();
  const pingTimeoutMs = opts.pingTimeoutMs ?? 3000;

  async function storeCheck(store: NonNullable<HealthOptions['store']>): Promise<NonNullable<HealthReport['checks']['store']>> {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        store.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${pingTimeoutMs} ms`)), pingTimeoutMs);
        }),
      ]);
      return { ok: true, ...(store.kind !== undefined ? { kind: store.kind } : {}), latencyMs: Math.round(performance.now() - t0) };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      return { ok: false, ...(store.kind !== undefined ? { kind: store.kind } : {}), latencyMs: Math.round(performance.now() - t0), error: error.slice(0, 300) };
    } finally {
      clearTimeout(timer);
    }
  }

  return async () => {
    const t = now();
    const checks: HealthReport['checks'] = { platforms: {} };
    if (opts.store !== undefined) checks.store = await storeCheck(opts.store);
    for (const p of opts.platforms) {
      let state: PlatformState;
      try {
        state = p.state();
      } catch (err) {
        state = { connected: false, error: err instanceof Error ? err.message : String(err) };
      }
      checks.platforms[p.name] = { ...state, ok: state.connected };
    }
    if (opts.feedPollMinutes !== undefined) {
      const last = opts.lastFeedPollAt?.();
      const maxAgeSeconds = 3 * opts.feedPollMinutes * 60;
      const ageSeconds = Math.max(0, Math.round((t - (last ?? startedAt)) / 1000));
      checks.feeds = { ok: ageSeconds <= maxAgeSeconds, lastPollAt: last !== undefined ? new Date(last).toISOString() : null, ageSeconds, maxAgeSeconds };
    }
    const stopping = opts.stopping?.() === true;
    if (stopping) checks.shutdown = { ok: false, stopping: true };

    const platforms = Object.values(checks.platforms);
    const connected = platforms.filter((p) => p.ok).length;
    let status: HealthReport['status'] = 'ok';
    if (checks.feeds?.ok === false || connected < platforms.length) status = 'degraded';
    if (stopping || checks.store?.ok === false || (platforms.length > 0 && connected === 0)) status = 'down';
    return { status, uptimeSeconds: Math.round((t - startedAt) / 1000), checks };
  };
}
