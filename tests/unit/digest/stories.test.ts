// Stories across days: which of a day's digest stories continue a story of earlier days (digest/stories.ts), on a
// two-day fixture, and the "developing since" wording.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { continuedStories, dayLabel, developingText, isDeveloping, type KnownStory, type TodayStory } from '../../../src/digest/stories.js';

interface Fixture {
  known: KnownStory[];
  today: TodayStory[];
  expected: Record<string, string | null>;
}
const fx = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/stories/two-days.json'), 'utf8')) as Fixture;

describe('continuedStories', () => {
  it('links the continuing stories of day 2 to day 1 and leaves the new ones new', () => {
    const got = continuedStories(fx.today, fx.known);
    for (const [key, id] of Object.entries(fx.expected)) expect([key, got.get(key) ?? null]).toEqual([key, id]);
    expect(got.size).toBe(Object.values(fx.expected).filter(Boolean).length);
  });

  it('finds nothing to continue without earlier stories, and is independent of input order', () => {
    expect(continuedStories(fx.today, []).size).toBe(0);
    const reversed = continuedStories([...fx.today].reverse(), [...fx.known].reverse());
    expect(Object.fromEntries(reversed)).toEqual(Object.fromEntries(continuedStories(fx.today, fx.known)));
  });

  it('prefers the known story with more joined articles, then the most recently carried', () => {
    const loan = fx.known.find((k) => k.id === 'story-loan')!;
    const today = fx.today.filter((t) => t.key === 'loan');
    // Two known stories holding copies of the same article: the one with two copies wins over the one with one.
    const single: KnownStory = { id: 'aaa-single', lastDay: '2026-11-26', members: [loan.members[0]] };
    expect(continuedStories(today, [single, loan]).get('loan')).toBe('story-loan');
    // Equal votes: the more recently carried story.
    const older: KnownStory = { ...single, id: 'aaa-older', lastDay: '2026-11-20' };
    const newer: KnownStory = { ...single, id: 'zzz-newer', lastDay: '2026-11-25' };
    expect(continuedStories(today, [older, newer]).get('loan')).toBe('zzz-newer');
  });
});

describe('developing since', () => {
  it('says since when, how many articles and outlets; only for a story carried before this day', () => {
    const thread = { id: 's1', since: '2026-11-26', days: 3, articles: 14, outlets: 6 };
    expect(developingText(thread, '2026-11-28')).toBe('Developing since 26 Nov: 14 articles from 6 outlets');
    expect(developingText({ ...thread, since: '2025-12-30', articles: 1, outlets: 1 }, '2026-01-02')).toBe('Developing since 30 Dec 2025: 1 article from 1 outlet');
    expect(isDeveloping(thread, '2026-11-28')).toBe(true);
    expect(isDeveloping({ ...thread, since: '2026-11-28', days: 1 }, '2026-11-28')).toBe(false);
    expect(isDeveloping(undefined, '2026-11-28')).toBe(false);
    expect(dayLabel('2026-03-01')).toBe('1 Mar');
  });
});
