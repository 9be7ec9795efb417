// Result snippets: a window of the article text around the first query hit, with every hit's range, found the way
// the index finds words (whole words, case and diacritics folded, prefixes). Pure; the renderers escape.
import { escapeHtml } from '../digest/escape.js';
import { textWindow } from '../digest/highlight.js';
import type { TermNode } from './query.js';

export interface Snippet {
  text: string;
  /** [start, end) ranges of hits in `text`, ascending, non-overlapping. */
  highlights: [number, number][];
}

export const SNIPPET_CHARS = 240;

/** Folded text and, for every folded position, the original index it came from. */
function fold(s: string): { folded: string; at: number[] } {
  let folded = '';
  const at: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const f = s[i].normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let k = 0; k < f.length; k++) at.push(i);
    folded += f;
  }
  at.push(s.length);
  return { folded, at };
}

const foldWord = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const isWordChar = (c: string | undefined) => !!c && /[\p{L}\p{N}]/u.test(c);

/** Ranges of `text` where a query word occurs as a whole word (or as the start of one, for a prefix term). */
export function findHits(text: string, terms: TermNode[]): [number, number][] {
  const { folded, at } = fold(text);
  const ranges: [number, number][] = [];
  for (const t of terms) {
    t.words.forEach((w, i) => {
      const fw = foldWord(w);
      const prefix = t.prefix && i === t.words.length - 1;
      if (!fw) return;
      for (let from = 0, n = 0; n < 1000; n++) {
        const k = folded.indexOf(fw, from);
        if (k < 0) break;
        from = k + 1;
        if (isWordChar(folded[k - 1])) continue;
        let end = k + fw.length;
        if (prefix) while (isWordChar(folded[end])) end++;
        else if (isWordChar(folded[end])) continue;
        ranges.push([at[k], at[end] ?? text.length]);
      }
    });
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** A window of about SNIPPET_CHARS around the first hit (the text's start when nothing hits), cut at spaces. */
export function makeSnippet(text: string, terms: TermNode[], size = SNIPPET_CHARS): Snippet {
  const flat = text.replace(/\s+/g, ' ').trim();
  const hits = findHits(flat, terms);
  let start = hits.length ? Math.max(0, hits[0][0] - Math.floor(size / 3)) : 0;
  if (start > 0) {
    const sp = flat.indexOf(' ', start);
    start = sp >= 0 && sp < hits[0][0] ? sp + 1 : start;
  }
  const { end, lead, body, tail } = textWindow(flat, start, size);
  const highlights = hits
    .filter(([a, b]) => a >= start && b <= end)
    .map(([a, b]) => [a - start + lead.length, b - start + lead.length] as [number, number]);
  return { text: lead + body + tail, highlights };
}

/** The snippet as HTML: every piece escaped, hits in <mark>. */
export function snippetHtml(s: Snippet, markStyle = 'background:#fef08a;color:inherit;padding:0 1px;'): string {
  let out = '';
  let at = 0;
  for (const [a, b] of s.highlights) {
    out += `${escapeHtml(s.text.slice(at, a))}<mark style="${markStyle}">${escapeHtml(s.text.slice(a, b))}</mark>`;
    at = b;
  }
  return out + escapeHtml(s.text.slice(at));
}

/** The snippet as plain text for a terminal, hits between « and ». */
export function snippetText(s: Snippet): string {
  let out = '';
  let at = 0;
  for (const [a, b] of s.highlights) {
    out += `${s.text.slice(at, a)}«${s.text.slice(a, b)}»`;
    at = b;
  }
  return out + s.text.slice(at);
}
