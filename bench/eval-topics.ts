// Precision, recall and F1 per topic of config/topics.yml over the labelled set tests/fixtures/classify/eval.jsonl.
// Usage: node dist/bench/eval-topics.js [--topics FILE] [--set FILE] [--verbose]   (exit 1 if any F1 < 0.90)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluate, parseEvalSet } from '../src/classify/evaluate.js';
import { explain, formatExplain } from '../src/classify/classify.js';
import { loadTopics } from '../src/classify/load.js';
import { formatIssue } from '../src/errors.js';

// dist/bench/eval-topics.js or bench/eval-topics.ts: the repository root is two or one levels up.
const here = path.dirname(fileURLToPath(import.meta.url));
const root = fs.existsSync(path.join(here, '..', 'config')) ? path.join(here, '..') : path.join(here, '..', '..');

const { values } = parseArgs({ options: { topics: { type: 'string' }, set: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } } });
const topicsFile = values.topics ?? path.join(root, 'config', 'topics.yml');
const setFile = values.set ?? path.join(root, 'tests', 'fixtures', 'classify', 'eval.jsonl');
const loaded = loadTopics(fs.readFileSync(topicsFile, 'utf8'), path.relative(process.cwd(), topicsFile));
if (loaded.issues.length) {
  for (const i of loaded.issues) console.error(formatIssue(i));
  process.exit(2);
}
const items = parseEvalSet(fs.readFileSync(setFile, 'utf8'));
const scores = evaluate(items, loaded.matcher);
const langs = [...new Set(items.map((i) => i.lang ?? '?'))].join(', ');
console.log(`eval-topics: ${items.length} items (${langs}), ${items.filter((i) => i.topics.length === 0).length} labelled with no topic`);
console.log('topic                  P      R      F1     tp  fp  fn');
for (const s of scores) {
  console.log(`${s.topicId.padEnd(20)} ${s.precision.toFixed(3)}  ${s.recall.toFixed(3)}  ${s.f1.toFixed(3)}  ${String(s.tp).padStart(3)} ${String(s.fp).padStart(3)} ${String(s.fn).padStart(3)}`);
  if (values.verbose) {
    for (const [kind, list] of [['FP', s.falsePositives], ['FN', s.falseNegatives]] as const) {
      for (const id of list) {
        const it = items.find((x) => x.id === id)!;
        const ex = explain({ id, title: it.title, text: it.lead ?? it.text ?? '', lang: it.lang }, loaded.matcher, s.topicId);
        console.log(`  ${kind} ${formatExplain(ex).split('\n').join('\n     ')}`);
      }
    }
  }
}
const worst = Math.min(...scores.map((s) => s.f1));
console.log(`eval-topics: min_f1=${worst.toFixed(3)} ${worst >= 0.9 ? 'ok' : 'BELOW 0.90'}`);
process.exit(worst >= 0.9 ? 0 : 1);
