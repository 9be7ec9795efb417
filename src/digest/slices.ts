// Runs CPU-heavy digest work written as a generator (each `yield` is a point where it may pause) either to the end in
// one go, or in time-boxed slices that give the event loop back in between, so job locks, HTTP and timers keep up.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** Work done between two returns to the event loop, at most (plus the cost of one step between yields). */
export const DEFAULT_SLICE_MS = 10;

/** A computation that yields (nothing) at its pause points and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Run to the end without pausing (tests, small inputs). */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Run in slices of about `sliceMs` of work, awaiting a `setImmediate` turn between slices (I/O callbacks and timers
 * run there). The result is the same as runToEnd's; only the scheduling differs.
 */
export async function runSliced<T>(steps: Steps<T>, sliceMs: number = DEFAULT_SLICE_MS): Promise<T> {
  let until = performance.now() + sliceMs;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() >= until) {
      await nextTurn();
      until = performance.now() + sliceMs;
    }
  }
}
