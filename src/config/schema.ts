// The shape of config/wirewatch.yml. Unknown keys are errors (a typo must not be silently ignored). A default that a
// stage also applies on its own (fetch, extraction, polling, parsing, the model) is imported from that stage, so the
// two cannot disagree; the rest are service-only settings and live here. The README's configuration reference and
// config/wirewatch.yml mirror this file.
import { z } from 'zod';
import { digestsSchema } from '../digest/config.js';
import { alertsSchema } from '../alerts/config.js';
import { WebsubSchema } from '../websub/config.js';
import { DEFAULT_MODEL_FILE, DEFAULT_MODEL_THRESHOLD } from '../classify/model/types.js';
import { DEFAULT_MAX_REASONS } from '../classify/model/score.js';
import { EXTRACT_DEFAULTS } from '../extract/defaults.js';
import { FETCH_DEFAULTS } from '../fetch/defaults.js';
import { DEFAULT_MAX_ITEMS, DEFAULT_PARSE_THREADS, POLL_DEFAULTS } from '../feeds/defaults.js';
import { DEFAULT_POOL_MAX } from '../store/defaults.js';

const port = z.number().int().min(1).max(65535);
/** pino's levels; 'silent' turns logging off. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const ms = z.number().int().positive();

export const FeedEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, ".", "_" and "-" only').optional(),
    url: z.string().url(),
    title: z.string().optional(),
    lang: z.string().min(2).max(8).optional(),
    interval_s: z.number().int().min(60).optional(),
    tz: z.string().optional(),
  })
  .strict();

export const FetchSchema = z
  .object({
    allow_private_networks: z.boolean().default(FETCH_DEFAULTS.allowPrivateNetworks),
    allow_hosts: z.array(z.string()).default([]),
    allowed_ports: z.array(port).default([...FETCH_DEFAULTS.allowedPorts]),
    /** Any port on a loopback address (127.0.0.0/8, ::1, localhost): local test sites. `--allow-private-networks` sets it. */
    allow_loopback_any_port: z.boolean().default(false),
    max_bytes: z.number().int().min(1024).default(FETCH_DEFAULTS.maxBytes),
    connect_timeout_ms: ms.default(FETCH_DEFAULTS.connectTimeoutMs),
    headers_timeout_ms: ms.default(FETCH_DEFAULTS.headersTimeoutMs),
    total_timeout_ms: ms.default(FETCH_DEFAULTS.totalTimeoutMs),
    max_redirects: z.number().int().min(0).max(20).default(FETCH_DEFAULTS.maxRedirects),
    user_agent: z.string().default(FETCH_DEFAULTS.userAgent),
    per_host_concurrency: z.number().int().min(1).default(FETCH_DEFAULTS.perHostConcurrency),
    per_host_min_gap_ms: z.number().int().min(0).default(FETCH_DEFAULTS.perHostMinGapMs),
  })
  .strict();

export const PollSchema = z
  .object({
    default_interval_s: z.number().int().min(60).default(POLL_DEFAULTS.defaultIntervalS),
    min_interval_s: z.number().int().min(30).default(POLL_DEFAULTS.minIntervalS),
    max_interval_s: z.number().int().min(60).default(POLL_DEFAULTS.maxIntervalS),
    max_backoff_s: z.number().int().min(60).default(POLL_DEFAULTS.maxBackoffS),
    unconditional_after_s: z.number().int().min(60).default(POLL_DEFAULTS.unconditionalAfterS),
    max_items: z.number().int().min(1).default(DEFAULT_MAX_ITEMS),
  })
  .strict();

export const WorkersSchema = z
  .object({
    poll_concurrency: z.number().int().min(1).default(8),
    article_concurrency: z.number().int().min(1).default(4),
    /** Article jobs of one feed running at once (C3 fairness). Unset: half of article_concurrency, at least 1. */
    article_per_feed: z.number().int().min(1).optional(),
    digest_concurrency: z.number().int().min(1).default(1),
    extract_threads: z.number().int().min(1).default(EXTRACT_DEFAULTS.threads),
    extract_timeout_ms: ms.default(EXTRACT_DEFAULTS.timeoutMs),
    /** V8 heap limit per extraction thread (MB): bounds RSS; more heap, less GC, more throughput. */
    extract_heap_mb: z.number().int().min(64).max(4096).default(EXTRACT_DEFAULTS.heapMb),
    /** A page with more elements (after the pre-cut) is refused before parsing: 'too_complex', feed content used. */
    extract_max_elements: z.number().int().min(1000).default(EXTRACT_DEFAULTS.maxElements),
    /** A page nested deeper is refused likewise. */
    extract_max_depth: z.number().int().min(32).default(EXTRACT_DEFAULTS.maxDepth),
    /** Threads parsing feeds (each feed under a time budget and heap cap). WIREWATCH_PARSE_THREADS overrides. */
    parse_threads: z.number().int().min(1).max(DEFAULT_PARSE_THREADS).default(DEFAULT_PARSE_THREADS),
    /** An item still `discovered` after this long is re-enqueued by the reconciler. */
    reconcile_after_s: z.number().int().min(10).default(900),
    reconcile_every_s: z.number().int().min(5).default(300),
    /** On start, a digest whose scheduled fire was missed this recently is built and delivered (0 = never). */
    digest_catch_up_days: z.number().int().min(0).default(7),
  })
  .strict();

export const StoreSchema = z
  .object({
    /** Empty: SQLite at <data_dir>/wirewatch.db. `postgres://…` for PostgreSQL. */
    url: z.string().default(''),
    pool_max: z.number().int().min(1).default(DEFAULT_POOL_MAX),
    /** Article text and items older than this are pruned (digests, matches and outbox rows are kept); 0 = never. */
    retention_days: z.number().int().min(0).default(180),
  })
  .strict();

export const HttpSchema = z
  .object({
    enabled: z.boolean().default(true),
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Public base URL used in Atom feeds and email links. */
    base_url: z.string().url().optional(),
    basic_auth: z.object({ user: z.string().min(1), password: z.string().min(1) }).strict().optional(),
    token: z.string().min(16).optional(),
    /** Serve a non-loopback `host` with neither basic_auth nor token (behind a proxy that authenticates). */
    allow_unauthenticated_public: z.boolean().default(false),
    /** Host names the pages answer to (DNS-rebinding guard), besides loopback names and base_url's host; "*" = any. */
    allowed_hosts: z.array(z.string().min(1)).default([]),
    /** Let the queue dashboard retry, remove and add jobs; read-only otherwise. */
    dashboard_write: z.boolean().default(false),
    /** Failed authentications per client (IP, IPv6 /64) within auth_window_s before answers are 429. */
    auth_max_failures: z.number().int().min(1).default(10),
    auth_window_s: z.number().int().min(1).default(60),
    /** Processes without the web server (worker, scheduler) serve /metrics, /healthz, /readyz on this port (0 = off). */
    metrics_port: z.number().int().min(0).max(65535).default(0),
  })
  .strict();

/** The second-opinion model (issue 14): off unless measured good enough; see README "Possibly relevant". */
export const ClassifySchema = z
  .object({
    model: z
      .object({
        enabled: z.boolean().default(false),
        /** Written by `wirewatch topics train`; relative to this file. Missing: no second opinion (logged). */
        file: z.string().default(DEFAULT_MODEL_FILE),
        /** Model probability at or above which a rule-missed article is "possibly relevant". */
        threshold: z.number().gt(0).max(1).default(DEFAULT_MODEL_THRESHOLD),
        /** Words shown as the reason. */
        max_reasons: z.number().int().min(1).max(20).default(DEFAULT_MAX_REASONS),
      })
      .strict()
      .default({ enabled: false, file: DEFAULT_MODEL_FILE, threshold: DEFAULT_MODEL_THRESHOLD, max_reasons: DEFAULT_MAX_REASONS }),
  })
  .strict();

export const ConfigSchema = z
  .object({
    data_dir: z.string().default('./data'),
    output_dir: z.string().optional(),
    redis: z
      .object({
        url: z.string().default('redis://127.0.0.1:6379'),
        prefix: z.string().regex(/^[A-Za-z0-9_-]+$/).default('wirewatch'),
        /** When nothing answers at `url` (localhost only) and redis-server is installed, start a private one. */
        start_private: z.boolean().default(true),
      })
      .strict()
      .default({ url: 'redis://127.0.0.1:6379', prefix: 'wirewatch', start_private: true }),
    store: StoreSchema.default(StoreSchema.parse({})),
    feeds_file: z.string().optional(),
    feeds: z.array(FeedEntrySchema).optional(),
    topics_file: z.string().default('topics.yml'),
    classify: ClassifySchema.default(ClassifySchema.parse({})),
    fetch: FetchSchema.default(FetchSchema.parse({})),
    poll: PollSchema.default(PollSchema.parse({})),
    workers: WorkersSchema.default(WorkersSchema.parse({})),
    digests: digestsSchema.default([]),
    /** Breaking-news alerts (issue 16): src/alerts/config.ts. */
    alerts: alertsSchema.default([]),
    /** WebSub push (issue 16): src/websub/config.ts. */
    websub: WebsubSchema.default(WebsubSchema.parse({})),
    http: HttpSchema.default(HttpSchema.parse({})),
    /** The logger's level; LOG_LEVEL overrides it and `--log-level` overrides both. */
    log: z.object({ level: z.enum(LOG_LEVELS).default('info') }).strict().default({ level: 'info' }),
  })
  .strict();

export type RawConfig = z.infer<typeof ConfigSchema>;
export type FeedEntry = z.infer<typeof FeedEntrySchema>;
