// One sanitising policy, two engines: the feed sanitiser and DOMPurify (extraction) keep the same elements and
// attributes and refuse the same things; the article view keeps its documented subset.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { makeSanitizer } from '../../../src/extract/sanitize.js';
import { sanitizeHtml } from '../../../src/feeds/sanitize.js';
import { sanitizeArticleHtml } from '../../../src/http/sanitize.js';
import { ALLOWED_TAGS, ATTRIBUTES, VIEW } from '../../../src/markup/policy.js';

const VOID = new Set(['br', 'hr', 'img', 'source']);
const URLS: Record<string, string> = { href: 'https://a.example/x', src: 'https://a.example/i.png', cite: 'https://a.example/c', poster: 'https://a.example/p.png' };

/** Every allowed element with every attribute the policy knows of, plus ones it refuses. */
function everything(): string {
  const names = [...new Set(Object.values(ATTRIBUTES).flatMap((s) => [...s])), 'style', 'onclick', 'data-x', 'srcset', 'class'];
  return [...ALLOWED_TAGS]
    .map((t) => {
      const attrs = names.map((n) => ` ${n}="${URLS[n] ?? '1'}"`).join('');
      return VOID.has(t) ? `<${t}${attrs}>` : `<${t}${attrs}>x</${t}>`;
    })
    .join('');
}

/** tag → sorted attribute names, for every element in `html`. */
function shape(html: string): string[] {
  const doc = new JSDOM(`<body>${html}</body>`).window.document;
  return [...doc.body.querySelectorAll('*')].map((e) => `${e.localName}[${e.getAttributeNames().sort().join(',')}]`).sort();
}

describe('the sanitising policy', () => {
  const purify = makeSanitizer(new JSDOM('').window);

  it('the feed sanitiser and DOMPurify keep the same elements and attributes', () => {
    const html = everything();
    // Context-sensitive elements (table parts, source, li…) are re-parented by an HTML parser: compare the sets.
    const a = new Set(shape(sanitizeHtml(html)));
    const b = new Set(shape(purify(html)));
    expect([...a].filter((x) => !b.has(x))).toEqual([]);
    expect([...b].filter((x) => !a.has(x))).toEqual([]);
    for (const s of [...a]) expect(s).not.toMatch(/style|onclick|data-x|srcset|class/);
  });

  it('both refuse the same URLs and drop the same content', () => {
    const hostile = '<a href="javascript:alert(1)">j</a><a href="mailto:a@b.example">m</a><img src="data:image/png;base64,AA">' +
      '<script>bad()</script><form><input value="x">f</form><iframe src="https://a.example/">i</iframe><p>ok</p>';
    for (const out of [sanitizeHtml(hostile), purify(hostile)]) {
      expect(out).not.toMatch(/javascript|data:|script|bad\(\)|iframe|<form|<input/);
      expect(out).toContain('mailto:a@b.example');
      expect(out).toContain('<p>ok</p>');
    }
  });

  it('the article view is the documented subset', () => {
    expect([...VIEW.tags].sort()).toEqual([
      'a', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h2', 'h3',
      'h4', 'h5', 'h6', 'hr', 'i', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'small', 'strong', 'sub', 'sup', 'table',
      'tbody', 'td', 'th', 'thead', 'tr', 'u', 'ul',
    ].sort());
    for (const t of VIEW.tags) expect(ALLOWED_TAGS.has(t)).toBe(true);
    const out = sanitizeArticleHtml('<div><img src="https://a.example/i.png"><a href="/rel" lang="en">r</a><a href="https://a.example/">h</a><video>no video</video></div>');
    expect(out).toBe('<a>r</a><a href="https://a.example/" rel="noopener noreferrer nofollow">h</a>');
  });
});
