// The stages' settings read off the loaded Config: each stage takes a plain options object and never sees the
// Config itself, so the mapping from config keys to stage options is written here, once, for the service and the
// commands alike.
import type { Config } from '../config/load.js';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from '../fetch/client.js';
import type { ExtractorOptions } from '../extract/pool.js';
import type { OpenOptions } from '../store/db.js';

export function fetchPolicyFrom(cfg: Config): FetchPolicy {
  const f = cfg.fetch;
  return {
    ...DEFAULT_FETCH_POLICY,
    allowPrivateNetworks: f.allow_private_networks,
    allowHosts: [...f.allow_hosts],
    allowedPorts: [...f.allowed_ports],
    allowLoopbackAnyPort: f.allow_loopback_any_port,
    maxBytes: f.max_bytes,
    connectTimeoutMs: f.connect_timeout_ms,
    headersTimeoutMs: f.headers_timeout_ms,
    totalTimeoutMs: f.total_timeout_ms,
    maxRedirects: f.max_redirects,
    userAgent: f.user_agent,
  };
}

export function pollPolicyFrom(cfg: Config) {
  return {
    minIntervalS: cfg.poll.min_interval_s,
    maxIntervalS: cfg.poll.max_interval_s,
    defaultIntervalS: cfg.poll.default_interval_s,
    maxBackoffS: cfg.poll.max_backoff_s,
    unconditionalAfterS: cfg.poll.unconditional_after_s,
  };
}

export function extractorOptionsFrom(cfg: Config): ExtractorOptions {
  const w = cfg.workers;
  return {
    threads: w.extract_threads, timeoutMs: w.extract_timeout_ms, heapMb: w.extract_heap_mb, maxHtmlBytes: cfg.fetch.max_bytes,
    maxElements: w.extract_max_elements, maxDepth: w.extract_max_depth,
  };
}

/** Where the store lives: store.url (PostgreSQL or a SQLite file), else the SQLite file in the data directory. */
export function storeOptionsFrom(cfg: Config): OpenOptions {
  return { url: cfg.store.url || undefined, dataDir: cfg.dataDir, poolMax: cfg.store.pool_max };
}
