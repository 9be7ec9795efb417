// `wirewatch deliveries`: list the outbox; retry a failed or unknown delivery of a stored digest — once, through
// the outbox, and never a row that is not failed or unknown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/commands/deliveries.js';
import { digestSchema } from '../../../src/digest/config.js';
import { runDigest } from '../../../src/pipeline/digest.js';
import { getOutbox } from '../../../src/store/outbox.js';
import { openDb } from '../../../src/store/db.js';
import { seedStore } from './helpers.js';
import { commandContext } from '../../support/command-context.js';

let dir: string;
const digest = digestSchema.parse({ id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' }, channels: [{ type: 'files' }] });
const topics = [{ id: 'ukraine-energy', title: 'Ukraine energy' }, { id: 'markets', title: 'Markets' }];
const outDir = () => path.join(dir, 'out');
const open = () => openDb({ url: path.join(dir, 'ww.db'), dataDir: dir });

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = commandContext({ config: { file: '/x/wirewatch.yml', digests: [digest], topics: { list: topics } as never, dataDir: dir, outputDir: outDir(), http: {} }, openStore: open });
  const code = await run(args, c.ctx);
  return { code, out: c.out(), err: c.err() };
}

const files = () => (fs.existsSync(outDir()) ? fs.readdirSync(outDir(), { recursive: true }).map(String).filter((f) => /\.(html|md|json)$/.test(f)) : []);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-deliv-'));
  const h = await open();
  await seedStore(h.db);
  // Deliver the 2026-11-26 digest, then make its files delivery look as if it had failed (disk error) and lose them.
  await runDigest({ db: h.db, log: pino({ level: 'silent' }), outputDir: outDir(), digest, topics, fireTime: new Date('2026-11-26T05:00:00Z') });
  await h.db.updateTable('outbox').set({ state: 'failed', error: 'EACCES: permission denied' }).execute();
  await h.db.destroy();
  fs.rmSync(outDir(), { recursive: true, force: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('wirewatch deliveries', () => {
  it('lists the outbox, filtered by state, as text or JSON lines', async () => {
    const all = await cli([]);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/^morning\t2026-11-26\tfiles\tfailed\t1\t.*\tEACCES: permission denied$/m);
    const json = await cli(['list', '--state', 'failed,unknown', '--json']);
    expect(JSON.parse(json.out.trim())).toMatchObject({ digest_id: 'morning', period: '2026-11-26', channel: 'files', state: 'failed', error: 'EACCES: permission denied' });
    expect((await cli(['--state', 'sent'])).out).toBe('no deliveries\n');
    expect((await cli(['--state', 'lost'])).code).toBe(2);
  });

  it('retry delivers the stored digest again, once; a second retry has nothing to do', async () => {
    expect(files()).toEqual([]);
    const r = await cli(['retry', '--digest', 'morning', '--period', '2026-11-26']);
    expect(r.err).toMatch(/files set back to pending/);
    expect(r.out).toBe('morning\t2026-11-26\tfiles\tsent\n');
    expect(r.code).toBe(0);
    expect(files().length).toBeGreaterThan(0);
    const h = await open();
    expect(await getOutbox(h.db, { digestId: 'morning', period: '2026-11-26', channel: 'files' })).toMatchObject({ state: 'sent', attempts: 2, error: null });
    await h.db.destroy();

    const again = await cli(['retry', '--digest', 'morning', '--period', '2026-11-26']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/nothing to retry/);
  });

  it('names what is wrong: unknown digest, no stored digest for the period, unknown channel, missing flags', async () => {
    const a = await cli(['retry', '--digest', 'evening', '--period', '2026-11-26']);
    expect([a.code, a.err]).toEqual([2, expect.stringMatching(/no digest "evening" in \/x\/wirewatch.yml \(configured: morning\)/)]);
    const b = await cli(['retry', '--digest', 'morning', '--period', '2026-11-20']);
    expect([b.code, b.err]).toEqual([1, expect.stringMatching(/no stored digest "morning" for period 2026-11-20/)]);
    const c = await cli(['retry', '--digest', 'morning', '--period', '2026-11-26', '--channel', 'email']);
    expect([c.code, c.err]).toEqual([1, expect.stringMatching(/no delivery on channel "email"/)]);
    expect((await cli(['retry', '--digest', 'morning'])).code).toBe(2);
    expect((await cli(['resend'])).code).toBe(2);
  });
});
