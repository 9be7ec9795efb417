// Fault-test harness: a local news site, a temp config + data dir for it, the compiled CLI as child processes whose
// JSON log lines are kept, a test-side producer (feeds upserted, poll jobs enqueued, as the scheduler would) and a
// read-only look at the SQLite store. Everything on loopback, every wait bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { startNewsSite, type NewsSite, type SiteArticle, type SiteFeed } from '../../bench/lib/news-site.js';
import { loadConfig, type Config } from '../../src/config/load.js';
import { openDb } from '../../src/store/db.js';
import { upsertFeeds } from '../../src/store/feeds.js';
import { createQueues, closeQueues } from '../../src/queue/queues.js';
import { producerConnection } from '../../src/queue/connection.js';
import { JOBS, jobIds } from '../../src/queue/names.js';
import { CLI, dropRedisPrefix } from './cli.js';
import { tempDir } from './stores.js';

export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

export function simpleArticles(n: number, paragraphs = 4): SiteArticle[] {
  return Array.from({ length: n }, (_, i) => ({
    slug: `a${i}`,
    title: `Story number ${i} about the city council budget`,
    published: new Date(Date.now() - 3600_000).toISOString(),
    paragraphs: Array.from({ length: paragraphs }, (_, p) => `Paragraph ${p} of story ${i}: the council met on Tuesday to discuss the budget, the new bus lanes and the school repairs planned for next spring.`),
  }));
}

export interface Child {
  proc: ChildProcess;
  logs: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<number | null>;
  waitLog(pred: (l: Record<string, unknown>) => boolean, ms: number, what: string): Promise<Record<string, unknown>>;
}

export interface Harness {
  dir: string;
  site: NewsSite;
  prefix: string;
  redisUrl: string;
  cfg: Config;
  dbPath: string;
  args: string[];
  spawn(cmd: string[], env?: NodeJS.ProcessEnv): Child;
  /** Upsert the configured feeds into the store and enqueue one forced poll per feed (what the scheduler does). */
  pollAll(): Promise<void>;
  count(sqlText: string): number;
  /** URLs of the stored articles (SQLite store). */
  storedUrls(): string[];
  cleanup(): Promise<void>;
}

export async function harness(o: { articles: SiteArticle[]; feeds?: SiteFeed[]; latencyMs?: number; redisUrl?: string; extraYaml?: string[]; databaseUrl?: string; fetchExtra?: string }): Promise<Harness> {
  const feeds = o.feeds ?? [
    { path: '/feeds/one.xml', title: 'One', slugs: o.articles.filter((_, i) => i % 2 === 0).map((a) => a.slug) },
    { path: '/feeds/two.xml', title: 'Two', slugs: o.articles.filter((_, i) => i % 2 === 1).map((a) => a.slug) },
  ];
  const site = await startNewsSite({ articles: o.articles, feeds, latencyMs: o.latencyMs });
  const dir = tempDir('ww-fault-');
  const prefix = `fault-${randomUUID().slice(0, 8)}`;
  const redisUrl = o.redisUrl ?? 'redis://127.0.0.1:6379';
  fs.writeFileSync(path.join(dir, 'feeds.yml'), feeds.map((f) => `- ${site.url}${f.path}`).join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'wirewatch.yml'),
    [
      `redis: { url: "${redisUrl}", prefix: ${prefix}, start_private: false }`,
      `topics_file: ${path.resolve('config/topics.yml')}`,
      `fetch: { allowed_ports: [80, 443, ${site.port}], per_host_concurrency: 8, per_host_min_gap_ms: 0${o.fetchExtra ? `, ${o.fetchExtra}` : ''} }`,
      'http: { enabled: false }',
      ...(o.extraYaml ?? []),
    ].join('\n') + '\n',
  );
  const args = ['--config', path.join(dir, 'wirewatch.yml'), '--feeds', path.join(dir, 'feeds.yml'), '--data-dir', path.join(dir, 'data'), '--allow-private-networks'];
  const cfg = loadConfig({ configPath: path.join(dir, 'wirewatch.yml'), feedsFile: path.join(dir, 'feeds.yml'), dataDir: path.join(dir, 'data'), allowPrivateNetworks: true }, {});
  const dbPath = path.join(dir, 'data', 'wirewatch.db');
  const children: Child[] = [];

  const spawnChild = (cmd: string[], env: NodeJS.ProcessEnv = {}): Child => {
    const db = o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {};
    const proc = spawn(process.execPath, [CLI, ...cmd, ...args], { env: { ...process.env, CI: '1', ...db, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: Record<string, unknown>[] = [];
    let err = '';
    let buf = '';
    const onData = (d: Buffer) => {
      err = (err + d).slice(-200_000);
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          logs.push(JSON.parse(line));
        } catch {
          // not JSON
        }
      }
    };
    proc.stderr!.on('data', onData);
    proc.stdout!.on('data', onData);
    const exited = new Promise<number | null>((r) => proc.on('exit', (c) => r(c)));
    const child: Child = {
      proc,
      logs,
      stderr: () => err,
      exited,
      async waitLog(pred, ms, what) {
        let found: Record<string, unknown> | undefined;
        await until(() => !!(found = logs.find(pred)) || proc.exitCode !== null, ms, what);
        if (!found) throw new Error(`child exited (${proc.exitCode}) before ${what}\n${err.slice(-3000)}`);
        return found;
      },
    };
    children.push(child);
    return child;
  };

  return {
    dir, site, prefix, redisUrl, cfg, dbPath, args,
    spawn: spawnChild,
    async pollAll() {
      const store = await openDb({ url: o.databaseUrl ?? dbPath, dataDir: path.join(dir, 'data') });
      try {
        await upsertFeeds(store.db, cfg.feeds, new Date().toISOString());
      } finally {
        await store.db.destroy();
      }
      const conn = producerConnection(redisUrl);
      await new Promise((r) => conn.once('ready', r));
      const q = createQueues(conn, prefix);
      const at = Date.now();
      await q.poll.addBulk(cfg.feeds.map((f) => ({ name: JOBS.pollFeed, data: { feedId: f.id, force: true }, opts: { jobId: jobIds.pollOnce(f.id, at) } })));
      await closeQueues(q);
      conn.disconnect();
    },
    count(sqlText) {
      if (!fs.existsSync(dbPath)) return 0;
      const db = new Database(dbPath, { readonly: true, timeout: 5000 });
      try {
        return Number((db.prepare(sqlText).get() as { n: number }).n);
      } finally {
        db.close();
      }
    },
    storedUrls() {
      if (!fs.existsSync(dbPath)) return [];
      const db = new Database(dbPath, { readonly: true, timeout: 5000 });
      try {
        return (db.prepare('SELECT url FROM articles').all() as { url: string }[]).map((r) => r.url);
      } finally {
        db.close();
      }
    },
    async cleanup() {
      for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      await site.close();
      await dropRedisPrefix(prefix, redisUrl).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Hits per article page, by slug. */
export function articleHits(site: NewsSite): Map<string, number> {
  const out = new Map<string, number>();
  for (const [p, n] of site.hits) {
    const m = /^\/news\/(.+)$/.exec(p);
    if (m) out.set(m[1], n);
  }
  return out;
}
