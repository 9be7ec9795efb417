// The one pino root. JSON lines with stable keys (stage, job_id, feed_id, item_id, duration_ms, err);
// pretty-printed when stdout is a terminal. Pure stages never log: composition roots pass children around.
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The root logger. `level` defaults to 'info'; `pretty` to whether stdout is a terminal. The caller decides both
 * from flags, environment and config (commands/context.ts): this module reads no environment.
 */
export function createLogger(opts: { level?: string; pretty?: boolean; destination?: number } = {}): Logger {
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'wirewatch', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err },
      transport: pretty ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } : undefined,
    },
    pretty ? undefined : pino.destination({ dest: opts.destination ?? 1, sync: false }),
  );
}
