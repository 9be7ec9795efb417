// Q3: a CPU-heavy page (a few MiB of nested markup: seconds of jsdom + Readability) handled by one worker process
// while another worker process takes the other jobs. Extraction runs in worker threads, so event loops stay free,
// job locks are renewed, and no job runs twice: every page is fetched exactly once, nothing stalls.
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteArticle } from '../../bench/lib/news-site.js';
import { articleHits, harness, simpleArticles, until, type Harness } from '../support/pipeline.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe('CPU-heavy pages', () => {
  it('Q3: a heavy page in one worker while another runs → no job runs twice, nothing stalls', async () => {
    const heavy: SiteArticle[] = Array.from({ length: 2 }, (_, k) => ({
      slug: `heavy-${k}`,
      title: `A very long report ${k}`,
      published: new Date().toISOString(),
      // ~3 MiB: thousands of paragraphs inside nested sections.
      paragraphs: Array.from({ length: 25_000 }, (_, i) => `Paragraph ${i} of the long report on council budgets, bus lanes and school repairs.`),
    }));
    const articles = [...heavy, ...simpleArticles(16)];
    h = await harness({ articles, latencyMs: 100, extraYaml: ['workers: { extract_timeout_ms: 60000 }'], fetchExtra: 'max_bytes: 8388608' });
    const a = h.spawn(['worker', '--queues', 'poll,article']);
    const b = h.spawn(['worker', '--queues', 'article']);
    await a.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker A ready');
    await b.waitLog((l) => l.msg === 'worker running; Ctrl-C to stop', 20_000, 'worker B ready');
    await h.pollAll();
    await until(() => h!.count("SELECT count(*) n FROM items WHERE state IN ('stored', 'failed')") === articles.length, 120_000, 'every item finished');
    const hits = articleHits(h.site);
    for (const x of articles) expect(hits.get(x.slug), x.slug).toBe(1);
    expect(h.count('SELECT count(*) n FROM articles')).toBe(articles.length);
    const logs = [...a.logs, ...b.logs];
    expect(logs.filter((l) => /stall/i.test(String(l.msg)) || /stall/i.test(JSON.stringify(l.err ?? '')))).toEqual([]);
    // Both processes did article work.
    expect(a.logs.some((l) => l.stage === 'article')).toBe(true);
    expect(b.logs.some((l) => l.stage === 'article')).toBe(true);
    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    // On failure, say how the process ended (a signal, or a code) and what it last wrote.
    const ended = (c: typeof a) => `signal ${c.proc.signalCode}; stderr: ${c.stderr().slice(-3000)}`;
    expect(await a.exited, ended(a)).toBe(0);
    expect(await b.exited, ended(b)).toBe(0);
  }, 180_000);
});
