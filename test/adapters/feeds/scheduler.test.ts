import { describe, expect, it } from 'vitest';
import { everyMinutes, halfwayMinutes, scheduleFeedJobs } from '../../../src/adapters/scheduler/feeds.js';
import { createLogger } from '../../../src/logger.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('feed jobs on node-cron', () => {
  it('turns minutes into cron expressions', () => {
    expect(everyMinutes(15)).toBe('*/15 * * * *');
    expect(everyMinutes(1)).toBe('* * * * *');
    expect(everyMinutes(60)).toBe('0 * * * *');
    expect(everyMinutes(180)).toBe('0 */3 * * *');
    expect(everyMinutes(1440)).toBe('0 0 * * *');
    expect(everyMinutes(90)).toBe('0 */2 * * *');
    expect(() => everyMinutes(0)).toThrow(RangeError);
    expect(halfwayMinutes(15)).toBe('7,22,37,52 * * * *');
    expect(halfwayMinutes(20)).toBe('10,30,50 * * * *');
    expect(halfwayMinutes(120)).toBe('30 * * * *');
    expect(() => everyMinutes(2000)).toThrow(RangeError);
  });

  it('runs the poll on schedule, never two at once, survives a failing run, and stops cleanly', async () => {
    let runs = 0;
    let running = 0;
    let maxRunning = 0;
    let cleanups = 0;
    const jobs = scheduleFeedJobs({
      pollMinutes: 15,
      pollCron: '* * * * * *',
      cleanupCron: '* * * * * *',
      logger,
      poll: async () => {
        runs++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(1_600);
        running--;
        if (runs === 1) throw new Error('feed server on fire');
      },
      cleanup: async () => {
        cleanups++;
      },
    });
    expect(jobs.pollExpression).toBe('* * * * * *');
    expect(jobs.nextPoll()).toBeInstanceOf(Date);
    await sleep(4_300);
    await jobs.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(maxRunning).toBe(1);
    expect(cleanups).toBeGreaterThanOrEqual(2);
    expect(running).toBe(0);
    expect(jobs.nextPoll()).toBeNull();
    const after = runs;
    await sleep(1_500);
    expect(runs).toBe(after);
  });

  it('refuses a bad expression', () => {
    expect(() => scheduleFeedJobs({ pollMinutes: 15, pollCron: 'every now and then', logger, poll: async () => 0, cleanup: async () => 0 })).toThrow(RangeError);
  });
});
