// buildReport(sets, matcher): for `wirewatch topics report` — per topic and labelled set, precision / recall / F1,
// the confusion list (false positives and negatives with their titles and why), and candidate terms: word n-grams
// frequent in the items a topic missed and rare in the items that are not about it. Pure.
import { explain } from './classify.js';
import { STOP_WORDS } from './detect-lang.js';
import type { EvalSet, SetRole } from './eval-sets.js';
import { evaluate, itemInput, type LabelledItem } from './evaluate.js';
import type { Matcher } from './rules.js';
import { tokenize } from './tokenize.js';

export interface Confusion {
  id: string;
  lang?: string;
  title: string;
  /** FN: the score against the threshold and the first reason; FP: the evidence that made it match. */
  why: string;
}

export interface SetTopicReport {
  topicId: string;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  falsePositives: Confusion[];
  falseNegatives: Confusion[];
}

export interface SetReport {
  file: string;
  role: SetRole;
  written?: string;
  items: number;
  topics: SetTopicReport[];
  /** Micro-averaged over the topics. */
  micro: { precision: number; recall: number; f1: number };
}

export interface Candidate {
  /** Folded word n-gram, as a term would be written. */
  ngram: string;
  /** Missed items (over all sets) that contain it. */
  misses: number;
  /** Items not about the topic that contain it. */
  negatives: number;
}

export interface Report {
  sets: SetReport[];
  candidates: Record<string, Candidate[]>;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function why(it: LabelledItem, m: Matcher, topicId: string, fp: boolean): string {
  const x = explain(itemInput(it), m, topicId).topics[0];
  if (!x) return '';
  if (fp) return `score ${x.score}/${x.threshold}: ${x.evidence.map((e) => `${e.field} "${e.matched}" +${e.weight}`).join(', ')}`;
  const ev = x.evidence.length ? `; counted ${x.evidence.map((e) => `"${e.matched}"`).join(', ')}` : '';
  return `score ${x.score}/${x.threshold}${x.reasons.length ? `: ${x.reasons[0]}` : ''}${ev}`;
}

/** Word n-grams (1–3 words, not starting or ending with a function word) of an item, folded, each once. */
export function ngramsOf(it: LabelledItem): Set<string> {
  const out = new Set<string>();
  for (const text of [it.title, it.lead ?? '', it.text ?? '']) {
    const t = tokenize(text);
    for (let i = 0; i < t.n; i++) {
      for (let n = 1; n <= 3 && i + n <= t.n; n++) {
        const last = t.key[i + n - 1];
        if (t.sent[i + n - 1] !== t.sent[i]) break;
        if (STOP_WORDS.has(t.key[i]) || STOP_WORDS.has(last) || /^\d/.test(t.key[i]) || t.key[i].length < 3) continue;
        out.add(t.key.slice(i, i + n).join(' '));
      }
    }
  }
  return out;
}

const MAX_CANDIDATES = 15;
/** An n-gram in more than this share of the negatives is not a candidate. */
const MAX_NEG_RATE = 0.02;

function candidates(topicId: string, missed: LabelledItem[], all: LabelledItem[]): Candidate[] {
  if (missed.length === 0) return [];
  const missDf = new Map<string, number>();
  for (const it of missed) for (const g of ngramsOf(it)) missDf.set(g, (missDf.get(g) ?? 0) + 1);
  const minMiss = missed.length >= 3 ? 2 : 1;
  const keep = new Map<string, number>();
  for (const [g, c] of missDf) if (c >= minMiss) keep.set(g, 0);
  const negs = all.filter((it) => !it.topics.includes(topicId));
  for (const it of negs) for (const g of ngramsOf(it)) if (keep.has(g)) keep.set(g, keep.get(g)! + 1);
  const out: Candidate[] = [];
  for (const [g, neg] of keep) if (neg <= MAX_NEG_RATE * negs.length) out.push({ ngram: g, misses: missDf.get(g)!, negatives: neg });
  // Longer n-grams that are no rarer in the misses make their parts redundant.
  out.sort((a, b) => b.misses - a.misses || a.negatives - b.negatives || b.ngram.split(' ').length - a.ngram.split(' ').length || (a.ngram < b.ngram ? -1 : 1));
  const picked: Candidate[] = [];
  for (const c of out) {
    if (picked.some((p) => p.misses === c.misses && ` ${p.ngram} `.includes(` ${c.ngram} `))) continue;
    picked.push(c);
    if (picked.length >= MAX_CANDIDATES) break;
  }
  return picked;
}

export function buildReport(sets: EvalSet[], m: Matcher): Report {
  const missed = new Map<string, LabelledItem[]>(m.topics.map((t) => [t.info.id, []]));
  const reports = sets.map((s): SetReport => {
    const byId = new Map(s.items.map((it) => [it.id, it]));
    const scores = evaluate(s.items, m);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const topics = scores.map((x): SetTopicReport => {
      tp += x.tp;
      fp += x.fp;
      fn += x.fn;
      for (const id of x.falseNegatives) missed.get(x.topicId)!.push(byId.get(id)!);
      const conf = (id: string, isFp: boolean): Confusion => {
        const it = byId.get(id)!;
        return { id, ...(it.lang ? { lang: it.lang } : {}), title: it.title, why: why(it, m, x.topicId, isFp) };
      };
      return {
        topicId: x.topicId, precision: r3(x.precision), recall: r3(x.recall), f1: r3(x.f1), tp: x.tp, fp: x.fp, fn: x.fn,
        falsePositives: x.falsePositives.map((id) => conf(id, true)),
        falseNegatives: x.falseNegatives.map((id) => conf(id, false)),
      };
    });
    const p = tp + fp ? tp / (tp + fp) : 1;
    const r = tp + fn ? tp / (tp + fn) : 1;
    return {
      file: s.file, role: s.role, ...(s.written ? { written: s.written } : {}), items: s.items.length, topics,
      micro: { precision: r3(p), recall: r3(r), f1: r3(p + r ? (2 * p * r) / (p + r) : 0) },
    };
  });
  const all = sets.flatMap((s) => s.items);
  const cands: Record<string, Candidate[]> = {};
  for (const [t, list] of missed) cands[t] = candidates(t, list, all);
  return { sets: reports, candidates: cands };
}

/** Plain-text rendering for people. */
export function formatReport(r: Report): string {
  const lines: string[] = [];
  for (const s of r.sets) {
    lines.push(`${s.file} [${s.role}${s.written ? `, written ${s.written}` : ''}]: ${s.items} items, micro P ${s.micro.precision.toFixed(3)} R ${s.micro.recall.toFixed(3)} F1 ${s.micro.f1.toFixed(3)}`);
    lines.push('  topic                  P      R      F1     tp  fp  fn');
    for (const t of s.topics) {
      lines.push(`  ${t.topicId.padEnd(20)} ${t.precision.toFixed(3)}  ${t.recall.toFixed(3)}  ${t.f1.toFixed(3)}  ${String(t.tp).padStart(3)} ${String(t.fp).padStart(3)} ${String(t.fn).padStart(3)}`);
      for (const [k, list] of [['FP', t.falsePositives], ['FN', t.falseNegatives]] as const) {
        for (const c of list) lines.push(`    ${k} ${c.id}${c.lang ? ` [${c.lang}]` : ''} ${JSON.stringify(c.title)} — ${c.why}`);
      }
    }
  }
  for (const [t, list] of Object.entries(r.candidates)) {
    if (!list.length) continue;
    lines.push(`candidate terms for ${t} (in misses / in negatives):`);
    lines.push(`  ${list.map((c) => `"${c.ngram}" ${c.misses}/${c.negatives}`).join(', ')}`);
  }
  return lines.join('\n');
}
