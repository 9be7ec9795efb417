// The one way out of a process: start-up registers each resource here the moment it opens, and close() undoes them
// newest first. The same Closer serves a start-up that fails half-way (close what was opened, then rethrow) and the
// shutdown on SIGINT/SIGTERM, so no open connection or thread is left to keep the process from exiting. Like
// BullMQ's Worker.close(), every step runs even when an earlier one failed or timed out.
import type { Logger } from '../log.js';
import { withDeadline } from '../deadline.js';

export interface Closer {
  /** Register how to close a resource that has just opened. After close() has begun, the step runs at once. */
  add(name: string, close: () => unknown): void;
  /**
   * Run every registered step, newest first, each even when one before it failed; every failure is logged with the
   * step's name. Bounded by `timeoutMs` overall: each step gets what is left of it, but never less than 1 s, so a
   * hung step cannot starve the ones after it. A second call returns the first call's promise.
   */
  close(timeoutMs?: number): Promise<void>;
}

/** Shutdown waits this long by default for jobs in hand to finish (a worker's close waits for its active jobs). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

export function createCloser(log: Logger): Closer {
  const steps: { name: string; close: () => unknown }[] = [];
  let closing: Promise<void> | undefined;

  const runStep = async (name: string, close: () => unknown, ms: number): Promise<void> => {
    try {
      await withDeadline(Promise.resolve().then(close), ms, `timed out after ${ms} ms`);
    } catch (err) {
      log.warn({ step: name, err: (err as Error)?.message ?? String(err) }, 'shutdown step failed');
    }
  };

  return {
    add(name, close) {
      if (closing) void closing.then(() => runStep(name, close, DEFAULT_CLOSE_TIMEOUT_MS));
      else steps.push({ name, close });
    },
    close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
      closing ??= (async () => {
        const deadline = Date.now() + timeoutMs;
        for (const { name, close } of steps.reverse()) await runStep(name, close, Math.max(1000, deadline - Date.now()));
      })();
      return closing;
    },
  };
}

/**
 * Run `open` with a fresh Closer; when it throws, close whatever it had registered and rethrow the error, so a
 * start-up that fails half-way leaves nothing open behind it.
 */
export async function openWithCloser<T>(log: Logger, open: (closer: Closer) => Promise<T>): Promise<T> {
  const closer = createCloser(log);
  try {
    return await open(closer);
  } catch (err) {
    await closer.close();
    throw err;
  }
}
