// The compiled rule model: what load.ts produces and match.ts / classify.ts read. Types only.
import type { Field } from '../model.js';
import type { StemLang } from './stem.js';

/** How one token of a term is compared with a token of the text. */
export interface TokPat {
  /** 0 = whole word (folded key), 1 = stem (light stemmer of `lang`), 2 = prefix (`word*`). */
  kind: 0 | 1 | 2;
  /** Folded key, stem, or folded prefix. */
  key: string;
  /** Case-exact terms: the exact form (or exact prefix). */
  raw?: string;
  lang?: StemLang;
}

/** One term of one topic (the same words in two topics are two terms sharing index keys). */
export interface Term {
  topic: number;
  /** Rule path inside the topic, e.g. "terms.en[3]" or "all[0].any.uk[2]". */
  path: string;
  /** The term as written in topics.yml. */
  text: string;
  weight: number;
  /** Language list it came from; undefined = applies to every language. */
  lang?: string;
  caseExact: boolean;
  pats: TokPat[];
  /** Fields the term may match in (undefined = all). */
  fields?: Field[];
}

export type Window = number | 'sentence';

export type Node =
  | { kind: 'term'; term: number }
  | { kind: 'any' | 'all' | 'none'; children: Node[]; within?: Window; fields?: Field[]; weight: number; path: string };

export interface TopicInfo {
  id: string;
  title: string;
  description?: string;
}

export interface Example {
  title: string;
  text: string;
  lang?: string;
}

export interface Topic {
  info: TopicInfo;
  threshold: number;
  fieldWeights: Record<Field, number>;
  /** Scoring terms (`terms:`): add to the score, not required to hold. */
  score?: Node;
  /** Conditions (`any:` / `all:` / `none:` at topic level): must all hold. */
  cond?: Node;
  /** Languages that have their own term lists in this topic. */
  langs: Set<string>;
  /** Stemmer languages used by this topic's terms. */
  stemLangs: Set<StemLang>;
  examples: { match: Example[]; noMatch: Example[] };
}

export interface TrieNode {
  next: Map<number, TrieNode>;
  terms?: number[];
}

/** All topics compiled into one index: tokenise once, look each token up once. Opaque to callers. */
export interface Matcher {
  topics: Topic[];
  terms: Term[];
  /** Folded whole word (first token of a term) → term ids. */
  exact: Map<string, number[]>;
  /** Per stemmer language: stem of the first token → term ids. */
  stem: Map<StemLang, Map<string, number[]>>;
  /** Prefix terms (first token), as a trie over char codes. */
  prefix: TrieNode;
  stemLangs: Set<StemLang>;
  /** Memo: stemmer languages to run for an article language ("" = unknown). */
  stemPlan: Map<string, StemLang[]>;
  /** Memo per article language: folded token → ids of the terms whose first token it matches (word frequencies are
   *  Zipfian, so most tokens of a text are answered by one lookup here). Bounded; emptied when full. */
  firstTokenCache: Map<string, Map<string, number[]>>;
}

export const FIELDS: readonly Field[] = ['title', 'lead', 'body'];
export const DEFAULT_FIELD_WEIGHTS: Record<Field, number> = { title: 3, lead: 2, body: 1 };
