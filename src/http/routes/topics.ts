// Per-topic pages: the topic's stories across the most recent stored digests (newest first), and their Atom feed.
import type { Hono } from 'hono';
import { renderAtom, digestAtomEntries } from '../../digest/render.js';
import { escapeHtml as esc, safeUrl } from '../../digest/escape.js';
import { localDateTime } from '../../digest/time.js';
import type { Digest, DigestStory } from '../../digest/types.js';
import { recentDigests } from '../digest-cache.js';
import type { WebDeps } from '../deps.js';
import { htmlPage } from '../headers.js';
import { trendSection } from '../trends.js';
import { topicTrend } from '../../store/trends.js';
import { A, META, absolute, page } from '../layout.js';
import { todaySoFar } from './today.js';
import { storyHref } from './stories.js';
import { developingText, isDeveloping } from '../../digest/stories.js';

const RECENT_DIGESTS = 30;

async function recent(deps: WebDeps, topicId: string): Promise<{ digest: Digest; stories: DigestStory[] }[]> {
  return (await recentDigests(deps.db, RECENT_DIGESTS))
    .map((digest) => ({ digest, stories: digest.topics.find((t) => t.id === topicId)?.stories ?? [] }))
    .filter((x) => x.stories.length);
}

export function registerTopicRoutes(app: Hono, deps: WebDeps): void {
  app.get('/topics/:id/feed.atom', async (c) => {
    const id = c.req.param('id');
    const topic = deps.topics.find((t) => t.id === id);
    if (!topic) return c.text('no such topic\n', 404);
    const list = await recent(deps, id);
    const path = `/topics/${encodeURIComponent(id)}`;
    const xml = renderAtom(list.flatMap((x) => digestAtomEntries(x.digest, id)), {
      id: `urn:wirewatch:topic:${encodeURIComponent(id)}`,
      title: topic.title,
      selfUrl: absolute(`${path}/feed.atom`, deps.baseUrl, c.req.url),
      alternateUrl: absolute(path, deps.baseUrl, c.req.url),
    });
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });

  app.get('/topics/:id', async (c) => {
    const id = c.req.param('id');
    const topic = deps.topics.find((t) => t.id === id);
    if (!topic) return htmlPage(c, page('Not found', '<h1>No such topic</h1>'), 404);
    const list = await recent(deps, id);
    const feed = `/topics/${encodeURIComponent(id)}/feed.atom`;
    const parts = [`<h1 style="margin:0 0 4px 0;">${esc(topic.title)}</h1>`, `<p style="${META}"><a href="${esc(feed)}" style="${A}">Atom feed</a></p>`];
    parts.push(await todaySoFar(deps, [id]));
    parts.push(trendSection(await topicTrend(deps.db, id, new Date()), 'trend-title'));
    if (!list.length) parts.push(`<p style="${META}">No stories in the stored digests yet.</p>`);
    for (const { digest, stories } of list) {
      parts.push(`<h2 style="font-size:17px;margin:20px 0 6px 0;"><a href="/digests/${esc(encodeURIComponent(digest.digestId))}/${esc(digest.period)}" style="${A}">${esc(digest.title)} — ${esc(digest.period)}</a></h2><ul>`);
      for (const s of stories) {
        const u = safeUrl(s.url);
        const head = u ? `<a href="${esc(u)}" style="${A}" rel="noopener noreferrer">${esc(s.headline)}</a>` : esc(s.headline);
        parts.push(
          `<li style="margin:0 0 6px 0;">${head} <span style="${META}">${esc(s.source)} · ${esc(localDateTime(s.firstSeen, digest.tz))} · ${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'} · <a href="/articles/${esc(encodeURIComponent(s.itemId))}" style="${A}">evidence</a>${s.thread ? ` · <a href="${esc(storyHref(s.thread.id))}" style="${A}">${isDeveloping(s.thread, digest.period) ? esc(developingText(s.thread, digest.period)) : 'story'}</a>` : ''}</span></li>`,
        );
      }
      parts.push('</ul>');
    }
    return htmlPage(c, page(topic.title, parts.join('\n'), { feeds: [[topic.title, feed]] }));
  });
}
