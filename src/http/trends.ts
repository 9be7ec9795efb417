// Server-rendered trend graphics: the topic page's 30-day bar chart (SVG with a text alternative: an aria label
// and the numbers as a table) and the home page's sparklines. No script; every label is escaped.
import { escapeHtml as esc } from '../digest/escape.js';
import type { TopicTrend } from '../store/trends.js';
import { META } from './layout.js';

const BAR = '#2563eb';

export function changeText(pct: number | null, lastWeek: number): string {
  if (pct === null) return lastWeek ? 'new this week' : 'no change';
  const r = Math.round(pct);
  return r === 0 ? 'no change' : `${r > 0 ? '+' : '−'}${Math.abs(r)}% week over week`;
}

/** The 30-day chart with its accessible description and the same numbers as a table. */
export function trendSection(t: TopicTrend, titleId: string): string {
  const W = 600;
  const H = 120;
  const max = Math.max(1, ...t.daily.map((d) => d.count));
  const bw = W / t.daily.length;
  const peak = t.daily.reduce((a, b) => (b.count > a.count ? b : a), t.daily[0]);
  const label = `Matched articles per day, last ${t.daily.length} days: ${t.total} in all, at most ${peak.count} on ${peak.day}; last 7 days ${t.lastWeek}, the 7 before ${t.weekBefore} (${changeText(t.weekChangePct, t.lastWeek)}).`;
  const bars = t.daily
    .map((d, i) => {
      const h = Math.round((d.count / max) * (H - 14));
      return `<rect x="${(i * bw + 1).toFixed(1)}" y="${H - h}" width="${(bw - 2).toFixed(1)}" height="${h}" fill="${BAR}"><title>${esc(d.day)}: ${d.count}</title></rect>`;
    })
    .join('');
  const svg =
    `<svg role="img" aria-labelledby="${titleId}" viewBox="0 0 ${W} ${H}" width="100%" height="${H}" preserveAspectRatio="none" style="display:block;max-width:${W}px;background:#fafafa;border-bottom:1px solid #a1a1aa;">` +
    `<title id="${titleId}">${esc(label)}</title>${bars}</svg>`;
  const list = (xs: { k: string; n: number }[]) => (xs.length ? xs.map((x) => `${esc(x.k)} (${x.n})`).join(', ') : '—');
  return (
    `<section aria-label="Trend" style="margin:12px 0 20px 0;"><h2 style="font-size:17px;margin:0 0 6px 0;">Last ${t.daily.length} days</h2>` +
    `<p style="font-size:14px;margin:0 0 6px 0;"><strong>${t.lastWeek}</strong> article${t.lastWeek === 1 ? '' : 's'} in the last 7 days, ${t.weekBefore} the week before: <strong>${esc(changeText(t.weekChangePct, t.lastWeek))}</strong>.</p>` +
    svg +
    `<p style="${META}">${esc(t.daily[0].day)} – ${esc(t.daily[t.daily.length - 1].day)} (UTC), ${t.total} in all.</p>` +
    `<p style="font-size:14px;margin:4px 0;">Top outlets: ${list(t.outlets.map((o) => ({ k: o.name, n: o.count })))}</p>` +
    `<p style="font-size:14px;margin:4px 0;">Languages: ${list(t.langs.map((l) => ({ k: l.lang, n: l.count })))}</p>` +
    `<details style="font-size:13px;"><summary>Numbers per day</summary><table style="border-collapse:collapse;"><thead><tr><th scope="col" style="text-align:left;padding:2px 8px;">Day</th><th scope="col" style="text-align:right;padding:2px 8px;">Articles</th></tr></thead><tbody>` +
    t.daily.map((d) => `<tr><td style="padding:2px 8px;">${esc(d.day)}</td><td style="padding:2px 8px;text-align:right;">${d.count}</td></tr>`).join('') +
    '</tbody></table></details></section>'
  );
}

/** A small inline sparkline with its numbers in the accessible name. */
export function sparkline(daily: { day: string; count: number }[], name: string): string {
  const W = 120;
  const H = 24;
  const max = Math.max(1, ...daily.map((d) => d.count));
  const pts = daily.map((d, i) => `${((i / Math.max(1, daily.length - 1)) * (W - 2) + 1).toFixed(1)},${(H - 2 - (d.count / max) * (H - 4)).toFixed(1)}`).join(' ');
  const total = daily.reduce((s, d) => s + d.count, 0);
  const last7 = daily.slice(-7).reduce((s, d) => s + d.count, 0);
  const label = `${name}: ${total} article${total === 1 ? '' : 's'} in ${daily.length} days, ${last7} in the last 7`;
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" style="vertical-align:middle;"><polyline points="${pts}" fill="none" stroke="${BAR}" stroke-width="1.5"/></svg>`;
}
