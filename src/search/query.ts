// The search query language, parsed once and compiled for each database: words (`loan`), prefixes (`sanction*`),
// "quoted phrases", AND (or nothing), OR, NOT / -word, and parentheses. Pure: no store, no I/O.

/** A word or phrase; `prefix` applies to its last word. Words are lower-cased, not yet folded (each engine folds). */
export interface TermNode { kind: 'term'; words: string[]; prefix: boolean }
export interface AndNode { kind: 'and'; items: QueryNode[] }
export interface OrNode { kind: 'or'; items: QueryNode[] }
export interface NotNode { kind: 'not'; item: QueryNode }
export type QueryNode = TermNode | AndNode | OrNode | NotNode;

export class QueryError extends Error {}

/** Bounds on what one query may ask of the index. */
export const MAX_QUERY_CHARS = 500;
export const MAX_QUERY_TERMS = 32;

type Token = { t: 'word'; v: string; prefix: boolean; phrase: boolean } | { t: 'and' | 'or' | 'not' | '(' | ')' };

const WORD = /[\p{L}\p{N}]+/gu;

function lex(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '(' || ch === ')') { out.push({ t: ch }); i++; continue; }
    if (ch === '-' && i + 1 < q.length && !/\s/.test(q[i + 1]) && (i === 0 || /[\s(]/.test(q[i - 1]))) { out.push({ t: 'not' }); i++; continue; }
    if (ch === '"') {
      const end = q.indexOf('"', i + 1);
      const body = q.slice(i + 1, end < 0 ? q.length : end);
      i = end < 0 ? q.length : end + 1;
      const prefix = q[i] === '*';
      if (prefix) i++;
      out.push({ t: 'word', v: body, prefix, phrase: true });
      continue;
    }
    let j = i;
    while (j < q.length && !/[\s()"]/.test(q[j])) j++;
    const raw = q.slice(i, j);
    i = j;
    if (raw === 'AND' || raw === 'OR' || raw === 'NOT') { out.push({ t: raw.toLowerCase() as 'and' | 'or' | 'not' }); continue; }
    out.push({ t: 'word', v: raw.replace(/\*+$/, ''), prefix: /\*$/.test(raw), phrase: false });
  }
  return out;
}

/**
 * Parse a query. Throws QueryError with a message for people when it is empty, too long, unbalanced, or when a
 * NOT does not stand beside a positive term (neither engine can list "everything except").
 */
export function parseQuery(q: string): QueryNode {
  if (q.length > MAX_QUERY_CHARS) throw new QueryError(`search: the query is longer than ${MAX_QUERY_CHARS} characters`);
  const toks = lex(q);
  let pos = 0;
  let terms = 0;
  const peek = () => toks[pos];
  const orExpr = (): QueryNode | undefined => {
    const items: QueryNode[] = [];
    for (;;) {
      const a = andExpr();
      if (a) items.push(a);
      if (peek()?.t !== 'or') break;
      pos++;
    }
    return items.length > 1 ? { kind: 'or', items } : items[0];
  };
  const andExpr = (): QueryNode | undefined => {
    const items: QueryNode[] = [];
    for (let guard = 0; guard < toks.length + 1; guard++) {
      const t = peek();
      if (!t || t.t === 'or' || t.t === ')') break;
      if (t.t === 'and') { pos++; continue; }
      const u = unary();
      if (u) items.push(u);
    }
    return items.length > 1 ? { kind: 'and', items } : items[0];
  };
  const unary = (): QueryNode | undefined => {
    const t = toks[pos++];
    if (t.t === 'not') {
      const u = unary();
      return u ? { kind: 'not', item: u } : undefined;
    }
    if (t.t === '(') {
      const inner = orExpr();
      if (peek()?.t !== ')') throw new QueryError('search: a "(" is not closed');
      pos++;
      return inner;
    }
    if (t.t === 'word') {
      const words = (t.v.toLowerCase().match(WORD) ?? []);
      if (!words.length) return undefined;
      terms += words.length;
      if (terms > MAX_QUERY_TERMS) throw new QueryError(`search: more than ${MAX_QUERY_TERMS} words`);
      return { kind: 'term', words, prefix: t.prefix };
    }
    return undefined; // a stray ")" or operator
  };
  const root = orExpr();
  if (pos < toks.length) throw new QueryError('search: a ")" has no "("');
  if (!root) throw new QueryError('search: the query has no words');
  if (!positive(root)) throw new QueryError(NEEDS_POSITIVE);
  checkNegation(root);
  return root;
}

const NEEDS_POSITIVE = 'search: NOT needs a word beside it to exclude from (e.g. reparations -loan)';

/** True when the node can match a document by itself (it is not a bare negation). */
function positive(n: QueryNode): boolean {
  if (n.kind === 'term') return true;
  if (n.kind === 'not') return false;
  if (n.kind === 'or') return n.items.every(positive);
  return n.items.some(positive);
}

function checkNegation(n: QueryNode): void {
  if (n.kind === 'term') return;
  if (n.kind === 'not') {
    if (!positive(n.item)) throw new QueryError('search: NOT of a NOT is not supported');
    return checkNegation(n.item);
  }
  if (!positive(n)) throw new QueryError(NEEDS_POSITIVE);
  n.items.forEach(checkNegation);
}

/** The positive terms (for highlighting): words not under a NOT. */
export function positiveTerms(n: QueryNode): TermNode[] {
  if (n.kind === 'term') return [n];
  if (n.kind === 'not') return [];
  return n.items.flatMap(positiveTerms);
}

/** SQLite FTS5 MATCH expression. FTS5's NOT is binary (`a NOT b`), so an AND's negations follow its positives. */
export function toFts5(n: QueryNode): string {
  switch (n.kind) {
    case 'term':
      return `"${n.words.join(' ').replace(/"/g, '""')}"${n.prefix ? ' *' : ''}`;
    case 'or':
      return `(${n.items.map(toFts5).join(' OR ')})`;
    case 'not':
      return toFts5(n.item); // only reached inside an AND, below
    case 'and': {
      const pos = n.items.filter((i) => i.kind !== 'not').map(toFts5);
      const neg = n.items.filter((i): i is NotNode => i.kind === 'not').map((i) => ` NOT ${toFts5(i.item)}`);
      return `(${pos.join(' AND ')}${neg.join('')})`;
    }
  }
}

/** PostgreSQL to_tsquery text (fold it with the same function as the index). */
export function toTsquery(n: QueryNode): string {
  switch (n.kind) {
    case 'term': {
      const ws = n.words.map((w, i) => `'${w.replace(/'/g, "''")}'${n.prefix && i === n.words.length - 1 ? ':*' : ''}`);
      return ws.length > 1 ? `(${ws.join(' <-> ')})` : ws[0];
    }
    case 'or':
      return `(${n.items.map(toTsquery).join(' | ')})`;
    case 'not':
      return `!${toTsquery(n.item)}`;
    case 'and':
      return `(${n.items.map(toTsquery).join(' & ')})`;
  }
}
