// Response headers. Every response, mounted UIs (bull-board) included: nosniff, no referrer, and no framing
// (X-Frame-Options: DENY plus CSP frame-ancestors 'none', added to whatever CSP the route set: clickjacking, W4).
// Our HTML pages (and only ours: bull-board and other mounted UIs need their own scripts) go out through htmlPage(),
// with a CSP that allows no script at all — the pages are static documents with inline style attributes, and
// untrusted text is escaped before it gets there.
import type { Context, MiddlewareHandler } from 'hono';

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const NO_FRAMING = "frame-ancestors 'none'";

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    if (!c.res.headers.has('Referrer-Policy')) c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('X-Frame-Options', 'DENY');
    const csp = c.res.headers.get('Content-Security-Policy');
    if (!csp) c.res.headers.set('Content-Security-Policy', NO_FRAMING);
    else if (!/(^|;)\s*frame-ancestors\s/i.test(csp)) c.res.headers.set('Content-Security-Policy', `${csp}; ${NO_FRAMING}`);
  };
}

/** An HTML page of ours, with the script-free CSP. */
export function htmlPage(c: Context, html: string, status: 200 | 404 = 200): Response {
  return c.html(html, status, { 'Content-Security-Policy': PAGE_CSP, 'X-Frame-Options': 'DENY' });
}
