// The two kinds of failure. Imports nothing.
// PermanentError: retrying cannot help (404/410, not a feed, blocked address, too large, unparseable);
// the worker turns it into BullMQ's UnrecoverableError and records `code` + message.
// Anything else is transient and retried with backoff (TransientError just names it explicitly).
// Messages start with the stage: "fetch: body exceeds 5 MiB (https://…)".

export class PermanentError extends Error {
  override name = 'PermanentError';
  /** Stable machine-readable reason, e.g. "ssrf_blocked", "too_large", "http_404", "not_a_feed". */
  readonly code: string;
  /** The HTTP status that caused it, when a server answered with an error status (feed health shows it). */
  readonly status?: number;
  constructor(code: string, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.code = code;
    if (options?.status !== undefined) this.status = options.status;
  }
}

export class TransientError extends Error {
  override name = 'TransientError';
  readonly code: string;
  /** Server-requested delay (Retry-After), in ms, when it gave one. */
  readonly retryAfterMs?: number;
  /** The HTTP status that caused it, when a server answered with an error status. */
  readonly status?: number;
  constructor(code: string, message: string, options?: { cause?: unknown; retryAfterMs?: number; status?: number }) {
    super(message, options);
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
    if (options?.status !== undefined) this.status = options.status;
  }
}

/** A configuration problem, named by file, line and key: `config/topics.yml:14 topics[2].any: must be a non-empty list`. */
export interface ConfigIssue {
  file: string;
  line?: number;
  key: string;
  message: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.issues = issues;
  }
}

export function formatIssue(i: ConfigIssue): string {
  return `${i.file}${i.line ? `:${i.line}` : ''} ${i.key}: ${i.message}`;
}

export function isPermanent(err: unknown): err is PermanentError {
  return err instanceof PermanentError;
}
