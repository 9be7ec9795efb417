// Per-host gate against the real Redis: concurrency ≤ N across two gate instances (two "processes"), the minimum
// gap between request starts, and lease expiry for a holder that never releases. Unique prefix, cleaned up.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostGate } from '../../src/queue/host-gate.js';

const prefix = `test-hostgate-${randomUUID()}`;
let a: Redis;
let b: Redis;

beforeAll(() => {
  a = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  b = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await a.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length) await a.del(...keys);
  await Promise.allSettled([a.quit(), b.quit()]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createHostGate (real Redis)', () => {
  it('keeps concurrency per host ≤ N across two gate instances', async () => {
    const opts = { prefix, maxConcurrent: 2, minGapMs: 0, leaseMs: 10_000 };
    const gates = [createHostGate(a, opts), createHostGate(b, opts)];
    let inFlight = 0;
    let peak = 0;
    let otherHostPeak = 0;
    let otherInFlight = 0;
    const work = async (i: number, host: string) => {
      const release = await gates[i % 2](host);
      if (host === 'news.example') {
        inFlight++;
        peak = Math.max(peak, inFlight);
      } else {
        otherInFlight++;
        otherHostPeak = Math.max(otherHostPeak, otherInFlight);
      }
      await sleep(15);
      if (host === 'news.example') inFlight--;
      else otherInFlight--;
      release();
    };
    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => work(i, 'news.example')),
      ...Array.from({ length: 4 }, (_, i) => work(i, 'other.example')),
    ]);
    expect(peak).toBe(2);
    expect(otherHostPeak).toBe(2); // hosts are independent
  });

  it('keeps the minimum gap between request starts across instances', async () => {
    const opts = { prefix, maxConcurrent: 5, minGapMs: 80, leaseMs: 10_000 };
    const gates = [createHostGate(a, opts), createHostGate(b, opts)];
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 5 }, async (_, i) => {
      const release = await gates[i % 2]('gap.example');
      starts.push(Date.now());
      release();
    }));
    starts.sort((x, y) => x - y);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(70); // ms clock skew
  });

  it('expires the lease of a holder that never releases (crashed process)', async () => {
    const gate = createHostGate(a, { prefix, maxConcurrent: 1, minGapMs: 0, leaseMs: 300 });
    await gate('crash.example'); // never released
    const t0 = Date.now();
    const release = await createHostGate(b, { prefix, maxConcurrent: 1, minGapMs: 0, leaseMs: 300 })('crash.example');
    const waited = Date.now() - t0;
    release();
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(2_000);
  });

  it('gives up with TransientError host_busy after acquireTimeoutMs', async () => {
    const gate = createHostGate(a, { prefix, maxConcurrent: 1, minGapMs: 0, leaseMs: 5_000, acquireTimeoutMs: 150 });
    const release = await gate('busy.example');
    await expect(gate('busy.example')).rejects.toMatchObject({ name: 'TransientError', code: 'host_busy' });
    release();
  });
});
