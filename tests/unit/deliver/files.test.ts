import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestFilePaths, filesChannel } from '../../../src/deliver/files.js';
import { fixtureDigest } from '../digest/helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('files channel', () => {
  it('writes <out>/<digest-id>/<period>.md|.html|.json and overwrites on repeat', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ww-files-'));
    dirs.push(out);
    const ch = filesChannel(out);
    expect(ch.repeatable).toBe(true);
    const r1 = await ch.send(fixtureDigest(), 'k');
    await ch.send(fixtureDigest(), 'k');
    const base = path.join(out, 'morning', '2026-11-26');
    expect(r1).toEqual({ files: [`${base}.md`, `${base}.html`, `${base}.json`] });
    expect(fs.readFileSync(`${base}.md`, 'utf8')).toContain('# Morning');
    expect(JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')).date).toBe('2026-11-26');
    expect(fs.readdirSync(path.join(out, 'morning')).sort()).toEqual(['2026-11-26.html', '2026-11-26.json', '2026-11-26.md']);
  });

  it('refuses ids and periods that would leave the output directory', () => {
    expect(() => digestFilePaths('/tmp/x', '../etc', '2026-11-26')).toThrow(/unsafe/);
    expect(() => digestFilePaths('/tmp/x', 'ok', '../../x')).toThrow(/unsafe/);
  });
});
