// Evaluation of a topic's rule tree over the hits of one text: any / all / none, fields, proximity windows.
// Pure; used by classify.ts.
import type { Hit } from './match.js';
import type { Matcher, Node, Window } from './rules.js';
import { FIELDS } from './rules.js';
import type { Tokens } from './tokenize.js';

/** What the evaluation reads: the tokens of each field and the hits of each term. */
export interface HitIndex {
  toks: Tokens[];
  byTerm: Map<number, Hit[]>;
}

/** Where a rule holds: a span of tokens in one field, and the hits that make it. */
export interface Occ {
  field: number;
  s: number;
  e: number;
  sentS: number;
  sentE: number;
  hits: Hit[];
}

export interface Res {
  holds: boolean;
  occ: Occ[];
}

function near(a: Occ, b: Occ, w: Window): boolean {
  if (a.field !== b.field) return false;
  if (w === 'sentence') return a.sentS <= b.sentE && b.sentS <= a.sentE;
  return gap(a, b) <= w;
}

/** Words between two occurrences (0 = adjacent or overlapping). */
function gap(a: Occ, b: Occ): number {
  return Math.max(0, b.s - a.e - 1, a.s - b.e - 1);
}

export function evalNode(n: Node, m: Matcher, p: HitIndex, fields: number[] | undefined): Res {
  if (n.kind === 'term') {
    const t = m.terms[n.term];
    const hs = p.byTerm.get(n.term);
    if (!hs) return { holds: false, occ: [] };
    const occ: Occ[] = [];
    for (const h of hs) {
      if (fields && !fields.includes(h.field)) continue;
      if (t.fields && !t.fields.includes(FIELDS[h.field])) continue;
      const sent = p.toks[h.field].sent;
      occ.push({ field: h.field, s: h.ti, e: h.tj, sentS: sent[h.ti], sentE: sent[h.tj], hits: [h] });
    }
    return { holds: occ.length > 0, occ };
  }
  const f = n.fields ? n.fields.map((x) => FIELDS.indexOf(x)).filter((x) => !fields || fields.includes(x)) : fields;
  if (n.kind === 'none') {
    const r = anyOf(n.children, m, p, f);
    return { holds: !r.holds, occ: [] };
  }
  if (n.kind === 'any') return anyOf(n.children, m, p, f);
  if (n.within === undefined) {
    const rs = n.children.map((c) => evalNode(c, m, p, f));
    return { holds: rs.every((r) => r.holds), occ: rs.flatMap((r) => r.occ) };
  }
  return windowed(n.children, n.within, m, p, f);
}

export function anyOf(children: Node[], m: Matcher, p: HitIndex, f: number[] | undefined): Res {
  const occ: Occ[] = [];
  let holds = false;
  for (const c of children) {
    const r = evalNode(c, m, p, f);
    if (r.holds) {
      holds = true;
      for (const o of r.occ) occ.push(o);
    }
  }
  return { holds, occ };
}

/** `all` with a proximity window: every positive part within the window of one occurrence of the rarest part, and
 *  no `none` part inside that window. */
function windowed(children: Node[], w: Window, m: Matcher, p: HitIndex, f: number[] | undefined): Res {
  const pos: Occ[][] = [];
  const neg: Occ[] = [];
  for (const c of children) {
    if (c.kind === 'none') neg.push(...anyOf(c.children, m, p, c.fields ? c.fields.map((x) => FIELDS.indexOf(x)) : f).occ);
    else {
      const r = evalNode(c, m, p, f);
      if (!r.holds || r.occ.length === 0) return { holds: false, occ: [] };
      pos.push(r.occ);
    }
  }
  if (pos.length === 0) return { holds: neg.length === 0, occ: [] };
  let ai = 0;
  pos.forEach((o, i) => {
    if (o.length < pos[ai].length) ai = i;
  });
  const out: Occ[] = [];
  for (const a of pos[ai]) {
    const parts: Occ[] = [a];
    let ok = true;
    for (let i = 0; i < pos.length && ok; i++) {
      if (i === ai) continue;
      let best: Occ | undefined;
      for (const b of pos[i]) if (near(a, b, w) && (!best || gap(a, b) < gap(a, best))) best = b;
      if (best) parts.push(best);
      else ok = false;
    }
    if (!ok) continue;
    const s = Math.min(...parts.map((x) => x.s));
    const e = Math.max(...parts.map((x) => x.e));
    const span: Occ = { field: a.field, s, e, sentS: Math.min(...parts.map((x) => x.sentS)), sentE: Math.max(...parts.map((x) => x.sentE)), hits: parts.flatMap((x) => x.hits) };
    if (neg.some((x) => near(span, x, w))) continue;
    out.push(span);
  }
  return { holds: out.length > 0, occ: out };
}

