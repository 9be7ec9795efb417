// Every default of the extraction pool, once: createExtractor falls back to these and config/schema.ts uses them as
// the defaults of the `workers.extract_*` keys.
//
// timeoutMs is 15 s: config/wirewatch.yml and the README promise 15 000 ms per page, and the service always passed the
// config value; the pool's own former 20 s only applied to `wirewatch extract` and benches.
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS } from './complexity.js';

export const EXTRACT_DEFAULTS = Object.freeze({
  /** Worker threads: this service targets small boxes. */
  threads: 2,
  /** Per-page budget, counted from when a worker takes the page. */
  timeoutMs: 15_000,
  /** V8 old-generation limit per worker thread, MB. */
  heapMb: 200,
  /** Largest HTML accepted, UTF-8 bytes: the fetch cap. */
  maxHtmlBytes: 5 * 1024 * 1024,
  maxElements: DEFAULT_MAX_ELEMENTS,
  maxDepth: DEFAULT_MAX_DEPTH,
});
