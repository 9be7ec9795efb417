// The bare loop bench:e2e compares the pipeline with: fetch + extractArticle + classify, one page at a time, in one
// process, no queue, no store. Imported, it runs in the caller's process (the baseline); run as a script it is one of
// N copies in parallel (the machine's own ceiling: what N cores give N independent loops, with nothing shared).
//   node dist/bench/lib/bare-loop.js <urls.json>   → prints {"pages":n,"matched":m,"seconds":s,"cpu_s":c}
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractArticle } from '../../src/extract/extract.js';
import { classify } from '../../src/classify/classify.js';
import { loadTopics } from '../../src/classify/load.js';
import { ROOT } from '../../src/paths.js';

export interface BareResult {
  pages: number;
  matched: number;
  seconds: number;
  /** CPU seconds of this process while the loop ran (V8's helper threads included). */
  cpuS: number;
}

export async function bareLoop(urls: string[]): Promise<BareResult> {
  const topicsFile = path.join(ROOT, 'config', 'topics.yml');
  const topics = loadTopics(fs.readFileSync(topicsFile, 'utf8'), topicsFile);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let matched = 0;
  for (const url of urls) {
    const html = await (await fetch(url)).text();
    const art = extractArticle(html, url);
    if (classify({ title: art.title, text: art.text, lang: art.lang }, topics.matcher).length) matched++;
  }
  const use = process.cpuUsage(cpu0);
  return { pages: urls.length, matched, seconds: (Date.now() - t0) / 1000, cpuS: (use.user + use.system) / 1e6 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const urls = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as string[];
  bareLoop(urls).then(
    (r) => process.stdout.write(`${JSON.stringify({ pages: r.pages, matched: r.matched, seconds: r.seconds, cpu_s: r.cpuS })}\n`),
    (err) => {
      process.stderr.write(`bare-loop: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
