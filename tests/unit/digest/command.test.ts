// `wirewatch digest`: prints the stored digest, or builds one on the fly (and says which on stderr).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/commands/digest.js';
import { digestSchema } from '../../../src/digest/config.js';
import { runDigest } from '../../../src/pipeline/digest.js';
import { openDb } from '../../../src/store/db.js';
import { seedStore } from './helpers.js';
import { commandContext, type CapturedContext } from '../../support/command-context.js';

let dir: string;
const digest = digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' } });
const topics = [{ id: 'ukraine-energy', title: 'Ukraine energy' }, { id: 'markets', title: 'Markets' }];

function ctx(): CapturedContext {
  return commandContext({
    config: { file: '/x/wirewatch.yml', digests: [digest], topics: { list: topics } as never, dataDir: dir },
    openStore: () => openDb({ url: path.join(dir, 'ww.db'), dataDir: dir }),
  });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-cmd-'));
  const h = await openDb({ url: path.join(dir, 'ww.db'), dataDir: dir });
  await seedStore(h.db);
  await h.db.destroy();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('wirewatch digest', () => {
  it('builds on the fly when nothing is stored, and says so', async () => {
    const c = ctx();
    expect(await run(['--date', '2026-11-26', '--format', 'json'], c.ctx)).toBe(0);
    expect(c.err()).toMatch(/built on the fly/);
    const d = JSON.parse(c.out());
    expect(d.date).toBe('2026-11-26');
    expect(d.topics[0].articles[0]).toMatchObject({ title: 'Russian strikes hit Ukraine power grid, blackouts in Kyiv', source: 'Reuters' });
  });

  it('prints the stored digest (latest by default), one topic, in md or html', async () => {
    const h = await openDb({ url: path.join(dir, 'ww.db'), dataDir: dir });
    await runDigest({ db: h.db, log: pino({ level: 'silent' }), outputDir: path.join(dir, 'out'), digest, topics, fireTime: new Date('2026-11-26T05:00:00Z') });
    await h.db.destroy();
    const c = ctx();
    expect(await run(['--topic', 'markets'], c.ctx)).toBe(0);
    expect(c.err()).toMatch(/stored digest "morning" for 2026-11-26/);
    expect(c.out()).toContain('## Markets');
    expect(c.out()).not.toContain('## Ukraine energy');
    const h2 = ctx();
    expect(await run(['--format', 'html', '--date', '2026-11-26'], h2.ctx)).toBe(0);
    expect(h2.out()).toMatch(/^<!DOCTYPE html>/);
  });

  it('usage errors exit 2', async () => {
    for (const argv of [['--format', 'pdf'], ['--date', 'yesterday'], ['--digest', 'nope'], ['--topic', 'nope'], ['--bogus']]) {
      const c = ctx();
      expect(await run(argv, c.ctx)).toBe(2);
      expect(c.err()).toMatch(/^digest: /);
    }
  });
});
