// Readers for the parts of topics.yml that hold rules: term sets (lists or language maps), terms, list references
// and groups. Each reports problems into a Ctx (file, line, key) and returns undefined instead of a half-built rule.
import type { LineCounter, Node as YNode, Pair, YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import type { Field } from '../model.js';
import type { GroupDef, ItemDef, TermDef } from './compile.js';
import { FIELDS, type Window } from './rules.js';
import { hasStemmer } from './stem.js';
import { rawAt, tokenize } from './tokenize.js';

const GROUP_OPTS = new Set(['within', 'in', 'weight']);
const TERM_KEYS = new Set(['term', 'weight', 'case', 'stem', 'in']);
/** A language code: 2–3 letters, but not a group keyword. */
export const LANG_RE = /^(?!(?:any|all|in)$)[a-z]{2,3}$/;

/** Raw list entries keyed by list name, validated once, expanded where referenced. */
export interface ListDef {
  items: { node: YNode; lang?: string; key: string }[];
  ok: boolean;
}

export class Ctx {
  issues: ConfigIssue[] = [];
  lists = new Map<string, ListDef>();
  constructor(readonly file: string, readonly lc: LineCounter | undefined) {}
  line(n: YNode | Pair | null | undefined): number | undefined {
    const r = (n as { range?: [number, number, number] } | null | undefined)?.range;
    return r && this.lc ? this.lc.linePos(r[0]).line : undefined;
  }
  issue(n: YNode | Pair | null | undefined, key: string, message: string): void {
    this.issues.push({ file: this.file, line: this.line(n), key, message });
  }
}

export function keyOf(p: Pair): string {
  return isScalar(p.key) ? String(p.key.value) : String(p.key);
}

export function readLists(cx: Ctx, node: YNode): void {
  if (!isMap(node)) return cx.issue(node, 'lists', 'must be a map of name → terms');
  for (const p of node.items) {
    const name = keyOf(p);
    const key = `lists.${name}`;
    const before = cx.issues.length;
    const def: ListDef = { items: [], ok: true };
    const v = p.value as YNode | null;
    forEachEntry(cx, v ?? (p.key as YNode), key, (item, lang, ikey) => {
      if (isScalar(item) && typeof item.value === 'string' && item.value.trim().startsWith('@')) {
        cx.issue(item, ikey, 'a list cannot reference another list');
      } else if (isMap(item) && !item.has('term')) {
        cx.issue(item, ikey, 'a list holds terms only (strings or {term: …}), not groups');
      } else def.items.push({ node: item, lang, key: ikey });
    });
    // Validate the entries once here (topic-independent), so an error is reported at the list, not per use.
    for (const it of def.items) readTermLike(cx, it.node, it.key, { lang: it.lang, stem: false, weight: 1 });
    def.ok = cx.issues.length === before;
    cx.lists.set(name, def);
  }
}

/**
 * Walk a term set: a list of items, or a map of language → list of items. Calls back per item with its language.
 */
function forEachEntry(cx: Ctx, node: YNode | null, key: string, cb: (item: YNode, lang: string | undefined, key: string) => void, lang?: string): void {
  if (isSeq(node)) {
    if (node.items.length === 0) return cx.issue(node, key, 'must be a non-empty list');
    node.items.forEach((it, i) => cb(it as YNode, lang, `${key}[${i}]`));
    return;
  }
  if (isMap(node) && lang === undefined) {
    if (node.items.length === 0) return cx.issue(node, key, 'must be a non-empty list or a map of language → list');
    for (const p of node.items) {
      const l = keyOf(p);
      if (!LANG_RE.test(l)) {
        cx.issue(p.key as YNode, `${key}.${l}`, 'unknown key: expected a language code (en, uk, ru, de, fr, …)');
        continue;
      }
      forEachEntry(cx, (p.value as YNode | null) ?? (p.key as YNode), `${key}.${l}`, cb, l);
    }
    return;
  }
  cx.issue(node, key, lang === undefined ? 'must be a non-empty list (or a map of language → list)' : 'must be a non-empty list');
}

export interface Scope {
  lang?: string;
  stem: boolean;
  weight: number;
}

/** Read a string term or a {term: …} map into a TermDef (undefined after reporting an issue). */
function readTermLike(cx: Ctx, node: YNode, key: string, scope: Scope): TermDef | undefined {
  let text: string;
  let weight = scope.weight;
  let caseExact = false;
  let stem = scope.stem;
  let fields: Field[] | undefined;
  if (isScalar(node)) {
    if (typeof node.value !== 'string' && typeof node.value !== 'number') return void cx.issue(node, key, 'must be a term (a string)');
    text = String(node.value);
  } else if (isMap(node)) {
    for (const p of node.items) if (!TERM_KEYS.has(keyOf(p))) cx.issue(p.key as YNode, `${key}.${keyOf(p)}`, `unknown key (expected one of ${[...TERM_KEYS].join(', ')})`);
    const t = node.get('term', true) as YNode | undefined;
    if (!isScalar(t) || typeof t.value !== 'string') return void cx.issue(t ?? node, `${key}.term`, 'must be a string');
    text = t.value;
    const w = readWeight(cx, node, key);
    if (w === null) return;
    if (w !== undefined) weight = w * scope.weight;
    const c = readBool(cx, node, 'case', key);
    if (c === null) return;
    caseExact = c ?? false;
    const s = readBool(cx, node, 'stem', key);
    if (s === null) return;
    if (s !== undefined) stem = s;
    const f = readFields(cx, node, key);
    if (f === null) return;
    fields = f;
  } else return void cx.issue(node, key, 'must be a term, a {term: …} map, a list reference or a group');
  text = text.trim();
  if (text.startsWith('=')) {
    caseExact = true;
    text = text.slice(1).trim();
  }
  const toks = tokenize(text);
  if (toks.n === 0) return void cx.issue(node, key, `"${text}": has no words`);
  // "word*" makes that word a prefix; a "*" anywhere else is a mistake.
  const prefix = toks.end.map((e) => text[e] === '*');
  let stars = 0;
  let starThenWord = false;
  for (let i = text.indexOf('*'); i >= 0; i = text.indexOf('*', i + 1)) {
    stars++;
    if (i + 1 < text.length && !/\s/.test(text[i + 1])) starThenWord = true;
  }
  if (stars !== prefix.filter(Boolean).length || starThenWord) return void cx.issue(node, key, `"${text}": "*" must directly follow a word (word*)`);
  if (prefix.some((p, i) => p && toks.key[i].length < 3)) return void cx.issue(node, key, `"${text}": a prefix needs at least 3 letters before "*"`);
  if (stem && scope.lang !== undefined && !hasStemmer(scope.lang) && isMap(node) && node.get('stem') === true) {
    return void cx.issue(node, key, `no stemmer for language "${scope.lang}": use a prefix term (word*)`);
  }
  return { text: isScalar(node) ? String(node.value) : text, keys: toks.key, raws: caseExact ? toks.key.map((_, i) => rawAt(toks, i)) : toks.key, prefix, caseExact, stem, lang: scope.lang, weight, fields, path: key };
}

function readWeight(cx: Ctx, m: YAMLMap, key: string): number | undefined | null {
  const w = m.get('weight', true) as YNode | undefined;
  if (w === undefined) return undefined;
  if (!isScalar(w) || typeof w.value !== 'number' || !Number.isFinite(w.value) || w.value === 0) {
    cx.issue(w, `${key}.weight`, 'must be a non-zero number');
    return null;
  }
  return w.value;
}

export function readBool(cx: Ctx, m: YAMLMap, name: string, key: string): boolean | undefined | null {
  const v = m.get(name, true) as YNode | undefined;
  if (v === undefined) return undefined;
  if (!isScalar(v) || typeof v.value !== 'boolean') {
    cx.issue(v, `${key}.${name}`, 'must be true or false');
    return null;
  }
  return v.value;
}

export function readFields(cx: Ctx, m: YAMLMap, key: string): Field[] | undefined | null {
  const v = m.get('in', true) as YNode | undefined;
  if (v === undefined) return undefined;
  const vals = isSeq(v) ? v.items.map((x) => (isScalar(x) ? x.value : x)) : isScalar(v) ? [v.value] : [];
  if (vals.length === 0 || !vals.every((x) => typeof x === 'string' && (FIELDS as string[]).includes(x))) {
    cx.issue(v, `${key}.in`, 'must be a field or list of fields: title, lead, body');
    return null;
  }
  return vals as Field[];
}

export function readWithin(cx: Ctx, m: YAMLMap, key: string): Window | undefined | null {
  const v = m.get('within', true) as YNode | undefined;
  if (v === undefined) return undefined;
  if (isScalar(v) && (v.value === 'sentence' || (typeof v.value === 'number' && Number.isInteger(v.value) && v.value > 0))) return v.value as Window;
  cx.issue(v, `${key}.within`, 'must be a positive number of words or "sentence"');
  return null;
}

/** Read one item of a term set: term, list reference or nested group. */
function readItem(cx: Ctx, node: YNode, key: string, scope: Scope, out: ItemDef[]): void {
  if (isScalar(node) && typeof node.value === 'string' && node.value.trim().startsWith('@')) {
    return expandList(cx, node, node.value.trim().slice(1), key, scope, out);
  }
  if (isMap(node)) {
    if (node.has('list')) {
      const n = node.get('list', true) as YNode;
      for (const p of node.items) if (keyOf(p) !== 'list' && keyOf(p) !== 'weight') cx.issue(p.key as YNode, `${key}.${keyOf(p)}`, 'unknown key (a list reference takes `list` and `weight`)');
      const w = readWeight(cx, node, key);
      if (w === null) return;
      if (!isScalar(n) || typeof n.value !== 'string') return cx.issue(n, `${key}.list`, 'must be a list name');
      return expandList(cx, n, n.value, key, { ...scope, weight: scope.weight * (w ?? 1) }, out);
    }
    // A language map inside a list: `- en: [...]\n  uk: [...]`.
    if (node.items.length > 0 && node.items.every((p) => LANG_RE.test(keyOf(p)))) {
      if (scope.lang !== undefined) return cx.issue(node, key, `a language map inside the "${scope.lang}" list`);
      return forEachEntry(cx, node, key, (item, lang, ikey) => readItem(cx, item, ikey, { ...scope, lang }, out));
    }
    const g = ['any', 'all', 'none'].filter((k) => node.has(k));
    if (g.length > 1) return cx.issue(node, key, `a group has exactly one of any / all / none (found ${g.join(', ')})`);
    if (g.length === 1) {
      const grp = readGroup(cx, node, g[0] as 'any' | 'all' | 'none', key, scope);
      if (grp) out.push(grp);
      return;
    }
  }
  const t = readTermLike(cx, node, key, scope);
  if (t) out.push(t);
}

function expandList(cx: Ctx, node: YNode, name: string, key: string, scope: Scope, out: ItemDef[]): void {
  const def = cx.lists.get(name);
  if (!def) return cx.issue(node, key, `unknown list "@${name}"${cx.lists.size ? ` (defined: ${[...cx.lists.keys()].join(', ')})` : ''}`);
  if (!def.ok) return cx.issue(node, key, `list "@${name}" has errors (see above)`);
  // A reference is one alternative: "any of the list's terms" (so it also works inside `all:`).
  const children: ItemDef[] = [];
  for (const it of def.items) {
    // A list entry keeps its own language; a language-neutral list takes the language of where it is used.
    const t = readTermLike(cx, it.node, key, { ...scope, lang: it.lang ?? scope.lang });
    if (t) children.push({ ...t, path: `${key}(@${name}${it.key.slice(`lists.${name}`.length)})` });
  }
  out.push({ kind: 'any', children, path: key });
}

function readGroup(cx: Ctx, m: YAMLMap, kind: 'any' | 'all' | 'none', key: string, scope: Scope): GroupDef | undefined {
  const gkey = `${key}.${kind}`;
  for (const p of m.items) {
    const k = keyOf(p);
    if (k !== kind && !GROUP_OPTS.has(k)) cx.issue(p.key as YNode, `${key}.${k}`, `unknown key (a group takes ${kind}, ${[...GROUP_OPTS].join(', ')})`);
  }
  const within = readWithin(cx, m, key);
  const fields = readFields(cx, m, key);
  const w = readWeight(cx, m, key);
  if (within === null || fields === null || w === null) return;
  if (within !== undefined && kind !== 'all') return void cx.issue(m.get('within', true) as YNode, `${key}.within`, 'only an `all` group can have a proximity window');
  return readGroupBody(cx, m.get(kind, true) as YNode, kind, gkey, { ...scope, weight: scope.weight * (w ?? 1) }, within, fields);
}

export function readGroupBody(cx: Ctx, body: YNode | undefined, kind: 'any' | 'all' | 'none', key: string, scope: Scope, within?: Window, fields?: Field[]): GroupDef | undefined {
  const children: ItemDef[] = [];
  const before = cx.issues.length;
  forEachEntry(cx, body ?? null, key, (item, lang, ikey) => readItem(cx, item, ikey, { ...scope, lang: lang ?? scope.lang }, children));
  if (cx.issues.length !== before) return;
  return { kind, children, within, fields, path: key };
}

