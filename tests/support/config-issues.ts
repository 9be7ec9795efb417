// What a config load refused with: the lines of its ConfigError (file:line key: message), or a failure if it loaded.
import { ConfigError } from '../../src/errors.js';

export function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}
