// Shared by the digest tests: the fixture entries and a digest built from them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DigestEntry, FeedHealth } from '../../../src/model.js';
import { buildDigest } from '../../../src/digest/build.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.resolve(here, '../../fixtures/digest');

export function fixtureEntries(): DigestEntry[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'entries.json'), 'utf8')) as DigestEntry[];
}

export const TROUBLED: FeedHealth[] = [
  { feedId: 'ok', url: 'https://ok.example/feed', consecutiveFailures: 0 },
  { feedId: 'flaky', url: 'https://flaky.example/feed', consecutiveFailures: 2, lastError: 'timeout' },
  { feedId: 'dead', url: 'https://dead.example/rss', title: '<i>Dead</i> feed', consecutiveFailures: 7, lastError: 'fetch: http 410 <gone>', lastStatus: 410 },
];

export function fixtureDigest(maxItems?: number) {
  return buildDigest({
    digestId: 'morning', title: 'Morning <b>brief</b>', period: '2026-11-26', start: '2026-11-25T05:00:00.000Z',
    end: '2026-11-26T05:00:00.000Z', tz: 'Europe/Kyiv',
    topics: [{ id: 'ukraine-energy', title: 'Ukraine energy' }, { id: 'markets', title: 'Markets' }, { id: 'empty', title: 'Nothing here' }],
    entries: fixtureEntries(), feedsInTrouble: TROUBLED, maxItems,
  });
}
