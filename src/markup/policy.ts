// The one HTML sanitising policy: which elements, attributes and URL schemes survive. Two engines run it — the
// hand-written linear-time sanitiser for feed fields (feeds/sanitize.ts: feed text is hostile and can be huge) and
// DOMPurify on the page's jsdom window (extract/sanitize.ts) — so article HTML from a feed and from a page obeys the
// same list. The article view (http/sanitize.ts) runs DOMPurify again with VIEW, a subset of the same list.
// Pure data and predicates; imports nothing.

/** Elements kept (attributes filtered per ATTRIBUTES). Anything else is unwrapped: its text stays, the tag goes. */
export const ALLOWED_TAGS: ReadonlySet<string> = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em',
  'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p',
  'pre', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th',
  'thead', 'time', 'tr', 'u', 'ul', 'var', 'picture', 'source', 'audio', 'video', 'font', 'center', 'big', 'tt', 'acronym',
  'address', 'article', 'section', 'aside', 'header', 'footer', 'main', 'nav', 'details', 'summary',
]);

/** Elements dropped together with everything inside them (code, styling, embedded documents, forms). */
export const DROP_WITH_CONTENT: ReadonlySet<string> = new Set([
  'script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'frame', 'frameset', 'applet',
  'form', 'textarea', 'select', 'button', 'title', 'head', 'xmp', 'noembed', 'noframes',
]);

/** Attributes kept, per element; '*' applies to every allowed element. No style, no on*, no data-*, no srcset. */
export const ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = {
  '*': new Set(['title', 'lang', 'dir']),
  a: new Set(['href', 'rel']),
  img: new Set(['src', 'alt', 'width', 'height']),
  source: new Set(['src', 'type', 'media']),
  audio: new Set(['src', 'controls']),
  video: new Set(['src', 'poster', 'controls', 'width', 'height']),
  blockquote: new Set(['cite']),
  q: new Set(['cite']),
  del: new Set(['cite', 'datetime']),
  ins: new Set(['cite', 'datetime']),
  time: new Set(['datetime']),
  td: new Set(['colspan', 'rowspan', 'align']),
  th: new Set(['colspan', 'rowspan', 'align', 'scope']),
  ol: new Set(['start', 'type']),
  abbr: new Set(['title']),
  acronym: new Set(['title']),
};

/** Attributes holding a URL: each must pass the scheme rule (absolute http(s) or mailto; fragments and relative ok). */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set(['href', 'src', 'cite', 'poster']);

/** URL schemes a link or source may use. No javascript:, data:, vbscript:, file:. */
export const URL_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

/** True when `attr` is kept on `tag` (both lower-case). */
export function attributeAllowed(tag: string, attr: string): boolean {
  return ATTRIBUTES['*'].has(attr) || ATTRIBUTES[tag]?.has(attr) === true;
}

/**
 * True when a URL attribute's value may stay: a scheme from URL_SCHEMES, or none (relative, fragment). Browsers
 * ignore whitespace and control characters inside a scheme ("java\tscript:"), so they are removed before looking.
 */
export function urlAllowed(value: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.replace(/[\u0000-\u0020\u007f]+/g, ''))?.[1].toLowerCase();
  return scheme === undefined || URL_SCHEMES.includes(scheme);
}

/** True when attribute `name` with `value` stays on `tag`: allowed there, and a URL only with an allowed scheme. */
export function attributeKept(tag: string, name: string, value: string): boolean {
  return attributeAllowed(tag, name) && (!URL_ATTRIBUTES.has(name) || urlAllowed(value));
}

/** Every attribute name kept on some element (DOMPurify's flat ALLOWED_ATTR; the per-element rule is a hook). */
export const ALL_ATTRIBUTES: readonly string[] = [...new Set(Object.values(ATTRIBUTES).flatMap((s) => [...s]))];

/**
 * DOMPurify's ALLOWED_URI_REGEXP for URL_SCHEMES: an allowed scheme, or no scheme at all (relative references,
 * fragments). Anything that looks like `name:` with another name is refused.
 */
export const ALLOWED_URI_REGEXP = new RegExp(`^(?:(?:${URL_SCHEMES.join('|')}):|[^a-z]|[a-z+.-]+(?:[^a-z+.\\-:]|$))`, 'i');

/** What the article view withholds from ALLOWED_TAGS (see VIEW). */
const VIEW_WITHHELD: ReadonlySet<string> = new Set([
  // media: loads from third parties, which the page's CSP blocks anyway
  'img', 'picture', 'source', 'audio', 'video',
  // the page's own heading
  'h1',
  // layout and sectioning wrappers: the view has its own layout
  'div', 'span', 'section', 'article', 'aside', 'header', 'footer', 'main', 'nav', 'address', 'details', 'summary',
  // presentational and rarely meaningful inline elements
  'font', 'center', 'big', 'tt', 'strike', 'acronym', 'abbr', 'del', 'ins', 'dfn', 'kbd', 'samp', 'var', 'time', 'tfoot',
]);

/**
 * The article view's subset: it shows stored HTML inside wirewatch's own page, so it withholds VIEW_WITHHELD
 * (unwrapped, text kept), every attribute but a link's and a table cell's, and any link that is not absolute http(s).
 */
export const VIEW = Object.freeze({
  tags: new Set([...ALLOWED_TAGS].filter((t) => !VIEW_WITHHELD.has(t))) as ReadonlySet<string>,
  attributes: new Set(['href', 'title', 'rel', 'colspan', 'rowspan']) as ReadonlySet<string>,
  linkSchemes: ['http', 'https'] as readonly string[],
  /** The fallback text inside withheld media ("your browser cannot play this") goes with it. */
  dropWithContent: new Set([...DROP_WITH_CONTENT, 'audio', 'video']) as ReadonlySet<string>,
});
