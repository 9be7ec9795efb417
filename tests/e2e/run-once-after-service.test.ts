// `run --once` on a Redis where `wirewatch run` left its job schedulers (delayed jobs) and, after a SIGKILL, maybe
// active jobs that will stall: it waits only for its own polls and the article jobs they enqueued, so it finishes
// in about the time of a clean run, exits 0, and `wirewatch digest --format json` lists the run's matches.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_TOPIC } from '../support/site-fixture.js';
import { CLI, runCli } from '../support/cli.js';
import { startRunOnceSite, type RunOnceSite } from '../support/run-once-site.js';
import { producerConnection } from '../../src/queue/connection.js';
import { createQueues, closeQueues } from '../../src/queue/queues.js';

const prefix = `e2e-svc-${randomUUID().slice(0, 8)}`;
let env: RunOnceSite | undefined;
let args: string[];

beforeAll(async () => {
  env = await startRunOnceSite({ prefix, tmpPrefix: 'ww-e2e-svc-', digestAt: '06:00' });
  args = env.args;
});

afterAll(async () => {
  await env?.close();
});

/** Start `wirewatch run`, wait until its schedules are registered, then kill it with `signal`. */
async function serviceThenKill(signal: NodeJS.Signals): Promise<void> {
  const p = spawn(process.execPath, [CLI, 'run', ...args], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<void>((r) => p.on('close', () => r()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`wirewatch run did not start: ${err.slice(-2000)}`)), 60_000);
    p.stderr.on('data', (d) => {
      err += d;
      if (/schedules registered/.test(err)) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  // The maintenance schedulers' first jobs run at once; their next runs wait in `delayed` only once those are done.
  // Kill after that (bounded), so that "delayed jobs left behind" holds however loaded the machine is.
  const conn = producerConnection('redis://127.0.0.1:6379');
  await new Promise((r) => conn.once('ready', r));
  const q = createQueues(conn, prefix);
  try {
    const deadline = Date.now() + 30_000;
    while ((await q.maintenance.getDelayedCount()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await closeQueues(q);
    conn.disconnect();
  }
  p.kill(signal);
  await exited;
}

describe('run --once after `wirewatch run` on the same Redis', () => {
  it('SIGKILLed service: schedules and delayed jobs left behind; run --once finishes well within 2 minutes', async () => {
    await serviceThenKill('SIGKILL');
    const conn = producerConnection('redis://127.0.0.1:6379');
    await new Promise((r) => conn.once('ready', r));
    const q = createQueues(conn, prefix);
    try {
      expect((await q.digest.getJobSchedulers()).length).toBe(1);
      expect(await q.maintenance.getDelayedCount()).toBeGreaterThan(0);
    } finally {
      await closeQueues(q);
      conn.disconnect();
    }
    const r = await runCli(['run', '--once', ...args], { timeoutMs: 150_000 });
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    expect(r.ms).toBeLessThan(120_000);
    const d = await runCli(['digest', '--format', 'json', ...args]);
    expect(d.code, d.stderr).toBe(0);
    const urls = JSON.parse(d.stdout).topics.flatMap((t: { articles: { url: string }[] }) => t.articles.map((a) => a.url.replace(/^.*\/news\//, '')));
    for (const slug of Object.values(ON_TOPIC).flat()) expect(urls).toContain(slug);
  }, 240_000);

  it('stopped service (SIGINT), then run --once twice: exits 0 each time, the second changes nothing', async () => {
    await serviceThenKill('SIGINT');
    const r = await runCli(['run', '--once', ...args], { timeoutMs: 150_000 });
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    expect(r.ms).toBeLessThan(120_000);
    const before = await runCli(['digest', '--format', 'json', ...args]);
    const again = await runCli(['run', '--once', ...args], { timeoutMs: 150_000 });
    expect(again.code, again.stderr.slice(-4000)).toBe(0);
    const after = await runCli(['digest', '--format', 'json', ...args]);
    expect(after.stdout).toBe(before.stdout);
    const today = await runCli(['digest', '--date', 'today', '--format', 'json', ...args]);
    expect(today.code, today.stderr).toBe(0);
    expect(today.stderr).toMatch(/NOT YET DELIVERED/);
    expect(JSON.parse(today.stdout)).toMatchObject({ undelivered: true, counts: { articles: 0 } });
  }, 300_000);
});
