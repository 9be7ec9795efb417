// The environment, read in one place. Config loading turns these variables into config values (so a process's
// settings can be seen and checked in one Config); the logger, which exists before the config is loaded, asks here
// for its start-up level. Nothing else under src/ reads process.env.
import type { ConfigIssue } from '../errors.js';
import { DEFAULT_PARSE_THREADS } from '../feeds/defaults.js';
import { LOG_LEVELS, type RawConfig } from './schema.js';

type Env = NodeJS.ProcessEnv;

/** WIREWATCH_CONFIG: the config file when --config is not given. */
export function envConfigPath(env: Env = process.env): string | undefined {
  return env.WIREWATCH_CONFIG || undefined;
}

/** The logger's settings before any config is read: LOG_LEVEL (if set) and whether to pretty-print (never under CI). */
export function envLogging(env: Env = process.env): { level?: string; allowPretty: boolean } {
  return { level: env.LOG_LEVEL || undefined, allowPretty: !env.CI };
}

/**
 * Apply the environment overrides to a validated raw config, in place. A value that cannot be used is an issue
 * named by the variable (like a key of the file), except where the variable was always ignored when not a number.
 */
export function applyEnv(raw: RawConfig, env: Env, issues: ConfigIssue[]): void {
  const at = (name: string, message: string) => issues.push({ file: '(environment)', key: name, message });
  if (env.REDIS_URL) raw.redis.url = env.REDIS_URL;
  if (env.DATABASE_URL) raw.store.url = env.DATABASE_URL;
  if (env.WIREWATCH_HTTP_HOST) raw.http.host = env.WIREWATCH_HTTP_HOST;
  if (env.WIREWATCH_HTTP_PORT && /^\d+$/.test(env.WIREWATCH_HTTP_PORT)) raw.http.port = Number(env.WIREWATCH_HTTP_PORT);
  // docker compose binds 0.0.0.0 inside the container and publishes the port on the host's loopback only.
  if (env.WIREWATCH_HTTP_ALLOW_UNAUTHENTICATED_PUBLIC === 'true') raw.http.allow_unauthenticated_public = true;
  // One worker process per host port: the metrics listener's port is per process, so it may come from outside.
  const metrics = env.WIREWATCH_METRICS_PORT;
  if (metrics !== undefined && metrics !== '') {
    if (/^\d+$/.test(metrics) && Number(metrics) <= 65535) raw.http.metrics_port = Number(metrics);
    else at('WIREWATCH_METRICS_PORT', 'must be a port number (0 = off)');
  }
  // It only ever lowered the thread count (the pool has at most the default); a non-number meant the default.
  const threads = Number(env.WIREWATCH_PARSE_THREADS);
  if (threads >= 1) raw.workers.parse_threads = Math.min(Math.floor(threads), DEFAULT_PARSE_THREADS);
  const level = env.LOG_LEVEL;
  if (level) {
    if ((LOG_LEVELS as readonly string[]).includes(level)) raw.log.level = level as RawConfig['log']['level'];
    else at('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
}
