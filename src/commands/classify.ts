// `wirewatch classify [--explain] [--topic ID] [--topics FILE]`: JSON Lines {"id","title","text","lang"?,"lead"?} on
// stdin → one line {"id","topics":[{"id","score","threshold","evidence"}]} per article on stdout; a bad line gives
// {"id"?,"error"} and the run goes on. --explain prints the evidence, near-misses and reasons for people instead.
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { classify, explain, formatExplain } from '../classify/classify.js';
import { loadTopics, type Matcher } from '../classify/load.js';
import { ConfigError, formatIssue } from '../errors.js';
import type { ClassifyInput } from '../model.js';
import type { CommandContext } from './context.js';

/** The matcher from --topics FILE, else from the configuration; prints issues and returns undefined on errors. */
export function matcherFor(ctx: CommandContext, file: string | undefined): Matcher | undefined {
  try {
    if (file === undefined) return ctx.config().topics.matcher;
    const loaded = loadTopics(fs.readFileSync(file, 'utf8'), file);
    if (loaded.issues.length) throw new ConfigError(loaded.issues);
    return loaded.matcher;
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const i of err.issues) ctx.stderr.write(`${formatIssue(i)}\n`);
      return undefined;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      ctx.stderr.write(`classify: cannot read ${file}\n`);
      return undefined;
    }
    throw err;
  }
}

function parseLine(line: string): ClassifyInput | { id?: string; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'expected a JSON object {"id","title","text","lang"?}' };
  const o = v as Record<string, unknown>;
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : undefined;
  const bad = (k: string) => o[k] !== undefined && typeof o[k] !== 'string';
  if (typeof o.title !== 'string' && typeof o.text !== 'string') return { ...(id ? { id } : {}), error: 'needs "title" and/or "text" (strings)' };
  for (const k of ['title', 'text', 'lang', 'lead']) if (bad(k)) return { ...(id ? { id } : {}), error: `"${k}" must be a string` };
  return {
    ...(id !== undefined ? { id } : {}),
    title: (o.title as string | undefined) ?? '',
    text: (o.text as string | undefined) ?? '',
    ...(typeof o.lead === 'string' ? { lead: o.lead } : {}),
    ...(typeof o.lang === 'string' ? { lang: o.lang } : {}),
  };
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { explain: { type: 'boolean' }, topic: { type: 'string' }, topics: { type: 'string' } } }));
  } catch (err) {
    ctx.stderr.write(`classify: ${(err as Error).message}\nusage: wirewatch classify [--explain] [--topic ID] [--topics FILE] < articles.jsonl\n`);
    return 1;
  }
  const matcher = matcherFor(ctx, values.topics);
  if (!matcher) return 2;
  const rl = readline.createInterface({ input: ctx.stdin, crlfDelay: Infinity });
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) continue;
    const input = parseLine(line);
    if ('error' in input) {
      ctx.stdout.write(`${JSON.stringify(input)}\n`);
      continue;
    }
    try {
      if (values.explain) {
        ctx.stdout.write(`${formatExplain(explain(input, matcher, values.topic))}\n\n`);
        continue;
      }
      const topics = classify(input, matcher)
        .filter((m) => values.topic === undefined || m.topicId === values.topic)
        .map((m) => ({ id: m.topicId, score: m.score, threshold: m.threshold, evidence: m.evidence }));
      ctx.stdout.write(`${JSON.stringify({ id: input.id ?? null, topics })}\n`);
    } catch (err) {
      ctx.stdout.write(`${JSON.stringify({ ...(input.id !== undefined ? { id: input.id } : {}), error: `classify: ${(err as Error).message}` })}\n`);
    }
  }
  return 0;
}
