// The shell of the web pages that are not a digest (archive, topic, article). Callers pass escaped HTML.
import { escapeHtml as esc } from '../digest/escape.js';

const CSS = {
  body: 'margin:0;background:#f4f4f5;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#18181b;',
  wrap: 'max-width:760px;margin:0 auto;padding:24px 16px;background:#fff;min-height:100vh;',
  nav: 'font-size:13px;margin:0 0 16px 0;',
};
// Underlined: a link must not be told from text by colour alone (WCAG 1.4.1, axe link-in-text-block).
export const A = 'color:#1d4ed8;text-decoration:underline;';
export const META = 'font-size:13px;color:#52525b;';
export const ALERT = 'font-size:13px;background:#fff7ed;border:1px solid #fdba74;padding:8px 12px;margin:8px 0;';

/** A full HTML document. `body` must already be escaped HTML; `title` is escaped here. */
export function page(title: string, body: string, opts: { nav?: [string, string][]; feeds?: [string, string][] } = {}): string {
  const nav: [string, string][] = [['Archive', '/'], ...(opts.nav ?? [])];
  const feeds = (opts.feeds ?? []).map(([t, href]) => `<link rel="alternate" type="application/atom+xml" title="${esc(t)}" href="${esc(href)}">`).join('');
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(title)}</title>${feeds}</head><body style="${CSS.body}"><div style="${CSS.wrap}">` +
    `<p style="${CSS.nav}">${nav.map(([l, h]) => `<a href="${esc(h)}" style="${A}">${esc(l)}</a>`).join(' · ')}</p>` +
    `${body}</div></body></html>\n`
  );
}

/** Absolute URL for a path: the configured base URL, else the request's origin. */
export function absolute(path: string, baseUrl: string | undefined, requestUrl: string): string {
  const base = baseUrl ? baseUrl.replace(/\/+$/, '') : new URL(requestUrl).origin;
  return `${base}${path}`;
}
