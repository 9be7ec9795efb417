// The second-opinion model measured honestly: train on the training sets, then score the "Possibly relevant"
// section on a set the model never saw. Without --set, each training file is held out in turn (trained on the rest).
// Usage: node dist/bench/eval-model.js [--train FILE]… [--set FILE] [--topics FILE] [--threshold P] [--l2 X] [--iterations N] [-v]
// Prints one line per threshold and the line `eval-model: … precision=… recall_gain=…` at --threshold.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseEvalSet, type LabelledItem } from '../src/classify/evaluate.js';
import { loadTopics } from '../src/classify/load.js';
import { measurePossible, type PossibleScore } from '../src/classify/model/measure.js';
import { DEFAULT_MODEL_THRESHOLD } from '../src/classify/model/possible.js';
import { trainModel } from '../src/classify/model/train.js';
import { parseModel } from '../src/classify/model/types.js';
import { formatIssue } from '../src/errors.js';
import { defaultTrainingSets } from '../src/commands/topics-model.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = fs.existsSync(path.join(here, '..', 'config')) ? path.join(here, '..') : path.join(here, '..', '..');
const fixtures = path.join(root, 'tests', 'fixtures', 'classify');

const { values } = parseArgs({
  options: {
    train: { type: 'string', multiple: true }, set: { type: 'string' }, topics: { type: 'string' },
    threshold: { type: 'string' }, l2: { type: 'string' }, iterations: { type: 'string' }, verbose: { type: 'boolean', short: 'v' },
  },
});
const topicsFile = values.topics ?? path.join(root, 'config', 'topics.yml');
const loaded = loadTopics(fs.readFileSync(topicsFile, 'utf8'), path.relative(process.cwd(), topicsFile));
if (loaded.issues.length) {
  for (const i of loaded.issues) console.error(formatIssue(i));
  process.exit(2);
}
const topicIds = loaded.list.map((t) => t.id);
const trainFiles = values.train ?? defaultTrainingSets();
const sets = new Map<string, LabelledItem[]>(trainFiles.map((f) => [f, parseEvalSet(fs.readFileSync(f, 'utf8'))]));
const chosen = values.threshold !== undefined ? Number(values.threshold) : DEFAULT_MODEL_THRESHOLD;
const thresholds = [...new Set([0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99, chosen])].sort((a, b) => a - b);

function run(label: string, train: [string, LabelledItem[]][], test: LabelledItem[]): PossibleScore {
  const t0 = performance.now();
  const file = trainModel(train.flatMap(([, it]) => it), topicIds, {
    sets: train.map(([f]) => path.basename(f)),
    ...(values.l2 ? { l2: Number(values.l2) } : {}),
    ...(values.iterations ? { iterations: Number(values.iterations) } : {}),
  });
  const model = parseModel(JSON.stringify(file));
  const ms = Math.round(performance.now() - t0);
  const rows = measurePossible(test, loaded.matcher, model, thresholds);
  console.log(`${label}: trained on ${file.trainedOn.items} items (${file.trainedOn.sets.join(', ')}) in ${ms} ms; tested on ${test.length} items`);
  console.log('  threshold  flagged  correct  precision  rules_recall  with_possible  gain');
  for (const r of rows) {
    console.log(`  ${r.threshold.toFixed(2).padStart(9)}  ${String(r.flagged).padStart(7)}  ${String(r.correct).padStart(7)}  ${(r.flagged ? r.precision.toFixed(3) : '—').padStart(9)}  ${r.rulesRecall.toFixed(3).padStart(12)}  ${r.recallWith.toFixed(3).padStart(13)}  +${r.recallGain.toFixed(3)}`);
  }
  const at = rows.find((r) => r.threshold === chosen)!;
  if (values.verbose) {
    for (const [id, c] of Object.entries(at.byTopic)) console.log(`  ${id}: flagged ${c.flagged}, correct ${c.correct}`);
    for (const p of at.pairs) console.log(`  ${p.ok ? 'TP' : 'FP'} ${p.topicId} ${p.id} ${p.score.toFixed(3)}`);
  }
  return at;
}

const line = (label: string, r: PossibleScore) =>
  `eval-model: ${label} threshold=${chosen} flagged=${r.flagged} correct=${r.correct} precision=${r.flagged ? r.precision.toFixed(3) : 'n/a'} ` +
  `rules_recall=${r.rulesRecall.toFixed(3)} with_possible=${r.recallWith.toFixed(3)} recall_gain=+${r.recallGain.toFixed(3)} ` +
  `(${r.correct}/${r.relevant} relevant pairs gained) ${r.flagged === 0 ? 'nothing flagged' : r.precision >= 0.8 ? 'ok' : 'BELOW 0.80 precision'}`;

if (values.set) {
  const test = parseEvalSet(fs.readFileSync(values.set, 'utf8'));
  // Never train on the set being measured, even when it has been copied among the training files.
  const testIds = new Set(test.map((i) => i.id));
  const train = [...sets].map(([f, it]) => [f, it.filter((i) => !testIds.has(i.id))] as [string, LabelledItem[]]).filter(([, it]) => it.length);
  console.log(line(`set=${path.basename(values.set)}`, run(path.basename(values.set), train, test)));
} else {
  // Leave one training file out at a time: a preview on data the model did not see (but the rules were tuned on).
  const total = { flagged: 0, correct: 0, relevant: 0, rulesFound: 0 };
  for (const f of trainFiles) {
    const r = run(`held out ${path.basename(f)}`, [...sets].filter(([g]) => g !== f), sets.get(f)!);
    total.flagged += r.flagged;
    total.correct += r.correct;
    total.relevant += r.relevant;
    total.rulesFound += r.rulesFound;
  }
  const rr = total.relevant ? total.rulesFound / total.relevant : 1;
  const rw = total.relevant ? (total.rulesFound + total.correct) / total.relevant : 1;
  console.log(line('leave-one-set-out', {
    threshold: chosen, ...total, precision: total.flagged ? total.correct / total.flagged : 1, rulesRecall: rr, recallWith: rw,
    recallGain: rw - rr, byTopic: {}, pairs: [],
  }));
}
