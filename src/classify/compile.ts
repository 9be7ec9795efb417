// compile(defs): validated topic definitions → one Matcher. Every term of every topic goes into one index keyed
// by its first token (whole word → hash, stem → hash, prefix → trie); later tokens of a phrase are checked only
// after the first one hit, so the cost per text token does not grow with the number of topics.
import type { Field } from '../model.js';
import type { Example, Matcher, Node, Term, TokPat, Topic, TopicInfo, TrieNode, Window } from './rules.js';
import { hasStemmer, langsForScript, stem, type StemLang } from './stem.js';
import { scriptOf } from './tokenize.js';

export interface TermDef {
  text: string;
  /** Folded keys and exact forms of the term's tokens. */
  keys: string[];
  raws: string[];
  /** Per token: is it a prefix (`word*`)? */
  prefix: boolean[];
  caseExact: boolean;
  stem: boolean;
  lang?: string;
  weight: number;
  fields?: Field[];
  path: string;
}

export interface GroupDef {
  kind: 'any' | 'all' | 'none';
  children: ItemDef[];
  within?: Window;
  fields?: Field[];
  path: string;
}

export type ItemDef = TermDef | GroupDef;

export interface TopicDef {
  info: TopicInfo;
  threshold: number;
  fieldWeights: Record<Field, number>;
  score?: GroupDef;
  cond?: GroupDef;
  examples: { match: Example[]; noMatch: Example[] };
}

function isGroup(d: ItemDef): d is GroupDef {
  return (d as GroupDef).kind !== undefined;
}

export function compile(defs: TopicDef[]): Matcher {
  const m: Matcher = {
    topics: [], terms: [], exact: new Map(), stem: new Map(), prefix: { next: new Map() }, stemLangs: new Set(), stemPlan: new Map(), firstTokenCache: new Map(),
  };
  for (const d of defs) {
    const ti = m.topics.length;
    const topic: Topic = {
      info: d.info, threshold: d.threshold, fieldWeights: d.fieldWeights, langs: new Set(), stemLangs: new Set(), examples: d.examples,
    };
    m.topics.push(topic);
    const build = (g: GroupDef): Node => ({
      kind: g.kind,
      within: g.within,
      fields: g.fields,
      weight: 1,
      path: g.path,
      children: g.children.map((c) => (isGroup(c) ? build(c) : { kind: 'term' as const, term: addTerm(m, topic, ti, c) })),
    });
    if (d.score) topic.score = build(d.score);
    if (d.cond) topic.cond = build(d.cond);
  }
  return m;
}

function addTerm(m: Matcher, topic: Topic, ti: number, d: TermDef): number {
  const id = m.terms.length;
  const sl: StemLang | undefined = d.stem && !d.caseExact && d.lang !== undefined && hasStemmer(d.lang) ? d.lang : undefined;
  const pats: TokPat[] = d.keys.map((key, i) => {
    const raw = d.caseExact ? d.raws[i] : undefined;
    if (d.prefix[i]) return { kind: 2, key, raw };
    // A Latin word in a Cyrillic language's list (or the reverse) is matched whole: the text's token would be
    // stemmed by the stemmers of its own script, never by this one.
    if (sl && langsForScript(scriptOf(key)).includes(sl)) return { kind: 1, key: stem(sl, key), lang: sl };
    return { kind: 0, key, raw };
  });
  const term: Term = { topic: ti, path: d.path, text: d.text, weight: d.weight, lang: d.lang, caseExact: d.caseExact, pats, fields: d.fields };
  m.terms.push(term);
  if (d.lang) topic.langs.add(d.lang);
  if (sl) {
    topic.stemLangs.add(sl);
    m.stemLangs.add(sl);
  }
  const p0 = pats[0];
  if (p0.kind === 2) {
    let n: TrieNode = m.prefix;
    for (let i = 0; i < p0.key.length; i++) {
      const c = p0.key.charCodeAt(i);
      let nx = n.next.get(c);
      if (!nx) n.next.set(c, (nx = { next: new Map() }));
      n = nx;
    }
    (n.terms ??= []).push(id);
  } else {
    let map = m.exact;
    if (p0.kind === 1) {
      const sm = m.stem.get(p0.lang!);
      if (sm) map = sm;
      else m.stem.set(p0.lang!, (map = new Map()));
    }
    const list = map.get(p0.key);
    if (list) list.push(id);
    else map.set(p0.key, [id]);
  }
  return id;
}
