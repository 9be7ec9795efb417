// Configuration: defaults, overrides, and errors that name file, line and key — all of them at once.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { feedIdFor } from '../../../src/feeds/feed-id.js';
import { tempDir } from '../../support/stores.js';
import { issuesOf } from '../../support/config-issues.js';

const REPO_TOPICS = path.resolve('config/topics.yml');

function writeConfig(files: Record<string, string>): string {
  const dir = tempDir('ww-cfg-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, 'wirewatch.yml');
}

describe('loadConfig', () => {
  it('loads the shipped configuration', () => {
    const cfg = loadConfig({ configPath: 'config/wirewatch.yml' }, {});
    expect(cfg.feeds.length).toBeGreaterThanOrEqual(25);
    expect(new Set(cfg.feeds.map((f) => f.lang))).toEqual(new Set(['en', 'uk', 'ru', 'de', 'fr']));
    expect(cfg.topics.list.map((t) => t.id)).toEqual(expect.arrayContaining(['security-guarantees', 'frozen-assets', 'nato']));
    expect(cfg.fetch.allow_private_networks).toBe(false);
    expect(cfg.digests[0].id).toBe('morning');
    expect(Object.isFrozen(cfg.fetch)).toBe(true);
  });

  it('applies environment and command-line overrides', () => {
    const file = writeConfig({ 'wirewatch.yml': `topics_file: ${REPO_TOPICS}\nfeeds: [{ url: "https://a.example/rss" }]\n`, 'list.yml': '- https://b.example/feed\n- https://c.example/feed\n' });
    const cfg = loadConfig(
      { configPath: file, feedsFile: path.join(path.dirname(file), 'list.yml'), dataDir: '/tmp/ww-x', allowPrivateNetworks: true },
      { REDIS_URL: 'redis://127.0.0.1:6390', DATABASE_URL: 'postgres://u@h/db' },
    );
    expect(cfg.feeds.map((f) => f.url)).toEqual(['https://b.example/feed', 'https://c.example/feed']);
    expect(cfg.feeds[0].id).toBe('b.example-feed');
    expect(cfg.redis.url).toBe('redis://127.0.0.1:6390');
    expect(cfg.store.url).toBe('postgres://u@h/db');
    expect(cfg.dataDir).toBe('/tmp/ww-x');
    expect(cfg.outputDir).toBe('/tmp/ww-x/digests');
    expect(cfg.fetch.allow_private_networks).toBe(true);
    expect(cfg.fetch.allow_loopback_any_port).toBe(true);
  });

  it('fetch.allow_private_networks in the file lifts the address check only, not the port list (issue 13)', () => {
    const file = writeConfig({ 'wirewatch.yml': `topics_file: ${REPO_TOPICS}\nfetch: { allow_private_networks: true }\n` });
    const cfg = loadConfig({ configPath: file }, {});
    expect(cfg.fetch.allow_private_networks).toBe(true);
    expect(cfg.fetch.allow_loopback_any_port).toBe(false);
    expect(cfg.fetch.allowed_ports).toEqual([80, 443]);
  });

  it('reads an OPML file given with --feeds', () => {
    const file = writeConfig({
      'wirewatch.yml': `topics_file: ${REPO_TOPICS}\n`,
      'f.opml': '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body><outline text="A" type="rss" xmlUrl="https://a.example/rss"/></body></opml>',
    });
    const cfg = loadConfig({ configPath: file, feedsFile: path.join(path.dirname(file), 'f.opml') }, {});
    expect(cfg.feeds.map((f) => f.url)).toEqual(['https://a.example/rss']);
  });

  it('reports every error with file, line and key', () => {
    const file = writeConfig({
      'wirewatch.yml': [
        `topics_file: ${REPO_TOPICS}`,
        'fetch:',
        '  max_bytes: "lots"',
        '  alow_private_networks: true',
        'poll:',
        '  min_interval_s: 1',
        'digests:',
        '  - id: d1',
        '    title: D',
        '    schedule: { at: "25:00", tz: Mars/Olympus }',
        '',
      ].join('\n'),
    });
    const lines = issuesOf(() => loadConfig({ configPath: file }, {}));
    const rel = path.relative(process.cwd(), file);
    const f = (s: string) => (s.startsWith(rel) || s.startsWith(file) ? s.slice(s.indexOf(':') + 1) : s);
    expect(lines.map(f)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^3 fetch\.max_bytes: /),
      expect.stringMatching(/^4 fetch\.alow_private_networks: unknown key/),
      expect.stringMatching(/^6 poll\.min_interval_s: /),
      expect.stringMatching(/^10 digests\[0\]\.schedule\.at: must be "HH:MM"/),
      expect.stringMatching(/^10 digests\[0\]\.schedule\.tz: is not an IANA time zone/),
    ]));
  });

  it('reports YAML syntax errors and bad feeds files with their lines', () => {
    const bad = writeConfig({ 'wirewatch.yml': 'fetch:\n  max_bytes: [1,\n' });
    expect(issuesOf(() => loadConfig({ configPath: bad }, {}))[0]).toMatch(/wirewatch\.yml:\d+ \(yaml\): /);
    const file = writeConfig({ 'wirewatch.yml': `topics_file: ${REPO_TOPICS}\nfeeds_file: feeds.yml\n`, 'feeds.yml': 'feeds:\n  - url: https://ok.example/rss\n  - url: not a url\n  - url: https://ok.example/rss\n' });
    const lines = issuesOf(() => loadConfig({ configPath: file }, {}));
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/feeds\.yml:3 feeds\[1\]\.url: /), expect.stringMatching(/duplicate feed id "ok.example-rss"/)]));
  });

  it('rejects a digest naming an unknown topic, and a missing topics file', () => {
    const file = writeConfig({ 'wirewatch.yml': `topics_file: ${REPO_TOPICS}\ndigests:\n  - id: d\n    title: D\n    topics: [nato, bananas]\n    schedule: { at: "07:00" }\n` });
    expect(issuesOf(() => loadConfig({ configPath: file }, {}))).toEqual([expect.stringMatching(/:5 digests\[0\]\.topics\[1\]: unknown topic "bananas"/)]);
    const missing = writeConfig({ 'wirewatch.yml': 'topics_file: nope.yml\n' });
    expect(issuesOf(() => loadConfig({ configPath: missing }, {}))[0]).toMatch(/nope\.yml \(file\): cannot read: ENOENT/);
  });
});

describe('feedIdFor', () => {
  it('derives readable, stable ids', () => {
    expect(feedIdFor('https://www.Kyivindependent.com/news/rss/')).toBe('kyivindependent.com-news-rss');
    expect(feedIdFor('http://127.0.0.1:8080/feeds/a.xml')).toBe('127.0.0.1-8080-feeds-a-xml');
    expect(feedIdFor(`https://ex.org/${'x'.repeat(100)}`)).toHaveLength(64);
  });
});
