// Global flags work anywhere on the line and never reach the command; the command's own flags pass through in order.
import { describe, expect, it } from 'vitest';
import { splitArgs, usage } from '../../../src/cli.js';

describe('splitArgs', () => {
  it('separates global flags from the command and its arguments', () => {
    const r = splitArgs(['--config', 'c.yml', 'digest', '--format', 'json', '--data-dir=/tmp/x', '--date', '2026-11-26', '--allow-private-networks']);
    expect(r.command).toBe('digest');
    expect(r.rest).toEqual(['--format', 'json', '--date', '2026-11-26']);
    expect(r.flags).toMatchObject({ configPath: 'c.yml', dataDir: '/tmp/x', allowPrivateNetworks: true });
  });

  it('keeps positionals and inline values of command options', () => {
    const r = splitArgs(['feeds', 'add', 'https://ex.org/', '--feeds', 'f.opml', '--since=7d']);
    expect(r).toMatchObject({ command: 'feeds', rest: ['add', 'https://ex.org/', '--since=7d'], flags: { feedsFile: 'f.opml' } });
  });

  it('recognises help', () => {
    expect(splitArgs(['--help']).help).toBe(true);
    expect(splitArgs(['run', '-h'])).toMatchObject({ help: true, command: 'run' });
  });

  it('lists every command with an example', () => {
    const u = usage();
    for (const c of ['run', 'scheduler', 'worker', 'serve', 'config', 'classify', 'topics', 'extract', 'digest', 'deliveries', 'feeds', 'search', 'feedback']) {
      expect(u).toMatch(new RegExp(`^  ${c}\\s`, 'm'));
    }
    expect(u.match(/^ +e\.g\. /gm)?.length).toBe(13);
  });
});
