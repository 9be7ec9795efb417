// Resolves on the first SIGINT or SIGTERM; a second one exits at once (the operator means it).
import type { Logger } from '../log.js';

export function waitForSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      log.info({ signal: sig }, 'shutting down: finishing jobs in hand');
      process.removeListener('SIGINT', on);
      process.removeListener('SIGTERM', on);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
