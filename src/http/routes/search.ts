// GET /search: the search form and one page of results (highlighted snippets, escaped), the same results as
// `wirewatch search` for the same query and filters.
import type { Hono } from 'hono';
import { escapeHtml as esc } from '../../digest/escape.js';
import { QueryError } from '../../search/query.js';
import { readSearchInput } from '../../search/request.js';
import { snippetHtml } from '../../search/snippet.js';
import { listFeeds } from '../../store/feeds.js';
import { DEFAULT_SEARCH_LIMIT, searchArticles, type SearchPage } from '../../store/search.js';
import type { WebDeps } from '../deps.js';
import { BUTTON, DESK_NAV, INPUT, deskPage } from '../desk.js';
import { A, ALERT, META, page } from '../layout.js';

const FIELDS = ['q', 'topic', 'since', 'until', 'lang', 'feed'] as const;
const LABEL = 'display:block;font-size:12px;color:#3f3f46;margin:0 0 2px 0;';

function option(value: string, label: string, selected: string | undefined): string {
  return `<option value="${esc(value)}"${value === selected ? ' selected' : ''}>${esc(label)}</option>`;
}

function field(id: string, label: string, control: string): string {
  return `<div style="flex:1 1 140px;min-width:0;"><label for="${id}" style="${LABEL}">${label}</label>${control}</div>`;
}

export function registerSearchRoutes(app: Hono, deps: WebDeps): void {
  app.get('/search', async (c) => {
    const v = Object.fromEntries(FIELDS.map((k) => [k, c.req.query(k) ?? ''])) as Record<(typeof FIELDS)[number], string>;
    const feeds = await listFeeds(deps.db);
    const text = (id: string, value: string, extra = '') => `<input id="${id}" name="${id}" value="${esc(value)}" style="${INPUT}width:100%;"${extra}>`;
    const form =
      `<form method="get" action="/search" role="search" style="margin:0 0 16px 0;">` +
      `<div style="display:flex;gap:8px;align-items:flex-end;margin:0 0 8px 0;">${field('q', 'Search stored articles', text('q', v.q, ' type="search" placeholder="&quot;reparations loan&quot; -ECB"'))}<button type="submit" style="${BUTTON}">Search</button></div>` +
      `<div style="display:flex;flex-wrap:wrap;gap:8px;">` +
      field('topic', 'Topic', `<select id="topic" name="topic" style="${INPUT}width:100%;">${option('', 'any', v.topic)}${deps.topics.map((t) => option(t.id, t.title, v.topic)).join('')}</select>`) +
      field('feed', 'Feed', `<select id="feed" name="feed" style="${INPUT}width:100%;">${option('', 'any', v.feed)}${feeds.map((f) => option(f.id, f.title ?? f.id, v.feed)).join('')}</select>`) +
      field('lang', 'Language', text('lang', v.lang, ' placeholder="de" size="4"')) +
      field('since', 'Since', text('since', v.since, ' placeholder="7d or 2026-11-23"')) +
      field('until', 'Until', text('until', v.until, ' placeholder="2026-11-26"')) +
      `</div><p style="${META}">Words, prefixes (<code>sanction*</code>), "exact phrases", OR, NOT or -word, parentheses; accents and case do not matter. Newest first.</p></form>`;
    const parts = ['<h1 style="margin:0 0 12px 0;">Search</h1>', form];
    let status: 200 | 400 = 200;
    if (v.q.trim()) {
      try {
        const req = readSearchInput({ ...v, limit: c.req.query('limit'), page: c.req.query('page') }, new Date(), DEFAULT_SEARCH_LIMIT);
        parts.push(results(await searchArticles(deps.db, req), v, deps));
      } catch (err) {
        if (!(err instanceof QueryError)) throw err;
        status = 400;
        parts.push(`<p class="alert" role="alert" style="${ALERT}">${esc(err.message)}</p>`);
      }
    }
    return deskPage(c, page(v.q ? `Search: ${v.q}` : 'Search', parts.join('\n'), { nav: DESK_NAV }), status);
  });
}

function results(p: SearchPage, v: Record<string, string>, deps: WebDeps): string {
  const titles = new Map(deps.topics.map((t) => [t.id, t.title]));
  if (!p.hits.length) return `<p style="${META}">No results${p.offset ? ' on this page' : ''}.</p>`;
  const items = p.hits.map(
    (h) =>
      `<li style="margin:0 0 14px 0;"><a href="/articles/${esc(encodeURIComponent(h.id))}" style="${A}font-size:16px;">${esc(h.title)}</a>` +
      `<div style="${META}">${esc(h.source)} · ${esc(h.lang ?? '?')} · ${esc((h.published ?? h.storedAt).slice(0, 16).replace('T', ' '))}${h.topics.length ? ` · ${h.topics.map((t) => esc(titles.get(t) ?? t)).join(', ')}` : ''}</div>` +
      `<div style="font-size:14px;line-height:1.5;">${snippetHtml(h.snippet)}</div></li>`,
  );
  const pageNo = Math.floor(p.offset / p.limit) + 1;
  const link = (n: number, label: string) => {
    const qs = new URLSearchParams(Object.entries(v).filter(([, x]) => x));
    qs.set('page', String(n));
    if (p.limit !== DEFAULT_SEARCH_LIMIT) qs.set('limit', String(p.limit));
    return `<a href="/search?${esc(qs.toString())}" style="${A}">${label}</a>`;
  };
  const nav = [pageNo > 1 ? link(pageNo - 1, '← newer') : '', p.more ? link(pageNo + 1, 'older →') : ''].filter(Boolean).join(' · ');
  return (
    `<p style="${META}">Results ${p.offset + 1}–${p.offset + p.hits.length}${p.more ? '' : ' (end)'}</p>` +
    `<ol start="${p.offset + 1}" class="results" style="padding-left:22px;">${items.join('')}</ol>` +
    (nav ? `<nav aria-label="Result pages" style="font-size:14px;">${nav}</nav>` : '')
  );
}
