// Run the compiled `wirewatch` CLI as a child process (as a user would), with a deadline.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve('dist/src/cli.js');

export interface CliResult { code: number | null; stdout: string; stderr: string; ms: number }

export function runCli(args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: '1', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`wirewatch ${args.join(' ')} timed out\n${stderr.slice(-3000)}`)); }, opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(t); resolve({ code, stdout, stderr, ms: Date.now() - started }); });
    child.stdin.end(opts.input ?? '');
  });
}

/** Delete every Redis key under a BullMQ prefix (tests use one prefix each). */
export { dropRedisPrefix } from '../../bench/lib/redis-prefix.js';
