// Precision, recall and F1 per topic of config/topics.yml over every labelled set of tests/fixtures/classify
// (each labelled tuning / regression / blind from sets.json there), and how well the language of an item is
// detected when its `lang` is removed.
// Usage: node dist/bench/eval-topics.js [--topics FILE] [--set FILE]… [--verbose]   (exit 1 if any F1 < 0.90 on a
// tuning set)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { explain, formatExplain } from '../src/classify/classify.js';
import { detectLang } from '../src/classify/detect-lang.js';
import { loadEvalSets } from '../src/classify/eval-sets.js';
import { evaluate, itemInput } from '../src/classify/evaluate.js';
import { fieldsOf } from '../src/classify/classify.js';
import { loadTopics } from '../src/classify/load.js';
import { tokenize } from '../src/classify/tokenize.js';
import { formatIssue } from '../src/errors.js';

// dist/bench/eval-topics.js or bench/eval-topics.ts: the repository root is two or one levels up.
const here = path.dirname(fileURLToPath(import.meta.url));
const root = fs.existsSync(path.join(here, '..', 'config')) ? path.join(here, '..') : path.join(here, '..', '..');

const { values } = parseArgs({ options: { topics: { type: 'string' }, set: { type: 'string', multiple: true }, verbose: { type: 'boolean', short: 'v' } } });
const topicsFile = values.topics ?? path.join(root, 'config', 'topics.yml');
const loaded = loadTopics(fs.readFileSync(topicsFile, 'utf8'), path.relative(process.cwd(), topicsFile));
if (loaded.issues.length) {
  for (const i of loaded.issues) console.error(formatIssue(i));
  process.exit(2);
}
const sets = loadEvalSets(values.set ?? [], path.join(root, 'tests', 'fixtures', 'classify'));
let tuningMin = 1;
for (const set of sets) {
  const items = set.items;
  const scores = evaluate(items, loaded.matcher);
  const langs = [...new Set(items.map((i) => i.lang ?? '?'))].join(', ');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of scores) (tp += s.tp), (fp += s.fp), (fn += s.fn);
  const p = tp / (tp + fp || 1);
  const r = tp / (tp + fn || 1);
  console.log(`\n${set.file} [${set.role}${set.written ? `, written ${set.written}` : ''}]: ${items.length} items (${langs}), ${items.filter((i) => i.topics.length === 0).length} labelled with no topic; micro-F1 ${(p + r ? (2 * p * r) / (p + r) : 0).toFixed(3)}`);
  console.log('topic                  P      R      F1     tp  fp  fn');
  for (const s of scores) {
    console.log(`${s.topicId.padEnd(20)} ${s.precision.toFixed(3)}  ${s.recall.toFixed(3)}  ${s.f1.toFixed(3)}  ${String(s.tp).padStart(3)} ${String(s.fp).padStart(3)} ${String(s.fn).padStart(3)}`);
    if (set.role === 'tuning') tuningMin = Math.min(tuningMin, s.f1);
    if (values.verbose) {
      for (const [kind, list] of [['FP', s.falsePositives], ['FN', s.falseNegatives]] as const) {
        for (const id of list) {
          const it = items.find((x) => x.id === id)!;
          const ex = explain(itemInput(it), loaded.matcher, s.topicId);
          console.log(`  ${kind} ${formatExplain(ex).split('\n').join('\n     ')}`);
        }
      }
    }
  }
  // Language detection with the label removed: right / undecided ("", every list applies) / wrong.
  let right = 0;
  let undecided = 0;
  const wrong: string[] = [];
  for (const it of items) {
    const f = fieldsOf(itemInput(it));
    const got = detectLang([tokenize(f.title), tokenize(f.lead), tokenize(f.body)]);
    if (got === it.lang) right++;
    else if (got === '') undecided++;
    else wrong.push(`${it.id}→${got}`);
  }
  console.log(`lang detection (lang removed): ${right}/${items.length} right, ${undecided} undecided, ${wrong.length} wrong${wrong.length ? ` (${wrong.join(', ')})` : ''}`);
}
console.log(`eval-topics: min_f1_tuning=${tuningMin.toFixed(3)} ${tuningMin >= 0.9 ? 'ok' : 'BELOW 0.90'}`);
process.exit(tuningMin >= 0.9 ? 0 : 1);
