// `wirewatch config check`: load and validate everything (service file, feeds file, topics), print "ok" or every
// problem with file, line and key; exit 0 or 2. Touches nothing stored.
import { ConfigError, formatIssue } from '../errors.js';
import type { CommandContext } from './context.js';

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const sub = argv[0];
  if (sub !== 'check') {
    ctx.stderr.write('usage: wirewatch config check [--config PATH]\n');
    return 1;
  }
  try {
    const cfg = ctx.config();
    ctx.stdout.write(`ok (${cfg.file}: ${cfg.feeds.length} feeds, ${cfg.topics.list.length} topics, ${cfg.digests.length} digests)\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const i of err.issues) ctx.stdout.write(`${formatIssue(i)}\n`);
    ctx.stdout.write(`${err.issues.length} error${err.issues.length === 1 ? '' : 's'}\n`);
    return 2;
  }
}
