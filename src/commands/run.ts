// `wirewatch run [--once]`: scheduler + every worker + the web server in one process. Ctrl-C (SIGINT) or SIGTERM
// stops taking jobs, finishes the ones in hand within a bound, closes everything and exits 0.
import { parseArgs } from 'node:util';
import { assertSafeBind } from '../http/exposure.js';
import { ALL_QUEUES } from '../queue/names.js';
import { startService } from '../runtime/service.js';
import { waitForSignal } from '../runtime/signals.js';
import { runOnce, type OnceProgress } from '../runtime/once.js';
import { createProgress } from './progress.js';
import { buildOnceDigests } from '../runtime/once-digests.js';
import type { CommandContext } from './context.js';

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { once: { type: 'boolean' }, 'drain-timeout': { type: 'string' } } });
  const cfg = ctx.config();
  const log = ctx.log;
  if (values.once) {
    const svc = await startService(cfg, log, { scheduler: false, workers: ALL_QUEUES.filter((q) => q !== 'digest'), serve: false }, { once: true, overrides: ctx.flags });
    try {
      const progress = createProgress(ctx.stdout);
      const line = (p: OnceProgress) => `feeds polled ${p.feedsPolled}/${p.feeds} · articles processed ${p.articlesDone}/${p.articles} · failures ${p.failures}`;
      const res = await runOnce(svc, log, {
        drainTimeoutMs: values['drain-timeout'] ? Number(values['drain-timeout']) * 1000 : 15 * 60_000,
        buildDigests: (now) => buildOnceDigests(svc, log, now),
        onProgress: (p) => progress.update(line(p)),
      });
      progress.done();
      return res.drained ? 0 : 3;
    } finally {
      await svc.close();
    }
  }
  // Checked before anything opens: a refused bind should cost nothing (the service would close what it opened).
  if (cfg.http.enabled) assertSafeBind(cfg.http.host, cfg.http);
  const svc = await startService(cfg, log, { scheduler: true, workers: [...ALL_QUEUES], serve: cfg.http.enabled }, { overrides: ctx.flags });
  log.info({ feeds: cfg.feeds.length, topics: cfg.topics.list.length, digests: cfg.digests.length, web: svc.web?.url }, 'wirewatch running; Ctrl-C to stop');
  await waitForSignal(log);
  await svc.close();
  log.info('stopped');
  return 0;
}
