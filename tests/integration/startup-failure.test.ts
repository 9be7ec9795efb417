// A start that fails half-way (Redis connected, then the store cannot open; or everything running, then the web port
// is taken) must close what it had opened, so the process exits with the error instead of hanging on open Redis
// connections, worker threads or timers. Run as a user runs it: the compiled CLI, on the real Redis.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dropRedisPrefix, runCli } from '../support/cli.js';
import { tempDir } from '../support/stores.js';

const prefix = `startfail-${randomUUID().slice(0, 8)}`;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  await dropRedisPrefix(prefix);
});

function configFile(lines: string[]): string[] {
  const dir = tempDir('ww-startfail-');
  dirs.push(dir);
  const file = path.join(dir, 'wirewatch.yml');
  fs.writeFileSync(
    file,
    [`redis: { url: "redis://127.0.0.1:6379", prefix: ${prefix}, start_private: false }`, `topics_file: ${path.resolve('config/topics.yml')}`, 'feeds: []', ...lines].join('\n') + '\n',
  );
  return ['--config', file, '--data-dir', path.join(dir, 'data')];
}

describe('a start that fails half-way', () => {
  it('store cannot open after Redis connected: the worker exits 1 with the store error (no hang)', async () => {
    const dir = tempDir('ww-notadir-');
    dirs.push(dir);
    // A SQLite file under a regular file: the store's directory cannot be created.
    const blocker = path.join(dir, 'plain-file');
    fs.writeFileSync(blocker, '');
    const args = configFile([`store: { url: "${path.join(blocker, 'wirewatch.db')}" }`, 'http: { enabled: false }']);
    const r = await runCli(['worker', '--queues', 'poll,article,maintenance', ...args], { timeoutMs: 60_000 });
    expect(r.code, r.stderr.slice(-2000)).toBe(1);
    expect(r.stderr).toMatch(/store: cannot create directory/);
    expect(r.stderr).not.toMatch(/worker running/);
  }, 90_000);

  it('web port taken after workers, scheduler and reloader started: `run` exits 1 with the listen error (no hang)', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const args = configFile([`http: { enabled: true, host: 127.0.0.1, port: ${port} }`]);
      const r = await runCli(['run', ...args], { timeoutMs: 60_000 });
      expect(r.code, r.stderr.slice(-2000)).toBe(1);
      // It did get far: the schedules were registered before the web server was refused.
      expect(r.stderr).toMatch(/schedules registered/);
      expect(r.stderr).toMatch(new RegExp(`http: cannot listen on 127\\.0\\.0\\.1:${port}`));
      expect(r.stderr).not.toMatch(/wirewatch running/);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 90_000);
});
