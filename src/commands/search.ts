// `wirewatch search QUERY [--topic ID] [--since DATE|7d] [--until DATE] [--lang L] [--feed ID] [--limit N]
// [--offset N] [--json]` and `wirewatch search --rebuild`: full-text search over stored articles (the same
// results as the /search page), and rebuilding the index from the articles table.
import { parseArgs } from 'node:util';
import { QueryError } from '../search/query.js';
import { readSearchInput } from '../search/request.js';
import { snippetText } from '../search/snippet.js';
import { DEFAULT_SEARCH_LIMIT, rebuildSearchIndex, searchArticles, type SearchPage } from '../store/search.js';
import type { CommandContext } from './context.js';

const USAGE = `usage: wirewatch search QUERY [--topic ID] [--since DATE|7d] [--until DATE] [--lang LANG] [--feed ID] [--limit N] [--offset N] [--json]
       wirewatch search --rebuild
QUERY: words (loan), prefixes (sanction*), "exact phrases", AND (implicit), OR, NOT or -word, parentheses.
`;

/** The --json document: {"query","offset","limit","more","results":[{"id","title","url","source","lang","published","stored_at","topics","snippet","highlights"}]}. */
export function searchJson(query: string, p: SearchPage): string {
  return `${JSON.stringify({
    query, offset: p.offset, limit: p.limit, more: p.more,
    results: p.hits.map((h) => ({
      id: h.id, title: h.title, url: h.url, source: h.source, lang: h.lang, published: h.published, stored_at: h.storedAt,
      topics: h.topics, snippet: h.snippet.text, highlights: h.snippet.highlights,
    })),
  })}\n`;
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        topic: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, lang: { type: 'string' },
        feed: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, json: { type: 'boolean' },
        rebuild: { type: 'boolean' },
      },
    }));
  } catch (err) {
    ctx.stderr.write(`search: ${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  const rebuild = values.rebuild === true;
  if (!rebuild && !positionals.length) {
    ctx.stderr.write(USAGE);
    return 1;
  }
  const store = await ctx.openStore();
  try {
    if (rebuild) {
      const started = Date.now();
      const n = await rebuildSearchIndex(store.db);
      ctx.stdout.write(`search: index rebuilt, ${n} article(s) in ${Date.now() - started} ms\n`);
      return 0;
    }
    const query = positionals.join(' ');
    const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    const req = readSearchInput({ q: query, topic: s('topic'), since: s('since'), until: s('until'), lang: s('lang'), feed: s('feed'), limit: s('limit'), offset: s('offset') }, new Date(), DEFAULT_SEARCH_LIMIT);
    const p = await searchArticles(store.db, req);
    if (values.json) {
      ctx.stdout.write(searchJson(query, p));
      return 0;
    }
    for (const [i, h] of p.hits.entries()) {
      ctx.stdout.write(`${p.offset + i + 1}. ${h.title}\n   ${h.source} · ${h.lang ?? '-'} · ${h.published ?? h.storedAt}${h.topics.length ? ` · ${h.topics.join(', ')}` : ''}\n   ${h.url}\n   ${snippetText(h.snippet)}\n   id ${h.id}\n`);
    }
    ctx.stdout.write(`${p.hits.length ? `results ${p.offset + 1}–${p.offset + p.hits.length}` : 'no results'}${p.more ? ` (more: --offset ${p.offset + p.hits.length})` : ''}\n`);
    return 0;
  } catch (err) {
    if (err instanceof QueryError) {
      ctx.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    await store.db.destroy();
  }
}
