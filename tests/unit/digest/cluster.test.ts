// Story clustering: quality on the labelled story groups no worse than the all-pairs clustering it replaced, the
// same partition as all-pairs on generated stories, the exact headline join, and sliced = in one go.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cluster, clusterSliced, firstWordHashes, fnv1a, minhash, words } from '../../../src/digest/cluster.js';
import { runToEnd } from '../../../src/digest/slices.js';
import { similarSetPairs } from '../../../src/digest/title-join.js';
import { clusterAllPairs } from '../../../bench/lib/cluster-allpairs.js';
import { storyCorpus } from '../../../bench/lib/story-corpus.js';
import { pairwiseF1 } from '../../../bench/lib/story-quality.js';
import { FIXTURES } from './helpers.js';

interface Labelled {
  id: string;
  story: string;
  title: string;
  text: string;
}
const labelled = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'story-groups.json'), 'utf8')) as Labelled[];

describe('story clustering', () => {
  it('is at least as good as all-pairs on the labelled story groups (pairwise F1)', () => {
    const labels = labelled.map((x) => x.story);
    const before = pairwiseF1(clusterAllPairs(labelled), labels);
    const after = pairwiseF1(cluster(labelled), labels);
    expect(after.f1).toBeGreaterThanOrEqual(before.f1);
    expect(after.precision).toBeGreaterThanOrEqual(before.precision);
    // The wire story and its syndicated copies are one story; the ECB and Fed decisions are not.
    const groupOf = (id: string) => cluster(labelled).find((g) => g.includes(labelled.findIndex((x) => x.id === id)))!;
    expect(groupOf('g1').map((i) => labelled[i].id)).toEqual(expect.arrayContaining(['g1', 'g2', 'g3']));
    const ecb = groupOf('g12').map((i) => labelled[i].story);
    expect(new Set(ecb)).toEqual(new Set(['ecb-rates']));
  });

  it('finds the same stories as all-pairs on generated multi-outlet news', () => {
    const items = storyCorpus({ articles: 300, seed: 7 });
    expect(cluster(items)).toEqual(clusterAllPairs(items));
  });

  it('gives the same partition in slices as in one go', async () => {
    const items = storyCorpus({ articles: 500, seed: 3 });
    expect(await clusterSliced(items, {}, 1)).toEqual(cluster(items));
  });

  it('merges identical and near-identical bodies whatever their headlines', () => {
    const body = labelled[0].text;
    const groups = cluster([
      { title: 'one', text: body },
      { title: 'two', text: `${body} (Reporting by staff)` },
      { title: 'three', text: body },
      { title: 'four', text: labelled[7].text },
    ]);
    expect(groups).toEqual([[0, 1, 2], [3]]);
    expect(minhash(body)).toEqual(minhash(body));
  });
});

describe('similarSetPairs', () => {
  it('finds exactly the pairs an all-pairs Jaccard loop finds', () => {
    let seed = 12345;
    const r = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const t of [0.3, 0.5, 0.6, 0.8, 1]) {
      const sets = Array.from({ length: 300 }, () =>
        r() < 0.05 ? undefined : [...new Set(Array.from({ length: 1 + Math.floor(r() * 8) }, () => `w${Math.floor(r() * 25)}`))],
      );
      const got: string[] = [];
      runToEnd(similarSetPairs(sets, t, (i, j) => got.push(`${j}-${i}`)));
      const want: string[] = [];
      for (let i = 0; i < sets.length; i++) {
        for (let j = 0; j < i; j++) {
          const x = sets[i];
          const y = sets[j];
          if (!x || !y) continue;
          const inter = x.filter((w) => y.includes(w)).length;
          if (inter / (x.length + y.length - inter) >= t) want.push(`${j}-${i}`);
        }
      }
      expect(got.sort()).toEqual(want.sort());
      expect(want.length).toBeGreaterThan(0);
    }
  });
});

describe('words', () => {
  it('reads the same runs of letters and digits as the /[\\p{L}\\p{N}]+/gu pattern, astral and combining marks included', () => {
    const pick = (a: number, b: number, r: number) => a + Math.floor(r * (b - a));
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 3000; n++) {
      let s = '';
      for (let j = 0; j < 30; j++) {
        const r = rnd();
        const cp = r < 0.3 ? pick(32, 127, rnd()) : r < 0.5 ? pick(0x400, 0x500, rnd()) : r < 0.6 ? pick(0x300, 0x370, rnd()) : r < 0.7 ? pick(0x1f300, 0x1f600, rnd()) : r < 0.8 ? pick(0x20000, 0x20100, rnd()) : pick(0x80, 0x3000, rnd());
        s += String.fromCodePoint(cp);
      }
      expect(words(s)).toEqual(s.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
    }
  });
});

describe('firstWordHashes', () => {
  it('hashes exactly the first 400 words that words() reads, for short texts and for texts longer than the head it slices', () => {
    const base = 'Ukraine’s allies — die Sicherheitsgarantien, les garanties; гарантії безпеки 2026 ';
    for (const text of [base, base.repeat(3), base.repeat(120), `${'x'.repeat(5000)} ${base.repeat(40)}`, 'a', '']) {
      const expected = words(text).slice(0, 400).map((w) => fnv1a(w) | 0);
      expect([...firstWordHashes(text, 400)]).toEqual(expected);
    }
  });
});
