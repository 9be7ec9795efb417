// `wirewatch serve [--host H] [--port N]`: the web server alone (digest archive, topic pages, article view, Atom
// feeds, health, metrics, queue dashboard). Binds http.host (127.0.0.1 by default; another address only with auth
// or http.allow_unauthenticated_public). Ctrl-C or SIGTERM closes it cleanly.
import { parseArgs } from 'node:util';
import { startWebAlone } from '../runtime/web.js';
import { waitForSignal } from '../runtime/signals.js';
import type { CommandContext } from './context.js';

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  let values: { host?: string; port?: string };
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { host: { type: 'string' }, port: { type: 'string' } } }));
  } catch (err) {
    ctx.stderr.write(`serve: ${(err as Error).message}\nusage: wirewatch serve [--host H] [--port N]\n`);
    return 2;
  }
  const port = values.port !== undefined ? Number(values.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    ctx.stderr.write(`serve: --port must be 0–65535, got "${values.port}"\n`);
    return 2;
  }
  const web = await startWebAlone(ctx.config(), ctx.log, { host: values.host, port });
  await waitForSignal(ctx.log);
  await web.close();
  return 0;
}
