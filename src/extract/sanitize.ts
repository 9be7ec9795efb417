// The sanitiser for article HTML: DOMPurify on the page's own jsdom window, running the one policy of
// markup/policy.ts (the feed sanitiser runs the same one). Readability's output still carries onerror/onclick,
// javascript: URLs and <svg> (SECURITY-TESTS X6).
import createDOMPurify from 'dompurify';
import { ALL_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URI_REGEXP, attributeKept, DROP_WITH_CONTENT } from '../markup/policy.js';

type Purifier = ReturnType<typeof createDOMPurify>;

/** A sanitiser bound to one window; `sanitize(node)` returns allow-listed HTML. */
export function makeSanitizer(window: unknown): (dirty: Node | string) => string {
  const purify: Purifier = createDOMPurify(window as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    // DOMPurify's attribute list is flat and it lets data: through on <img src>; the policy is per element and does not.
    if (!attributeKept(node.nodeName.toLowerCase(), data.attrName, data.attrValue)) data.keepAttr = false;
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    // Links open outside the reader and do not leak the reader's URL.
    if (node.nodeName === 'A' && node.getAttribute('href')) node.setAttribute('rel', 'noopener noreferrer nofollow');
  });
  return (dirty) =>
    purify.sanitize(dirty, {
      ALLOWED_TAGS: [...ALLOWED_TAGS],
      ALLOWED_ATTR: [...ALL_ATTRIBUTES],
      ALLOWED_URI_REGEXP,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
      KEEP_CONTENT: true,
      FORBID_CONTENTS: [...DROP_WITH_CONTENT],
      RETURN_TRUSTED_TYPE: false,
    }) as string;
}
