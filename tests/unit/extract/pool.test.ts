// The extraction pool: pages run in worker threads in parallel, results come back intact, close() is final.
import { afterAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/errors.js';
import { createExtractor } from '../../../src/extract/pool.js';

const page = (n: number): string =>
  `<html lang="de"><head><title>Seite ${n}</title></head><body><article>${Array.from({ length: 6 }, (_, i) => `<p>Absatz ${i} der Seite ${n}: Der Stadtrat hat am Dienstagabend lange über den Haushalt beraten.</p>`).join('')}</article></body></html>`;

describe('createExtractor', () => {
  const pool = createExtractor({ threads: 2, timeoutMs: 10_000 });
  afterAll(() => pool.close());

  it('extracts many pages concurrently, each result matching its input', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => pool.extract({ html: page(n), url: `https://example.de/${n}?utm_source=x` })));
    results.forEach((a, n) => {
      expect(a.title).toBe(`Seite ${n}`);
      expect(a.lang).toBe('de');
      expect(a.canonicalUrl).toBe(`https://example.de/${n}`);
      expect(a.text.split('\n\n')).toHaveLength(6);
    });
  });

  it('close() right after start waits for its threads to finish loading before it terminates them', async () => {
    // A thread terminated while it still loads jsdom can abort the whole process (a Node fatal error in its
    // synchronous ESM loader). Loading jsdom takes a thread ~1 s here and well over 150 ms anywhere; terminating
    // at once took ~20 ms.
    const t0 = performance.now();
    const p = createExtractor({ threads: 2 });
    await p.close();
    expect(performance.now() - t0).toBeGreaterThan(150);
  });

  it('rejects after close()', async () => {
    const p = createExtractor({ threads: 1 });
    await p.close();
    const err = await p.extract({ html: page(1), url: 'https://example.de/' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('closed');
  });
});

// jsdom frees a closed window (the extractor replaces its window every 20 pages) only when the thread's event loop
// turns. piscina's default 'sync' atomics block a worker between tasks, so under steady load the loop never turned:
// the heap filled with dead windows until V8 spent more time collecting than extracting, then the worker died
// ("JS heap out of memory", every page in hand lost to the feed fallback). At 64 MB that took ~300 pages.
describe('createExtractor under sustained load on a small heap', () => {
  const news = (n: number): string =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story ${n} | Local News</title><style>body{font-family:serif}</style></head>` +
    `<body><header><nav><a href="/">Home</a> | <a href="/world">World</a></nav></header><main><article><h1>Story ${n}</h1>` +
    Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i} of story ${n}: ministers met on Tuesday to discuss the budget, energy prices and the week ahead.</p>`).join('\n') +
    `</article><aside><h3>Most read</h3><ul><li><a href="/news/other">Weather</a></li></ul></aside></main><footer>© Local News</footer></body></html>`;

  it('extracts 400 pages back to back in one 64 MB thread without a failure', async () => {
    const pool = createExtractor({ threads: 1, heapMb: 64, timeoutMs: 10_000 });
    try {
      let failed = 0;
      for (let n = 0; n < 400; n++) {
        const a = await pool.extract({ html: news(n), url: `https://news.example/${n}` }).catch(() => undefined);
        if (!a || a.title !== `Story ${n} | Local News`) failed++;
      }
      expect(failed).toBe(0);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
