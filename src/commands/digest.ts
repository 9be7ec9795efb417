// `wirewatch digest [--date YYYY-MM-DD] [--topic ID] [--digest ID] [--format md|html|json]`: print a digest.
// The stored one when it exists (what was delivered); otherwise built on the fly from the articles stored so far,
// without storing or delivering it. Which of the two is said on stderr, so stdout stays pure data.
import { parseArgs } from 'node:util';
import type { CommandContext } from './context.js';
import type { DigestConfig } from '../digest/config.js';
import { periodFor, periodForDate } from '../digest/period.js';
import { renderHtml, renderJson, renderMarkdown } from '../digest/render.js';
import { loadOrBuildDigest } from '../digest/run.js';
import type { Digest } from '../digest/types.js';
import { listDigests } from '../store/digests.js';

const USAGE = 'usage: wirewatch digest [--date YYYY-MM-DD] [--topic ID] [--digest ID] [--format md|html|json]';

/** Used when no digest is configured: every topic, the local day ending at midnight UTC. */
function defaultDigest(): DigestConfig {
  return { id: 'daily', title: 'Daily digest', schedule: { at: '00:00', tz: 'UTC' }, channels: [{ type: 'files' }], min_score: 0, max_items: 20 };
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { date: { type: 'string' }, topic: { type: 'string' }, digest: { type: 'string' }, format: { type: 'string', default: 'md' } },
    }));
  } catch (err) {
    ctx.stderr.write(`digest: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const format = String(values.format);
  if (!['md', 'markdown', 'html', 'json'].includes(format)) {
    ctx.stderr.write(`digest: --format must be md, html or json, got "${format}"\n${USAGE}\n`);
    return 2;
  }
  const date = values.date as string | undefined;
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    ctx.stderr.write(`digest: --date must be YYYY-MM-DD, got "${date}"\n`);
    return 2;
  }
  const cfg = ctx.config();
  const wanted = values.digest as string | undefined;
  const dcfg = wanted ? cfg.digests.find((d) => d.id === wanted) : cfg.digests[0] ?? defaultDigest();
  if (!dcfg) {
    ctx.stderr.write(`digest: no digest "${wanted}" in ${cfg.file} (configured: ${cfg.digests.map((d) => d.id).join(', ') || 'none'})\n`);
    return 2;
  }
  const topics = cfg.topics.topics.map((t) => ({ id: t.id, title: t.title }));
  const topic = values.topic as string | undefined;
  if (topic && !topics.some((t) => t.id === topic)) {
    ctx.stderr.write(`digest: unknown topic "${topic}" (known: ${topics.map((t) => t.id).join(', ')})\n`);
    return 2;
  }

  const store = await ctx.openStore(cfg);
  try {
    let period = date ? periodForDate(dcfg.schedule, date) : undefined;
    if (!period) {
      const [latest] = await listDigests(store.db, { digestId: dcfg.id, limit: 1 });
      period = latest ? { period: latest.period, start: latest.period_start, end: latest.period_end } : periodFor(dcfg.schedule, new Date());
    }
    const { digest, stored } = await loadOrBuildDigest({ db: store.db, digest: dcfg, topics }, period, { store: false, now: new Date() });
    ctx.stderr.write(
      stored
        ? `digest: stored digest "${dcfg.id}" for ${period.period}\n`
        : `digest: no stored digest "${dcfg.id}" for ${period.period}; built on the fly from articles stored so far (not stored, not delivered)\n`,
    );
    const shown: Digest = topic ? onlyTopic(digest, topic) : digest;
    ctx.stdout.write(format === 'json' ? renderJson(shown) : format === 'html' ? renderHtml(shown) : renderMarkdown(shown));
    return 0;
  } finally {
    await store.db.destroy();
  }
}

function onlyTopic(d: Digest, topicId: string): Digest {
  const topics = d.topics.filter((t) => t.id === topicId);
  return {
    ...d,
    topics,
    ...(d.possiblyRelevant ? { possiblyRelevant: d.possiblyRelevant.filter((t) => t.id === topicId) } : {}),
    counts: { stories: topics.reduce((n, t) => n + t.stories.length, 0), articles: topics.reduce((n, t) => n + t.articles.length, 0) },
  };
}
