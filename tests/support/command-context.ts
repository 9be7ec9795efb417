// A CommandContext for calling a command's run() in-process: stdout and stderr captured as strings, a silent
// logger, and whatever configuration and store the test hands in.
import { PassThrough, Readable } from 'node:stream';
import pino from 'pino';
import type { CommandContext } from '../../src/commands/context.js';
import type { Config } from '../../src/config/load.js';

export interface CapturedContext {
  ctx: CommandContext;
  out: () => string;
  err: () => string;
}

export function commandContext(parts: {
  /** Only the fields the command reads; cast here so tests need not build a whole Config. None: config() throws. */
  config?: Partial<Record<keyof Config, unknown>>;
  openStore?: CommandContext['openStore'];
  fetchPolicy?: CommandContext['fetchPolicy'];
  /** What the command reads on stdin (then ended); none: a stdin that never ends. */
  stdin?: string;
}): CapturedContext {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const cfg = parts.config as unknown as Config | undefined;
  const ctx: CommandContext = {
    flags: {},
    config: () => {
      if (!cfg) throw new Error('no config in this test');
      return cfg;
    },
    log: pino({ level: 'silent' }),
    openStore: parts.openStore ?? (() => Promise.reject(new Error('test: no store'))),
    fetchPolicy: parts.fetchPolicy ?? (() => { throw new Error('test: no fetch policy'); }),
    stdin: parts.stdin === undefined ? new PassThrough() : Readable.from([parts.stdin]),
    stdout,
    stderr,
  };
  return { ctx, out: () => out, err: () => err };
}
