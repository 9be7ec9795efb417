// withDeadline: the promise's own outcome when it settles in time, the deadline's error when it does not.
import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../src/deadline.js';

describe('withDeadline', () => {
  it('passes through a value and an error that come in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 60_000, 'late')).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('own')), 60_000, 'late')).rejects.toThrow('own');
  });

  it('rejects with the given message when the promise never settles', async () => {
    await expect(withDeadline(new Promise(() => undefined), 5, 'store did not answer within 5 ms')).rejects.toThrow('store did not answer within 5 ms');
  });
});
