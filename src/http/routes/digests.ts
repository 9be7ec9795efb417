// Digest pages: the archive (/), one digest's periods (/digests/:id), one stored digest (/digests/:id/:period,
// also .json and .md) with its delivery status, and the digest's Atom feed (/digests/:id/feed.atom).
import type { Hono } from 'hono';
import { renderAtom, renderHtml, renderJson, renderMarkdown, digestAtomEntries, type AtomEntry } from '../../digest/render.js';
import { escapeHtml as esc } from '../../digest/escape.js';
import type { Digest } from '../../digest/types.js';
import { listOutbox } from '../../store/outbox.js';
import { getDigest, listDigestKeys, listDigests } from '../../store/digests.js';
import type { WebDeps } from '../deps.js';
import { htmlPage } from '../headers.js';
import { A, ALERT, META, absolute, page } from '../layout.js';
import { todaySoFar } from './today.js';
import { deskLinks, deskPage } from '../desk.js';
import { digestFeedback } from './feedback.js';
import { sparkline } from '../trends.js';
import { dailyCounts } from '../../store/trends.js';
import { storyHref } from './stories.js';

const PERIOD = /^(\d{4}-\d{2}-\d{2})(?:\.(json|md|html))?$/;
const FEED_DIGESTS = 10;

const digestHref = (id: string, period: string) => `/digests/${encodeURIComponent(id)}/${period}`;

/** The home page: deliveries that need an operator, today so far, every digest's recent periods, the topics. */
async function homeBody(deps: WebDeps): Promise<string> {
  const rows = await listDigestKeys(deps.db, { limit: 200 });
  const trouble = await listOutbox(deps.db, { states: ['unknown', 'failed'], limit: 50 });
  const parts: string[] = [`<h1 style="margin:0 0 12px 0;">wirewatch</h1>`, deskLinks()];
  for (const o of trouble) {
    parts.push(
      `<p class="alert" style="${ALERT}"><strong>Delivery ${esc(o.state)}</strong>: <a href="${esc(digestHref(o.digest_id, o.period))}" style="${A}">${esc(o.digest_id)} ${esc(o.period)}</a> via ${esc(o.channel)}${o.error ? ` — ${esc(o.error)}` : ''}</p>`,
    );
  }
  parts.push(await todaySoFar(deps, deps.topics.map((t) => t.id)));
  const ids = [...new Set([...deps.digests.map((d) => d.id), ...rows.map((r) => r.digest_id)])];
  parts.push('<h2>Digests</h2>');
  if (!ids.length) parts.push(`<p style="${META}">No digests configured or stored yet.</p>`);
  for (const id of ids) {
    const title = deps.digests.find((d) => d.id === id)?.title ?? id;
    const periods = rows.filter((r) => r.digest_id === id).slice(0, 14);
    parts.push(
      `<h3 style="margin:12px 0 4px 0;"><a href="/digests/${esc(encodeURIComponent(id))}" style="${A}">${esc(title)}</a> <a href="/digests/${esc(encodeURIComponent(id))}/feed.atom" style="${A}font-size:12px;">Atom</a></h3>` +
        `<p style="${META}">${periods.length ? periods.map((r) => `<a href="${esc(digestHref(id, r.period))}" style="${A}">${esc(r.period)}</a>`).join(' · ') : 'nothing stored yet'}</p>`,
    );
  }
  parts.push('<h2>Topics</h2>');
  const sparks = await dailyCounts(deps.db, deps.topics.map((t) => t.id), new Date());
  parts.push(`<ul>${deps.topics.map((t) => `<li><a href="/topics/${esc(encodeURIComponent(t.id))}" style="${A}">${esc(t.title)}</a> ${sparkline(sparks.get(t.id) ?? [], t.title)}</li>`).join('')}</ul>`);
  return parts.join('\n');
}

export function registerDigestRoutes(app: Hono, deps: WebDeps): void {
  // Browsers ask for it on every page; an empty answer keeps a 404 out of their consoles.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/', async (c) => htmlPage(c, page('wirewatch', await homeBody(deps))));

  app.get('/digests/:id/feed.atom', async (c) => {
    const id = c.req.param('id');
    const rows = await listDigests(deps.db, { digestId: id, limit: FEED_DIGESTS });
    const known = deps.digests.find((d) => d.id === id);
    if (!rows.length && !known) return c.text('no such digest\n', 404);
    const entries: AtomEntry[] = rows.flatMap((r) => digestAtomEntries(JSON.parse(r.content) as Digest));
    const path = `/digests/${encodeURIComponent(id)}`;
    const xml = renderAtom(entries, {
      id: `urn:wirewatch:digest:${encodeURIComponent(id)}`,
      title: known?.title ?? id,
      selfUrl: absolute(`${path}/feed.atom`, deps.baseUrl, c.req.url),
      alternateUrl: absolute(path, deps.baseUrl, c.req.url),
      updated: rows[0]?.built_at,
    });
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });

  app.get('/digests/:id', async (c) => {
    const id = c.req.param('id');
    const rows = await listDigestKeys(deps.db, { digestId: id, limit: 400 });
    const known = deps.digests.find((d) => d.id === id);
    if (!rows.length && !known) return htmlPage(c, page('Not found', '<h1>No such digest</h1>'), 404);
    const title = known?.title ?? id;
    const body =
      `<h1 style="margin:0 0 12px 0;">${esc(title)}</h1>` +
      `<p style="${META}"><a href="/digests/${esc(encodeURIComponent(id))}/feed.atom" style="${A}">Atom feed</a></p>` +
      (rows.length
        ? `<ul>${rows.map((r) => `<li><a href="${esc(digestHref(id, r.period))}" style="${A}">${esc(r.period)}</a> <span style="${META}">built ${esc(r.built_at)}</span></li>`).join('')}</ul>`
        : `<p style="${META}">Nothing stored yet.</p>`);
    return htmlPage(c, page(title, body, { feeds: [[title, `/digests/${encodeURIComponent(id)}/feed.atom`]] }));
  });

  app.get('/digests/:id/:period', async (c) => {
    const id = c.req.param('id');
    const m = PERIOD.exec(c.req.param('period'));
    if (!m) return htmlPage(c, page('Not found', '<h1>Not found</h1>'), 404);
    const row = await getDigest(deps.db, id, m[1]);
    if (!row) return htmlPage(c, page('Not found', `<h1>No digest ${esc(id)} for ${esc(m[1])}</h1>`), 404);
    const d = JSON.parse(row.content) as Digest;
    if (m[2] === 'json') return c.body(renderJson(d), 200, { 'Content-Type': 'application/json; charset=utf-8' });
    if (m[2] === 'md') return c.body(renderMarkdown(d), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
    const outbox = await listOutbox(deps.db, { digestId: id, period: m[1] });
    return deskPage(
      c,
      renderHtml(d, {
        storyExtra: await digestFeedback(c, deps, d, digestHref(id, m[1])),
        articleHref: (itemId) => `/articles/${encodeURIComponent(itemId)}`,
        storyHref,
        deliveries: outbox.map((o) => ({ channel: o.channel, state: o.state, error: o.error, updatedAt: o.updated_at })),
        nav: [['Archive', '/'], [d.title, `/digests/${encodeURIComponent(id)}`], ['JSON', `${digestHref(id, m[1])}.json`], ['Markdown', `${digestHref(id, m[1])}.md`]],
      }),
    );
  });
}
