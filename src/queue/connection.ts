// Redis connections per BullMQ's production guide: workers retry forever (maxRetriesPerRequest: null) and wait
// for Redis to come back; producers fail fast (no offline queue) so a caller learns at once that Redis is down.
import { Redis, type RedisOptions } from 'ioredis';

export function workerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(1000 * 2 ** Math.min(times, 5), 20_000),
    ...extra,
  });
}

export function producerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 3,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(500 * 2 ** Math.min(times, 5), 10_000),
    ...extra,
  });
}

/** Ping a Redis URL once, quickly: true when something answers PONG. */
export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: timeoutMs, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Warn-worthy Redis settings: BullMQ needs noeviction, and without AOF a restart loses queued jobs. */
export async function redisWarnings(r: Redis): Promise<string[]> {
  const out: string[] = [];
  try {
    const [, policy] = (await r.config('GET', 'maxmemory-policy')) as string[];
    if (policy && policy !== 'noeviction') out.push(`Redis maxmemory-policy is "${policy}", not "noeviction": Redis may evict queued jobs`);
    const [, aof] = (await r.config('GET', 'appendonly')) as string[];
    if (aof && aof !== 'yes') out.push('Redis AOF is off (appendonly no): a Redis restart loses queued jobs until the reconciler re-enqueues them');
  } catch {
    // CONFIG may be disabled on managed Redis; nothing to check then.
  }
  return out;
}
