/** Assertions on the RingkasError a promise must be refused with. */
import { expect } from 'vitest';
import { RingkasError, type ErrorCode } from '../../src/core/errors.js';

/** The error `p` is refused with, of class `kind` (RingkasError by default); fails if it resolves or throws something else. */
export async function failure<E extends Error = RingkasError>(p: Promise<unknown>, kind: abstract new (...args: never[]) => E = RingkasError as unknown as abstract new (...args: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(kind);
    return err as E;
  }
  throw new Error('expected the promise to be refused');
}

/** The RingkasError `p` is refused with, which must carry `code`. */
export async function expectCode(p: Promise<unknown>, code: ErrorCode): Promise<RingkasError> {
  const err = await failure(p);
  expect({ code: err.code, message: err.message }).toMatchObject({ code });
  return err;
}
