// What every command gets: the global flags, a lazily loaded Config, a logger, a store opener and the fetch
// policy derived from the config. Commands are composition roots: they wire stages by hand from these.
import type { Logger } from '../log.js';
import { createLogger } from '../log.js';
import { loadConfig, type Config, type Overrides } from '../config/load.js';
import { envLogging } from '../config/env.js';
import { configureFeedParsing } from '../feeds/parse.js';
import { openDb, type DbHandle } from '../store/db.js';
import type { FetchPolicy } from '../fetch/client.js';
import { fetchPolicyFrom, storeOptionsFrom } from '../runtime/policies.js';

export interface GlobalFlags extends Overrides {
  logLevel?: string;
}

export interface CommandContext {
  flags: GlobalFlags;
  /** Load (once) and validate the configuration; throws ConfigError listing every problem. */
  config(): Config;
  log: Logger;
  openStore(cfg?: Config): Promise<DbHandle>;
  fetchPolicy(cfg?: Config): FetchPolicy;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export function createContext(flags: GlobalFlags, io: Partial<Pick<CommandContext, 'stdin' | 'stdout' | 'stderr'>> = {}): CommandContext {
  // Level: --log-level, else LOG_LEVEL, else the config's log.level once the config is loaded (LOG_LEVEL already
  // overrides log.level there), else info. Logs go to stderr for commands whose stdout is data.
  const env = envLogging();
  const log = createLogger({ level: flags.logLevel ?? env.level, destination: 2, pretty: process.stderr.isTTY === true && env.allowPretty });
  let cached: Config | undefined;
  const config = () => {
    if (cached) return cached;
    cached = loadConfig(flags);
    if (!flags.logLevel) log.level = cached.log.level;
    configureFeedParsing({ threads: cached.workers.parse_threads });
    return cached;
  };
  return {
    flags,
    config,
    log,
    openStore: (cfg = config()) => openDb(storeOptionsFrom(cfg)),
    fetchPolicy: (cfg = config()) => fetchPolicyFrom(cfg),
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
}
