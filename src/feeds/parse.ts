// Bounded feed parsing: the body is decoded and parsed in a worker thread (piscina) with a time budget and a heap cap
// it cannot outrun — a runaway parse (rss-parser's snippet regex on an `&lt;` flood, deep nesting) is terminated with
// its thread, and the event loop that holds the job locks never blocks.
import { Piscina } from 'piscina';
import { PermanentError } from '../errors.js';
import type { ParsedFeed } from '../model.js';
import { compiled } from '../paths.js';
import { parseFeedText, type ParseOptions } from './parse-sync.js';
import type { DiscoverTask, ParseResult, ParseTask } from './parse-worker.js';
import { DEFAULT_PARSE_THREADS } from './defaults.js';

export type { ParseOptions } from './parse-sync.js';

/** Default time budget per feed, ms. */
export const DEFAULT_PARSE_TIMEOUT_MS = 5_000;
/** Heap cap of a parse thread, MB: a 40 MiB feed is ~40–80 MB of string and must still fit. */
const PARSE_HEAP_MB = 256;

let pool: Piscina | undefined;
let threads = DEFAULT_PARSE_THREADS;

/**
 * Set the parse pool's thread count (config `workers.parse_threads`). The pool is shared by the process and made on
 * first use: a later call changes nothing once it exists.
 */
export function configureFeedParsing(opts: { threads: number }): void {
  threads = Math.max(1, Math.floor(opts.threads));
}

function getPool(): Piscina {
  pool ??= new Piscina({
    filename: compiled('src/feeds/parse-worker.ts'),
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 30_000,
    // As in the extraction pool: let the thread's event loop turn between tasks, so whatever a parser leaves to
    // be cleaned up asynchronously is, instead of piling up while the thread waits blocked for its next feed.
    atomics: 'disabled',
    resourceLimits: { maxOldGenerationSizeMb: PARSE_HEAP_MB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  });
  return pool;
}

/**
 * Decode and parse a feed body off the event loop. Resolves to the normalised feed; rejects only with
 * PermanentError: 'not_a_feed', 'parse_error' (malformed, truncated, over its time budget or heap cap, refused DTD)
 * or 'too_large'. Messages read `feeds: … (url)`.
 */
export async function parseFeed(
  body: Uint8Array,
  opts: { url: string; contentType?: string; tz?: string; maxItems?: number; timeoutMs?: number; truncated?: boolean },
): Promise<ParsedFeed> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const p = getPool();
  // The abort signal also runs while the task waits in the queue: allow one budget per task queued ahead of it per
  // thread, so a busy pool does not fail healthy feeds. A runaway is still stopped, at most that much later.
  const ahead = Math.ceil(p.queueSize / Math.max(1, p.threads.length || 1));
  const budgetMs = timeoutMs * (1 + ahead);
  let result: ParseResult;
  try {
    result = (await p.run({ body, opts: { ...opts } } satisfies ParseTask, { signal: AbortSignal.timeout(budgetMs) })) as ParseResult;
  } catch (err) {
    const name = (err as { name?: string }).name;
    const aborted = name === 'AbortError' || name === 'TimeoutError';
    const what = aborted ? `parse exceeded its ${timeoutMs} ms budget` : `parse worker failed: ${(err as Error).message ?? err}`;
    throw new PermanentError('parse_error', `feeds: ${what} (${opts.url})`, { cause: err });
  }
  if (result.ok) return result.feed;
  throw new PermanentError(result.code, result.message);
}

/**
 * Feed URLs an HTML page advertises (autodiscovery), decoded and scanned in the parse thread under the same time
 * budget and heap cap as a feed, never on the caller's event loop. Rejects with PermanentError 'parse_error' when
 * over budget.
 */
export async function discoverFeedUrls(body: Uint8Array, opts: { url: string; contentType?: string; timeoutMs?: number }): Promise<string[]> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const p = getPool();
  const ahead = Math.ceil(p.queueSize / Math.max(1, p.threads.length || 1));
  try {
    const task: DiscoverTask = { body, url: opts.url, contentType: opts.contentType };
    return (await p.run(task, { name: 'discover', signal: AbortSignal.timeout(timeoutMs * (1 + ahead)) })) as string[];
  } catch (err) {
    const name = (err as { name?: string }).name;
    const aborted = name === 'AbortError' || name === 'TimeoutError';
    const what = aborted ? `autodiscovery exceeded its ${timeoutMs} ms budget` : `autodiscovery failed: ${(err as Error).message ?? err}`;
    throw new PermanentError('parse_error', `feeds: ${what} (${opts.url})`, { cause: err });
  }
}

/** Stop the parse threads (shutdown). Safe to call when no parse ever ran. */
export async function closeFeedParser(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.destroy();
}

/** The in-thread, synchronous parser over already-decoded text: for tests and the conformance bench. */
export function parseFeedSync(text: string, opts: ParseOptions): ParsedFeed {
  return parseFeedText(text, opts);
}
