// Keeps the SQLite search index in step with the store on the write path. Storing an article only queues its id
// (migration 005's trigger, inside the article's own transaction: cheap); the article path then nudges this
// indexer, which applies the queue in one batch a moment later (SEARCH_INDEX_DELAY_MS), so articles stored together
// share one FTS5 segment instead of writing one each, and a stored article is searchable within about that delay.
// One run at a time per process; runs from several processes serialise on SQLite's write lock (syncSearchIndex).
// PostgreSQL needs none of it: its tsvector column is generated with the row.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { isSqlite, syncSearchIndex } from '../store/search.js';

/** How long a nudge waits for more articles to index with it. */
export const SEARCH_INDEX_DELAY_MS = 250;

export interface SearchIndexer {
  /** An article was stored or changed: index the queue soon. Never throws, never waits. */
  nudge(): void;
  /** Apply the whole queue now (after any run in progress); shutdown calls this. Returns the ids applied. */
  flush(): Promise<number>;
}

export interface SearchIndexerOptions {
  delayMs?: number;
  /** A failed run (the next nudge or flush tries again). */
  onError?: (err: unknown) => void;
  onIndexed?: (r: { articles: number; duration_ms: number }) => void;
}

export function createSearchIndexer(db: Kysely<Database>, opts: SearchIndexerOptions = {}): SearchIndexer {
  if (!isSqlite(db)) return { nudge: () => undefined, flush: async () => 0 };
  const delay = opts.delayMs ?? SEARCH_INDEX_DELAY_MS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;

  const run = (): Promise<number> => {
    timer = undefined;
    const started = Date.now();
    running = syncSearchIndex(db)
      .then((n) => {
        if (n) opts.onIndexed?.({ articles: n, duration_ms: Date.now() - started });
        return n;
      })
      .catch((err) => {
        opts.onError?.(err);
        return 0;
      })
      .finally(() => {
        running = undefined;
        // Articles stored while this run was applying the queue: one more run picks them up.
        if (again) {
          again = false;
          schedule();
        }
      });
    return running;
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(run, delay);
  };
  return {
    nudge() {
      if (running) again = true;
      else schedule();
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      again = false;
      await running;
      return run();
    },
  };
}
