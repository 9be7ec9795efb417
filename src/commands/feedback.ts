// `wirewatch feedback export [--out FILE]`: the readers' relevance labels as JSON Lines in the classifier's
// evaluation-set format ({"id","lang","title","lead"?,"text","topics":[…]}, tests/fixtures/classify/README.md),
// to stdout or, written whole then renamed into place, to FILE.
import { createWriteStream, renameSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { exportFeedback } from '../store/feedback.js';
import type { CommandContext } from './context.js';

const USAGE = 'usage: wirewatch feedback export [--out FILE]\n';

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = argv;
  let out: string | undefined;
  try {
    out = parseArgs({ args: rest, options: { out: { type: 'string' } } }).values.out;
  } catch (err) {
    ctx.stderr.write(`feedback: ${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  if (sub !== 'export') {
    ctx.stderr.write(USAGE);
    return 1;
  }
  const store = await ctx.openStore();
  const tmp = out ? `${out}.tmp-${process.pid}` : undefined;
  const sink = tmp ? createWriteStream(tmp) : ctx.stdout;
  let n = 0;
  try {
    for await (const item of exportFeedback(store.db)) {
      if (!sink.write(`${JSON.stringify(item)}\n`)) await once(sink, 'drain');
      n++;
    }
  } finally {
    await store.db.destroy();
  }
  if (tmp && out) {
    const file = sink as ReturnType<typeof createWriteStream>;
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
    renameSync(tmp, out);
  }
  ctx.stderr.write(`feedback: ${n} labelled article(s) exported${out ? ` to ${out}` : ''}\n`);
  return 0;
}
