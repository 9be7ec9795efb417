// The extraction pool: extractArticle in worker threads (piscina), one page per worker at a time, each page under a
// time budget. A page that runs past it has its worker terminated (piscina aborts a running task that way) and is
// reported as PermanentError('extract_timeout'); piscina replaces the worker and the pool carries on.
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { Piscina } from 'piscina';
import type { Article, FeedItem } from '../model.js';
import { PermanentError } from '../errors.js';
import { compiled } from '../paths.js';
import type { ExtractRefusal, ExtractTask } from './worker.js';
import { EXTRACT_DEFAULTS } from './defaults.js';

export interface Extractor {
  extract(input: { html: string; url: string; feedItem?: FeedItem }): Promise<Article>;
  close(): Promise<void>;
}

export interface ExtractorOptions {
  /** Worker threads. Defaults for every option: EXTRACT_DEFAULTS (extract/defaults.ts). */
  threads?: number;
  /** Per-page budget in ms, counted from when a worker takes the page. */
  timeoutMs?: number;
  /** Largest HTML accepted, in UTF-8 bytes. */
  maxHtmlBytes?: number;
  /**
   * V8 old-generation limit per worker, in MB. A worker keeps ~90 MB alive (jsdom, its window, the
   * sanitiser) and V8 grows a heap lazily up to its limit, so this bounds the process RSS: bench:e2e peaks at 470–530 MB
   * for the whole process at 200.
   * A page that needs more kills only its worker: PermanentError('extract_failed').
   */
  heapMb?: number;
  /** Complexity limits checked before jsdom parses a page (defaults in complexity.ts): over them, 'too_complex'. */
  maxElements?: number;
  maxDepth?: number;
}

/** The extraction threads' young generation (MB): see the pool's resourceLimits. */
const YOUNG_GENERATION_MB = 48;

/**
 * V8's heap growing factor, as a percentage over 1 (100 = the heap may double between two mark-compacts).
 *
 * V8 picks the factor from an isolate's heap limit: under 256 MB it is its smallest, 1.3, and the extraction threads'
 * 200 MB limit puts them there. An extraction thread keeps ~45 MB alive (jsdom, its window), so it ran a full
 * mark-compact every ~40 pages: 27 per thread in a 2,000-article bench:e2e burst, against 4 for the main thread
 * (whose 4 GB default allows up to 4.0). The marking ran on V8's helper threads. At 100: 10 per thread, and the
 * 200 MB limit still bounds a thread. `npm run bench:pool-cpu` (2 threads, 2,000 generated pages) against
 * `node --heap-growing-percent=0 dist/bench/pool-cpu.js` (V8's own factor): 54 → 21 mark-compacts, V8 helper
 * threads 8.2–8.6 → 6.6–7.1 CPU s, peak RSS +65 MB; bench:e2e peak RSS 503 → 554–568 MB (goal ≤ 600).
 * The flag is process-wide (V8 has no per-isolate setting): the main thread's mark-compacts stayed at 4.
 * A --heap-growing-percent given on the command line wins.
 */
const HEAP_GROWING_PERCENT = 100;

let heapGrowthTuned = false;

/** Once per process, before the first pool's threads start (V8 reads the flag at each collection). */
function tuneHeapGrowth(): void {
  if (heapGrowthTuned) return;
  heapGrowthTuned = true;
  // Node refuses this V8 flag in NODE_OPTIONS, so the command line is the only other place it can come from.
  const given = process.execArgv.some((a) => /heap[-_]growing[-_]percent/.test(a));
  if (!given) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** How long close() waits for threads still loading their modules before it terminates them anyway. */
const CLOSE_LOAD_WAIT_MS = 15_000;

/** How long a page may wait for a (re)starting worker before it is given up as timed out. */
const START_GRACE_MS = 30_000;

/**
 * Create a pool. `extract` rejects with PermanentError 'too_large' (HTML over maxHtmlBytes), 'too_complex' (over the
 * element or depth limit: refused in milliseconds, before parsing), 'extract_timeout'
 * (over budget; worker killed) or 'extract_failed' (worker crashed, e.g. out of memory); after close(), 'closed'.
 */
export function createExtractor(opts: ExtractorOptions = {}): Extractor {
  const threads = Math.max(1, opts.threads ?? EXTRACT_DEFAULTS.threads);
  const timeoutMs = opts.timeoutMs ?? EXTRACT_DEFAULTS.timeoutMs;
  const maxHtmlBytes = opts.maxHtmlBytes ?? EXTRACT_DEFAULTS.maxHtmlBytes;
  const limits = { maxElements: opts.maxElements, maxDepth: opts.maxDepth };
  tuneHeapGrowth();
  const pool = new Piscina({
    filename: pathToFileURL(compiled('src/extract/worker.ts')).href,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    // Tasks arrive as messages, so a worker's event loop turns between pages. With piscina's default ('sync') a
    // worker waits for its next task blocked in Atomics.wait, and jsdom frees a closed window only when the loop
    // turns: under steady load dead windows piled up until GC took most of the CPU and the worker died out of
    // memory every ~120 pages at 64 MB (~870 at 200 MB). bench:e2e at 2,000 pages: 52.6 → 83–97 articles/s, peak
    // RSS 751 → 470–530 MB.
    atomics: 'disabled',
    idleTimeout: 60_000,
    // A worker that balloons (pathological DOM) dies alone instead of taking the process with it. The young
    // generation is V8's default size (48 MB here): a page's DOM dies young, and at 16 MB it was scavenged twice as
    // often (1,000 bench pages in one thread: 455–460 scavenges, 1.0–1.4 s of pauses, against 242–246 and 0.8 s).
    resourceLimits: { maxOldGenerationSizeMb: opts.heapMb ?? EXTRACT_DEFAULTS.heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  // Workers say on their own port when they start a page (worker.ts): its budget starts then.
  let seq = 0;
  const onStart = new Map<number, () => void>();
  // Threads that finished loading their modules (worker.ts says so once, with its threadId).
  const loaded = new Set<number>();
  pool.on('message', (m: unknown) => {
    const msg = m as { extractStarted?: unknown; extractThreadLoaded?: unknown } | null;
    if (typeof msg?.extractStarted === 'number') onStart.get(msg.extractStarted)?.();
    if (typeof msg?.extractThreadLoaded === 'number') loaded.add(msg.extractThreadLoaded);
  });
  // Pages wait here, not in piscina's queue, so that a page's budget starts when a worker takes it.
  let running = 0;
  let closed = false;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> =>
    running < threads ? (running++, Promise.resolve()) : new Promise((resolve) => waiting.push(resolve));
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return {
    async extract(input) {
      if (closed) throw new PermanentError('closed', `extract: pool is closed (${input.url})`);
      const bytes = Buffer.byteLength(input.html, 'utf8');
      if (bytes > maxHtmlBytes) {
        throw new PermanentError('too_large', `extract: HTML is ${bytes} bytes, over the ${maxHtmlBytes}-byte cap (${input.url})`);
      }
      await acquire();
      // The budget runs from the moment a worker starts the page (it says so on its thread's port): a page queued
      // behind a replacement worker that is still loading jsdom must not be charged for that. A generous cap
      // covers a worker that never starts.
      const abort = new AbortController();
      let timedOut = false;
      const expire = (): void => {
        timedOut = true;
        abort.abort();
      };
      const id = ++seq;
      let budget: NodeJS.Timeout | undefined;
      onStart.set(id, () => {
        onStart.delete(id);
        budget = setTimeout(expire, timeoutMs);
      });
      const startCap = setTimeout(expire, timeoutMs + START_GRACE_MS);
      try {
        const task: ExtractTask = { html: input.html, url: input.url, feedItem: input.feedItem, startedId: id, limits };
        const out = (await pool.run(task, { signal: abort.signal })) as Article | ExtractRefusal;
        if ('refused' in out) throw new PermanentError(out.refused.code, out.refused.message);
        return out;
      } catch (err) {
        if (err instanceof PermanentError) throw err;
        if (timedOut) {
          throw new PermanentError('extract_timeout', `extract: page exceeded the ${timeoutMs} ms budget (${input.url})`, { cause: err });
        }
        if (closed) throw new PermanentError('closed', `extract: pool closed during extraction (${input.url})`, { cause: err });
        throw new PermanentError('extract_failed', `extract: worker failed: ${(err as Error)?.message ?? err} (${input.url})`, { cause: err });
      } finally {
        onStart.delete(id);
        clearTimeout(budget);
        clearTimeout(startCap);
        release();
      }
    },
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w();
      // A thread terminated while it still loads jsdom (required synchronously, ESM from CJS) can abort the whole
      // process: "FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module", seen when
      // `run --once` finished in 0.7 s while its threads were still loading. Let them finish loading (bounded).
      const deadline = Date.now() + CLOSE_LOAD_WAIT_MS;
      while (pool.threads.some((t) => !loaded.has(t.threadId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await pool.destroy();
    },
  };
}
