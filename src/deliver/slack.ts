// The Slack-compatible webhook body ({text, blocks} with mrkdwn). Slack's own escaping: &, <, > as entities;
// links as <url|text> with the text escaped and the URL http(s) only.
import { safeUrl } from '../digest/escape.js';
import { plural } from '../digest/render-md.js';
import { reportedBy } from '../digest/render-md.js';
import type { Digest } from '../digest/types.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\r\n]+/g, ' ');

function link(text: string, url: string | undefined): string {
  const u = safeUrl(url);
  return u ? `<${u.replace(/[|<>]/g, encodeURIComponent)}|${esc(text).replace(/\|/g, '¦')}>` : esc(text);
}

/** At most 50 blocks and 3000 characters per text (Slack's limits). */
export function slackBody(d: Digest, baseUrl?: string): { text: string; blocks: unknown[]; unfurl_links: boolean } {
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: `${d.title} — ${d.period}`.slice(0, 150) } }];
  for (const t of d.topics) {
    if (blocks.length >= 48) break;
    const lines = t.stories.slice(0, 10).map((s) => `• ${link(s.headline, s.url)} — ${esc(s.source)}, ${esc(reportedBy(s, d.tz))}${s.note ? `\n  _${esc(s.note)}_` : ''}`);
    const text = `*${esc(t.title)}*\n${lines.length ? lines.join('\n') : '_Nothing matched._'}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } });
  }
  if (d.feedsInTrouble.length && blocks.length < 50) {
    const text = `*Feeds in trouble*\n${d.feedsInTrouble.map((f) => `• ${esc(f.title || f.feedId)}: ${f.consecutiveFailures} failed polls`).join('\n')}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } });
  }
  const base = safeUrl(baseUrl);
  // Alert messages (digest id "alert:…") have no digest page; their stories link to the article pages.
  if (base && blocks.length < 50 && !d.digestId.includes(':')) {
    const page = new URL(`digests/${encodeURIComponent(d.digestId)}/${d.period}`, base.endsWith('/') ? base : `${base}/`).href;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${page}|Open in wirewatch>` }] });
  }
  return { text: esc(`${d.title} — ${d.period}: ${plural(d.counts.stories, 'story', 'stories')}`), blocks, unfurl_links: false };
}
