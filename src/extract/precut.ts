// Cutting elements out of raw HTML before jsdom parses it: scripts, styles, iframes and other inert or
// nested-window content cost jsdom most of its time and never contribute article text (data README: same text,
// ~5× less parse time per 100 KB). JSON-LD blocks are kept aside on the way, since they are metadata.

/**
 * Elements whose whole subtree is cut. nav/aside/footer never hold the article body (Readability drops them too;
 * cutting first is faster, dev-split F1 unchanged). <form> is kept: some sites wrap the whole page in one.
 */
const CUT = ['nav', 'aside', 'footer', 'script', 'style', 'noscript', 'iframe', 'frameset', 'template', 'svg', 'math', 'object', 'embed', 'canvas', 'select', 'textarea', 'button', 'video', 'audio', 'map'];
const VOID_CUT = ['link', 'input', 'source', 'track', 'param', 'base'];

const OPEN = new RegExp(`<(${CUT.join('|')})\\b[^>]*>|<(?:${VOID_CUT.join('|')})\\b[^>]*>|<!--`, 'gi');

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
  OPEN.lastIndex = 0;
  for (let m = OPEN.exec(html); m; m = OPEN.exec(html)) {
    out.push(html.slice(pos, m.index));
    const tag = m[0];
    const name = m[1]?.toLowerCase();
    if (tag === '<!--') {
      const end = html.indexOf('-->', m.index + 4);
      pos = end < 0 ? html.length : end + 3;
    } else if (!name) {
      if (!canonicalHref && /^<link\b/i.test(tag) && /\brel\s*=\s*["']?canonical\b/i.test(tag)) {
        const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
        if (href) canonicalHref = decodeEntities(href[1] ?? href[2] ?? href[3] ?? '');
      }
      pos = m.index + tag.length;
    } else if (tag.endsWith('/>') && (name === 'svg' || name === 'math')) {
      pos = m.index + tag.length;
    } else {
      const close = new RegExp(`</${name}\\s*>`, 'gi');
      close.lastIndex = m.index + tag.length;
      const c = close.exec(html);
      const end = c ? c.index + c[0].length : html.length;
      if (name === 'script' && /\btype\s*=\s*["']?application\/ld\+json/i.test(tag)) {
        jsonLd.push(html.slice(m.index + tag.length, c ? c.index : html.length));
      }
      pos = end;
    }
    OPEN.lastIndex = pos;
  }
  out.push(html.slice(pos));
  return { html: slimAttributes(out.join('')), jsonLd, canonicalHref };
}

const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;
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
  return html.replace(TAG, (whole, name: string, attrs: string, slash: string) => {
    if (!attrs) return whole;
    let kept = '';
    ATTR.lastIndex = 0;
    for (let m = ATTR.exec(attrs); m; m = ATTR.exec(attrs)) {
      const key = m[1].toLowerCase();
      const value = m[2] ?? m[3] ?? m[4];
      if (KEEP_ATTR.has(key)) kept += value === undefined ? ` ${m[1]}` : ` ${m[1]}="${value.replace(/"/g, '&quot;')}"`;
      else if (key === 'style' && value && HIDDEN_STYLE.test(value)) kept += ' hidden';
    }
    return `<${name}${kept}${slash ? ' /' : ''}>`;
  });
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").trim();
}
