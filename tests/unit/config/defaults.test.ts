// Every default is defined once: an empty config/wirewatch.yml must give exactly what each stage does on its own.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { EXTRACT_DEFAULTS } from '../../../src/extract/defaults.js';
import { DEFAULT_MAX_ITEMS, DEFAULT_PARSE_THREADS, POLL_DEFAULTS } from '../../../src/feeds/defaults.js';
import { DEFAULT_POLL_POLICY } from '../../../src/feeds/poll-policy.js';
import { DEFAULT_FETCH_POLICY } from '../../../src/fetch/client.js';
import { FETCH_DEFAULTS } from '../../../src/fetch/defaults.js';
import { DEFAULT_POOL_MAX } from '../../../src/store/defaults.js';
import { tempDir } from '../../support/stores.js';

function emptyConfig() {
  const dir = tempDir('ww-defaults-');
  fs.writeFileSync(path.join(dir, 'wirewatch.yml'), '');
  fs.copyFileSync(path.resolve('config/topics.yml'), path.join(dir, 'topics.yml'));
  return loadConfig({ configPath: path.join(dir, 'wirewatch.yml') }, {});
}

describe('the empty config equals the stage defaults', () => {
  const cfg = emptyConfig();

  it('fetch', () => {
    const f = cfg.fetch;
    expect({
      allowPrivateNetworks: f.allow_private_networks, allowedPorts: f.allowed_ports, maxBytes: f.max_bytes,
      connectTimeoutMs: f.connect_timeout_ms, headersTimeoutMs: f.headers_timeout_ms, totalTimeoutMs: f.total_timeout_ms,
      maxRedirects: f.max_redirects, userAgent: f.user_agent, perHostConcurrency: f.per_host_concurrency,
      perHostMinGapMs: f.per_host_min_gap_ms,
    }).toEqual(FETCH_DEFAULTS);
    // The client's own fallback policy is the same values.
    for (const k of ['allowPrivateNetworks', 'allowedPorts', 'maxBytes', 'connectTimeoutMs', 'headersTimeoutMs', 'totalTimeoutMs', 'maxRedirects', 'userAgent'] as const) {
      expect(DEFAULT_FETCH_POLICY[k]).toEqual(FETCH_DEFAULTS[k]);
    }
  });

  it('poll and feed parsing', () => {
    const p = cfg.poll;
    expect({
      minIntervalS: p.min_interval_s, maxIntervalS: p.max_interval_s, defaultIntervalS: p.default_interval_s,
      maxBackoffS: p.max_backoff_s, unconditionalAfterS: p.unconditional_after_s,
    }).toEqual(POLL_DEFAULTS);
    expect(DEFAULT_POLL_POLICY).toEqual(POLL_DEFAULTS);
    expect(p.max_items).toBe(DEFAULT_MAX_ITEMS);
    expect(cfg.workers.parse_threads).toBe(DEFAULT_PARSE_THREADS);
  });

  it('extraction', () => {
    const w = cfg.workers;
    expect({
      threads: w.extract_threads, timeoutMs: w.extract_timeout_ms, heapMb: w.extract_heap_mb, maxHtmlBytes: cfg.fetch.max_bytes,
      maxElements: w.extract_max_elements, maxDepth: w.extract_max_depth,
    }).toEqual(EXTRACT_DEFAULTS);
  });

  it('store and log', () => {
    expect(cfg.store.pool_max).toBe(DEFAULT_POOL_MAX);
    expect(cfg.log.level).toBe('info');
  });

  it('the documented values won where two places disagreed', () => {
    expect([FETCH_DEFAULTS.headersTimeoutMs, EXTRACT_DEFAULTS.timeoutMs, POLL_DEFAULTS.defaultIntervalS, DEFAULT_MAX_ITEMS]).toEqual([15_000, 15_000, 900, 200]);
  });
});

describe('environment overrides', () => {
  const file = (() => {
    const dir = tempDir('ww-env-');
    fs.writeFileSync(path.join(dir, 'wirewatch.yml'), 'log: { level: warn }\nhttp: { metrics_port: 9000 }\n');
    fs.copyFileSync(path.resolve('config/topics.yml'), path.join(dir, 'topics.yml'));
    return path.join(dir, 'wirewatch.yml');
  })();

  it('log.level is read, and LOG_LEVEL overrides it', () => {
    expect(loadConfig({ configPath: file }, {}).log.level).toBe('warn');
    expect(loadConfig({ configPath: file }, { LOG_LEVEL: 'debug' }).log.level).toBe('debug');
    expect(() => loadConfig({ configPath: file }, { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: must be one of/);
  });

  it('WIREWATCH_METRICS_PORT and WIREWATCH_PARSE_THREADS become config values', () => {
    expect(loadConfig({ configPath: file }, {}).http.metrics_port).toBe(9000);
    expect(loadConfig({ configPath: file }, { WIREWATCH_METRICS_PORT: '9464' }).http.metrics_port).toBe(9464);
    expect(loadConfig({ configPath: file }, { WIREWATCH_PARSE_THREADS: '1' }).workers.parse_threads).toBe(1);
    expect(loadConfig({ configPath: file }, { WIREWATCH_PARSE_THREADS: '8' }).workers.parse_threads).toBe(DEFAULT_PARSE_THREADS);
  });
});
