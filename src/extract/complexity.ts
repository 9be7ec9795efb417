// The complexity guard: a cheap count of a page's elements and nesting depth, taken on the pre-cut HTML before
// jsdom parses it, so a page built to make the DOM and Readability slow is refused in milliseconds (C1: a 50 KB
// page of nested divs used the whole 15 s extraction budget).
import { tagEnd } from '../markup/tag-end.js';

/** Most elements a page may have (default). The benchmark corpus's largest pre-cut page has far fewer. */
export const DEFAULT_MAX_ELEMENTS = 40_000;
/**
 * Deepest nesting a page may have (default). Browsers' parsers stop nesting at 512 (Blink's kMaximumHTMLParserDOMTreeDepth);
 * real article pages stay under 100.
 */
export const DEFAULT_MAX_DEPTH = 400;

export interface ComplexityLimits {
  maxElements?: number;
  maxDepth?: number;
}

/** Elements that never have children (never pushed). */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen']);
/**
 * Elements whose end tag is optional: the parser closes them implicitly (`<p>a<p>b` is two siblings), so counting
 * them as nesting would overstate the depth of ordinary pages.
 */
const IMPLIED_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'thead', 'tbody', 'tfoot', 'colgroup', 'rb', 'rt', 'rp', 'rtc', 'caption']);

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/g;

/**
 * Refusal reason when `html` is over a limit ("too_complex: 100000 elements over the 40000-element limit"), else
 * undefined. One pass, linear in the text: a stack of open element names approximates the tree (end tags close
 * up to the nearest matching open element, as the HTML parser's "any other end tag" step does), with a per-name
 * count so that an end tag matching nothing costs O(1).
 */
export function complexityRefusal(html: string, limits: ComplexityLimits = {}): string | undefined {
  const maxElements = limits.maxElements ?? DEFAULT_MAX_ELEMENTS;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const stack: string[] = [];
  const open = new Map<string, number>();
  let elements = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const name = m[2].toLowerCase();
    // A tag runs to its `>` (quoted values included), as the parser reads it: `<a <a <a …>` is one element, and
    // a tag that never ends is dropped, with everything after it.
    const end = tagEnd(html, TAG.lastIndex);
    if (end < 0) break;
    TAG.lastIndex = end + 1;
    if (m[1]) {
      if (!open.get(name)) continue;
      for (;;) {
        const top = stack.pop()!;
        open.set(top, open.get(top)! - 1);
        if (top === name) break;
      }
      continue;
    }
    if (++elements > maxElements) return `too_complex: more than ${maxElements} elements`;
    if (VOID.has(name) || IMPLIED_END.has(name)) continue;
    // `<div/>` is not self-closing in HTML, so only the tag name decides.
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (stack.length > maxDepth) return `too_complex: elements nested more than ${maxDepth} deep`;
  }
  return undefined;
}
