// Snippets with the matched terms marked. Ranges are computed on plain text; renderers escape the text and wrap
// the ranges, so no markup from an article ever reaches the output.
import type { Evidence } from '../model.js';
import type { Snippet } from './types.js';

const SNIPPET_CHARS = 280;

/** The distinct matched strings of the evidence, longest first (so "Kyiv Oblast" wins over "Kyiv"). */
function needles(evidence: Evidence[]): string[] {
  const set = new Set<string>();
  for (const e of evidence) {
    for (const s of [e.matched, e.term]) {
      const t = s?.trim();
      if (t && t.length >= 2) set.add(t.toLocaleLowerCase());
    }
  }
  return [...set].sort((a, b) => b.length - a.length);
}

/** Non-overlapping [start, end) ranges of the needles in `text`, case-insensitive, sorted. */
export function findHighlights(text: string, evidence: Evidence[]): [number, number][] {
  const hay = text.toLocaleLowerCase();
  // toLocaleLowerCase can change lengths for a few characters; fall back to no highlights then.
  if (hay.length !== text.length) return [];
  const taken: [number, number][] = [];
  for (const n of needles(evidence)) {
    let from = 0;
    for (;;) {
      const i = hay.indexOf(n, from);
      if (i < 0) break;
      const r: [number, number] = [i, i + n.length];
      if (!taken.some(([s, e]) => r[0] < e && s < r[1]) && isWordEdge(hay, r[0], r[1])) taken.push(r);
      from = i + 1;
    }
  }
  return taken.sort((a, b) => a[0] - b[0]);
}

function isWordEdge(s: string, start: number, end: number): boolean {
  const w = /[\p{L}\p{N}]/u;
  return !(start > 0 && w.test(s[start - 1]) && w.test(s[start])) && !(end < s.length && w.test(s[end]) && w.test(s[end - 1]));
}

/**
 * A short excerpt of the article text around its first matched term (or its beginning), cut at word
 * boundaries, with highlight ranges into the excerpt.
 */
export function makeSnippet(text: string, evidence: Evidence[], max = SNIPPET_CHARS): Snippet {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return { text: '', highlights: [] };
  const all = findHighlights(clean, evidence);
  let start = 0;
  // Start at the beginning when the first match already shows there; else a little before the first match.
  if (all.length && all[0][1] > max * 0.75) {
    start = clean.lastIndexOf(' ', all[0][0] - Math.floor(max / 4));
    start = start < 0 ? 0 : start + 1;
  }
  const w = textWindow(clean, start, max);
  const highlights = findHighlights(w.body, evidence).map(([s, e]) => [s + w.lead.length, e + w.lead.length] as [number, number]);
  return { text: w.lead + w.body + w.tail, highlights };
}

/**
 * About `max` characters of `text` from `start`, ended at a space when one falls in the second half; `lead` and
 * `tail` are the ellipses to show where the window cuts the text. (The search page's snippets use it too.)
 */
export function textWindow(text: string, start: number, max: number): { end: number; lead: string; body: string; tail: string } {
  let end = Math.min(text.length, start + max);
  if (end < text.length) {
    const sp = text.lastIndexOf(' ', end);
    if (sp > start + max / 2) end = sp;
  }
  return { end, lead: start > 0 ? '… ' : '', body: text.slice(start, end), tail: end < text.length ? ' …' : '' };
}
