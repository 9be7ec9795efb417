// Where a batch of jobs stands, in one Redis script call per 500 jobs instead of one getJobState call (itself a
// script) per job: `run --once` watches up to thousands of article jobs, and every poll asks about the jobs it
// just added (pipeline/requeue.ts).
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** 'live': waiting, prioritized, active or waiting for children; 'missing': no such job (never added, or removed). */
export type JobStanding = 'completed' | 'failed' | 'delayed' | 'missing' | 'live';

/** KEYS: completed, failed, delayed. ARGV: the job key prefix, then job ids. Returns one standing per id. */
const STANDINGS = `
local out = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  local s = 'live'
  if redis.call('ZSCORE', KEYS[1], id) then s = 'completed'
  elseif redis.call('ZSCORE', KEYS[2], id) then s = 'failed'
  elseif redis.call('ZSCORE', KEYS[3], id) then s = 'delayed'
  elseif redis.call('EXISTS', ARGV[1] .. id) == 0 then s = 'missing' end
  out[#out + 1] = s
end
return out
`;

const BATCH = 500;

/**
 * The standing of each id (in order of `ids`). `queue` must sit on an ioredis connection, as every queue of
 * queues.ts does.
 */
export async function jobStandings(queue: Queue, ids: readonly string[]): Promise<Map<string, JobStanding>> {
  const out = new Map<string, JobStanding>();
  const redis = queue.opts.connection as Redis;
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const got = (await redis.eval(STANDINGS, 3, queue.keys.completed, queue.keys.failed, queue.keys.delayed, queue.toKey(''), ...chunk)) as string[];
    chunk.forEach((id, k) => out.set(id, (got[k] ?? 'live') as JobStanding));
  }
  return out;
}
