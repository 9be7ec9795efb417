// `wirewatch feeds list [--json] | add URL [--id ID] [--title T] [--lang L] [--interval S] | import FILE.opml | export`.
// list: configured feeds with their health from the store. add: a feed URL or a web page (autodiscovery), checked
// once through the guarded fetcher + parser, appended to the feeds file. import/export: OPML, round-trip.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { feedIdFor } from '../feeds/feed-id.js';
import { appendFeeds, feedEntryProblems, type AppendResult } from '../config/feeds-file.js';
import { PermanentError } from '../errors.js';
import { createFetcher, type Fetcher } from '../fetch/client.js';
import type { FeedHealth, FeedSource, ParsedFeed } from '../model.js';
import { identityUrl } from '../url/canonical.js';
import { toOpml, parseOpml } from '../feeds/opml.js';
import { closeFeedParser, discoverFeedUrls, parseFeed } from '../feeds/parse.js';
import { listFeeds, toHealth } from '../store/feeds.js';
import { spanText } from '../feeds/poll-policy.js';
import type { CommandContext } from './context.js';
import { createProgress } from './progress.js';

const USAGE = `usage: wirewatch feeds list [--json]
       wirewatch feeds add URL [--id ID] [--title TITLE] [--lang LANG] [--interval SECONDS]
       wirewatch feeds import FILE.opml
       wirewatch feeds export > feeds.opml
`;

/** What `feeds add` needs of the guarded fetcher: a subset of fetch/client's Fetcher (tests pass a fake). */
export type FeedFetcher = Pick<Fetcher, 'fetch'> & Partial<Pick<Fetcher, 'close'>>;

/** Injected in tests; the command builds the real guarded fetcher otherwise. */
export interface FeedsDeps {
  fetcher?: FeedFetcher;
}

export async function run(argv: string[], ctx: CommandContext, deps: FeedsDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' }, id: { type: 'string' }, title: { type: 'string' }, lang: { type: 'string' },
        interval: { type: 'string' },
      },
    }));
  } catch (err) {
    ctx.stderr.write(`feeds: ${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  switch (sub) {
    case 'list':
      return list(ctx, values.json === true);
    case 'export':
      ctx.stdout.write(toOpml(ctx.config().feeds, 'wirewatch feeds'));
      return 0;
    case 'import':
      if (positionals.length !== 1) break;
      return importOpml(ctx, positionals[0]);
    case 'add':
      if (positionals.length !== 1) break;
      return add(ctx, positionals[0], values, deps);
  }
  ctx.stderr.write(USAGE);
  return 1;
}

// ---- list ---------------------------------------------------------------------------------------------------

/** One line per feed: health from the store, or "never polled" for configured feeds the store has not seen. */
export function formatHealth(rows: FeedHealth[]): string {
  const status = (h: FeedHealth) =>
    !h.lastPollAt ? 'never polled' : h.consecutiveFailures > 0 ? `failing ×${h.consecutiveFailures}` : 'ok';
  const lines = rows.map((h) => {
    const parts = [
      h.feedId.padEnd(24),
      status(h).padEnd(12),
      `last ${h.lastPollAt ?? '-'}`,
      `next ${h.nextPollAt ?? '-'}`,
      `failures ${h.consecutiveFailures}`,
    ];
    const err = h.lastError ? `\n    error: ${h.lastError.replace(/\s+/g, ' ').slice(0, 200)}` : '';
    const every = h.intervalS ? `\n    interval ${spanText(h.intervalS)}${h.intervalWhy ? ` — ${h.intervalWhy}` : ''}` : '';
    return `${parts.join('  ')}\n    ${h.url}${h.title ? `  (${h.title})` : ''}${every}${err}`;
  });
  return `${lines.join('\n')}\n${rows.length} feed(s), ${rows.filter((h) => h.consecutiveFailures > 0).length} failing\n`;
}

async function list(ctx: CommandContext, json: boolean): Promise<number> {
  const cfg = ctx.config();
  const store = await ctx.openStore(cfg);
  let rows: FeedHealth[];
  try {
    const stored = new Map((await listFeeds(store.db)).map((r) => [r.id, toHealth(r)]));
    rows = cfg.feeds.map((f) => stored.get(f.id) ?? { feedId: f.id, url: f.url, title: f.title, consecutiveFailures: 0 });
  } finally {
    await store.db.destroy();
  }
  ctx.stdout.write(json ? `${JSON.stringify(rows, null, 2)}\n` : formatHealth(rows));
  return 0;
}

// ---- add ----------------------------------------------------------------------------------------------------

function sameUrl(a: string, b: string): boolean {
  try {
    return identityUrl(a) === identityUrl(b);
  } catch {
    return a === b;
  }
}

/**
 * Fetch `url`; if it is a feed, return it parsed; if it is an HTML page, try the feeds it advertises in order and
 * return the first that parses. Throws PermanentError('not_a_feed') when neither works.
 */
export async function resolveFeed(fetcher: FeedFetcher, url: string): Promise<{ url: string; feed: ParsedFeed }> {
  const res = await fetcher.fetch({ url, kind: 'feed' });
  try {
    return { url: res.url, feed: await parseFeed(res.body, { url: res.url, contentType: res.contentType }) };
  } catch (err) {
    if (!(err instanceof PermanentError) || err.code !== 'not_a_feed') throw err;
  }
  // In the parse thread, under its time budget: a hostile page must not hold the command (C2).
  const candidates = await discoverFeedUrls(res.body, { url: res.url, contentType: res.contentType });
  const problems: string[] = [];
  for (const candidate of candidates.slice(0, 5)) {
    try {
      const r = await fetcher.fetch({ url: candidate, kind: 'feed' });
      return { url: r.url, feed: await parseFeed(r.body, { url: r.url, contentType: r.contentType }) };
    } catch (err) {
      problems.push(`${candidate}: ${(err as Error).message}`);
    }
  }
  throw new PermanentError(
    'not_a_feed',
    candidates.length
      ? `feeds: none of the feeds advertised by ${url} could be read (${problems.join('; ')})`
      : `feeds: ${url} is neither a feed nor a page that advertises one`,
  );
}

/**
 * Append feed entries to the feeds file, keeping its comments and layout: validated, locked and atomic
 * (config/feeds-file). Throws Error naming the entry or the key when the result would not pass `config check`.
 */
export function appendToFeedsFile(file: string, feeds: FeedSource[]): AppendResult {
  return appendFeeds(file, feeds, sameUrl);
}

/** The command-line flag each entry field comes from, to name the input in a refusal. */
const FLAG: Record<string, string> = { id: '--id', lang: '--lang', interval_s: '--interval', title: '--title', url: 'URL' };

async function add(ctx: CommandContext, url: string, opts: Record<string, string | boolean | undefined>, deps: FeedsDeps): Promise<number> {
  const cfg = ctx.config();
  if (!cfg.feedsFile) {
    ctx.stderr.write('feeds add: no feeds_file in the configuration to add to\n');
    return 2;
  }
  let target: URL;
  try {
    target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    ctx.stderr.write(`feeds add: not an http(s) URL: ${url}\n`);
    return 1;
  }
  const interval = opts.interval !== undefined ? Number(opts.interval) : undefined;
  if (interval !== undefined && !(Number.isInteger(interval) && interval > 0)) {
    ctx.stderr.write('feeds add: --interval must be a positive number of seconds\n');
    return 1;
  }
  // What the user typed is checked against the config schema before anything is fetched (C5).
  const given: FeedSource = { id: typeof opts.id === 'string' ? opts.id : feedIdFor(target.toString()), url: target.toString() };
  if (typeof opts.title === 'string') given.title = opts.title;
  if (typeof opts.lang === 'string') given.lang = opts.lang;
  if (interval !== undefined) given.interval_s = interval;
  const refused = refusals(given);
  if (refused.length) {
    ctx.stderr.write(`feeds add: ${refused.join('; ')}; nothing written\n`);
    return 1;
  }
  const known = cfg.feeds.find((f) => sameUrl(f.url, target.toString()));
  if (known) {
    ctx.stdout.write(`already present: ${known.id} ${known.url}\n`);
    return 0;
  }
  const fetcher: FeedFetcher = deps.fetcher ?? createFetcher(ctx.fetchPolicy(cfg));
  try {
    const { url: feedUrl, feed } = await resolveFeed(fetcher, target.toString());
    const dup = cfg.feeds.find((f) => sameUrl(f.url, feedUrl));
    if (dup) {
      ctx.stdout.write(`already present: ${dup.id} ${dup.url}\n`);
      return 0;
    }
    const id = typeof opts.id === 'string' ? opts.id : feedIdFor(feedUrl);
    if (cfg.feeds.some((f) => f.id === id)) {
      ctx.stderr.write(`feeds add: id "${id}" is already used; pass --id\n`);
      return 1;
    }
    const source = entryFor(ctx, { id, url: feedUrl, interval_s: interval }, opts, feed);
    // The message names the feed as it calls itself, even when that title was not valid in the feeds file.
    const title = typeof opts.title === 'string' ? opts.title : feed.title;
    const refusedNow = refusals(source);
    if (refusedNow.length) {
      ctx.stderr.write(`feeds add: ${refusedNow.join('; ')}; nothing written\n`);
      return 1;
    }
    const r = appendToFeedsFile(cfg.feedsFile, [source]);
    if (!r.added.length) {
      ctx.stdout.write(`already present: ${feedUrl}\n`);
      return 0;
    }
    const written = r.added[0];
    ctx.stdout.write(`added ${written.id} ${feedUrl}${title ? ` (${title})` : ''}: ${feed.format}, ${feed.items.length} items\n`);
    return 0;
  } catch (err) {
    ctx.stderr.write(`feeds add: ${(err as Error).message}\n`);
    return 1;
  } finally {
    if (!deps.fetcher) await fetcher.close?.();
    await closeFeedParser();
  }
}

/**
 * The feeds-file entry for a resolved feed: the flags given, else the feed's own title and language. Values taken
 * from the feed itself are normalised, not refused: a feed that declares "portuguese" still gets added, without a lang.
 */
function entryFor(ctx: CommandContext, base: FeedSource, opts: Record<string, string | boolean | undefined>, feed: ParsedFeed): FeedSource {
  const source: FeedSource = { id: base.id, url: base.url };
  const title = typeof opts.title === 'string' ? opts.title : feed.title;
  if (title) source.title = title;
  const lang = typeof opts.lang === 'string' ? opts.lang : feed.lang?.split(/[-_]/)[0];
  if (lang) source.lang = lang;
  if (base.interval_s) source.interval_s = base.interval_s;
  for (const key of ['lang', 'title'] as const) {
    if (source[key] !== undefined && opts[key] === undefined && feedEntryProblems({ id: base.id, url: base.url, [key]: source[key] }).length) {
      ctx.stderr.write(`feeds add: ignoring the feed's own ${key} ${JSON.stringify(source[key])} (not valid in the feeds file)\n`);
      delete source[key];
    }
  }
  return source;
}

/** Schema problems of an entry, each naming the flag it came from and the value given. */
function refusals(f: FeedSource): string[] {
  return feedEntryProblems(f).map((p) => {
    const key = p.split(/[ :]/)[0];
    return FLAG[key] ? `${FLAG[key]}${p.slice(key.length)}` : p;
  });
}

// ---- import -------------------------------------------------------------------------------------------------

async function importOpml(ctx: CommandContext, file: string): Promise<number> {
  const cfg = ctx.config();
  if (!cfg.feedsFile) {
    ctx.stderr.write('feeds import: no feeds_file in the configuration to add to\n');
    return 2;
  }
  let listed: FeedSource[];
  try {
    listed = parseOpml(readFileSync(file, 'utf8'));
  } catch (err) {
    ctx.stderr.write(`feeds import: ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  const ids = new Set(cfg.feeds.map((f) => f.id));
  const fresh: FeedSource[] = [];
  const progress = createProgress(ctx.stderr);
  for (const [i, listedFeed] of listed.entries()) {
    progress.update(`feeds checked ${i + 1}/${listed.length} · new ${fresh.length}`, i + 1 === listed.length);
    const f = { ...listedFeed };
    if (cfg.feeds.some((c) => sameUrl(c.url, f.url)) || fresh.some((c) => sameUrl(c.url, f.url))) continue;
    // An OPML file is someone else's data: values the schema refuses are normalised, each one said (C5).
    if (feedEntryProblems({ id: f.id, url: f.url }).length) {
      const id = feedIdFor(f.url);
      ctx.stderr.write(`feeds import: ${f.url}: id ${JSON.stringify(f.id)} is not a valid id; using "${id}"\n`);
      f.id = id;
    }
    for (const key of ['lang', 'title'] as const) {
      if (f[key] !== undefined && feedEntryProblems({ id: f.id, url: f.url, [key]: f[key] }).length) {
        ctx.stderr.write(`feeds import: ${f.url}: ignoring ${key} ${JSON.stringify(f[key])} (${feedEntryProblems({ id: f.id, url: f.url, [key]: f[key] }).join('; ')})\n`);
        delete f[key];
      }
    }
    let id = f.id;
    for (let n = 2; ids.has(id); n++) id = `${f.id}-${n}`;
    ids.add(id);
    fresh.push({ ...f, id });
  }
  progress.done();
  let added = 0;
  if (fresh.length) {
    try {
      added = appendToFeedsFile(cfg.feedsFile, fresh).added.length;
    } catch (err) {
      ctx.stderr.write(`feeds import: ${file}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  ctx.stdout.write(`imported ${added} feed(s) from ${file} (${listed.length - added} already present)\n`);
  return 0;
}
