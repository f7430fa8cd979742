import { describe, expect, it } from 'vitest';
import { RateLimiter, takeAll } from '../../src/services/rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then asks to wait until a token is back', () => {
    let t = 0;
    const rl = new RateLimiter({ capacity: 3, refillPerSecond: 0.5, now: () => t });
    expect([rl.take('u'), rl.take('u'), rl.take('u')].every((d) => d.allowed)).toBe(true);
    expect(rl.take('u')).toEqual({ allowed: false, retryAfterMs: 2000 });
    expect(rl.take('other').allowed).toBe(true);
    t = 2000;
    expect(rl.take('u').allowed).toBe(true);
    expect(rl.take('u').allowed).toBe(false);
  });

  it('forgets the least recently used keys beyond its bound', () => {
    let t = 0;
    const rl = new RateLimiter({ capacity: 1, refillPerSecond: 0.001, maxKeys: 2, now: () => t });
    rl.take('a');
    rl.take('b');
    rl.take('c'); // forgets "a"
    expect(rl.take('a').allowed).toBe(true);
    t = 1;
    expect(rl.take('c').allowed).toBe(false);
  });

  it('takeAll waits for the strictest limit', () => {
    const user = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: () => 0 });
    const guild = new RateLimiter({ capacity: 10, refillPerSecond: 1, now: () => 0 });
    expect(takeAll([[user, 'u'], [guild, 'g']]).allowed).toBe(true);
    expect(takeAll([[user, 'u'], [guild, 'g']])).toEqual({ allowed: false, retryAfterMs: 1000 });
  });
});
