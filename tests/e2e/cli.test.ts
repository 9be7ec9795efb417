// The command line as a user meets it: help, config check on good and broken files, and refusal to start on bad
// configuration or unreachable Redis without touching stored data.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/stores.js';

describe('wirewatch CLI', () => {
  it('--help lists every command with an example; an unknown command fails', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'scheduler', 'worker', 'serve', 'config', 'classify', 'topics', 'extract', 'digest', 'feeds']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const bad = await runCli(['frobnicate']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('config check accepts the shipped configuration', async () => {
    const r = await runCli(['config', 'check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok \(.*33 feeds, 3 topics, 1 digests\)/);
  });

  it('config check prints every error with file, line and key, and exits non-zero', async () => {
    const dir = tempDir('ww-badcfg-');
    const file = path.join(dir, 'wirewatch.yml');
    fs.writeFileSync(file, `topics_file: ${path.resolve('config/topics.yml')}\nfetch:\n  max_bytes: -1\n  user_agent: 7\npoll:\n  maxitems: 5\n`);
    const r = await runCli(['config', 'check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/wirewatch\.yml:3 fetch\.max_bytes: /);
    expect(r.stdout).toMatch(/wirewatch\.yml:4 fetch\.user_agent: /);
    expect(r.stdout).toMatch(/wirewatch\.yml:6 poll\.maxitems: unknown key/);
    expect(r.stdout).toMatch(/^3 errors$/m);
  });

  it('run refuses an invalid configuration before touching the data directory', async () => {
    const dir = tempDir('ww-badrun-');
    const file = path.join(dir, 'wirewatch.yml');
    fs.writeFileSync(file, 'fetch:\n  max_redirects: many\n');
    const data = path.join(dir, 'data');
    const r = await runCli(['run', '--once', '--config', file, '--data-dir', data]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configuration is invalid:\n.*wirewatch\.yml:2 fetch\.max_redirects: /);
    expect(fs.existsSync(data)).toBe(false);
  });

  it('run says how to get Redis when none answers and it may not start one', async () => {
    const dir = tempDir('ww-noredis-');
    const file = path.join(dir, 'wirewatch.yml');
    fs.writeFileSync(file, `topics_file: ${path.resolve('config/topics.yml')}\nredis: { url: "redis://127.0.0.1:1", start_private: false }\nhttp: { enabled: false }\n`);
    const r = await runCli(['run', '--once', '--config', file, '--data-dir', path.join(dir, 'data')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing answers at redis:\/\/127\.0\.0\.1:1.*apt-get install redis-server/s);
  });
});
