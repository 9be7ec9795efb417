// Scale-out on PostgreSQL (issue 15): the same burst of N articles listed at once, run two ways against one
// PostgreSQL schema and Redis prefix each, as child processes of the compiled CLI:
//   single — `wirewatch run` (scheduler + every worker + web server in one process);
//   split  — `wirewatch scheduler` + two `wirewatch worker` + `wirewatch serve` (four processes).
// Each run ends when every article is stored (or after --timeout-s); it then checks the store: no losses (every
// listed article stored exactly once as an item and an article) and no duplicates (one row per article URL).
// Throughput is stored articles over first stored → last stored (the first polls are spread over the poll interval,
// so the time before the first store is schedule, not capacity). CPU is the sum over the run's processes (/proc).
// Last line: `scale_out: single_articles_per_s=<a> split_articles_per_s=<b> ratio=<b/a> lost=<n> duplicates=<n>`.
// Usage: node dist/bench/scale-out.js [--articles 1000] [--feeds 100] [--pg postgres://postgres@127.0.0.1:5432/test]
//        [--redis URL] [--timeout-s 300] [--worker-extract-threads N]
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dropRedisPrefix } from './lib/redis-prefix.js';
import { startNewsSite } from './lib/news-site.js';
import { generateCorpus } from './lib/corpus.js';
import { ROOT } from '../src/paths.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000' },
    feeds: { type: 'string', default: '100' },
    pg: { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'timeout-s': { type: 'string', default: '300' },
    /** Extraction threads of each split `worker` (default: the configured default); the single run keeps the default. */
    'worker-extract-threads': { type: 'string' },
  },
});
const N = Number(values.articles);
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const out = (s: string) => process.stdout.write(`${s}\n`);

/** CPU seconds (user + system) of a process so far, all its threads. */
function cpuS(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

interface Run { stored: number; perS: number; lost: number; duplicates: number; cpuMsPerArticle: number }

async function run(name: string, roles: string[][], extractThreads?: string): Promise<Run> {
  const corpus = generateCorpus({ articles: N, feeds: Number(values.feeds), seed: 7 });
  const site = await startNewsSite({ articles: corpus.articles, feeds: corpus.feeds });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ww-scale-${name}-`));
  const schema = `scale_${name}_${randomUUID().slice(0, 8)}`;
  const prefix = `bench-scale-${name}-${randomUUID().slice(0, 8)}`;
  const storeUrl = `${values.pg}?schema=${schema}`;
  fs.writeFileSync(path.join(dir, 'feeds.yml'), corpus.feeds.map((f) => `- ${site.url}${f.path}`).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'wirewatch.yml'), [
    `redis: { url: "${values.redis}", prefix: ${prefix}, start_private: false }`,
    `store: { url: "${storeUrl}" }`,
    `topics_file: ${path.join(ROOT, 'config', 'topics.yml')}`,
    `fetch: { allowed_ports: [80, 443, ${site.port}], per_host_concurrency: 64, per_host_min_gap_ms: 0 }`,
    'poll: { min_interval_s: 30, default_interval_s: 60, max_interval_s: 60 }',
    'http: { enabled: true, host: 127.0.0.1, port: 0 }',
    ...(extractThreads ? [`workers: { extract_threads: ${Number(extractThreads)} }`] : []),
  ].join('\n') + '\n');
  const common = ['--config', path.join(dir, 'wirewatch.yml'), '--feeds', path.join(dir, 'feeds.yml'), '--data-dir', path.join(dir, 'data'),
    '--allow-private-networks', '--log-level', 'warn'];
  const db = new pg.Pool({ connectionString: values.pg, max: 1 });
  const children: ChildProcess[] = [];
  const cpu = new Map<number, number>();
  try {
    for (const r of roles) {
      const child = spawn(process.execPath, [CLI, ...r, ...common], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
      let err = '';
      child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
      child.on('exit', (code) => code && code !== 0 && out(`scale_out: ${name}: ${r.join(' ')} exited ${code}: ${err}`));
      children.push(child);
    }
    const count = async (): Promise<number> => {
      try {
        return Number((await db.query(`select count(*) n from ${schema}.items where state = 'stored'`)).rows[0].n);
      } catch {
        return 0; // not migrated yet
      }
    };
    const deadline = Date.now() + Number(values['timeout-s']) * 1000;
    while ((await count()) < N && Date.now() < deadline) {
      for (const c of children) if (c.pid) cpu.set(c.pid, Math.max(cpu.get(c.pid) ?? 0, cpuS(c.pid)));
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const c of children) if (c.pid) cpu.set(c.pid, Math.max(cpu.get(c.pid) ?? 0, cpuS(c.pid)));
    const q = async (s: string) => Number((await db.query(s)).rows[0].n);
    const stored = await count();
    const lost = N - Number(await q(`select count(distinct a.url) n from ${schema}.articles a join ${schema}.items i on i.id = a.item_id where i.state = 'stored'`));
    const duplicates = (await q(`select count(*) n from ${schema}.articles`)) - (await q(`select count(distinct url) n from ${schema}.articles`));
    const span = (await db.query(`select min(stored_at) a, max(stored_at) b from ${schema}.articles`)).rows[0] as { a: string; b: string };
    const seconds = (Date.parse(span.b) - Date.parse(span.a)) / 1000;
    const totalCpu = [...cpu.values()].reduce((a, b) => a + b, 0);
    const r: Run = { stored, perS: stored / Math.max(seconds, 0.001), lost, duplicates, cpuMsPerArticle: (totalCpu * 1000) / Math.max(1, stored) };
    out(`scale_out: ${name}: ${roles.map((x) => x[0]).join(' + ')}: stored ${stored}/${N} in ${seconds.toFixed(1)} s = ${r.perS.toFixed(1)} articles/s, ` +
      `lost ${lost}, duplicates ${duplicates}, cpu ${r.cpuMsPerArticle.toFixed(1)} ms/article (all processes), load average ${os.loadavg()[0].toFixed(1)}`);
    return r;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
    await db.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await db.end();
    await site.close();
    await dropRedisPrefix(prefix, values.redis!);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const single = await run('single', [['run']]);
  const split = await run('split', [['scheduler'], ['worker'], ['worker'], ['serve']], values['worker-extract-threads']);
  out(`scale_out: single_articles_per_s=${single.perS.toFixed(1)} split_articles_per_s=${split.perS.toFixed(1)} ratio=${(split.perS / single.perS).toFixed(2)}` +
    ` lost=${single.lost + split.lost} duplicates=${single.duplicates + split.duplicates}`);
  if (single.lost || split.lost || single.duplicates || split.duplicates) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`scale_out: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
