// The one normaliser every parser engine feeds: a RawFeed (strings as the parser found them, with their type and
// xml:base) in, a ParsedFeed out — links absolute and http(s) only (X5), titles/summaries plain text, content
// sanitised (X4), dates read by feeds/dates, items capped (L7). Pure.
import type { FeedItem, ParsedFeed } from '../model.js';
import { parseFeedDate } from './dates.js';
import { DEFAULT_MAX_ITEMS } from './defaults.js';
import { htmlToText, plainText, safeUrl, sanitizeHtml } from './sanitize.js';

/** A text construct as the parser gave it. `type` 'text' means literal text; 'html'/'xhtml' mean markup. */
export interface RawText {
  value: string;
  type?: 'text' | 'html' | 'xhtml';
  /** xml:base in effect for this element, if the engine exposes it. */
  base?: string;
}

export interface RawItem {
  title?: RawText;
  link?: string;
  guid?: string;
  summary?: RawText;
  content?: RawText;
  authorName?: string;
  authorEmail?: string;
  published?: string;
  updated?: string;
  lang?: string;
  base?: string;
}

export interface RawFeed {
  format: ParsedFeed['format'];
  title?: RawText;
  link?: string;
  lang?: string;
  base?: string;
  ttl?: string | number;
  syPeriod?: string;
  syFrequency?: string | number;
  description?: RawText;
  authorName?: string;
  authorEmail?: string;
  id?: string;
  published?: string;
  updated?: string;
  items: RawItem[];
}

export interface NormaliseOptions {
  /** The feed's URL (after redirects; Content-Location when given): the base of relative links. */
  url: string;
  tz?: string;
  maxItems?: number;
}

const PERIOD_S: Record<string, number> = { hourly: 3600, daily: 86400, weekly: 604800, monthly: 2592000, yearly: 31536000 };

function looksLikeHtml(s: string): boolean {
  // `<\/?[a-zA-Z][^>]*>` as a regex rescans to the end from every `<` when no `>` follows (C2: `'<a '` × 20,000):
  // the first tag start and any later `>` answer the same question in one pass.
  const tag = s.search(/<\/?[a-zA-Z]/);
  if (tag >= 0 && s.indexOf('>', tag) >= 0) return true;
  return /&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});/.test(s);
}

function resolveBase(base: string | undefined, parent: string): string {
  if (!base) return parent;
  try {
    return new URL(base.trim(), parent).toString();
  } catch {
    return parent;
  }
}

/** Plain text of a text construct: literal text stays literal, markup is flattened. */
export function textOf(t: RawText | undefined): string | undefined {
  if (!t || typeof t.value !== 'string') return undefined;
  const out = t.type === 'text' ? plainText(t.value) : looksLikeHtml(t.value) ? htmlToText(t.value) : plainText(t.value);
  return out === '' ? undefined : out;
}

/** Sanitised HTML of a text construct; literal text is escaped into HTML. */
function htmlOf(t: RawText | undefined, base: string): string | undefined {
  if (!t || typeof t.value !== 'string' || t.value.trim() === '') return undefined;
  const b = resolveBase(t.base, base);
  const html = t.type === 'text' ? escapeForHtml(t.value) : sanitizeHtml(t.value, b);
  return html === '' ? undefined : html;
}

function escapeForHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function author(item: { authorName?: string; authorEmail?: string }): string | undefined {
  let name = item.authorName ? htmlToText(item.authorName) : '';
  let email = item.authorEmail?.trim() ?? '';
  // RSS puts both in one string: "me@example.com (Name)", "Name <me@example.com>", "Name (me@example.com)".
  let m: RegExpExecArray | null;
  if (!email && (m = /^([^\s()<>]+@[^\s()<>]+)\s*\((.+)\)$/.exec(name))) [email, name] = [m[1], m[2].trim()];
  else if (!email && (m = /^(.*?)\s*[<(]([^\s()<>]+@[^\s()<>]+)[>)]$/.exec(name))) [name, email] = [m[1].trim(), m[2]];
  else if (!email && /^[^\s()<>]+@[^\s()<>]+$/.test(name)) [email, name] = [name, ''];
  if (name && email && !name.includes(email)) return `${name} (${email})`;
  return name || email || undefined;
}

function positive(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Turn a RawFeed into the ParsedFeed contract. Never throws on odd values: unreadable fields are left out. */
export function normaliseFeed(raw: RawFeed, opts: NormaliseOptions): ParsedFeed {
  const feedBase = resolveBase(raw.base, opts.url);
  const maxItems = opts.maxItems ?? DEFAULT_MAX_ITEMS;
  const items: FeedItem[] = [];
  for (const r of raw.items) {
    if (items.length >= maxItems) break;
    const base = resolveBase(r.base, feedBase);
    const url = safeUrl(r.link, base);
    const guid = typeof r.guid === 'string' && r.guid.trim() !== '' ? r.guid.trim() : undefined;
    const title = textOf(r.title) ?? '';
    const contentHtml = htmlOf(r.content, base);
    const summary = textOf(r.summary);
    const item: FeedItem = { title };
    if (guid) item.guid = guid;
    if (url) item.url = url;
    if (summary) item.summary = summary;
    if (contentHtml) item.contentHtml = contentHtml;
    const a = author(r);
    if (a) item.author = a;
    const published = parseFeedDate(r.published, opts.tz);
    const updated = parseFeedDate(r.updated, opts.tz);
    if (published) item.published = published;
    if (updated) item.updated = updated;
    const lang = r.lang?.trim().toLowerCase();
    if (lang) item.lang = lang;
    items.push(item);
  }
  const feed: ParsedFeed = { format: raw.format, items };
  const title = textOf(raw.title);
  if (title) feed.title = title;
  const link = safeUrl(raw.link, feedBase);
  if (link) feed.link = link;
  if (raw.lang?.trim()) feed.lang = raw.lang.trim().toLowerCase();
  const description = textOf(raw.description);
  if (description) feed.description = description;
  const feedAuthor = author(raw);
  if (feedAuthor) feed.author = feedAuthor;
  if (raw.id?.trim()) feed.id = raw.id.trim();
  const published = parseFeedDate(raw.published, opts.tz);
  if (published) feed.published = published;
  const updated = parseFeedDate(raw.updated, opts.tz);
  if (updated) feed.updated = updated;
  const ttl = positive(raw.ttl);
  if (ttl) feed.ttlMinutes = ttl;
  const period = raw.syPeriod ? PERIOD_S[raw.syPeriod.trim().toLowerCase()] : undefined;
  if (period) feed.updatePeriodS = Math.round(period / (positive(raw.syFrequency) ?? 1));
  return feed;
}
