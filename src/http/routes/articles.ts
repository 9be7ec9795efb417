// The article view: what was stored, and why it matched each topic (the evidence, with terms highlighted).
import type { Hono } from 'hono';
import { escapeHtml as esc, safeUrl } from '../../digest/escape.js';
import { findHighlights } from '../../digest/highlight.js';
import { getArticle, matchesFor } from '../../store/articles.js';
import type { WebDeps } from '../deps.js';
import { htmlPage } from '../headers.js';
import { A, META, page } from '../layout.js';
import { sanitizeArticleHtml } from '../sanitize.js';
import { deskPage } from '../desk.js';
import { articleFeedback } from './feedback.js';
import type { Evidence } from '../../model.js';

const MARK = 'background:#fef08a;color:inherit;padding:0 1px;';

function marked(text: string, evidence: Evidence[]): string {
  let out = '';
  let at = 0;
  for (const [a, b] of findHighlights(text, evidence)) {
    out += `${esc(text.slice(at, a))}<mark style="${MARK}">${esc(text.slice(a, b))}</mark>`;
    at = b;
  }
  return out + esc(text.slice(at));
}

export function registerArticleRoutes(app: Hono, deps: WebDeps): void {
  app.get('/articles/:id', async (c) => {
    const id = c.req.param('id');
    const a = await getArticle(deps.db, id);
    if (!a) return htmlPage(c, page('Not found', '<h1>No such article</h1>'), 404);
    const matches = await matchesFor(deps.db, id);
    const evidence = matches.flatMap((m) => m.evidence);
    const titles = new Map(deps.topics.map((t) => [t.id, t.title]));
    const u = safeUrl(a.canonicalUrl) ?? safeUrl(a.url);
    const parts = [
      `<h1 style="font-size:22px;margin:0 0 6px 0;">${marked(a.title, evidence)}</h1>`,
      `<p style="${META}">${esc(a.siteName ?? '')}${a.byline ? ` · ${esc(a.byline)}` : ''}${a.published ? ` · ${esc(a.published)}` : ''} · stored ${esc(a.storedAt)}${u ? ` · <a href="${esc(u)}" style="${A}" rel="noopener noreferrer">original</a>` : ''}</p>`,
      '<h2 style="font-size:17px;">Why it matched</h2>',
    ];
    if (!matches.length) parts.push(`<p style="${META}">No topic matched.</p>`);
    for (const m of matches) {
      parts.push(
        `<h3 style="font-size:15px;margin:10px 0 4px 0;"><a href="/topics/${esc(encodeURIComponent(m.topicId))}" style="${A}">${esc(titles.get(m.topicId) ?? m.topicId)}</a> <span style="${META}">score ${m.score.toFixed(2)} (threshold ${m.threshold.toFixed(2)})</span></h3>` +
          `<table class="evidence" style="font-size:13px;border-collapse:collapse;"><thead><tr><th style="text-align:left;padding:2px 8px;">term</th><th style="text-align:left;padding:2px 8px;">field</th><th style="text-align:left;padding:2px 8px;">matched</th><th style="text-align:left;padding:2px 8px;">rule</th><th style="text-align:right;padding:2px 8px;">weight</th></tr></thead><tbody>` +
          m.evidence
            .map((e) => `<tr><td style="padding:2px 8px;">${esc(e.term)}</td><td style="padding:2px 8px;">${esc(e.field)}</td><td style="padding:2px 8px;">${esc(e.matched)}</td><td style="padding:2px 8px;">${esc(e.rule)}</td><td style="padding:2px 8px;text-align:right;">${Number(e.weight).toFixed(2)}</td></tr>`)
            .join('') +
          '</tbody></table>',
      );
    }
    parts.push(await articleFeedback(c, deps, id));
    parts.push('<h2 style="font-size:17px;">Article</h2>');
    if (a.html) parts.push(`<div class="article" style="font-size:15px;line-height:1.55;">${sanitizeArticleHtml(a.html)}</div>`);
    else parts.push(...a.text.split(/\n{2,}/).map((p) => `<p style="font-size:15px;line-height:1.55;">${marked(p, evidence)}</p>`));
    return deskPage(c, page(a.title, parts.join('\n')));
  });
}
