/**
 * The corpus's cron jobs on node-cron: poll every feed every N minutes, and sweep the store of
 * articles past the retention window every hour. Both jobs run with `noOverlap` (a poll that
 * outlasts its interval is not started twice) and survive their own failures (logged). With a run
 * coordinator (several instances sharing Redis), each tick runs on one instance only.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../../logger.js';

export interface RunCoordinator {
  shouldRun(key: string, ttlMs: number): boolean | Promise<boolean>;
  onComplete?(key: string): void | Promise<void>;
}

export interface FeedJobsOptions {
  /** Minutes between polls, 1 to 1440. */
  pollMinutes: number;
  /** A cron expression used instead of pollMinutes (node-cron syntax, seconds allowed; tests). */
  pollCron?: string;
  /** Cron expression of the retention sweep. Default hourly at minute 17. */
  cleanupCron?: string;
  /** IANA zone the expressions are read in. Default Asia/Jakarta. */
  timezone?: string;
  poll: () => Promise<unknown>;
  cleanup: () => Promise<unknown>;
  /**
   * Runs on every instance (never coordinated), halfway between polls: with a run coordinator,
   * the instances that did not poll pick up what the one that did has stored.
   */
  refresh?: () => Promise<unknown>;
  logger: Logger;
  /** Lets only one of several instances run each tick. */
  runCoordinator?: RunCoordinator | undefined;
}

export interface FeedJobs {
  /** The poll expression in use ("*\/15 * * * *"). */
  readonly pollExpression: string;
  /** Next planned poll, if any. */
  nextPoll(): Date | null;
  /** Stops both jobs and waits for a running one to finish. */
  stop(): Promise<void>;
}

/** A cron expression for "every N minutes" (N that divides an hour or a day keeps an even rhythm). */
export function everyMinutes(n: number): string {
  const m = Math.round(n);
  if (!Number.isFinite(m) || m < 1 || m > 1440) throw new RangeError(`poll interval must be 1 to 1440 minutes, not ${n}`);
  if (m < 60) return m === 1 ? '* * * * *' : `*/${m} * * * *`;
  if (m % 60 === 0) {
    const h = m / 60;
    return h >= 24 ? '0 0 * * *' : h === 1 ? '0 * * * *' : `0 */${h} * * *`;
  }
  // Not a whole number of hours: the nearest whole number of hours.
  const h = Math.max(1, Math.round(m / 60));
  return h >= 24 ? '0 0 * * *' : `0 */${h} * * *`;
}

/** "Every N minutes", shifted by half an interval (the refresh runs between polls). */
export function halfwayMinutes(n: number): string {
  const m = Math.round(n);
  if (m >= 2 && m < 60) {
    const minutes: number[] = [];
    for (let x = Math.floor(m / 2); x < 60; x += m) minutes.push(x);
    return `${minutes.join(',')} * * * *`;
  }
  return m < 2 ? '30 * * * * *' : '30 * * * *';
}

export function scheduleFeedJobs(opts: FeedJobsOptions): FeedJobs {
  const log = opts.logger.child({ component: 'scheduler' });
  const timezone = opts.timezone ?? 'Asia/Jakarta';
  const pollExpression = opts.pollCron ?? everyMinutes(opts.pollMinutes);
  if (!cron.validate(pollExpression)) throw new RangeError(`not a cron expression: ${pollExpression}`);
  const cleanupExpression = opts.cleanupCron ?? '17 * * * *';
  const common = {
    timezone,
    noOverlap: true,
    ...(opts.runCoordinator !== undefined ? { distributed: true, runCoordinator: opts.runCoordinator } : {}),
  };
  const active = new Set<Promise<void>>();
  const guard = (name: string, fn: () => Promise<unknown>) => (): Promise<void> => {
    const run = (async (): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        log.error({ err, job: name }, 'scheduled job failed; it runs again next time');
      }
    })();
    active.add(run);
    void run.finally(() => active.delete(run));
    return run;
  };
  const tasks: ScheduledTask[] = [
    cron.schedule(pollExpression, guard('feeds:poll', opts.poll), { ...common, name: 'ringkas-feeds-poll' }),
    cron.schedule(cleanupExpression, guard('feeds:cleanup', opts.cleanup), { ...common, name: 'ringkas-feeds-cleanup' }),
  ];
  if (opts.refresh !== undefined) {
    const refreshExpression = opts.pollCron ?? halfwayMinutes(opts.pollMinutes);
    tasks.push(cron.schedule(refreshExpression, guard('feeds:refresh', opts.refresh), { timezone, noOverlap: true, name: 'ringkas-feeds-refresh' }));
  }
  for (const t of tasks) {
    t.on('execution:overlap', () => log.warn({ job: t.name }, 'previous run still going: this tick skipped'));
  }
  let stopped = false;
  return {
    pollExpression,
    nextPoll: () => (stopped ? null : (tasks[0]?.getNextRun() ?? null)),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of tasks) await t.stop();
      // A run in progress is let finish (bounded), so nothing is cut off half-written.
      if (active.size > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([Promise.allSettled([...active]), new Promise<void>((r) => (timer = setTimeout(r, 30_000)))]);
        clearTimeout(timer);
      }
      for (const t of tasks) await t.destroy();
    },
  };
}
