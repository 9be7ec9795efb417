// `wirewatch digest [--date YYYY-MM-DD|today] [--topic ID] [--digest ID] [--format md|html|json]`: print a digest.
// No --date: the most recent stored digest (what was delivered last). --date today: what has matched since, not
// yet delivered (the next digest so far). --date D: the stored digest of D, or one built on the fly from the
// articles stored in D's period, without storing or delivering it. Which of these is said on stderr, so stdout
// stays pure data.
import { parseArgs } from 'node:util';
import type { CommandContext } from './context.js';
import type { DigestConfig } from '../digest/config.js';
import { nextFireAfter, periodFor, periodForDate } from '../digest/period.js';
import { renderHtml, renderJson, renderMarkdown } from '../digest/render.js';
import { loadOrBuildDigest, undeliveredDigest } from '../pipeline/digest.js';
import type { Digest } from '../digest/types.js';
import { listDigests } from '../store/digests.js';
import { topicTitles } from '../runtime/live-config.js';

const USAGE = 'usage: wirewatch digest [--date YYYY-MM-DD|today] [--topic ID] [--digest ID] [--format md|html|json]';

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
  if (date !== undefined && date !== 'today' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    ctx.stderr.write(`digest: --date must be YYYY-MM-DD or today, got "${date}"\n`);
    return 2;
  }
  const cfg = ctx.config();
  const wanted = values.digest as string | undefined;
  const dcfg = wanted ? cfg.digests.find((d) => d.id === wanted) : cfg.digests[0] ?? defaultDigest();
  if (!dcfg) {
    ctx.stderr.write(`digest: no digest "${wanted}" in ${cfg.file} (configured: ${cfg.digests.map((d) => d.id).join(', ') || 'none'})\n`);
    return 2;
  }
  const topics = topicTitles(cfg);
  const topic = values.topic as string | undefined;
  if (topic && !topics.some((t) => t.id === topic)) {
    ctx.stderr.write(`digest: unknown topic "${topic}" (known: ${topics.map((t) => t.id).join(', ')})\n`);
    return 2;
  }

  const store = await ctx.openStore(cfg);
  try {
    const now = new Date();
    let digest: Digest;
    if (date === 'today' || !date) {
      const [latest] = date ? [] : await listDigests(store.db, { digestId: dcfg.id, limit: 1 });
      if (latest) {
        digest = JSON.parse(latest.content) as Digest;
        ctx.stderr.write(`digest: stored digest "${dcfg.id}" for ${latest.period} (the most recent; --date today shows what matched since)\n`);
      } else {
        const next = nextFireAfter(dcfg, now) ?? now;
        digest = await undeliveredDigest({ db: store.db, digest: dcfg, topics }, periodFor(dcfg.schedule, next), now);
        ctx.stderr.write(
          `digest: matches since the last "${dcfg.id}" digest (${digest.coveredFrom}), NOT YET DELIVERED: they go out in the ${digest.period} digest\n`,
        );
      }
    } else {
      const period = periodForDate(dcfg.schedule, date);
      const r = await loadOrBuildDigest({ db: store.db, digest: dcfg, topics }, period, { store: false, now });
      digest = r.digest;
      ctx.stderr.write(
        r.stored
          ? `digest: stored digest "${dcfg.id}" for ${period.period}\n`
          : `digest: no stored digest "${dcfg.id}" for ${period.period}; built on the fly from articles stored so far (not stored, not delivered)\n`,
      );
    }
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
