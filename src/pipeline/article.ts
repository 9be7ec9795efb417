// One item: fetch the page → decode → extract (off the event loop) → classify → store article + matches in one
// transaction. Idempotent: an item already stored at this content hash is a no-op, and every write is an upsert.
// When the page cannot be had (404, wrong type, too large, or the last retry of a transient failure) the feed's own
// content is used instead, so an article is never lost for want of its page. An address the guard refuses is not
// worked around: the item is marked failed with the reason.
import type { Kysely } from 'kysely';
import { PermanentError, isPermanent } from '../errors.js';
import type { Article, FeedItem, PossibleMatch, TopicMatch } from '../model.js';
import type { Fetcher } from '../fetch/client.js';
import { decodeHtmlPage } from '../charset/decode.js';
import type { Extractor } from '../extract/pool.js';
import { articleFromFeed } from '../extract/from-feed.js';
import { classify } from '../classify/classify.js';
import type { Matcher } from '../classify/load.js';
import { possibleMatches, type SecondOpinion } from '../classify/model/possible.js';
import type { Database } from '../store/schema.js';
import { bumpAttempts, getItem, markItem } from '../store/items.js';
import { saveArticle } from '../store/articles.js';
import type { SearchIndexer } from './search-index.js';

export interface ArticleDeps {
  db: Kysely<Database>;
  fetcher: Fetcher;
  extractor: Extractor;
  matcher: Matcher;
  /** The second-opinion model, when enabled: rule-missed topics it scores high are stored as possible matches. */
  secondOpinion?: SecondOpinion;
  /** Keeps the search index in step (pipeline/search-index.ts): nudged after each stored article. */
  searchIndex?: Pick<SearchIndexer, 'nudge'>;
  now?: () => Date;
}

export type ArticleResult =
  | { status: 'already_stored' }
  | { status: 'stored'; via: Article['via']; matches: TopicMatch[]; possible: PossibleMatch[]; fallbackReason?: string; publishedAt?: string }
  | { status: 'failed'; code: string; message: string };

/** Codes for which falling back to feed content would defeat the guard (SSRF policy): fail the item instead. */
const GUARD_CODES = new Set(['ssrf_blocked', 'bad_scheme', 'bad_port', 'userinfo', 'too_many_redirects', 'bad_url']);

/**
 * One attempt at an item. Throws to have the queue retry (or PermanentError for an unknown item); every attempt
 * that ends without storing the article, thrown or `failed`, is counted in the item's `attempts`.
 */
export async function processArticle(deps: ArticleDeps, itemId: string, opts: { lastAttempt?: boolean } = {}): Promise<ArticleResult> {
  let res: ArticleResult;
  try {
    res = await attempt(deps, itemId, opts);
  } catch (err) {
    // Best effort: the store may be what failed, and the attempt's own error is the one to report.
    await bumpAttempts(deps.db, itemId).catch(() => undefined);
    throw err;
  }
  if (res.status === 'failed') await bumpAttempts(deps.db, itemId);
  return res;
}

async function attempt(deps: ArticleDeps, itemId: string, opts: { lastAttempt?: boolean }): Promise<ArticleResult> {
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const item = await getItem(deps.db, itemId);
  if (!item) throw new PermanentError('unknown_item', `article: item ${itemId} is not in the store`);
  if (item.state === 'stored') return { status: 'already_stored' };
  const feedItem = JSON.parse(item.feed_item) as FeedItem;

  let article: Article | undefined;
  let fallbackReason: string | undefined;
  if (item.url) {
    try {
      const res = await deps.fetcher.fetch({ url: item.url, kind: 'page' });
      const html = decodeHtmlPage(res.body, res.contentType ?? res.headers['content-type']);
      article = await deps.extractor.extract({ html, url: res.url, feedItem });
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      if (isPermanent(err) && GUARD_CODES.has(code)) {
        await markItem(deps.db, itemId, 'failed', now(), `${code}: ${(err as Error).message}`);
        return { status: 'failed', code, message: (err as Error).message };
      }
      // Transient: retry (the job's backoff) unless this was the last attempt.
      if (!isPermanent(err) && !opts.lastAttempt) throw err;
      fallbackReason = `${code}: ${(err as Error).message}`;
    }
  } else {
    fallbackReason = 'no_link: the item has no http(s) link';
  }
  if (!article) article = articleFromFeed(item.url ?? '', item.canonical_url ?? undefined, feedItem);
  if (!article.text.trim() && !article.title.trim()) {
    await markItem(deps.db, itemId, 'failed', now(), fallbackReason ?? 'empty: no text');
    return { status: 'failed', code: 'empty', message: fallbackReason ?? 'no text' };
  }
  const input = { id: itemId, title: article.title, text: article.text, lang: article.lang };
  const matches = classify(input, deps.matcher);
  const so = deps.secondOpinion;
  const possible = so
    ? possibleMatches(input, matches, so.model, { threshold: so.threshold, maxReasons: so.maxReasons, topicIds: deps.matcher.topics.map((t) => t.info.id) })
    : [];
  await saveArticle(deps.db, itemId, article, item.content_hash, matches, now(), possible);
  deps.searchIndex?.nudge();
  return { status: 'stored', via: article.via, matches, possible, fallbackReason, publishedAt: article.published ?? item.published_at ?? undefined };
}
