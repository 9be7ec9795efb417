// GET /stories/:id: one story followed across digest days — "developing since …", then each day (newest first)
// with the articles that day's digest carried. Digest items link here (render-html's storyHref).
import type { Hono } from 'hono';
import { escapeHtml as esc, safeUrl } from '../../digest/escape.js';
import { dayLabel } from '../../digest/stories.js';
import { getStory, storyArticles, type StoryArticleRow } from '../../store/stories.js';
import type { WebDeps } from '../deps.js';
import { DESK_NAV, deskPage } from '../desk.js';
import { A, META, page } from '../layout.js';

export const storyHref = (id: string) => `/stories/${encodeURIComponent(id)}`;

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function dayHtml(day: string, rows: StoryArticleRow[]): string {
  const outlets = new Set(rows.map((r) => r.source)).size;
  const items = rows.map((r) => {
    const u = safeUrl(r.url);
    const head = u ? `<a href="${esc(u)}" style="${A}" rel="noopener noreferrer">${esc(r.title)}</a>` : esc(r.title);
    return `<li style="margin:0 0 6px 0;">${head} <span style="${META}">${esc(r.source)} · ${esc(r.seen_at.slice(0, 16).replace('T', ' '))} UTC · <a href="/articles/${esc(encodeURIComponent(r.item_id))}" style="${A}">evidence</a></span></li>`;
  });
  return (
    `<h2 style="font-size:17px;margin:20px 0 6px 0;">${esc(dayLabel(day))} ${esc(day.slice(0, 4))}` +
    ` <span style="${META}font-weight:normal;">${plural(rows.length, 'article')} from ${plural(outlets, 'outlet')} · <a href="/digests/${esc(encodeURIComponent(rows[0].digest_id))}/${esc(day)}" style="${A}">digest</a></span></h2>` +
    `<ul>${items.join('')}</ul>`
  );
}

export function registerStoryRoutes(app: Hono, deps: WebDeps): void {
  app.get('/stories/:id', async (c) => {
    const story = await getStory(deps.db, c.req.param('id'));
    if (!story) return deskPage(c, page('Not found', '<h1>No such story</h1>', { nav: DESK_NAV }), 404);
    const rows = await storyArticles(deps.db, story.id);
    const days = new Map<string, StoryArticleRow[]>();
    for (const r of rows) days.set(r.day, [...(days.get(r.day) ?? []), r]);
    const topic = deps.topics.find((t) => t.id === story.topic_id);
    const outlets = new Set(rows.map((r) => r.source)).size;
    const since = story.first_day < story.last_day ? `Developing since ${dayLabel(story.first_day, story.last_day)}` : `Seen on ${dayLabel(story.first_day)}`;
    const body = [
      `<h1 style="font-size:22px;margin:0 0 6px 0;">${esc(story.headline)}</h1>`,
      `<p class="developing" style="font-size:14px;color:#9a3412;font-weight:600;margin:0 0 4px 0;">${esc(since)}: ${plural(rows.length, 'article')} from ${plural(outlets, 'outlet')} over ${plural(days.size, 'day')}</p>`,
      `<p style="${META}">Topic: <a href="/topics/${esc(encodeURIComponent(story.topic_id))}" style="${A}">${esc(topic?.title ?? story.topic_id)}</a> · last carried ${esc(story.last_day)}</p>`,
      ...[...days].map(([day, list]) => dayHtml(day, list)),
    ];
    return deskPage(c, page(story.headline, body.join('\n'), { nav: DESK_NAV }));
  });
}
