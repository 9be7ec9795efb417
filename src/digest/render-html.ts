// HTML rendering of a digest: a complete document with inline styles only (mail clients drop <style> and
// never run scripts; the web page serves it under a CSP without script-src). Every untrusted string is escaped
// here, and links are http(s) only (X4, X5). Pure.
import { escapeHtml as esc, safeUrl } from './escape.js';
import { coverage, plural, reportedBy, whyText } from './render-md.js';
import { possibleWhy } from './possible.js';
import { developingText, isDeveloping } from './stories.js';
import { localDateTime, localHHMM } from './time.js';
import type { Digest, DigestStory, Snippet } from './types.js';

export interface HtmlOptions {
  /** Link each story to its article view (web): itemId → relative URL. */
  articleHref?: (itemId: string) => string;
  /** Delivery status to show (web; `unknown` is shown as an alert). */
  deliveries?: { channel: string; state: string; error?: string | null; updatedAt?: string }[];
  /** Unsubscribe link (email), http(s) or mailto. */
  unsubscribeUrl?: string;
  /** Extra navigation links (web), [label, href] with relative hrefs. */
  nav?: [string, string][];
  /** Link each story followed across days to its story page (web): persistent story id → relative URL. */
  storyHref?: (storyId: string) => string;
  /** Extra HTML after each story (web: the relevance feedback form), given the story's item and topic; escaped HTML. */
  storyExtra?: (itemId: string, topicId: string) => string;
}

const S = {
  body: 'margin:0;padding:0;background:#f4f4f5;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#18181b;',
  wrap: 'max-width:720px;margin:0 auto;padding:24px 16px;background:#ffffff;',
  h1: 'font-size:24px;margin:0 0 4px 0;',
  meta: 'font-size:13px;color:#52525b;margin:0 0 16px 0;',
  h2: 'font-size:19px;margin:28px 0 8px 0;padding-bottom:4px;border-bottom:2px solid #e4e4e7;',
  story: 'margin:0 0 18px 0;',
  h3: 'font-size:16px;margin:0 0 4px 0;line-height:1.35;',
  a: 'color:#1d4ed8;text-decoration:underline;',
  snippet: 'font-size:14px;line-height:1.5;margin:4px 0;color:#27272a;',
  mark: 'background:#fef08a;color:inherit;padding:0 1px;',
  why: 'font-size:12px;color:#52525b;margin:2px 0;',
  developing: 'font-size:13px;color:#9a3412;font-weight:600;margin:2px 0;',
  others: 'font-size:13px;margin:4px 0 0 0;padding-left:18px;color:#3f3f46;',
  trouble: 'font-size:13px;background:#fef2f2;border:1px solid #fecaca;padding:8px 12px;margin:24px 0 0 0;',
  alert: 'font-size:13px;background:#fff7ed;border:1px solid #fdba74;padding:8px 12px;margin:8px 0;',
  nav: 'font-size:13px;margin:0 0 12px 0;',
  footer: 'font-size:12px;color:#71717a;margin-top:28px;',
};

function link(text: string, url: string | undefined, style = S.a): string {
  const u = safeUrl(url);
  return u ? `<a href="${esc(u)}" style="${style}" rel="noopener noreferrer">${esc(text)}</a>` : esc(text);
}

function highlighted(text: string, ranges: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [a, b] of ranges) {
    if (a < at || b > text.length) continue;
    out += `${esc(text.slice(at, a))}<mark style="${S.mark}">${esc(text.slice(a, b))}</mark>`;
    at = b;
  }
  return out + esc(text.slice(at));
}

function storyHtml(s: DigestStory, tz: string, opts: HtmlOptions, topicId: string, period: string): string {
  const u = safeUrl(s.url);
  const title = highlighted(s.headline, s.titleHighlights);
  const head = u ? `<a href="${esc(u)}" style="${S.a}" rel="noopener noreferrer">${title}</a>` : title;
  const snippet: Snippet = s.snippet;
  const why = s.evidence.length ? `Why: ${esc(whyText(s.evidence))}` : '';
  const view = opts.articleHref ? ` · <a href="${esc(opts.articleHref(s.itemId))}" style="${S.a}">evidence</a>` : '';
  const story = s.thread && opts.storyHref ? ` · <a href="${esc(opts.storyHref(s.thread.id))}" style="${S.a}">story</a>` : '';
  const developing = isDeveloping(s.thread, period) ? `<p class="developing" style="${S.developing}">${esc(developingText(s.thread, period))}</p>` : '';
  const others = s.others.length
    ? `<ul style="${S.others}">${s.others.map((o) => `<li>${link(o.title, o.url)} — ${esc(o.source)}, ${esc(localHHMM(o.published, tz))}</li>`).join('')}</ul>`
    : '';
  return (
    `<div class="story" style="${S.story}"><h3 style="${S.h3}">${head}</h3>` +
    `<p style="${S.meta}margin:0;">${esc(s.source)} · ${esc(localHHMM(s.published, tz))} · score ${s.score.toFixed(2)} · ${esc(reportedBy(s, tz))}</p>` +
    developing +
    (snippet.text ? `<p style="${S.snippet}">${highlighted(snippet.text, snippet.highlights)}</p>` : '') +
    (why || view || story ? `<p style="${S.why}">${why}${view}${story}</p>` : '') +
    (s.note ? `<p style="${S.why}"><strong>${esc(s.note)}</strong></p>` : '') +
    others +
    (opts.storyExtra?.(s.itemId, topicId) ?? '') +
    `</div>`
  );
}

/** The digest as one HTML document. */
export function renderHtml(d: Digest, opts: HtmlOptions = {}): string {
  const parts: string[] = [];
  if (opts.nav?.length) parts.push(`<p style="${S.nav}">${opts.nav.map(([l, h]) => `<a href="${esc(h)}" style="${S.a}">${esc(l)}</a>`).join(' · ')}</p>`);
  parts.push(`<h1 style="${S.h1}">${esc(d.title)} — ${esc(d.period)}</h1>`);
  parts.push(`<p style="${S.meta}">${esc(localDateTime(d.start, d.tz))} – ${esc(localDateTime(d.end, d.tz))} (${esc(d.tz)}) · ${plural(d.counts.stories, 'story', 'stories')} from ${plural(d.counts.articles, 'article')}</p>`);
  const cover = coverage(d);
  if (cover) parts.push(d.undelivered ? `<p class="alert" style="${S.alert}"><strong>Not yet delivered.</strong> ${esc(cover)}</p>` : `<p style="${S.meta}">${esc(cover)}</p>`);
  for (const x of opts.deliveries ?? []) {
    if (x.state === 'unknown' || x.state === 'failed') {
      parts.push(`<p class="alert" style="${S.alert}"><strong>Delivery ${esc(x.state)}</strong> on ${esc(x.channel)}${x.error ? `: ${esc(x.error)}` : ''}${x.state === 'unknown' ? ' — the server may have accepted it; not resent automatically.' : ''}</p>`);
    }
  }
  for (const t of d.topics) {
    parts.push(`<h2 id="topic-${esc(t.id)}" style="${S.h2}">${esc(t.title)}</h2>`);
    if (!t.stories.length) parts.push(`<p style="${S.meta}">Nothing matched in this period.</p>`);
    for (const s of t.stories) parts.push(storyHtml(s, d.tz, opts, t.id, d.period));
    if (t.omitted > 0) parts.push(`<p style="${S.meta}">…and ${t.omitted} more stories.</p>`);
  }
  if (d.possiblyRelevant?.length) {
    parts.push(`<h2 id="possibly-relevant" style="${S.h2}">Possibly relevant</h2>`);
    parts.push(`<p style="${S.meta}">Not matched by the topic rules; flagged by the statistical model, with its reason.</p>`);
    for (const t of d.possiblyRelevant) {
      const items = t.articles.map(
        (a) => `<li>${link(a.title, a.url)} — ${esc(a.source)}, ${esc(localHHMM(a.published, d.tz))}<br><span style="${S.why}">${esc(possibleWhy(a))}</span>` +
          `${opts.articleHref ? ` · <a href="${esc(opts.articleHref(a.itemId))}" style="${S.a}">article</a>` : ''}</li>`,
      );
      if (t.omitted > 0) items.push(`<li>…and ${t.omitted} more.</li>`);
      parts.push(`<div class="possible" style="${S.story}"><h3 style="${S.h3}">${esc(t.title)}</h3><ul style="${S.others}">${items.join('')}</ul></div>`);
    }
  }
  if (d.feedsInTrouble.length) {
    parts.push(
      `<div class="trouble" style="${S.trouble}"><strong>Feeds in trouble</strong><ul style="margin:4px 0 0 0;padding-left:18px;">` +
        d.feedsInTrouble
          .map((f) => `<li>${link(f.title || f.feedId, f.url)}: ${f.consecutiveFailures} failed polls in a row${f.lastError ? ` — ${esc(f.lastError)}` : ''}</li>`)
          .join('') +
        `</ul></div>`,
    );
  }
  if (opts.deliveries?.length) {
    parts.push(`<p style="${S.footer}">Deliveries: ${opts.deliveries.map((x) => `${esc(x.channel)} ${esc(x.state)}`).join(' · ')}</p>`);
  }
  const unsub = opts.unsubscribeUrl && /^(mailto:|https?:)/i.test(opts.unsubscribeUrl)
    ? ` · <a href="${esc(opts.unsubscribeUrl)}" style="${S.a}">Unsubscribe</a>` : '';
  parts.push(`<p style="${S.footer}">Made by wirewatch${unsub}</p>`);
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(d.title)} — ${esc(d.period)}</title></head>` +
    `<body style="${S.body}"><div style="${S.wrap}">${parts.join('\n')}</div></body></html>\n`
  );
}
