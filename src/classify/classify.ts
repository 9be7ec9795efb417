// classify(input, matcher): the topics an article matches, with evidence; explain(): the same, plus near-misses
// and reasons, for people. Pure: tokenise each field once, find every term hit in one index pass, then evaluate
// only the topics that had a hit. An article without a language is read in the language detectLang finds.
//
// Scoring: each matched span counts once, at the best weight of the terms that matched it, and each (term, field)
// pair once: term weight × field weight; a body term found again in another sentence adds half its weight once more. The score is made of the hits
// of the topic's `terms:`; conditions (`any:` / `all:` / `none:`) only gate, except in a topic without `terms:`,
// whose score is made of the hits of its conditions. A topic matches when all its conditions hold and the summed
// score reaches its threshold.
import type { ClassifyInput, Evidence, Field, TopicMatch } from '../model.js';
import { findHits, type Hit } from './match.js';
import { anyOf, evalNode, type HitIndex } from './groups.js';
import type { Matcher, Topic } from './rules.js';
import { FIELDS } from './rules.js';
import { detectLang } from './detect-lang.js';
import { emptyTokens, tokenize } from './tokenize.js';

/** Per-topic verdict, for `classify --explain` and `topics test`. */
export interface ExplainTopic {
  topicId: string;
  title: string;
  matched: boolean;
  score: number;
  threshold: number;
  conditionsHold: boolean;
  /** Why it did not match (empty when it matched). */
  reasons: string[];
  evidence: Evidence[];
}

export interface ExplainResult {
  id?: string;
  lang?: string;
  /** The language the article was read in when it came without one (detected; absent when undecided). */
  detectedLang?: string;
  fields: Record<Field, string>;
  /** The matched topics first, then near-misses (any hit), by score. */
  topics: ExplainTopic[];
}

interface Prepared extends HitIndex {
  texts: string[];
  lang: string;
  byTopic: Map<number, true>;
  /** Distinct term ids with hits, per topic. */
  byTopicTerms: Map<number, number[]>;
}

/** Split the input into title / lead / body. The lead is the first paragraph of text unless given. */
export function fieldsOf(input: ClassifyInput): Record<Field, string> {
  const text = input.text ?? '';
  if (input.lead !== undefined) {
    const body = text.startsWith(input.lead) ? text.slice(input.lead.length).replace(/^\s+/, '') : text;
    return { title: input.title ?? '', lead: input.lead, body };
  }
  const m = /\n\s*\n/.exec(text);
  return m ? { title: input.title ?? '', lead: text.slice(0, m.index), body: text.slice(m.index + m[0].length) } : { title: input.title ?? '', lead: text, body: '' };
}

/** The most a topic could score with these hits (conditions and windows only take away): skips most topics cheaply. */
function upperBound(ti: number, m: Matcher, p: Prepared): number {
  const t = m.topics[ti];
  let sum = 0;
  for (const id of p.byTopicTerms.get(ti) ?? []) {
    const w = m.terms[id].weight;
    if (w <= 0) continue;
    const hs = p.byTerm.get(id)!;
    let mask = 0;
    // Body hits in two different sentences: the repeat share may apply.
    let bodySent = -1;
    let again = false;
    for (const h of hs) {
      mask |= 1 << h.field;
      if (h.field === BODY) {
        const s = p.toks[BODY].sent[h.ti];
        if (bodySent < 0) bodySent = s;
        else if (s !== bodySent) again = true;
      }
    }
    for (let f = 0; f < 3; f++) if (mask & (1 << f)) sum += w * t.fieldWeights[FIELDS[f]] * (f === BODY && again ? 1 + REPEAT_SHARE : 1);
  }
  return sum;
}

// Token buffers for title, lead and body, reused by every call: classification is synchronous and nothing keeps a
// Prepared after classify()/explain() returns.
const POOL = [emptyTokens(), emptyTokens(), emptyTokens()];

function prepare(input: ClassifyInput, m: Matcher): Prepared {
  const f = fieldsOf(input);
  const texts = FIELDS.map((k) => f[k]);
  const toks = texts.map((t, i) => tokenize(t, POOL[i]));
  const given = (input.lang ?? '').toLowerCase().split(/[-_]/)[0];
  // Without a language every list would apply; detect it so the article is read with its own lists.
  const lang = given !== '' ? given : detectLang(toks);
  const hits: Hit[] = [];
  toks.forEach((t, i) => findHits(m, t, i, lang, hits));
  const byTerm = new Map<number, Hit[]>();
  const byTopic = new Map<number, true>();
  const byTopicTerms = new Map<number, number[]>();
  for (const h of hits) {
    const l = byTerm.get(h.term);
    if (l) l.push(h);
    else {
      byTerm.set(h.term, [h]);
      const ti = m.terms[h.term].topic;
      const tl = byTopicTerms.get(ti);
      if (tl) tl.push(h.term);
      else byTopicTerms.set(ti, [h.term]);
    }
    byTopic.set(m.terms[h.term].topic, true);
  }
  return { texts, toks, lang, byTerm, byTopic, byTopicTerms };
}

interface Verdict {
  matched: boolean;
  score: number;
  conditionsHold: boolean;
  reasons: string[];
  evidence: Evidence[];
}

function judge(ti: number, m: Matcher, p: Prepared, withReasons: boolean): Verdict {
  const t: Topic = m.topics[ti];
  const used: Hit[] = [];
  if (t.score) for (const o of evalNode(t.score, m, p, undefined).occ) used.push(...o.hits);
  const { conditionsHold, reasons } = checkConditions(t, m, p, used, withReasons);
  const evidence = weigh(t, m, p, used);
  const score = round(evidence.reduce((s, e) => s + e.weight, 0));
  const matched = conditionsHold && score >= t.threshold;
  if (withReasons && conditionsHold && !matched) reasons.push(`score ${score} is below the threshold ${t.threshold}`);
  if (withReasons && t.score) reasons.push(...uncounted(ti, m, p, used));
  return { matched, score, conditionsHold, reasons, evidence };
}

/**
 * Evaluate the topic's conditions. They gate; they add their hits to `used` only in a topic without `terms:`.
 * Without reasons, the first failing condition ends the check.
 */
function checkConditions(t: Topic, m: Matcher, p: Prepared, used: Hit[], withReasons: boolean): { conditionsHold: boolean; reasons: string[] } {
  const reasons: string[] = [];
  let conditionsHold = true;
  if (!t.cond || t.cond.kind === 'term') return { conditionsHold, reasons };
  const f = t.cond.fields ? t.cond.fields.map((x) => FIELDS.indexOf(x)) : undefined;
  for (const c of t.cond.children) {
    const r = evalNode(c, m, p, f);
    if (r.holds) {
      if (!t.score) for (const o of r.occ) used.push(...o.hits);
      continue;
    }
    conditionsHold = false;
    if (!withReasons) break;
    if (c.kind === 'term') continue;
    const path = c.path.replace(/^topics\[\d+\]\./, '');
    if (c.kind === 'none') {
      const blockers = anyOf(c.children, m, p, f).occ.flatMap((o) => o.hits);
      reasons.push(`${path} failed: excluded term${blockers.length > 1 ? 's' : ''} found: ${[...new Set(blockers.map((h) => `"${p.texts[h.field].slice(h.start, h.end)}"`))].join(', ')}`);
    } else reasons.push(`${path} did not hold${c.within !== undefined ? ` (within ${c.within === 'sentence' ? 'one sentence' : `${c.within} words`})` : ''}`);
  }
  return { conditionsHold, reasons };
}

/** The evidence the used hits give, ordered by field and position. */
function weigh(t: Topic, m: Matcher, p: Prepared, used: Hit[]): Evidence[] {
  // One span, one count: where several terms matched the same words (the same name in three language lists, a word
  // that is both a scoring term and part of a group), only the best-weighted counts. Then each term counts once per
  // field. Ties go to the earlier term, so the same term wins at every span it shares.
  const spanBest = new Map<number, Hit>();
  for (const h of used) {
    // Same field and token range = same span (token indices stay far below 2^24 in any field we accept).
    const k = (h.field * 0x1000000 + h.ti) * 0x1000000 + h.tj;
    const o = spanBest.get(k);
    if (!o || m.terms[h.term].weight > m.terms[o.term].weight || (m.terms[h.term].weight === m.terms[o.term].weight && h.term < o.term)) spanBest.set(k, h);
  }
  const seen = new Map<string, Evidence>();
  const firstSent = new Map<string, number>();
  for (const h of spanBest.values()) {
    const term = m.terms[h.term];
    const field = FIELDS[h.field];
    const k = `${h.term}:${h.field}`;
    const full = term.weight * t.fieldWeights[field];
    if (!seen.has(k)) {
      firstSent.set(k, p.toks[h.field].sent[h.ti]);
      seen.set(k, evidenceOf(m, p, h, full));
      continue;
    }
    // Body evidence: a term the body comes back to in another sentence is what the article is about, not a passing
    // mention; its second sentence adds half its weight again (once), so a body that dwells on the topic can pass
    // without a title hit while one mention cannot.
    const k2 = `${k}:again`;
    if (h.field === BODY && term.weight > 0 && p.toks[h.field].sent[h.ti] !== firstSent.get(k) && !seen.has(k2)) {
      seen.set(k2, evidenceOf(m, p, h, full * REPEAT_SHARE));
    }
  }
  return [...seen.values()].sort((a, b) => FIELDS.indexOf(a.field) - FIELDS.indexOf(b.field) || a.start - b.start);
}

function evidenceOf(m: Matcher, p: Prepared, h: Hit, weight: number): Evidence {
  const term = m.terms[h.term];
  return {
    rule: term.path.slice(term.path.indexOf('.') + 1),
    term: term.text,
    field: FIELDS[h.field],
    start: h.start,
    end: h.end,
    matched: p.texts[h.field].slice(h.start, h.end),
    weight: round(weight),
  };
}

/** Scoring terms that occur but did not count: their group failed (proximity, a `none` neighbour, an `all`). */
function uncounted(ti: number, m: Matcher, p: Prepared, used: Hit[]): string[] {
  const out: string[] = [];
  const counted = new Set(used);
  for (const id of p.byTopicTerms.get(ti) ?? []) {
    const term = m.terms[id];
    if (!term.path.includes('.terms')) continue;
    for (const h of p.byTerm.get(id)!) {
      if (counted.has(h)) continue;
      const where = `"${p.texts[h.field].slice(h.start, h.end)}" ${FIELDS[h.field]}[${h.start}..${h.end}] (${term.path.slice(term.path.indexOf('.') + 1)} "${term.text}")`;
      out.push(/\.none[.[]/.test(term.path) ? `excluding term: ${where}` : `not counted: ${where}: its group did not hold`);
    }
  }
  return out;
}

const BODY = FIELDS.indexOf('body');
/** Share of a body term's weight that its occurrence in a second sentence adds. */
export const REPEAT_SHARE = 0.5;

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Topics whose conditions hold and whose score reaches the threshold, with evidence, by score (desc). Pure. */
export function classify(input: ClassifyInput, matcher: Matcher): TopicMatch[] {
  const p = prepare(input, matcher);
  const out: TopicMatch[] = [];
  for (const ti of p.byTopic.keys()) {
    if (upperBound(ti, matcher, p) < matcher.topics[ti].threshold) continue;
    const v = judge(ti, matcher, p, false);
    if (v.matched) out.push({ topicId: matcher.topics[ti].info.id, score: v.score, threshold: matcher.topics[ti].threshold, evidence: v.evidence });
  }
  return out.sort((a, b) => b.score - a.score || (a.topicId < b.topicId ? -1 : 1));
}

/** Like classify, with near-misses and reasons; with topicId, that topic only (even without any hit). */
export function explain(input: ClassifyInput, matcher: Matcher, topicId?: string): ExplainResult {
  const p = prepare(input, matcher);
  const f = fieldsOf(input);
  const ids = topicId !== undefined ? matcher.topics.map((t, i) => (t.info.id === topicId ? i : -1)).filter((i) => i >= 0) : [...p.byTopic.keys()];
  const topics = ids.map((ti): ExplainTopic => {
    const t = matcher.topics[ti];
    const v = judge(ti, matcher, p, true);
    if (!p.byTopic.has(ti)) v.reasons.push('no term of this topic occurs in the text');
    return { topicId: t.info.id, title: t.info.title, threshold: t.threshold, ...v };
  });
  topics.sort((a, b) => Number(b.matched) - Number(a.matched) || b.score - a.score);
  const detected = !input.lang && p.lang ? { detectedLang: p.lang } : {};
  return { ...(input.id !== undefined ? { id: input.id } : {}), ...(input.lang ? { lang: input.lang } : {}), ...detected, fields: f, topics };
}

/** Human-readable rendering of an ExplainResult. */
export function formatExplain(r: ExplainResult): string {
  const lines: string[] = [];
  lines.push(`${r.id ?? '(no id)'}${r.lang ? ` [${r.lang}]` : r.detectedLang ? ` [${r.detectedLang}, detected]` : ''}: ${r.fields.title}`);
  if (r.topics.length === 0) lines.push('  no topic has any term in this text');
  for (const t of r.topics) {
    lines.push(`  ${t.matched ? 'MATCH' : 'no   '} ${t.topicId}  score ${t.score} / threshold ${t.threshold}`);
    for (const e of t.evidence) lines.push(`      +${e.weight}  ${e.field}[${e.start}..${e.end}] "${e.matched}"  ← ${e.rule} "${e.term}"`);
    for (const why of t.reasons) lines.push(`      – ${why}`);
  }
  return lines.join('\n');
}
