// Tuning helper (dev split only): extractArticle in-process, per-page F1 and CPU ms. Not part of `bench:extract`.
// node dist/bench/extract-tune.js [--split dev] [--show ID]
import { loadPages, argValue, defaultDataDir, percentile } from './extract-data.js';
import { scorePage, summarise } from './extract-metric.js';
import { decodeHtmlPage } from '../src/charset/decode.js';
import { extractArticle } from '../src/extract/extract.js';

const argv = process.argv.slice(2);
const split = argValue(argv, '--split') ?? 'dev';
const show = argValue(argv, '--show');
const pages = loadPages(argValue(argv, '--data') ?? defaultDataDir()).filter((p) => p.split === split && (!show || p.id.startsWith(show)));
const scores = [];
const ms: number[] = [];
const vias: Record<string, number> = {};
for (const p of pages) {
  const html = decodeHtmlPage(p.bytes);
  const t = performance.now();
  const a = extractArticle(html, p.url);
  ms.push(performance.now() - t);
  vias[a.via] = (vias[a.via] ?? 0) + 1;
  const s = scorePage(a.text, p.truth);
  scores.push(s);
  const f = s.tp / (s.tp + 0.5 * (s.fp + s.fn) || 1);
  if (show) console.log(JSON.stringify(a, null, 1), '\n---TRUTH---\n', p.truth);
  else if (f < 0.9) console.log(`${p.id.slice(0, 8)} f=${f.toFixed(2)} p=${(s.tp / (s.tp + s.fp || 1)).toFixed(2)} r=${(s.tp / (s.tp + s.fn || 1)).toFixed(2)} via=${a.via} len=${a.text.length}/${p.truth.length}`);
  await new Promise((r) => setImmediate(r));
}
const sum = summarise(scores);
console.log(`${split}: f1=${sum.f1.toFixed(4)} p=${sum.precision.toFixed(4)} r=${sum.recall.toFixed(4)} median=${percentile(ms, 50).toFixed(1)} p95=${percentile(ms, 95).toFixed(1)} mean=${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(1)}`, vias);
