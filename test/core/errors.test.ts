import { describe, expect, it } from 'vitest';
import { RingkasError, toRingkasError } from '../../src/core/errors.js';

describe('errors', () => {
  it('keeps typed codes and wraps foreign errors as INTERNAL', () => {
    expect(new RingkasError('PRIVATE_ADDRESS').code).toBe('PRIVATE_ADDRESS');
    const wrapped = toRingkasError(new TypeError('boom'));
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('boom');
  });
});
