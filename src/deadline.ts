// The one deadline race: settle as a promise does, or fail once its time is up. Imports nothing, so any layer
// (health checks, metric scrapes, shutdown steps) can bound a call to something that may hang — a dead Redis,
// a locked database — without each writing its own timer.

/**
 * Resolve or reject as `p` does, or reject with `new Error(message)` after `ms` milliseconds, whichever comes
 * first. The timer is cleared when `p` settles and never keeps the process alive. `p` itself is not cancelled.
 */
export function withDeadline<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}
