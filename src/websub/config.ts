// The `websub:` section of wirewatch.yml (issue 16): push delivery of feeds whose publishers announce a hub.
import { z } from 'zod';
import { addressAllowed, canonicalIp } from '../fetch/address.js';

export const WEBSUB_DEFAULTS = {
  /** Lease asked of the hub (s); hubs may grant less. Renewed before it ends. */
  leaseS: 10 * 86_400,
  /** While push works, polling slows to this many times the feed's interval (at least an hour): a safety net. */
  safetyPollFactor: 4,
  safetyPollMinS: 3_600,
  /** Pushes accepted per feed per minute; more are answered 429 (the hub retries; polling catches up anyway). */
  maxPushesPerMinute: 30,
} as const;

export const WebsubSchema = z
  .object({
    /** auto: on when http.base_url is a public address (hubs must reach the callback); on: also for private ones (tests). */
    enabled: z.enum(['auto', 'on', 'off']).default('auto'),
    lease_s: z.number().int().min(60).max(365 * 86_400).default(WEBSUB_DEFAULTS.leaseS),
    safety_poll_factor: z.number().min(1).max(100).default(WEBSUB_DEFAULTS.safetyPollFactor),
    max_pushes_per_minute: z.number().int().min(1).max(10_000).default(WEBSUB_DEFAULTS.maxPushesPerMinute),
  })
  .strict();

export type WebsubConfig = z.infer<typeof WebsubSchema>;

/** The callback route (one path: the feed is a query parameter, so the guards can exempt it exactly). */
export const WEBSUB_CALLBACK_PATH = '/websub/callback';

const PRIVATE_NAME = /^(localhost|.*\.local|.*\.localhost|.*\.internal|.*\.lan)$/i;

/** A base URL a hub on the internet could reach: a public name or a public IP literal. */
export function isPublicBaseUrl(baseUrl: string | undefined): boolean {
  if (!baseUrl) return false;
  let host: string;
  try {
    host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (PRIVATE_NAME.test(host) || !host.includes('.') && !host.includes(':')) return false;
  // An IP literal must be public unicast, by the same rule the fetch guard applies.
  return !canonicalIp(host) || addressAllowed(host, { allowPrivateNetworks: false, allowedPorts: [] });
}

/** Whether to subscribe at all, and the callback URL for a feed when so. */
export function websubCallback(cfg: { websub: WebsubConfig; http: { base_url?: string } }): ((feedId: string) => string) | undefined {
  const on = cfg.websub.enabled === 'on' ? Boolean(cfg.http.base_url) : cfg.websub.enabled === 'auto' && isPublicBaseUrl(cfg.http.base_url);
  if (!on) return undefined;
  const base = cfg.http.base_url!.replace(/\/+$/, '');
  return (feedId) => `${base}${WEBSUB_CALLBACK_PATH}?feed=${encodeURIComponent(feedId)}`;
}
