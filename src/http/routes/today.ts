// "Today so far": the articles matched since local midnight (in the first digest's zone), newest first, each marked
// with the digest that carried it or "not yet delivered" — on the home page and every topic page, so what a run
// just stored is visible at once, without knowing about periods.
import { escapeHtml as esc, safeUrl } from '../../digest/escape.js';
import { localHHMM, localParts, zonedTime } from '../../digest/time.js';
import { matchesStoredBetween, periodsOf } from '../../store/cuts.js';
import type { WebDeps } from '../deps.js';
import { A, META } from '../layout.js';

const TODAY_LIMIT = 100;

/** The "Today so far" section for these topics (HTML; every stored string escaped). */
export async function todaySoFar(deps: WebDeps, topicIds: string[], now = new Date()): Promise<string> {
  const tz = deps.digests[0]?.schedule.tz ?? 'UTC';
  const l = localParts(now, tz);
  const from = zonedTime(tz, l.year, l.month, l.day, 0, 0).toISOString();
  const entries = await matchesStoredBetween(deps.db, { topicIds, from, to: now.toISOString(), limit: TODAY_LIMIT * 2 });
  const seen = new Set<string>();
  const shown = entries.filter((e) => !seen.has(e.itemId) && seen.add(e.itemId)).slice(0, TODAY_LIMIT);
  const carried = await periodsOf(deps.db, shown.map((e) => e.itemId));
  const titles = new Map(deps.topics.map((t) => [t.id, t.title]));
  const parts = [`<h2 style="font-size:17px;margin:16px 0 6px 0;">Today so far</h2>`];
  if (!shown.length) {
    parts.push(`<p style="${META}">Nothing matched today yet (since 00:00 ${esc(tz)}).</p>`);
    return parts.join('\n');
  }
  parts.push('<ul class="today">');
  for (const e of shown) {
    const u = safeUrl(e.url);
    const head = u ? `<a href="${esc(u)}" style="${A}" rel="noopener noreferrer">${esc(e.title)}</a>` : esc(e.title);
    const topics = entries.filter((x) => x.itemId === e.itemId).map((x) => titles.get(x.topicId) ?? x.topicId);
    const ins = (carried.get(e.itemId) ?? []).filter((c) => topicIds.includes(c.topicId));
    const uniq = [...new Map(ins.map((c) => [`${c.digestId}/${c.period}`, c])).values()];
    const status = uniq.length
      ? uniq.map((c) => `in <a href="/digests/${esc(encodeURIComponent(c.digestId))}/${esc(c.period)}" style="${A}">${esc(c.digestId)} ${esc(c.period)}</a>`).join(', ')
      : '<strong>not yet delivered</strong>';
    parts.push(
      `<li style="margin:0 0 6px 0;">${head} <span style="${META}">${esc(e.source)} · ${esc(localHHMM(e.storedAt, tz))} · ${esc([...new Set(topics)].join(', '))} · ${status} · <a href="/articles/${esc(encodeURIComponent(e.itemId))}" style="${A}">evidence</a></span></li>`,
    );
  }
  parts.push('</ul>');
  return parts.join('\n');
}
