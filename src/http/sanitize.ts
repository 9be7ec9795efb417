// Article HTML for the article view: the stored HTML was sanitised at extraction; this is the second line, with the
// view's stricter subset of the one policy (markup/policy.ts VIEW: no media, which would load from third parties and
// break the page's CSP; links absolute http(s) only).
import { createRequire } from 'node:module';
import createDOMPurify from 'dompurify';
import type * as JsdomModule from 'jsdom';
import { attributeKept, VIEW } from '../markup/policy.js';

type Purifier = ReturnType<typeof createDOMPurify>;
let purify: Purifier | undefined;

const LINK = new RegExp(`^(?:${VIEW.linkSchemes.join('|')}):\\/\\/`, 'i');

function get(): Purifier {
  if (purify) return purify;
  // jsdom is loaded on the first article view, not when the process starts: it costs ~0.5 s of CPU to load, and
  // `run --once`, the workers and the scheduler import this module (through the web routes) without ever rendering.
  const { JSDOM } = createRequire(import.meta.url)('jsdom') as typeof JsdomModule;
  const p = createDOMPurify(new JSDOM('').window as unknown as Parameters<typeof createDOMPurify>[0]);
  p.addHook('uponSanitizeAttribute', (node, data) => {
    // DOMPurify's attribute list is flat and it lets data: through on <img src>; the policy is per element and does not.
    if (!attributeKept(node.nodeName.toLowerCase(), data.attrName, data.attrValue)) data.keepAttr = false;
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    if (!LINK.test(href)) node.removeAttribute('href');
    else node.setAttribute('rel', 'noopener noreferrer nofollow');
  });
  purify = p;
  return p;
}

export function sanitizeArticleHtml(html: string): string {
  return get().sanitize(html, {
    ALLOWED_TAGS: [...VIEW.tags],
    ALLOWED_ATTR: [...VIEW.attributes],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    KEEP_CONTENT: true,
    FORBID_CONTENTS: [...VIEW.dropWithContent],
    RETURN_TRUSTED_TYPE: false,
  }) as string;
}
