// The naive baseline for bench/extract.ts, run in its own process so its memory does not count against ours:
// a plain single-threaded loop of jsdom + Readability over UTF-8-decoded pages, textContent as the text.
// Prints one JSON line: { pages_per_s, ms: [...], texts: { id: text } , peak_rss_mb }.
import { JSDOM, VirtualConsole } from 'jsdom';
import { Readability } from '@mozilla/readability';
import { loadPages, argValue, defaultDataDir } from './extract-data.js';

const argv = process.argv.slice(2);
const pages = loadPages(argValue(argv, '--data') ?? defaultDataDir(), Number(argValue(argv, '--limit') ?? Infinity));
const texts: Record<string, string> = {};
const ms: number[] = [];
const t0 = performance.now();
for (const page of pages) {
  const start = performance.now();
  try {
    const dom = new JSDOM(page.bytes.toString('utf8'), { url: page.url, virtualConsole: new VirtualConsole() });
    const article = new Readability(dom.window.document).parse();
    texts[page.id] = article?.textContent ?? '';
    dom.window.close();
  } catch {
    texts[page.id] = '';
  }
  ms.push(performance.now() - start);
  // jsdom frees a closed window only when the event loop turns (data README: 3.3 GB without this).
  await new Promise((r) => setImmediate(r));
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({ pages_per_s: pages.length / seconds, ms, texts, peak_rss_mb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
