// `wirewatch deliveries [list] [--state S,S] [--digest ID] [--json]` and
// `wirewatch deliveries retry --digest ID --period P [--channel NAME]`.
// list: the outbox — one row per (digest, period, channel) with its state, attempts and last error.
// retry: the operator's answer to a `failed` or `unknown` delivery (never resent automatically, README "Digests"):
// the rows go back to pending and the stored digest for that period is delivered now, from this process, through
// the same outbox — so a row another worker resolved meanwhile, or one already sent, is not sent again.
import { parseArgs } from 'node:util';
import type { CommandContext } from './context.js';
import { listOutbox, resetOutbox, type OutboxState } from '../store/outbox.js';
import { runDigest } from '../pipeline/digest.js';
import { getDigest } from '../store/digests.js';
import { topicTitles } from '../runtime/live-config.js';
import { alertIdOfOutbox } from '../alerts/config.js';
import { retryAlert } from './deliveries-alert.js';

const USAGE = `usage: wirewatch deliveries [list] [--state pending,sending,sent,failed,unknown] [--digest ID] [--json]
       wirewatch deliveries retry --digest ID --period PERIOD [--channel NAME]
`;
const STATES: OutboxState[] = ['pending', 'sending', 'sent', 'failed', 'unknown'];

type Flags = { state?: string; digest?: string; period?: string; channel?: string; json?: boolean };
type Store = Awaited<ReturnType<CommandContext['openStore']>>;
type Cfg = ReturnType<CommandContext['config']>;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const [first, ...tail] = argv;
  const sub = first === undefined || first.startsWith('-') ? 'list' : first;
  const rest = sub === 'list' && first !== 'list' ? argv : tail;
  let values: Flags;
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
  // Alert deliveries: digest id "alert:<rule>", period = the message id.
  const alertId = values.digest !== undefined ? alertIdOfOutbox(values.digest) : undefined;
  if (sub === 'retry' && alertId !== undefined && values.period) return retryAlert(ctx, alertId, String(values.period), values.channel);
  if (sub === 'retry' && !retryArgsOk(ctx, cfg, values)) return 2;
  const store = await ctx.openStore(cfg);
  try {
    return sub === 'list' ? await list(ctx, store, values, states as OutboxState[]) : await retry(ctx, store, cfg, values);
  } finally {
    await store.db.destroy();
  }
}

/** retry needs --digest and --period, and the digest must be configured (its channels say where to deliver). */
function retryArgsOk(ctx: CommandContext, cfg: Cfg, values: Flags): boolean {
  const digestId = values.digest;
  if (!digestId || !values.period) {
    ctx.stderr.write(`deliveries retry: --digest and --period are required\n${USAGE}`);
    return false;
  }
  if (!cfg.digests.some((d) => d.id === digestId)) {
    ctx.stderr.write(`deliveries retry: no digest "${digestId}" in ${cfg.file} (configured: ${cfg.digests.map((d) => d.id).join(', ') || 'none'})\n`);
    return false;
  }
  return true;
}

async function list(ctx: CommandContext, store: Store, values: Flags, states: OutboxState[]): Promise<number> {
  const rows = await listOutbox(store.db, { digestId: values.digest, states, limit: 1000 });
  if (values.json) {
    for (const r of rows) {
      ctx.stdout.write(`${JSON.stringify({ digest_id: r.digest_id, period: r.period, channel: r.channel, state: r.state, attempts: r.attempts, updated_at: r.updated_at, error: r.error })}\n`);
    }
  } else {
    ctx.stdout.write(rows.length ? `${rows.map((r) => `${r.digest_id}\t${r.period}\t${r.channel}\t${r.state}\t${r.attempts}\t${r.updated_at}${r.error ? `\t${r.error}` : ''}`).join('\n')}\n` : 'no deliveries\n');
  }
  return 0;
}

async function retry(ctx: CommandContext, store: Store, cfg: Cfg, values: Flags): Promise<number> {
  const period = String(values.period);
  const channel = values.channel;
  const dcfg = cfg.digests.find((d) => d.id === values.digest)!;
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
  const res = await runDigest({
    db: store.db, log: ctx.log.child({ stage: 'deliveries' }), outputDir: cfg.outputDir, digest: dcfg, topics: topicTitles(cfg),
    fireTime: new Date(stored.period_end), baseUrl: cfg.http.base_url, throwOnPending: false,
  });
  for (const d of res.deliveries) ctx.stdout.write(`${dcfg.id}\t${res.period}\t${d.channel}\t${d.state}\n`);
  return res.deliveries.every((d) => d.state === 'sent' || !reset.includes(d.channel)) ? 0 : 1;
}
