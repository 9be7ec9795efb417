// The in-thread feed parser: guard the text (size, DTD, truncation, item cap), pick an engine (JSON Feed; rss-parser,
// falling back to feedsmith where rss-parser rejects or mangles), normalise. Pure and synchronous: feeds/parse runs it
// in a worker thread with a time budget and a heap cap; tests and the conformance bench call it directly.
import { PermanentError } from '../errors.js';
import type { ParsedFeed } from '../model.js';
import { decodeFeedBytes } from './decode.js';
import { parseWithFeedsmith } from './engine-feedsmith.js';
import { looksLikeJson, parseJsonFeed } from './engine-json.js';
import { parseWithRssParser, rssParserAvailable } from './engine-rss-parser.js';
import { normaliseFeed, type RawFeed } from './normalise.js';
import { DEFAULT_MAX_ITEMS } from './defaults.js';

export interface ParseOptions {
  /** The feed's URL: base for relative links, named in errors. */
  url: string;
  contentType?: string;
  /** IANA zone for zone-less dates (default UTC). */
  tz?: string;
  maxItems?: number;
  timeoutMs?: number;
  /** Largest body accepted, in bytes (default 40 MiB: a 50,000-item, 30 MiB feed is read and capped, not rejected). */
  maxBytes?: number;
  /**
   * The body was cut at the fetch byte cap on purpose (C6): parse the items that are complete instead of refusing
   * the body as truncated. A body cut short by the server is still refused (X3).
   */
  truncated?: boolean;
  /** Engine choice, for the conformance bench: 'auto' = rss-parser, then feedsmith. */
  engine?: 'auto' | 'rss-parser' | 'feedsmith';
}

export const DEFAULT_MAX_BYTES = 40 * 1024 * 1024;

/**
 * Remove a <!DOCTYPE …> (internal subset included). Returns the text and whether the DTD declared entities: such
 * feeds are refused outright (X1 billion laughs, X2 XXE) — no real news feed needs them.
 */
export function stripDoctype(text: string): { text: string; declaresEntities: boolean } {
  const start = text.search(/<!DOCTYPE/i);
  if (start < 0 || start > 4096) return { text, declaresEntities: false };
  let i = start + 9;
  let inSubset = false;
  let quote = '';
  for (; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      inSubset = true;
    } else if (c === ']') {
      inSubset = false;
    } else if (c === '>' && !inSubset) {
      break;
    }
  }
  const dtd = text.slice(start, i + 1);
  return { text: text.slice(0, start) + text.slice(i + 1), declaresEntities: /<!ENTITY/i.test(dtd) };
}

/** Name of the document element, skipping the prolog (declaration, comments, PIs). */
function rootName(text: string): string | undefined {
  const m = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<([A-Za-z_][\w.:-]*)/.exec(text.slice(0, 65536));
  return m?.[1];
}

/**
 * Cut a huge feed after its `maxItems`-th item and close the elements that were open at the first item, so the
 * parser reads only what will be kept (L7: 50,000 items in, the cap parsed, within budget). A body `truncated` at
 * the byte cap is cut after its last complete item even when it has fewer than `maxItems` (C6); undefined when it
 * has no complete item.
 */
function capItems(text: string, maxItems: number, truncated = false): string | undefined {
  const close = /<\/(?:[\w-]+:)?(item|entry)\s*>/g;
  let count = 0;
  let m: RegExpExecArray | null;
  let last: RegExpExecArray | null = null;
  while ((m = close.exec(text)) !== null) {
    last = m;
    if (++count === maxItems) break;
  }
  if (!truncated && (!m || count < maxItems)) return text;
  if (truncated && !last) return undefined;
  const end = (truncated ? last : m)!;
  const cut = end.index + end[0].length;
  if (!truncated && cut > text.length - 512) return text;
  const firstItem = /<(?:[\w-]+:)?(item|entry)[\s>]/.exec(text);
  if (!firstItem) return truncated ? undefined : text;
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g;
  const header = text.slice(0, firstItem.index);
  while ((m = tag.exec(header)) !== null) {
    if (!m[2] || m[3] === '/') continue;
    if (m[1] === '/') {
      const at = stack.lastIndexOf(m[2]);
      if (at >= 0) stack.length = at;
    } else {
      stack.push(m[2]);
    }
  }
  return text.slice(0, cut) + stack.reverse().map((n) => `</${n}>`).join('');
}

/**
 * More than 1,000 `<` without a matching `>`, escaped (`&lt;`) or raw inside CDATA: rss-parser's snippet regex
 * (`<(?:.|\n)*?>`) scans to the end of the text from each of them — quadratic, > 60 s on the 800 KB `&lt;` flood,
 * ~40 s on a CDATA description of `'<a '` × 20,000 (C2). Balanced markup is fine.
 */
function ltFlood(text: string): boolean {
  const count = (needle: string) => {
    let n = 0;
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
    return n;
  };
  const lt = count('&lt;');
  if (lt > 1000 && lt - count('&gt;') > 1000) return true;
  return count('<') - count('>') > 1000;
}

function fail(code: 'not_a_feed' | 'parse_error' | 'too_large', what: string, url: string, cause?: unknown): never {
  throw new PermanentError(code, `feeds: ${what} (${url})`, cause === undefined ? undefined : { cause });
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 160);
}

/** Which engine produced the RawFeed (reported by the conformance bench). */
export let lastEngine: 'json' | 'rss-parser' | 'feedsmith' | undefined;

/**
 * Parse decoded feed text into a ParsedFeed. Throws PermanentError 'not_a_feed' (HTML, JSON that is not a JSON Feed,
 * unknown XML), 'parse_error' (malformed, truncated, entity declarations) or 'too_large'. Anything else would be a
 * wirewatch bug: the sync path lets it through (the conformance bench counts it as a crash); parseFeed turns it into
 * 'parse_error'.
 */
export function parseFeedText(input: string, opts: ParseOptions): ParsedFeed {
  const url = opts.url;
  const maxItems = Math.max(1, opts.maxItems ?? DEFAULT_MAX_ITEMS);
  if (input.length > (opts.maxBytes ?? DEFAULT_MAX_BYTES)) fail('too_large', `feed exceeds ${opts.maxBytes ?? DEFAULT_MAX_BYTES} bytes`, url);
  let raw: RawFeed;
  if (looksLikeJson(input)) {
    try {
      raw = parseJsonFeed(input);
      lastEngine = 'json';
    } catch (err) {
      return fail(err instanceof SyntaxError ? 'parse_error' : 'not_a_feed', `not a JSON Feed: ${messageOf(err)}`, url, err);
    }
    return normaliseFeed(raw, { url, tz: opts.tz, maxItems });
  }
  const { text: noDtd, declaresEntities } = stripDoctype(input.replace(/^\ufeff/, ''));
  if (declaresEntities) fail('parse_error', 'DTD entity declarations refused (billion laughs / XXE guard)', url);
  const root = rootName(noDtd);
  if (!root) fail('not_a_feed', 'no XML document element', url);
  const local = root.replace(/^[\w-]+:/, '').toLowerCase();
  if (local === 'html' || local === 'body' || local === 'head') fail('not_a_feed', 'an HTML page, not a feed', url);
  if (!['rss', 'feed', 'rdf', 'channel', 'scriptingnews'].includes(local)) fail('not_a_feed', `unknown document element <${root}>`, url);
  // A body cut short loses its closing root tag: refuse it whole rather than insert part of it (X3). A body we cut
  // at the byte cap ourselves is cut again after its last complete item below.
  const closeRoot = new RegExp(`</${root.replace(/[.]/g, '\\.')}\\b`);
  if (!opts.truncated && !closeRoot.test(noDtd.slice(-4096))) fail('parse_error', `truncated or malformed: no closing </${root}>`, url);
  // Lenient repairs every forgiving reader makes: a raw `&` that starts no reference becomes `&amp;` (one stray
  // ampersand must not lose the whole feed), and a root end tag missing only its `>` is completed.
  let repaired = noDtd.replace(/&(?!#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9._-]{0,31};)/g, '&amp;');
  repaired = repaired.replace(new RegExp(`(</${root.replace(/[.]/g, '\\.')})\\s*$`), '$1>');
  const text = capItems(repaired, maxItems, opts.truncated);
  if (text === undefined) fail('parse_error', 'cut at the byte cap before its first complete item', url);

  const engine = opts.engine ?? 'auto';
  let firstError: unknown;
  // rss-parser reads RSS; for Atom it drops author e-mails, feed ids, subtitles, xml:base and inline markup and throws
  // on one invalid date (conformance bench: Atom files agree far more often through feedsmith), so Atom goes there.
  // An unbalanced `&lt;` flood sends rss-parser's snippet regex quadratic: such bodies go to feedsmith too.
  const useRssParser = engine === 'rss-parser' || (engine === 'auto' && local !== 'feed' && !ltFlood(text));
  if (useRssParser && rssParserAvailable()) {
    try {
      raw = parseWithRssParser(text);
      lastEngine = 'rss-parser';
      return normaliseFeed(raw, { url, tz: opts.tz, maxItems });
    } catch (err) {
      if (engine === 'rss-parser') fail('parse_error', `malformed XML: ${messageOf(err)}`, url, err);
      firstError = err;
    }
  }
  try {
    raw = parseWithFeedsmith(text, maxItems);
    lastEngine = 'feedsmith';
  } catch (err) {
    const msg = messageOf(err);
    if (/invalid feed format|unsupported format/i.test(msg)) {
      const first = firstError === undefined ? '' : `; rss-parser: ${messageOf(firstError)}`;
      fail('not_a_feed', `not a recognisable RSS/Atom/RDF feed (${msg}${first})`, url, err);
    }
    return fail('parse_error', `malformed XML: ${msg}`, url, err);
  }
  return normaliseFeed(raw, { url, tz: opts.tz, maxItems });
}

/** Decode bytes (BOM, UTF-8, HTTP charset, XML declaration, legacy guess) and parse: the whole in-thread pipeline. */
export function parseFeedBytesSync(body: Uint8Array, opts: ParseOptions): ParsedFeed {
  if (body.byteLength > (opts.maxBytes ?? DEFAULT_MAX_BYTES)) fail('too_large', `feed exceeds ${opts.maxBytes ?? DEFAULT_MAX_BYTES} bytes`, opts.url);
  if (body.byteLength === 0) fail('not_a_feed', 'empty body', opts.url);
  return parseFeedText(decodeFeedBytes(body, opts.contentType).text, opts);
}
