// Per-host politeness shared by every process through Redis: at most `maxConcurrent` requests in flight per host and
// at least `minGapMs` between request starts. Each permit is a lease (a ZSET member scored by its expiry), so a
// process that crashes while holding one blocks its host for at most `leaseMs`. Acquire and release are single Lua
// scripts: atomic across processes, and timed by Redis's own clock (TIME), not by each machine's.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TransientError } from '../errors.js';

export interface HostGateOptions {
  /** Key prefix, e.g. "wirewatch" → keys "wirewatch:hostgate:{example.com}:leases|last". */
  prefix: string;
  maxConcurrent: number;
  minGapMs: number;
  /** How long a permit lives if never released (default 120 s: longer than any fetch's total deadline). */
  leaseMs?: number;
  /** Give up waiting for a permit after this long (default 10 min): TransientError "host_busy". */
  acquireTimeoutMs?: number;
}

/**
 * KEYS: leases, last. ARGV: token, maxConcurrent, minGapMs, leaseMs.
 * Returns {1, 0} when the permit was taken, {0, waitMs} otherwise (waitMs: when trying again makes sense).
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= max then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local untilExpiry = tonumber(first[2]) - now
  return {0, math.max(1, math.min(untilExpiry, 100))}
end
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if last + gap > now then
  return {0, last + gap - now}
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease + 1000)
redis.call('SET', KEYS[2], now, 'PX', gap + 1000)
return {1, 0}
`;

/** KEYS: leases. ARGV: token. */
const RELEASE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

interface ScriptCommands {
  wwHostGateAcquire(leases: string, last: string, token: string, max: number, gapMs: number, leaseMs: number): Promise<unknown>;
  wwHostGateRelease(leases: string, token: string): Promise<unknown>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Create a gate. `gate(host)` resolves when this process may send a request to `host`, with a release function to
 * call when the request is done (idempotent; a forgotten release expires with the lease). Rejects with
 * TransientError('host_busy') after `acquireTimeoutMs`, or with Redis's error.
 */
export function createHostGate(
  redis: Redis,
  opts: HostGateOptions,
): (host: string) => Promise<() => void> {
  if (!(opts.maxConcurrent >= 1)) throw new RangeError('host-gate: maxConcurrent must be >= 1');
  if (!(opts.minGapMs >= 0)) throw new RangeError('host-gate: minGapMs must be >= 0');
  const leaseMs = Math.max(1, Math.round(opts.leaseMs ?? 120_000));
  const timeoutMs = opts.acquireTimeoutMs ?? 600_000;
  // EVALSHA, not EVAL: every fetch runs both scripts, and EVAL would send the script text and make Redis hash it
  // on every call. ioredis sends the hash, and the text once per connection (again after NOSCRIPT).
  const r = redis as Redis & ScriptCommands;
  if (typeof r.wwHostGateAcquire !== 'function') {
    redis.defineCommand('wwHostGateAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('wwHostGateRelease', { numberOfKeys: 1, lua: RELEASE });
  }
  return async function acquire(host: string): Promise<() => void> {
    const h = host.trim().toLowerCase().replace(/\.$/, '');
    // {h} is a hash tag: both keys of a host land in one slot under Redis Cluster.
    const leases = `${opts.prefix}:hostgate:{${h}}:leases`;
    const last = `${opts.prefix}:hostgate:{${h}}:last`;
    const token = randomUUID();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [ok, waitMs] = (await r.wwHostGateAcquire(leases, last, token, opts.maxConcurrent, Math.round(opts.minGapMs), leaseMs)) as [number, number];
      if (ok === 1) {
        let released = false;
        return () => {
          if (released) return;
          released = true;
          r.wwHostGateRelease(leases, token).catch(() => {
            // Redis unreachable: the lease expires on its own.
          });
        };
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new TransientError('host_busy', `host-gate: no permit for ${h} within ${timeoutMs} ms`);
      await sleep(Math.min(Math.max(1, Number(waitMs) || 10), left));
    }
  };
}
