// GET /feeds: feed health — every feed with last poll, status, last error, items per day, learned interval and
// next poll, the feeds in trouble first.
import type { Hono } from 'hono';
import { escapeHtml as esc, safeUrl } from '../../digest/escape.js';
import { feedHealth, HEALTH_WINDOW_DAYS, type FeedStatus } from '../../store/feed-health.js';
import type { WebDeps } from '../deps.js';
import { DESK_NAV, deskPage } from '../desk.js';
import { A, META, page } from '../layout.js';

const BADGE: Record<FeedStatus, string> = {
  failing: 'background:#fee2e2;color:#991b1b;',
  overdue: 'background:#ffedd5;color:#9a3412;',
  quiet: 'background:#fef9c3;color:#854d0e;',
  'never polled': 'background:#e4e4e7;color:#3f3f46;',
  ok: 'background:#dcfce7;color:#166534;',
};
const TD = 'padding:6px 8px;border-top:1px solid #e4e4e7;vertical-align:top;';
const TH = 'padding:6px 8px;text-align:left;font-weight:600;white-space:nowrap;';

/** "2026-11-29 10:00" from an ISO time; "—" when absent. */
const when = (iso: string | null | undefined) => (iso ? esc(iso.slice(0, 16).replace('T', ' ')) : '—');

function interval(s: number | null): string {
  if (!s) return '—';
  return s >= 3600 ? `${(s / 3600).toFixed(s % 3600 ? 1 : 0)} h` : `${Math.round(s / 60)} min`;
}

export function registerFeedRoutes(app: Hono, deps: WebDeps): void {
  app.get('/feeds', async (c) => {
    const rows = await feedHealth(deps.db, new Date());
    const trouble = rows.filter((r) => r.status !== 'ok').length;
    const body = [
      '<h1 style="margin:0 0 8px 0;">Feed health</h1>',
      `<p style="${META}">${rows.length} feed(s), ${trouble} needing a look. Items per day over the last ${HEALTH_WINDOW_DAYS} days; times UTC.</p>`,
      `<div role="region" aria-label="Feeds" tabindex="0" style="overflow-x:auto;">`,
      `<table class="feeds" style="border-collapse:collapse;font-size:13px;width:100%;"><thead><tr>` +
        ['Feed', 'Status', 'Last poll', 'Items/day', 'Interval', 'Next poll', 'Last error'].map((h) => `<th scope="col" style="${TH}">${h}</th>`).join('') +
        '</tr></thead><tbody>',
      ...rows.map(({ feed: f, status, itemsPerDay }) => {
        const u = safeUrl(f.url);
        const name = esc(f.title ?? f.id);
        const failures = Number(f.consecutive_failures);
        return (
          `<tr><td style="${TD}">${u ? `<a href="${esc(u)}" style="${A}" rel="noopener noreferrer">${name}</a>` : name}<div style="${META}">${esc(f.id)}</div></td>` +
          `<td style="${TD}"><span style="${BADGE[status]}padding:1px 6px;border-radius:3px;white-space:nowrap;">${esc(status)}${failures > 0 ? ` ×${failures}` : ''}</span>${f.last_status ? `<div style="${META}">HTTP ${Number(f.last_status)}</div>` : ''}</td>` +
          `<td style="${TD}white-space:nowrap;">${when(f.last_poll_at)}</td>` +
          `<td style="${TD}text-align:right;">${itemsPerDay.toFixed(1)}</td>` +
          `<td style="${TD}"><span style="white-space:nowrap;">${interval(f.interval_s)}</span>${f.interval_why ? `<div style="${META}">${esc(f.interval_why)}</div>` : ''}</td>` +
          `<td style="${TD}white-space:nowrap;">${when(f.next_poll_at)}</td>` +
          `<td style="${TD}word-break:break-word;">${f.last_error ? esc(f.last_error.slice(0, 300)) : ''}</td></tr>`
        );
      }),
      '</tbody></table></div>',
    ];
    if (!rows.length) body.push(`<p style="${META}">No feeds stored yet: they appear after the first poll.</p>`);
    return deskPage(c, page('Feed health', body.join('\n'), { nav: DESK_NAV }));
  });
}
