// extractArticle(html, url, feedItem?): Article — jsdom (no scripts, no subresources) + Readability + sanitiser.
// Pure and synchronous; CPU-heavy, so the pipeline runs it in a worker thread (see pool.ts), never on the main loop.
import { Readability } from '@mozilla/readability';
import type { Article, FeedItem } from '../model.js';
import { precut } from './precut.js';
import { readMeta, primaryLang, isoDate, type PageMeta } from './metadata.js';
import { blockText, normaliseText } from './text.js';
import { withDocument } from './window.js';
import { forEachElement } from './dom.js';
import { pageCanonicalUrl } from '../url/canonical.js';
import { articleFromFeed, hostOf, oneLine, stripTags } from './from-feed.js';
import { complexityRefusal, type ComplexityLimits } from './complexity.js';
import { PermanentError } from '../errors.js';

/**
 * Link-only blocks (related stories, menus) are not article text: +0.5 F1 on the dev split. Short blocks that are
 * page furniture ("Advertisement", "Sign in", newsletter and cookie pitches): +0.16. English-only, on purpose small.
 */
const BOILERPLATE =
  /^(advert(isement)?|sponsored|skip to content|sign in|log in|share( this)?|comments?|email|print|tweet|image \d+ of.*)$|\b(newsletters?|subscribe|sign up|all rights reserved|cookies)\b/i;
const TEXT_OPTS = { dropLinkBlocks: true, boilerplate: BOILERPLATE };

/** The document needs an absolute URL for relative links; an unparseable page URL gets a harmless placeholder. */
const PLACEHOLDER_URL = 'https://invalid.invalid/';

/**
 * Extract the article from a page's decoded HTML. An empty or malformed page yields an Article with whatever was
 * found (possibly empty text), or the feed item's content when that is longer. A page over the complexity limits
 * (element count, nesting depth; see complexity.ts) throws PermanentError('too_complex') before jsdom sees it — the
 * only error thrown. `via` names the source of `text`: 'readability', 'jsonld' (schema.org articleBody) or 'feed'.
 */
export function extractArticle(html: string, url: string, feedItem?: FeedItem, limits?: ComplexityLimits): Article {
  const cut = precut(typeof html === 'string' ? html : String(html ?? ''));
  const refusal = complexityRefusal(cut.html, limits);
  if (refusal) throw new PermanentError('too_complex', `extract: page refused as ${refusal.replace('too_complex: ', 'too complex: ')} (${url})`);
  try {
    return withDocument(cut.html, safeUrl(url), (doc, sanitize) => {
      const meta = readMeta(doc, cut.jsonLd);
      dropCaptions(doc.body);
      const parsed = safeReadability(doc);
      const content = parsed?.content as unknown as Element | null | undefined;
      const readText = content ? blockText(content, TEXT_OPTS) : '';
      return build(url, cut.canonicalHref, meta, parsed, readText, content ? sanitize(content) : undefined, feedItem, sanitize, doc);
    });
  } catch {
    return articleFromFeed(url, cut.canonicalHref, feedItem);
  }
}

type Parsed = ReturnType<Readability<Node>['parse']>;

function safeReadability(doc: Document): Parsed {
  try {
    return new Readability<Node>(doc, { serializer: (n) => n, disableJSONLD: true, keepClasses: false }).parse();
  } catch {
    return null;
  }
}

function build(
  url: string,
  canonicalHref: string | undefined,
  meta: PageMeta,
  parsed: Parsed,
  readText: string,
  readHtml: string | undefined,
  feedItem: FeedItem | undefined,
  sanitize: (dirty: Node | string) => string,
  doc: Document,
): Article {
  let text = readText;
  let html = readHtml;
  let via: Article['via'] = 'readability';

  const ldText = meta.articleBody ? jsonLdText(meta.articleBody, doc) : '';
  if (preferJsonLd(ldText, readText)) {
    text = ldText;
    html = ldText.split('\n\n').map((p) => `<p>${escapeHtml(p)}</p>`).join('');
    via = 'jsonld';
  }

  const feed = feedText(feedItem, sanitize, doc);
  if (feed && feed.text.length > text.length) {
    text = feed.text;
    html = feed.html;
    via = 'feed';
  }

  // JSON-LD and meta values often carry HTML entities ("&#8216;"): decode them as text (RCDATA, no markup).
  const plain = (v: string | null | undefined): string => {
    if (!v) return '';
    if (!v.includes('&')) return oneLine(v);
    const t = doc.createElement('textarea');
    t.innerHTML = v;
    return oneLine((t as HTMLTextAreaElement).value);
  };
  const byline = plain(meta.byline || parsed?.byline || feedItem?.author);
  return {
    url,
    canonicalUrl: pageCanonicalUrl(url, canonicalHref),
    title: plain(meta.title || parsed?.title || feedItem?.title),
    byline: byline && !/^https?:\/\//i.test(byline) ? byline : undefined,
    published: meta.published ?? isoDate(parsed?.publishedTime ?? undefined) ?? feedItem?.published,
    lang: meta.lang ?? primaryLang(parsed?.lang ?? undefined) ?? feedItem?.lang,
    text,
    html,
    via,
    siteName: meta.siteName ?? parsed?.siteName ?? hostOf(url),
    excerpt: plain(meta.description || parsed?.excerpt || feedItem?.summary) || undefined,
  };
}

/**
 * JSON-LD articleBody wins when it is substantial and not much shorter than Readability's text: publishers put the
 * clean body there, while Readability may pick up captions and link lists, or miss paragraphs.
 */
function preferJsonLd(ld: string, read: string): boolean {
  if (ld.length < 200) return false;
  if (read.length < 200) return true;
  return ld.length >= 0.8 * read.length && ld.length <= 1.5 * read.length;
}

/**
 * JSON-LD articleBody as paragraph text. Publishers put plain text there, or HTML, or entity-escaped HTML
 * ("&lt;p&gt;…"): unescape once, and parse markup in the (scripting-disabled, resource-less) document.
 */
function jsonLdText(body: string, doc: Document): string {
  let s = body;
  if (/&lt;\/?[a-z]/i.test(s)) {
    const t = doc.createElement('textarea');
    t.innerHTML = s;
    s = (t as HTMLTextAreaElement).value;
  }
  if (!/<\/?[a-z][^>]*>/i.test(s)) return normaliseText(stripTags(s));
  const holder = doc.createElement('div');
  holder.innerHTML = s;
  dropCaptions(holder);
  return blockText(holder, TEXT_OPTS);
}

function feedText(
  item: FeedItem | undefined,
  sanitize: (dirty: Node | string) => string,
  doc: Document,
): { text: string; html?: string } | undefined {
  if (!item) return undefined;
  if (item.contentHtml) {
    const clean = sanitize(item.contentHtml);
    const holder = doc.createElement('div');
    holder.innerHTML = clean;
    return { text: blockText(holder), html: clean };
  }
  if (item.summary) return { text: normaliseText(item.summary) };
  return undefined;
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : PLACEHOLDER_URL;
  } catch {
    return PLACEHOLDER_URL;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CAPTION_CLASS = /caption|credit/i;

/**
 * Remove image captions and credits before Readability: they sit inside the article container but are not article
 * text (+0.9 F1 on the dev split). Only short elements go, so a wrapper that happens to match keeps the body.
 */
function dropCaptions(root: Element | null): void {
  const doomed: Element[] = [];
  // Walk by element links: indexing jsdom's HTMLCollection goes through a Proxy and cost ~10 ms a page.
  forEachElement(root, (el) => {
    if (el.tagName === 'FIGCAPTION' || CAPTION_CLASS.test(el.getAttribute('class') ?? '')) doomed.push(el);
  });
  for (const el of doomed) if ((el.textContent ?? '').length < 600) el.remove();
}
