// `wirewatch deliveries [list] [--state S,S] [--digest ID] [--json]` and
// `wirewatch deliveries retry --digest ID --period P [--channel NAME]`.
// list: the outbox — one row per (digest, period, channel) with its state, attempts and last error.
// retry: the operator's answer to a `failed` or `unknown` delivery (never resent automatically, README "Digests"):
// the rows go back to pending and the stored digest for that period is delivered now, from this process, through
// the same outbox — so a row another worker resolved meanwhile, or one already sent, is not sent again.
import { parseArgs } from 'node:util';
import type { CommandContext } from './context.js';
import { listOutbox, resetOutbox, type OutboxState } from '../deliver/outbox.js';
import { runDigest } from '../digest/run.js';
import { getDigest } from '../store/digests.js';
import { alertIdOfOutbox } from '../alerts/config.js';
import { retryAlert } from './deliveries-alert.js';

const USAGE = `usage: wirewatch deliveries [list] [--state pending,sending,sent,failed,unknown] [--digest ID] [--json]
       wirewatch deliveries retry --digest ID --period PERIOD [--channel NAME]
`;
const STATES: OutboxState[] = ['pending', 'sending', 'sent', 'failed', 'unknown'];

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const [first, ...tail] = argv;
  const sub = first === undefined || first.startsWith('-') ? 'list' : first;
  const rest = sub === 'list' && first !== 'list' ? argv : tail;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      options: { state: { type: 'string' }, digest: { type: 'string' }, period: { type: 'string' }, channel: { type: 'string' }, json: { type: 'boolean' } },
    }));
  } catch (err) {
    ctx.stderr.write(`deliveries: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (sub !== 'list' && sub !== 'retry') {
    ctx.stderr.write(`deliveries: unknown subcommand "${sub}"\n${USAGE}`);
    return 2;
  }
  const states = values.state ? String(values.state).split(',').map((s) => s.trim()).filter(Boolean) : [];
  const badState = states.find((s) => !STATES.includes(s as OutboxState));
  if (badState) {
    ctx.stderr.write(`deliveries: --state "${badState}" is not one of ${STATES.join(', ')}\n`);
    return 2;
  }
  const cfg = ctx.config();
  const digestId = values.digest as string | undefined;
  if (sub === 'retry') {
    if (!digestId || !values.period) {
      ctx.stderr.write(`deliveries retry: --digest and --period are required\n${USAGE}`);
      return 2;
    }
    // Alert deliveries (issue 16): digest id "alert:<rule>", period = the message id.
    if (alertIdOfOutbox(digestId) !== undefined) return retryAlert(ctx, alertIdOfOutbox(digestId)!, String(values.period), values.channel as string | undefined);
    if (!cfg.digests.some((d) => d.id === digestId)) {
      ctx.stderr.write(`deliveries retry: no digest "${digestId}" in ${cfg.file} (configured: ${cfg.digests.map((d) => d.id).join(', ') || 'none'})\n`);
      return 2;
    }
  }

  const store = await ctx.openStore(cfg);
  try {
    if (sub === 'list') {
      const rows = await listOutbox(store.db, { digestId, states: states as OutboxState[], limit: 1000 });
      if (values.json) {
        for (const r of rows) {
          ctx.stdout.write(`${JSON.stringify({ digest_id: r.digest_id, period: r.period, channel: r.channel, state: r.state, attempts: r.attempts, updated_at: r.updated_at, error: r.error })}\n`);
        }
      } else {
        ctx.stdout.write(rows.length ? `${rows.map((r) => `${r.digest_id}\t${r.period}\t${r.channel}\t${r.state}\t${r.attempts}\t${r.updated_at}${r.error ? `\t${r.error}` : ''}`).join('\n')}\n` : 'no deliveries\n');
      }
      return 0;
    }

    const period = String(values.period);
    const channel = values.channel as string | undefined;
    const dcfg = cfg.digests.find((d) => d.id === digestId)!;
    const stored = await getDigest(store.db, dcfg.id, period);
    if (!stored) {
      ctx.stderr.write(`deliveries retry: no stored digest "${dcfg.id}" for period ${period} (see: wirewatch deliveries list --digest ${dcfg.id})\n`);
      return 1;
    }
    const rows = (await listOutbox(store.db, { digestId: dcfg.id, period, limit: 1000 })).filter((r) => !channel || r.channel === channel);
    if (channel && !rows.length) {
      ctx.stderr.write(`deliveries retry: no delivery on channel "${channel}" for ${dcfg.id} ${period}\n`);
      return 1;
    }
    const now = new Date().toISOString();
    const reset: string[] = [];
    for (const r of rows) {
      if (r.state !== 'failed' && r.state !== 'unknown') continue;
      if (await resetOutbox(store.db, { digestId: r.digest_id, period: r.period, channel: r.channel }, now)) reset.push(r.channel);
    }
    if (!reset.length) {
      ctx.stderr.write(`deliveries retry: nothing to retry for ${dcfg.id} ${period}${channel ? ` on ${channel}` : ''} (only failed or unknown deliveries are retried)\n`);
      return 1;
    }
    ctx.stderr.write(`deliveries retry: ${reset.join(', ')} set back to pending; delivering now\n`);
    const topics = cfg.topics.topics.map((t) => ({ id: t.id, title: t.title }));
    const res = await runDigest({
      db: store.db, log: ctx.log.child({ stage: 'deliveries' }), outputDir: cfg.outputDir, digest: dcfg, topics,
      fireTime: new Date(stored.period_end), baseUrl: cfg.http.base_url, throwOnPending: false,
    });
    for (const d of res.deliveries) ctx.stdout.write(`${dcfg.id}\t${res.period}\t${d.channel}\t${d.state}\n`);
    return res.deliveries.every((d) => d.state === 'sent' || !reset.includes(d.channel)) ? 0 : 1;
  } finally {
    await store.db.destroy();
  }
}
