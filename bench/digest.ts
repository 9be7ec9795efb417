// Digest build at scale: generated days of 1,000 and 10,000 matched articles in one topic (bench/lib/story-corpus.ts:
// multi-outlet stories in five languages with syndicated copies and paraphrased rewrites, plus singletons) built
// into a digest the way the digest job does it (buildDigestSliced), while perf_hooks.monitorEventLoopDelay watches
// the event loop. Cluster quality is pairwise F1 on the labelled story groups (tests/fixtures/digest/
// story-groups.json), for the all-pairs clustering shipped before (bench/lib/cluster-allpairs.ts) and for today's.
// Prints a line per size and, last,
// `digest: build_ms_1000=<a> build_ms_10000=<b> max_event_loop_block_ms=<c> cluster_f1=<d>`
// (goals: b ≤ 2000, c ≤ 100, d ≥ cluster_f1_before). RUNS=n builds each size n times (default 3) and reports the
// fastest; the event-loop maximum is over every run. After each build, a control window of the same length in which
// the loop only turns shows the stalls the machine causes by itself (control_block_ms, not part of the last line).
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { buildDigestSliced, type BuildInput } from '../src/digest/build.js';
import { cluster } from '../src/digest/cluster.js';
import { ROOT } from '../src/paths.js';
import { clusterAllPairs } from './lib/cluster-allpairs.js';
import { storyCorpus } from './lib/story-corpus.js';
import { pairwiseF1 } from './lib/story-quality.js';

interface Labelled {
  story: string;
  title: string;
  text: string;
}

const fmt = (x: number) => x.toFixed(3);

// Quality on the hand-labelled groups, before and after.
const labelled = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/digest/story-groups.json'), 'utf8')) as Labelled[];
const labels = labelled.map((x) => x.story);
const before = pairwiseF1(clusterAllPairs(labelled), labels);
const after = pairwiseF1(cluster(labelled), labels);
console.log(`labelled: ${labelled.length} articles, ${new Set(labels).size} stories (pairwise F1)`);
console.log(`all-pairs: precision=${fmt(before.precision)} recall=${fmt(before.recall)} f1=${fmt(before.f1)}`);
console.log(`indexed:   precision=${fmt(after.precision)} recall=${fmt(after.recall)} f1=${fmt(after.f1)}`);
console.log(`digest: cluster_f1_before=${fmt(before.f1)}`);

// The same comparison on the generated 1,000 (the all-pairs loop is too slow for 10,000).
const gen = storyCorpus({ articles: 1000 });
const genLabels = gen.map((e) => e.story);
const t0 = performance.now();
const genBefore = pairwiseF1(clusterAllPairs(gen), genLabels);
const allPairsMs = performance.now() - t0;
const genAfter = pairwiseF1(cluster(gen), genLabels);
console.log(`generated 1000: f1_before=${fmt(genBefore.f1)} f1=${fmt(genAfter.f1)} (all-pairs clustering alone: ${allPairsMs.toFixed(0)} ms)`);

const runs = Math.max(1, Number(process.env.RUNS ?? 3));
const eld = monitorEventLoopDelay({ resolution: 1 });
let maxBlockMs = 0;
let maxControlMs = 0;
const buildMs = new Map<number, number>();
for (const n of [1000, 10_000]) {
  const entries = storyCorpus({ articles: n, seed: n });
  const input: BuildInput = {
    digestId: 'bench', title: 'Bench', period: '2026-11-26', start: '2026-11-25T05:00:00.000Z', end: '2026-11-26T05:00:00.000Z',
    tz: 'Europe/Kyiv', topics: [{ id: 'world', title: 'World' }], entries, feedsInTrouble: [],
  };
  const times: number[] = [];
  let stories = 0;
  let cpuMs = 0;
  for (let r = 0; r < runs; r++) {
    eld.reset();
    eld.enable();
    const cpu0 = process.cpuUsage();
    // Inside the clock: exactly buildDigestSliced — deduplication, clustering, story ranking, snippets — with its
    // turns of the event loop between slices. Not inside: generating the articles, reading a store, rendering, storing.
    const start = performance.now();
    const digest = await buildDigestSliced(input);
    times.push(performance.now() - start);
    const cpu = process.cpuUsage(cpu0);
    eld.disable();
    cpuMs = (cpu.user + cpu.system) / 1000;
    maxBlockMs = Math.max(maxBlockMs, eld.max / 1e6);
    eld.reset();
    eld.enable();
    const until = performance.now() + times[times.length - 1];
    while (performance.now() < until) await nextTurn();
    eld.disable();
    maxControlMs = Math.max(maxControlMs, eld.max / 1e6);
    stories = digest.topics[0].stories.length + digest.topics[0].omitted;
  }
  const best = Math.min(...times);
  buildMs.set(n, best);
  console.log(`articles=${n} stories=${stories} build_ms=${times.map((t) => t.toFixed(0)).join(',')} cpu_ms_last=${cpuMs.toFixed(0)}`);
}
console.log(`event loop: longest block in any build ${maxBlockMs.toFixed(1)} ms; in the idle control windows ${maxControlMs.toFixed(1)} ms`);
console.log(
  `digest: build_ms_1000=${buildMs.get(1000)!.toFixed(0)} build_ms_10000=${buildMs.get(10_000)!.toFixed(0)} ` +
    `max_event_loop_block_ms=${maxBlockMs.toFixed(1)} cluster_f1=${fmt(after.f1)}`,
);
