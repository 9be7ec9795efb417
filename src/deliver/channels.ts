// A digest's configured channels, built: one Channel per entry of `digests[].channels`, named uniquely, with the
// transports a test or `run --once` injects (SMTP, fetch, backoff sleep) and evidence links to the web UI.
import type { DigestConfig } from '../digest/config.js';
import type { HtmlOptions } from '../digest/render-html.js';
import { assertUniqueNames, type Channel } from './channel.js';
import { emailChannel, type EmailTransportFactory } from './email.js';
import { filesChannel } from './files.js';
import { webhookChannel } from './webhook.js';

export interface Transports {
  email?: EmailTransportFactory;
  fetch?: typeof fetch;
  /** Backoff sleeps inside one run (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

export interface ChannelsDeps {
  digest: DigestConfig;
  outputDir: string;
  transports?: Transports;
  /** Public base URL of the web UI: evidence links in email and Slack. */
  baseUrl?: string;
  now?: () => Date;
}

/** The digest's channels in configured order. Throws when two channels would share a name. */
export function channelsFor(deps: ChannelsDeps): Channel[] {
  const names = assertUniqueNames(deps.digest.channels);
  const base = deps.baseUrl?.replace(/\/+$/, '');
  const html: HtmlOptions = base
    ? { articleHref: (id) => `${base}/articles/${encodeURIComponent(id)}`, storyHref: (id) => `${base}/stories/${encodeURIComponent(id)}` }
    : {};
  const t = deps.transports ?? {};
  return deps.digest.channels.map((c, i) => {
    switch (c.type) {
      case 'files':
        return filesChannel(deps.outputDir, names[i]);
      case 'email':
        return emailChannel(names[i], c, { transport: t.email, sleep: t.sleep, now: deps.now, html });
      case 'webhook':
        return webhookChannel(names[i], c, { fetch: t.fetch, sleep: t.sleep, now: deps.now, baseUrl: base });
    }
  });
}
