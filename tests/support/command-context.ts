// A CommandContext for calling a command's run() in-process: stdout and stderr captured as strings, a silent
// logger, and whatever configuration and store the test hands in.
import { PassThrough } from 'node:stream';
import pino from 'pino';
import type { CommandContext } from '../../src/commands/context.js';
import type { Config } from '../../src/config/load.js';

export interface CapturedContext {
  ctx: CommandContext;
  out: () => string;
  err: () => string;
}

export function commandContext(parts: {
  /** Only the fields the command reads; cast here so tests need not build a whole Config. */
  config: Partial<Record<keyof Config, unknown>>;
  openStore?: CommandContext['openStore'];
  fetchPolicy?: CommandContext['fetchPolicy'];
}): CapturedContext {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const cfg = parts.config as unknown as Config;
  const ctx: CommandContext = {
    flags: {},
    config: () => cfg,
    log: pino({ level: 'silent' }),
    openStore: parts.openStore ?? (() => Promise.reject(new Error('test: no store'))),
    fetchPolicy: parts.fetchPolicy ?? (() => { throw new Error('test: no fetch policy'); }),
    stdin: new PassThrough(),
    stdout,
    stderr,
  };
  return { ctx, out: () => out, err: () => err };
}
