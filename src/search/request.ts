// What a person types (CLI flags or the /search form) → a SearchRequest, read the same way in both places so
// the command and the page give the same results. Pure.
import { sinceToIso } from '../classify/backtest.js';
import { QueryError } from './query.js';

export interface SearchInput {
  q: string;
  topic?: string;
  /** ISO date or time, or a span back from now: 7d, 24h, 2w. */
  since?: string;
  /** ISO date (that whole day is included) or time, or a span back from now. */
  until?: string;
  lang?: string;
  feed?: string;
  limit?: string | number;
  /** 1-based page number (the web form); the CLI passes offset instead. */
  page?: string | number;
  offset?: string | number;
}

/** A search as searchArticles (store/search.ts) runs it: the query text and its filters, all optional but the query. */
export interface SearchRequest {
  query: string;
  /** Only articles matched to this topic. */
  topic?: string;
  /** Stored at or after this ISO time. */
  since?: string;
  /** Stored before this ISO time. */
  until?: string;
  lang?: string;
  /** Only articles one of whose sources is this feed id. */
  feed?: string;
  limit?: number;
  offset?: number;
}

/** What readSearchInput returns: a SearchRequest with its page settled. */
export type ParsedSearch = SearchRequest & { limit: number; offset: number };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function time(v: string | undefined, name: string, now: Date, endOfDay: boolean): string | undefined {
  const s = v?.trim();
  if (!s) return undefined;
  const iso = sinceToIso(s, now);
  if (!iso) throw new QueryError(`search: --${name} must be a date (2026-11-26), a time, or a span like 7d, 24h, 2w (got "${s}")`);
  return endOfDay && DAY.test(s) ? new Date(Date.parse(iso) + 86_400_000).toISOString() : iso;
}

const blank = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

function int(v: string | number | undefined, name: string, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new QueryError(`search: ${name} must be a whole number (got "${v}")`);
  return n;
}

/** Throws QueryError for a date or number that cannot be read; the query itself is parsed by searchArticles. */
export function readSearchInput(input: SearchInput, now: Date, defaultLimit: number): ParsedSearch {
  const limit = Math.max(1, int(input.limit, 'limit', defaultLimit));
  const page = Math.max(1, int(input.page, 'page', 1));
  const offset = input.offset !== undefined ? int(input.offset, 'offset', 0) : (page - 1) * limit;
  return {
    query: input.q ?? '',
    topic: blank(input.topic),
    since: time(input.since, 'since', now, false),
    until: time(input.until, 'until', now, true),
    lang: blank(input.lang)?.toLowerCase(),
    feed: blank(input.feed),
    limit,
    offset,
  };
}
