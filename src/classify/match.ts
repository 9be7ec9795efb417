// findHits: one pass over a field's tokens against the Matcher's index; returns every term occurrence.
// Per token: one hash lookup for the whole word, one per stemmer language in play, one trie walk for prefixes;
// candidate phrases are extended token by token only after their first token hit.
import type { Matcher, TokPat } from './rules.js';
import { langsForScript, stem, type StemLang } from './stem.js';
import { rawAt, scriptOf, type Tokens } from './tokenize.js';

/** One occurrence of a term in a field: token range [ti, tj] and text offsets [start, end). */
export interface Hit {
  term: number;
  field: number;
  ti: number;
  tj: number;
  start: number;
  end: number;
}

function stemPlan(m: Matcher, lang: string): StemLang[] {
  let p = m.stemPlan.get(lang);
  if (p) return p;
  if (lang === '') p = [...m.stemLangs];
  else {
    const s = new Set<StemLang>();
    for (const t of m.topics) {
      if (t.langs.has(lang)) {
        if (t.stemLangs.has(lang as StemLang)) s.add(lang as StemLang);
      } else for (const l of t.stemLangs) s.add(l);
    }
    p = [...s];
  }
  m.stemPlan.set(lang, p);
  return p;
}

function patMatches(p: TokPat, toks: Tokens, j: number): boolean {
  const key = toks.key[j];
  if (p.kind === 0) {
    if (key !== p.key) return false;
  } else if (p.kind === 2) {
    if (!key.startsWith(p.key)) return false;
  } else if (stem(p.lang!, key) !== p.key) return false;
  if (p.raw !== undefined) return p.kind === 2 ? rawAt(toks, j).startsWith(p.raw) : rawAt(toks, j) === p.raw;
  return true;
}

const NONE: number[] = [];
const CACHE_MAX = 200_000;

/** Ids of the terms (applicable to `lang`) whose first token matches the token: whole word, stem or prefix. */
function firstTokenTerms(m: Matcher, key: string, script: number, lang: string, stems: [StemLang, Map<string, number[]>][]): number[] {
  let out: number[] | undefined;
  const add = (ids: number[]) => {
    for (const id of ids) {
      const t = m.terms[id];
      if (t.lang !== undefined && lang !== '' && t.lang !== lang && m.topics[t.topic].langs.has(lang)) continue;
      (out ??= []).push(id);
    }
  };
  const ex = m.exact.get(key);
  if (ex) add(ex);
  for (const [l, sm] of stems) {
    if (!langsForScript(script).includes(l)) continue;
    const st = sm.get(stem(l, key));
    if (st) add(st);
  }
  let node = m.prefix.next.get(key.charCodeAt(0));
  for (let k = 1; node; k++) {
    if (node.terms) add(node.terms);
    if (k >= key.length) break;
    node = node.next.get(key.charCodeAt(k));
  }
  return out ?? NONE;
}

export function findHits(m: Matcher, toks: Tokens, field: number, lang: string, out: Hit[]): void {
  const plan = stemPlan(m, lang);
  const stems: [StemLang, Map<string, number[]>][] = [];
  for (const l of plan) {
    const sm = m.stem.get(l);
    if (sm) stems.push([l, sm]);
  }
  let cache = m.firstTokenCache.get(lang);
  if (!cache) m.firstTokenCache.set(lang, (cache = new Map()));
  const n = toks.n;
  for (let i = 0; i < n; i++) {
    const key = toks.key[i];
    let ids = cache.get(key);
    if (ids === undefined) {
      // A token's script decides its stemmers; a key is Latin or Cyrillic whatever text it came from.
      ids = firstTokenTerms(m, key, scriptOf(key), lang, stems);
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(key, ids);
    }
    for (let c = 0; c < ids.length; c++) {
      const id = ids[c];
      const pats = m.terms[id].pats;
      if (i + pats.length > n) continue;
      if (pats[0].raw !== undefined && !patMatches(pats[0], toks, i)) continue;
      let ok = true;
      for (let k = 1; k < pats.length && ok; k++) ok = patMatches(pats[k], toks, i + k);
      if (!ok) continue;
      const tj = i + pats.length - 1;
      out.push({ term: id, field, ti: i, tj, start: toks.start[i], end: toks.end[tj] });
    }
  }
}
