// Cutting elements out of raw HTML before jsdom parses it: scripts, styles, iframes and other inert or
// nested-window content cost jsdom most of its time and never contribute article text (data README: same text,
// ~5× less parse time per 100 KB). JSON-LD blocks are kept aside on the way, since they are metadata.
import { tagEnd } from '../markup/tag-end.js';

/**
 * Elements whose whole subtree is cut. nav/aside/footer never hold the article body (Readability drops them too;
 * cutting first is faster, dev-split F1 unchanged). <form> is kept: some sites wrap the whole page in one.
 */
const CUT = ['nav', 'aside', 'footer', 'script', 'style', 'noscript', 'iframe', 'frameset', 'template', 'svg', 'math', 'object', 'embed', 'canvas', 'select', 'textarea', 'button', 'video', 'audio', 'map'];
const VOID_CUT = ['link', 'input', 'source', 'track', 'param', 'base'];

// Only the start of a tag: where it ends is found by tagEnd/nextGt, never by a `[^>]*>` that a page full of
// unterminated tags would rescan to the end from every start (C1: `'<nav '` × 20,000 took 1.4 s).
const OPEN = new RegExp(`<(${CUT.join('|')})\\b|<(${VOID_CUT.join('|')})\\b|<!--`, 'gi');

export interface Precut {
  html: string;
  /** Contents of <script type="application/ld+json"> blocks, in document order. */
  jsonLd: string[];
  /** <link rel=canonical href>, when the page has one (the <link> itself is cut). */
  canonicalHref?: string;
}

/**
 * Remove the subtrees of CUT elements, void elements in VOID_CUT and comments. Linear time: every search starts
 * where the previous one ended, and an unclosed element swallows the rest of the document, as in a browser.
 */
export function precut(html: string): Precut {
  const out: string[] = [];
  const jsonLd: string[] = [];
  let canonicalHref: string | undefined;
  let pos = 0;
  const gt = nextGt(html);
  OPEN.lastIndex = 0;
  for (let m = OPEN.exec(html); m; m = OPEN.exec(html)) {
    const name = (m[1] ?? m[2])?.toLowerCase();
    let tagClose = -1;
    if (name) {
      // No `>` anywhere after this start: an unterminated tag, which a browser drops with everything after it.
      // Cut it here rather than hand jsdom one tag with 20,000 attributes (C1: `'<nav '` × 20,000).
      tagClose = gt(m.index + m[0].length);
      if (tagClose < 0) {
        out.push(html.slice(pos, m.index));
        pos = html.length;
        break;
      }
    }
    out.push(html.slice(pos, m.index));
    if (!name) {
      const end = html.indexOf('-->', m.index + 4);
      pos = end < 0 ? html.length : end + 3;
    } else {
      const tag = html.slice(m.index, tagClose + 1);
      if (m[2]) {
        if (!canonicalHref && name === 'link' && /\brel\s*=\s*["']?canonical\b/i.test(tag)) {
          const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
          if (href) canonicalHref = decodeEntities(href[1] ?? href[2] ?? href[3] ?? '');
        }
        pos = tagClose + 1;
      } else if (tag.endsWith('/>') && (name === 'svg' || name === 'math')) {
        pos = tagClose + 1;
      } else {
        const close = closeTag(name);
        close.lastIndex = tagClose + 1;
        const c = close.exec(html);
        const end = c ? c.index + c[0].length : html.length;
        if (name === 'script' && /\btype\s*=\s*["']?application\/ld\+json/i.test(tag)) {
          jsonLd.push(html.slice(tagClose + 1, c ? c.index : html.length));
        }
        pos = end;
      }
    }
    OPEN.lastIndex = pos;
  }
  out.push(html.slice(pos));
  return { html: slimAttributes(out.join('')), jsonLd, canonicalHref };
}

const CLOSE_TAGS = new Map(CUT.map((n) => [n, new RegExp(`</${n}\\s*>`, 'gi')]));
function closeTag(name: string): RegExp {
  return CLOSE_TAGS.get(name) ?? new RegExp(`</${name}\\s*>`, 'gi');
}

/**
 * `gt(from)`: index of the first `>` at or after `from`, or -1. Remembers its last answer, so asking from
 * increasing positions costs one pass over the text in all.
 */
function nextGt(html: string): (from: number) => number {
  let last = -1;
  let lastFrom = Infinity;
  return (from) => {
    // A `>` found from an earlier position is still the first one from here if it is not behind us; none found
    // from an earlier position means none from here either.
    if (from >= lastFrom && (last < 0 || last >= from)) return last;
    lastFrom = from;
    last = html.indexOf('>', from);
    return last;
  };
}

const TAG = /^<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/;
const ATTR = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
const KEEP_ATTR = new Set([
  'id', 'class', 'href', 'src', 'alt', 'title', 'lang', 'xml:lang', 'dir', 'rel', 'name', 'property', 'content',
  'itemprop', 'itemtype', 'itemscope', 'charset', 'http-equiv', 'datetime', 'colspan', 'rowspan', 'hidden',
  'aria-hidden', 'role', 'type', 'cite',
]);
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

/**
 * Keep only the attributes extraction reads. Inline styles, data-*, srcset and event handlers are most of a news
 * page's attribute bytes and each becomes a jsdom object; a style that hides its element becomes `hidden`, which
 * Readability's visibility check honours.
 */
function slimAttributes(html: string): string {
  const out: string[] = [];
  let pos = 0;
  const start = /<[a-zA-Z]/g;
  for (let m = start.exec(html); m; m = start.exec(html)) {
    const end = tagEnd(html, m.index + 2);
    if (end < 0) {
      // An unterminated tag runs to the end of the text and a browser drops it: so do we.
      out.push(html.slice(pos, m.index));
      pos = html.length;
      break;
    }
    // The full tag grammar runs on this one tag only, so a malformed run of tags costs its own length, not the
    // rest of the page for every `<` in it (C1: `'<a '` × 20,000). A tag outside the grammar is slimmed too, its
    // attributes read leniently: jsdom's parser checks each new attribute against all before it.
    const tag = html.slice(m.index, end + 1);
    const t = TAG.exec(tag);
    const name = /^<([a-zA-Z][\w:-]*)/.exec(tag)![1];
    out.push(html.slice(pos, m.index), t ? slimTag(t[0], t[1], t[2], t[3]) : slimTag(tag, name, tag.slice(name.length + 1, -1).replace(/\/+$/, ''), ''));
    pos = end + 1;
    start.lastIndex = end + 1;
  }
  out.push(html.slice(pos));
  return out.join('');
}

function slimTag(whole: string, name: string, attrs: string, slash: string): string {
  if (!attrs) return whole;
  let kept = '';
  const seen = new Set<string>();
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(attrs); m; m = ATTR.exec(attrs)) {
    const key = m[1].toLowerCase();
    // The first of duplicate attributes wins (HTML tokenizer).
    if (seen.has(key)) continue;
    seen.add(key);
    const value = m[2] ?? m[3] ?? m[4];
    if (KEEP_ATTR.has(key)) kept += value === undefined ? ` ${m[1]}` : ` ${m[1]}="${value.replace(/"/g, '&quot;')}"`;
    else if (key === 'style' && value && HIDDEN_STYLE.test(value)) kept += ' hidden';
  }
  return `<${name}${kept}${slash ? ' /' : ''}>`;
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").trim();
}
