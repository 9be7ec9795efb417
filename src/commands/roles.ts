// Split roles: `wirewatch scheduler` and `wirewatch worker [--queues …] [--concurrency N]`. Run any number of
// workers on any machines against one Redis and one PostgreSQL; exactly one scheduler is enough (more are harmless:
// job schedulers are upserts).
import { parseArgs } from 'node:util';
import { ALL_QUEUES, type QueueKey } from '../queue/names.js';
import { startService } from '../runtime/service.js';
import { waitForSignal } from '../runtime/signals.js';
import type { CommandContext } from './context.js';

export async function runScheduler(argv: string[], ctx: CommandContext): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true });
  const cfg = ctx.config();
  const svc = await startService(cfg, ctx.log, { scheduler: true, workers: ['maintenance'], serve: false }, { overrides: ctx.flags });
  ctx.log.info('scheduler running; Ctrl-C to stop');
  await waitForSignal(ctx.log);
  await svc.close();
  return 0;
}

export async function runWorker(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { queues: { type: 'string' }, concurrency: { type: 'string' } } });
  const queues = (values.queues ?? 'poll,article,digest,maintenance').split(',').map((q) => q.trim()).filter(Boolean);
  const bad = queues.filter((q) => !(ALL_QUEUES as string[]).includes(q));
  if (bad.length) {
    ctx.stderr.write(`wirewatch worker: unknown queue(s) ${bad.join(', ')}; known: ${ALL_QUEUES.join(', ')}\n`);
    return 1;
  }
  const concurrency = values.concurrency ? Number(values.concurrency) : undefined;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    ctx.stderr.write(`wirewatch worker: --concurrency must be a positive integer, got "${values.concurrency}"\n`);
    return 1;
  }
  const cfg = ctx.config();
  const svc = await startService(cfg, ctx.log, { scheduler: false, workers: queues as QueueKey[], serve: false }, { concurrency, overrides: ctx.flags });
  ctx.log.info({ queues }, 'worker running; Ctrl-C to stop');
  await waitForSignal(ctx.log);
  await svc.close();
  return 0;
}
