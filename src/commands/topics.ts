// `wirewatch topics test [--file F] [--topic ID]`: run every topic's examples, print each result, exit 1 on a miss.
// `wirewatch topics backtest [--since 7d] [--apply] [--file F]`: re-run the current topics over stored articles,
// print what would be added or dropped; --apply writes the new matches. With a second-opinion model (configured and
// enabled, or --model FILE) it also reports the rule-missed articles the model would flag as possibly relevant.
// `wirewatch topics train [--out FILE] [--set FILE]…`: see topics-model.ts.
// `wirewatch topics report [--set FILE…] [--json] [--file F]`: P/R/F1 per topic on each labelled set (labelled
// tuning / regression / blind from the sets.json beside it), the confusion list, and candidate terms from misses.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEvalSets } from '../classify/eval-sets.js';
import { buildReport, formatReport } from '../classify/report.js';
import { ROOT } from '../paths.js';
import { diffMatches, isEmptyDiff, sinceToIso } from '../classify/backtest.js';
import { classify } from '../classify/classify.js';
import { runExamples } from '../classify/examples.js';
import { countArticles, iterateArticles, matchesFor, replaceMatches } from '../store/articles.js';
import { possibleMatches, type SecondOpinion } from '../classify/model/possible.js';
import { replacePossible } from '../store/possible.js';
import { backtestModel, train } from './topics-model.js';
import { matcherFor } from './classify.js';
import type { CommandContext } from './context.js';

const USAGE =
  'usage: wirewatch topics test [--file topics.yml] [--topic ID]\n' +
  '       wirewatch topics backtest [--since 7d] [--apply] [--file topics.yml] [--model FILE] [--threshold P]\n' +
  '       wirewatch topics train [--out FILE] [--set FILE.jsonl]… [--file topics.yml]\n' +
  '       wirewatch topics report [--set FILE…] [--json] [--file topics.yml]\n';

/** Where `topics report` finds its sets without --set: the labelled sets shipped with the repository. */
export const DEFAULT_SETS_DIR = path.join(ROOT, 'tests', 'fixtures', 'classify');

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = argv;
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        file: { type: 'string' }, topic: { type: 'string' }, since: { type: 'string', default: '7d' }, apply: { type: 'boolean' }, verbose: { type: 'boolean', short: 'v' },
        out: { type: 'string' }, set: { type: 'string', multiple: true }, model: { type: 'string' }, threshold: { type: 'string' }, json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    ctx.stderr.write(`topics: ${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  if (sub === 'test') return test(ctx, values.file, values.topic);
  if (sub === 'train') return train(ctx, { file: values.file, out: values.out, sets: values.set });
  if (sub === 'backtest') {
    const so = backtestModel(ctx, { model: values.model, threshold: values.threshold });
    if (so === 'error') return 1;
    return backtest(ctx, values.file, values.since, values.apply === true, so);
  }
  if (sub === 'report') return report(ctx, values.file, values.set ?? [], values.json === true);
  ctx.stderr.write(USAGE);
  return 1;
}

function report(ctx: CommandContext, file: string | undefined, sets: string[], json: boolean): number {
  const m = matcherFor(ctx, file);
  if (!m) return 2;
  let loaded;
  try {
    loaded = loadEvalSets(sets, DEFAULT_SETS_DIR);
  } catch (err) {
    ctx.stderr.write(`topics report: ${(err as Error).message}\n`);
    return 1;
  }
  if (!loaded.length) {
    ctx.stderr.write(`topics report: no labelled sets (give --set FILE, JSON Lines {"id","lang","title","lead"?,"text"?,"topics"})\n`);
    return 1;
  }
  const r = buildReport(loaded, m);
  ctx.stdout.write(json ? `${JSON.stringify(r)}\n` : `${formatReport(r)}\n`);
  return 0;
}

function test(ctx: CommandContext, file: string | undefined, topic: string | undefined): number {
  const m = matcherFor(ctx, file);
  if (!m) return 2;
  const results = runExamples(m, topic);
  let failed = 0;
  for (const r of results) {
    const title = r.example.title.length > 90 ? `${r.example.title.slice(0, 89)}…` : r.example.title;
    const lang = r.example.lang ? ` [${r.example.lang}]` : '';
    ctx.stdout.write(`${r.ok ? 'ok  ' : 'MISS'} ${r.topicId} ${r.expect}${lang}: ${title}  (score ${r.score} / ${r.threshold})\n`);
    if (!r.ok) {
      failed++;
      ctx.stdout.write(`${r.detail!.split('\n').map((l) => `       ${l}`).join('\n')}\n`);
    }
  }
  const noExamples = m.topics.filter((t) => t.examples.match.length + t.examples.noMatch.length === 0).map((t) => t.info.id);
  if (noExamples.length && topic === undefined) ctx.stdout.write(`note: no examples for ${noExamples.join(', ')}\n`);
  ctx.stdout.write(`topics test: ${results.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

async function backtest(ctx: CommandContext, file: string | undefined, since: string, apply: boolean, so: SecondOpinion | undefined): Promise<number> {
  const m = matcherFor(ctx, file);
  if (!m) return 2;
  const now = new Date();
  const sinceIso = sinceToIso(since, now);
  if (!sinceIso) {
    ctx.stderr.write(`topics backtest: --since must be like 7d, 24h, 90m, 2w or an ISO date (got "${since}")\n`);
    return 1;
  }
  const { db } = await ctx.openStore();
  try {
    const total = await countArticles(db, sinceIso);
    const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
    let seen = 0;
    let changed = 0;
    const counts = { added: 0, dropped: 0, rescored: 0 };
    const gained = { articles: 0, flags: 0 };
    const topicIds = m.topics.map((t) => t.info.id);
    for await (const a of iterateArticles(db, sinceIso)) {
      seen++;
      const after = classify({ id: a.itemId, title: a.title, text: a.text, lang: a.lang }, m);
      const before = await matchesFor(db, a.itemId);
      const d = diffMatches(before, after);
      if (!isEmptyDiff(d)) {
        changed++;
        counts.added += d.added.length;
        counts.dropped += d.dropped.length;
        counts.rescored += d.rescored.length;
        if (tty) ctx.stderr.write('\r\x1b[K');
        for (const x of d.added) ctx.stdout.write(`+ ${x.topicId}\t${a.itemId}\t${x.score}\t${a.title}\n`);
        for (const x of d.dropped) ctx.stdout.write(`- ${x.topicId}\t${a.itemId}\t${x.score}\t${a.title}\n`);
        if (apply) await replaceMatches(db, a.itemId, after, now.toISOString());
      }
      if (so) {
        // Judged against the rules as they are now (`after`): the model only ever adds what they miss.
        const input = { id: a.itemId, title: a.title, text: a.text, lang: a.lang };
        const possible = possibleMatches(input, after, so.model, { threshold: so.threshold, maxReasons: so.maxReasons, topicIds });
        if (possible.length) {
          gained.articles++;
          gained.flags += possible.length;
          if (tty) ctx.stderr.write('\r\x1b[K');
          for (const x of possible) ctx.stdout.write(`? ${x.topicId}\t${a.itemId}\t${x.score.toFixed(3)}\t${a.title}\t(${x.reasons.map((r) => r.word).join(', ')})\n`);
        }
        if (apply) await replacePossible(db, a.itemId, possible, now.toISOString());
      }
      if (tty && total > 50 && (seen % 50 === 0 || seen === total)) {
        const w = 30;
        const k = Math.round((seen / total) * w);
        ctx.stderr.write(`\r[${'#'.repeat(k)}${'.'.repeat(w - k)}] ${seen}/${total}`);
      }
    }
    if (tty && total > 50) ctx.stderr.write('\n');
    ctx.stdout.write(
      `topics backtest: ${seen} articles since ${sinceIso}, ${changed} changed: ${counts.added} added, ${counts.dropped} dropped, ${counts.rescored} rescored${apply ? ' (applied)' : ' (dry run; --apply to write)'}\n`,
    );
    if (so) {
      ctx.stdout.write(
        `topics backtest: second opinion (threshold ${so.threshold}): ${gained.articles} of ${seen} articles possibly relevant (${gained.flags} topic flags) that the rules miss — the desk would have gained them under "Possibly relevant"${apply ? ' (applied)' : ''}\n`,
      );
    }
    return 0;
  } finally {
    await db.destroy();
  }
}
