import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/build.js';
import { cluster, estimateJaccard, minhash, titleSimilarity } from '../../../src/digest/cluster.js';
import { makeSnippet } from '../../../src/digest/highlight.js';
import { fixtureDigest, fixtureEntries } from './helpers.js';

describe('clustering', () => {
  it('merges a wire story, its syndicated copy and a rewrite from another outlet into one story', () => {
    const d = fixtureDigest();
    const t = d.topics.find((x) => x.id === 'ukraine-energy')!;
    const story = t.stories[0];
    expect(story.itemId).toBe('a1');
    expect(story.outlets).toEqual(['Reuters', 'US News', 'The Kyiv Independent']);
    expect(story.others.map((o) => o.itemId)).toEqual(['a2', 'a3']);
    // First seen = the earliest of the three (Kyiv Independent published 05:58Z = 07:58 Kyiv).
    expect(story.firstSeen).toBe('2026-11-25T05:58:00.000Z');
    expect(story.firstSeenLocal).toBe('07:58');
    expect(t.stories.map((s) => s.itemId)).toEqual(['a1', 'b1', 'x1']);
  });

  it('MinHash sees syndicated copies as near-duplicates and different stories as different', () => {
    const [a1, a2, , b1] = fixtureEntries();
    expect(estimateJaccard(minhash(a1.text)!, minhash(a2.text)!)).toBeGreaterThan(0.7);
    expect(estimateJaccard(minhash(a1.text)!, minhash(b1.text)!)).toBeLessThan(0.2);
    expect(minhash('too short')).toBeUndefined();
    expect(titleSimilarity('ECB holds rates steady', 'ECB Holds Rates Steady')).toBe(1);
    expect(cluster([{ title: 'a b', text: '' }, { title: 'c d', text: '' }])).toEqual([[0], [1]]);
  });
});

describe('buildDigest', () => {
  it('keeps the CLI JSON contract', () => {
    const d = JSON.parse(JSON.stringify(fixtureDigest()));
    expect(d.date).toBe('2026-11-26');
    const a = d.topics[0].articles[0];
    for (const k of ['url', 'title', 'source', 'published', 'score', 'evidence']) expect(a).toHaveProperty(k);
    expect(d.topics[0].id).toBe('ukraine-energy');
    expect(d.topics[0].articles.map((x: { title: string }) => x.title)).toHaveLength(5);
  });

  it('ranks by score, caps at max_items and counts the rest', () => {
    const d = fixtureDigest(1);
    const t = d.topics[0];
    expect(t.stories).toHaveLength(1);
    expect(t.omitted).toBe(2);
    expect(t.articles.map((a) => a.itemId)).toEqual(['a1', 'a2', 'a3']);
    expect(d.topics[2]).toMatchObject({ id: 'empty', stories: [], articles: [], omitted: 0 });
  });

  it('lists feeds failing 3+ times in a row, worst first', () => {
    expect(fixtureDigest().feedsInTrouble.map((f) => f.feedId)).toEqual(['dead']);
  });

  it('drops non-http links (X5) and is deterministic', () => {
    const d = fixtureDigest();
    const x = d.topics[0].stories.find((s) => s.itemId === 'x1')!;
    expect(x.url).toBe('');
    expect(JSON.stringify(fixtureDigest())).toBe(JSON.stringify(d));
  });

  it('counts an article shown under two topics once among the articles', () => {
    const [a1] = fixtureEntries();
    const d = buildDigest({
      digestId: 'x', title: 'X', period: '2026-11-26', start: '2026-11-25T05:00:00.000Z', end: '2026-11-26T05:00:00.000Z', tz: 'UTC',
      topics: [{ id: 'nato', title: 'NATO' }, { id: 'guarantees', title: 'Guarantees' }],
      entries: [{ ...a1, topicId: 'nato' }, { ...a1, topicId: 'guarantees' }],
      feedsInTrouble: [],
    });
    expect(d.topics.map((t) => t.stories.length)).toEqual([1, 1]);
    expect(d.counts).toEqual({ stories: 2, articles: 1 });
  });

  it('a digest with no entries is empty but well-formed', () => {
    const d = buildDigest({ digestId: 'x', title: 'X', period: '2026-01-01', start: 'a', end: 'b', tz: 'UTC', topics: [{ id: 't', title: 'T' }], entries: [], feedsInTrouble: [] });
    expect(d.counts).toEqual({ stories: 0, articles: 0 });
  });
});

describe('snippets', () => {
  it('highlights matched terms on word boundaries', () => {
    const s = makeSnippet('The grid operator Ukrenergo said; ukrenergos are not matched.', [
      { rule: 'any[0]', term: 'Ukrenergo', field: 'body', start: 0, end: 9, matched: 'Ukrenergo', weight: 1 },
    ]);
    expect(s.highlights).toEqual([[18, 27]]);
    expect(s.text.slice(18, 27)).toBe('Ukrenergo');
  });

  it('centres on the first match in a long text', () => {
    const text = `${'filler words here '.repeat(50)}the Naftogaz report ${'more text '.repeat(50)}`;
    const s = makeSnippet(text, [{ rule: 'r', term: 'naftogaz', field: 'body', start: 0, end: 8, matched: 'Naftogaz', weight: 1 }]);
    expect(s.text.startsWith('… ')).toBe(true);
    expect(s.text.endsWith(' …')).toBe(true);
    expect(s.highlights).toHaveLength(1);
    expect(s.text.length).toBeLessThan(300);
  });
});
