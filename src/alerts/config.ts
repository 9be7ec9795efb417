// The `alerts:` section of wirewatch.yml (issue 16): which topics, what triggers an alert (an article scoring at or
// above a threshold and/or a breaking story: ≥ N outlets within H hours), through which channels (the digest's
// email and webhook channels; `format: slack` for Slack-compatible webhooks), quiet hours in the reader's zone, and
// the coalescing window (at most one message per rule and topic per window).
import { z } from 'zod';
import { emailChannelSchema, isZone, namedTopicsFields, uniqueIds, webhookChannelSchema } from '../digest/config.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Defaults, once (the schema below uses them). */
export const ALERT_DEFAULTS = {
  /** Messages per rule and topic: at most one per window; triggers inside it wait and go out together. */
  coalesceMinutes: 5,
  /** A story is "breaking" when this many outlets carried it … */
  breakingOutlets: 3,
  /** … within this many hours. */
  breakingWithinH: 6,
  /** How far back stories are assembled for a score trigger (the story's outlets "so far"). */
  lookbackH: 24,
} as const;


export const quietHoursSchema = z
  .object({
    /** Local "HH:MM" in `tz` when quiet starts; may be after `to` (over midnight). */
    from: z.string().regex(HHMM, 'must be "HH:MM" (24 h)'),
    to: z.string().regex(HHMM, 'must be "HH:MM" (24 h)'),
    tz: z.string().refine(isZone, 'is not an IANA time zone (e.g. "Europe/Kyiv")').default('UTC'),
  })
  .strict()
  .refine((q) => q.from !== q.to, { message: '`from` and `to` must differ' });

export const triggerSchema = z
  .object({
    /** An article of the story scoring at least this fires the alert. */
    min_score: z.number().min(0).optional(),
    /** A story reported by at least `outlets` distinct outlets within `within_h` hours fires the alert. */
    breaking: z
      .object({
        outlets: z.number().int().min(2).max(100).default(ALERT_DEFAULTS.breakingOutlets),
        within_h: z.number().positive().max(168).default(ALERT_DEFAULTS.breakingWithinH),
      })
      .strict()
      .optional(),
    /** "any": either condition fires; "all": both must hold. */
    combine: z.enum(['any', 'all']).default('any'),
  })
  .strict()
  .refine((t) => t.min_score !== undefined || t.breaking !== undefined, { message: 'set `min_score`, `breaking`, or both' });

export const alertChannelSchema = z.discriminatedUnion('type', [emailChannelSchema, webhookChannelSchema]);

export const alertSchema = z
  .object({
    ...namedTopicsFields,
    trigger: triggerSchema,
    channels: z.array(alertChannelSchema).min(1),
    quiet_hours: quietHoursSchema.optional(),
    /** Zone for times shown in the message (default: quiet_hours.tz, else UTC). */
    tz: z.string().refine(isZone, 'is not an IANA time zone').optional(),
    coalesce_minutes: z.number().min(0).max(24 * 60).default(ALERT_DEFAULTS.coalesceMinutes),
  })
  .strict();

export const alertsSchema = z.array(alertSchema).superRefine(uniqueIds('alert'));

export type AlertConfig = z.infer<typeof alertSchema>;
export type QuietHours = z.infer<typeof quietHoursSchema>;
export type TriggerConfig = z.infer<typeof triggerSchema>;

/** The outbox's digest_id of an alert rule: ':' never occurs in a digest id, so the two never collide. */
export const alertOutboxId = (alertId: string) => `alert:${alertId}`;
/** The alert id of an outbox digest_id, or undefined for a digest's row. */
export const alertIdOfOutbox = (digestId: string) => (digestId.startsWith('alert:') ? digestId.slice(6) : undefined);
/** The zone messages show times in. */
export const alertTz = (a: AlertConfig) => a.tz ?? a.quiet_hours?.tz ?? 'UTC';
