// Loading the extraction benchmark (html/<id>.html.gz + ground-truth.json) and shared bench helpers.
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { ROOT } from '../src/paths.js';

export interface BenchPage {
  id: string;
  split: 'dev' | 'test';
  url: string;
  truth: string;
  bytes: Buffer;
}

export function defaultDataDir(): string {
  return path.join(ROOT, '..', 'shared', 'data', 'extraction-benchmark');
}

/** `--name value` from argv, or undefined. */
export function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Pages sorted by id; ids 0–9 are the dev split, a–f the test split. `limit` bounds the count per split. */
export function loadPages(dir: string, limit = Infinity): BenchPage[] {
  const truth = JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<string, { url: string; articleBody: string }>;
  const pages: BenchPage[] = [];
  const perSplit = { dev: 0, test: 0 };
  for (const file of readdirSync(path.join(dir, 'html')).filter((f) => f.endsWith('.html.gz')).sort()) {
    const id = file.replace(/\.html\.gz$/, '');
    const gt = truth[id];
    if (!gt) continue;
    const split = /^[0-9]/.test(id) ? 'dev' : 'test';
    if (perSplit[split] >= limit) continue;
    perSplit[split]++;
    pages.push({ id, split, url: gt.url, truth: gt.articleBody, bytes: gunzipSync(readFileSync(path.join(dir, 'html', file))) });
  }
  return pages;
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
