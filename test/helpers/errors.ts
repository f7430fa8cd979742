/** Assertions on the RingkasError a promise must be refused with. */
import { expect } from 'vitest';
import { RingkasError, type ErrorCode } from '../../src/core/errors.js';

/** The RingkasError `p` is refused with (fails the test if it resolves or throws something else). */
export async function failure(p: Promise<unknown>, what = 'expected the promise to be refused'): Promise<RingkasError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RingkasError);
    return err as RingkasError;
  }
  throw new Error(what);
}

/** The RingkasError `p` is refused with, which must carry `code`. */
export async function expectCode(p: Promise<unknown>, code: ErrorCode): Promise<RingkasError> {
  const err = await failure(p);
  expect({ code: err.code, message: err.message }).toMatchObject({ code });
  return err;
}
