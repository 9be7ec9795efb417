// Live reload with the real loader on temp files: a changed feeds or topics file is applied after validation; an
// invalid one keeps the configuration in force and logs every issue (file and key) at error level; SIGHUP reloads.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/load.js';
import { startReloader, type Reloader } from '../../src/runtime/reload.js';
import { tempDir } from '../support/stores.js';

let dir: string;
let lines: { level: number; msg: string; [k: string]: unknown }[];
let reloader: Reloader | undefined;

function capture() {
  lines = [];
  return pino({ level: 'debug' }, new Writable({ write(chunk, _e, cb) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); cb(); } }));
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

const feedsYml = (ids: string[]) => `feeds:\n${ids.map((id) => `  - { id: ${id}, url: "https://${id}.example/feed" }`).join('\n')}\n`;

beforeEach(() => {
  dir = tempDir('ww-reload-');
  fs.copyFileSync(path.resolve('config/topics.yml'), path.join(dir, 'topics.yml'));
  fs.writeFileSync(path.join(dir, 'feeds.yml'), feedsYml(['a']));
  fs.writeFileSync(path.join(dir, 'wirewatch.yml'), 'feeds_file: feeds.yml\ntopics_file: topics.yml\nhttp: { enabled: false }\n');
});

afterEach(async () => {
  await reloader?.close();
  reloader = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(): { applied: Config[]; current: () => Config } {
  const cfg = loadConfig({ configPath: path.join(dir, 'wirewatch.yml') }, {});
  let cur = cfg;
  const applied: Config[] = [];
  reloader = startReloader({
    cfg, log: capture(), current: () => cur, debounceMs: 100, overrides: { configPath: cfg.file },
    load: (o) => loadConfig(o, {}),
    apply: async (next) => { applied.push(next); cur = next; },
  });
  return { applied, current: () => cur };
}

describe('reload', () => {
  it('applies a changed feeds file once, after the debounce', async () => {
    const s = start();
    fs.writeFileSync(path.join(dir, 'feeds.yml'), feedsYml(['a', 'b']));
    await until(() => s.applied.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.applied).toHaveLength(1);
    expect(s.current().feeds.map((f) => f.id)).toEqual(['a', 'b']);
    expect(lines.some((l) => l.msg === 'configuration reloaded')).toBe(true);
  });

  it('keeps the old configuration and logs each issue when the topics file is invalid', async () => {
    const s = start();
    const before = s.current();
    fs.writeFileSync(path.join(dir, 'topics.yml'), 'topics:\n  - { id: "Bad Id!", threshold: -1 }\n');
    await until(() => lines.some((l) => /keeping the previous configuration/.test(l.msg)));
    expect(s.applied).toHaveLength(0);
    expect(s.current()).toBe(before);
    const issues = lines.filter((l) => l.level === 50 && /^reload rejected: .*topics\.yml/.test(l.msg));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ file: expect.stringMatching(/topics\.yml$/), key: expect.any(String) });
    // A later valid edit is applied.
    fs.copyFileSync(path.resolve('config/topics.yml'), path.join(dir, 'topics.yml'));
    await until(() => s.applied.length === 1);
  });

  it('reloads on SIGHUP', async () => {
    const s = start();
    fs.writeFileSync(path.join(dir, 'feeds.yml'), feedsYml(['a', 'c']));
    process.kill(process.pid, 'SIGHUP');
    await until(() => s.applied.some((c) => c.feeds.some((f) => f.id === 'c')));
    expect(lines.some((l) => l.reason === 'SIGHUP' || /file changed/.test(String(l.reason)))).toBe(true);
  });

  it('reports settings that need a restart', async () => {
    const s = start();
    fs.writeFileSync(path.join(dir, 'wirewatch.yml'), 'feeds_file: feeds.yml\ntopics_file: topics.yml\nhttp: { enabled: false }\nworkers: { article_concurrency: 9 }\n');
    await until(() => s.applied.length > 0);
    expect(lines.find((l) => /take effect after a restart/.test(l.msg))).toMatchObject({ keys: ['workers'] });
  });
});

describe('reload in a running process', () => {
  it('a `wirewatch scheduler` picks up a new feed from its --feeds file and survives SIGHUP', async () => {
    const { harness, simpleArticles } = await import('../support/pipeline.js');
    const h = await harness({ articles: simpleArticles(2) });
    try {
      const s = h.spawn(['scheduler']);
      await s.waitLog((l) => l.msg === 'scheduler running; Ctrl-C to stop', 20_000, 'scheduler ready');
      const feedsFile = path.join(h.dir, 'feeds.yml');
      fs.appendFileSync(feedsFile, `- ${h.site.url}/feeds/three.xml\n`);
      await s.waitLog((l) => l.msg === 'configuration reloaded' && l.feeds === 3, 10_000, 'reload after the file change');
      s.proc.kill('SIGHUP');
      await s.waitLog((l) => l.msg === 'configuration reloaded' && l.reason === 'SIGHUP', 10_000, 'reload on SIGHUP');
      // The new feed is scheduled in Redis and recorded in the store.
      expect(h.count('SELECT count(*) n FROM feeds')).toBe(3);
      s.proc.kill('SIGTERM');
      expect(await s.exited).toBe(0);
    } finally {
      await h.cleanup();
    }
  }, 60_000);
});
