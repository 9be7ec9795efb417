// Atom (RFC 4287) feeds of digest stories: per digest and per topic. Every text is XML-escaped and links are
// http(s) only (X4, X5). Pure.
import { escapeXml as x, safeUrl } from './escape.js';
import type { Digest } from './types.js';
import { whyText } from './render-md.js';
import { developingText, isDeveloping } from './stories.js';

export interface AtomEntry {
  /** Globally unique and stable (a tag: or urn: URI). */
  id: string;
  title: string;
  url?: string;
  updated: string;
  published?: string;
  summary?: string;
  source?: string;
  categories?: string[];
}

export interface AtomOptions {
  /** Feed id (stable URI). */
  id: string;
  title: string;
  /** Absolute URL of the feed itself (rel=self) and of its HTML page (rel=alternate). */
  selfUrl?: string;
  alternateUrl?: string;
  /** Feed <updated>; defaults to the newest entry's (Atom requires one; an empty feed uses the epoch). */
  updated?: string;
}

/** Stories of a digest as Atom entries (optionally one topic). */
export function digestAtomEntries(d: Digest, topicId?: string): AtomEntry[] {
  return d.topics
    .filter((t) => !topicId || t.id === topicId)
    .flatMap((t) =>
      t.stories.map((s) => ({
        id: `urn:wirewatch:${encodeURIComponent(d.digestId)}:${d.period}:${encodeURIComponent(t.id)}:${encodeURIComponent(s.id)}`,
        title: s.headline,
        url: s.url,
        updated: d.end,
        published: s.firstSeen,
        summary: [
          `${s.source}; reported by ${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'}.`,
          isDeveloping(s.thread, d.period) ? `${developingText(s.thread, d.period)}.` : '',
          s.snippet.text,
          s.evidence.length ? `Why: ${whyText(s.evidence)}` : '',
        ].filter(Boolean).join(' '),
        source: s.source,
        categories: [t.id],
      })),
    );
}

function iso(s: string | undefined): string {
  const t = s ? Date.parse(s) : NaN;
  return new Date(Number.isNaN(t) ? 0 : t).toISOString();
}

export function renderAtom(input: Digest | AtomEntry[], opts: AtomOptions): string {
  const entries = Array.isArray(input) ? input : digestAtomEntries(input);
  const updated = opts.updated ?? entries.map((e) => iso(e.updated)).sort().pop() ?? iso(undefined);
  const self = safeUrl(opts.selfUrl);
  const alt = safeUrl(opts.alternateUrl);
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${x(opts.id)}</id>`,
    `  <title type="text">${x(opts.title)}</title>`,
    `  <updated>${iso(updated)}</updated>`,
    '  <author><name>wirewatch</name></author>',
    '  <generator>wirewatch</generator>',
  ];
  if (self) out.push(`  <link rel="self" type="application/atom+xml" href="${x(self)}"/>`);
  if (alt) out.push(`  <link rel="alternate" type="text/html" href="${x(alt)}"/>`);
  for (const e of entries) {
    const u = safeUrl(e.url);
    out.push('  <entry>');
    out.push(`    <id>${x(e.id)}</id>`);
    out.push(`    <title type="text">${x(e.title)}</title>`);
    if (u) out.push(`    <link rel="alternate" type="text/html" href="${x(u)}"/>`);
    out.push(`    <updated>${iso(e.updated)}</updated>`);
    if (e.published) out.push(`    <published>${iso(e.published)}</published>`);
    if (e.source) out.push(`    <author><name>${x(e.source)}</name></author>`);
    for (const c of e.categories ?? []) out.push(`    <category term="${x(c)}"/>`);
    if (e.summary) out.push(`    <summary type="text">${x(e.summary)}</summary>`);
    out.push('  </entry>');
  }
  out.push('</feed>', '');
  return out.join('\n');
}
