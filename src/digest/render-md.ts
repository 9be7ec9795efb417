// Markdown and plain-text renderings of a digest (files channel, CLI, the email's text part). Pure.
import { escapeMarkdown, markdownUrl } from './escape.js';
import { localDateTime, localHHMM } from './time.js';
import type { Digest, DigestStory, Snippet } from './types.js';
import type { Evidence } from '../model.js';
import { possibleWhy } from './possible.js';
import { developingText, isDeveloping } from './stories.js';

function mdHighlighted(s: Snippet): string {
  let out = '';
  let at = 0;
  for (const [a, b] of s.highlights) {
    out += escapeMarkdown(s.text.slice(at, a)) + `**${escapeMarkdown(s.text.slice(a, b))}**`;
    at = b;
  }
  return out + escapeMarkdown(s.text.slice(at));
}

/**
 * "“kyiv” in title/lead, “air raid” in lead" — each distinct term that fired once, with the fields it fired in, in
 * the order the evidence lists them (a term found in title, lead and body is one entry, not three).
 */
export function whyText(evidence: Evidence[]): string {
  const fields = new Map<string, string[]>();
  for (const e of evidence) {
    const seen = fields.get(e.term);
    if (!seen) fields.set(e.term, [e.field]);
    else if (!seen.includes(e.field)) seen.push(e.field);
  }
  return [...fields].map(([term, where]) => `“${term}” in ${where.join('/')}`).join(', ');
}

/** "1 story", "3 stories". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function reportedBy(s: DigestStory, tz: string): string {
  const n = s.outlets.length;
  return `${n === 1 ? 'reported by 1 outlet' : `reported by ${n} outlets`}, first seen ${s.firstSeenLocal || localHHMM(s.firstSeen, tz)}`;
}

function mdLink(text: string, url: string): string {
  const u = markdownUrl(url);
  return u ? `[${escapeMarkdown(text)}](${u})` : escapeMarkdown(text);
}

/** The cut a digest carries, in words a reader can check against the previous one (README "Which articles"). */
export function coverage(d: Digest): string | undefined {
  if (!d.coveredFrom || !d.coveredTo) return undefined;
  const span = `${localDateTime(d.coveredFrom, d.tz)} – ${localDateTime(d.coveredTo, d.tz)} (${d.tz})`;
  return d.undelivered ? `Matched since the last digest, ${span}; these go out in the next digest.` : `Carries every match stored ${span} not in an earlier digest.`;
}

export function renderMarkdown(d: Digest): string {
  const L: string[] = [];
  L.push(`# ${escapeMarkdown(d.title)} — ${d.period}`, '');
  L.push(`_${escapeMarkdown(`${localDateTime(d.start, d.tz)} – ${localDateTime(d.end, d.tz)} (${d.tz})`)}; ${plural(d.counts.stories, 'story', 'stories')} from ${plural(d.counts.articles, 'article')}._`, '');
  const cover = coverage(d);
  if (cover) L.push(d.undelivered ? `> **Not yet delivered.** ${escapeMarkdown(cover)}` : `_${escapeMarkdown(cover)}_`, '');
  for (const t of d.topics) {
    L.push(`## ${escapeMarkdown(t.title)}`, '');
    if (!t.stories.length) L.push('_Nothing matched in this period._', '');
    for (const s of t.stories) {
      L.push(`### ${mdLink(s.headline, s.url)}`, '');
      L.push(`${escapeMarkdown(s.source)} · ${escapeMarkdown(localHHMM(s.published, d.tz))} · score ${s.score.toFixed(2)} · ${escapeMarkdown(reportedBy(s, d.tz))}`, '');
      if (isDeveloping(s.thread, d.period)) L.push(`**${escapeMarkdown(developingText(s.thread, d.period))}**`, '');
      if (s.snippet.text) L.push(`> ${mdHighlighted(s.snippet)}`, '');
      if (s.evidence.length) L.push(`Why: ${escapeMarkdown(whyText(s.evidence))}`, '');
      if (s.note) L.push(`**${escapeMarkdown(s.note)}**`, '');
      for (const o of s.others) L.push(`- ${mdLink(o.title, o.url)} — ${escapeMarkdown(o.source)}, ${escapeMarkdown(localHHMM(o.published, d.tz))}`);
      if (s.others.length) L.push('');
    }
    if (t.omitted > 0) L.push(`_…and ${t.omitted} more stories._`, '');
  }
  if (d.possiblyRelevant?.length) {
    L.push('## Possibly relevant', '', '_Not matched by the topic rules; flagged by the statistical model, with its reason._', '');
    for (const t of d.possiblyRelevant) {
      L.push(`### ${escapeMarkdown(t.title)}`, '');
      for (const a of t.articles) {
        L.push(`- ${mdLink(a.title, a.url)} — ${escapeMarkdown(a.source)}, ${escapeMarkdown(localHHMM(a.published, d.tz))} · ${escapeMarkdown(possibleWhy(a))}`);
      }
      if (t.omitted > 0) L.push(`- _…and ${t.omitted} more._`);
      L.push('');
    }
  }
  if (d.feedsInTrouble.length) {
    L.push('## Feeds in trouble', '');
    for (const f of d.feedsInTrouble) {
      L.push(`- ${mdLink(f.title || f.feedId, f.url)}: ${f.consecutiveFailures} failed polls in a row${f.lastError ? ` — ${escapeMarkdown(f.lastError)}` : ''}`);
    }
    L.push('');
  }
  return L.join('\n');
}

/** Plain text (the email's text/plain part): no markup at all, URLs spelled out. */
export function renderText(d: Digest): string {
  const L: string[] = [];
  const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim();
  L.push(`${clean(d.title)} — ${d.period}`, `${localDateTime(d.start, d.tz)} – ${localDateTime(d.end, d.tz)} (${d.tz})`, '');
  const cover = coverage(d);
  if (cover) L.push(clean(d.undelivered ? `Not yet delivered. ${cover}` : cover), '');
  for (const t of d.topics) {
    L.push(clean(t.title).toUpperCase(), '='.repeat(Math.min(60, clean(t.title).length)), '');
    if (!t.stories.length) L.push('Nothing matched in this period.', '');
    for (const s of t.stories) {
      L.push(`* ${clean(s.headline)}`);
      L.push(`  ${clean(s.source)} · ${localHHMM(s.published, d.tz)} · ${reportedBy(s, d.tz)}`);
      if (isDeveloping(s.thread, d.period)) L.push(`  ${developingText(s.thread, d.period)}`);
      if (s.url) L.push(`  ${s.url}`);
      if (s.snippet.text) L.push(`  ${clean(s.snippet.text)}`);
      if (s.evidence.length) L.push(`  Why: ${clean(whyText(s.evidence))}`);
      if (s.note) L.push(`  ${clean(s.note)}`);
      for (const o of s.others) L.push(`  - ${clean(o.title)} (${clean(o.source)})${o.url ? ` ${o.url}` : ''}`);
      L.push('');
    }
    if (t.omitted > 0) L.push(`…and ${t.omitted} more stories.`, '');
  }
  if (d.possiblyRelevant?.length) {
    L.push('POSSIBLY RELEVANT', '(not matched by the topic rules; flagged by the statistical model, with its reason)', '');
    for (const t of d.possiblyRelevant) {
      L.push(clean(t.title));
      for (const a of t.articles) L.push(`* ${clean(a.title)} (${clean(a.source)})${a.url ? ` ${a.url}` : ''}`, `  ${clean(possibleWhy(a))}`);
      if (t.omitted > 0) L.push(`…and ${t.omitted} more.`);
      L.push('');
    }
  }
  if (d.feedsInTrouble.length) {
    L.push('FEEDS IN TROUBLE', '');
    for (const f of d.feedsInTrouble) L.push(`- ${clean(f.title || f.feedId)} (${f.url}): ${f.consecutiveFailures} failed polls${f.lastError ? ` — ${clean(f.lastError)}` : ''}`);
    L.push('');
  }
  return L.join('\n');
}
