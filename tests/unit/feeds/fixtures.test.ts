// Table-driven: every fixture in tests/fixtures/feeds parses to the ParsedFeed in its .expected.json.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeedBytesSync } from '../../../src/feeds/parse-sync.js';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/feeds');
const cases = readdirSync(DIR)
  .filter((f) => /\.(xml|json)$/.test(f) && !/\.(expected|meta)\.json$/.test(f))
  .map((f) => f.replace(/\.(xml|json)$/, '') + '|' + f);

describe('feed fixtures', () => {
  it('has fixtures for every format the brief names', () => {
    const names = cases.map((c) => c.split('|')[0]);
    for (const n of ['rss091', 'rss092', 'rss10', 'rss20', 'atom03', 'atom10', 'jsonfeed10', 'jsonfeed11', 'cp1251-header',
      'cp1251-prolog', 'cp1251-none', 'koi8r-header', 'koi8r-prolog', 'koi8r-none', 'utf16le-bom', 'no-guids']) {
      expect(names).toContain(n);
    }
  });

  it.each(cases)('%s', (c) => {
    const [name, file] = c.split('|');
    const metaFile = path.join(DIR, `${name}.meta.json`);
    const meta = existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as { contentType?: string }) : {};
    const feed = parseFeedBytesSync(readFileSync(path.join(DIR, file)), { url: `http://fixtures.test/${name}`, contentType: meta.contentType });
    const expected = JSON.parse(readFileSync(path.join(DIR, `${name}.expected.json`), 'utf8'));
    expect(feed).toEqual(expected);
  });
});
