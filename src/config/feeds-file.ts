// Writing the feeds file (`feeds add`, `feeds import`): entries checked against the config schema first, the whole
// resulting file checked as `config check` would, then written atomically (temp file, fsync, rename, fsync of the
// directory) under a lock file, so concurrent writers lose no entry and the file always loads (C5).
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, isSeq, YAMLSeq } from 'yaml';
import type { FeedSource } from '../model.js';
import { feedsTextIssues } from './load.js';
import { FeedEntrySchema } from './schema.js';

/** How long a writer waits for the lock, and when a lock file is old enough to be a crashed writer's. */
const LOCK_WAIT_MS = 30_000;
const LOCK_STALE_MS = 60_000;

/**
 * Problems with one entry under the config schema, each naming the field and the value given
 * (`lang "portuguese": Too big: …`); empty when the entry is valid.
 */
export function feedEntryProblems(feed: FeedSource): string[] {
  const r = FeedEntrySchema.safeParse(feed);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const key = i.path.map(String).join('.');
    const value = key ? (feed as unknown as Record<string, unknown>)[key] : undefined;
    return `${key}${value === undefined ? '' : ` ${JSON.stringify(value)}`}: ${i.message}`;
  });
}

export interface AppendResult {
  /** Entries written (ids may carry a -2, -3 … suffix when another writer took the id meanwhile). */
  added: FeedSource[];
  /** Entries whose URL the file already had (written meanwhile by another writer). */
  present: FeedSource[];
}

/**
 * Append entries to the feeds file (a YAML list under `feeds:`, or a top-level list), keeping its comments and
 * layout. Throws Error naming the entry when one breaks the schema, or naming file, line and key when the result
 * would not pass `config check`; the file is then left as it was.
 */
export function appendFeeds(file: string, feeds: FeedSource[], sameUrl: (a: string, b: string) => boolean = (a, b) => a === b): AppendResult {
  for (const f of feeds) {
    const problems = feedEntryProblems(f);
    if (problems.length) throw new Error(`feed ${f.url}: ${problems.join('; ')}`);
  }
  return withLock(`${file}.lock`, () => {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const doc = parseDocument(text || 'feeds: []\n');
    let seq = isSeq(doc.contents) ? doc.contents : doc.get('feeds', true);
    if (!isSeq(seq)) {
      seq = new YAMLSeq();
      doc.set('feeds', seq);
    }
    // Read again under the lock: what another writer added since this process loaded its config counts.
    const current = ((doc.toJSON() as { feeds?: unknown[] } | unknown[] | null) ?? []) as unknown;
    const list = (Array.isArray(current) ? current : ((current as { feeds?: unknown[] }).feeds ?? [])) as unknown[];
    const urls = list.map((e) => (typeof e === 'string' ? e : String((e as { url?: unknown })?.url ?? '')));
    const ids = new Set(list.map((e) => (typeof e === 'object' && e && typeof (e as { id?: unknown }).id === 'string' ? (e as { id: string }).id : '')));
    const added: FeedSource[] = [];
    const present: FeedSource[] = [];
    for (const f of feeds) {
      if (urls.some((u) => sameUrl(u, f.url))) {
        present.push(f);
        continue;
      }
      let id = f.id;
      for (let n = 2; ids.has(id); n++) id = `${f.id}-${n}`;
      ids.add(id);
      urls.push(f.url);
      const entry: Record<string, string | number> = { id, url: f.url };
      if (f.title) entry.title = f.title;
      if (f.lang) entry.lang = f.lang;
      if (f.interval_s) entry.interval_s = f.interval_s;
      if (f.tz) entry.tz = f.tz;
      const node = doc.createNode(entry);
      node.flow = true;
      (seq as YAMLSeq).items.push(node);
      added.push({ ...f, id });
    }
    (seq as YAMLSeq).flow = false;
    const out = doc.toString({ lineWidth: 0 });
    const issues = feedsTextIssues(out, file);
    if (issues.length) {
      throw new Error(`${issues.map((i) => `${i.file}${i.line ? `:${i.line}` : ''} ${i.key}: ${i.message}`).join('; ')} (nothing written)`);
    }
    if (added.length) writeFileAtomic(file, out);
    return { added, present };
  });
}

/** Write `data` to a temp file beside `file`, fsync it, rename it over `file`, fsync the directory. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(path.dirname(file));
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory: the rename is still atomic, only its durability is weaker.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Run `fn` holding `lockFile` (created with O_EXCL, holding our pid). A lock older than LOCK_STALE_MS is a crashed
 * writer's and is taken over. Throws when the lock cannot be had within LOCK_WAIT_MS.
 */
function withLock<T>(lockFile: string, fn: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - fs.statSync(lockFile).mtimeMs > LOCK_STALE_MS) fs.rmSync(lockFile, { force: true });
      } catch {
        // Gone meanwhile: try again.
      }
      if (Date.now() > deadline) throw new Error(`feeds file is locked by another writer (${lockFile}); try again`);
      sleepSync(Math.min(50, 5 + attempt * 5));
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}
