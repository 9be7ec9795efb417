// The `digests:` section of wirewatch.yml as a zod schema (config/schema.ts uses it): what to send, when (local
// time or cron in an IANA zone; a cron pattern is checked by croner, the engine that fires it: digest/period.ts),
// and through which channels.
import { z } from 'zod';
import { Cron } from 'croner';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Digest ids become path segments (<out>/<digest-id>/…) and URL segments: keep them boring. */
export const DIGEST_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isCron(p: string): boolean {
  try {
    new Cron(p, { paused: true });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z.string().refine((u) => {
  try {
    return ['http:', 'https:'].includes(new URL(u).protocol);
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

export const scheduleSchema = z
  .object({
    /** Local wall-clock time "HH:MM" in `tz`. */
    at: z.string().regex(HHMM, 'must be "HH:MM" (24 h)').optional(),
    /** Cron pattern evaluated in `tz` (croner syntax). */
    cron: z.string().refine(isCron, 'is not a valid cron pattern').optional(),
    tz: z.string().refine(isZone, 'is not an IANA time zone (e.g. "Europe/Kyiv")').default('UTC'),
  })
  .strict()
  .refine((s) => Boolean(s.at) !== Boolean(s.cron), { message: 'set exactly one of `at` or `cron`' });

export const filesChannelSchema = z.object({ type: z.literal('files'), name: z.string().min(1).optional() }).strict();

const LOOPBACK_SMTP = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

export const emailChannelSchema = z
  .object({
    type: z.literal('email'),
    name: z.string().min(1).optional(),
    to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
    from: z.string().min(3),
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).default(587),
        /** true = implicit TLS (465); false = STARTTLS when offered. */
        secure: z.boolean().default(false),
        auth: z.object({ user: z.string(), pass: z.string() }).strict().optional(),
        /**
         * Send `auth` over a connection without TLS. Without it, auth needs `secure` (implicit TLS) or STARTTLS
         * (requireTLS), so a downgraded connection never carries the password. Only for a relay on loopback.
         */
        allow_plaintext_auth: z.boolean().default(false),
      })
      .strict()
      .refine((s) => !s.allow_plaintext_auth || LOOPBACK_SMTP.test(s.host), {
        message: 'allow_plaintext_auth is only for a relay on loopback (127.0.0.1, ::1, localhost)',
        path: ['allow_plaintext_auth'],
      }),
    /** List-Id (RFC 2919), e.g. "wirewatch-morning.example.org". */
    list_id: z.string().min(1).optional(),
    /** List-Unsubscribe (RFC 2369): a mailto: or https: URL. */
    unsubscribe: z.string().regex(/^(mailto:|https?:\/\/)/i, 'must be a mailto: or http(s) URL').optional(),
  })
  .strict();

export const webhookChannelSchema = z
  .object({
    type: z.literal('webhook'),
    name: z.string().min(1).optional(),
    url: httpUrl,
    /** HMAC-SHA256 key (Standard Webhooks; a "whsec_" prefix means base64). */
    secret: z.string().min(8).optional(),
    format: z.enum(['json', 'slack']).default('json'),
    /** Attempts per run (a failed run is retried by the queue with the same webhook-id). */
    attempts: z.number().int().min(1).max(10).default(4),
    timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
  })
  .strict();

export const channelSchema = z.discriminatedUnion('type', [filesChannelSchema, emailChannelSchema, webhookChannelSchema]);

/** What a digest and an alert rule both have: an id, a title, and the topics they follow. */
export const namedTopicsFields = {
  id: z.string().regex(DIGEST_ID, 'must be letters, digits, "-" or "_" (max 64)'),
  title: z.string().min(1),
  /** Topic ids; absent = all topics. */
  topics: z.array(z.string().min(1)).min(1).optional(),
};

export const digestSchema = z
  .object({
    ...namedTopicsFields,
    schedule: scheduleSchema,
    channels: z.array(channelSchema).default([{ type: 'files' }]),
    min_score: z.number().min(0).default(0),
    /** Stories per topic. */
    max_items: z.number().int().min(1).max(500).default(20),
  })
  .strict()
  .superRefine((d, ctx) => {
    // Each channel has its own outbox row; two with the same target would share one (deliver/channel.ts names them).
    const seen = new Map<string, number>();
    d.channels.forEach((c, i) => {
      const target = c.type === 'email' ? [c.smtp.host, ...[c.to].flat().sort()] : c.type === 'webhook' ? [c.url] : [];
      const key = c.name ?? JSON.stringify([c.type, ...target]);
      const first = seen.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['channels', i], message: `same target as channels[${first}]; give one a distinct \`name\`` });
      else seen.set(key, i);
    });
  });

/** A refinement for a list of configured things with ids (digests, alert rules): each id once. */
export function uniqueIds(kind: string) {
  return (xs: { id: string }[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    xs.forEach((x, i) => {
      if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate ${kind} id "${x.id}"` });
      seen.add(x.id);
    });
  };
}

export const digestsSchema = z.array(digestSchema).superRefine(uniqueIds('digest'));

export type ScheduleConfig = z.infer<typeof scheduleSchema>;
export type ChannelConfig = z.infer<typeof channelSchema>;
export type EmailChannelConfig = z.infer<typeof emailChannelSchema>;
export type WebhookChannelConfig = z.infer<typeof webhookChannelSchema>;
export type DigestConfig = z.infer<typeof digestSchema>;
