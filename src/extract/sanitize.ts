// The allow-list sanitiser for article HTML (DOMPurify on the page's own jsdom window).
// Readability's output still carries onerror/onclick, javascript: URLs and <svg> (SECURITY-TESTS X6).
import createDOMPurify from 'dompurify';

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol',
  'p', 'picture', 'pre', 'q', 's', 'samp', 'section', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'article',
];
const ALLOWED_ATTR = ['href', 'src', 'alt', 'title', 'datetime', 'colspan', 'rowspan', 'lang', 'dir', 'cite', 'width', 'height'];
/** http(s), mailto, and relative references only: no javascript:, data:, vbscript:, file:. */
const ALLOWED_URI = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

type Purifier = ReturnType<typeof createDOMPurify>;

/** A sanitiser bound to one window; `sanitize(node)` returns allow-listed HTML. */
export function makeSanitizer(window: unknown): (dirty: Node | string) => string {
  const purify: Purifier = createDOMPurify(window as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    // Links open outside the reader and do not leak the reader's URL.
    if (node.nodeName === 'A' && node.getAttribute('href')) node.setAttribute('rel', 'noopener noreferrer nofollow');
  });
  return (dirty) =>
    purify.sanitize(dirty, {
      ALLOWED_TAGS,
      ALLOWED_ATTR: [...ALLOWED_ATTR, 'rel'],
      ALLOWED_URI_REGEXP: ALLOWED_URI,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
      KEEP_CONTENT: true,
      FORBID_TAGS: ['style', 'script', 'svg', 'math', 'iframe', 'form', 'input', 'button', 'object', 'embed', 'link', 'meta', 'base'],
      FORBID_ATTR: ['style', 'srcset', 'formaction', 'xlink:href', 'action'],
      RETURN_TRUSTED_TYPE: false,
    }) as string;
}
