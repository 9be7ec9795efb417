// Live reload of topics, feeds and digests: on SIGHUP, or when the config, feeds or topics file changes (fs.watch
// on their directories, so editors that save by rename are seen; debounced), re-run loadConfig. A valid result is
// handed to `apply` (the service swaps matcher, feeds and digests and re-applies schedules); an invalid one is
// logged issue by issue at error level and the configuration in force stays. Other settings (Redis, store, fetch,
// workers, http) are read at start only: a change to them is reported as needing a restart.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import { loadConfig, type Config, type Overrides } from '../config/load.js';
import { ConfigError, formatIssue } from '../errors.js';

export interface ReloaderOptions {
  cfg: Config;
  log: Logger;
  /** The command line's overrides; default: derived from `cfg` and process.argv (--feeds). */
  overrides?: Overrides;
  current: () => Config;
  apply: (next: Config) => Promise<void>;
  /** Quiet period after the last file event before reloading (default 300 ms). */
  debounceMs?: number;
  /** Watch the files (default true); SIGHUP always works. */
  watch?: boolean;
  /** For tests: the loader (default loadConfig). */
  load?: (over: Overrides) => Config;
}

export interface Reloader {
  /** Reload now; resolves true when the new configuration was applied. */
  reload(reason: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Settings that only take effect at start. */
const RESTART_ONLY = ['data_dir', 'redis', 'store', 'fetch', 'poll', 'workers', 'http', 'log'] as const;

export function startReloader(o: ReloaderOptions): Reloader {
  const log = o.log.child({ stage: 'reload' });
  const over: Overrides = o.overrides ?? derivedOverrides(o.cfg);
  const load = o.load ?? ((x: Overrides) => loadConfig(x));
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;

  const reloadNow = async (reason: string): Promise<boolean> => {
    const before = o.current();
    let next: Config;
    try {
      next = load(over);
    } catch (err) {
      if (err instanceof ConfigError) {
        for (const i of err.issues) log.error({ file: i.file, line: i.line, key: i.key, reason }, `reload rejected: ${formatIssue(i)}`);
        log.error({ reason, issues: err.issues.length }, 'reload rejected: configuration is invalid; keeping the previous configuration');
      } else {
        log.error({ err, reason }, 'reload failed; keeping the previous configuration');
      }
      return false;
    }
    try {
      await o.apply(next);
    } catch (err) {
      log.error({ err, reason }, 'reload could not be applied (schedules not updated); keeping the previous configuration');
      return false;
    }
    const changed = RESTART_ONLY.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]));
    if (changed.length) log.warn({ keys: changed }, `reload: ${changed.join(', ')} changed; these take effect after a restart`);
    log.info({ reason, feeds: next.feeds.length, topics: next.topics.list.length, digests: next.digests.length }, 'configuration reloaded');
    return true;
  };
  const reload = (reason: string): Promise<boolean> => {
    const p = chain.then(() => (closed ? false : reloadNow(reason)));
    chain = p.catch(() => undefined);
    return p;
  };

  const onHup = () => void reload('SIGHUP');
  process.on('SIGHUP', onHup);

  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  if (o.watch !== false) {
    const files = [o.cfg.file, o.cfg.feedsFile, o.cfg.topicsFile, over.feedsFile].filter((f): f is string => !!f).map((f) => path.resolve(f));
    const byDir = new Map<string, Set<string>>();
    for (const f of files) {
      const set = byDir.get(path.dirname(f)) ?? new Set<string>();
      set.add(path.basename(f));
      byDir.set(path.dirname(f), set);
    }
    for (const [dir, names] of byDir) {
      try {
        const w = fs.watch(dir, { persistent: false }, (_event, name) => {
          if (name && !names.has(String(name))) return;
          clearTimeout(timer);
          timer = setTimeout(() => void reload(`file changed: ${path.join(dir, String(name ?? ''))}`), o.debounceMs ?? 300);
          timer.unref();
        });
        w.on('error', (err) => log.warn({ err, dir }, 'reload: cannot watch directory; SIGHUP still reloads'));
        watchers.push(w);
      } catch (err) {
        log.warn({ err, dir }, 'reload: cannot watch directory; SIGHUP still reloads');
      }
    }
    log.debug({ files }, 'watching configuration files');
  }

  return {
    reload,
    async close() {
      closed = true;
      process.removeListener('SIGHUP', onHup);
      clearTimeout(timer);
      for (const w of watchers) w.close();
      await chain;
    },
  };
}

/**
 * What the command line must have said for loadConfig to give `cfg`, for a caller that does not pass the command line's
 * flags as `overrides` (the commands do).
 */
function derivedOverrides(cfg: Config): Overrides {
  const argv = process.argv;
  let feedsFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--feeds' && argv[i + 1]) feedsFile = argv[i + 1];
    else if (argv[i].startsWith('--feeds=')) feedsFile = argv[i].slice('--feeds='.length);
  }
  return {
    configPath: cfg.file,
    // The flag sets both keys; the address key alone (from the file) must not gain the loopback port rule on reload.
    allowPrivateNetworks: (cfg.fetch.allow_private_networks && cfg.fetch.allow_loopback_any_port) || undefined,
    feedsFile: feedsFile ? path.resolve(feedsFile) : undefined,
  };
}
