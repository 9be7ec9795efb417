// A private PostgreSQL 15 cluster for fault tests: initdb in a temp dir (as the `postgres` user, since initdb refuses
// root), trust auth, 127.0.0.1 on a free port, its own socket dir. Never the machine's shared server. Restarted and
// stopped with pg_ctl on its own data dir only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './private-redis.js';

const BIN = '/usr/lib/postgresql/15/bin';

export interface TestPg {
  url: string;
  port: number;
  restart(): void;
  stop(): void;
  cleanup(): void;
}

export function privatePgAvailable(): boolean {
  return fs.existsSync(path.join(BIN, 'initdb')) && process.getuid?.() === 0;
}

function asPostgres(cmd: string): string {
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function startTestPg(): Promise<TestPg> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  asPostgres(`${BIN}/initdb -D ${data} -A trust -U postgres --no-sync >/dev/null`);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const ctl = (action: string) => asPostgres(`${BIN}/pg_ctl -D ${data} -o "${opts}" -l ${dir}/pg.log -w -t 30 ${action} >/dev/null`);
  ctl('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: () => ctl('restart -m fast'),
    stop: () => ctl('stop -m fast'),
    cleanup: () => {
      try {
        ctl('stop -m immediate');
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
