// A private redis-server for fault tests: its own free port on 127.0.0.1, its own temp dir, stopped by pid. Never the
// machine's shared Redis. `restart()` reuses the dir (AOF replays); `wipe()` restarts on an empty dir (data lost).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface TestRedis {
  port: number;
  url: string;
  dir: string;
  pid(): number | undefined;
  stop(): Promise<void>;
  /** Stop and start again on the same port and dir. */
  restart(): Promise<void>;
  /** Stop, empty the data dir, start again: everything in Redis is gone. */
  wipe(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitPing(url: string, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: 300 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      if ((await r.ping()) === 'PONG') return;
    } catch {
      // not yet
    } finally {
      r.disconnect();
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`test redis at ${url} did not answer within ${deadlineMs} ms`);
}

export async function startTestRedis(opts: { appendonly?: boolean; maxmemoryPolicy?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--appendonly', opts.appendonly ? 'yes' : 'no',
      '--maxmemory-policy', opts.maxmemoryPolicy ?? 'noeviction', '--logfile', path.join(dir, 'redis.log')];
    if (opts.appendonly) args.push('--appendfsync', 'always');
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitPing(url, 10_000);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      c.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      // SIGTERM: redis-server flushes the AOF and exits (what `redis-cli shutdown` does).
      c.kill('SIGTERM');
    });
  await start();
  return {
    port,
    url,
    dir,
    pid: () => child?.pid,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    wipe: async () => {
      await stop();
      for (const f of fs.readdirSync(dir)) if (f !== 'redis.log') fs.rmSync(path.join(dir, f), { recursive: true, force: true });
      await start();
    },
    cleanup: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
