// `npm run bench:hostile`: the C1–C3 inputs of SECURITY-TESTS.md against this code, on loopback.
//   C1/C2 — each hostile page through the extraction pool, the feed with a `'<a '` × 20,000 description through the
//           bounded feed parser, the same string through sanitizeHtml and htmlToText, the 512 KB autodiscovery page
//           through discoverFeeds and the parse thread. Clock: wall time of that one call, from the call to its
//           result or refusal (pool and parse-thread calls include the hand-off to the thread).
//   C3    — bench/lib/fairness: 20 normal feeds × 3 items, with and without one feed listing 200 pages that each take
//           250 ms to serve. Clock: per normal article, from the poll worker's discoveredAt stamp (the feed was
//           fetched and its items recorded; taken just before they are enqueued) to the article worker's onStored
//           (the store transaction committed). p95 over the normal articles.
// Needs Redis on 127.0.0.1:6379 (or --redis URL). Last line:
//   hostile: worst_ms=<a> normal_feed_p95_ms=<b> normal_feed_p95_alone_ms=<c>     goals: a ≤ 1000, b ≤ 2 × c
import { parseArgs } from 'node:util';
import { createExtractor } from '../src/extract/pool.js';
import { closeFeedParser, discoverFeedUrls, parseFeed } from '../src/feeds/parse.js';
import { discoverFeeds } from '../src/feeds/discover.js';
import { htmlToText, sanitizeHtml } from '../src/feeds/sanitize.js';
import { ANCHOR_FLOOD, anchorFloodFeed, discoveryFlood, hostilePages } from './lib/hostile-inputs.js';
import { percentileOf, runFairness } from './lib/fairness.js';

const { values } = parseArgs({
  options: {
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    'flood-pages': { type: 'string', default: '200' },
    'flood-delay-ms': { type: 'string', default: '250' },
    'normal-feeds': { type: 'string', default: '20' },
    'items-per-feed': { type: 'string', default: '3' },
  },
});

async function timed<T>(name: string, f: () => Promise<T> | T, rows: [string, number, string][]): Promise<void> {
  const t0 = performance.now();
  let outcome = 'ok';
  try {
    await f();
  } catch (err) {
    outcome = (err as { code?: string }).code ?? (err as Error).message.slice(0, 60);
  }
  rows.push([name, performance.now() - t0, outcome]);
}

const rows: [string, number, string][] = [];
const extractor = createExtractor({ threads: 2 });
try {
  // Warm-up: the first page loads jsdom in its thread; not a property of the input.
  await extractor.extract({ html: '<html><body><p>warm</p></body></html>', url: 'https://example.org/warm' });
  for (const p of hostilePages()) await timed(`extract ${p.name}`, () => extractor.extract({ html: p.html, url: 'https://example.org/p' }), rows);
  await parseFeed(new TextEncoder().encode('<?xml version="1.0"?><rss version="2.0"><channel><title>w</title></channel></rss>'), { url: 'https://example.org/w' }).catch(() => undefined);
  await timed("parse feed with '<a ' x 20000 description", () => parseFeed(new TextEncoder().encode(anchorFloodFeed()), { url: 'https://example.org/feed' }), rows);
  await timed("sanitizeHtml '<a ' x 20000", () => sanitizeHtml(ANCHOR_FLOOD, 'https://example.org/'), rows);
  await timed("htmlToText '<a ' x 20000", () => htmlToText(ANCHOR_FLOOD), rows);
  const page = discoveryFlood();
  await timed('discoverFeeds 512 KB <!-- / <link', () => discoverFeeds(page, 'https://example.org/'), rows);
  await timed('autodiscovery in the parse thread, 512 KB', () => discoverFeedUrls(new TextEncoder().encode(page), { url: 'https://example.org/' }), rows);
} finally {
  await extractor.close();
  await closeFeedParser();
}
for (const [name, ms, outcome] of rows) console.log(`C1/C2 ${name.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms  ${outcome}`);
const worst = Math.max(...rows.map((r) => r[1]));

const common = {
  redisUrl: values.redis, floodDelayMs: Number(values['flood-delay-ms']), normalFeeds: Number(values['normal-feeds']),
  itemsPerNormalFeed: Number(values['items-per-feed']),
};
const alone = await runFairness({ ...common, floodPages: 0 });
const flooded = await runFairness({ ...common, floodPages: Number(values['flood-pages']) });
const p95Alone = percentileOf(alone.normalMs, 95);
const p95Flood = percentileOf(flooded.normalMs, 95);
console.log(`C3 normal feeds alone:    ${alone.normalMs.length} articles, p50 ${percentileOf(alone.normalMs, 50)} ms, p95 ${p95Alone} ms`);
console.log(`C3 beside the flood:      ${flooded.normalMs.length} articles, p50 ${percentileOf(flooded.normalMs, 50)} ms, p95 ${p95Flood} ms; flood articles still pending when the last normal one was stored: ${flooded.floodPendingAtNormalDone}`);
console.log(`hostile: worst_ms=${Math.round(worst)} normal_feed_p95_ms=${Math.round(p95Flood)} normal_feed_p95_alone_ms=${Math.round(p95Alone)}`);
process.exit(0);
