// `wirewatch topics train [--out FILE] [--set FILE]… [--file topics.yml]`: train the second-opinion model on
// labelled JSON Lines sets and write it beside the topics (config classify.model.file). Also the model side of
// `topics backtest`: which model to use (--model FILE, else the configured one).
import fs from 'node:fs';
import path from 'node:path';
import { parseEvalSet, type LabelledItem } from '../classify/evaluate.js';
import { readManifest } from '../classify/eval-sets.js';
import type { SecondOpinion } from '../classify/model/possible.js';
import { trainModel } from '../classify/model/train.js';
import { DEFAULT_MAX_REASONS } from '../classify/model/score.js';
import { DEFAULT_MODEL_FILE, DEFAULT_MODEL_THRESHOLD, parseModel } from '../classify/model/types.js';
import { ConfigError, formatIssue } from '../errors.js';
import { ROOT } from '../paths.js';
import { matcherFor } from './classify.js';
import type { CommandContext } from './context.js';

/**
 * The labelled sets shipped with the repository (tests/fixtures/classify): the tuning and regression sets of its
 * sets.json manifest — never a set still marked blind, which must stay unseen until it is scored.
 */
export function defaultTrainingSets(): string[] {
  const dir = path.join(ROOT, 'tests', 'fixtures', 'classify');
  if (!fs.existsSync(dir)) return [];
  return readManifest(dir)
    .filter((s) => s.role === 'tuning' || s.role === 'regression')
    .map((s) => path.join(dir, s.file))
    .filter((f) => fs.existsSync(f))
    .sort();
}

export function train(ctx: CommandContext, o: { file?: string; out?: string; sets?: string[] }): number {
  const m = matcherFor(ctx, o.file);
  if (!m) return 2;
  const topicIds = m.topics.map((t) => t.info.id);
  const sets = o.sets?.length ? o.sets : defaultTrainingSets();
  if (!sets.length) {
    ctx.stderr.write('topics train: no labelled sets found; give --set FILE.jsonl (lines {"id","lang","title","lead","text"?,"topics":[…]})\n');
    return 1;
  }
  const items: LabelledItem[] = [];
  for (const f of sets) {
    try {
      items.push(...parseEvalSet(fs.readFileSync(f, 'utf8')));
    } catch (err) {
      ctx.stderr.write(`topics train: cannot read ${f}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  const bad = items.filter((i) => typeof i.id !== 'string' || typeof i.title !== 'string' || !Array.isArray(i.topics));
  if (bad.length) {
    ctx.stderr.write(`topics train: ${bad.length} line(s) lack "id", "title" or "topics" (first: ${JSON.stringify(bad[0]).slice(0, 120)})\n`);
    return 1;
  }
  const unknown = [...new Set(items.flatMap((i) => i.topics).filter((t) => !topicIds.includes(t)))];
  if (unknown.length) ctx.stderr.write(`topics train: labels for topics not in the topics file are ignored: ${unknown.join(', ')}\n`);
  let out = o.out;
  if (!out) {
    try {
      out = o.file ? path.join(path.dirname(o.file), DEFAULT_MODEL_FILE) : ctx.config().modelFile;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const i of err.issues) ctx.stderr.write(`${formatIssue(i)}\n`);
      return 2;
    }
  }
  const t0 = performance.now();
  const model = trainModel(items, topicIds, { sets: sets.map((f) => path.basename(f)) });
  const ms = Math.round(performance.now() - t0);
  const json = `${JSON.stringify(model)}\n`;
  fs.writeFileSync(`${out}.tmp`, json);
  fs.renameSync(`${out}.tmp`, out);
  const perTopic = topicIds.map((id) => `${id} ${model.topics[id].positives}+/${model.topics[id].negatives}- ${Object.keys(model.topics[id].weights).length} features`);
  ctx.stdout.write(`topics train: ${items.length} items from ${sets.length} set(s), ${perTopic.join('; ')}\n`);
  ctx.stdout.write(`topics train: wrote ${out} (${Math.round(json.length / 1024)} KiB, data sha256 ${model.dataHash.slice(0, 12)}) in ${ms} ms\n`);
  return 0;
}

/** The model for `topics backtest`: --model FILE (with --threshold), else the configured one; undefined if none. */
export function backtestModel(ctx: CommandContext, o: { model?: string; threshold?: string }): SecondOpinion | undefined | 'error' {
  const threshold = o.threshold !== undefined ? Number(o.threshold) : undefined;
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) {
    ctx.stderr.write(`topics backtest: --threshold must be a probability in (0, 1], got "${o.threshold}"\n`);
    return 'error';
  }
  // The configuration, if it loads: a broken one is reported by the store opening that follows.
  let cfg: ReturnType<CommandContext['config']> | undefined;
  try {
    cfg = ctx.config();
  } catch {
    cfg = undefined;
  }
  if (o.model) {
    try {
      const model = parseModel(fs.readFileSync(o.model, 'utf8'));
      return { model, threshold: threshold ?? cfg?.classify.model.threshold ?? DEFAULT_MODEL_THRESHOLD, maxReasons: cfg?.classify.model.max_reasons ?? DEFAULT_MAX_REASONS };
    } catch (err) {
      ctx.stderr.write(`topics backtest: cannot use model ${o.model}: ${(err as Error).message}\n`);
      return 'error';
    }
  }
  const so = cfg?.secondOpinion;
  return so && threshold !== undefined ? { ...so, threshold } : so;
}
