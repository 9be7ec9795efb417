// `wirewatch deliveries retry --digest alert:<rule> --period <message>`: the operator's answer to a failed or
// unknown alert delivery, as for a digest (deliveries.ts): the rows go back to pending and the stored message is
// delivered again through the same outbox, once.
import type { CommandContext } from './context.js';
import { listOutbox, resetOutbox } from '../store/outbox.js';
import { getAlertMessage } from '../store/alerts.js';
import { alertOutboxId } from '../alerts/config.js';
import { parseMessageId } from '../alerts/message.js';
import { sendAlert } from '../pipeline/alert.js';
import { topicTitles } from '../runtime/live-config.js';

export async function retryAlert(ctx: CommandContext, alertId: string, message: string, channel?: string): Promise<number> {
  const cfg = ctx.config();
  const rule = cfg.alerts.find((a) => a.id === alertId);
  const due = parseMessageId(message);
  if (!rule || !due) {
    ctx.stderr.write(`deliveries retry: no alert "${alertId}" in ${cfg.file}, or "${message}" is not an alert message id\n`);
    return 2;
  }
  const store = await ctx.openStore(cfg);
  try {
    if (!(await getAlertMessage(store.db, alertId, message))?.content) {
      ctx.stderr.write(`deliveries retry: no stored alert message ${alertId} ${message}\n`);
      return 1;
    }
    const now = new Date().toISOString();
    const reset: string[] = [];
    for (const r of await listOutbox(store.db, { digestId: alertOutboxId(alertId), period: message, limit: 1000 })) {
      if ((channel && r.channel !== channel) || (r.state !== 'failed' && r.state !== 'unknown')) continue;
      if (await resetOutbox(store.db, { digestId: r.digest_id, period: r.period, channel: r.channel }, now)) reset.push(r.channel);
    }
    if (!reset.length) {
      ctx.stderr.write(`deliveries retry: nothing to retry for alert:${alertId} ${message} (only failed or unknown deliveries are retried)\n`);
      return 1;
    }
    const topics = topicTitles(cfg);
    const res = await sendAlert({ db: store.db, log: ctx.log.child({ stage: 'deliveries' }), alerts: [rule], topics, schedule: async () => {}, baseUrl: cfg.http.base_url }, { alertId, ...due })
      .catch((err: Error) => ({ state: 'error' as const, error: err.message }));
    if (res.state !== 'delivered') {
      ctx.stderr.write(`deliveries retry: alert:${alertId} ${message}: ${'error' in res ? res.error : res.state}\n`);
      return 1;
    }
    for (const d of res.deliveries) ctx.stdout.write(`alert:${alertId}\t${message}\t${d.channel}\t${d.state}\n`);
    return res.deliveries.every((d) => d.state === 'sent' || !reset.includes(d.channel)) ? 0 : 1;
  } finally {
    await store.db.destroy();
  }
}
