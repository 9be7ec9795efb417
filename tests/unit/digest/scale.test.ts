// G4 (SECURITY-TESTS.md): a period with 10,000 matched articles is built into a digest without stalling the event
// loop (perf_hooks.monitorEventLoopDelay), the way the digest job builds it (buildDigestSliced). The bound is on the
// longest block, never on the total time. A machine that stalls the process by itself (other processes on two
// cores, the scheduler) shows gaps no code can avoid, so each build is followed by a control window of the same
// length in which the loop only turns, and the build may exceed 100 ms by what the control shows; up to three
// builds, one must pass. A build that does not yield blocks for seconds, far beyond either, and fails.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { buildDigestSliced, type BuildInput } from '../../../src/digest/build.js';
import type { Digest } from '../../../src/digest/types.js';
import { storyCorpus } from '../../../bench/lib/story-corpus.js';

const BLOCK_MS = 100;

/** The longest event-loop gap (ms) while `work` runs, and how many 1 ms timer ticks got through. */
async function watch<T>(work: () => Promise<T>): Promise<{ value: T; blockMs: number; ticks: number; ms: number }> {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const t0 = performance.now();
  eld.enable();
  const value = await work();
  eld.disable();
  clearInterval(timer);
  return { value, blockMs: eld.max / 1e6, ticks, ms: performance.now() - t0 };
}

describe('digest build at scale (G4)', () => {
  it('builds 10,000 articles without blocking the event loop for more than 100 ms', { timeout: 240_000 }, async () => {
    const entries = storyCorpus({ articles: 10_000, seed: 4 });
    const input: BuildInput = {
      digestId: 'g4', title: 'G4', period: '2026-11-26', start: '2026-11-25T05:00:00.000Z', end: '2026-11-26T05:00:00.000Z',
      tz: 'UTC', topics: [{ id: 'world', title: 'World' }], entries, feedsInTrouble: [], maxItems: 50,
    };
    const seen: string[] = [];
    let passed = false;
    let digest: Digest | undefined;
    for (let attempt = 0; attempt < 3 && !passed; attempt++) {
      const build = await watch(() => buildDigestSliced(input));
      digest = build.value;
      // The loop really turns during the build, not just once at the end.
      expect(build.ticks).toBeGreaterThan(10);
      const control = await watch(async () => {
        const until = performance.now() + build.ms;
        while (performance.now() < until) await nextTurn();
      });
      seen.push(`build ${build.blockMs.toFixed(0)} ms, control ${control.blockMs.toFixed(0)} ms`);
      passed = build.blockMs <= BLOCK_MS + Math.max(0, control.blockMs - 1);
    }
    expect(passed, `longest event-loop block per build: ${seen.join('; ')}`).toBe(true);
    const t = digest!.topics[0];
    expect(t.stories).toHaveLength(50);
    expect(t.omitted).toBeGreaterThan(1000);
    expect(new Set(t.articles.map((a) => a.itemId)).size).toBe(t.articles.length);
  });
});
