// Page metadata outside the article body: JSON-LD (schema.org NewsArticle & co.), Open Graph / article:* meta,
// <html lang>. Pure functions over a parsed Document and the JSON-LD blocks cut out before parsing.
import { forEachElement } from './dom.js';

export interface PageMeta {
  title?: string;
  byline?: string;
  published?: string;
  lang?: string;
  siteName?: string;
  description?: string;
  /** JSON-LD articleBody, when a NewsArticle/Article carries the full text. */
  articleBody?: string;
  jsonLdUrl?: string;
}

const ARTICLE_TYPES = /^(NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BlogPosting|LiveBlogPosting|Report|ScholarlyArticle|TechArticle|WebPage|BackgroundNewsArticle|ReviewNewsArticle)$/;

type Json = Record<string, unknown>;

/** The first article-typed JSON-LD object among the blocks (searching arrays and @graph), or undefined. */
export function findJsonLdArticle(blocks: string[]): Json | undefined {
  let fallback: Json | undefined;
  for (const raw of blocks) {
    let data: unknown;
    try {
      data = JSON.parse(raw.trim().replace(/^<!\[CDATA\[|\]\]>$/g, ''));
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    for (let i = 0; i < queue.length && i < 200; i++) {
      const v = queue[i];
      if (Array.isArray(v)) queue.push(...v);
      else if (v && typeof v === 'object') {
        const o = v as Json;
        const types = ([] as unknown[]).concat(o['@type'] ?? []).map(String);
        if (types.some((t) => ARTICLE_TYPES.test(t))) {
          if (types.some((t) => t !== 'WebPage') && (o.articleBody || o.headline)) return o;
          fallback ??= o;
        }
        if (o['@graph']) queue.push(o['@graph']);
        if (o.mainEntity) queue.push(o.mainEntity);
      }
    }
  }
  return fallback;
}

/** Collect metadata from the document head and the JSON-LD article. */
export function readMeta(doc: Document, jsonLd: string[]): PageMeta {
  // One walk collecting <meta> elements: no selector engine (see dom.ts for why).
  const metas = new Map<string, string>();
  forEachElement(doc.documentElement, (el) => {
    if (el.tagName !== 'META') return;
    const key = (el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop'))?.trim().toLowerCase();
    const v = el.getAttribute('content')?.trim();
    if (key && v && !metas.has(key)) metas.set(key, v);
  });
  const meta = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = metas.get(k.toLowerCase());
      if (v) return v;
    }
    return undefined;
  };
  const ld = findJsonLdArticle(jsonLd);
  const htmlLang = doc.documentElement?.getAttribute('lang') ?? doc.documentElement?.getAttribute('xml:lang') ?? undefined;
  const ogLocale = meta('og:locale');
  return {
    title: str(ld?.headline) ?? meta('og:title', 'twitter:title'),
    byline: personNames(ld?.author) ?? meta('author', 'article:author', 'byl', 'sailthru.author', 'parsely-author'),
    published: isoDate(str(ld?.datePublished) ?? meta('article:published_time', 'datePublished', 'pubdate', 'publishdate', 'date', 'dc.date', 'DC.date.issued', 'sailthru.date', 'parsely-pub-date')),
    lang: primaryLang(htmlLang ?? ogLocale ?? str(ld?.inLanguage)),
    siteName: meta('og:site_name') ?? str((ld?.publisher as Json | undefined)?.name),
    description: meta('og:description', 'description', 'twitter:description') ?? str(ld?.description),
    articleBody: str(ld?.articleBody),
    jsonLdUrl: str(ld?.url),
  };
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (Array.isArray(v)) return str(v[0]);
  return undefined;
}

function personNames(v: unknown): string | undefined {
  const names = ([] as unknown[])
    .concat(v ?? [])
    .map((a) => (typeof a === 'string' ? a : a && typeof a === 'object' ? str((a as Json).name) : undefined))
    .filter((n): n is string => !!n && !/^https?:/.test(n));
  return names.length ? [...new Set(names)].join(', ') : undefined;
}

/** ISO-8601 UTC of a date string, or undefined when it does not parse. */
export function isoDate(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  return d.getUTCFullYear() > 1990 && d.getUTCFullYear() < 2200 ? d.toISOString() : undefined;
}

/** "en-US" / "en_US" → "en"; anything that is not a language tag → undefined. */
export function primaryLang(v: string | undefined): string | undefined {
  const m = /^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*\s*$/.exec(v ?? '');
  return m ? m[1].toLowerCase() : undefined;
}
