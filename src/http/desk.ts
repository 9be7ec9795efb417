// Shared pieces of the analyst's desk pages (search, feeds, trends, feedback): the response with a CSP that lets
// our own forms submit (GET search, POST feedback) and the desk's navigation links. No script: the CSP allows none.
import type { Context } from 'hono';
import { PAGE_CSP } from './headers.js';
import { A } from './layout.js';

export const DESK_CSP = PAGE_CSP.replace("form-action 'none'", "form-action 'self'");

export const DESK_NAV: [string, string][] = [['Search', '/search'], ['Feeds', '/feeds']];

export function deskPage(c: Context, html: string, status: 200 | 400 | 404 = 200): Response {
  return c.html(html, status, { 'Content-Security-Policy': DESK_CSP, 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-store' });
}

export const INPUT = 'font:inherit;font-size:14px;padding:6px 8px;border:1px solid #a1a1aa;border-radius:4px;max-width:100%;box-sizing:border-box;';
export const BUTTON = 'font:inherit;font-size:14px;padding:6px 14px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;border-radius:4px;cursor:pointer;';

/** The desk's links for the home page. */
export function deskLinks(): string {
  return `<p style="font-size:14px;margin:0 0 12px 0;">${DESK_NAV.map(([label, href]) => `<a href="${href}" style="${A}">${label}</a>`).join(' · ')}</p>`;
}
