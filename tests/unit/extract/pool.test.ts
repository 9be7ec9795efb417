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

  it('rejects after close()', async () => {
    const p = createExtractor({ threads: 1 });
    await p.close();
    const err = await p.extract({ html: page(1), url: 'https://example.de/' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('closed');
  });
});
