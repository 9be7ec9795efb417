// When nothing answers at the configured local Redis URL and redis-server is installed, `wirewatch run` starts a
// private one (AOF on, noeviction, data under <data_dir>/redis) and stops it on exit.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { redisAnswers } from './connection.js';

export interface PrivateRedis { url: string; stop(): Promise<void> }

const LOCAL = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLocalRedisUrl(url: string): boolean {
  try {
    return LOCAL.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Start redis-server on the URL's port with its data in dataDir/redis; resolves when it answers PING. */
export async function startPrivateRedis(url: string, dataDir: string, timeoutMs = 10_000): Promise<PrivateRedis> {
  const u = new URL(url);
  const port = u.port || '6379';
  const dir = path.resolve(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '',
      '--maxmemory-policy', 'noeviction', '--logfile', path.join(dir, 'redis.log')],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis: private redis-server exited with code ${child.exitCode} (see ${path.join(dir, 'redis.log')})`);
    if (await redisAnswers(url, 500)) {
      return {
        url,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const t = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => { clearTimeout(t); resolve(); });
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis: private redis-server did not answer on port ${port} within ${timeoutMs} ms`);
}
