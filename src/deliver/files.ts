// The files channel: <out>/<digest-id>/<period>.md, .html and .json. Written to a temporary name, fsynced and
// renamed (then the directory fsynced), so a reader never sees half a file, a crash never leaves an empty one, and
// a repeat simply overwrites (repeatable).
import fs from 'node:fs/promises';
import path from 'node:path';
import { DIGEST_ID } from '../digest/config.js';
import { renderHtml, renderJson, renderMarkdown, type HtmlOptions } from '../digest/render.js';
import type { Digest } from '../digest/types.js';
import { PermanentError } from '../errors.js';
import type { Channel, Receipt } from './channel.js';

export function digestFilePaths(outputDir: string, digestId: string, period: string): { md: string; html: string; json: string } {
  // Both become path segments: refuse anything that could climb out of the output directory.
  if (!DIGEST_ID.test(digestId) || !/^\d{4}-\d{2}-\d{2}$/.test(period)) {
    throw new PermanentError('bad_path', `deliver: unsafe digest id or period for a file name: ${JSON.stringify([digestId, period])}`);
  }
  const base = path.join(outputDir, digestId, period);
  return { md: `${base}.md`, html: `${base}.html`, json: `${base}.json` };
}

async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fh = await fs.open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data, 'utf8');
    // Without this, a crash after the rename can leave the new name pointing at a file whose data never reached
    // the disk (ext4 delayed allocation): an empty digest where the old one was.
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Make the renames durable: fsync the directory holding them (best effort where a filesystem refuses). */
async function syncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch {
    // Refused (some filesystems): the renames are still atomic.
  } finally {
    await fh?.close();
  }
}

/** Write the three files; returns their paths. */
export async function writeDigestFiles(outputDir: string, d: Digest, html: HtmlOptions = {}): Promise<Receipt> {
  const p = digestFilePaths(outputDir, d.digestId, d.period);
  await fs.mkdir(path.dirname(p.md), { recursive: true });
  await writeAtomic(p.md, renderMarkdown(d));
  await writeAtomic(p.html, renderHtml(d, html));
  await writeAtomic(p.json, renderJson(d));
  await syncDir(path.dirname(p.md));
  return { files: [p.md, p.html, p.json] };
}

export function filesChannel(outputDir: string, name = 'files', html: HtmlOptions = {}): Channel {
  return { name, type: 'files', repeatable: true, send: (d) => writeDigestFiles(outputDir, d, html) };
}
