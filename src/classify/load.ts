// loadTopics(yaml, file): parse and validate config/topics.yml and compile every valid topic into one Matcher.
// Never throws on a bad rule: each problem becomes a ConfigIssue with file, line and key, all reported at once;
// a topic with any issue is left out whole (never half-loaded, never silently empty). Syntax: README, "Topics".
import { isMap, isScalar, isSeq, type Node as YNode } from 'yaml';
import { parseYaml } from '../yaml/source.js';
import { plainYamlRoot } from '../yaml/plain.js';
import type { ConfigIssue } from '../errors.js';
import type { Field } from '../model.js';
import { compile, type GroupDef, type TopicDef } from './compile.js';
import { Ctx, keyOf, readBool, readFields, readGroupBody, readLists, readWithin, type Scope } from './read-terms.js';
import { DEFAULT_FIELD_WEIGHTS, FIELDS, type Example, type Matcher, type TopicInfo } from './rules.js';

export type { Matcher, TopicInfo } from './rules.js';

export interface LoadedTopics {
  matcher: Matcher;
  /** The topic definitions, in file order (their compiled form is `matcher`). */
  list: TopicInfo[];
  issues: ConfigIssue[];
}

const TOPIC_KEYS = new Set([
  'id', 'title', 'description', 'threshold', 'stem', 'fields', 'terms', 'any', 'all', 'none', 'within', 'in', 'examples',
]);
const ID_RE = /^[a-z0-9][a-z0-9-]*$/;

/** Parse, validate and compile topics. See the file header for the error contract. */
export function loadTopics(yamlText: string, file: string): LoadedTopics {
  // Plain text is read fast and accepted only when it has no problem; otherwise `yaml` reads it again with
  // positions (yaml/plain.ts says why and what was measured), so every issue carries its line.
  const fast = plainYamlRoot(yamlText);
  if (fast !== undefined) {
    const cx = new Ctx(file, undefined);
    const defs = readRoot(cx, fast);
    if (cx.issues.length === 0) return done(defs, []);
  }
  const { source, issues } = parseYaml(yamlText, file);
  if (!source) return done([], issues);
  const cx = new Ctx(file, source.lineCounter);
  const defs = readRoot(cx, source.doc.contents);
  return done(defs, cx.issues);
}

function done(defs: TopicDef[], issues: ConfigIssue[]): LoadedTopics {
  const matcher = compile(defs);
  return { matcher, list: matcher.topics.map((t) => t.info), issues };
}

function readRoot(cx: Ctx, root: YNode | null | undefined): TopicDef[] {
  const defs: TopicDef[] = [];
  if (!isMap(root)) {
    cx.issue(root, '(root)', 'must be a map with a `topics:` list');
    return defs;
  }
  for (const p of root.items) {
    const k = keyOf(p);
    if (k !== 'topics' && k !== 'lists') cx.issue(p.key as YNode, k, 'unknown key (expected `topics` or `lists`)');
  }
  const lists = root.get('lists', true) as YNode | undefined;
  if (lists !== undefined) readLists(cx, lists);
  const topics = root.get('topics', true) as YNode | undefined;
  if (topics === undefined) cx.issue(root, 'topics', 'is required (a list of topics)');
  else if (!isSeq(topics) || topics.items.length === 0) cx.issue(topics, 'topics', 'must be a non-empty list');
  else {
    const seen = new Map<string, string>();
    topics.items.forEach((t, i) => {
      const before = cx.issues.length;
      const def = readTopic(cx, t as YNode, `topics[${i}]`);
      if (def && seen.has(def.info.id)) cx.issue(t as YNode, `topics[${i}].id`, `duplicate id "${def.info.id}" (also ${seen.get(def.info.id)})`);
      if (def) seen.set(def.info.id, `topics[${i}]`);
      if (def && cx.issues.length === before) defs.push(def);
    });
  }
  return defs;
}

function readTopic(cx: Ctx, node: YNode, key: string): TopicDef | undefined {
  if (!isMap(node)) return void cx.issue(node, key, 'must be a map with id, title and rules');
  for (const p of node.items) {
    const k = keyOf(p);
    if (!TOPIC_KEYS.has(k)) cx.issue(p.key as YNode, `${key}.${k}`, `unknown key (expected one of ${[...TOPIC_KEYS].join(', ')})`);
  }
  const idN = node.get('id', true) as YNode | undefined;
  let id = '';
  if (!isScalar(idN) || typeof idN.value !== 'string' || !ID_RE.test(idN.value)) {
    cx.issue(idN ?? node, `${key}.id`, idN ? 'must be lower-case letters, digits and "-"' : 'is required');
  } else id = idN.value;
  const str = (name: string): string | undefined => {
    const v = node.get(name, true) as YNode | undefined;
    if (v === undefined) return undefined;
    if (!isScalar(v) || typeof v.value !== 'string' || !v.value.trim()) return void cx.issue(v, `${key}.${name}`, 'must be a non-empty string');
    return v.value.trim();
  };
  const title = str('title') ?? id;
  const description = str('description');
  let threshold = 1;
  const th = node.get('threshold', true) as YNode | undefined;
  if (th !== undefined) {
    if (!isScalar(th) || typeof th.value !== 'number' || !(th.value > 0)) cx.issue(th, `${key}.threshold`, 'must be a positive number');
    else threshold = th.value;
  }
  const stem = readBool(cx, node, 'stem', key) ?? false;
  const fieldWeights = { ...DEFAULT_FIELD_WEIGHTS };
  const fw = node.get('fields', true) as YNode | undefined;
  if (fw !== undefined) {
    if (!isMap(fw)) cx.issue(fw, `${key}.fields`, 'must be a map of field → weight (title, lead, body)');
    else
      for (const p of fw.items) {
        const f = keyOf(p);
        const v = p.value as YNode | null;
        if (!(FIELDS as string[]).includes(f)) cx.issue(p.key as YNode, `${key}.fields.${f}`, 'unknown field (expected title, lead, body)');
        else if (!isScalar(v) || typeof v.value !== 'number' || v.value < 0) cx.issue(v ?? (p.key as YNode), `${key}.fields.${f}`, 'must be a number ≥ 0');
        else fieldWeights[f as Field] = v.value;
      }
  }
  const scope: Scope = { stem, weight: 1 };
  const termsN = node.get('terms', true) as YNode | undefined;
  const score = termsN !== undefined ? readGroupBody(cx, termsN, 'any', `${key}.terms`, scope) : undefined;
  const conds: GroupDef[] = [];
  const within = readWithin(cx, node, key);
  const fields = readFields(cx, node, key);
  for (const kind of ['any', 'all', 'none'] as const) {
    const n = node.get(kind, true) as YNode | undefined;
    if (n === undefined) continue;
    const g = readGroupBody(cx, n, kind, `${key}.${kind}`, scope, kind === 'all' ? within ?? undefined : undefined);
    if (g) conds.push(g);
  }
  if (within != null && !node.has('all')) cx.issue(node.get('within', true) as YNode, `${key}.within`, 'applies to the topic\'s `all:` group, which is missing');
  if (termsN === undefined && !node.has('any') && !node.has('all')) cx.issue(node, key, 'has no rules: give `terms:`, `any:` or `all:`');
  const examples = readExamples(cx, node.get('examples', true) as YNode | undefined, `${key}.examples`);
  if (!id) return;
  return {
    info: { id, title, ...(description ? { description } : {}) },
    threshold,
    fieldWeights,
    score,
    cond: conds.length ? { kind: 'all', children: conds, fields: fields ?? undefined, path: '' } : undefined,
    examples,
  };
}

function readExamples(cx: Ctx, node: YNode | undefined, key: string): { match: Example[]; noMatch: Example[] } {
  const out = { match: [] as Example[], noMatch: [] as Example[] };
  if (node === undefined) return out;
  if (!isMap(node)) return cx.issue(node, key, 'must be a map with `match:` and/or `no_match:` lists'), out;
  for (const p of node.items) {
    const k = keyOf(p);
    if (k !== 'match' && k !== 'no_match') {
      cx.issue(p.key as YNode, `${key}.${k}`, 'unknown key (expected match, no_match)');
      continue;
    }
    const list = p.value as YNode | null;
    if (!isSeq(list)) {
      cx.issue(list ?? (p.key as YNode), `${key}.${k}`, 'must be a list of examples');
      continue;
    }
    list.items.forEach((it, i) => {
      const ex = readExample(it as YNode);
      if (ex) (k === 'match' ? out.match : out.noMatch).push(ex);
      else cx.issue(it as YNode, `${key}.${k}[${i}]`, 'must be a headline string or {title, text?, lang?}');
    });
  }
  return out;
}

function readExample(n: YNode): Example | undefined {
  if (isScalar(n) && typeof n.value === 'string') return { title: n.value, text: '' };
  if (!isMap(n)) return;
  const j = n.toJSON() as Record<string, unknown>;
  if (typeof j.title !== 'string') return;
  if (j.text !== undefined && typeof j.text !== 'string') return;
  if (j.lang !== undefined && typeof j.lang !== 'string') return;
  return { title: j.title, text: (j.text as string | undefined) ?? '', ...(j.lang ? { lang: j.lang as string } : {}) };
}
