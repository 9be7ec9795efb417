// Every default of the guarded HTTP client, once: createFetcher falls back to these, and config/schema.ts uses them
// as the defaults of the `fetch:` keys, so a fetcher built without a config behaves like the documented config.
//
// headersTimeoutMs is 15 s: config/wirewatch.yml and the README tell users 15 000, and every service process built
// its fetcher from the config; only `wirewatch extract` without a config and benches used the client's former 10 s.

const MiB = 1024 * 1024;

export const FETCH_DEFAULTS = Object.freeze({
  allowPrivateNetworks: false,
  allowedPorts: Object.freeze([80, 443]) as readonly number[],
  /** Cap on decoded bytes per response. */
  maxBytes: 5 * MiB,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  totalTimeoutMs: 30_000,
  maxRedirects: 5,
  userAgent: 'wirewatch/0.1 (+https://github.com/wirewatch/wirewatch)',
  /** Requests in flight per host across every process (the host gate in queue/ enforces it). */
  perHostConcurrency: 2,
  /** Least time between two request starts to one host (the host gate). */
  perHostMinGapMs: 1000,
});
