// Plain text from a DOM subtree, keeping block boundaries: "\n\n" between blocks, "\n" for <br>.
// textContent glues "…end.</p><p>Next…" into one run; the benchmark metric and the classifier both want the break.

const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'CAPTION', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION',
  'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE',
  'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'THEAD', 'TFOOT', 'TR', 'UL',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'SVG', 'svg', 'MATH', 'math', 'HEAD']);
const CELL = new Set(['TD', 'TH']);

const WORD = /[\p{L}\p{N}_]+/gu;

export interface BlockTextOptions {
  /** Drop blocks whose text is (almost) all link text: related-story lists, "Read more" lines, menus. */
  dropLinkBlocks?: boolean;
  /** Drop blocks with fewer words than this: "Advert", "Share", "Sign In". */
  minWords?: number;
  /** Drop short blocks matching this: newsletter pitches, "Advertisement", cookie notices. */
  boilerplate?: RegExp;
}

interface MinimalNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  firstChild: MinimalNode | null;
  nextSibling: MinimalNode | null;
  parentNode: MinimalNode | null;
}

/**
 * Text of `root` with paragraphs separated by a blank line. Iterative (no recursion), so deeply nested markup
 * cannot overflow the stack. Whitespace inside a block collapses to single spaces, except in <pre>.
 */
export function blockText(root: MinimalNode, opts: BlockTextOptions = {}): string {
  const blocks: string[] = [];
  let line = '';
  let lines: string[] = [];
  let pre = 0;
  let link = 0;
  let linkChars = 0;
  let chars = 0;
  const flush = (): void => {
    lines.push(line);
    const text = lines.map((l) => (pre ? l.replace(/\s+$/, '') : l.replace(/\s+/g, ' ').trim())).filter((l) => l !== '').join('\n');
    const linkOnly = opts.dropLinkBlocks && chars > 0 && linkChars / chars > 0.9;
    const tooShort = opts.minWords !== undefined && (text.match(WORD) ?? []).length < opts.minWords;
    const boiler = opts.boilerplate !== undefined && text.length < 220 && opts.boilerplate.test(text);
    if (text && !linkOnly && !tooShort && !boiler) blocks.push(text);
    line = '';
    lines = [];
    linkChars = 0;
    chars = 0;
  };
  const exit = (el: MinimalNode): void => {
    if (el.nodeName === 'A') link--;
    if (BLOCK.has(el.nodeName)) {
      flush();
      if (el.nodeName === 'PRE') pre--;
    }
  };
  let node: MinimalNode | null = root.firstChild;
  while (node) {
    if (node.nodeType === 3) {
      const v = node.nodeValue ?? '';
      line += v;
      const n = v.trim().length;
      chars += n;
      if (link) linkChars += n;
    } else if (node.nodeType === 1 && !SKIP.has(node.nodeName)) {
      const name = node.nodeName;
      if (name === 'BR') {
        lines.push(line);
        line = '';
      } else {
        if (BLOCK.has(name)) flush();
        if (name === 'PRE') pre++;
        if (CELL.has(name)) line += ' ';
        if (name === 'A') link++;
        if (node.firstChild) {
          node = node.firstChild;
          continue;
        }
        exit(node);
      }
    }
    // Next in document order: a sibling, or climb (closing each ancestor block) until one has a sibling.
    while (node && node !== root && !node.nextSibling) {
      node = node.parentNode;
      if (node && node !== root) exit(node);
    }
    node = node && node !== root ? node.nextSibling : null;
  }
  flush();
  return blocks.join('\n\n');
}

/** Collapse a text that came from elsewhere (JSON-LD articleBody, feed summary) to the same paragraph shape. */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((l) => l.replace(/[ \t\f\v\u00a0]+/g, ' ').trim()).filter(Boolean).join('\n'))
    .filter(Boolean)
    .join('\n\n');
}
